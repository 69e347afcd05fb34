package awscreds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/detach-go/detach/transport"
)

// seen is one request a test server received.
type seen struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
}

// form decodes a form-encoded body.
func (s seen) form(t *testing.T) map[string]string {
	t.Helper()
	v, err := url.ParseQuery(s.Body)
	if err != nil {
		t.Fatalf("body is not a form: %v", err)
	}
	out := map[string]string{}
	for k, vs := range v {
		out[k] = strings.Join(vs, ",")
	}
	return out
}

// fake is an httptest server that records every request and answers with
// the handler given.
type fake struct {
	*httptest.Server
	mu     sync.Mutex
	seen   []seen
	answer func(w http.ResponseWriter, r *http.Request, body string)
}

func newFake(t *testing.T, answer func(w http.ResponseWriter, r *http.Request, body string)) *fake {
	t.Helper()
	f := &fake{answer: answer}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.seen = append(f.seen, seen{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: string(b)})
		answer := f.answer
		f.mu.Unlock()
		answer(w, r, string(b))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) requests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.seen...)
}

func (f *fake) setAnswer(a func(w http.ResponseWriter, r *http.Request, body string)) {
	f.mu.Lock()
	f.answer = a
	f.mu.Unlock()
}

// respond writes status, a content type and body.
func respond(w http.ResponseWriter, status int, contentType, body string) {
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// t0 is the tests' clock.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// testClock is a settable clock, safe for concurrent use.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fast are settings whose retries do not wait, logging to logs when given.
func fast(now func() time.Time, logs *bytes.Buffer) transport.Settings {
	s := transport.Settings{Retry: transport.RetryPolicy{BaseDelay: time.Millisecond, MaxBackoff: time.Millisecond}, Now: now}
	if logs != nil {
		s.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		s.LogBodies = true
	}
	return s
}

// renderings is every way a program might print a value.
func renderings(t *testing.T, v any) []string {
	t.Helper()
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x"} {
		out = append(out, fmt.Sprintf(verb, v), fmt.Sprintf(verb, struct{ P any }{v}))
	}
	if js, err := json.Marshal(v); err == nil {
		out = append(out, string(js))
	}
	var sb strings.Builder
	slog.New(slog.NewJSONHandler(&sb, nil)).Info("x", "v", v)
	slog.New(slog.NewTextHandler(&sb, nil)).Info("x", "v", v)
	return append(out, sb.String())
}

// noLeak fails if any secret shows in any text.
func noLeak(t *testing.T, texts []string, secrets ...string) {
	t.Helper()
	for _, text := range texts {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("secret %q shows in %q", s, text)
			}
		}
	}
}

// errTexts renders an error every way it might be shown.
func errTexts(err error) []string {
	if err == nil {
		return nil
	}
	return []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
}
