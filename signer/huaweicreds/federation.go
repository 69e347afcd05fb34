package huaweicreds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// Federation facts from huaweicloud-sdk-go-v3 v0.1.207
// (core/auth/internal/federal_accessor.go and iam_helper.go).
const (
	EnvIdPID       = "HUAWEICLOUD_SDK_IDP_ID"
	EnvIDTokenFile = "HUAWEICLOUD_SDK_ID_TOKEN_FILE"
	// SourceFederation is the Source of federated keys.
	SourceFederation = "oidc-federation"

	fedIDTokenPath = "/v3.0/OS-AUTH/id-token/tokens"
	fedKeysPath    = "/v3.0/OS-CREDENTIAL/securitytokens"
	fedDuration    = 6 * 60 * 60 // seconds, the SDK's defaultDurationSeconds

	iamOpCreateTokenWithIDToken   = "CreateTokenWithIdToken"
	iamOpCreateTemporaryAccessKey = "CreateTemporaryAccessKeyByToken"
)

// FederationConfig configures a FederationProvider.
type FederationConfig struct {
	IdPID       string // the IAM identity provider (HUAWEICLOUD_SDK_IDP_ID, idp_id)
	IDTokenFile string // the OIDC ID token file (HUAWEICLOUD_SDK_ID_TOKEN_FILE, id_token_file)
	// Endpoint is IAM's base URL (the profile's iam_endpoint); empty: the
	// global IAM endpoint for Region's cloud.
	Endpoint string
	Region   string
	OTC      bool
	// ProjectID and DomainID are copied into the keys, as the SDK's
	// credentials carry them beside the federated keys.
	ProjectID, DomainID string
	Settings            transport.Settings
	Now                 func() time.Time // nil: time.Now
	CacheOptions        []signer.HuaweiCacheOption
}

// FederationConfigFromEnv reads HUAWEICLOUD_SDK_IDP_ID,
// HUAWEICLOUD_SDK_ID_TOKEN_FILE, HUAWEICLOUD_SDK_PROJECT_ID and
// HUAWEICLOUD_SDK_DOMAIN_ID. Either of the first two unset is an error
// naming it and wrapping signer.ErrNoCredentials.
func FederationConfigFromEnv() (FederationConfig, error) {
	c := FederationConfig{IdPID: os.Getenv(EnvIdPID), IDTokenFile: os.Getenv(EnvIDTokenFile),
		ProjectID: os.Getenv("HUAWEICLOUD_SDK_PROJECT_ID"), DomainID: os.Getenv("HUAWEICLOUD_SDK_DOMAIN_ID")}
	switch {
	case c.IdPID == "":
		return c, envMissing(EnvIdPID)
	case c.IDTokenFile == "":
		return c, envMissing(EnvIDTokenFile)
	}
	return c, nil
}

// FederationConfigFromProfile is the federation described by a federated
// section of the profile file (see signer.LoadHuaweiProfile).
func FederationConfigFromProfile(p signer.HuaweiProfile) FederationConfig {
	return FederationConfig{IdPID: p.IdPID, IDTokenFile: p.IDTokenFile, Endpoint: p.IAMEndpoint,
		ProjectID: p.Credentials.ProjectID, DomainID: p.Credentials.DomainID}
}

// FederationProvider exchanges an OIDC ID token (GitHub Actions, a CCE
// service account, ...) for temporary keys, as huaweicloud-sdk-go-v3's
// FederalAccessor: the token file is read again (trimmed) at every fetch;
// POST {IAM}/v3.0/OS-AUTH/id-token/tokens with X-Idp-Id and
// {"auth":{"id_token":{"id":<ID token>}}} gives an unscoped token in
// X-Subject-Token; POST {IAM}/v3.0/OS-CREDENTIAL/securitytokens with
// {"auth":{"identity":{"methods":["token"],"token":{"id":<token>,
// "duration_seconds":21600}}}} gives the keys. The keys are cached in a
// signer.HuaweiCredentialsCache and refreshed before they expire, once for
// all callers. The ID token and the IAM token are request secrets: scrubbed
// from whatever IAM or a proxy echoes, never in an error or a log.
//
// Errors: an unreadable or empty token file; IAM's answers as
// *transport.ResponseError inside a *smithy.OperationError (service "IAM",
// operation CreateTokenWithIdToken or CreateTemporaryAccessKeyByToken).
type FederationProvider struct {
	cache *signer.HuaweiCredentialsCache
	tc    *transport.Client
	cfg   FederationConfig
}

// NewFederationProvider checks cfg and returns the provider; it makes no
// request and reads no file until keys are needed.
func NewFederationProvider(cfg FederationConfig) (*FederationProvider, error) {
	switch {
	case cfg.IdPID == "":
		return nil, &transport.ValidationError{Field: "FederationConfig.IdPID", Rule: "is required"}
	case cfg.IDTokenFile == "":
		return nil, &transport.ValidationError{Field: "FederationConfig.IDTokenFile", Rule: "is required"}
	}
	if err := iamCheckText("FederationConfig.IdPID", cfg.IdPID); err != nil {
		return nil, err
	}
	endpoint, err := iamResolveEndpoint("FederationConfig", cfg.Endpoint, cfg.OTC, cfg.Region)
	if err != nil {
		return nil, err
	}
	tc, err := transport.New(transport.Config{Service: iamService(), Endpoint: endpoint, Auth: iamNoAuth{}, Settings: cfg.Settings})
	if err != nil {
		return nil, fmt.Errorf("huaweicreds: FederationConfig: %w", err)
	}
	p := &FederationProvider{tc: tc, cfg: cfg}
	p.cfg.Settings = transport.Settings{}
	opts := cfg.CacheOptions
	if cfg.Now != nil {
		opts = append([]signer.HuaweiCacheOption{signer.WithHuaweiCacheClock(cfg.Now)}, opts...)
	}
	p.cache = signer.NewHuaweiCredentialsCache(providerFunc(p.fetch), opts...)
	return p, nil
}

// RetrieveHuawei returns the cached keys, fetching them when none are
// cached or they are due for refresh. A nil ctx is a validation error.
func (p *FederationProvider) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if p == nil || p.cache == nil {
		return signer.HuaweiCredentials{}, errors.New("huaweicreds: FederationProvider is not initialised; use NewFederationProvider")
	}
	return p.cache.RetrieveHuawei(ctx)
}

// String names the provider, its identity provider and token file path.
func (p *FederationProvider) String() string {
	if p == nil {
		return "huaweicreds.FederationProvider(<nil>)"
	}
	return "huaweicreds.FederationProvider(idp " + p.cfg.IdPID + ", " + p.cfg.IDTokenFile + ")"
}

func (p *FederationProvider) fetch(ctx context.Context) (signer.HuaweiCredentials, error) {
	idToken, err := readTokenFile("ID token file", p.cfg.IDTokenFile)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	var in struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
		} `json:"auth"`
	}
	in.Auth.IDToken.ID = idToken
	body, _ := json.Marshal(in) // a struct of strings always encodes
	resp, err := p.tc.Do(ctx, iamOpCreateTokenWithIDToken, &transport.Request{
		Method: http.MethodPost, Path: fedIDTokenPath, ContentType: "application/json;charset=UTF-8",
		Header: http.Header{"X-Idp-Id": {p.cfg.IdPID}}, Body: body,
		SensitiveBody: true, SensitiveResponse: true, Secrets: []string{idToken},
	}, nil)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	tok, derr := iamDecodeToken(resp)
	if derr != nil {
		return signer.HuaweiCredentials{}, p.tc.OpError(iamOpCreateTokenWithIDToken, derr)
	}
	var keysIn struct {
		Auth struct {
			Identity struct {
				Methods []string `json:"methods"`
				Token   struct {
					ID              string `json:"id"`
					DurationSeconds int    `json:"duration_seconds"`
				} `json:"token"`
			} `json:"identity"`
		} `json:"auth"`
	}
	keysIn.Auth.Identity.Methods = []string{"token"}
	keysIn.Auth.Identity.Token.ID = tok.Value
	keysIn.Auth.Identity.Token.DurationSeconds = fedDuration
	body, _ = json.Marshal(keysIn)
	resp, err = p.tc.Do(ctx, iamOpCreateTemporaryAccessKey, &transport.Request{
		Method: http.MethodPost, Path: fedKeysPath, ContentType: "application/json;charset=UTF-8", Body: body,
		SensitiveBody: true, SensitiveResponse: true, Secrets: []string{tok.Value, idToken},
	}, nil)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	c, err := decodeTemporaryKeys(resp, "credential", SourceFederation)
	if err != nil {
		return signer.HuaweiCredentials{}, p.tc.OpError(iamOpCreateTemporaryAccessKey, err)
	}
	c.ProjectID, c.DomainID = p.cfg.ProjectID, p.cfg.DomainID
	return c, nil
}
