package awscreds

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// ssoService and ssoOIDCService are the SSO portal and SSO OIDC for the
// transport: restJson1 errors ({"__type","message"}).
var (
	ssoService     = transport.Service{ID: "SSO", Protocol: transport.AWSRestJSON}
	ssoOIDCService = transport.Service{ID: "SSO OIDC", Protocol: transport.AWSRestJSON}
)

// ssoLogin is the advice every error of an expired or unusable session ends
// with.
const ssoLogin = "run `aws sso login` to sign in again"

// SSOTokenFile returns where the AWS CLI caches the SSO token of key, as
// aws-sdk-go-v2's ssocreds.StandardCachedTokenFilepath names it
// (credentials v1.21.1): ~/.aws/sso/cache/<hex SHA-1 of key>.json. key is
// the sso_session name for a profile with sso_session, else the legacy
// profile's sso_start_url.
func SSOTokenFile(key string) (string, error) {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("awscreds: cannot find the home directory for the SSO token cache")
	}
	sum := sha1.Sum([]byte(key))
	return filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json"), nil
}

// SSOConfig configures an SSOProvider with a profile's SSO settings.
type SSOConfig struct {
	// AccountID and RoleName (sso_account_id, sso_role_name) name the
	// role whose credentials are asked for (required).
	AccountID, RoleName string
	// Region (sso_region, of the sso-session section or of a legacy
	// profile) places the portal and OIDC endpoints (required).
	Region string
	// TokenFile is the cached token `aws sso login` wrote (required; see
	// SSOTokenFile). It is read at every call.
	TokenFile string
	// Refresh, for profiles with sso_session, refreshes an expired token
	// through SSO OIDC CreateToken when the file has clientId,
	// clientSecret and refreshToken, and writes it back. Legacy profiles
	// (sso_start_url without sso_session) never refresh, as in the SDK.
	Refresh bool
	// Endpoint and OIDCEndpoint override the portal's and OIDC's
	// endpoints (AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC, ...).
	Endpoint, OIDCEndpoint string
	UseFIPS, UseDualStack  bool
	// Settings are the transport's: HTTP client, retries, logger, clock.
	Settings transport.Settings
}

// SSOProvider gets a role's credentials with the cached IAM Identity
// Center (SSO) token: GET /federation/credentials?account_id=&role_name=
// on https://portal.sso.{region}.amazonaws.com with the token in
// x-amz-sso_bearer_token, unsigned, answered with epoch-millisecond
// expiry. An expired token is refreshed first (see SSOConfig.Refresh):
// POST /token on https://oidc.{region}.amazonaws.com, and the file is
// rewritten as the CLI writes it (atomically, same permissions, members it
// does not know kept). Every call reads the file and calls the portal: wrap
// the provider in signer.NewAWSCredentialsCache. Safe for concurrent use;
// one refresh at a time, which a caller whose ctx ends stops waiting for
// (an *Error wrapping ctx.Err()). It renders without secrets under fmt,
// slog and encoding/json.
type SSOProvider struct {
	described
	portal, oidc *transport.Client
	query        string
	tokenFile    string
	refresh      bool
	now          func() time.Time
	mu           ctxMutex // one token refresh at a time; waiters leave with their ctx
}

// NewSSOProvider checks cfg and returns the provider. The token file is not
// read until the first call. Errors are *Error wrapping a
// *transport.ValidationError naming the field.
func NewSSOProvider(cfg SSOConfig) (*SSOProvider, error) {
	const src = SourceSSO
	for _, f := range []struct{ name, value string }{
		{"AccountID", cfg.AccountID}, {"RoleName", cfg.RoleName}, {"TokenFile", cfg.TokenFile}} {
		switch {
		case f.value == "":
			return nil, invalid(src, f.name, "is required")
		case hasControl(f.value):
			return nil, invalid(src, f.name, "must not contain control characters")
		}
	}
	portalURL, err := regionalEndpoint("portal.sso", cfg.Region, cfg.Endpoint, cfg.UseFIPS, cfg.UseDualStack)
	if err != nil {
		return nil, invalid(src, "Region", err.Error())
	}
	oidcURL, err := regionalEndpoint("oidc", cfg.Region, cfg.OIDCEndpoint, cfg.UseFIPS, cfg.UseDualStack)
	if err != nil {
		return nil, invalid(src, "Region", err.Error())
	}
	portal, err := newClient(src, ssoService, portalURL, anonymous{}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	oidc, err := newClient(src, ssoOIDCService, oidcURL, anonymous{}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	return &SSOProvider{
		described: described{"awscreds.SSOProvider{AccountID:" + cfg.AccountID + " RoleName:" + cfg.RoleName +
			" TokenFile:" + cfg.TokenFile + " Endpoint:" + portalURL + "}"},
		portal:    portal,
		oidc:      oidc,
		query:     url.Values{"account_id": {cfg.AccountID}, "role_name": {cfg.RoleName}}.Encode(),
		tokenFile: cfg.TokenFile,
		refresh:   cfg.Refresh,
		now:       clock(&cfg.Settings),
	}, nil
}

// RetrieveAWS reads the token (refreshing it if it has expired and may be
// refreshed) and calls GetRoleCredentials (Source "SSOProvider"). Errors
// are *Error: a missing, unreadable, expired or rejected token says to run
// `aws sso login`. The tokens and the client secret are registered with the
// transport's redaction.
func (p *SSOProvider) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	const src = SourceSSO
	if err := checkContext(ctx, src); err != nil {
		return signer.AWSCredentials{}, err
	}
	if err := p.mu.lock(ctx); err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "wait for the token refresh in flight", Err: err}
	}
	token, err := p.accessToken(ctx)
	p.mu.unlock()
	if err != nil {
		return signer.AWSCredentials{}, err
	}
	req := &transport.Request{Method: http.MethodGet, Path: "/federation/credentials", RawQuery: p.query,
		Header: http.Header{"X-Amz-Sso_bearer_token": {token}}, Secrets: []string{token}, SensitiveResponse: true}
	resp, err := p.portal.Do(ctx, "GetRoleCredentials", req, nil)
	if err != nil {
		reason := "get role credentials"
		var re *transport.ResponseError
		if errors.As(err, &re) && re.StatusCode == http.StatusUnauthorized {
			reason += " (the SSO session is no longer valid; " + ssoLogin + ")"
		}
		return signer.AWSCredentials{}, &Error{Source: src, Reason: reason, Err: err}
	}
	creds, err := decodeSSOCredentials(resp)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "get role credentials", Err: err}
	}
	return creds, nil
}

// accessToken returns a token that has not expired, refreshing the cached
// one if it has.
func (p *SSOProvider) accessToken(ctx context.Context) (string, error) {
	const src = SourceSSO
	f, err := readCacheFile(p.tokenFile)
	if err != nil {
		return "", &Error{Source: src, Reason: "read the cached SSO token (" + ssoLogin + ")", Err: err}
	}
	token, err1 := f.str("accessToken")
	expires, err2 := f.str("expiresAt")
	if err := errors.Join(err1, err2); err != nil {
		return "", &Error{Source: src, Reason: "read the cached SSO token (" + ssoLogin + ")", Err: err}
	}
	exp, err := time.Parse(time.RFC3339, expires)
	if token == "" || err != nil {
		return "", &Error{Source: src, Reason: "the cached SSO token has no accessToken or no RFC 3339 expiresAt; " + ssoLogin}
	}
	now := p.now()
	if !now.After(exp) { // the SDK's test: expired only after expiresAt
		return token, nil
	}
	if !p.refresh {
		return "", &Error{Source: src, Reason: "the SSO session expired at " + exp.UTC().Format(time.RFC3339) + "; " + ssoLogin}
	}
	return p.refreshToken(ctx, f, now)
}

// refreshToken calls SSO OIDC CreateToken with the file's refresh token and
// writes the new token back.
func (p *SSOProvider) refreshToken(ctx context.Context, f *cacheFile, now time.Time) (string, error) {
	const src = SourceSSO
	var vals [3]string
	for i, k := range []string{"clientId", "clientSecret", "refreshToken"} {
		v, err := f.str(k)
		if err != nil {
			return "", &Error{Source: src, Reason: "read the cached SSO token (" + ssoLogin + ")", Err: err}
		}
		vals[i] = v
	}
	clientID, secret, refresh := vals[0], vals[1], vals[2]
	if clientID == "" || secret == "" || refresh == "" {
		return "", &Error{Source: src, Reason: "the SSO session has expired and the cached token cannot be refreshed " +
			"(no clientId, clientSecret or refreshToken); " + ssoLogin}
	}
	body, err := jsonBody(map[string]string{"clientId": clientID, "clientSecret": secret,
		"grantType": "refresh_token", "refreshToken": refresh})
	if err != nil {
		return "", &Error{Source: src, Reason: "refresh the SSO token", Err: err}
	}
	req := &transport.Request{Method: http.MethodPost, Path: "/token", ContentType: "application/json", Body: body,
		SensitiveBody: true, SensitiveResponse: true, Secrets: []string{secret, refresh}}
	resp, err := p.oidc.Do(ctx, "CreateToken", req, nil)
	if err != nil {
		return "", &Error{Source: src, Reason: "refresh the SSO token (" + ssoLogin + " if this persists)", Err: err}
	}
	var out struct {
		AccessToken  string `json:"accessToken"`
		ExpiresIn    int64  `json:"expiresIn"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := decodeJSON(resp, &out); err != nil {
		return "", &Error{Source: src, Reason: "refresh the SSO token", Err: err}
	}
	if out.AccessToken == "" {
		return "", &Error{Source: src, Reason: "refresh the SSO token", Err: decodeError(resp, "the response has no accessToken")}
	}
	f.set("accessToken", out.AccessToken)
	f.set("expiresAt", now.Add(time.Duration(out.ExpiresIn)*time.Second).UTC().Format(time.RFC3339))
	// A response without a new refresh token keeps the old one, rather
	// than leaving the file unable to refresh again.
	if out.RefreshToken != "" {
		f.set("refreshToken", out.RefreshToken)
	}
	if err := f.write(now); err != nil {
		return "", &Error{Source: src, Reason: "write the refreshed SSO token back", Err: err}
	}
	return out.AccessToken, nil
}

// decodeSSOCredentials reads GetRoleCredentials' answer.
func decodeSSOCredentials(resp *transport.Response) (signer.AWSCredentials, error) {
	var doc struct {
		RoleCredentials *struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
			Expiration      int64  `json:"expiration"` // epoch milliseconds
		} `json:"roleCredentials"`
	}
	if err := decodeJSON(resp, &doc); err != nil {
		return signer.AWSCredentials{}, err
	}
	rc := doc.RoleCredentials
	if rc == nil || rc.AccessKeyID == "" || rc.SecretAccessKey == "" {
		return signer.AWSCredentials{}, decodeError(resp, errNoCredentialsInResponse.Error())
	}
	return signer.AWSCredentials{AccessKeyID: rc.AccessKeyID, SecretAccessKey: rc.SecretAccessKey,
		SessionToken: rc.SessionToken, Expires: time.UnixMilli(rc.Expiration).UTC(), Source: SourceSSO}, nil
}
