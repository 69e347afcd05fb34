package awscreds

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/detach-go/detach/internal/awsclient"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// DefaultChainOptions configures NewDefaultChain. The zero value reads the
// process environment and ~/.aws, as config.LoadDefaultConfig does without
// options.
type DefaultChainOptions struct {
	// Config says where the environment and the shared files are read
	// (LookupEnv, HomeDir, a profile chosen in code, file paths); see
	// signer.AWSConfigSource. An injected LookupEnv is not passed to a
	// credential_process, which gets this program's environment.
	Config signer.AWSConfigSource

	// Settings are the transport settings of every source that calls a
	// service (STS, SSO, sign-in, container endpoint, instance metadata):
	// HTTP client, logger, retries, clock. Retry.MaxAttempts, when 0, is
	// taken from AWS_MAX_ATTEMPTS or max_attempts, as the SDK's credential
	// clients take it; a nil HTTPClient, with AWS_CA_BUNDLE or ca_bundle
	// set, is one that trusts that bundle only (not for instance
	// metadata, which is plain http and keeps its short timeouts).
	Settings transport.Settings

	// ProcessTimeout and ProcessStderr configure a credential_process run
	// (see ProcessConfig); zero values mean its defaults.
	ProcessTimeout time.Duration
	ProcessStderr  io.Writer

	// Cache are options of the signer.AWSCredentialsCache the chain is
	// wrapped in (refresh window, clock, logger).
	Cache []signer.AWSCacheOption

	// Login builds the source of a profile with login_session (`aws
	// login`): set it to LoginSource to use such profiles. Left nil,
	// NewDefaultChain refuses a plan that chooses one, naming the profile
	// and this field. It is a choice rather than the default because the
	// sign-in service's DPoP proofs need ECDSA signing, which TLS does not
	// link: about 135 KB of binary (measured 2026-12-03), more than any
	// other source, for a sign-in that people make at a console, not
	// where jobs run. aws-sdk-go-v2 (config v1.33.19) reads such profiles
	// by default; this is a deliberate difference.
	Login func(LoginConfig) (signer.AWSCredentialsProvider, error)
}

// LoginSource is NewLoginProvider as DefaultChainOptions.Login takes it:
// DefaultChainOptions{Login: awscreds.LoginSource}.
func LoginSource(cfg LoginConfig) (signer.AWSCredentialsProvider, error) {
	p, err := NewLoginProvider(cfg)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// NewDefaultChain is the counterpart of aws-sdk-go-v2's
// config.LoadDefaultConfig credential chain (config v1.33.19): it loads the
// environment and shared files with signer.LoadAWSConfig, resolves the one
// source the SDK would choose with CredentialPlan (environment keys, web
// identity, then the profile: source_profile chains, static keys,
// credential_source, web identity, SSO, login, credential_process, the
// container endpoint, else EC2 instance metadata), builds that source's
// provider and one AssumeRoleProvider per role in the chain (signed with
// the layer below, sent to the STS region and endpoint of the plan), and
// returns them behind a signer.AWSCredentialsCache, which refreshes once
// for all callers before expiry.
//
// Configuration errors come back now, before any traffic: a
// *signer.AWSConfigError for what the SDK refuses while loading, or an
// *Error naming the field (a profile with mfa_serial is refused, as
// nothing here can prompt for a code; build NewAssumeRoleProvider with a
// TokenCode instead; a login_session profile without
// DefaultChainOptions.Login is refused, a deliberate difference from the
// SDK explained there). A source that calls STS without a region to send
// to is refused here too, where the SDK fails at the first retrieval. When
// the plan falls through to instance metadata and that has no credentials
// either, RetrieveAWS returns a
// *NoCredentialsError listing every source tried and why it did not
// apply; it wraps signer.ErrNoCredentials.
//
// Nothing is fetched until the first RetrieveAWS. Files the plan names
// (token files, SSO and login caches) are read at every refresh.
func NewDefaultChain(opts DefaultChainOptions) (signer.AWSCredentialsProvider, error) {
	cfg, err := signer.LoadAWSConfig(opts.Config)
	if err != nil {
		return nil, fmt.Errorf("awscreds: default credential chain: %w", err)
	}
	plan, err := cfg.CredentialPlan()
	if err != nil {
		return nil, fmt.Errorf("awscreds: default credential chain: %w", err)
	}
	imds := opts.Settings // IMDS keeps its own short-timeout client
	if opts.Settings.HTTPClient == nil && plan.STS.CABundle != "" {
		// The SDK's credential clients share its HTTP client, and with it
		// the bundle's root pool.
		if opts.Settings.HTTPClient, err = awsclient.CABundleClient(plan.STS.CABundle); err != nil {
			return nil, &Error{Source: "DefaultChain", Reason: "invalid configuration", Err: err}
		}
	}
	p, err := planProvider(cfg, plan, opts, imds)
	if err != nil {
		return nil, err
	}
	return signer.NewAWSCredentialsCache(p, opts.Cache...), nil
}

// planProvider executes plan: the base step's provider, then one
// AssumeRole layer per role, innermost first.
func planProvider(cfg *signer.AWSConfig, plan *signer.AWSCredentialPlan, opts DefaultChainOptions, imds transport.Settings) (signer.AWSCredentialsProvider, error) {
	p, err := stepProvider(plan, opts, imds)
	if err != nil {
		return nil, err
	}
	if plan.Base.Kind == signer.AWSKindIMDS && len(plan.AssumeRoles) == 0 {
		// Only the fall-through reaches IMDS without a role: with
		// credential_source = Ec2InstanceMetadata, role_arn is required.
		p = &chainNotFound{described: described{"awscreds.DefaultChain{" + nameOf(p) + "}"},
			imds: p, tried: triedSources(cfg, opts.Config)}
	}
	sts := withMaxAttempts(opts.Settings, plan.STS.MaxAttempts)
	for _, ar := range plan.AssumeRoles {
		if ar.MFASerial != "" {
			return nil, invalid(SourceAssumeRole, "mfa_serial",
				"of profile "+ar.Profile+" needs an MFA code the default chain cannot ask for: use NewAssumeRoleProvider with TokenCode")
		}
		p, err = NewAssumeRoleProvider(AssumeRoleConfig{Source: p, RoleARN: ar.RoleARN, RoleSessionName: ar.RoleSessionName,
			Duration: ar.Duration, ExternalID: ar.ExternalID, Region: plan.STS.Region, Endpoint: plan.STS.BaseEndpoint,
			UseFIPS: plan.STS.UseFIPS, UseDualStack: plan.STS.UseDualStack, Settings: sts})
		if err != nil {
			return nil, err
		}
	}
	return p, nil
}

// stepProvider builds the provider of the plan's base step.
func stepProvider(plan *signer.AWSCredentialPlan, opts DefaultChainOptions, imds transport.Settings) (signer.AWSCredentialsProvider, error) {
	s := plan.Base
	switch {
	case s.Static != nil:
		name := "EnvConfigCredentials" // the SDK's Source names
		if s.Kind == signer.AWSKindProfile {
			name = "SharedConfigCredentials"
		}
		return &staticStep{described: described{"awscreds.Static{" + name + " " + s.Static.Credentials.AccessKeyID + "}"},
			name: name, creds: s.Static.Credentials}, nil
	case s.WebIdentity != nil:
		w := s.WebIdentity
		return NewWebIdentityProvider(WebIdentityConfig{RoleARN: w.RoleARN, TokenFile: w.TokenFile,
			RoleSessionName: w.RoleSessionName, Region: plan.STS.Region, Endpoint: plan.STS.BaseEndpoint,
			UseFIPS: plan.STS.UseFIPS, UseDualStack: plan.STS.UseDualStack,
			Settings: withMaxAttempts(opts.Settings, plan.STS.MaxAttempts)})
	case s.SSO != nil:
		o := s.SSO
		return NewSSOProvider(SSOConfig{AccountID: o.AccountID, RoleName: o.RoleName, Region: o.Region,
			TokenFile: o.TokenCacheFile, Refresh: o.SessionName != "", Endpoint: o.Portal.BaseEndpoint,
			OIDCEndpoint: o.OIDC.BaseEndpoint, UseFIPS: o.Portal.UseFIPS, UseDualStack: o.Portal.UseDualStack,
			Settings: withMaxAttempts(opts.Settings, o.Portal.MaxAttempts)})
	case s.Login != nil:
		if opts.Login == nil {
			return nil, invalid("DefaultChain", "DefaultChainOptions.Login", "must be set (to awscreds.LoginSource) to use profile "+
				s.Profile+", which signs in with `aws login` (login_session "+s.Login.Session+")")
		}
		return opts.Login(LoginConfig{TokenFile: s.Login.CacheFile, Region: s.Login.Signin.Region,
			Endpoint: s.Login.Signin.BaseEndpoint, Settings: withMaxAttempts(opts.Settings, s.Login.Signin.MaxAttempts),
			UnrestrictedFilePermissions: s.Login.UnrestrictedFilePermissions})
	case s.Process != nil:
		return NewProcessProvider(ProcessConfig{Command: s.Process.Command, Timeout: opts.ProcessTimeout, Stderr: opts.ProcessStderr})
	case s.Container != nil:
		c := s.Container
		return NewContainerProvider(ContainerConfig{FullURI: c.URL, AuthorizationToken: c.AuthToken,
			AuthorizationTokenFile: c.AuthTokenFile, Settings: opts.Settings})
	case s.IMDS != nil:
		return NewIMDSProvider(IMDSConfig{Disabled: s.IMDS.Disabled, Endpoint: s.IMDS.Endpoint,
			EndpointMode: s.IMDS.EndpointMode, DisableV1Fallback: s.IMDS.V1Disabled, Settings: imds})
	}
	return nil, &Error{Source: "DefaultChain", Reason: "the credential plan has no source (" + s.String() + ")"}
}

// withMaxAttempts fills Retry.MaxAttempts from the configuration when the
// caller left it 0; a negative configured value is ignored.
func withMaxAttempts(s transport.Settings, configured int) transport.Settings {
	if s.Retry.MaxAttempts == 0 && configured > 0 {
		s.Retry.MaxAttempts = configured
	}
	return s
}

// staticStep returns the keys of the environment or a profile. A profile's
// credential_source = Environment may find the environment without keys:
// then every call fails, as the SDK's does.
type staticStep struct {
	described
	name  string
	creds signer.AWSCredentials
}

func (p *staticStep) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	if err := checkContext(ctx, p.name); err != nil {
		return signer.AWSCredentials{}, err
	}
	if p.creds.AccessKeyID == "" || p.creds.SecretAccessKey == "" {
		return signer.AWSCredentials{}, &Error{Source: p.name,
			Reason: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set", noCredentials: true}
	}
	c := p.creds
	c.Source = p.name
	return c, nil
}

// TriedSource is one source NewDefaultChain's plan considered, and why it
// gave no credentials.
type TriedSource struct {
	Source, Reason string
}

// NoCredentialsError is the default chain's answer when no source has
// credentials: every source considered, in order, with why it did not
// apply; the last is EC2 instance metadata, whose error is Err. It never
// holds a secret. errors.Is(err, signer.ErrNoCredentials) holds.
type NoCredentialsError struct {
	Tried []TriedSource
	Err   error
}

func (e *NoCredentialsError) Error() string {
	s := "awscreds: no AWS credentials found; tried"
	for i, t := range e.Tried {
		if i > 0 {
			s += ";"
		}
		s += " " + t.Source + ": " + t.Reason
	}
	return s
}

// Unwrap returns signer.ErrNoCredentials and the instance metadata error.
func (e *NoCredentialsError) Unwrap() []error {
	out := []error{signer.ErrNoCredentials}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// chainNotFound is the fall-through to instance metadata: its failure
// becomes a NoCredentialsError listing the sources passed over.
type chainNotFound struct {
	described
	imds  signer.AWSCredentialsProvider
	tried []TriedSource
}

func (p *chainNotFound) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	c, err := p.imds.RetrieveAWS(ctx)
	if err == nil || (ctx != nil && ctx.Err() != nil) {
		return c, err
	}
	tried := append(append([]TriedSource(nil), p.tried...), TriedSource{"EC2 instance metadata", err.Error()})
	return signer.AWSCredentials{}, &NoCredentialsError{Tried: tried, Err: err}
}

// triedSources says why each source before instance metadata did not
// apply, from the configuration the plan was made of.
func triedSources(cfg *signer.AWSConfig, src signer.AWSConfigSource) []TriedSource {
	var out []TriedSource
	if src.Profile != "" {
		skip := "skipped: profile " + src.Profile + " was chosen in code"
		out = append(out, TriedSource{"environment keys", skip}, TriedSource{"web identity", skip})
	} else {
		out = append(out, TriedSource{"environment keys", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set"},
			TriedSource{"web identity", "AWS_WEB_IDENTITY_TOKEN_FILE is not set"})
	}
	files := strings.Join(nonEmpty(cfg.ConfigFile, cfg.CredentialsFile), " and ")
	if files == "" {
		files = "no file (home directory unknown)"
	}
	reason := "not in " + files
	if cfg.ProfileFound {
		reason = "in " + files + " without keys, role, SSO, login or credential_process"
	}
	// The plan reaches instance metadata only when neither container
	// variable is set.
	return append(out, TriedSource{"shared config profile " + cfg.Profile, reason},
		TriedSource{"container endpoint", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set"})
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
