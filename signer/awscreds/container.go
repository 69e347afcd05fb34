package awscreds

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// ContainerHost is the address the relative URI of ECS (and of the
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI variable) is joined to.
const ContainerHost = "http://169.254.170.2"

// maxContainerToken bounds the authorization token file read.
const maxContainerToken = 16 << 10

// containerService is the container credentials endpoint for the
// transport: JSON errors {"code","message"}, and a body that is not JSON is
// kept as a snippet. 429 is retried like any throttling, as endpointcreds'
// client adds it (credentials v1.21.1).
var containerService = transport.Service{ID: "endpoint-credentials", Protocol: transport.AWSRestJSON}

// ContainerConfig configures a ContainerProvider, with the values of the
// environment variables ECS, EKS Pod Identity and other platforms set.
type ContainerConfig struct {
	// RelativeURI (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) is joined to
	// http://169.254.170.2; it must start with "/". It wins over FullURI.
	RelativeURI string
	// FullURI (AWS_CONTAINER_CREDENTIALS_FULL_URI) is any https URL, or an
	// http URL whose host is a loopback address, 169.254.170.2 (ECS),
	// 169.254.170.23 or fd00:ec2::23 (EKS Pod Identity), as aws-sdk-go-v2
	// allows (config v1.33.19). A host name must resolve to such addresses
	// only; it is looked up at every call.
	FullURI string
	// AuthorizationToken (AWS_CONTAINER_AUTHORIZATION_TOKEN) is sent as
	// the Authorization header when not empty.
	AuthorizationToken string
	// AuthorizationTokenFile (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), when
	// set, is read again at every call and wins over AuthorizationToken.
	// It is sent unchanged: a trailing newline is an error, as in the SDK.
	AuthorizationTokenFile string
	// Settings are the transport's: HTTP client, retries, logger, clock.
	Settings transport.Settings
}

// ContainerProvider gets credentials from a container credentials
// endpoint: GET <url> with Accept: application/json and the Authorization
// token, answered with {"AccessKeyId","SecretAccessKey","Token",
// "Expiration"}. Every call is a new request: wrap the provider in
// signer.NewAWSCredentialsCache (aws-sdk-go-v2 refreshes these 5 minutes
// before expiry, the cache's default). Safe for concurrent use. It renders
// without secrets under fmt, slog and encoding/json.
type ContainerProvider struct {
	described
	client     *transport.Client
	path, raw  string // the request's escaped path and query
	host       string // a host name to check at every call; "" when checked already
	token      string
	tokenFile  string
	lookupHost func(ctx context.Context, host string) ([]string, error)
}

// NewContainerProvider checks cfg and returns the provider. Errors are
// *Error wrapping a *transport.ValidationError naming the field; a full URI
// on a host that is not allowed is one.
func NewContainerProvider(cfg ContainerConfig) (*ContainerProvider, error) {
	const src = SourceContainer
	raw := cfg.FullURI
	field := "FullURI"
	if cfg.RelativeURI != "" {
		if !strings.HasPrefix(cfg.RelativeURI, "/") {
			return nil, invalid(src, "RelativeURI", "must start with /")
		}
		raw, field = ContainerHost+cfg.RelativeURI, "RelativeURI"
	}
	if raw == "" {
		return nil, &Error{Source: src, Reason: "neither a relative nor a full URI is set", noCredentials: true}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Opaque != "" {
		return nil, invalid(src, field, "is not a valid URL")
	}
	if u.User != nil {
		return nil, invalid(src, field, "must not contain user info")
	}
	host := u.Hostname()
	if host == "" {
		return nil, invalid(src, field, "has no host")
	}
	p := &ContainerProvider{
		path:       u.EscapedPath(),
		raw:        u.RawQuery,
		token:      cfg.AuthorizationToken,
		tokenFile:  cfg.AuthorizationTokenFile,
		lookupHost: net.DefaultResolver.LookupHost,
	}
	if p.path == "" {
		p.path = "/"
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme != "http":
		return nil, invalid(src, field, "must be an http or https URL")
	case field == "RelativeURI":
		// The ECS address itself: nothing to check, as in the SDK.
	default:
		if ip, err := netip.ParseAddr(host); err == nil {
			if !containerIPAllowed(ip) {
				return nil, invalid(src, field, "must use https, or http on a loopback, ECS (169.254.170.2) or EKS (169.254.170.23, fd00:ec2::23) address")
			}
		} else {
			p.host = host
		}
	}
	if cfg.AuthorizationTokenFile == "" && strings.ContainsAny(cfg.AuthorizationToken, "\r\n") {
		return nil, invalid(src, "AuthorizationToken", "must not contain CR or LF")
	}
	base := u.Scheme + "://" + u.Host
	p.client, err = newClient(src, containerService, base, anonymous{}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	p.described = described{"awscreds.ContainerProvider{URL:" + base + p.path + "}"}
	return p, nil
}

// containerIPAllowed is aws-sdk-go-v2's isIPAllowed (config v1.33.19).
func containerIPAllowed(ip netip.Addr) bool {
	ip = ip.Unmap()
	return ip.IsLoopback() ||
		ip == netip.AddrFrom4([4]byte{169, 254, 170, 2}) ||
		ip == netip.AddrFrom4([4]byte{169, 254, 170, 23}) ||
		ip == netip.MustParseAddr("fd00:ec2::23")
}

// errHostNotAllowed is a host name that resolves to an address the SDK
// would refuse.
var errHostNotAllowed = errors.New("the host resolves to an address that is not loopback, ECS or EKS; use https")

// RetrieveAWS calls the endpoint (Source "CredentialsEndpointProvider").
// Credentials without an Expiration never expire. The token is registered
// with the transport's redaction. Errors are *Error; the service's
// {"code","message"} is in the wrapped *transport.ResponseError. Retried as
// the settings allow: connection failures, 5xx, 429.
func (p *ContainerProvider) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	const src = SourceContainer
	if err := checkContext(ctx, src); err != nil {
		return signer.AWSCredentials{}, err
	}
	if p.host != "" {
		addrs, err := p.lookupHost(ctx, p.host)
		if err != nil {
			return signer.AWSCredentials{}, &Error{Source: src, Reason: "resolve the host " + p.host, Err: err}
		}
		for _, a := range addrs {
			if ip, err := netip.ParseAddr(a); err != nil || !containerIPAllowed(ip) {
				return signer.AWSCredentials{}, &Error{Source: src, Reason: "check the host " + p.host, Err: errHostNotAllowed}
			}
		}
	}
	token := p.token
	if p.tokenFile != "" {
		var err error
		if token, err = readTokenFile(p.tokenFile, maxContainerToken); err != nil {
			return signer.AWSCredentials{}, &Error{Source: src, Reason: "read the authorization token file", Err: err}
		}
	}
	if strings.ContainsAny(token, "\r\n") {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "invalid authorization token",
			Err: &transport.ValidationError{Field: "AuthorizationToken", Rule: "must not contain CR or LF (is there a newline at the end of the token file?)"}}
	}
	req := &transport.Request{Method: http.MethodGet, Path: p.path, RawQuery: p.raw,
		Header: http.Header{"Accept": {"application/json"}}, SensitiveResponse: true}
	if token != "" {
		req.Header.Set("Authorization", token)
		req.Secrets = []string{token}
	}
	resp, err := p.client.Do(ctx, "GetCredentials", req, nil)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "get credentials", Err: err}
	}
	creds, err := decodeContainerCredentials(resp)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "get credentials", Err: err}
	}
	return creds, nil
}

// decodeContainerCredentials reads the endpoint's answer.
func decodeContainerCredentials(resp *transport.Response) (signer.AWSCredentials, error) {
	var doc struct {
		AccessKeyID     string  `json:"AccessKeyId"`
		SecretAccessKey string  `json:"SecretAccessKey"`
		Token           string  `json:"Token"`
		Expiration      *string `json:"Expiration"`
	}
	if err := decodeJSON(resp, &doc); err != nil {
		return signer.AWSCredentials{}, err
	}
	if doc.AccessKeyID == "" || doc.SecretAccessKey == "" {
		return signer.AWSCredentials{}, decodeError(resp, errNoCredentialsInResponse.Error())
	}
	creds := signer.AWSCredentials{AccessKeyID: doc.AccessKeyID, SecretAccessKey: doc.SecretAccessKey,
		SessionToken: doc.Token, Source: SourceContainer}
	if doc.Expiration != nil {
		exp, err := parseTime("Expiration", *doc.Expiration)
		if err != nil {
			return signer.AWSCredentials{}, decodeError(resp, err.Error())
		}
		creds.Expires = exp.UTC()
	}
	return creds, nil
}
