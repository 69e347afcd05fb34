package awscreds

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const (
	ssoAccess       = "sso-ACCESS-token-0123456789"
	ssoNewAccess    = "sso-NEW-access-token-0123456789"
	ssoRefresh      = "sso-REFRESH-token-0123456789"
	ssoNewRefresh   = "sso-NEW-refresh-token-0123456789"
	ssoClientSecret = "sso-CLIENT-secret-0123456789"
)

// ssoServers are a portal and an OIDC endpoint.
func ssoServers(t *testing.T) (portal, oidc *fake) {
	portal = newFake(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
		respond(w, 200, "application/json", `{"roleCredentials":{"accessKeyId":"`+stsAK+`","secretAccessKey":"`+stsSecret+
			`","sessionToken":"`+stsToken+`","expiration":1748782800000}}`)
	})
	oidc = newFake(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
		respond(w, 200, "application/json", `{"accessToken":"`+ssoNewAccess+`","expiresIn":28800,"refreshToken":"`+ssoNewRefresh+
			`","tokenType":"Bearer","idToken":"id"}`)
	})
	return portal, oidc
}

// ssoCache writes a token file with the given members and mode.
func ssoCache(t *testing.T, mode os.FileMode, members map[string]any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.json")
	b, err := json.Marshal(members)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, mode))
	require.NoError(t, os.Chmod(path, mode))
	return path
}

func ssoMembers(expiresAt time.Time) map[string]any {
	return map[string]any{
		"startUrl": "https://d-123.awsapps.com/start", "region": "us-east-1",
		"accessToken": ssoAccess, "expiresAt": expiresAt.Format(time.RFC3339),
		"clientId": "client-id", "clientSecret": ssoClientSecret, "refreshToken": ssoRefresh,
		"registrationExpiresAt": "2030-01-01T00:00:00Z", "futureField": map[string]any{"nested": []int{1, 2}},
	}
}

func newSSO(t *testing.T, file string, refresh bool, portal, oidc *fake, now func() time.Time, logs *bytes.Buffer) *SSOProvider {
	t.Helper()
	p, err := NewSSOProvider(SSOConfig{AccountID: "123456789012", RoleName: "Admin Role", Region: "us-east-1",
		TokenFile: file, Refresh: refresh, Endpoint: portal.URL, OIDCEndpoint: oidc.URL, Settings: fast(now, logs)})
	require.NoError(t, err)
	return p
}

var wantSSOCreds = signer.AWSCredentials{AccessKeyID: stsAK, SecretAccessKey: stsSecret, SessionToken: stsToken,
	Expires: time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC), Source: SourceSSO}

func TestSSOValidToken(t *testing.T) {
	t.Parallel()
	portal, oidc := ssoServers(t)
	file := ssoCache(t, 0o600, ssoMembers(t0.Add(time.Hour)))
	p := newSSO(t, file, true, portal, oidc, func() time.Time { return t0 }, nil)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if diff := cmp.Diff(wantSSOCreds, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	reqs := portal.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	wire := map[string]string{"method": r.Method, "path": r.Path, "query": r.Query,
		"bearer": r.Header.Get("X-Amz-Sso_bearer_token"), "authorization": r.Header.Get("Authorization")}
	if diff := cmp.Diff(map[string]string{"method": "GET", "path": "/federation/credentials",
		"query": "account_id=123456789012&role_name=Admin+Role", "bearer": ssoAccess, "authorization": ""}, wire); diff != "" {
		t.Errorf("GetRoleCredentials (-want +got):\n%s", diff)
	}
	if len(oidc.requests()) != 0 {
		t.Error("a valid token was refreshed")
	}
}

func TestSSORefresh(t *testing.T) {
	t.Parallel()
	for _, mode := range []os.FileMode{0o600, 0o640} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			portal, oidc := ssoServers(t)
			file := ssoCache(t, mode, ssoMembers(t0.Add(-time.Second)))
			p := newSSO(t, file, true, portal, oidc, func() time.Time { return t0 }, nil)
			got, err := p.RetrieveAWS(t.Context())
			require.NoError(t, err)
			if diff := cmp.Diff(wantSSOCreds, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
			// CreateToken: unsigned JSON with the client and refresh token.
			reqs := oidc.requests()
			require.Len(t, reqs, 1)
			var body map[string]string
			require.NoError(t, json.Unmarshal([]byte(reqs[0].Body), &body))
			if diff := cmp.Diff(map[string]string{"clientId": "client-id", "clientSecret": ssoClientSecret,
				"grantType": "refresh_token", "refreshToken": ssoRefresh}, body); diff != "" {
				t.Errorf("CreateToken body (-want +got):\n%s", diff)
			}
			if r := reqs[0]; r.Method != "POST" || r.Path != "/token" || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Authorization") != "" {
				t.Errorf("CreateToken: %s %s %q %q", r.Method, r.Path, r.Header.Get("Content-Type"), r.Header.Get("Authorization"))
			}
			if b := portal.requests()[0].Header.Get("X-Amz-Sso_bearer_token"); b != ssoNewAccess {
				t.Errorf("portal got token %q, want the refreshed one", b)
			}

			// Written back: new token, expiry and refresh token, every other
			// member kept, same mode, no temporary file left.
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			var written map[string]any
			require.NoError(t, json.Unmarshal(raw, &written))
			want := ssoMembers(t0)
			want["accessToken"], want["refreshToken"] = ssoNewAccess, ssoNewRefresh
			want["expiresAt"] = "2025-06-01T20:00:00Z"
			want["futureField"] = map[string]any{"nested": []any{1.0, 2.0}}
			if diff := cmp.Diff(want, written); diff != "" {
				t.Errorf("file (-want +got):\n%s", diff)
			}
			info, err := os.Stat(file)
			require.NoError(t, err)
			if info.Mode().Perm() != mode {
				t.Errorf("mode = %v, want %v", info.Mode().Perm(), mode)
			}
			entries, _ := os.ReadDir(filepath.Dir(file))
			if len(entries) != 1 {
				t.Errorf("directory holds %d files, want the cache alone", len(entries))
			}

			// The next call uses the rewritten token without refreshing.
			_, err = p.RetrieveAWS(t.Context())
			require.NoError(t, err)
			if len(oidc.requests()) != 1 {
				t.Error("refreshed again")
			}
		})
	}
}

// A refresh answer without a refresh token keeps the old one, so the file
// can still be refreshed next time.
func TestSSORefreshKeepsRefreshToken(t *testing.T) {
	t.Parallel()
	portal, oidc := ssoServers(t)
	oidc.setAnswer(func(w http.ResponseWriter, _ *http.Request, _ string) {
		respond(w, 200, "application/json", `{"accessToken":"`+ssoNewAccess+`","expiresIn":3600}`)
	})
	file := ssoCache(t, 0o600, ssoMembers(t0.Add(-time.Second)))
	p := newSSO(t, file, true, portal, oidc, func() time.Time { return t0 }, nil)
	_, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	raw, _ := os.ReadFile(file)
	if !strings.Contains(string(raw), ssoRefresh) {
		t.Errorf("the refresh token was dropped: %s", raw)
	}
}

func TestSSOErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.json")
	require.NoError(t, os.WriteFile(garbage, []byte(`not json `+ssoAccess), 0o600))
	tests := []struct {
		name       string
		file       func(t *testing.T) string
		refresh    bool
		portal     func(w http.ResponseWriter, r *http.Request, body string)
		oidc       func(w http.ResponseWriter, r *http.Request, body string)
		wantText   []string
		wantAs     any
		wantOIDC   int
		wantPortal int
	}{
		{name: "missing file", file: func(*testing.T) string { return filepath.Join(dir, "none.json") },
			wantText: []string{"aws sso login"}, wantAs: new(*fs.PathError)},
		{name: "not JSON", file: func(*testing.T) string { return garbage }, wantText: []string{"aws sso login", "not a JSON object"}},
		{name: "no accessToken", file: func(t *testing.T) string {
			m := ssoMembers(t0.Add(time.Hour))
			delete(m, "accessToken")
			return ssoCache(t, 0o600, m)
		}, wantText: []string{"no accessToken", "aws sso login"}},
		{name: "accessToken not a string", file: func(t *testing.T) string {
			m := ssoMembers(t0.Add(time.Hour))
			m["accessToken"] = 5
			return ssoCache(t, 0o600, m)
		}, wantText: []string{"member accessToken is not a string"}},
		{name: "expired, legacy profile", file: func(t *testing.T) string { return ssoCache(t, 0o600, ssoMembers(t0.Add(-time.Second))) },
			wantText: []string{"SSO session expired at 2025-06-01T11:59:59Z", "aws sso login"}},
		{name: "expired, nothing to refresh with", refresh: true, file: func(t *testing.T) string {
			m := ssoMembers(t0.Add(-time.Second))
			delete(m, "refreshToken")
			return ssoCache(t, 0o600, m)
		}, wantText: []string{"cannot be refreshed", "aws sso login"}},
		{name: "refresh refused", refresh: true, file: func(t *testing.T) string { return ssoCache(t, 0o600, ssoMembers(t0.Add(-time.Second))) },
			oidc: func(w http.ResponseWriter, _ *http.Request, body string) {
				// A server that quotes the request: the secrets must not show.
				respond(w, 400, "application/json", `{"__type":"InvalidGrantException","error":"invalid_grant","message":`+jsonQuote(body)+`}`)
			},
			wantText: []string{"refresh the SSO token", "InvalidGrantException", "aws sso login"}, wantAs: new(*transport.ResponseError), wantOIDC: 1},
		{name: "portal rejects the token", file: func(t *testing.T) string { return ssoCache(t, 0o600, ssoMembers(t0.Add(time.Hour))) },
			portal: func(w http.ResponseWriter, r *http.Request, _ string) {
				w.Header().Set("X-Amzn-RequestId", r.Header.Get("X-Amz-Sso_bearer_token"))
				respond(w, 401, "application/json", `{"__type":"UnauthorizedException","message":"Session token `+r.Header.Get("X-Amz-Sso_bearer_token")+` not found or invalid"}`)
			},
			wantText: []string{"UnauthorizedException", "aws sso login"}, wantAs: new(*transport.ResponseError), wantPortal: 1},
		{name: "portal answers without credentials", file: func(t *testing.T) string { return ssoCache(t, 0o600, ssoMembers(t0.Add(time.Hour))) },
			portal: func(w http.ResponseWriter, _ *http.Request, _ string) {
				respond(w, 200, "application/json", `{"roleCredentials":{"accessKeyId":"AK","sessionToken":"`+stsToken+`"}}`)
			},
			wantText: []string{"no access key id or secret access key"}, wantAs: new(*transport.DecodeError), wantPortal: 1},
		{name: "portal answers garbage", file: func(t *testing.T) string { return ssoCache(t, 0o600, ssoMembers(t0.Add(time.Hour))) },
			portal: func(w http.ResponseWriter, _ *http.Request, _ string) {
				respond(w, 200, "application/json", `{"roleCredentials":{"secretAccessKey":"`+stsSecret+`","expiration":"soon"}}`)
			},
			wantText: []string{"field roleCredentials.expiration: unexpected JSON string"}, wantAs: new(*transport.DecodeError), wantPortal: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			portal, oidc := ssoServers(t)
			if tc.portal != nil {
				portal.setAnswer(tc.portal)
			}
			if tc.oidc != nil {
				oidc.setAnswer(tc.oidc)
			}
			var logs bytes.Buffer
			p := newSSO(t, tc.file(t), tc.refresh, portal, oidc, func() time.Time { return t0 }, &logs)
			_, err := p.RetrieveAWS(t.Context())
			if err == nil {
				t.Fatal("no error")
			}
			for _, want := range tc.wantText {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if tc.wantAs != nil && !errors.As(err, tc.wantAs) {
				t.Errorf("errors.As(%T) = false for %v", tc.wantAs, err)
			}
			if len(oidc.requests()) != tc.wantOIDC || len(portal.requests()) != tc.wantPortal {
				t.Errorf("requests: oidc %d portal %d, want %d %d", len(oidc.requests()), len(portal.requests()), tc.wantOIDC, tc.wantPortal)
			}
			if !strings.HasPrefix(err.Error(), "SSOProvider: ") || errors.Is(err, signer.ErrNoCredentials) {
				t.Errorf("error %q: want the source named, not ErrNoCredentials", err)
			}
			var re *transport.ResponseError
			texts := append(errTexts(err), logs.String())
			if errors.As(err, &re) {
				texts = append(texts, re.Message, re.RequestID, re.Snippet)
			}
			noLeak(t, texts, ssoAccess, ssoRefresh, ssoClientSecret, stsSecret)
		})
	}
}

func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestSSOConfigErrors(t *testing.T) {
	t.Parallel()
	base := SSOConfig{AccountID: "123456789012", RoleName: "r", Region: "us-east-1", TokenFile: "/f"}
	for name, tc := range map[string]struct {
		change func(*SSOConfig)
		field  string
	}{
		"no account":        {func(c *SSOConfig) { c.AccountID = "" }, "AccountID"},
		"no role":           {func(c *SSOConfig) { c.RoleName = "" }, "RoleName"},
		"control in role":   {func(c *SSOConfig) { c.RoleName = "a\r\nb" }, "RoleName"},
		"no file":           {func(c *SSOConfig) { c.TokenFile = "" }, "TokenFile"},
		"no region":         {func(c *SSOConfig) { c.Region = "" }, "Region"},
		"bad endpoint":      {func(c *SSOConfig) { c.Endpoint = "portal" }, "Endpoint"},
		"bad oidc endpoint": {func(c *SSOConfig) { c.OIDCEndpoint = "http://u:p@x" }, "Endpoint"},
	} {
		cfg := base
		tc.change(&cfg)
		_, err := NewSSOProvider(cfg)
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field {
			t.Errorf("%s: err = %v, want a ValidationError on %s", name, err, tc.field)
		}
	}
}

func TestSSOEndpoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		region       string
		fips, dual   bool
		portal, oidc string
	}{
		// Checked against service/sso v1.39.5's and ssooidc v1.44.5's resolvers.
		{"us-east-1", false, false, "https://portal.sso.us-east-1.amazonaws.com", "https://oidc.us-east-1.amazonaws.com"},
		{"cn-north-1", false, false, "https://portal.sso.cn-north-1.amazonaws.com.cn", "https://oidc.cn-north-1.amazonaws.com.cn"},
		{"us-east-1", true, false, "https://portal.sso-fips.us-east-1.amazonaws.com", "https://oidc-fips.us-east-1.amazonaws.com"},
		{"us-gov-west-1", true, false, "https://portal.sso.us-gov-west-1.amazonaws.com", "https://oidc.us-gov-west-1.amazonaws.com"},
		{"cn-north-1", false, true, "https://portal.sso.cn-north-1.api.amazonwebservices.com.cn", "https://oidc.cn-north-1.api.amazonwebservices.com.cn"},
	}
	for _, tc := range tests {
		p, err := NewSSOProvider(SSOConfig{AccountID: "1", RoleName: "r", Region: tc.region, TokenFile: "/f", UseFIPS: tc.fips, UseDualStack: tc.dual})
		require.NoError(t, err)
		if got := []string{p.portal.Endpoint(), p.oidc.Endpoint()}; !cmp.Equal(got, []string{tc.portal, tc.oidc}) {
			t.Errorf("%s fips=%t dual=%t: %v, want %s %s", tc.region, tc.fips, tc.dual, got, tc.portal, tc.oidc)
		}
	}
}

// Not parallel: it sets HOME.
func TestSSOTokenFile(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	got, err := SSOTokenFile("https://example.awsapps.com/start")
	require.NoError(t, err)
	// The vector of aws-sdk-go-v2's own test (ssocreds, credentials v1.21.1).
	want := filepath.Join(home, ".aws", "sso", "cache", "e8be5486177c5b5392bd9aa76563515b29358e6e.json")
	if got != want {
		t.Errorf("SSOTokenFile = %q, want %q", got, want)
	}
}

func TestSSORendersWithoutSecrets(t *testing.T) {
	t.Parallel()
	p, err := NewSSOProvider(SSOConfig{AccountID: "123456789012", RoleName: "Admin", Region: "eu-west-1", TokenFile: "/home/u/.aws/sso/cache/x.json"})
	require.NoError(t, err)
	want := "awscreds.SSOProvider{AccountID:123456789012 RoleName:Admin TokenFile:/home/u/.aws/sso/cache/x.json Endpoint:https://portal.sso.eu-west-1.amazonaws.com}"
	for _, r := range renderings(t, p) {
		if !strings.Contains(r, "AccountID:123456789012") {
			t.Errorf("rendering %q is not the description", r)
		}
	}
	if p.String() != want {
		t.Errorf("String = %q, want %q", p.String(), want)
	}
}
