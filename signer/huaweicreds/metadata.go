package huaweicreds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// ECS metadata facts from huaweicloud-sdk-go-v3 v0.1.207
// (core/auth/internal/metadata_accessor.go and model.go).
const (
	// ECSMetadataEndpoint is the metadata service's address on an ECS.
	ECSMetadataEndpoint = "http://169.254.169.254"

	mdTokenPath       = "/meta-data/latest/api/token"
	mdSecurityKeyPath = "/openstack/latest/securitykey"
	mdTokenHeader     = "X-Metadata-Token"
	mdTTLHeader       = "X-Metadata-Token-Ttl-Seconds"
	mdTokenTTL        = 6 * 60 * 60 // seconds, the SDK's DefaultTokenTTLSeconds
	// mdTokenRetry: after the service said it has no session tokens, the
	// SDK asks again only 24 hours later (DefaultCheckTokenDurationSecond).
	mdTokenRetry   = 24 * time.Hour
	mdNoAgencyText = "Please configure Cloud Service Agency first"
	// metadataTimeout bounds each attempt at the metadata service unless
	// MetadataConfig.Settings sets AttemptTimeout.
	metadataTimeout = 3 * time.Second
	// SourceECSMetadata is the Source of the keys the metadata service gives.
	SourceECSMetadata = "ecs-metadata"
)

// MetadataConfig configures a MetadataProvider.
type MetadataConfig struct {
	// Endpoint overrides ECSMetadataEndpoint (tests, proxies); its path is
	// ignored.
	Endpoint string
	// Settings are the transport's (retries, HTTP client, logger). Unset,
	// AttemptTimeout is 3 seconds and Retry.MaxAttempts 1, as the SDK.
	Settings transport.Settings
	// Now is the clock used to judge expiry; nil: time.Now.
	Now func() time.Time
	// CacheOptions tune the cache in front of the service
	// (signer.WithHuaweiCacheRefreshBefore, ...).
	CacheOptions []signer.HuaweiCacheOption
}

// MetadataProvider gets the temporary keys of the agency bound to an ECS
// from its metadata service, as huaweicloud-sdk-go-v3's
// MetadataCredentialProvider does: a session token from PUT
// /meta-data/latest/api/token (X-Metadata-Token-Ttl-Seconds: 21600) when
// the service gives one, then GET /openstack/latest/securitykey with it in
// X-Metadata-Token. A token request answered 404, 405 or 503 means the
// service has no session tokens: keys are read without one, and a token is
// asked for again only after 24 hours. A 401 to securitykey that is not
// "Please configure Cloud Service Agency first" gets a new token and one
// more try. The keys (access, secret, securitytoken, expires_at) are cached
// in a signer.HuaweiCredentialsCache and refreshed before expires_at, once
// for all callers. The session token is sent as a request secret, so it is
// scrubbed from anything the service echoes.
//
// Errors: the transport's (a *transport.ResponseError for an HTTP status,
// a send error when there is no metadata service, as off ECS); an instance
// without an agency is an error wrapping signer.ErrNoCredentials, so a
// chain goes on. Safe for concurrent use.
type MetadataProvider struct {
	cache  *signer.HuaweiCredentialsCache
	client *transport.Client
	now    func() time.Time

	mu        sync.Mutex // serializes the fetches' token handling
	token     string
	noTokenAt time.Time // when the service last said it has no tokens
}

// NewMetadataProvider checks cfg and returns the provider; it makes no
// request until keys are needed.
func NewMetadataProvider(cfg MetadataConfig) (*MetadataProvider, error) {
	endpoint := ECSMetadataEndpoint
	if cfg.Endpoint != "" {
		u, err := transport.ParseEndpoint(cfg.Endpoint)
		if err != nil {
			return nil, errors.New("huaweicreds: MetadataConfig.Endpoint: " + err.Error())
		}
		endpoint = u.Scheme + "://" + u.Host
	}
	// huaweicloud-sdk-go-v3 (v0.1.207, metadata_accessor.go) gives the
	// metadata service 3 seconds and no retry: off ECS nothing answers at
	// 169.254.169.254, and a chain must move on quickly. Settings given in
	// code win.
	set := cfg.Settings
	if set.AttemptTimeout == 0 {
		set.AttemptTimeout = metadataTimeout
	}
	if set.Retry.MaxAttempts == 0 {
		set.Retry.MaxAttempts = 1
	}
	tc, err := transport.New(transport.Config{
		Service:  transport.Service{ID: "ECSMetadata", Protocol: transport.HuaweiJSON},
		Endpoint: endpoint,
		Auth:     iamNoAuth{},
		Settings: set,
	})
	if err != nil {
		return nil, fmt.Errorf("huaweicreds: MetadataConfig: %w", err)
	}
	p := &MetadataProvider{client: tc, now: cfg.Now}
	if p.now == nil {
		p.now = time.Now
	}
	opts := append([]signer.HuaweiCacheOption{signer.WithHuaweiCacheClock(p.now)}, cfg.CacheOptions...)
	p.cache = signer.NewHuaweiCredentialsCache(providerFunc(p.fetch), opts...)
	return p, nil
}

// RetrieveHuawei returns the cached keys, fetching them when none are
// cached or they are due for refresh. A nil ctx is a validation error.
func (p *MetadataProvider) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if p == nil || p.cache == nil {
		return signer.HuaweiCredentials{}, errors.New("huaweicreds: MetadataProvider is not initialised; use NewMetadataProvider")
	}
	return p.cache.RetrieveHuawei(ctx)
}

// String names the provider; it holds no secret worth showing.
func (p *MetadataProvider) String() string { return "huaweicreds.MetadataProvider" }

// fetch makes one read of the keys; the cache serializes the calls.
func (p *MetadataProvider) fetch(ctx context.Context) (signer.HuaweiCredentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.token == "" && (p.noTokenAt.IsZero() || p.now().Sub(p.noTokenAt) > mdTokenRetry) {
		if err := p.newToken(ctx, false); err != nil {
			return signer.HuaweiCredentials{}, err
		}
	}
	resp, err := p.securityKey(ctx)
	var re *transport.ResponseError
	if errors.As(err, &re) && re.StatusCode == http.StatusUnauthorized && !strings.Contains(re.Snippet, mdNoAgencyText) {
		if err := p.newToken(ctx, true); err != nil {
			return signer.HuaweiCredentials{}, err
		}
		resp, err = p.securityKey(ctx)
	}
	if errors.As(err, &re) && re.StatusCode == http.StatusUnauthorized && strings.Contains(re.Snippet, mdNoAgencyText) {
		return signer.HuaweiCredentials{}, fmt.Errorf("huaweicreds: ECS metadata: the instance has no agency: %w", signer.ErrNoCredentials)
	}
	if err != nil {
		return signer.HuaweiCredentials{}, fmt.Errorf("huaweicreds: ECS metadata: %w", err)
	}
	return decodeTemporaryKeys(resp, "credential", SourceECSMetadata)
}

// newToken asks for a session token. Unless required, 404, 405 and 503 mean
// the service has none, as the SDK's tryUpdateToken.
func (p *MetadataProvider) newToken(ctx context.Context, required bool) error {
	req := &transport.Request{Method: http.MethodPut, Path: mdTokenPath,
		Header: http.Header{mdTTLHeader: {strconv.Itoa(mdTokenTTL)}}, SensitiveResponse: true}
	resp, err := p.client.Do(ctx, "GetToken", req, nil)
	var re *transport.ResponseError
	if !required && errors.As(err, &re) {
		switch re.StatusCode {
		case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusServiceUnavailable:
			p.token, p.noTokenAt = "", p.now()
			return nil
		}
	}
	if err != nil {
		return fmt.Errorf("huaweicreds: ECS metadata session token: %w", err)
	}
	tok := strings.TrimSpace(string(resp.Body))
	if tok == "" || strings.ContainsAny(tok, "\r\n") {
		return errors.New("huaweicreds: ECS metadata session token: the answer is not a token")
	}
	p.token = tok
	return nil
}

// securityKey reads the keys, with the session token when there is one.
func (p *MetadataProvider) securityKey(ctx context.Context) (*transport.Response, error) {
	req := &transport.Request{Method: http.MethodGet, Path: mdSecurityKeyPath, SensitiveResponse: true}
	if p.token != "" {
		req.Header = http.Header{mdTokenHeader: {p.token}}
		req.Secrets = []string{p.token}
	}
	return p.client.Do(ctx, "GetSecurityKey", req, nil)
}

// decodeTemporaryKeys reads {"<field>":{"access","secret","securitytoken",
// "expires_at"}} (or the SDK's alternative names accessKeyId,
// secretAccessKey, securityToken, expiration), expires_at in the form
// "2006-01-02T15:04:05Z" as the SDK requires (model.go). Errors name the
// missing field, never a value.
func decodeTemporaryKeys(resp *transport.Response, field, source string) (signer.HuaweiCredentials, error) {
	var doc map[string]json.RawMessage
	var m map[string]string
	if json.Unmarshal(resp.Body, &doc) != nil || json.Unmarshal(doc[field], &m) != nil {
		return signer.HuaweiCredentials{}, errors.New("huaweicreds: " + source + ": the answer is not the expected JSON object")
	}
	pick := func(a, b string) (string, error) {
		if v, ok := m[a]; ok {
			return v, nil
		}
		if v, ok := m[b]; ok {
			return v, nil
		}
		return "", errors.New("huaweicreds: " + source + ": the answer has no " + field + "." + a)
	}
	var c signer.HuaweiCredentials
	var err error
	if c.AccessKey, err = pick("access", "accessKeyId"); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if c.SecretKey, err = pick("secret", "secretAccessKey"); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if c.SecurityToken, err = pick("securitytoken", "securityToken"); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	exp, err := pick("expires_at", "expiration")
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if c.Expires, err = time.ParseInLocation("2006-01-02T15:04:05Z", exp, time.UTC); err != nil {
		// IAM's federation answers carry fractions of a second.
		if c.Expires, err = time.Parse(time.RFC3339, exp); err != nil {
			return signer.HuaweiCredentials{}, errors.New("huaweicreds: " + source + ": " + field + ".expires_at is not a time")
		}
	}
	c.Source = source
	return c, nil
}

// providerFunc adapts a fetch function to signer.HuaweiCredentialsProvider,
// for the caches in front of this package's sources.
type providerFunc func(context.Context) (signer.HuaweiCredentials, error)

func (f providerFunc) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	return f(ctx)
}
