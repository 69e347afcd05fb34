package privatedns

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
	"github.com/detach-go/detach/transport"
)

// Options configures a Client. Authentication is chosen explicitly: set
// exactly one of TokenSource and Credentials.
type Options struct {
	// Cloud is HuaweiCloud or OpenTelekomCloud. Required.
	Cloud Cloud
	// Region is the region ID, e.g. "cn-north-4" or "eu-de"; it selects the
	// endpoint and, with access keys and no ProjectID, names the project
	// whose ID is looked up. Required unless Endpoint is set and no lookup
	// is needed.
	Region string
	// Endpoint replaces the endpoint derived from Cloud and Region: an
	// http or https base URL, possibly with a base path.
	Endpoint string

	// TokenSource authenticates with an IAM token sent as X-Auth-Token:
	// signer.StaticToken (e.g. from OS_AUTH_TOKEN; it cannot be refreshed)
	// or huaweicreds.NewPasswordTokenSource (refreshed before it expires and
	// once when DNS answers 401). The token must be scoped to the project
	// of the zone; ProjectID, when set, is also sent as X-Project-Id.
	TokenSource signer.TokenSource
	// Credentials authenticates with an access key pair: SDK-HMAC-SHA256 as
	// huaweicloud-sdk-go-v3 signs it on HuaweiCloud, as gophertelekomcloud
	// signs it on OpenTelekomCloud, with X-Project-Id (and X-Security-Token
	// for temporary keys). It is asked on every attempt, so it may rotate
	// keys.
	Credentials signer.HuaweiCredentialsProvider
	// ProjectID is the project of the zone, sent as X-Project-Id; with
	// Credentials it replaces the credentials' own ProjectID. With
	// Credentials and no project ID anywhere, a call fails before sending
	// unless New was given WithProjectIDFromIAM, which asks IAM once for
	// the project named Region and caches the answer.
	ProjectID string
	// IAMEndpoint is where WithProjectIDFromIAM looks the project ID up;
	// empty: the IAM host of Cloud and Region. Without that option it is
	// only validated.
	IAMEndpoint string

	// UserAgentApp is appended to the User-Agent.
	UserAgentApp string
	// Idempotent makes DisassociateRouter succeed when the VPC is already
	// not associated with the zone: CodeVPCNotAssociated (DNS.0707) becomes
	// an output with AlreadyGone set, so a retry after a lost response, or
	// a cleanup run twice, is not an error. Only that code counts: a zone
	// that does not exist (CodeZoneNotFound) or the zone's last VPC
	// (CodeLastVPC) are still errors. Off by default, so that a mistyped ID
	// stays visible. It may be set per call.
	Idempotent bool
	// Settings may be changed per call: HTTPClient, Retry, AttemptTimeout,
	// CallTimeout, Logger, LogBodies, Now, MaxResponseBytes, Limiter. The
	// project ID lookup uses the settings given to New.
	transport.Settings

	// lookupProject, set by WithProjectIDFromIAM, wraps Credentials so that
	// the project ID is asked of IAM. A function value rather than a flag,
	// so that a program that does not ask for the lookup does not link it.
	lookupProject func(o *Options) (signer.HuaweiCredentialsProvider, error)
}

// Option changes a copy of Options. Given to New it may change anything;
// given to an operation it changes only that call's Idempotent and embedded
// transport.Settings: Cloud, Region, Endpoint, authentication, ProjectID,
// IAMEndpoint and UserAgentApp are fixed by New, and changes to them are
// ignored.
type Option func(*Options)

// Client calls the private-zone DNS API. It is safe for concurrent use.
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
	if err := o.validate(); err != nil {
		return nil, err
	}
	otc := o.Cloud == OpenTelekomCloud
	endpoint := o.Endpoint
	if endpoint == "" {
		endpoint = huaweiendpoint.DNS(otc, o.Region)
	}
	auth, err := o.authorizer()
	if err != nil {
		return nil, err
	}
	tc, err := transport.New(transport.Config{
		Service:      service(),
		Endpoint:     endpoint,
		Auth:         auth,
		UserAgentApp: o.UserAgentApp,
		Settings:     o.Settings,
	})
	if err != nil {
		return nil, fmt.Errorf("privatedns: %w", err)
	}
	return &Client{opts: o, endpoint: endpoint, tc: tc}, nil
}

func (o *Options) validate() error {
	switch o.Cloud {
	case HuaweiCloud, OpenTelekomCloud:
	case 0:
		return errors.New("privatedns: Cloud is required (HuaweiCloud or OpenTelekomCloud)")
	default:
		return errors.New("privatedns: Cloud " + o.Cloud.String() + " is not HuaweiCloud or OpenTelekomCloud")
	}
	if o.Region != "" && !huaweiendpoint.ValidRegion(o.Region) {
		return errors.New("privatedns: Region " + strconv.Quote(o.Region) + " is not a valid region")
	}
	if o.Endpoint == "" && o.Region == "" {
		return errors.New("privatedns: Region is required unless Endpoint is set")
	}
	if o.Endpoint != "" {
		if _, err := transport.ParseEndpoint(o.Endpoint); err != nil {
			return errors.New("privatedns: Endpoint is not valid: " + err.Error())
		}
	}
	if o.IAMEndpoint != "" {
		if _, err := transport.ParseEndpoint(o.IAMEndpoint); err != nil {
			return errors.New("privatedns: IAMEndpoint is not valid: " + err.Error())
		}
	}
	if strings.ContainsFunc(o.ProjectID, isControl) {
		return errors.New("privatedns: ProjectID must not contain control characters")
	}
	switch {
	case o.TokenSource != nil && o.Credentials != nil:
		return errors.New("privatedns: set either TokenSource or Credentials, not both")
	case o.TokenSource == nil && o.Credentials == nil:
		return errors.New("privatedns: TokenSource or Credentials is required " +
			"(e.g. huaweicreds.NewPasswordTokenSource, signer.StaticToken or signer.HuaweiCredentialsFromEnv())")
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// authorizer builds the transport's authorizer for the chosen mode.
func (o *Options) authorizer() (transport.Authorizer, error) {
	if o.TokenSource != nil {
		return &signer.TokenAuth{Source: o.TokenSource, ProjectID: o.ProjectID}, nil
	}
	var creds signer.HuaweiCredentialsProvider
	switch {
	case o.ProjectID != "" || o.lookupProject == nil:
		creds = projectProvider{base: o.Credentials, id: o.ProjectID}
	default:
		r, err := o.lookupProject(o)
		if err != nil {
			return nil, fmt.Errorf("privatedns: %w", err)
		}
		creds = r
	}
	return &signer.HuaweiAKSK{Credentials: creds, OTC: o.Cloud == OpenTelekomCloud}, nil
}

// projectProvider sets the ProjectID given in Options on every retrieval;
// with no ID it requires the credentials to carry one.
type projectProvider struct {
	base signer.HuaweiCredentialsProvider
	id   string
}

func (p projectProvider) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	c, err := p.base.RetrieveHuawei(ctx)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if p.id != "" {
		c.ProjectID = p.id
	} else if c.ProjectID == "" {
		return signer.HuaweiCredentials{}, errors.New("privatedns: the credentials carry no project ID; " +
			"set Options.ProjectID (or the source's, e.g. HUAWEICLOUD_SDK_PROJECT_ID), " +
			"or give New WithProjectIDFromIAM to look it up by Region")
	}
	return c, nil
}

// String names the base provider by type only: it may not redact.
func (p projectProvider) String() string {
	return fmt.Sprintf("privatedns.projectProvider{Base:%T ProjectID:%s}", p.base, p.id)
}

// Format writes String for every verb.
func (p projectProvider) Format(f fmt.State, verb rune) { writeSafe(f, verb, p.String()) }

// Options returns the client's options.
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

// settings returns the Settings of one call: nil (the client's, without
// copying) when there are no per-call options.
func (c *Client) settings(opts []Option) *transport.Settings {
	_, s := c.callOptions(opts)
	return s
}

// authMode names the authentication for renderings; sources and providers
// are shown by type only, since a caller's own may not redact.
func (o *Options) authMode() string {
	switch {
	case o.TokenSource != nil:
		return fmt.Sprintf("token(%T)", o.TokenSource)
	case o.Credentials != nil && o.Cloud == OpenTelekomCloud:
		return fmt.Sprintf("otc-aksk(%T)", o.Credentials)
	case o.Credentials != nil:
		return fmt.Sprintf("huawei-aksk(%T)", o.Credentials)
	}
	return "none"
}

// projectIDFrom says where X-Project-Id comes from when ProjectID is empty
// and WithProjectIDFromIAM was given for access keys: "credentials or IAM";
// else "". The renderings show it in a field of its own (ProjectIDFrom,
// project_id_from), so that ProjectID never holds anything but an ID.
func (o *Options) projectIDFrom() string {
	if o.ProjectID == "" && o.Credentials != nil && o.lookupProject != nil {
		return "credentials or IAM"
	}
	return ""
}

// projectFacts renders ProjectID, and ProjectIDFrom when set, for String.
func (o *Options) projectFacts() string {
	s := " ProjectID:" + o.ProjectID
	if from := o.projectIDFrom(); from != "" {
		s += " ProjectIDFrom:" + from
	}
	return s
}

// projectAttrs are projectFacts for slog.
func (o *Options) projectAttrs() []slog.Attr {
	attrs := []slog.Attr{slog.String("project_id", o.ProjectID)}
	if from := o.projectIDFrom(); from != "" {
		attrs = append(attrs, slog.String("project_id_from", from))
	}
	return attrs
}

// String describes the client by its non-secret facts.
func (c *Client) String() string {
	if c == nil {
		return "privatedns.Client(nil)"
	}
	return "privatedns.Client{Cloud:" + c.opts.Cloud.String() + " Region:" + c.opts.Region +
		" Endpoint:" + c.endpoint + " Auth:" + c.opts.authMode() + c.opts.projectFacts() + "}"
}

// GoString is String: %#v must not print the options' credentials.
func (c *Client) GoString() string { return c.String() }

// Format writes String for every verb, so none reaches the unexported fields.
func (c *Client) Format(f fmt.State, verb rune) { writeSafe(f, verb, c.String()) }

// LogValue implements slog.LogValuer with the same facts as String.
func (c *Client) LogValue() slog.Value {
	if c == nil {
		return slog.StringValue("privatedns.Client(nil)")
	}
	return slog.GroupValue(append([]slog.Attr{
		slog.String("service", ServiceID),
		slog.String("cloud", c.opts.Cloud.String()),
		slog.String("region", c.opts.Region),
		slog.String("endpoint", c.endpoint),
		slog.String("auth", c.opts.authMode()),
	}, c.opts.projectAttrs()...)...)
}

// String describes the options by their non-secret facts.
func (o Options) String() string {
	return "privatedns.Options{Cloud:" + o.Cloud.String() + " Region:" + o.Region + " Endpoint:" + o.Endpoint +
		" Auth:" + o.authMode() + o.projectFacts() + " IAMEndpoint:" + o.IAMEndpoint +
		" UserAgentApp:" + o.UserAgentApp + "}"
}

// GoString is String.
func (o Options) GoString() string { return o.String() }

// Format writes String for every verb.
func (o Options) Format(f fmt.State, verb rune) { writeSafe(f, verb, o.String()) }

// LogValue renders the options' non-secret facts for log/slog.
func (o Options) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("cloud", o.Cloud.String()),
		slog.String("region", o.Region),
		slog.String("endpoint", o.Endpoint),
		slog.String("auth", o.authMode()),
	}
	attrs = append(attrs, o.projectAttrs()...)
	return slog.GroupValue(append(attrs,
		slog.String("iam_endpoint", o.IAMEndpoint),
		slog.String("user_agent_app", o.UserAgentApp),
	)...)
}

// MarshalJSON encodes the options' non-secret facts, for diagnostics.
// ProjectID is the ID given, "" when none was; ProjectIDFrom, present only
// then with WithProjectIDFromIAM, says where the ID will come from.
func (o Options) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Cloud, Region, Endpoint, Auth, ProjectID string
		ProjectIDFrom                            string `json:",omitempty"`
		IAMEndpoint, UserAgentApp                string
	}{o.Cloud.String(), o.Region, o.Endpoint, o.authMode(), o.ProjectID, o.projectIDFrom(), o.IAMEndpoint, o.UserAgentApp})
}

func writeSafe(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	f.Write([]byte(s))
}
