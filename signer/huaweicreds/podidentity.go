package huaweicreds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// CCE pod identity facts from huaweicloud-sdk-go-v3 v0.1.207
// (core/auth/provider/pod_identity_provider.go,
// core/auth/internal/pod_identity_accessor.go and sts_accessor.go).
const (
	EnvPodIdentityURI       = "HC_CONTAINER_CREDENTIALS_FULL_URI"
	EnvPodIdentityTokenFile = "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE"
	// SourcePodIdentity is the Source of the keys pod identity gives.
	SourcePodIdentity = "cce-pod-identity"
	// tokenFileMax bounds a token file read: service account and OIDC
	// tokens are a few KiB.
	tokenFileMax = 64 << 10
)

// PodIdentityConfig configures a PodIdentityProvider.
type PodIdentityConfig struct {
	// URI is the pod identity agent's full URL
	// (HC_CONTAINER_CREDENTIALS_FULL_URI); TokenFile is the file holding
	// the service account token (HC_CONTAINER_AUTHORIZATION_TOKEN_FILE).
	URI, TokenFile string
	Settings       transport.Settings
	Now            func() time.Time // nil: time.Now
	CacheOptions   []signer.HuaweiCacheOption
}

// PodIdentityConfigFromEnv reads HC_CONTAINER_CREDENTIALS_FULL_URI and
// HC_CONTAINER_AUTHORIZATION_TOKEN_FILE; either unset is an error naming it
// and wrapping signer.ErrNoCredentials.
func PodIdentityConfigFromEnv() (PodIdentityConfig, error) {
	c := PodIdentityConfig{URI: os.Getenv(EnvPodIdentityURI), TokenFile: os.Getenv(EnvPodIdentityTokenFile)}
	switch {
	case c.URI == "":
		return c, envMissing(EnvPodIdentityURI)
	case c.TokenFile == "":
		return c, envMissing(EnvPodIdentityTokenFile)
	}
	return c, nil
}

// PodIdentityProvider gets temporary keys for a CCE pod from the pod
// identity agent, as huaweicloud-sdk-go-v3's PodIdentityCredentialProvider:
// POST URI with the body "{}", Content-Type "application/json;
// charset=utf-8" and Authorization set to the token file's content,
// trimmed, read again at every fetch (the kubelet rotates it). The answer's
// credentials.{accessKeyId, secretAccessKey, securityToken, expiration} are
// cached in a signer.HuaweiCredentialsCache and refreshed before they
// expire, once for all callers. The token is a request secret: it is
// scrubbed from anything the agent echoes, and never in an error.
//
// Errors: an empty or unreadable token file, and the transport's errors (a
// 401 or 403 is a *transport.ResponseError). Safe for concurrent use.
type PodIdentityProvider struct {
	cache     *signer.HuaweiCredentialsCache
	client    *transport.Client
	path      string
	query     string
	tokenFile string
}

// NewPodIdentityProvider checks cfg and returns the provider; it makes no
// request and reads no file until keys are needed.
func NewPodIdentityProvider(cfg PodIdentityConfig) (*PodIdentityProvider, error) {
	if cfg.TokenFile == "" {
		return nil, &transport.ValidationError{Field: "PodIdentityConfig.TokenFile", Rule: "is required"}
	}
	u, err := transport.ParseEndpoint(cfg.URI)
	if err != nil {
		return nil, errors.New("huaweicreds: PodIdentityConfig.URI: " + err.Error())
	}
	tc, err := transport.New(transport.Config{
		Service:  transport.Service{ID: "PodIdentity", Protocol: transport.HuaweiJSON},
		Endpoint: u.Scheme + "://" + u.Host,
		Auth:     iamNoAuth{},
		Settings: cfg.Settings,
	})
	if err != nil {
		return nil, fmt.Errorf("huaweicreds: PodIdentityConfig: %w", err)
	}
	p := &PodIdentityProvider{client: tc, path: u.Path, query: u.RawQuery, tokenFile: cfg.TokenFile}
	if p.path == "" {
		p.path = "/"
	}
	opts := cfg.CacheOptions
	if cfg.Now != nil {
		opts = append([]signer.HuaweiCacheOption{signer.WithHuaweiCacheClock(cfg.Now)}, opts...)
	}
	p.cache = signer.NewHuaweiCredentialsCache(providerFunc(p.fetch), opts...)
	return p, nil
}

// RetrieveHuawei returns the cached keys, fetching them when none are
// cached or they are due for refresh. A nil ctx is a validation error.
func (p *PodIdentityProvider) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if p == nil || p.cache == nil {
		return signer.HuaweiCredentials{}, errors.New("huaweicreds: PodIdentityProvider is not initialised; use NewPodIdentityProvider")
	}
	return p.cache.RetrieveHuawei(ctx)
}

// String names the provider and its token file (a path, not a secret).
func (p *PodIdentityProvider) String() string {
	if p == nil {
		return "huaweicreds.PodIdentityProvider(<nil>)"
	}
	return "huaweicreds.PodIdentityProvider(" + p.tokenFile + ")"
}

func (p *PodIdentityProvider) fetch(ctx context.Context) (signer.HuaweiCredentials, error) {
	token, err := readTokenFile("pod identity token file", p.tokenFile)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	req := &transport.Request{
		Method: http.MethodPost, Path: p.path, RawQuery: p.query,
		ContentType: "application/json; charset=utf-8", Body: []byte("{}"),
		Header:            http.Header{"Authorization": {token}},
		Secrets:           []string{token},
		SensitiveResponse: true,
	}
	resp, err := p.client.Do(ctx, "GetCredentials", req, nil)
	if err != nil {
		return signer.HuaweiCredentials{}, fmt.Errorf("huaweicreds: CCE pod identity: %w", err)
	}
	return decodeTemporaryKeys(resp, "credentials", SourcePodIdentity)
}

// readTokenFile reads a token file as the SDK's getContent: trimmed, and
// empty is an error. Errors name the file, never its content.
func readTokenFile(what, path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("huaweicreds: %s: %w", what, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, tokenFileMax+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("huaweicreds: %s %s: %w", what, path, err)
	case len(data) > tokenFileMax:
		return "", fmt.Errorf("huaweicreds: %s %s is larger than %d bytes", what, path, tokenFileMax)
	}
	tok := strings.TrimSpace(string(data))
	if tok == "" {
		return "", fmt.Errorf("huaweicreds: %s %s is empty", what, path)
	}
	if strings.ContainsAny(tok, "\r\n\x00") {
		return "", fmt.Errorf("huaweicreds: %s %s holds more than one line", what, path)
	}
	return tok, nil
}
