package signer

import (
	"strconv"
	"strings"
)

// Environment variables read by LoadAWSConfig, named as aws-sdk-go-v2's
// config/env_config.go (config v1.33.19) names them.
const (
	awsEnvAccessKey                = "AWS_ACCESS_KEY" // fallback for AWS_ACCESS_KEY_ID
	awsEnvSecretKey                = "AWS_SECRET_KEY" // fallback for AWS_SECRET_ACCESS_KEY
	awsEnvAccountID                = "AWS_ACCOUNT_ID"
	awsEnvDefaultProfile           = "AWS_DEFAULT_PROFILE"
	awsEnvConfigFile               = "AWS_CONFIG_FILE"
	awsEnvRegion                   = "AWS_REGION"
	awsEnvDefaultRegion            = "AWS_DEFAULT_REGION"
	awsEnvCABundle                 = "AWS_CA_BUNDLE"
	awsEnvWebIdentityTokenFile     = "AWS_WEB_IDENTITY_TOKEN_FILE"
	awsEnvRoleARN                  = "AWS_ROLE_ARN"
	awsEnvRoleSessionName          = "AWS_ROLE_SESSION_NAME"
	awsEnvContainerRelativeURI     = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
	awsEnvContainerFullURI         = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	awsEnvContainerAuthToken       = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
	awsEnvContainerAuthTokenFile   = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
	awsEnvIMDSDisabled             = "AWS_EC2_METADATA_DISABLED"
	awsEnvIMDSEndpoint             = "AWS_EC2_METADATA_SERVICE_ENDPOINT"
	awsEnvIMDSEndpointMode         = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"
	awsEnvIMDSV1Disabled           = "AWS_EC2_METADATA_V1_DISABLED"
	awsEnvUseFIPS                  = "AWS_USE_FIPS_ENDPOINT"
	awsEnvUseDualStack             = "AWS_USE_DUALSTACK_ENDPOINT"
	awsEnvMaxAttempts              = "AWS_MAX_ATTEMPTS"
	awsEnvRetryMode                = "AWS_RETRY_MODE"
	awsEnvEndpointURL              = "AWS_ENDPOINT_URL"
	awsEnvIgnoreConfiguredEndpoint = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
	awsEnvLoginCacheDirectory      = "AWS_LOGIN_CACHE_DIRECTORY"
	awsEnvRestrictFilePermissions  = "AWS_RESTRICT_FILE_PERMISSIONS"
)

// awsEnvConfig is what the SDK's NewEnvConfig reads, as far as detach uses
// it. An empty variable counts as unset throughout, as there.
type awsEnvConfig struct {
	creds     AWSCredentials // set only when both keys are non-empty
	accountID string

	profile                 string // AWS_PROFILE, then AWS_DEFAULT_PROFILE
	configFile, credentials string
	region, regionVar       string // regionVar names the variable region came from
	caBundle                string

	webIdentityTokenFile, roleARN, roleSessionName string

	containerRelativeURI, containerFullURI, containerAuthToken string

	imdsDisabled   bool
	imdsEndpoint   string
	imdsMode       string // "", "IPv4" or "IPv6"
	imdsV1Disabled *bool

	useFIPS, useDualStack *bool
	maxAttempts           int // 0: unset
	retryMode             string
	endpointURL           string
	ignoreEndpoints       *bool
	unrestrictedFiles     bool // AWS_RESTRICT_FILE_PERMISSIONS=unrestricted
}

// awsEnvChecks are the variables whose value the SDK checks while loading,
// in the order it checks them. Those detach does not use are checked too, so
// that an environment the SDK refuses is refused here as well.
var awsEnvChecks = []struct {
	name string
	ok   func(string) bool
	rule string
}{
	{"AWS_DISABLE_REQUEST_COMPRESSION", awsIsBool, awsRuleBool},
	{"AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", awsIsCompressionSize, "must be an integer from 0 to 10485760"},
	{"AWS_DISABLE_CLOCK_SKEW_CORRECTION", awsIsBool, awsRuleBool},
	{"AWS_ENABLE_ENDPOINT_DISCOVERY", func(v string) bool { return awsIsBool(v) || strings.EqualFold(v, "auto") }, "must be true, false or auto"},
	{"AWS_S3_USE_ARN_REGION", awsIsBool, awsRuleBool},
	{awsEnvIMDSEndpointMode, awsIsIMDSMode, awsRuleIMDSMode},
	{awsEnvIMDSV1Disabled, awsIsBool, awsRuleBool},
	{"AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS", awsIsBool, awsRuleBool},
	{awsEnvUseDualStack, awsIsBool, awsRuleBool},
	{awsEnvUseFIPS, awsIsBool, awsRuleBool},
	{"AWS_DEFAULTS_MODE", awsIsDefaultsMode, awsRuleDefaultsMode},
	{awsEnvMaxAttempts, func(v string) bool { _, err := strconv.ParseInt(v, 10, 64); return err == nil }, "must be a decimal integer"},
	{awsEnvRetryMode, awsIsRetryMode, awsRuleRetryMode},
	{awsEnvIgnoreConfiguredEndpoint, awsIsBool, awsRuleBool},
	{"AWS_S3_DISABLE_EXPRESS_SESSION_AUTH", awsIsBool, awsRuleBool},
	{"AWS_ACCOUNT_ID_ENDPOINT_MODE", awsIsAccountIDEndpointMode, awsRuleAccountIDEndpointMode},
	{"AWS_REQUEST_CHECKSUM_CALCULATION", awsIsChecksumMode, awsRuleChecksumMode},
	{"AWS_RESPONSE_CHECKSUM_VALIDATION", awsIsChecksumMode, awsRuleChecksumMode},
	{awsEnvRestrictFilePermissions, func(v string) bool {
		return strings.EqualFold(v, "user_read_write") || strings.EqualFold(v, "unrestricted")
	}, "must be user_read_write or unrestricted"},
}

// loadAWSEnv reads and checks the environment.
func loadAWSEnv(get func(string) string) (awsEnvConfig, error) {
	for _, c := range awsEnvChecks {
		if v := get(c.name); v != "" && !c.ok(v) {
			return awsEnvConfig{}, awsEnvError(c.name, c.rule)
		}
	}
	first := func(names ...string) string {
		for _, n := range names {
			if v := get(n); v != "" {
				return v
			}
		}
		return ""
	}
	e := awsEnvConfig{
		profile:              first(awsEnvProfile, awsEnvDefaultProfile),
		configFile:           get(awsEnvConfigFile),
		credentials:          get(awsEnvCredentialsFile),
		caBundle:             get(awsEnvCABundle),
		webIdentityTokenFile: get(awsEnvWebIdentityTokenFile),
		roleARN:              get(awsEnvRoleARN),
		roleSessionName:      get(awsEnvRoleSessionName),
		containerRelativeURI: get(awsEnvContainerRelativeURI),
		containerFullURI:     get(awsEnvContainerFullURI),
		containerAuthToken:   get(awsEnvContainerAuthToken),
		imdsDisabled:         strings.EqualFold(get(awsEnvIMDSDisabled), "true"),
		imdsEndpoint:         get(awsEnvIMDSEndpoint),
		imdsMode:             awsIMDSMode(get(awsEnvIMDSEndpointMode)),
		imdsV1Disabled:       awsEnvBool(get(awsEnvIMDSV1Disabled)),
		useFIPS:              awsEnvBool(get(awsEnvUseFIPS)),
		useDualStack:         awsEnvBool(get(awsEnvUseDualStack)),
		retryMode:            get(awsEnvRetryMode),
		endpointURL:          get(awsEnvEndpointURL),
		ignoreEndpoints:      awsEnvBool(get(awsEnvIgnoreConfiguredEndpoint)),
		unrestrictedFiles:    strings.EqualFold(get(awsEnvRestrictFilePermissions), "unrestricted"),
	}
	for _, name := range []string{awsEnvRegion, awsEnvDefaultRegion} {
		if v := get(name); v != "" {
			e.region, e.regionVar = v, name
			break
		}
	}
	if v := get(awsEnvMaxAttempts); v != "" {
		n, _ := strconv.ParseInt(v, 10, 64) // checked above
		e.maxAttempts = int(n)
	}
	ak, sk := first(awsEnvAccessKeyID, awsEnvAccessKey), first(awsEnvSecretAccessKey, awsEnvSecretKey)
	if ak != "" && sk != "" {
		e.creds = AWSCredentials{AccessKeyID: ak, SecretAccessKey: sk, SessionToken: get(awsEnvSessionToken), Source: "environment"}
		e.accountID = get(awsEnvAccountID)
	}
	return e, nil
}

const (
	awsRuleBool                  = "must be true or false"
	awsRuleIMDSMode              = "must be IPv4 or IPv6"
	awsRuleDefaultsMode          = "must be auto, cross-region, in-region, legacy, mobile or standard"
	awsRuleRetryMode             = "must be standard or adaptive"
	awsRuleAccountIDEndpointMode = "must be preferred, required or disabled"
	awsRuleChecksumMode          = "must be when_supported or when_required"
)

// awsIsBool is the SDK's environment boolean: true or false in any case.
func awsIsBool(v string) bool { return strings.EqualFold(v, "true") || strings.EqualFold(v, "false") }

// awsEnvBool is a checked environment boolean; nil when unset.
func awsEnvBool(v string) *bool {
	if v == "" {
		return nil
	}
	b := strings.EqualFold(v, "true")
	return &b
}

func awsIsIMDSMode(v string) bool {
	v = strings.TrimSpace(v)
	return v == "" || strings.EqualFold(v, "IPv4") || strings.EqualFold(v, "IPv6")
}

// awsIMDSMode normalises a checked endpoint mode; blank means unset.
func awsIMDSMode(v string) string {
	switch v = strings.TrimSpace(v); {
	case strings.EqualFold(v, "IPv6"):
		return "IPv6"
	case strings.EqualFold(v, "IPv4"):
		return "IPv4"
	}
	return ""
}

func awsIsDefaultsMode(v string) bool {
	for _, m := range []string{"auto", "cross-region", "in-region", "legacy", "mobile", "standard", ""} {
		if strings.EqualFold(v, m) {
			return true
		}
	}
	return false
}

func awsIsRetryMode(v string) bool { return v == "standard" || v == "adaptive" }

func awsIsAccountIDEndpointMode(v string) bool {
	return v == "preferred" || v == "required" || v == "disabled"
}

func awsIsChecksumMode(v string) bool {
	return strings.EqualFold(v, "when_supported") || strings.EqualFold(v, "when_required")
}

func awsIsCompressionSize(v string) bool {
	n, err := strconv.ParseInt(v, 10, 64)
	return err == nil && n >= 0 && n <= 10485760
}
