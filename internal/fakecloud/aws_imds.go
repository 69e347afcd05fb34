package fakecloud

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// IMDSConfig is how the emulated EC2 instance metadata service behaves.
// The zero value is a service that requires IMDSv2 and has no role; a new
// or Reset Cloud has Role IMDSRoleName and nothing else set.
type IMDSConfig struct {
	// Role is the instance profile's role, listed under
	// /latest/meta-data/iam/security-credentials/. Empty: no instance
	// profile; the list and credentials answer 404, as EC2 does then.
	Role string
	// AllowV1 serves GETs that carry no token (HttpTokens "optional").
	// Without it IMDSv2 is required and they get 401. A token that is sent
	// must be valid either way.
	AllowV1 bool
	// TokenStatus, when non-zero, is answered to every token PUT instead of
	// a token. 403, 404 and 405 make aws-sdk-go-v2 fall back to IMDSv1
	// (feature/ec2/imds v1.20.9, token_provider.go); 400 does not.
	TokenStatus int
	// Absent drops every connection unanswered (the requests are still
	// recorded), as where no metadata service runs.
	Absent bool
	// CredentialLifetime is how long issued credentials live; zero means
	// DefaultIMDSCredentialLifetime.
	CredentialLifetime time.Duration
}

// SetIMDS replaces the metadata service's settings. Issued tokens stay
// valid.
func (c *Cloud) SetIMDS(cfg IMDSConfig) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.imds = cfg
}

// IMDS paths and headers (feature/ec2/imds v1.20.9).
const (
	imdsTokenPath     = "/latest/api/token"
	imdsRolesPath     = "/latest/meta-data/iam/security-credentials/"
	imdsTokenHeader   = "X-Aws-Ec2-Metadata-Token"
	imdsTTLHeader     = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"
	imdsMaxTTLSeconds = 21600 // 6 hours, the documented maximum
	imdsTimeLayout    = "2006-01-02T15:04:05Z"
)

// imdsRoute maps an IMDS request to its handler and operation.
func imdsRoute(method, path string) (func(*Cloud, *call), string) {
	switch {
	case path == imdsTokenPath && method == http.MethodPut:
		return (*Cloud).imdsToken, OpIMDSGetToken
	case path == imdsTokenPath:
		return func(c *Cloud, k *call) { k.imdsError(http.StatusMethodNotAllowed) }, ""
	case method != http.MethodGet:
		return func(c *Cloud, k *call) { k.imdsError(http.StatusMethodNotAllowed) }, ""
	case path == imdsRolesPath:
		return (*Cloud).imdsRoles, OpIMDSListRoles
	}
	if role, ok := strings.CutPrefix(path, imdsRolesPath); ok && !strings.Contains(role, "/") {
		return (*Cloud).imdsCredentials, OpIMDSGetCredentials
	}
	return func(c *Cloud, k *call) {
		if _, ok := c.imdsAuth(k); ok {
			k.imdsError(http.StatusNotFound)
		}
	}, ""
}

// imdsToken serves PUT /latest/api/token. It answers the configured
// TokenStatus if any; 403 for a request carrying X-Forwarded-For (EC2
// refuses token requests that passed through a proxy); 400 when
// X-Aws-Ec2-Metadata-Token-Ttl-Seconds is missing or not an integer from 1
// to 21600. Otherwise the token is the body (text/plain) and the TTL is
// echoed in the same header, which aws-sdk-go-v2 requires; the token is
// valid for that many seconds of the emulator clock.
func (c *Cloud) imdsToken(k *call) {
	c.mu.Lock()
	status := c.st.imds.TokenStatus
	c.mu.Unlock()
	if status != 0 {
		k.imdsError(status)
		return
	}
	if k.r.Header.Get("X-Forwarded-For") != "" {
		k.imdsError(http.StatusForbidden)
		return
	}
	ttl, err := strconv.Atoi(k.r.Header.Get(imdsTTLHeader))
	if err != nil || ttl < 1 || ttl > imdsMaxTTLSeconds {
		k.imdsError(http.StatusBadRequest)
		return
	}
	token := "AQAEA" + strings.NewReplacer("+", "-", "/", "_").Replace(randomBase64(39))
	c.mu.Lock()
	c.st.imdsTokens[token] = k.now.Add(time.Duration(ttl) * time.Second)
	c.mu.Unlock()
	k.w.Header().Set(imdsTTLHeader, strconv.Itoa(ttl))
	k.writeText(http.StatusOK, token)
}

// imdsAuth checks the token of a metadata GET: a sent token must be one the
// service issued and not expired; no token is accepted only with AllowV1.
// On failure it answers 401 and returns false.
func (c *Cloud) imdsAuth(k *call) (IMDSConfig, bool) {
	token, sent := k.r.Header.Get(imdsTokenHeader), len(k.r.Header.Values(imdsTokenHeader)) > 0
	c.mu.Lock()
	cfg := c.st.imds
	expires, known := c.st.imdsTokens[token]
	c.mu.Unlock()
	if (sent && (!known || !k.now.Before(expires))) || (!sent && !cfg.AllowV1) {
		k.imdsError(http.StatusUnauthorized)
		return cfg, false
	}
	return cfg, true
}

// imdsRoles serves GET /latest/meta-data/iam/security-credentials/: the
// role name, text/plain, or 404 without an instance profile.
func (c *Cloud) imdsRoles(k *call) {
	cfg, ok := c.imdsAuth(k)
	switch {
	case !ok:
	case cfg.Role == "":
		k.imdsError(http.StatusNotFound)
	default:
		k.writeText(http.StatusOK, cfg.Role)
	}
}

// imdsCredentials serves GET /latest/meta-data/iam/security-credentials/
// {role}: 404 for another role, else new credentials as EC2 writes them,
// {"Code":"Success","LastUpdated","Type":"AWS-HMAC","AccessKeyId",
// "SecretAccessKey","Token","Expiration"}, times in whole seconds.
//
// EC2 returns the same credentials until it rotates them, some minutes
// before they expire; the emulator issues new ones on every request so
// that a test sees each refresh a client makes.
func (c *Cloud) imdsCredentials(k *call) {
	cfg, ok := c.imdsAuth(k)
	if !ok {
		return
	}
	role := strings.TrimPrefix(k.r.URL.EscapedPath(), imdsRolesPath)
	if cfg.Role == "" || role != cfg.Role {
		k.imdsError(http.StatusNotFound)
		return
	}
	ttl := cfg.CredentialLifetime
	if ttl <= 0 {
		ttl = DefaultIMDSCredentialLifetime
	}
	arn := "arn:aws:sts::" + AWSAccountID + ":assumed-role/" + role + "/i-0fakecloud0000000"
	c.mu.Lock()
	ic := c.st.issue(OpIMDSGetCredentials, arn, AWSAccountID, k.now, ttl, time.Second)
	c.mu.Unlock()
	b, _ := json.MarshalIndent(struct {
		Code            string
		LastUpdated     string
		Type            string
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		Token           string
		Expiration      string
	}{"Success", k.now.UTC().Format(imdsTimeLayout), "AWS-HMAC", ic.AccessKeyID, ic.SecretAccessKey,
		ic.SessionToken, ic.Expires.Format(imdsTimeLayout)}, "", "  ")
	k.writeText(http.StatusOK, string(b))
}

// writeText writes body as text/plain, as the metadata service serves
// everything, JSON documents included.
func (k *call) writeText(status int, body string) {
	h := k.w.Header()
	h.Set("Content-Type", "text/plain")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	k.w.WriteHeader(status)
	k.w.Write([]byte(body)) // a write error means the client is gone: nothing to do
}
