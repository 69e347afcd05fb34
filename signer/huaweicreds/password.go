package huaweicreds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// PasswordConfig says how to obtain a project-scoped IAM token with an
// IAM user's name and password (POST /v3/auth/tokens, "password" method),
// on Huawei Cloud or Open Telekom Cloud.
//
// Password is never rendered: fmt (every verb), slog and encoding/json print
// "[redacted]" instead, and no error quotes it.
type PasswordConfig struct {
	// Endpoint is the IAM base URL. Empty: derived from OTC and Region —
	// Huawei Cloud https://iam.{region}.myhuaweicloud.com (the global
	// https://iam.myhuaweicloud.com without a Region), OTC
	// https://iam.{region}.otc.t-systems.com, OTC eu-ch2
	// https://iam-pub.eu-ch2.sc.otc.t-systems.com.
	Endpoint string
	// Region selects the IAM host and, when neither ProjectName nor
	// ProjectID is set, names the project: each region's default project
	// is named after the region (e.g. "cn-north-4", "eu-de").
	Region string
	// OTC selects Open Telekom Cloud's IAM hosts instead of Huawei Cloud's.
	OTC bool

	UserName   string // IAM user name, required
	Password   string // the user's password, required, secret
	DomainName string // the account (domain) the user belongs to
	// DomainID is the account's ID, instead of DomainName (one of them is
	// required; the ID wins). It is also sent as X-Domain-Id, as
	// gophertelekomcloud v0.9.8 sends it (tokens.Create).
	DomainID string

	// ProjectName or ProjectID scopes the token to a project, which
	// project-level services such as DNS require. Set at most one; with
	// neither, Region is the project name.
	ProjectName string
	ProjectID   string

	// Settings are used for the IAM requests: HTTPClient, Retry,
	// AttemptTimeout, Logger (the request body is never logged),
	// MaxResponseBytes, and Now, which also judges token expiry unless a
	// [signer.WithTokenClock] option is given.
	transport.Settings
}

// validate checks the config and returns the IAM endpoint to use.
func (c *PasswordConfig) validate() (string, error) {
	const f = "PasswordConfig"
	switch {
	case c.UserName == "":
		return "", errors.New("huaweicreds: " + f + ".UserName is required")
	case c.Password == "":
		return "", errors.New("huaweicreds: " + f + ".Password is required")
	case c.DomainName == "" && c.DomainID == "":
		return "", errors.New("huaweicreds: " + f + ".DomainName or DomainID is required")
	case c.ProjectName != "" && c.ProjectID != "":
		return "", errors.New("huaweicreds: " + f + ".ProjectName and ProjectID are exclusive; set one")
	case c.ProjectName == "" && c.ProjectID == "" && c.Region == "":
		return "", errors.New("huaweicreds: " + f + " needs ProjectName, ProjectID or Region to scope the token")
	}
	for _, v := range [...]struct{ name, val string }{
		{"UserName", c.UserName}, {"Password", c.Password}, {"DomainName", c.DomainName},
		{"DomainID", c.DomainID}, {"ProjectName", c.ProjectName}, {"ProjectID", c.ProjectID},
	} {
		if err := iamCheckText(f+"."+v.name, v.val); err != nil {
			return "", err
		}
	}
	return iamResolveEndpoint(f, c.Endpoint, c.OTC, c.Region)
}

// project returns the scope: exactly one of name and id is non-empty.
func (c *PasswordConfig) project() (name, id string) {
	switch {
	case c.ProjectID != "":
		return "", c.ProjectID
	case c.ProjectName != "":
		return c.ProjectName, ""
	}
	return c.Region, ""
}

func (c PasswordConfig) redactedString() string {
	var b strings.Builder
	b.WriteString("huaweicreds.PasswordConfig{Endpoint:")
	b.WriteString(c.Endpoint)
	b.WriteString(" Region:")
	b.WriteString(c.Region)
	fmt.Fprintf(&b, " OTC:%t", c.OTC)
	b.WriteString(" UserName:")
	b.WriteString(c.UserName)
	b.WriteString(" Password:")
	b.WriteString(signer.Redact(c.Password))
	b.WriteString(" DomainName:")
	b.WriteString(c.DomainName)
	b.WriteString(" DomainID:")
	b.WriteString(c.DomainID)
	b.WriteString(" ProjectName:")
	b.WriteString(c.ProjectName)
	b.WriteString(" ProjectID:")
	b.WriteString(c.ProjectID)
	b.WriteString("}")
	return b.String()
}

// String returns the config with the password redacted.
func (c PasswordConfig) String() string { return c.redactedString() }

// GoString returns the config with the password redacted.
func (c PasswordConfig) GoString() string { return c.redactedString() }

// Format writes the redacted rendering for every verb, so that no verb
// prints the password through reflection.
func (c PasswordConfig) Format(f fmt.State, verb rune) {
	signer.FormatRedacted(f, verb, c.redactedString())
}

// LogValue renders the config for log/slog with the password redacted.
func (c PasswordConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("endpoint", c.Endpoint),
		slog.String("region", c.Region),
		slog.Bool("otc", c.OTC),
		slog.String("user_name", c.UserName),
		slog.String("password", signer.Redact(c.Password)),
		slog.String("domain_name", c.DomainName),
		slog.String("domain_id", c.DomainID),
		slog.String("project_name", c.ProjectName),
		slog.String("project_id", c.ProjectID),
	)
}

// MarshalJSON encodes the config with the password redacted and without
// the Settings; it is meant for diagnostics.
func (c PasswordConfig) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Endpoint, Region               string
		OTC                            bool
		UserName, Password, DomainName string
		DomainID, ProjectName          string
		ProjectID                      string
	}{c.Endpoint, c.Region, c.OTC, c.UserName, signer.Redact(c.Password), c.DomainName, c.DomainID, c.ProjectName, c.ProjectID})
}

// PasswordTokenSource is a [signer.TokenSource] that obtains project-scoped
// IAM tokens with a user name and password and caches them; create it with
// NewPasswordTokenSource. It is safe for concurrent use.
//
// It is built on [signer.CachedTokenSource]: a token is reused until shortly
// before it expires (IAM tokens live 24 hours; see
// [signer.WithTokenRefreshBefore]), one IAM request serves every caller
// waiting at the time, a failed request is not cached, and Invalidate
// (called by [signer.TokenAuth] when a service answers 401) makes the next
// caller fetch a new token. Getting a new token does not
// revoke the old one, so a retried or repeated fetch is harmless.
//
// It renders (fmt, slog, encoding/json) without the password or the token.
type PasswordTokenSource struct {
	cache    *signer.CachedTokenSource
	tc       *transport.Client
	endpoint string
	cfg      PasswordConfig // holds the password; never rendered raw
}

// NewPasswordTokenSource checks cfg and returns a token source; it makes
// no request until a token is needed. opts tune the cache
// ([signer.WithTokenRefreshBefore], [signer.WithTokenClock],
// [signer.WithTokenFetchTimeout]). Errors
// name the field at fault and never contain the password.
//
// Each fetch is POST {Endpoint}/v3/auth/tokens?nocatalog=true with
// Content-Type "application/json;charset=utf8" and the body
//
//	{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":DomainName},"name":UserName,"password":Password}}},
//	         "scope":{"project":{"name":ProjectName,"domain":{"name":DomainName}}}}}   (or {"id":ProjectID})
//
// ({"id":DomainID} for the domain when DomainID is set, with X-Domain-Id),
// as gophertelekomcloud v0.9.8 builds it (AuthOptions.ToTokenV3CreateMap
// and ToTokenV3ScopeMap: a project named needs its domain in Keystone).
//
// IAM answers 201 with the token in the X-Subject-Token header and its
// expiry in the body's token.expires_at (ISO 8601); any 2xx carrying both
// is accepted, as gophertelekomcloud accepts 201 and 202. A failure is an
// error wrapping *smithy.OperationError for service "IAM", operation
// "CreateToken", which unwraps to the transport's *ResponseError (a wrong
// password is a 401: errors.Is(err, transport.ErrUnauthorized)) or its send
// and decode errors. The password body is marked sensitive, so even
// Settings.LogBodies never logs it.
func NewPasswordTokenSource(cfg PasswordConfig, opts ...signer.CachedTokenOption) (*PasswordTokenSource, error) {
	endpoint, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	tc, err := transport.New(transport.Config{
		Service:  iamService(),
		Endpoint: endpoint,
		Auth:     iamNoAuth{},
		Settings: cfg.Settings,
	})
	if err != nil {
		return nil, fmt.Errorf("huaweicreds: PasswordConfig: %w", err)
	}
	s := &PasswordTokenSource{tc: tc, endpoint: endpoint, cfg: cfg}
	s.cfg.Settings = transport.Settings{} // the client keeps its own copy
	if cfg.Now != nil {
		opts = append([]signer.CachedTokenOption{signer.WithTokenClock(cfg.Now)}, opts...)
	}
	s.cache = signer.NewCachedTokenSource(s.fetch, opts...)
	return s, nil
}

// Token returns a valid token, fetching one from IAM when none is cached or
// the cached one is about to expire.
func (s *PasswordTokenSource) Token(ctx context.Context) (signer.Token, error) {
	if s == nil || s.cache == nil {
		return signer.Token{}, errors.New("huaweicreds: PasswordTokenSource is not initialised; use NewPasswordTokenSource")
	}
	return s.cache.Token(ctx)
}

// Invalidate drops the cached token if it is rejected, so that the next
// Token call fetches a new one (see [signer.CachedTokenSource.Invalidate]).
func (s *PasswordTokenSource) Invalidate(rejected signer.Token) {
	if s != nil && s.cache != nil {
		s.cache.Invalidate(rejected)
	}
}

// iamTokenRequest is the body of the password request.
type iamTokenRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password struct {
				User struct {
					Domain   iamNameOrID `json:"domain"`
					Name     string      `json:"name"`
					Password string      `json:"password"`
				} `json:"user"`
			} `json:"password"`
		} `json:"identity"`
		Scope struct {
			Project iamProjectScope `json:"project"`
		} `json:"scope"`
	} `json:"auth"`
}

type iamNameOrID struct {
	Name string `json:"name,omitempty"`
	ID   string `json:"id,omitempty"`
}

// iamProjectScope is a project by ID, or by name in its domain.
type iamProjectScope struct {
	Name   string       `json:"name,omitempty"`
	ID     string       `json:"id,omitempty"`
	Domain *iamNameOrID `json:"domain,omitempty"`
}

func (s *PasswordTokenSource) requestBody() ([]byte, error) {
	var r iamTokenRequest
	r.Auth.Identity.Methods = []string{"password"}
	u := &r.Auth.Identity.Password.User
	if u.Domain.ID = s.cfg.DomainID; u.Domain.ID == "" {
		u.Domain.Name = s.cfg.DomainName
	}
	u.Name = s.cfg.UserName
	u.Password = s.cfg.Password
	p := &r.Auth.Scope.Project
	if p.Name, p.ID = s.cfg.project(); p.Name != "" {
		p.Domain = &u.Domain
	}
	return json.Marshal(&r)
}

// fetch asks IAM for a token; the signer.CachedTokenSource calls it.
func (s *PasswordTokenSource) fetch(ctx context.Context) (signer.Token, error) {
	body, err := s.requestBody()
	if err != nil {
		// Only a bug could get here; the error names no value.
		return signer.Token{}, errors.New("huaweicreds: encode the IAM token request")
	}
	req := &transport.Request{
		Method:        http.MethodPost,
		Path:          "/v3/auth/tokens",
		RawQuery:      "nocatalog=true", // the service catalog is not needed: smaller answers
		ContentType:   "application/json;charset=utf8",
		Body:          body,
		SensitiveBody: true,
		Secrets:       []string{s.cfg.Password}, // scrubbed from whatever IAM or a proxy echoes
	}
	if s.cfg.DomainID != "" {
		req.Header = http.Header{"X-Domain-Id": {s.cfg.DomainID}}
	}
	resp, err := s.tc.Do(ctx, iamOpCreateToken, req, nil)
	if err != nil {
		return signer.Token{}, err
	}
	tok, derr := iamDecodeToken(resp)
	if derr != nil {
		return signer.Token{}, s.tc.OpError(iamOpCreateToken, derr)
	}
	return tok, nil
}

// iamDecodeToken reads the token from a 2xx answer to POST /v3/auth/tokens.
func iamDecodeToken(resp *transport.Response) (signer.Token, error) {
	bad := func(msg string) error {
		return &transport.DecodeError{StatusCode: resp.StatusCode, RequestID: resp.Metadata.RequestID, Err: errors.New(msg)}
	}
	v := resp.Header.Get("X-Subject-Token")
	if v == "" {
		return signer.Token{}, bad("response has no X-Subject-Token header")
	}
	var doc struct {
		Token struct {
			ExpiresAt string `json:"expires_at"`
		} `json:"token"`
	}
	if err := transport.DecodeJSON(resp, &doc); err != nil {
		return signer.Token{}, err
	}
	if doc.Token.ExpiresAt == "" {
		// The v3 SDK refuses a token without an expiry too
		// (core/auth/internal/iam_helper.go CreateTokenWithIdToken).
		return signer.Token{}, bad("response has no token.expires_at")
	}
	// IAM writes e.g. "2025-01-03T03:04:05.123000Z"; RFC 3339 parsing
	// accepts the fraction.
	exp, err := time.Parse(time.RFC3339, doc.Token.ExpiresAt)
	if err != nil {
		return signer.Token{}, bad("token.expires_at " + quoteShort(resp.Scrub(doc.Token.ExpiresAt)) + " is not an ISO 8601 time")
	}
	return signer.Token{Value: v, ExpiresAt: exp}, nil
}

func (s *PasswordTokenSource) redactedString() string {
	if s == nil {
		return "huaweicreds.PasswordTokenSource(nil)"
	}
	c := s.cfg
	c.Endpoint = s.endpoint
	return "huaweicreds.PasswordTokenSource{Config:" + c.redactedString() + " Cache:" + s.cache.String() + "}"
}

// String describes the source without the password or the token.
func (s *PasswordTokenSource) String() string { return s.redactedString() }

// GoString describes the source without the password or the token.
func (s *PasswordTokenSource) GoString() string { return s.redactedString() }

// Format writes the redacted rendering for every verb.
func (s *PasswordTokenSource) Format(f fmt.State, verb rune) {
	signer.FormatRedacted(f, verb, s.redactedString())
}

// LogValue renders the source for log/slog without the password or the token.
func (s *PasswordTokenSource) LogValue() slog.Value {
	if s == nil {
		return slog.StringValue("huaweicreds.PasswordTokenSource(nil)")
	}
	c := s.cfg
	c.Endpoint = s.endpoint
	return slog.GroupValue(slog.Any("config", c), slog.Any("cache", s.cache))
}

// MarshalJSON encodes the source without the password or the token.
func (s *PasswordTokenSource) MarshalJSON() ([]byte, error) {
	if s == nil {
		return []byte("null"), nil
	}
	c := s.cfg
	c.Endpoint = s.endpoint
	return json.Marshal(struct {
		Config PasswordConfig
		Cache  *signer.CachedTokenSource
	}{c, s.cache})
}
