package route53profiles_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/detach-go/detach/internal/sigverify"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// The SigV4 test suite's credentials and time (aws.md §2).
const (
	testAccessKey = "AKIDEXAMPLE"
	testSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testToken     = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN"
	testRegion    = "us-east-1"
	basePath      = "/prefix"
)

var testNow = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

// reply is one canned answer of the test server.
type reply struct {
	status int
	header map[string]string
	body   string
}

// seen is what the server received in one request.
type seen struct {
	method, escapedPath, requestURI string
	header                          http.Header
	body                            []byte
	contentLength                   int64
	transferEncoding                []string
	identity                        sigverify.V4Identity
	sigErr                          error
}

// server is an httptest server that records requests and answers with its
// replies in order, repeating the last one.
type server struct {
	*httptest.Server
	mu      sync.Mutex
	seen    []seen
	replies []reply
}

func newServer(t *testing.T, replies ...reply) *server {
	t.Helper()
	s := &server{replies: replies}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	sum := sha256.Sum256(body)
	id, err := sigverify.SigV4(r, hex.EncodeToString(sum[:]), func(ak string) (string, bool) {
		return testSecretKey, ak == testAccessKey
	}, testNow, time.Minute)
	s.mu.Lock()
	n := len(s.seen)
	s.seen = append(s.seen, seen{
		method: r.Method, escapedPath: r.URL.EscapedPath(), requestURI: r.RequestURI,
		header: r.Header.Clone(), body: body, contentLength: r.ContentLength,
		transferEncoding: r.TransferEncoding, identity: id, sigErr: err,
	})
	rep := reply{status: http.StatusOK, body: "{}"}
	if len(s.replies) > 0 {
		rep = s.replies[min(n, len(s.replies)-1)]
	}
	s.mu.Unlock()
	// The server's clock agrees with the client's fixed one, so the
	// transport's clock-skew correction stays out of the way.
	w.Header().Set("Date", testNow.Format(http.TimeFormat))
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if rep.body != "" && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

func (s *server) hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

func (s *server) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.seen...)
}

// testOptions points a client at s under basePath, with a fixed clock and a
// backoff short enough not to slow the tests.
func (s *server) testOptions() route53profiles.Options {
	return route53profiles.Options{
		Region:      testRegion,
		Endpoint:    s.URL + basePath,
		Credentials: signer.StaticAWSCredentials(testAccessKey, testSecretKey, ""),
		Settings: transport.Settings{
			Now:   func() time.Time { return testNow },
			Retry: transport.RetryPolicy{BaseDelay: time.Millisecond, MaxBackoff: time.Millisecond},
		},
	}
}

func (s *server) client(t *testing.T, opts ...route53profiles.Option) *route53profiles.Client {
	t.Helper()
	c, err := route53profiles.New(s.testOptions(), opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}
