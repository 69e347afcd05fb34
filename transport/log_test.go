package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// recorder is a slog.Handler that keeps every record at or above its level.
type recorder struct {
	level slog.Level

	mu      sync.Mutex
	records []slog.Record
}

func (h *recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.records = append(h.records, r.Clone())
	return nil
}

func (h *recorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recorder) WithGroup(string) slog.Handler      { return h }

func (h *recorder) Records() []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]slog.Record(nil), h.records...)
}

// flat renders a record's top-level attributes as text; groups become
// nested maps.
func flat(r slog.Record) map[string]any {
	out := map[string]any{}
	r.Attrs(func(a slog.Attr) bool {
		out[a.Key] = attrValue(a.Value)
		return true
	})
	return out
}

func attrValue(v slog.Value) any {
	if v.Kind() != slog.KindGroup {
		return v.String()
	}
	m := map[string]any{}
	for _, a := range v.Group() {
		m[a.Key] = attrValue(a.Value)
	}
	return m
}

// renderJSON is what a JSON log handler would write for r.
func renderJSON(t *testing.T, r slog.Record) string {
	t.Helper()
	var buf bytes.Buffer
	h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	mustNoErr(t, h.Handle(context.Background(), r))
	return buf.String()
}

// secretAuth sets every credential header a signer may set.
func secretAuth() *fakeAuth {
	return &fakeAuth{set: map[string]string{
		"Authorization":        "AWS4-HMAC-SHA256 Credential=AKIDSECRETKEYID/20000101/us-east-1/svc/aws4_request, SignedHeaders=host, Signature=SECRETSIGNATURE",
		"X-Amz-Security-Token": "SECRETSESSIONTOKEN",
		"X-Auth-Token":         "SECRETAUTHTOKEN",
		"X-Security-Token":     "SECRETSECURITYTOKEN",
	}}
}

// secretValues are the credential values secretAuth and the tests send.
func secretValues() []string {
	return []string{"AKIDSECRETKEYID", "SECRETSIGNATURE", "SECRETSESSIONTOKEN", "SECRETAUTHTOKEN",
		"SECRETSECURITYTOKEN", "SECRETSUBJECTTOKEN", "SECRETPASSWORD"}
}

func TestLogOneRecordPerAttempt(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := &script{steps: []func(*http.Request) (*http.Response, error){
			status(503, "<html>busy</html>", "X-Amzn-RequestId", "r-1", "X-Subject-Token", "SECRETSUBJECTTOKEN"),
			status(200, `{"ok":true}`, "X-Amzn-RequestId", "r-2", "Content-Type", "application/json"),
		}}
		rec := &recorder{level: slog.LevelDebug}
		c := newClient(t, Config{Endpoint: "https://example.com/base", Auth: secretAuth(), Settings: Settings{
			HTTPClient: d, Logger: slog.New(rec), random: half}})
		_, err := c.Do(context.Background(), "DisassociateProfile",
			&Request{Method: "POST", Path: "/x%2Fy", ContentType: "application/json", Body: []byte(`{"a":1}`)}, nil)
		mustNoErr(t, err)

		records := rec.Records()
		if len(records) != 2 {
			t.Fatalf("got %d records, want 2 (one per attempt)", len(records))
		}
		common := map[string]any{
			"service": "Test", "operation": "DisassociateProfile", "method": "POST", "host": "example.com",
			"path": "/base/x%2Fy", "duration": "0s",
		}
		want := []map[string]any{
			{"attempt": "1", "status": "503", "request_id": "r-1", "wait": "500ms",
				"error": "http status 503, request id r-1: service unavailable", "retryable": "true"},
			{"attempt": "2", "status": "200", "request_id": "r-2"},
		}
		for i, r := range records {
			if r.Level != slog.LevelDebug || r.Message != "detach attempt" {
				t.Errorf("record %d: level %v message %q, want DEBUG \"detach attempt\"", i, r.Level, r.Message)
			}
			got := flat(r)
			reqH, _ := got["request_headers"].(map[string]any)
			respH, _ := got["response_headers"].(map[string]any)
			delete(got, "request_headers")
			delete(got, "response_headers")
			for k, v := range common {
				want[i][k] = v
			}
			if diff := cmp.Diff(want[i], got); diff != "" {
				t.Errorf("record %d attributes (-want +got):\n%s", i, diff)
			}
			wantReq := map[string]any{
				"Authorization":        "AWS4-HMAC-SHA256 " + Redacted,
				"X-Amz-Security-Token": Redacted,
				"X-Auth-Token":         Redacted,
				"X-Security-Token":     Redacted,
				"Content-Type":         "application/json",
			}
			for k, v := range wantReq {
				if reqH[k] != v {
					t.Errorf("record %d request header %s = %v, want %v", i, k, reqH[k], v)
				}
			}
			if ua, _ := reqH["User-Agent"].(string); !strings.HasPrefix(ua, "detach/") {
				t.Errorf("record %d request headers lack the User-Agent: %v", i, reqH)
			}
			if respH["X-Amzn-Requestid"] == nil {
				t.Errorf("record %d response headers lack the request id: %v", i, respH)
			}
			if i == 0 && respH["X-Subject-Token"] != Redacted {
				t.Errorf("record 0 response X-Subject-Token = %v, want %s", respH["X-Subject-Token"], Redacted)
			}
			if _, ok := got["request_body"]; ok {
				t.Errorf("record %d has a body without LogBodies", i)
			}
			js := renderJSON(t, r)
			for _, s := range secretValues() {
				if strings.Contains(js, s) {
					t.Errorf("record %d leaks %s: %s", i, s, js)
				}
			}
		}
	})
}

func TestLogRecordCount(t *testing.T) {
	t.Parallel()
	refused := func(*http.Request) (*http.Response, error) { return nil, syscall.ECONNREFUSED }
	now := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	skewed := status(403, `{"__type":"InvalidSignatureException"}`, "Date", now.Add(time.Hour).Format(http.TimeFormat))
	type step = func(*http.Request) (*http.Response, error)
	tests := map[string]struct {
		steps       []step
		auth        Authorizer
		timeout     time.Duration
		cancelAfter time.Duration
		want        int
	}{
		"success":                   {steps: []step{status(200, "")}, want: 1},
		"not found":                 {steps: []step{status(404, "")}, want: 1},
		"503 until exhausted":       {steps: []step{status(503, "")}, want: 3},
		"refused until exhausted":   {steps: []step{refused}, want: 3},
		"skew retry":                {steps: []step{skewed, status(200, "")}, want: 2},
		"reauthorized replay":       {steps: []step{status(401, ""), status(200, "")}, auth: &tokenAuth{tokens: []string{"a", "b"}}, want: 2},
		"retry-after past deadline": {steps: []step{status(503, "", "Retry-After", "60")}, timeout: 10 * time.Second, want: 1},
		"cancelled in backoff":      {steps: []step{status(503, "")}, cancelAfter: 100 * time.Millisecond, want: 1},
		"authorizer fails":          {steps: []step{status(200, "")}, auth: &fakeAuth{err: errors.New("no keys")}, want: 1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				rec := &recorder{level: slog.LevelDebug}
				c := newClient(t, Config{Endpoint: "https://example.com", Auth: tt.auth, Settings: Settings{
					HTTPClient: &script{steps: tt.steps}, Logger: slog.New(rec), Now: fixedClock(now), random: half}})
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				if tt.timeout > 0 {
					ctx, cancel = context.WithTimeout(ctx, tt.timeout)
					defer cancel()
				}
				if tt.cancelAfter > 0 {
					time.AfterFunc(tt.cancelAfter, cancel)
				}
				c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil)
				if got := len(rec.Records()); got != tt.want {
					t.Errorf("got %d records, want %d", got, tt.want)
				}
			})
		})
	}
}

func TestLogSendErrorRecord(t *testing.T) {
	t.Parallel()
	rec := &recorder{level: slog.LevelDebug}
	d := &script{steps: []func(*http.Request) (*http.Response, error){
		func(*http.Request) (*http.Response, error) { return nil, syscall.ECONNREFUSED },
	}}
	c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d, Logger: slog.New(rec),
		Retry: RetryPolicy{MaxAttempts: 1}}})
	c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
	records := rec.Records()
	if len(records) != 1 {
		t.Fatalf("got %d records, want 1", len(records))
	}
	got := flat(records[0])
	if got["status"] != "0" || got["retryable"] != "true" || !strings.Contains(got["error"].(string), "connection refused") {
		t.Errorf("record = %v, want status 0, retryable, the send error", got)
	}
	for _, k := range []string{"request_id", "response_headers", "wait"} {
		if _, ok := got[k]; ok {
			t.Errorf("record has %q without a response or a wait: %v", k, got)
		}
	}
}

func TestLogBodies(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("b", 5000)
	tests := map[string]struct {
		logBodies bool
		req       Request
		respBody  string
		wantReq   any // nil: no attribute
		wantResp  any
	}{
		"off": {
			req: Request{Method: "POST", Path: "/", Body: []byte(`{"q":1}`)}, respBody: `{"a":1}`,
		},
		"on": {
			logBodies: true, req: Request{Method: "POST", Path: "/", Body: []byte(`{"q":1}`)}, respBody: `{"a":1}`,
			wantReq: `{"q":1}`, wantResp: `{"a":1}`,
		},
		"on, empty bodies": {
			logBodies: true, req: Request{Method: "DELETE", Path: "/"}, respBody: "",
		},
		"on, truncated at 4 KiB": {
			logBodies: true, req: Request{Method: "POST", Path: "/", Body: []byte(big)}, respBody: big,
			wantReq: big[:4096] + "...(truncated)", wantResp: big[:4096] + "...(truncated)",
		},
		"on, invalid utf-8": {
			logBodies: true, req: Request{Method: "POST", Path: "/", Body: []byte("a\xffb")}, respBody: "c\xfed",
			wantReq: "a\uFFFDb", wantResp: "c\uFFFDd",
		},
		"on, sensitive request body": {
			logBodies: true,
			req: Request{Method: "POST", Path: "/v3/auth/tokens", SensitiveBody: true,
				Body: []byte(`{"auth":{"identity":{"password":{"user":{"password":"SECRETPASSWORD"}}}}}`)},
			respBody: `{"token":{}}`, wantReq: Redacted, wantResp: `{"token":{}}`,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{level: slog.LevelDebug}
			d := &script{steps: []func(*http.Request) (*http.Response, error){status(200, tt.respBody)}}
			c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d, Logger: slog.New(rec), LogBodies: tt.logBodies}})
			_, err := c.Do(context.Background(), "Op", &tt.req, nil)
			mustNoErr(t, err)
			records := rec.Records()
			if len(records) != 1 {
				t.Fatalf("got %d records, want 1", len(records))
			}
			got := flat(records[0])
			if diff := cmp.Diff([]any{tt.wantReq, tt.wantResp}, []any{got["request_body"], got["response_body"]}); diff != "" {
				t.Errorf("request_body, response_body (-want +got):\n%s", diff)
			}
			if js := renderJSON(t, records[0]); strings.Contains(js, "SECRETPASSWORD") {
				t.Errorf("record leaks the password: %s", js)
			}
		})
	}
}

func TestLogSilent(t *testing.T) {
	t.Parallel()
	rec := &recorder{level: slog.LevelInfo}
	for name, l := range map[string]*slog.Logger{"info level": slog.New(rec), "nil logger": nil} {
		d := &script{steps: []func(*http.Request) (*http.Response, error){status(503, "body"), status(200, "body")}}
		c := newClient(t, Config{Endpoint: "https://example.com", Auth: secretAuth(),
			Settings: Settings{HTTPClient: d, Logger: l, LogBodies: true}})
		if _, err := c.Do(context.Background(), "Op", &Request{Method: "POST", Path: "/", Body: []byte("x")}, nil); err != nil {
			t.Errorf("%s: Do() error = %v", name, err)
		}
	}
	if n := len(rec.Records()); n != 0 {
		t.Errorf("an Info-level logger got %d records, want 0", n)
	}
}

// plainLogger is a Logger that is not slog: it keeps what it was given,
// printed with fmt as a logging library of its own would.
type plainLogger struct {
	mu    sync.Mutex
	lines []string
}

func (p *plainLogger) DebugContext(_ context.Context, msg string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lines = append(p.lines, msg+" "+fmt.Sprint(args...))
}

// funcLogger is a logger made of a function.
type funcLogger func(ctx context.Context, msg string, args ...any)

func (f funcLogger) DebugContext(ctx context.Context, msg string, args ...any) { f(ctx, msg, args...) }

// debugOff has slog's Enabled method and says no to every level.
type debugOff struct{ plainLogger }

func (*debugOff) Enabled(context.Context, slog.Level) bool { return false }

func TestLogOtherLoggers(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		call := func(l Logger) {
			t.Helper()
			d := &script{steps: []func(*http.Request) (*http.Response, error){
				status(503, "busy", "X-Subject-Token", "SECRETSUBJECTTOKEN"), status(200, "{}")}}
			c := newClient(t, Config{Endpoint: "https://example.com", Auth: secretAuth(),
				Settings: Settings{HTTPClient: d, Logger: l, LogBodies: true, random: half}})
			if _, err := c.Do(context.Background(), "Op", &Request{Method: "POST", Path: "/", Body: []byte("x")}, nil); err != nil {
				t.Errorf("Do() error = %v", err)
			}
		}

		plain := &plainLogger{}
		call(plain)
		if len(plain.lines) != 2 {
			t.Fatalf("a plain logger got %d records, want 2: %q", len(plain.lines), plain.lines)
		}
		for i, line := range plain.lines {
			for _, want := range []string{"detach attempt ", "operation", "Op", "X-Auth-Token=" + Redacted, "Authorization=AWS4-HMAC-SHA256 " + Redacted} {
				if !strings.Contains(line, want) {
					t.Errorf("record %d lacks %q: %s", i, want, line)
				}
			}
			for _, s := range append(secretValues(), "SECRETSUBJECTTOKEN") {
				if strings.Contains(line, s) {
					t.Errorf("record %d shows a secret: %s", i, line)
				}
			}
		}

		off := &debugOff{}
		call(off)
		if len(off.lines) != 0 {
			t.Errorf("a logger whose Enabled says no got %d records", len(off.lines))
		}

		// Typed nils must not have a method called on them.
		var typedNil *plainLogger
		call(typedNil)
		var nilFunc funcLogger
		call(nilFunc)
	})
}
