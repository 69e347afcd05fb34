package fakecloud

import (
	"crypto/subtle"
	"net/http"
	"time"
)

// ContainerConfig is how the emulated container credentials endpoint (ECS
// task role, EKS Pod Identity) behaves. A new or Reset Cloud serves
// ContainerPath, demands ContainerAuthToken and reports AWSAccountID.
type ContainerConfig struct {
	// Path is the escaped path credentials are served on; other paths get
	// 404.
	Path string
	// Token is the exact Authorization value demanded. Empty: none is
	// demanded, as for ECS's relative URI.
	Token string
	// AccountID is sent as AccountId (EKS Pod Identity sends it, ECS does
	// not); empty leaves it out.
	AccountID string
	// CredentialLifetime is how long issued credentials live; zero means
	// DefaultContainerCredentialLifetime.
	CredentialLifetime time.Duration
}

// SetContainer replaces the container endpoint's settings.
func (c *Cloud) SetContainer(cfg ContainerConfig) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.container = cfg
}

// containerCredentials serves GET on the configured path
// (credentials.md §1.8). With a Token configured, a request without
// Authorization gets 401 and one with another value 403, both
// {"code","message"} (the emulator's choice of codes; the agents do not
// document theirs), never echoing what was sent. Success is new
// credentials, {"AccessKeyId","SecretAccessKey","Token","AccountId",
// "Expiration"}, Expiration in RFC 3339 whole seconds.
func (c *Cloud) containerCredentials(k *call) {
	c.mu.Lock()
	cfg := c.st.container
	c.mu.Unlock()
	if cfg.Token != "" {
		got := k.r.Header.Get("Authorization")
		switch {
		case got == "":
			k.containerError(http.StatusUnauthorized, "Unauthorized", "the Authorization header is missing")
			return
		case subtle.ConstantTimeCompare([]byte(got), []byte(cfg.Token)) != 1:
			k.containerError(http.StatusForbidden, "AccessDenied", "the Authorization token is not valid")
			return
		}
	}
	ttl := cfg.CredentialLifetime
	if ttl <= 0 {
		ttl = DefaultContainerCredentialLifetime
	}
	acct := cfg.AccountID
	if acct == "" {
		acct = AWSAccountID
	}
	arn := "arn:aws:sts::" + acct + ":assumed-role/fakecloud-task-role/fakecloud-task"
	c.mu.Lock()
	ic := c.st.issue(OpContainerGetCredentials, arn, cfg.AccountID, k.now, ttl, time.Second)
	c.mu.Unlock()
	k.writeJSON(http.StatusOK, struct {
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		Token           string
		AccountID       string `json:"AccountId,omitempty"`
		Expiration      string
	}{ic.AccessKeyID, ic.SecretAccessKey, ic.SessionToken, cfg.AccountID, ic.Expires.Format(time.RFC3339)})
}
