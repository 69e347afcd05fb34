package fakecloud

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The ECS metadata and CCE pod identity operations, counted by
// [Cloud.Requests] and targeted by [Cloud.Inject] and [Cloud.LimitRate].
// They carry a prefix because the services give them no names of their own.
const (
	OpMetadataGetToken          = "ECSMetadata.GetToken"       // PUT /meta-data/latest/api/token
	OpMetadataGetSecurityKey    = "ECSMetadata.GetSecurityKey" // GET /openstack/latest/securitykey
	OpPodIdentityGetCredentials = "PodIdentity.GetCredentials" // POST PodIdentityPath
)

// Lifetimes of what the metadata service and the pod identity endpoint
// hand out. Huawei does not state them in the pages read; these are the
// emulator's choice.
const (
	DefaultMetadataCredentialLifetime    = time.Hour
	DefaultPodIdentityCredentialLifetime = time.Hour
	// MaxMetadataTokenTTL bounds X-Metadata-Token-Ttl-Seconds, which must
	// be 1 to 21600 seconds: the range other clouds' metadata services use,
	// and huaweicloud-sdk-go-v3 v0.1.207 asks for 21600.
	MaxMetadataTokenTTL = 6 * time.Hour
)

// huaweiCredentialServices are the ECS metadata service and the pod
// identity endpoint, served like the other services under their prefixes.
func huaweiCredentialServices() []serviceDef {
	return []serviceDef{
		{svc: HuaweiMetadata, family: familyHuawei, provider: Huawei, endpoints: []endpoint{
			{http.MethodPut, []string{"meta-data", "latest", "api", "token"}, OpMetadataGetToken, (*Cloud).metadataToken},
			{http.MethodGet, []string{"openstack", "latest", "securitykey"}, OpMetadataGetSecurityKey, (*Cloud).metadataSecurityKey},
		}},
		{svc: HuaweiPodIdentity, family: familyHuawei, provider: Huawei, endpoints: []endpoint{
			{http.MethodPost, strings.Split(strings.TrimPrefix(PodIdentityPath, "/"), "/"), OpPodIdentityGetCredentials, (*Cloud).podIdentityCredentials},
		}},
	}
}

// ECSMetadataConfig is how the emulated ECS metadata service behaves. The
// zero value, which a new or Reset Cloud has, is an instance with an
// agency bound whose metadata service gives session tokens and also
// answers without one.
type ECSMetadataConfig struct {
	// NoTokenAPI makes PUT /meta-data/latest/api/token answer 404, as a
	// metadata service without session tokens does; huaweicloud-sdk-go-v3
	// (v0.1.207, internal/metadata_accessor.go) then reads securitykey
	// without a token, as it does after 405 or 503.
	NoTokenAPI bool
	// RequireToken makes securitykey without X-Metadata-Token answer 401:
	// access without a session token is refused.
	RequireToken bool
	// NoAgency is an instance with no agency bound: securitykey answers
	// 401 "Please configure Cloud Service Agency first", the text the SDK
	// tells from a token refusal.
	NoAgency bool
	// Absent is no metadata service at all, as off ECS: every request's
	// connection is reset. (Use [Cloud.Inject] for 5xx answers.)
	Absent bool
	// CredentialLifetime is how long issued keys live; zero means
	// DefaultMetadataCredentialLifetime.
	CredentialLifetime time.Duration
}

// SetECSMetadata replaces the metadata service's settings until
// [Cloud.Reset].
func (c *Cloud) SetECSMetadata(cfg ECSMetadataConfig) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.hw.metadata = cfg
}

// metadataToken serves PUT /meta-data/latest/api/token: a session token
// for X-Metadata-Token-Ttl-Seconds seconds (1 to 21600; another value or
// none is 400), in a text/plain body (credentials.md §2.4: the SDK reads
// the body as the token, and no TTL header).
func (c *Cloud) metadataToken(k *call) {
	cfg, ok := c.metadataConfig(k)
	if !ok {
		return
	}
	if cfg.NoTokenAPI {
		k.plainText(http.StatusNotFound, "Not Found")
		return
	}
	secs, err := strconv.Atoi(k.r.Header.Get("X-Metadata-Token-Ttl-Seconds"))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > MaxMetadataTokenTTL {
		k.plainText(http.StatusBadRequest, "Bad Request")
		return
	}
	tok := randomAlnum(56, mixedAlnum)
	c.mu.Lock()
	c.st.hw.metadataTokens[tok] = k.now.Add(time.Duration(secs) * time.Second)
	c.mu.Unlock()
	k.plainText(http.StatusOK, tok)
}

// metadataSecurityKey serves GET /openstack/latest/securitykey: new
// temporary keys of the instance's agency, in HuaweiDomainID, each call
// (the real service hands out the same keys until it renews them; a new
// key each time lets a test see every refresh), as
// {"credential":{"access","secret","securitytoken","expires_at"}}.
//
// A session token in X-Metadata-Token must be one the service gave and
// not expired, else 401 "Unauthorized"; none is accepted unless
// RequireToken is set. See [ECSMetadataConfig] for the other answers.
func (c *Cloud) metadataSecurityKey(k *call) {
	cfg, ok := c.metadataConfig(k)
	if !ok {
		return
	}
	tok := k.r.Header.Get("X-Metadata-Token")
	c.mu.Lock()
	exp, known := c.st.hw.metadataTokens[tok]
	c.mu.Unlock()
	switch {
	case tok == "" && cfg.RequireToken, tok != "" && (!known || !k.now.Before(exp)):
		k.plainText(http.StatusUnauthorized, "Unauthorized")
		return
	case cfg.NoAgency:
		k.plainText(http.StatusUnauthorized, "Please configure Cloud Service Agency first")
		return
	}
	ic := c.issueKey(k, "", cfg.CredentialLifetime, DefaultMetadataCredentialLifetime)
	k.writeJSON(http.StatusOK, map[string]any{"credential": ic.credentialJSON()})
}

// metadataConfig returns the metadata settings; for an absent service it
// resets the connection and returns false.
func (c *Cloud) metadataConfig(k *call) (ECSMetadataConfig, bool) {
	c.mu.Lock()
	cfg := c.st.hw.metadata
	c.mu.Unlock()
	if cfg.Absent {
		resetConnection(k.w)
		return cfg, false
	}
	return cfg, true
}

// plainText answers status with body text as text/plain.
func (k *call) plainText(status int, text string) {
	h := k.w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(text)))
	k.w.WriteHeader(status)
	k.w.Write([]byte(text)) // a write error means the client is gone: nothing to do
}
