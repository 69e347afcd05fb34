package customerprofiles

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/detach-go/detach/internal/awsendpoint"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const (
	// signingName is the SigV4 service name in the credential scope.
	signingName = "profile"
	// endpointPrefix is the first label of the service's host names.
	endpointPrefix = "profile"
)

// Options configures a Client.
type Options struct {
	// Region is the AWS region, e.g. "us-east-1": it selects the endpoint and
	// is the signing region. Empty: AWS_REGION, then AWS_DEFAULT_REGION; one
	// of them must be set.
	Region string
	// Endpoint replaces the endpoint resolved from Region: an http or https
	// base URL, possibly with a base path (a VPC interface endpoint, a proxy,
	// a test server). Region is still needed for signing. It cannot be
	// combined with UseFIPS or UseDualStack, as the endpoint rules say.
	Endpoint string
	// UseFIPS selects the FIPS 140 endpoint (profile-fips.{region}...).
	UseFIPS bool
	// UseDualStack selects the IPv4 and IPv6 endpoint (...{region}.api.aws in
	// the aws partition).
	UseDualStack bool
	// Credentials provides the access key; nil: signer.DefaultAWSCredentials().
	// It is asked on every attempt, so it may rotate keys.
	Credentials signer.AWSCredentialsProvider
	// UserAgentApp is appended to the User-Agent, to tell your application's
	// calls apart in CloudTrail.
	UserAgentApp string
	// Idempotent makes DeleteProfileObject treat ResourceNotFoundException
	// (404) as "already deleted": the call succeeds with AlreadyGone set,
	// which is what a cleanup that may run twice, or a retry after a lost
	// response, wants. The service sends the same code for an unknown
	// domain, so a misspelt DomainName is reported as AlreadyGone too. Off
	// by default, so that errors stay visible. It may be changed per call.
	Idempotent bool
	// Settings may be changed per call: HTTPClient, Retry, AttemptTimeout,
	// Logger, LogBodies, Now, MaxResponseBytes, Limiter.
	transport.Settings
}

// Option changes a copy of Options. Given to New it may change anything;
// given to an operation it changes only that call's Idempotent and embedded
// transport.Settings: Region, Endpoint, UseFIPS, UseDualStack, Credentials and
// UserAgentApp are fixed by New, and changes to them are ignored.
type Option func(*Options)

// Client calls Customer Profiles. It is safe for concurrent use.
type Client struct {
	opts     Options
	endpoint string
	tc       *transport.Client
}

// New returns a Client for o, changed by opts. It checks the options and
// resolves the endpoint; errors name the field at fault. It sends nothing.
func New(o Options, opts ...Option) (*Client, error) {
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	if o.Region == "" {
		o.Region = awsendpoint.RegionFromEnv()
	}
	if o.Endpoint != "" {
		if _, err := transport.ParseEndpoint(o.Endpoint); err != nil {
			return nil, errors.New("customerprofiles: Endpoint is not valid: " + err.Error())
		}
	}
	endpoint, err := awsendpoint.Endpoint(endpointPrefix, o.Region, o.Endpoint, o.UseFIPS, o.UseDualStack)
	if err != nil {
		return nil, errors.New("customerprofiles: " + err.Error())
	}
	if o.Credentials == nil {
		o.Credentials = signer.DefaultAWSCredentials()
	}
	tc, err := transport.New(transport.Config{
		Service:      service(),
		Endpoint:     endpoint,
		Auth:         &signer.SigV4{Credentials: o.Credentials, Service: signingName, Region: o.Region},
		UserAgentApp: o.UserAgentApp,
		Settings:     o.Settings,
	})
	if err != nil {
		return nil, fmt.Errorf("customerprofiles: %w", err)
	}
	return &Client{opts: o, endpoint: endpoint, tc: tc}, nil
}

// Options returns the client's options, with Region and Credentials as New
// settled them (from the environment, or the default chain).
func (c *Client) Options() Options { return c.opts }

// Endpoint returns the base URL the client sends to.
func (c *Client) Endpoint() string { return c.endpoint }

// callOptions returns the Options of one call and the Settings to give the
// transport: the client's own Options and nil Settings (the client's,
// without copying) when there are no per-call options. Callers must not
// change the Options it returns.
func (c *Client) callOptions(opts []Option) (*Options, *transport.Settings) {
	if len(opts) == 0 {
		return &c.opts, nil
	}
	o := c.opts
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	return &o, &o.Settings
}

// String describes the client by its non-secret facts: service, endpoint and
// region.
func (c *Client) String() string {
	if c == nil {
		return "customerprofiles.Client(nil)"
	}
	return "customerprofiles.Client{Endpoint:" + c.endpoint + " Region:" + c.opts.Region + "}"
}

// GoString is String: %#v must not print the options, which hold credentials.
func (c *Client) GoString() string { return c.String() }

// Format implements fmt.Formatter so that every verb prints String and none
// reaches the unexported fields.
func (c *Client) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		io.WriteString(f, strconv.Quote(c.String()))
		return
	}
	io.WriteString(f, c.String())
}

// MarshalJSON encodes String: a client in a JSON document shows the same
// non-secret facts, never its credentials.
func (c *Client) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// LogValue implements slog.LogValuer with the same facts as String.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("customerprofiles.Client(nil)")
	}
	return slog.GroupValue(
		slog.String("service", serviceID),
		slog.String("endpoint", c.endpoint),
		slog.String("region", c.opts.Region),
	)
}
