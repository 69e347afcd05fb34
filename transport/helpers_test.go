package transport

import (
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// awsService is the AWS-style service most tests use.
func awsService() Service { return Service{ID: "Test", Protocol: AWSRestJSON} }

// authCall is what an Authorizer saw of one attempt.
type authCall struct {
	Method string
	URI    string // escaped path and query
	Header http.Header
	Hash   string
	Now    time.Time
}

// fakeAuth records every attempt it authorizes and sets fixed headers, which
// stand in for the credentials a real signer would add.
type fakeAuth struct {
	set map[string]string
	err error

	mu    sync.Mutex
	calls []authCall
}

func (a *fakeAuth) Authorize(_ context.Context, r *http.Request, hash string, now time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, authCall{Method: r.Method, URI: r.URL.RequestURI(), Header: r.Header.Clone(), Hash: hash, Now: now})
	if a.err != nil {
		return a.err
	}
	for k, v := range a.set {
		r.Header.Set(k, v)
	}
	return nil
}

func (a *fakeAuth) Calls() []authCall {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]authCall(nil), a.calls...)
}

func (a *fakeAuth) Nows() []time.Time {
	var out []time.Time
	for _, c := range a.Calls() {
		out = append(out, c.Now)
	}
	return out
}

// tokenAuth is a token authorizer whose token can be refreshed: it sends
// X-Auth-Token and, on Reauthorize, moves to the next token.
type tokenAuth struct {
	mu        sync.Mutex
	tokens    []string
	refreshes int
	rejected  []string // X-Auth-Token of each request passed to Reauthorize
}

func (a *tokenAuth) Authorize(_ context.Context, r *http.Request, _ string, _ time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	r.Header.Set("X-Auth-Token", a.tokens[min(a.refreshes, len(a.tokens)-1)])
	return nil
}

func (a *tokenAuth) Reauthorize(_ context.Context, rejected *http.Request) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rejected = append(a.rejected, rejected.Header.Get("X-Auth-Token"))
	a.refreshes++
	return true
}

// plainTokenAuth sends a token but cannot refresh it.
type plainTokenAuth struct{ token string }

func (a plainTokenAuth) Authorize(_ context.Context, r *http.Request, _ string, _ time.Time) error {
	r.Header.Set("X-Auth-Token", a.token)
	return nil
}

// doerFunc is an in-memory Doer. It is a func type on purpose: such a Doer
// is not comparable, which the transport must cope with.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// reply builds an in-memory response; header is a flat list of name, value.
func reply(r *http.Request, status int, body string, header ...string) *http.Response {
	h := make(http.Header)
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	return &http.Response{
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}
}

// script is an in-memory Doer that answers hit n (0-based) with steps[n],
// repeating the last step, and counts hits.
type script struct {
	steps []func(*http.Request) (*http.Response, error)
	hits  atomic.Int64
}

func (s *script) Do(r *http.Request) (*http.Response, error) {
	n := int(s.hits.Add(1)) - 1
	if r.Body != nil {
		// Like a real transport, read (and so check) the body.
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return nil, err
		}
	}
	return s.steps[min(n, len(s.steps)-1)](r)
}

func status(code int, body string, header ...string) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) { return reply(r, code, body, header...), nil }
}

// server is an httptest server on 127.0.0.1 that counts requests and new
// connections.
type server struct {
	*httptest.Server
	hits  atomic.Int64
	conns atomic.Int64
}

func newServer(t testing.TB, h http.HandlerFunc) *server {
	return startServer(t, h, false)
}

func startServer(t testing.TB, h http.HandlerFunc, tls bool) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes and hijacks are expected
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	if tls {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s
}

// zeroJitter makes every backoff wait zero, so retries against real servers
// need no sleeping.
func zeroJitter() float64 { return 0 }

// newClient builds a client for tests: awsService, a fakeAuth and zero
// jitter unless cfg says otherwise.
func newClient(t testing.TB, cfg Config) *Client {
	t.Helper()
	if cfg.Service.ID == "" {
		cfg.Service = awsService()
	}
	if cfg.Auth == nil {
		cfg.Auth = &fakeAuth{}
	}
	if cfg.Settings.random == nil {
		cfg.Settings.random = zeroJitter
	}
	c, err := New(cfg)
	mustNoErr(t, err)
	return c
}

// fixedClock returns a clock that always answers t.
func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

// mustNoErr stops the test when a precondition fails.
func mustNoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("precondition: %v", err)
	}
}
