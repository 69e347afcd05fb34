package signer

import (
	"strconv"
	"strings"
	"time"
)

// Keys of a profile, as the shared config file spells them.
const (
	awsKeyAccessKeyID          = "aws_access_key_id"
	awsKeySecretAccessKey      = "aws_secret_access_key"
	awsKeySessionToken         = "aws_session_token"
	awsKeyAccountID            = "aws_account_id"
	awsKeyRoleARN              = "role_arn"
	awsKeySourceProfile        = "source_profile"
	awsKeyCredentialSource     = "credential_source"
	awsKeyExternalID           = "external_id"
	awsKeyMFASerial            = "mfa_serial"
	awsKeyRoleSessionName      = "role_session_name"
	awsKeyDurationSeconds      = "duration_seconds"
	awsKeyRegion               = "region"
	awsKeyCredentialProcess    = "credential_process"
	awsKeyWebIdentityTokenFile = "web_identity_token_file"
	awsKeySSOSession           = "sso_session"
	awsKeySSORegion            = "sso_region"
	awsKeySSOStartURL          = "sso_start_url"
	awsKeySSOAccountID         = "sso_account_id"
	awsKeySSORoleName          = "sso_role_name"
	awsKeySSOScopes            = "sso_registration_scopes"
	awsKeyLoginSession         = "login_session"
	awsKeyIMDSEndpoint         = "ec2_metadata_service_endpoint"
	awsKeyIMDSEndpointMode     = "ec2_metadata_service_endpoint_mode"
	awsKeyIMDSV1Disabled       = "ec2_metadata_v1_disabled"
	awsKeyUseFIPS              = "use_fips_endpoint"
	awsKeyUseDualStack         = "use_dualstack_endpoint"
	awsKeyMaxAttempts          = "max_attempts"
	awsKeyRetryMode            = "retry_mode"
	awsKeyCABundle             = "ca_bundle"
	awsKeyIgnoreEndpoints      = "ignore_configured_endpoint_urls"
	awsKeyEndpointURL          = "endpoint_url"
	awsKeyServices             = "services"
)

// awsMaxProfileChain bounds the profiles one source_profile chain may visit.
// The SDK has no bound (a chain ends because a profile reached again loses
// its source_profile); each step is an STS call, so a longer chain is a
// mistake rather than a configuration.
const awsMaxProfileChain = 64

// awsProfile is one profile as the SDK's SharedConfig holds it after
// setFromIniSections (config/shared_config.go, config v1.33.19).
type awsProfile struct {
	name string

	creds     AWSCredentials // set only when both keys are non-empty
	accountID string

	roleARN, externalID, mfaSerial, roleSessionName string
	duration                                        time.Duration
	sourceProfile, credentialSource                 string
	credentialProcess, webIdentityTokenFile         string

	ssoSessionName                                    string
	ssoRegion, ssoStartURL, ssoAccountID, ssoRoleName string
	ssoSession                                        *awsSSOSession
	loginSession                                      string

	region                 string
	imdsEndpoint, imdsMode string
	imdsV1Disabled         *bool
	useFIPS, useDualStack  *bool
	maxAttempts            int
	retryMode              string
	caBundle               string
	ignoreEndpoints        *bool
	endpointURL            string
	servicesName           string
	services               map[string]map[string]string // services section: service key -> sub-properties
	source                 *awsProfile
}

// awsSSOSession is an [sso-session name] section.
type awsSSOSession struct {
	name, region, startURL, scopes string
}

// awsProfileLoader follows source_profile links through the merged sections.
type awsProfileLoader struct {
	sections awsINIFile
	seen     map[string]bool // the SDK's "profiles": visited at the top of setFromIniSections
	path     []string        // profiles followed, for loop errors
}

// errAWSProfileNotFound marks the top profile's absence, which LoadAWSConfig
// ignores unless the profile was named.
type errAWSProfileNotFound struct{ profile string }

func (e *errAWSProfileNotFound) Error() string { return "profile " + e.profile + " not found" }

// load is the SDK's setFromIniSections for one profile.
func (l *awsProfileLoader) load(name string) (*awsProfile, error) {
	section := l.sections[name]
	if section == nil {
		return nil, &errAWSProfileNotFound{profile: name}
	}
	if len(l.path) >= awsMaxProfileChain {
		return nil, &AWSConfigError{Profile: name, Key: awsKeySourceProfile,
			Rule: "source_profile chain is longer than " + strconv.Itoa(awsMaxProfileChain) + " profiles"}
	}
	l.path = append(l.path, name)
	p, err := awsProfileFromSection(name, section)
	if err != nil {
		return nil, err
	}
	if l.seen[name] {
		// Reached again: only its credentials count.
		p.roleARN, p.externalID, p.mfaSerial, p.roleSessionName, p.sourceProfile = "", "", "", "", ""
	} else if err := p.requireRoleARN(); err != nil {
		return nil, err
	}
	if len(l.seen) != 0 && p.hasKeys() {
		return p, nil // a source profile with keys ends the chain
	}
	l.seen[name] = true
	if err := p.checkOneCredentialType(); err != nil {
		return nil, err
	}
	if p.sourceProfile != "" {
		if err := l.linkSource(p); err != nil {
			return nil, err
		}
	}
	if p.ssoSessionName != "" {
		s := l.sections["sso-session "+strings.TrimSpace(p.ssoSessionName)]
		if s == nil {
			return nil, awsProfileError(p.name, awsKeySSOSession, "no [sso-session "+strings.TrimSpace(p.ssoSessionName)+"] section")
		}
		p.ssoSession = &awsSSOSession{name: p.ssoSessionName, region: s.str(awsKeySSORegion),
			startURL: s.str(awsKeySSOStartURL), scopes: s.str(awsKeySSOScopes)}
	}
	if p.servicesName != "" {
		if s := l.sections["services "+p.servicesName]; s != nil {
			p.services = map[string]map[string]string{}
			for k, v := range s.values {
				p.services[k] = v.sub
			}
		}
	}
	return p, nil
}

// linkSource loads p's source profile, dropping p's own credential options
// as the SDK does.
func (l *awsProfileLoader) linkSource(p *awsProfile) error {
	p.credentialSource, p.credentialProcess, p.webIdentityTokenFile = "", "", ""
	p.creds, p.accountID = AWSCredentials{}, ""
	p.ssoAccountID, p.ssoRegion, p.ssoRoleName, p.ssoStartURL = "", "", "", ""
	src, err := l.load(p.sourceProfile)
	if nf, ok := err.(*errAWSProfileNotFound); ok {
		return awsProfileError(p.name, awsKeySourceProfile, "source profile "+nf.profile+" does not exist")
	}
	if err != nil {
		return err
	}
	if !src.hasCredentials() {
		if i := awsIndex(l.path, src.name); i < len(l.path)-1 {
			return &AWSConfigError{Profile: p.name, Key: awsKeySourceProfile,
				Rule:  "source_profile loops back to " + src.name + ", which has no credentials of its own",
				Chain: append(append([]string(nil), l.path[i:len(l.path)-1]...), src.name)}
		}
		return awsProfileError(p.name, awsKeySourceProfile, "source profile "+src.name+" has no credentials")
	}
	p.source = src
	return nil
}

// awsIndex is the index of the first s in list, or len(list).
func awsIndex(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return len(list)
}

func (p *awsProfile) hasKeys() bool {
	return p.creds.AccessKeyID != "" && p.creds.SecretAccessKey != ""
}

func (p *awsProfile) hasLegacySSO() bool {
	return p.ssoRegion != "" || p.ssoAccountID != "" || p.ssoStartURL != "" || p.ssoRoleName != ""
}

// hasCredentials is the SDK's test of a usable source profile; it does not
// count login_session.
func (p *awsProfile) hasCredentials() bool {
	return p.sourceProfile != "" || p.credentialSource != "" || p.credentialProcess != "" ||
		p.webIdentityTokenFile != "" || p.ssoSessionName != "" || p.hasLegacySSO() || p.hasKeys()
}

// requireRoleARN: source_profile, credential_source and
// web_identity_token_file each need role_arn (the SDK's
// CredentialRequiresARNError).
func (p *awsProfile) requireRoleARN() error {
	key := ""
	switch {
	case p.sourceProfile != "":
		key = awsKeySourceProfile
	case p.credentialSource != "":
		key = awsKeyCredentialSource
	case p.webIdentityTokenFile != "":
		key = awsKeyWebIdentityTokenFile
	}
	if key != "" && p.roleARN == "" {
		return awsProfileError(p.name, key, "requires role_arn")
	}
	return nil
}

func (p *awsProfile) checkOneCredentialType() error {
	n := 0
	for _, v := range []string{p.sourceProfile, p.credentialSource, p.credentialProcess, p.webIdentityTokenFile} {
		if v != "" {
			n++
		}
	}
	if n > 1 {
		return awsProfileError(p.name, "",
			"only one of source_profile, credential_source, credential_process and web_identity_token_file may be set")
	}
	return nil
}

// awsProfileFromSection is the SDK's setFromIniSection: it reads one
// section's keys, refusing the values the SDK refuses while loading.
func awsProfileFromSection(name string, s *awsINISection) (*awsProfile, error) {
	if s.partial {
		return nil, awsProfileError(name, awsKeyAccessKeyID,
			"aws_access_key_id and aws_secret_access_key must be set together (partial credentials)")
	}
	p := &awsProfile{name: name}
	str := func(dst *string, key string) {
		if s.has(key) {
			*dst = s.str(key)
		}
	}
	str(&p.roleARN, awsKeyRoleARN)
	str(&p.externalID, awsKeyExternalID)
	str(&p.mfaSerial, awsKeyMFASerial)
	str(&p.roleSessionName, awsKeyRoleSessionName)
	str(&p.sourceProfile, awsKeySourceProfile)
	str(&p.credentialSource, awsKeyCredentialSource)
	str(&p.region, awsKeyRegion)
	str(&p.ssoSessionName, awsKeySSOSession)
	str(&p.ssoRegion, awsKeySSORegion)
	str(&p.ssoStartURL, awsKeySSOStartURL)
	str(&p.ssoAccountID, awsKeySSOAccountID)
	str(&p.ssoRoleName, awsKeySSORoleName)
	if s.has(awsKeyDurationSeconds) {
		// A value that is not an integer counts as 0, as in the SDK, and the
		// multiplication wraps as the SDK's time.Duration arithmetic does.
		n, _ := strconv.ParseInt(s.str(awsKeyDurationSeconds), 0, 64)
		p.duration = time.Duration(n) * time.Second
	}
	str(&p.credentialProcess, awsKeyCredentialProcess)
	str(&p.webIdentityTokenFile, awsKeyWebIdentityTokenFile)

	for _, c := range awsProfileChecks {
		if s.has(c.key) && !c.ok(s.str(c.key)) {
			return nil, awsProfileError(name, c.key, c.rule)
		}
	}
	if s.has(awsKeyIMDSEndpointMode) {
		p.imdsMode = awsIMDSMode(s.str(awsKeyIMDSEndpointMode))
	}
	str(&p.imdsEndpoint, awsKeyIMDSEndpoint)
	p.imdsV1Disabled = awsProfileBool(s, awsKeyIMDSV1Disabled)
	p.useDualStack = awsProfileBool(s, awsKeyUseDualStack)
	p.useFIPS = awsProfileBool(s, awsKeyUseFIPS)
	if s.has(awsKeyMaxAttempts) {
		n, _ := strconv.ParseInt(s.str(awsKeyMaxAttempts), 0, 64) // checked above
		p.maxAttempts = int(n)
	}
	str(&p.retryMode, awsKeyRetryMode)
	str(&p.caBundle, awsKeyCABundle)
	p.ignoreEndpoints = awsProfileBool(s, awsKeyIgnoreEndpoints)
	str(&p.endpointURL, awsKeyEndpointURL)

	ak, sk := s.str(awsKeyAccessKeyID), s.str(awsKeySecretAccessKey)
	if ak != "" && sk != "" {
		p.creds = AWSCredentials{AccessKeyID: ak, SecretAccessKey: sk, SessionToken: s.str(awsKeySessionToken),
			Source: "profile " + name + " in " + s.file[awsKeyAccessKeyID]}
		p.accountID = s.str(awsKeyAccountID)
	}
	str(&p.servicesName, awsKeyServices)
	str(&p.loginSession, awsKeyLoginSession)
	return p, nil
}

// awsProfileChecks are the profile values the SDK refuses while loading, in
// the order it checks them; those detach does not use are checked too.
var awsProfileChecks = []struct {
	key  string
	ok   func(string) bool
	rule string
}{
	{awsKeyIMDSEndpointMode, awsIsIMDSMode, awsRuleIMDSMode},
	{"defaults_mode", awsIsDefaultsMode, awsRuleDefaultsMode},
	{awsKeyMaxAttempts, awsIsProfileInt, "must be an integer"},
	{awsKeyRetryMode, awsIsRetryMode, awsRuleRetryMode},
	{"disable_request_compression", awsIsExactBool, "must be true or false (lower case)"},
	{"disable_clock_skew_correction", awsIsExactBool, "must be true or false (lower case)"},
	{"request_min_compression_size_bytes", func(v string) bool {
		n, err := strconv.ParseInt(v, 0, 64)
		return err == nil && n >= 0 && n <= 10485760
	}, "must be an integer from 0 to 10485760"},
	{"account_id_endpoint_mode", awsIsAccountIDEndpointMode, awsRuleAccountIDEndpointMode},
	{"request_checksum_calculation", awsIsChecksumMode, awsRuleChecksumMode},
	{"response_checksum_validation", awsIsChecksumMode, awsRuleChecksumMode},
}

// awsIsProfileInt is the SDK's profile integer: Go syntax with a base prefix.
func awsIsProfileInt(v string) bool { _, err := strconv.ParseInt(v, 0, 64); return err == nil }

func awsIsExactBool(v string) bool { return v == "true" || v == "false" }

// awsProfileBool is the SDK's lenient profile boolean: present and "true" in
// any case is true, present and anything else is false, absent is nil.
func awsProfileBool(s *awsINISection, key string) *bool {
	if !s.has(key) {
		return nil
	}
	b := strings.EqualFold(s.str(key), "true")
	return &b
}
