package identitycenter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/detach-go/detach/internal/huaweiendpoint"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// Default endpoints. Identity Center has one global host
// (huaweicloud-sdk-go-v3 lists it for every region it knows).
const (
	DefaultEndpoint    = huaweiendpoint.IdentityCenter
	DefaultIAMEndpoint = huaweiendpoint.GlobalIAM
)

// Options configures a Client.
type Options struct {
	// Endpoint replaces DefaultEndpoint: an http or https base URL,
	// possibly with a base path (a proxy, a test server).
	Endpoint string
	// Credentials provides the access key pair (and the security token of
	// temporary keys, sent as X-Security-Token). It is asked on every
	// attempt, so it may rotate keys. nil: signer.HuaweiCredentialsFromEnv()
	// (HUAWEICLOUD_SDK_AK, _SK, _SECURITY_TOKEN, _DOMAIN_ID).
	Credentials signer.HuaweiCredentialsProvider
	// DomainID is the account's domain ID, sent as X-Domain-Id; it replaces
	// the credentials' own DomainID. When neither is set, the client asks IAM
	// once (GET /v3/auth/domains, signed with the same keys) and caches the
	// answer: giving the ID saves that request and the IAM permission it
	// needs.
	DomainID string
	// IAMEndpoint is where the domain ID is looked up; empty:
	// DefaultIAMEndpoint.
	IAMEndpoint string
	// UserAgentApp is appended to the User-Agent.
	UserAgentApp string
	// Idempotent makes DeleteProfile succeed when the profile is already
	// gone: Identity Center's own 404 (an error body with an IIC. code)
	// becomes an output with AlreadyGone set, so a retry after a lost
	// response, or a cleanup run twice, is not an error. A 404 without that
	// body (a proxy, a wrong base path, the API gateway's APIGW.0101) stays
	// an error. Off by default, so that a mistyped ID stays visible. It may
	// be set per call.
	Idempotent bool
	// Settings may be changed per call: HTTPClient, Retry, AttemptTimeout,
	// CallTimeout, Logger, LogBodies, Now, MaxResponseBytes, Limiter. The
	// domain ID lookup uses the settings given to New.
	transport.Settings
}

// Option changes a copy of Options. Given to New it may change anything;
// given to an operation it changes only that call's Idempotent and embedded
// transport.Settings: Endpoint, Credentials, DomainID, IAMEndpoint and
// UserAgentApp are fixed by New, and changes to them are ignored.
type Option func(*Options)

// Client calls IAM Identity Center. It is safe for concurrent use.
type Client struct {
	opts     Options
	endpoint string
	tc       *transport.Client
}

// New returns a Client for o, changed by opts. It checks the options;
// errors name the field at fault. It sends nothing.
func New(o Options, opts ...Option) (*Client, error) {
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	endpoint := o.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	} else if _, err := transport.ParseEndpoint(endpoint); err != nil {
		return nil, errors.New("identitycenter: Endpoint is not valid: " + err.Error())
	}
	if o.IAMEndpoint != "" {
		if _, err := transport.ParseEndpoint(o.IAMEndpoint); err != nil {
			return nil, errors.New("identitycenter: IAMEndpoint is not valid: " + err.Error())
		}
	}
	if strings.ContainsFunc(o.DomainID, isControl) {
		return nil, errors.New("identitycenter: DomainID must not contain control characters")
	}
	if o.Credentials == nil {
		o.Credentials = signer.HuaweiCredentialsFromEnv()
	}
	var creds signer.HuaweiCredentialsProvider
	if o.DomainID != "" {
		creds = domainProvider{base: o.Credentials, id: o.DomainID}
	} else {
		iam := o.IAMEndpoint
		if iam == "" {
			iam = DefaultIAMEndpoint
		}
		r, err := huaweicreds.DomainIDFromIAM(o.Credentials, huaweicreds.LookupConfig{Endpoint: iam, Settings: o.Settings})
		if err != nil {
			return nil, fmt.Errorf("identitycenter: %w", err)
		}
		creds = r
	}
	tc, err := transport.New(transport.Config{
		Service:      service(),
		Endpoint:     endpoint,
		Auth:         &signer.HuaweiAKSK{Credentials: creds},
		UserAgentApp: o.UserAgentApp,
		Settings:     o.Settings,
	})
	if err != nil {
		return nil, fmt.Errorf("identitycenter: %w", err)
	}
	return &Client{opts: o, endpoint: endpoint, tc: tc}, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// domainProvider sets the DomainID given in Options on every retrieval.
type domainProvider struct {
	base signer.HuaweiCredentialsProvider
	id   string
}

func (p domainProvider) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	c, err := p.base.RetrieveHuawei(ctx)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	c.DomainID = p.id
	return c, nil
}

// String names the base provider by type only: it may not redact.
func (p domainProvider) String() string {
	return fmt.Sprintf("identitycenter.domainProvider{Base:%T DomainID:%s}", p.base, p.id)
}

// Format writes String for every verb.
func (p domainProvider) Format(f fmt.State, verb rune) { writeSafe(f, verb, p.String()) }

// Options returns the client's options, with Credentials as New settled
// them.
func (c *Client) Options() Options { return c.opts }

// Endpoint returns the base URL the client sends to.
func (c *Client) Endpoint() string { return c.endpoint }

// callOptions returns the Options of one call and the Settings to give the
// transport: the client's own Options and nil Settings (no copy, no
// allocation) when there are no per-call options. The caller must not
// change the Options returned.
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

// domainFacts renders DomainID, and where the X-Domain-Id comes from when
// it is empty (the credentials, else IAM), in a field of its own, so that
// DomainID never holds anything but an ID.
func (o *Options) domainFacts() string {
	if o.DomainID != "" {
		return " DomainID:" + o.DomainID
	}
	return " DomainID: DomainIDFrom:credentials or IAM"
}

// domainAttrs are domainFacts for slog.
func (o *Options) domainAttrs() []slog.Attr {
	if o.DomainID != "" {
		return []slog.Attr{slog.String("domain_id", o.DomainID)}
	}
	return []slog.Attr{slog.String("domain_id", ""), slog.String("domain_id_from", "credentials or IAM")}
}

// String describes the client by its non-secret facts.
func (c *Client) String() string {
	if c == nil {
		return "identitycenter.Client(nil)"
	}
	return fmt.Sprintf("identitycenter.Client{Endpoint:%s%s Credentials:%T}",
		c.endpoint, c.opts.domainFacts(), c.opts.Credentials)
}

// GoString is String: %#v must not print the options' credentials.
func (c *Client) GoString() string { return c.String() }

// Format writes String for every verb, so none reaches the unexported fields.
func (c *Client) Format(f fmt.State, verb rune) { writeSafe(f, verb, c.String()) }

// LogValue implements slog.LogValuer with the same facts as String.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("identitycenter.Client(nil)")
	}
	attrs := append([]slog.Attr{slog.String("service", ServiceID), slog.String("endpoint", c.endpoint)}, c.opts.domainAttrs()...)
	return slog.GroupValue(append(attrs, slog.String("credentials", fmt.Sprintf("%T", c.opts.Credentials)))...)
}

// String describes the options by their non-secret facts; Credentials is
// shown by type only, since a caller's provider may not redact what it holds.
func (o Options) String() string {
	return fmt.Sprintf("identitycenter.Options{Endpoint:%s Credentials:%T DomainID:%s IAMEndpoint:%s UserAgentApp:%s}",
		o.Endpoint, o.Credentials, o.DomainID, o.IAMEndpoint, o.UserAgentApp)
}

// GoString is String.
func (o Options) GoString() string { return o.String() }

// Format writes String for every verb.
func (o Options) Format(f fmt.State, verb rune) { writeSafe(f, verb, o.String()) }

// LogValue renders the options' non-secret facts for log/slog.
func (o Options) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("endpoint", o.Endpoint),
		slog.String("credentials", fmt.Sprintf("%T", o.Credentials)),
		slog.String("domain_id", o.DomainID),
		slog.String("iam_endpoint", o.IAMEndpoint),
		slog.String("user_agent_app", o.UserAgentApp),
	)
}

// MarshalJSON encodes the options' non-secret facts, for diagnostics.
func (o Options) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Endpoint, Credentials, DomainID, IAMEndpoint, UserAgentApp string
	}{o.Endpoint, fmt.Sprintf("%T", o.Credentials), o.DomainID, o.IAMEndpoint, o.UserAgentApp})
}

func writeSafe(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	f.Write([]byte(s))
}
