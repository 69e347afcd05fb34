package awscreds

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// Instance metadata facts from aws-sdk-go-v2's feature/ec2/imds v1.20.9 and
// credentials/ec2rolecreds v1.21.1.
const (
	IMDSEndpointIPv4 = "http://169.254.169.254"
	IMDSEndpointIPv6 = "http://[fd00:ec2::254]"

	imdsTokenPath  = "/latest/api/token"
	imdsRolesPath  = "/latest/meta-data/iam/security-credentials/"
	imdsTokenTTL   = 300 // seconds, the SDK's defaultTokenTTL
	imdsTTLHeader  = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"
	imdsTokenHdr   = "X-Aws-Ec2-Metadata-Token"
	imdsDialWait   = 250 * time.Millisecond
	imdsHeaderWait = 500 * time.Millisecond
	imdsOpTimeout  = 5 * time.Second
	imdsMaxBackoff = time.Second
	imdsMaxLife    = time.Hour // ec2rolecreds caps Expires at now + 1 hour
	// imdsTokenMargin: a token is fetched again this long before its TTL
	// ends, so a request does not carry one that expires on the way.
	imdsTokenMargin = 30 * time.Second
)

// imdsService is instance metadata for the transport: plain-text error
// bodies (kept as a snippet), statuses classified as usual.
var imdsService = transport.Service{ID: "ec2imds", Protocol: transport.AWSRestJSON}

// IMDSConfig configures an IMDSProvider with the settings aws-sdk-go-v2
// reads from the environment and the profile; reading them is the caller's
// job.
type IMDSConfig struct {
	// Disabled (AWS_EC2_METADATA_DISABLED=true) makes every call fail with
	// an error wrapping signer.ErrNoCredentials, without traffic.
	Disabled bool
	// Endpoint (AWS_EC2_METADATA_SERVICE_ENDPOINT, or the profile's
	// ec2_metadata_service_endpoint) overrides the address; its path, if
	// any, is replaced by the request paths, as in the SDK.
	Endpoint string
	// EndpointMode (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE): "IPv4" (or
	// empty) for http://169.254.169.254, "IPv6" for http://[fd00:ec2::254],
	// in any case; anything else is an error.
	EndpointMode string
	// DisableV1Fallback (AWS_EC2_METADATA_V1_DISABLED, or the profile's
	// ec2_metadata_v1_disabled) makes a failed token request an error
	// instead of falling back to IMDSv1 requests without a token.
	DisableV1Fallback bool
	// OperationTimeout bounds each metadata request, its token request and
	// its retries included; 0: 5 seconds, as the SDK.
	OperationTimeout time.Duration
	// Settings are the transport's. A nil HTTPClient means one that gives
	// up dialing after 250 ms and waiting for headers after 500 ms; a zero
	// Retry.MaxBackoff means 1 s; both as the SDK's IMDS client, so a chain
	// run off EC2 fails in a few seconds rather than hanging.
	Settings transport.Settings
}

// IMDSProvider gets the instance role's credentials from EC2 instance
// metadata, IMDSv2 first: PUT /latest/api/token (TTL 300 s, reused until
// 30 s before it ends), GET /latest/meta-data/iam/security-credentials/
// (the first role listed), GET .../security-credentials/<role>. Every call
// makes the two GETs: wrap the provider in signer.NewAWSCredentialsCache.
// Safe for concurrent use. It renders without secrets under fmt, slog and
// encoding/json.
//
// IMDSv1 fallback, as the SDK's token provider: a token request refused
// with 403, 404 or 405, or that gets no answer at all, switches the
// provider to requests without a token; 400 is an error; any other failure
// sends this one request without a token. With DisableV1Fallback, each of
// these is an error. A 401 to a metadata request drops the token, returns
// to IMDSv2 and tries once more.
type IMDSProvider struct {
	described
	disabled  bool
	client    *transport.Client
	fallback  bool
	opTimeout time.Duration
	now       func() time.Time

	mu       ctxMutex // serializes token requests, as the SDK's lock does; waiters leave with their ctx
	token    string
	tokenExp time.Time
	v1       bool // the token request was refused or unanswered: go without
}

// NewIMDSProvider checks cfg and returns the provider. Errors are *Error
// wrapping a *transport.ValidationError naming the field.
func NewIMDSProvider(cfg IMDSConfig) (*IMDSProvider, error) {
	const src = SourceIMDS
	endpoint := IMDSEndpointIPv4
	switch strings.ToLower(cfg.EndpointMode) {
	case "", "ipv4":
	case "ipv6":
		endpoint = IMDSEndpointIPv6
	default:
		return nil, invalid(src, "EndpointMode", "must be IPv4 or IPv6")
	}
	if cfg.Endpoint != "" {
		u, err := transport.ParseEndpoint(cfg.Endpoint)
		if err != nil {
			return nil, invalid(src, "Endpoint", "must be an absolute http or https URL ("+err.Error()+")")
		}
		endpoint = u.Scheme + "://" + u.Host
	}
	s := cfg.Settings
	if s.HTTPClient == nil {
		s.HTTPClient = imdsHTTPClient()
	}
	if s.Retry.MaxBackoff == 0 {
		s.Retry.MaxBackoff = imdsMaxBackoff
	}
	client, err := newClient(src, imdsService, endpoint, anonymous{}, s)
	if err != nil {
		return nil, err
	}
	op := cfg.OperationTimeout
	if op <= 0 {
		op = imdsOpTimeout
	}
	desc := "awscreds.IMDSProvider{Endpoint:" + endpoint
	if cfg.Disabled {
		desc += " Disabled"
	}
	return &IMDSProvider{
		described: described{desc + "}"},
		disabled:  cfg.Disabled,
		client:    client,
		fallback:  !cfg.DisableV1Fallback,
		opTimeout: op,
		now:       clock(&s),
	}, nil
}

// imdsHTTPClient is the SDK's IMDS client: the default transport with short
// dial and header waits. (Like the SDK, it keeps HTTP_PROXY; set
// NO_PROXY=169.254.169.254 where a proxy is configured.)
func imdsHTTPClient() *http.Client {
	hc := transport.DefaultHTTPClient()
	if t, ok := hc.Transport.(*http.Transport); ok {
		t.DialContext = (&net.Dialer{Timeout: imdsDialWait, KeepAlive: 30 * time.Second}).DialContext
		t.ResponseHeaderTimeout = imdsHeaderWait
	}
	return hc
}

// RetrieveAWS returns the instance role's credentials (Source
// "EC2RoleProvider"), their expiry capped at one hour from now as the SDK
// caps it. Errors are *Error; errors.Is(err, signer.ErrNoCredentials) holds
// when the provider is disabled, when instance metadata does not answer
// (not on EC2), and when no role is attached.
func (p *IMDSProvider) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	const src = SourceIMDS
	if err := checkContext(ctx, src); err != nil {
		return signer.AWSCredentials{}, err
	}
	if p.disabled {
		return signer.AWSCredentials{}, &Error{Source: src,
			Reason: "access to EC2 instance metadata is disabled (AWS_EC2_METADATA_DISABLED)", noCredentials: true}
	}
	resp, _, err := p.get(ctx, imdsRolesPath)
	if err != nil {
		var re *transport.ResponseError
		none := errors.As(err, &re) && re.StatusCode == http.StatusNotFound
		return signer.AWSCredentials{}, p.fail(ctx, "list the instance's IAM roles", err, none)
	}
	role, _, _ := strings.Cut(string(resp.Body), "\n")
	role = strings.TrimSuffix(role, "\r")
	switch {
	case role == "":
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "no IAM role is attached to the instance", noCredentials: true}
	case role == "." || role == ".." || hasControl(role):
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "instance metadata listed an invalid role name"}
	}
	resp, token, err := p.get(ctx, imdsRolesPath+url.PathEscape(role))
	if err != nil {
		return signer.AWSCredentials{}, p.fail(ctx, "get the credentials of role "+role, err, false)
	}
	creds, err := decodeIMDSCredentials(resp, token, p.now())
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "get the credentials of role " + role, Err: err}
	}
	return creds, nil
}

// fail wraps an error; a failure to reach instance metadata at all while
// the caller still waits means "not on EC2": no credentials here. That
// includes an operation timeout that ran out while waiting for another
// caller's token request (a bare context.DeadlineExceeded from the lock).
func (p *IMDSProvider) fail(ctx context.Context, reason string, err error, none bool) error {
	var se *transport.SendError
	var ce *transport.CanceledError
	if ctx.Err() == nil && (errors.As(err, &se) || errors.As(err, &ce) || errors.Is(err, context.DeadlineExceeded)) {
		none = true
		reason += " (is this an EC2 instance?)"
	}
	return &Error{Source: SourceIMDS, Reason: reason, Err: err, noCredentials: none}
}

// get makes one metadata request within the operation timeout, with the
// token it returns (empty for IMDSv1).
func (p *IMDSProvider) get(ctx context.Context, path string) (*transport.Response, string, error) {
	ctx, cancel := context.WithTimeout(ctx, p.opTimeout)
	defer cancel()
	for try := 1; ; try++ {
		token, err := p.tokenFor(ctx)
		if err != nil {
			return nil, "", err
		}
		req := &transport.Request{Method: http.MethodGet, Path: path, SensitiveResponse: true}
		if token != "" {
			req.Header = http.Header{imdsTokenHdr: {token}}
			req.Secrets = []string{token}
		}
		resp, err := p.client.Do(ctx, "GetMetadata", req, nil)
		var re *transport.ResponseError
		if try == 1 && errors.As(err, &re) && re.StatusCode == http.StatusUnauthorized {
			// The SDK's tokenProvider.enable: back to IMDSv2.
			if err := p.resetToken(ctx); err != nil {
				return nil, "", err
			}
			continue
		}
		return resp, token, err
	}
}

func (p *IMDSProvider) resetToken(ctx context.Context) error {
	if err := p.mu.lock(ctx); err != nil {
		return err
	}
	p.token, p.tokenExp, p.v1 = "", time.Time{}, false
	p.mu.unlock()
	return nil
}

// tokenFor returns the session token to send, "" to go without one, or
// an error when there must be one and there is none.
func (p *IMDSProvider) tokenFor(ctx context.Context) (string, error) {
	if err := p.mu.lock(ctx); err != nil {
		return "", err
	}
	defer p.mu.unlock()
	if p.v1 && p.fallback {
		return "", nil
	}
	if p.token != "" && p.now().Before(p.tokenExp.Add(-imdsTokenMargin)) {
		return p.token, nil
	}
	token, ttl, err := p.fetchToken(ctx)
	if err == nil {
		p.token, p.tokenExp = token, p.now().Add(ttl)
		return token, nil
	}
	var re *transport.ResponseError
	var se *transport.SendError
	var ce *transport.CanceledError
	switch {
	case errors.As(err, &re) && re.StatusCode == http.StatusBadRequest:
		return "", &Error{Source: SourceIMDS, Reason: "get an IMDSv2 token", Err: err}
	case errors.As(err, &re) && (re.StatusCode == http.StatusForbidden || re.StatusCode == http.StatusNotFound ||
		re.StatusCode == http.StatusMethodNotAllowed) && p.fallback:
		p.v1 = true
	case errors.As(err, &se), errors.As(err, &ce):
		p.v1 = true
	}
	if !p.fallback {
		return "", &Error{Source: SourceIMDS, Reason: "get an IMDSv2 token (IMDSv1 fallback is disabled)", Err: err}
	}
	return "", nil
}

// fetchToken is PUT /latest/api/token.
func (p *IMDSProvider) fetchToken(ctx context.Context) (string, time.Duration, error) {
	req := &transport.Request{Method: http.MethodPut, Path: imdsTokenPath,
		Header: http.Header{imdsTTLHeader: {strconv.Itoa(imdsTokenTTL)}}, SensitiveResponse: true}
	resp, err := p.client.Do(ctx, "GetToken", req, nil)
	if err != nil {
		return "", 0, err
	}
	ttl, err := strconv.ParseInt(resp.Header.Get(imdsTTLHeader), 10, 64)
	switch {
	case err != nil || ttl <= 0 || ttl > 6*3600:
		return "", 0, decodeError(resp, "the "+imdsTTLHeader+" header is missing or not a number of seconds up to 6 hours")
	case len(resp.Body) == 0 || hasControl(string(resp.Body)):
		return "", 0, decodeError(resp, "the token is empty or not a header value")
	}
	return string(resp.Body), time.Duration(ttl) * time.Second, nil
}

// decodeIMDSCredentials reads the role's credentials document.
func decodeIMDSCredentials(resp *transport.Response, token string, now time.Time) (signer.AWSCredentials, error) {
	var doc struct {
		Code            string
		Message         string
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		Token           string
		Expiration      *string
	}
	if err := decodeJSON(resp, &doc); err != nil {
		return signer.AWSCredentials{}, err
	}
	if !strings.EqualFold(doc.Code, "Success") {
		msg := doc.Message
		if token != "" {
			msg = strings.ReplaceAll(msg, token, transport.Redacted)
		}
		return signer.AWSCredentials{}, &imdsCodeError{code: doc.Code, message: msg}
	}
	if doc.AccessKeyID == "" || doc.SecretAccessKey == "" {
		return signer.AWSCredentials{}, decodeError(resp, errNoCredentialsInResponse.Error())
	}
	if doc.Expiration == nil {
		return signer.AWSCredentials{}, decodeError(resp, "field Expiration is missing")
	}
	exp, err := parseTime("Expiration", *doc.Expiration)
	if err != nil {
		return signer.AWSCredentials{}, decodeError(resp, err.Error())
	}
	// Capped so the credentials are refreshed at least hourly, as
	// ec2rolecreds does.
	if limit := now.Add(imdsMaxLife); exp.After(limit) {
		exp = limit
	}
	return signer.AWSCredentials{AccessKeyID: doc.AccessKeyID, SecretAccessKey: doc.SecretAccessKey,
		SessionToken: doc.Token, Expires: exp.UTC(), Source: SourceIMDS}, nil
}

// imdsCodeError is a credentials document whose Code is not Success.
type imdsCodeError struct{ code, message string }

func (e *imdsCodeError) Error() string {
	s := "instance metadata answered code " + strconv.Quote(clip(e.code, 64))
	if e.message != "" {
		s += ": " + clip(e.message, 256)
	}
	return s
}

// ErrorCode returns the document's Code, as smithy.APIError does.
func (e *imdsCodeError) ErrorCode() string { return e.code }

// clip cuts untrusted text for an error and makes it one printable line.
func clip(s string, max int) string {
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
