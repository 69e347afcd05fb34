package fakecloud

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// metadataGet reads the security key, with session token tok when set.
func metadataGet(t *testing.T, srv *Server, tok string) response {
	t.Helper()
	return metadataCall(t, srv, http.MethodGet, "/openstack/latest/securitykey", "X-Metadata-Token", tok)
}

// metadataTokenOf asks for a session token living ttl seconds ("" sends
// no TTL header).
func metadataTokenOf(t *testing.T, srv *Server, ttl string) response {
	t.Helper()
	return metadataCall(t, srv, http.MethodPut, "/meta-data/latest/api/token", "X-Metadata-Token-Ttl-Seconds", ttl)
}

// metadataCall sends a request to the metadata service with header name
// set to value when value is not empty.
func metadataCall(t *testing.T, srv *Server, method, path, name, value string) response {
	t.Helper()
	hdr := map[string]string{}
	if value != "" {
		hdr[name] = value
	}
	return send(t, srv, HuaweiMetadata, method, path, "", hdr)
}

// The SDK's way: a session token, then the key with it.
func TestECSMetadata(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	resp := metadataTokenOf(t, srv, "21600")
	if resp.status != http.StatusOK || len(resp.body) != 56 || resp.header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("token: status %d, %d-byte body, Content-Type %q", resp.status, len(resp.body), resp.header.Get("Content-Type"))
	}
	tok := string(resp.body)
	resp = metadataGet(t, srv, tok)
	if ct := resp.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	cred := decodeCredential(t, resp)
	if want := "2025-01-02T04:04:05.678000Z"; cred.ExpiresAt != want {
		t.Errorf("expires_at = %q, want %q (1 hour)", cred.ExpiresAt, want)
	}
	issued := c.IssuedHuaweiCredentials()
	if len(issued) != 1 || issued[0].Op != OpMetadataGetSecurityKey || issued[0].AccessKey != cred.Access || issued[0].DomainID != HuaweiDomainID {
		t.Errorf("IssuedHuaweiCredentials = %v", issued)
	}
	if r := deleteICProfile(t, srv, cred.signer("", HuaweiDomainID), clk.Now()); r.status != http.StatusOK {
		t.Errorf("Identity Center with the keys: status %d, body %s", r.status, r.body)
	}
	// A new key each time; and without a token too (v1 access allowed).
	if again := decodeCredential(t, metadataGet(t, srv, "")); again.Access == cred.Access {
		t.Errorf("the second read gave the same key")
	}
	// The session token expires.
	clk.Advance(6 * time.Hour)
	if r := metadataGet(t, srv, tok); r.status != http.StatusUnauthorized || string(r.body) != "Unauthorized" {
		t.Errorf("expired session token: status %d, body %q", r.status, r.body)
	}
	if got := c.Requests(OpMetadataGetToken) + c.Requests(OpMetadataGetSecurityKey); got != 4 {
		t.Errorf("Requests = %d, want 4", got)
	}
}

func TestECSMetadataSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		cfg        ECSMetadataConfig
		ttl        string // "" skips the token
		tokStatus  int
		keyStatus  int
		keyBody    string // for refusals
		keyExpires string
	}{
		{"no token API", ECSMetadataConfig{NoTokenAPI: true}, "21600", 404, 200, "", "2025-01-02T04:04:05.678000Z"},
		{"token required, none sent", ECSMetadataConfig{RequireToken: true}, "", 0, 401, "Unauthorized", ""},
		{"token required, sent", ECSMetadataConfig{RequireToken: true}, "60", 200, 200, "", "2025-01-02T04:04:05.678000Z"},
		{"no agency", ECSMetadataConfig{NoAgency: true}, "21600", 200, 401, "Please configure Cloud Service Agency first", ""},
		{"lifetime", ECSMetadataConfig{CredentialLifetime: 24 * time.Hour}, "", 0, 200, "", "2025-01-03T03:04:05.678000Z"},
		{"ttl too long", ECSMetadataConfig{}, "21601", 400, 200, "", "2025-01-02T04:04:05.678000Z"},
		{"ttl zero", ECSMetadataConfig{}, "0", 400, 200, "", "2025-01-02T04:04:05.678000Z"},
		{"ttl not a number", ECSMetadataConfig{}, "6h", 400, 200, "", "2025-01-02T04:04:05.678000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := start(t)
			c.SetECSMetadata(tt.cfg)
			tok := ""
			if tt.ttl != "" {
				resp := metadataTokenOf(t, srv, tt.ttl)
				if resp.status != tt.tokStatus {
					t.Errorf("token: status %d, want %d", resp.status, tt.tokStatus)
				}
				if resp.status == http.StatusOK {
					tok = string(resp.body)
				}
			}
			resp := metadataGet(t, srv, tok)
			if resp.status != tt.keyStatus {
				t.Fatalf("key: status %d, want %d, body %s", resp.status, tt.keyStatus, resp.body)
			}
			if tt.keyStatus != http.StatusOK {
				if string(resp.body) != tt.keyBody {
					t.Errorf("key: body %q, want %q", resp.body, tt.keyBody)
				}
				return
			}
			if got := decodeCredential(t, resp).ExpiresAt; got != tt.keyExpires {
				t.Errorf("expires_at = %q, want %q", got, tt.keyExpires)
			}
		})
	}
}

// No header makes a 400; a token the service never gave is refused.
func TestECSMetadataBadTokens(t *testing.T) {
	t.Parallel()
	_, srv, _ := start(t)
	if r := metadataTokenOf(t, srv, ""); r.status != http.StatusBadRequest {
		t.Errorf("no TTL header: status %d", r.status)
	}
	if r := metadataGet(t, srv, "made-up"); r.status != http.StatusUnauthorized {
		t.Errorf("unknown session token: status %d", r.status)
	}
}

// An absent service drops the connection; injected faults answer in plain
// text.
func TestECSMetadataAbsentAndFaults(t *testing.T) {
	t.Parallel()
	c, srv, _ := start(t)
	c.SetECSMetadata(ECSMetadataConfig{Absent: true})
	req := newRequest(t, srv, HuaweiMetadata, http.MethodGet, "/openstack/latest/securitykey", nil)
	if resp, err := srv.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("absent service answered %d", resp.StatusCode)
	}
	c.SetECSMetadata(ECSMetadataConfig{})
	c.Inject(OpMetadataGetSecurityKey, Fault{Kind: ServerError})
	c.Inject(OpMetadataGetToken, Fault{Kind: Throttle})
	if r := metadataGet(t, srv, ""); r.status != http.StatusServiceUnavailable || string(r.body) != "Service Unavailable" {
		t.Errorf("503: status %d, body %q", r.status, r.body)
	}
	if r := metadataTokenOf(t, srv, "60"); r.status != http.StatusTooManyRequests || string(r.body) != "Too Many Requests" {
		t.Errorf("429: status %d, body %q", r.status, r.body)
	}
	// Reset restores the defaults.
	c.SetECSMetadata(ECSMetadataConfig{NoAgency: true})
	c.Reset()
	decodeCredential(t, metadataGet(t, srv, ""))
}

// Through a LocalDoer the absent service is a transport error.
func TestECSMetadataAbsentLocal(t *testing.T) {
	t.Parallel()
	c := New(WithClock(func() time.Time { return t0 }))
	c.SetECSMetadata(ECSMetadataConfig{Absent: true})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		"http://169.254.169.254"+string(HuaweiMetadata)+"/openstack/latest/securitykey", nil)
	mustOK(t, err)
	resp, err := LocalDoer{Cloud: c}.Do(req)
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("answered %d %s", resp.StatusCode, b)
	}
	if errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want a reset", err)
	}
}
