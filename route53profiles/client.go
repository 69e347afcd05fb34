package route53profiles

import (
	"github.com/detach-go/detach/internal/awsclient"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const (
	// signingName is the SigV4 service name in the credential scope.
	signingName = "route53profiles"
	// endpointPrefix is the first label of the service's host names.
	endpointPrefix = "route53profiles"
)

// Options configures a Client.
type Options struct {
	// SharedConfig, when set, fills what these Options leave empty as
	// aws-sdk-go-v2's config.LoadDefaultConfig configures a client (config
	// v1.33.19): the region, the endpoint, FIPS, dual-stack, max attempts
	// and the CA bundle, from the environment (AWS_REGION,
	// AWS_ENDPOINT_URL_*, AWS_USE_FIPS_ENDPOINT, AWS_MAX_ATTEMPTS,
	// AWS_CA_BUNDLE, ...) and the profile of the shared files. Load it with
	// signer.LoadAWSConfig(signer.AWSConfigSource{}); give the same
	// configuration to awscreds.NewDefaultChain for the credentials. Nil:
	// only Region falls back to AWS_REGION, then AWS_DEFAULT_REGION, and
	// the config reader is not linked into the program.
	SharedConfig *signer.AWSConfig
	// Region is the AWS region, e.g. "us-east-1": it selects the endpoint and
	// is the signing region. Empty: AWS_REGION, then AWS_DEFAULT_REGION, then
	// (with SharedConfig) the profile's region; one of them must be set.
	Region string
	// Endpoint replaces the endpoint resolved from Region: an http or https
	// base URL, possibly with a base path (a VPC interface endpoint, a proxy,
	// a test server). Region is still needed for signing. It cannot be
	// combined with UseFIPS or UseDualStack, as the endpoint rules say.
	// Empty, with SharedConfig: AWS_ENDPOINT_URL_ROUTE53PROFILES, AWS_ENDPOINT_URL, the profile's
	// services section (route53profiles) or endpoint_url, as aws-sdk-go-v2
	// resolves them (none with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true).
	// With SharedConfig, AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT,
	// AWS_MAX_ATTEMPTS, AWS_CA_BUNDLE and their profile keys also fill UseFIPS, UseDualStack
	// (without an endpoint), Settings.Retry.MaxAttempts and
	// Settings.HTTPClient when those are unset.
	Endpoint string
	// UseFIPS selects the FIPS 140 endpoint (route53profiles-fips.{region}...).
	UseFIPS bool
	// UseDualStack selects the IPv4 and IPv6 endpoint (...{region}.api.aws in
	// the aws partition).
	UseDualStack bool
	// Credentials provides the access key; required (New fails without it):
	// signer.AWSCredentialsFromEnv or signer.DefaultAWSCredentials for
	// static keys, awscreds.NewDefaultChain for what aws-sdk-go-v2's
	// config.LoadDefaultConfig finds (roles, SSO, containers, instances).
	// It is asked on every attempt, so it may rotate keys.
	Credentials signer.AWSCredentialsProvider
	// UserAgentApp is appended to the User-Agent, to tell your application's
	// calls apart in CloudTrail.
	UserAgentApp string
	// Idempotent makes DisassociateProfile treat an association that does
	// not exist (ResourceNotFoundException) as already removed: the call
	// succeeds with AlreadyGone set, which is what a cleanup that may run
	// twice, or a retry after a lost response, wants. Off by default, so
	// that a wrong ID is not silently taken for a removed association. It
	// may be changed per call.
	Idempotent bool
	// MaxPages bounds the pages ListProfileAssociationsAll fetches, and so
	// each poll of WaitProfileDisassociated and the first look of
	// DisassociateAndWait: a list still unfinished after MaxPages pages
	// ends with a *transport.PageLimitError, so that a service or proxy
	// that hands out new NextTokens forever cannot keep a caller paging.
	// Zero or negative: transport.DefaultMaxPages (100 pages, of up to 100
	// associations each). It may be changed per call.
	MaxPages int
	// Settings may be changed per call: HTTPClient, Retry, AttemptTimeout,
	// CallTimeout, Logger, LogBodies, Now, MaxResponseBytes, Limiter.
	transport.Settings
}

// Option changes a copy of Options. Given to New it may change anything;
// given to an operation it changes only that call's Idempotent, MaxPages
// and embedded transport.Settings: Region, Endpoint, UseFIPS, UseDualStack, Credentials
// and UserAgentApp are fixed by New, and changes to them are ignored.
type Option func(*Options)

// Client calls Route 53 Profiles. It is safe for concurrent use.
// It prints (under every fmt verb, in slog and in JSON) only its endpoint
// and region, never its credentials.
type Client struct {
	awsclient.Description
	opts Options
	tc   *transport.Client
}

// New returns a Client for o, changed by opts. It checks the options and
// resolves the endpoint; errors name the field at fault. It sends nothing.
func New(o Options, opts ...Option) (*Client, error) {
	o = awsclient.Apply(o, opts)
	p := awsclient.Params{Shared: o.SharedConfig, Region: o.Region, Endpoint: o.Endpoint, UseFIPS: o.UseFIPS, UseDualStack: o.UseDualStack,
		Credentials: o.Credentials, UserAgentApp: o.UserAgentApp, Settings: o.Settings}
	tc, desc, err := awsclient.Build(awsclient.Service{Pkg: "route53profiles", SigningName: signingName,
		EndpointPrefix: endpointPrefix, Transport: service()}, &p)
	if err != nil {
		return nil, err
	}
	o.Region = p.Region
	return &Client{Description: desc, opts: o, tc: tc}, nil
}

// Options returns the client's options, with Region as New settled it
// (from the environment or the shared config when empty).
func (c *Client) Options() Options { return c.opts }

// callOptions returns the Options of one call and the Settings to give the
// transport: the client's own Options and nil Settings (the client's,
// without copying) when there are no per-call options. Callers must not
// change the Options it returns.
func (c *Client) callOptions(opts []Option) (*Options, *transport.Settings) {
	if len(opts) == 0 {
		return &c.opts, nil
	}
	o := awsclient.Apply(c.opts, opts)
	return &o, &o.Settings
}
