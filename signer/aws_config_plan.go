package signer

import (
	"strings"
	"time"
)

// AWSCredentialPlan is where aws-sdk-go-v2's config.LoadDefaultConfig
// (config v1.33.19, resolveCredentialChain) would take credentials from,
// given the environment and the shared files: a base step that yields
// credentials, then zero or more AssumeRole steps, each called with the
// credentials of the step before. It is data: nothing has been fetched,
// and executing it (STS, SSO, IMDS, container endpoints, processes) is the
// business of the network sources above the transport.
//
// The secrets it holds (static keys, a container authorization token) are
// redacted in every rendering by their own types.
type AWSCredentialPlan struct {
	// Profile is the selected profile, also when the environment's keys
	// are used.
	Profile string

	// Base yields the first credentials.
	Base AWSCredentialStep

	// AssumeRoles are applied in order: each is an STS AssumeRole call
	// signed with the credentials of the step before.
	AssumeRoles []AWSAssumeRoleStep

	// STS is the STS client's settings, for web identity and every
	// AssumeRole: the resolved region (AWS_REGION, AWS_DEFAULT_REGION, the
	// selected profile's region; not a source profile's), FIPS, dual-stack,
	// max attempts, and an endpoint only from AWS_ENDPOINT_URL_STS or the
	// services section, since the SDK builds this client before it applies
	// AWS_ENDPOINT_URL and the profile's endpoint_url.
	STS AWSSettings
}

// AWSCredentialKind is the kind of a plan's base step.
type AWSCredentialKind string

// The kinds of base step, in the order the SDK's profile resolution tries
// them (the environment's keys and web identity come before a profile
// unless the profile was chosen in code).
const (
	// AWSKindEnvironment: AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY) and
	// AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY), with AWS_SESSION_TOKEN and
	// AWS_ACCOUNT_ID; also a profile's credential_source = Environment,
	// where the keys may be empty and executing the step must then fail.
	AWSKindEnvironment AWSCredentialKind = "environment"
	// AWSKindProfile: aws_access_key_id and aws_secret_access_key of a
	// profile, with aws_session_token and aws_account_id.
	AWSKindProfile AWSCredentialKind = "profile"
	// AWSKindWebIdentity: STS AssumeRoleWithWebIdentity with a token file.
	AWSKindWebIdentity AWSCredentialKind = "web_identity"
	// AWSKindSSO: IAM Identity Center (SSO) role credentials from the
	// cached token of "aws sso login".
	AWSKindSSO AWSCredentialKind = "sso"
	// AWSKindLogin: the cached credentials of "aws login" (login_session).
	AWSKindLogin AWSCredentialKind = "login"
	// AWSKindProcess: credential_process.
	AWSKindProcess AWSCredentialKind = "process"
	// AWSKindContainer: the ECS or EKS Pod Identity container endpoint.
	AWSKindContainer AWSCredentialKind = "container"
	// AWSKindIMDS: the EC2 instance metadata service.
	AWSKindIMDS AWSCredentialKind = "imds"
)

// AWSCredentialStep is a plan's base step: Kind says which one of the
// pointer fields is set (Static for both AWSKindEnvironment and
// AWSKindProfile).
type AWSCredentialStep struct {
	Kind AWSCredentialKind
	// Profile is the profile whose settings chose this step; empty when the
	// environment chose it without a profile.
	Profile string

	Static      *AWSStaticStep
	WebIdentity *AWSWebIdentityStep
	SSO         *AWSSSOStep
	Login       *AWSLoginStep
	Process     *AWSProcessStep
	Container   *AWSContainerStep
	IMDS        *AWSIMDSConfig
}

// AWSStaticStep is a key pair read from the environment or a profile.
type AWSStaticStep struct {
	Credentials AWSCredentials // redacted when rendered
	AccountID   string         // AWS_ACCOUNT_ID or aws_account_id, if set
}

// AWSWebIdentityStep is STS AssumeRoleWithWebIdentity (unsigned), from
// AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME or a
// profile's web_identity_token_file, role_arn and role_session_name.
type AWSWebIdentityStep struct {
	TokenFile string // read again at every refresh; sent unchanged
	RoleARN   string
	// RoleSessionName is empty when not configured: the SDK then sends the
	// decimal UnixNano of the call.
	RoleSessionName string
}

// AWSSSOStep is IAM Identity Center (SSO) role credentials: the cached
// access token, refreshed through SSO OIDC CreateToken when SessionName is
// set and the token has expired, then the portal's GetRoleCredentials.
type AWSSSOStep struct {
	// SessionName is the profile's sso_session; empty for the legacy form
	// (sso_start_url and sso_region in the profile), which never refreshes.
	SessionName string
	// StartURL is the sso-session's sso_start_url (legacy: the profile's).
	StartURL string
	// Region is the sso-session's sso_region (legacy: the profile's); the
	// portal and OIDC clients use it, not the config region.
	Region string
	// AccountID and RoleName are the profile's sso_account_id and
	// sso_role_name. The SDK does not require them with sso_session; empty
	// values go to the portal as they are.
	AccountID, RoleName string
	// RegistrationScopes is the sso-session's sso_registration_scopes,
	// split at commas (the SDK does not use it when refreshing).
	RegistrationScopes []string
	// TokenCacheFile is ~/.aws/sso/cache/<hex SHA-1 of SessionName, or of
	// StartURL in the legacy form>.json, as ssocreds computes it.
	TokenCacheFile string
	// Portal and OIDC are the settings of the "SSO" and "SSO OIDC" clients
	// (OIDC only with SessionName), with Region as their region.
	Portal, OIDC AWSSettings
}

// AWSLoginStep is the cached credentials of "aws login", refreshed through
// the sign-in service (login_session).
type AWSLoginStep struct {
	// Session is the profile's login_session.
	Session string
	// CacheFile is <AWS_LOGIN_CACHE_DIRECTORY or ~/.aws/login/cache>/<hex
	// SHA-256 of the trimmed session>.json, as logincreds computes it.
	CacheFile string
	// UnrestrictedFilePermissions is AWS_RESTRICT_FILE_PERMISSIONS =
	// unrestricted: a cache file the refresh has to create anew gets 0666
	// (less the umask) instead of 0600; an existing one keeps its
	// permissions either way, as with aws-sdk-go-v2.
	UnrestrictedFilePermissions bool
	// Signin is the "Signin" client's settings; the cached token's
	// signInRegion, when present, replaces its region.
	Signin AWSSettings
}

// AWSProcessStep is credential_process.
type AWSProcessStep struct {
	// Command is the command line as written; the SDK runs it with
	// "sh -c" (Windows: "cmd.exe /C").
	Command string
}

// AWSAssumeRoleStep is one STS AssumeRole call, from a profile's role_arn.
type AWSAssumeRoleStep struct {
	Profile string // the profile with the role_arn
	RoleARN string
	// RoleSessionName is empty when not configured: the SDK then sends
	// "aws-go-sdk-<UnixNano>".
	RoleSessionName string
	ExternalID      string
	// Duration is duration_seconds when it is more than 15 whole minutes;
	// otherwise 0, and the SDK's default of 15 minutes applies.
	Duration time.Duration
	// MFASerial is mfa_serial. The SDK needs a token code provider set in
	// code for it and refuses the profile otherwise; an executor without
	// one must refuse it too, before any call.
	MFASerial string
}

// CredentialPlan resolves the credential chain of aws-sdk-go-v2's
// config.LoadDefaultConfig (config v1.33.19, resolveCredentialChain and
// resolveCredsFromProfile) into a plan:
//
//  1. With AWSConfigSource.Profile set, only the profile (steps 4 on).
//  2. The environment's keys, when both are set.
//  3. AWS_WEB_IDENTITY_TOKEN_FILE, with AWS_ROLE_ARN (required) and
//     AWS_ROLE_SESSION_NAME.
//  4. The profile, whose first matching case wins: source_profile
//     (followed), static keys, credential_source (Environment,
//     Ec2InstanceMetadata, EcsContainer), web_identity_token_file,
//     sso_session or the legacy sso_* keys, login_session,
//     credential_process, then AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
//     AWS_CONTAINER_CREDENTIALS_FULL_URI, and else IMDS.
//
// Every profile in a source_profile chain that has role_arn adds an
// AssumeRole step, innermost first, except the one whose role is used by
// web_identity_token_file. Errors are *AWSConfigError, as the SDK's are
// errors of LoadDefaultConfig: an unknown credential_source, EcsContainer
// without a container URI, a container URI the SDK does not allow, web
// identity without a role ARN, an incomplete or inconsistent SSO profile,
// an unknown home directory for a token cache.
func (c *AWSConfig) CredentialPlan() (*AWSCredentialPlan, error) {
	plan := &AWSCredentialPlan{Profile: c.Profile, STS: c.settings("STS", true)}
	var err error
	switch {
	case c.codeProfile:
		err = c.planProfile(plan, c.profileOrEmpty())
	case c.env.creds.AccessKeyID != "":
		plan.Base = AWSCredentialStep{Kind: AWSKindEnvironment,
			Static: &AWSStaticStep{Credentials: c.env.creds, AccountID: c.env.accountID}}
	case c.env.webIdentityTokenFile != "":
		if c.env.roleARN == "" {
			return nil, awsEnvError(awsEnvRoleARN, "must be set with "+awsEnvWebIdentityTokenFile)
		}
		plan.Base = AWSCredentialStep{Kind: AWSKindWebIdentity, WebIdentity: &AWSWebIdentityStep{
			TokenFile: c.env.webIdentityTokenFile, RoleARN: c.env.roleARN, RoleSessionName: c.env.roleSessionName}}
	default:
		err = c.planProfile(plan, c.profileOrEmpty())
	}
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// planProfile is the SDK's resolveCredsFromProfile for profile p. Its
// recursion follows the source chain, which LoadAWSConfig has bounded.
func (c *AWSConfig) planProfile(plan *AWSCredentialPlan, p *awsProfile) error {
	step := AWSCredentialStep{Profile: p.name}
	switch {
	case p.source != nil:
		if err := c.planProfile(plan, p.source); err != nil {
			return err
		}
		step = plan.Base
	case p.hasKeys():
		step.Kind, step.Static = AWSKindProfile, &AWSStaticStep{Credentials: p.creds, AccountID: p.accountID}
	case p.credentialSource != "":
		if err := c.planCredentialSource(&step, p); err != nil {
			return err
		}
	case p.webIdentityTokenFile != "":
		if p.roleARN == "" { // a profile reached again has lost its role_arn
			return awsProfileError(p.name, awsKeyWebIdentityTokenFile, "requires role_arn")
		}
		plan.Base = AWSCredentialStep{Kind: AWSKindWebIdentity, Profile: p.name, WebIdentity: &AWSWebIdentityStep{
			TokenFile: p.webIdentityTokenFile, RoleARN: p.roleARN, RoleSessionName: p.roleSessionName}}
		return nil // its role_arn is the web identity's, not an AssumeRole
	case p.ssoSessionName != "" || p.hasLegacySSO():
		sso, err := c.ssoStep(p)
		if err != nil {
			return err
		}
		step.Kind, step.SSO = AWSKindSSO, sso
	case p.loginSession != "":
		login, err := c.loginStep(p)
		if err != nil {
			return err
		}
		step.Kind, step.Login = AWSKindLogin, login
	case p.credentialProcess != "":
		step.Kind, step.Process = AWSKindProcess, &AWSProcessStep{Command: p.credentialProcess}
	case c.env.containerRelativeURI != "" || c.env.containerFullURI != "":
		container, err := c.ContainerCredentials()
		if err != nil {
			return err
		}
		step.Kind, step.Container = AWSKindContainer, container
	default:
		imds := c.IMDS
		step.Kind, step.IMDS = AWSKindIMDS, &imds
	}
	plan.Base = step
	if p.roleARN != "" {
		ar := AWSAssumeRoleStep{Profile: p.name, RoleARN: p.roleARN, RoleSessionName: p.roleSessionName,
			ExternalID: p.externalID, MFASerial: p.mfaSerial}
		if p.duration/time.Minute > 15 {
			ar.Duration = p.duration
		}
		plan.AssumeRoles = append(plan.AssumeRoles, ar)
	}
	return nil
}

// planCredentialSource is the SDK's resolveCredsFromSource.
func (c *AWSConfig) planCredentialSource(step *AWSCredentialStep, p *awsProfile) error {
	switch p.credentialSource {
	case "Ec2InstanceMetadata":
		imds := c.IMDS
		step.Kind, step.IMDS = AWSKindIMDS, &imds
	case "Environment":
		step.Kind, step.Static = AWSKindEnvironment, &AWSStaticStep{Credentials: c.env.creds, AccountID: c.env.accountID}
	case "EcsContainer":
		container, err := c.ContainerCredentials()
		if err != nil {
			return err
		}
		if container == nil {
			return awsProfileError(p.name, awsKeyCredentialSource,
				"EcsContainer needs "+awsEnvContainerRelativeURI+" or "+awsEnvContainerFullURI)
		}
		step.Kind, step.Container = AWSKindContainer, container
	default:
		return awsProfileError(p.name, awsKeyCredentialSource, "must be EcsContainer, Ec2InstanceMetadata or Environment")
	}
	return nil
}

// String summarises the plan in one line, without secrets or the process
// command line.
func (p AWSCredentialPlan) String() string {
	var b strings.Builder
	b.WriteString(p.Base.String())
	for _, ar := range p.AssumeRoles {
		b.WriteString(" -> assume role ")
		b.WriteString(ar.RoleARN)
		b.WriteString(" (profile ")
		b.WriteString(ar.Profile)
		b.WriteString(")")
	}
	return b.String()
}

// String summarises the step without secrets or the process command line.
func (s AWSCredentialStep) String() string {
	var d string
	switch {
	case s.Static != nil && s.Kind == AWSKindEnvironment:
		d = "environment keys"
	case s.Static != nil:
		d = "static keys"
	case s.WebIdentity != nil:
		d = "web identity for role " + s.WebIdentity.RoleARN + " with token file " + s.WebIdentity.TokenFile
	case s.SSO != nil:
		d = "SSO role " + s.SSO.RoleName + " in account " + s.SSO.AccountID
		if s.SSO.SessionName != "" {
			d += " (sso-session " + s.SSO.SessionName + ")"
		}
	case s.Login != nil:
		d = "login session " + s.Login.Session
	case s.Process != nil:
		d = "credential_process"
	case s.Container != nil:
		d = "container endpoint " + s.Container.URL
	case s.IMDS != nil:
		d = "EC2 instance metadata at " + s.IMDS.EndpointURL()
		if s.IMDS.Disabled {
			d += " (disabled)"
		}
	default:
		d = "no source"
	}
	if s.Profile != "" {
		d += " (profile " + s.Profile + ")"
	}
	return d
}
