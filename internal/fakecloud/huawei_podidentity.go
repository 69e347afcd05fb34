package fakecloud

import (
	"crypto/subtle"
	"net/http"
	"time"
)

// PodIdentityPath is where the pod identity endpoint serves credentials,
// after the server's URL (a server of [Cloud.StartAt] for
// HuaweiPodIdentity) or after Endpoint(HuaweiPodIdentity): what
// HC_CONTAINER_CREDENTIALS_FULL_URI names. The real path is not
// documented in the sources read; this one is the emulator's.
const PodIdentityPath = "/v1/pod-identity/credentials"

// PodIdentityToken is the service account token the pod identity endpoint
// accepts by default: the content of HC_CONTAINER_AUTHORIZATION_TOKEN_FILE.
const PodIdentityToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2VjbG91ZC1jY2UifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpmYWtlY2xvdWQifQ.ZmFrZWNsb3VkLWNjZQ"

// PodIdentityConfig is how the emulated pod identity endpoint behaves. A
// new or Reset Cloud demands PodIdentityToken.
type PodIdentityConfig struct {
	// Token is the Authorization value demanded, byte for byte (the SDK
	// sends the trimmed file content with no scheme). Empty demands none.
	Token string
	// CredentialLifetime is how long issued keys live; zero means
	// DefaultPodIdentityCredentialLifetime.
	CredentialLifetime time.Duration
}

// SetPodIdentity replaces the pod identity endpoint's settings until
// [Cloud.Reset].
func (c *Cloud) SetPodIdentity(cfg PodIdentityConfig) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.hw.pod = cfg
}

// podIdentityCredentials serves POST PodIdentityPath as CCE's pod identity
// agent answers huaweicloud-sdk-go-v3 (v0.1.207,
// internal/pod_identity_accessor.go: body "{}", Authorization: the token
// file's content). Success is 200 with new temporary keys in HuaweiDomainID
// in the shape of the SDK's own test of that accessor:
// {"assumedAgency":{"urn","id"},"audience","credentials":{"accessKeyId",
// "secretAccessKey","securityToken","expiration"},
// "podIdentityAssociationId","subject":{"namespace","serviceAccount"}},
// expiration in UTC with microseconds.
//
// A missing Authorization is 401 and another token 403, both
// {"message":"..."} (the emulator's choice: the agent's errors are not
// documented in the sources read; the SDK reports any non-200 body as
// is), never echoing what was sent.
func (c *Cloud) podIdentityCredentials(k *call) {
	c.mu.Lock()
	cfg := c.st.hw.pod
	c.mu.Unlock()
	if cfg.Token != "" {
		got := k.r.Header.Get("Authorization")
		switch {
		case got == "":
			k.writeJSON(http.StatusUnauthorized, map[string]string{"message": "the Authorization header is missing"})
			return
		case subtle.ConstantTimeCompare([]byte(got), []byte(cfg.Token)) != 1:
			k.writeJSON(http.StatusForbidden, map[string]string{"message": "the service account token is not valid"})
			return
		}
	}
	ic := c.issueKey(k, "", cfg.CredentialLifetime, DefaultPodIdentityCredentialLifetime)
	k.writeJSON(http.StatusOK, map[string]any{
		"assumedAgency": map[string]string{
			"urn": "iam::" + HuaweiDomainID + ":agency:fakecloud-pod-agency", "id": "fakecloud-pod-agency-id",
		},
		"audience": "sts.myhuaweicloud.com",
		"credentials": map[string]string{
			"accessKeyId": ic.AccessKey, "secretAccessKey": ic.SecretKey, "securityToken": ic.SecurityToken,
			"expiration": ic.Expires.Format(credentialTimeLayout),
		},
		"podIdentityAssociationId": "fakecloud-association",
		"subject":                  map[string]string{"namespace": "default", "serviceAccount": "fakecloud"},
	})
}

// credentialServiceError answers status for the metadata service (a
// text/plain status text, the form of its documented refusals) or the pod
// identity endpoint ({"message":"..."}): their answer to an injected fault,
// a throttled request (429) or an unreadable body (400).
func (k *call) credentialServiceError(status int) {
	if k.svc == HuaweiMetadata {
		k.plainText(status, http.StatusText(status))
		return
	}
	k.writeJSON(status, map[string]string{"message": http.StatusText(status)})
}
