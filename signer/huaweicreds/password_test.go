package huaweicreds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// iamTokenServer is a fake IAM answering POST /iam/v3/auth/tokens. Each
// token it issues is "<iamTestToken>-<n>" and expires at expires.
type iamTokenServer struct {
	*httptest.Server
	hits    atomic.Int32
	expires time.Time

	mu      sync.Mutex
	bodies  []any
	headers []http.Header
	queries []string
	// respond, when set, answers instead of issuing a token.
	respond func(w http.ResponseWriter, n int32) bool
}

func newIAMTokenServer(t *testing.T) *iamTokenServer {
	t.Helper()
	s := &iamTokenServer{expires: iamTestTime.Add(24 * time.Hour)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.hits.Add(1)
		raw, _ := io.ReadAll(r.Body)
		var body any
		if err := json.Unmarshal(raw, &body); err != nil {
			body = "not JSON: " + string(raw)
		}
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.headers = append(s.headers, r.Header.Clone())
		s.queries = append(s.queries, r.Method+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery)
		respond := s.respond
		s.mu.Unlock()
		if respond != nil && respond(w, n) {
			return
		}
		w.Header().Set("X-Subject-Token", iamTestToken+"-"+string(rune('0'+n)))
		iamWriteJSON(w, http.StatusCreated, `{"token":{"expires_at":"`+s.expires.Format("2006-01-02T15:04:05.000000Z")+
			`","issued_at":"2025-01-02T03:04:05.000000Z","methods":["password"]}}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *iamTokenServer) setRespond(f func(w http.ResponseWriter, n int32) bool) {
	s.mu.Lock()
	s.respond = f
	s.mu.Unlock()
}

func iamTestPasswordConfig(endpoint string) PasswordConfig {
	return PasswordConfig{
		Endpoint:    endpoint,
		Region:      "eu-de",
		OTC:         true,
		UserName:    "alice",
		Password:    iamTestPassword,
		DomainName:  "OTC-EU-DE-00000000001000000001",
		ProjectName: "eu-de_project",
		Settings:    iamTestSettings(),
	}
}

func TestPasswordTokenSourceRequest(t *testing.T) {
	t.Parallel()
	user := func(project map[string]any) any {
		return map[string]any{"auth": map[string]any{
			"identity": map[string]any{
				"methods": []any{"password"},
				"password": map[string]any{"user": map[string]any{
					"domain":   map[string]any{"name": "OTC-EU-DE-00000000001000000001"},
					"name":     "alice",
					"password": iamTestPassword,
				}},
			},
			"scope": map[string]any{"project": project},
		}}
	}
	tests := map[string]struct {
		change func(*PasswordConfig)
		want   any
	}{
		"project name": {func(*PasswordConfig) {}, user(map[string]any{"name": "eu-de_project",
			"domain": map[string]any{"name": "OTC-EU-DE-00000000001000000001"}})},
		"project id": {func(c *PasswordConfig) { c.ProjectName, c.ProjectID = "", "0123456789abcdef" },
			user(map[string]any{"id": "0123456789abcdef"})},
		"domain by id": {func(c *PasswordConfig) { c.DomainName, c.DomainID = "", "d1d2" }, map[string]any{"auth": map[string]any{
			"identity": map[string]any{"methods": []any{"password"}, "password": map[string]any{"user": map[string]any{
				"domain": map[string]any{"id": "d1d2"}, "name": "alice", "password": iamTestPassword}}},
			"scope": map[string]any{"project": map[string]any{"name": "eu-de_project", "domain": map[string]any{"id": "d1d2"}}},
		}}},
		"region as project name": {func(c *PasswordConfig) { c.ProjectName = "" }, user(map[string]any{"name": "eu-de",
			"domain": map[string]any{"name": "OTC-EU-DE-00000000001000000001"}})},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newIAMTokenServer(t)
			cfg := iamTestPasswordConfig(srv.URL + "/iam")
			tc.change(&cfg)
			s, err := NewPasswordTokenSource(cfg, signer.WithTokenClock(func() time.Time { return iamTestTime }))
			require.NoError(t, err)

			tok, err := s.Token(t.Context())
			require.NoError(t, err)
			if diff := cmp.Diff(signer.Token{Value: iamTestToken + "-1", ExpiresAt: srv.expires}, tok); diff != "" {
				t.Errorf("token (-want +got):\n%s", diff)
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if diff := cmp.Diff([]string{"POST /iam/v3/auth/tokens?nocatalog=true"}, srv.queries); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if got := srv.headers[0].Get("Content-Type"); got != "application/json;charset=utf8" {
				t.Errorf("Content-Type = %q", got)
			}
			for _, h := range []string{"Authorization", "X-Auth-Token", "X-Sdk-Date"} {
				if v := srv.headers[0].Get(h); v != "" {
					t.Errorf("%s = %q, want none", h, v)
				}
			}
			if diff := cmp.Diff(tc.want, srv.bodies[0]); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPasswordTokenSourceCachesAndRefreshes(t *testing.T) {
	t.Parallel()
	srv := newIAMTokenServer(t)
	clock := &iamClock{t: iamTestTime}
	cfg := iamTestPasswordConfig(srv.URL)
	cfg.Now = clock.Now // the token clock defaults to the settings' clock
	s, err := NewPasswordTokenSource(cfg)
	require.NoError(t, err)
	ctx := t.Context()

	steps := []struct {
		name     string
		before   func()
		wantTok  string
		wantHits int32
	}{
		{"first call fetches", func() {}, iamTestToken + "-1", 1},
		{"second call is cached", func() {}, iamTestToken + "-1", 1},
		{"still cached 11 minutes before expiry", func() { clock.Set(srv.expires.Add(-11 * time.Minute)) }, iamTestToken + "-1", 1},
		{"refreshed 10 minutes before expiry", func() {
			srv.expires = srv.expires.Add(24 * time.Hour) // the next token's expiry
			clock.Set(iamTestTime.Add(24*time.Hour - 10*time.Minute))
		}, iamTestToken + "-2", 2},
		{"invalidated token is refetched", func() { s.Invalidate(signer.Token{Value: iamTestToken + "-2"}) }, iamTestToken + "-3", 3},
		{"invalidating an old token does nothing", func() { s.Invalidate(signer.Token{Value: iamTestToken + "-1"}) }, iamTestToken + "-3", 3},
	}
	for _, st := range steps {
		st.before()
		tok, err := s.Token(ctx)
		require.NoError(t, err, st.name)
		if tok.Value != st.wantTok || srv.hits.Load() != st.wantHits {
			t.Errorf("%s: token %q after %d hits, want %q after %d", st.name, tok.Value, srv.hits.Load(), st.wantTok, st.wantHits)
		}
	}
}

func TestPasswordTokenSourceOneFetchForManyCallers(t *testing.T) {
	t.Parallel()
	srv := newIAMTokenServer(t)
	release := make(chan struct{})
	srv.setRespond(func(http.ResponseWriter, int32) bool {
		<-release // hold the fetch so that callers pile up
		return false
	})
	// The fake IAM's tokens expire a day after iamTestTime: a caller that
	// arrives after the fetch must find the token still fresh.
	s, err := NewPasswordTokenSource(iamTestPasswordConfig(srv.URL), signer.WithTokenClock(func() time.Time { return iamTestTime }))
	require.NoError(t, err)

	const callers = 100
	var wg sync.WaitGroup
	toks := make([]signer.Token, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { toks[i], errs[i] = s.Token(t.Context()) })
	}
	close(release)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || toks[i].Value != iamTestToken+"-1" {
			t.Fatalf("caller %d: %v, %v", i, toks[i], errs[i])
		}
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("IAM got %d requests, want 1", n)
	}
}

func TestPasswordTokenSourceErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status   int
		header   http.Header
		body     string
		wantHits int32
		check    func(t *testing.T, err error)
	}{
		"wrong password": {
			status: 401, body: `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`,
			wantHits: 1,
			check: func(t *testing.T, err error) {
				var re *transport.ResponseError
				require.ErrorAs(t, err, &re)
				if re.StatusCode != 401 || re.Message != "The username or password is wrong." || re.RequestID != "req-iam-1" {
					t.Errorf("ResponseError = %+v", re)
				}
				if !errors.Is(err, transport.ErrUnauthorized) {
					t.Errorf("not ErrUnauthorized: %v", err)
				}
			},
		},
		"gateway throttling is retried": {
			status: 429, body: `{"error_code":"APIGW.0308","error_msg":"throttled","request_id":"r"}`, wantHits: 3,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, transport.ErrThrottled) {
					t.Errorf("not ErrThrottled: %v", err)
				}
			},
		},
		"server error is retried": {status: 503, body: `{}`, wantHits: 3},
		"no X-Subject-Token": {status: 201, body: `{"token":{"expires_at":"2025-01-03T03:04:05.000000Z"}}`, wantHits: 1,
			check: iamWantDecodeError("X-Subject-Token")},
		"no expires_at": {status: 201, header: http.Header{"X-Subject-Token": {"t"}}, body: `{"token":{}}`, wantHits: 1,
			check: iamWantDecodeError("expires_at")},
		"bad expires_at": {status: 201, header: http.Header{"X-Subject-Token": {"t"}}, body: `{"token":{"expires_at":"tomorrow"}}`,
			wantHits: 1, check: iamWantDecodeError("not an ISO 8601 time")},
		"body not JSON": {status: 201, header: http.Header{"X-Subject-Token": {"t"}}, body: `<html>`, wantHits: 1,
			check: iamWantDecodeError("not valid JSON")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newIAMTokenServer(t)
			srv.setRespond(func(w http.ResponseWriter, _ int32) bool {
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				iamWriteJSON(w, tc.status, tc.body)
				return true
			})
			s, err := NewPasswordTokenSource(iamTestPasswordConfig(srv.URL))
			require.NoError(t, err)
			_, err = s.Token(t.Context())
			if err == nil {
				t.Fatal("no error")
			}
			var oe *smithy.OperationError
			if !errors.As(err, &oe) || oe.ServiceID != "IAM" || oe.OperationName != "CreateToken" {
				t.Errorf("error does not name IAM CreateToken: %v", err)
			}
			if strings.Contains(err.Error(), "pa$$w0rd") {
				t.Errorf("error leaks the password: %v", err)
			}
			if n := srv.hits.Load(); n != tc.wantHits {
				t.Errorf("IAM got %d requests, want %d", n, tc.wantHits)
			}
			if tc.check != nil {
				tc.check(t, err)
			}
			// A failure is not cached: the next call asks again.
			before := srv.hits.Load()
			_, _ = s.Token(t.Context())
			if srv.hits.Load() == before {
				t.Error("a failed fetch was cached")
			}
		})
	}
}

func iamWantDecodeError(substr string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var de *transport.DecodeError
		if !errors.As(err, &de) || !strings.Contains(de.Error(), substr) {
			t.Errorf("want a DecodeError mentioning %q, got %v", substr, err)
		}
	}
}

func TestPasswordConfigInvalid(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		change func(*PasswordConfig)
		want   string
	}{
		"no user":              {func(c *PasswordConfig) { c.UserName = "" }, "PasswordConfig.UserName is required"},
		"no password":          {func(c *PasswordConfig) { c.Password = "" }, "PasswordConfig.Password is required"},
		"no domain":            {func(c *PasswordConfig) { c.DomainName = "" }, "PasswordConfig.DomainName or DomainID is required"},
		"project name and id":  {func(c *PasswordConfig) { c.ProjectID = "p" }, "ProjectName and ProjectID are exclusive"},
		"no scope":             {func(c *PasswordConfig) { c.ProjectName, c.Region, c.Endpoint = "", "", "https://iam.example" }, "needs ProjectName, ProjectID or Region"},
		"password not UTF-8":   {func(c *PasswordConfig) { c.Password = "pa$$w0rd\xff" }, "Password must be valid UTF-8"},
		"password control":     {func(c *PasswordConfig) { c.Password = "pa$$w0rd\n" }, "Password must not contain control characters"},
		"user control":         {func(c *PasswordConfig) { c.UserName = "a\x00" }, "UserName must not contain control characters"},
		"bad region":           {func(c *PasswordConfig) { c.Region = "EU DE" }, `Region "EU DE" is not a valid region`},
		"bad endpoint":         {func(c *PasswordConfig) { c.Endpoint = "ftp://iam" }, "PasswordConfig.Endpoint: endpoint must be an http or https URL"},
		"endpoint with query":  {func(c *PasswordConfig) { c.Endpoint = "https://iam/?a=b" }, "must not have a query"},
		"otc without region":   {func(c *PasswordConfig) { c.Endpoint, c.Region = "", "" }, "Region is required for Open Telekom Cloud"},
		"project id not UTF-8": {func(c *PasswordConfig) { c.ProjectName, c.ProjectID = "", "\xfe" }, "ProjectID must be valid UTF-8"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := iamTestPasswordConfig("https://iam.example")
			tc.change(&cfg)
			_, err := NewPasswordTokenSource(cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "pa$$w0rd") {
				t.Errorf("error leaks the password: %v", err)
			}
		})
	}
}

func TestIAMPasswordEndpoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		otc                     bool
		region, projectID, want string
	}{
		{false, "cn-north-4", "", "https://iam.cn-north-4.myhuaweicloud.com"},
		{false, "", "p", "https://iam.myhuaweicloud.com"},
		{true, "eu-de", "", "https://iam.eu-de.otc.t-systems.com"},
		{true, "eu-nl", "", "https://iam.eu-nl.otc.t-systems.com"},
		{true, "eu-ch2", "", "https://iam-pub.eu-ch2.sc.otc.t-systems.com"},
	}
	for _, tc := range tests {
		cfg := PasswordConfig{OTC: tc.otc, Region: tc.region, ProjectID: tc.projectID,
			UserName: "u", Password: "p", DomainName: "d"}
		s, err := NewPasswordTokenSource(cfg)
		require.NoError(t, err)
		if s.endpoint != tc.want || !strings.Contains(s.String(), "Endpoint:"+tc.want) {
			t.Errorf("otc=%t region=%q: endpoint %q, want %q", tc.otc, tc.region, s.endpoint, tc.want)
		}
	}
}

func TestIAMPasswordRedaction(t *testing.T) {
	t.Parallel()
	srv := newIAMTokenServer(t)
	var logs bytes.Buffer
	cfg := iamTestPasswordConfig(srv.URL)
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.LogBodies = true
	s, err := NewPasswordTokenSource(cfg)
	require.NoError(t, err)
	_, err = s.Token(t.Context())
	require.NoError(t, err)

	secrets := []string{"pa$$w0rd", iamTestToken}
	iamAssertNoSecret(t, cfg, secrets...)
	iamAssertNoSecret(t, &cfg, secrets...)
	iamAssertNoSecret(t, s, secrets...)
	iamAssertNoSecret(t, struct{ S *PasswordTokenSource }{s}, secrets...)
	if !strings.Contains(logs.String(), `"operation":"CreateToken"`) {
		t.Fatalf("the IAM request was not logged: %s", logs.String())
	}
	for _, sec := range secrets {
		if strings.Contains(logs.String(), sec) {
			t.Errorf("debug log leaks %q: %s", sec, logs.String())
		}
	}
	if got := s.String(); !strings.Contains(got, "UserName:alice") || !strings.Contains(got, "Password:[redacted]") {
		t.Errorf("String() = %s, want the user and a redacted password", got)
	}
}

func TestPasswordTokenSourceNil(t *testing.T) {
	t.Parallel()
	var s *PasswordTokenSource
	if _, err := s.Token(context.Background()); err == nil {
		t.Error("nil source gave no error")
	}
	s.Invalidate(signer.Token{Value: "x"}) // must not panic
	if got := s.String(); got != "huaweicreds.PasswordTokenSource(nil)" {
		t.Errorf("String() = %q", got)
	}
}

// An IAM (or a gateway in front of it) that quotes the request body in its
// error must not get the password into the error or the debug log, with or
// without LogBodies (issue 13, point 2). The body carries the password
// JSON-escaped, so the distinctive part of it is what must not show.
func TestIAMPasswordEchoedInErrorBody(t *testing.T) {
	t.Parallel()
	const distinctive = "pa$$w0rd-SECRET"
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	answers := map[string]func(body string) (contentType, answer string){
		"Keystone message": func(body string) (string, string) {
			return "application/json", `{"error":{"code":400,"message":` + quote("malformed request "+body) + `,"title":"Bad Request"}}`
		},
		"gateway error_msg": func(body string) (string, string) {
			return "application/json", `{"error_code":"APIGW.0101","error_msg":` + quote("cannot route "+body) + `}`
		},
		"proxy page in the snippet": func(body string) (string, string) {
			return "text/html", "<html>rejected: " + body + "</html>"
		},
	}
	for name, answer := range answers {
		for _, logBodies := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, LogBodies %t", name, logBodies), func(t *testing.T) {
				t.Parallel()
				srv := newIAMTokenServer(t)
				var sent string
				srv.setRespond(func(w http.ResponseWriter, _ int32) bool {
					srv.mu.Lock()
					b, _ := json.Marshal(srv.bodies[len(srv.bodies)-1])
					srv.mu.Unlock()
					sent = string(b)
					ct, body := answer(sent)
					iamNoDate(w)
					w.Header().Set("Content-Type", ct)
					w.WriteHeader(http.StatusBadRequest)
					_, _ = io.WriteString(w, body)
					return true
				})
				var logs bytes.Buffer
				cfg := iamTestPasswordConfig(srv.URL)
				cfg.LogBodies = logBodies
				cfg.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				s, err := NewPasswordTokenSource(cfg)
				require.NoError(t, err)
				_, err = s.Token(t.Context())
				var re *transport.ResponseError
				require.ErrorAs(t, err, &re)
				require.Contains(t, sent, distinctive, "the fake IAM did not see the password")
				for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%+v", *re), logs.String()} {
					if strings.Contains(text, distinctive) {
						t.Errorf("the echoed password shows in %s", text)
					}
				}
			})
		}
	}
}
