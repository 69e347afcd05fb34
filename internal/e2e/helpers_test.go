package e2e

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/transport"
)

// start runs a new emulator for one test.
func start(t *testing.T, opts ...fakecloud.Option) *fakecloud.Server {
	t.Helper()
	srv := fakecloud.New(opts...).Start()
	t.Cleanup(srv.Close)
	return srv
}

// testContext bounds a test's calls, so a bug fails the test instead of
// hanging it.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// attempt is what the recorder saw of one HTTP exchange.
type attempt struct {
	Method string
	Path   string // escaped
	Status int    // 0: no response (the connection failed)
	// Auth names how the request was authenticated: "sigv4", "huawei-aksk",
	// "otc-aksk", "token" or "none".
	Auth string
}

// recorder is a transport.Doer that sends through detach's default HTTP
// client and records every exchange, so tests can check the attempts the
// transport made.
type recorder struct {
	hc *http.Client
	mu sync.Mutex
	at []attempt
}

func newRecorder(t *testing.T) *recorder {
	hc := transport.DefaultHTTPClient()
	t.Cleanup(hc.CloseIdleConnections)
	return &recorder{hc: hc}
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	a := attempt{Method: req.Method, Path: req.URL.EscapedPath(), Auth: authScheme(req.Header)}
	resp, err := r.hc.Do(req)
	if err == nil {
		a.Status = resp.StatusCode
	}
	r.mu.Lock()
	r.at = append(r.at, a)
	r.mu.Unlock()
	return resp, err
}

// attempts returns the recorded exchanges.
func (r *recorder) attempts() []attempt {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]attempt(nil), r.at...)
}

// statuses returns the status of every recorded exchange whose path ends
// with suffix, 0 for a failed connection.
func (r *recorder) statuses(suffix string) []int {
	var s []int
	for _, a := range r.attempts() {
		if strings.HasSuffix(a.Path, suffix) {
			s = append(s, a.Status)
		}
	}
	return s
}

func authScheme(h http.Header) string {
	authz := h.Get("Authorization")
	switch {
	case h.Get("X-Auth-Token") != "":
		return "token"
	case strings.HasPrefix(authz, "AWS4-HMAC-SHA256 "):
		return "sigv4"
	case strings.HasPrefix(authz, "SDK-HMAC-SHA256 Access="):
		return "huawei-aksk"
	case strings.HasPrefix(authz, "SDK-HMAC-SHA256 Credential="):
		return "otc-aksk"
	}
	return "none"
}

// fastRetry keeps the transport's retry behaviour but makes every backoff
// zero, so retries cost no time and no test sleeps.
func fastRetry(d transport.Doer) transport.Settings {
	return transport.Settings{
		HTTPClient: d,
		Retry:      transport.RetryPolicy{BaseDelay: time.Nanosecond, MaxBackoff: time.Nanosecond},
	}
}

// wantError is what a failed call must return.
type wantError struct {
	service, operation string
	code               string
	status             int
	sentinel           error
	attempts           int
}

// checkResponseError checks that err is the operation's error wrapping a
// *transport.ResponseError as described.
func checkResponseError(t *testing.T, err error, want wantError) *transport.ResponseError {
	t.Helper()
	if err == nil {
		t.Fatalf("call succeeded, want %s", want.code)
	}
	var oe *smithy.OperationError
	if !errors.As(err, &oe) {
		t.Errorf("error %v is not a *smithy.OperationError", err)
	} else if oe.ServiceID != want.service || oe.OperationName != want.operation {
		t.Errorf("operation error names %s %s, want %s %s", oe.ServiceID, oe.OperationName, want.service, want.operation)
	}
	var re *transport.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v does not wrap a *transport.ResponseError", err)
	}
	if re.Code != want.code || re.StatusCode != want.status || re.Attempts != want.attempts {
		t.Errorf("got code %q, status %d, %d attempts; want %q, %d, %d", re.Code, re.StatusCode, re.Attempts,
			want.code, want.status, want.attempts)
	}
	if !errors.Is(err, want.sentinel) {
		t.Errorf("errors.Is(err, %v) is false for %v", want.sentinel, err)
	}
	if re.RequestID == "" {
		t.Error("the error has no request ID")
	}
	return re
}

// adjustableClock is a clock a test moves forward; the emulator reads it.
type adjustableClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *adjustableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *adjustableClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
