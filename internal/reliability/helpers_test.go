package reliability

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/detach-go/detach/transport"
)

// seen is what a loopback server saw of one request.
type seen struct {
	Method     string
	EscapedURI string // as sent on the request line
	Header     http.Header
	Body       []byte
}

// loopback is an httptest server on 127.0.0.1 that counts and records the
// requests it gets before handing them to its handler.
type loopback struct {
	srv   *httptest.Server
	hits  atomic.Int64
	conns atomic.Int64 // connections accepted (TLS handshakes included)
	mu    sync.Mutex
	reqs  []seen
}

// newLoopback starts a loopback server; h may write raw bytes through
// hijack. The server is closed when the test ends.
func newLoopback(t testing.TB, h http.HandlerFunc) *loopback {
	l := &loopback{}
	l.srv = httptest.NewUnstartedServer(l.wrap(h))
	l.srv.Config.ConnState = l.connState
	l.srv.Start()
	t.Cleanup(l.srv.Close)
	return l
}

// newTLSLoopback is newLoopback over TLS with httptest's self-signed
// certificate, which no client trusts unless told to.
func newTLSLoopback(t testing.TB, h http.HandlerFunc) *loopback {
	l := &loopback{}
	l.srv = httptest.NewUnstartedServer(l.wrap(h))
	l.srv.Config.ConnState = l.connState
	l.srv.Config.ErrorLog = discardLogger()
	l.srv.StartTLS()
	t.Cleanup(l.srv.Close)
	return l
}

func (l *loopback) connState(_ net.Conn, s http.ConnState) {
	if s == http.StateNew {
		l.conns.Add(1)
	}
}

func (l *loopback) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		l.hits.Add(1)
		l.mu.Lock()
		l.reqs = append(l.reqs, seen{Method: r.Method, EscapedURI: r.RequestURI, Header: r.Header.Clone(), Body: body})
		l.mu.Unlock()
		if h != nil {
			h(w, r)
		}
	}
}

func (l *loopback) URL() string { return l.srv.URL }

func (l *loopback) Requests() []seen {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]seen(nil), l.reqs...)
}

// hijack takes the raw connection of a request, for faults net/http's
// ResponseWriter cannot produce.
func hijack(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter) {
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	return conn, rw
}

// reset closes conn with a TCP RST instead of a FIN.
func reset(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

// rawHead writes a status line and headers on a hijacked connection.
func rawHead(rw *bufio.ReadWriter, status int, contentLength int64, contentType string) {
	rw.WriteString("HTTP/1.1 " + strconv.Itoa(status) + " " + http.StatusText(status) + "\r\n")
	if contentType != "" {
		rw.WriteString("Content-Type: " + contentType + "\r\n")
	}
	if contentLength >= 0 {
		rw.WriteString("Content-Length: " + strconv.FormatInt(contentLength, 10) + "\r\n")
	}
	rw.WriteString("\r\n")
	rw.Flush()
}

// refusedURL returns a loopback URL on which nothing listens.
func refusedURL(t testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// newHTTPClient returns a fresh client with its own transport, so a test can
// close that transport's idle connections when it ends.
func newHTTPClient(t testing.TB) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // loopback only, whatever the environment says
	hc := &http.Client{Transport: tr}
	t.Cleanup(tr.CloseIdleConnections)
	return hc
}

// fastRetry is a retry policy that keeps fault tests quick but still
// exercises every retry.
func fastRetry() transport.RetryPolicy {
	return transport.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxBackoff: 5 * time.Millisecond,
		MaxRetryAfter: 50 * time.Millisecond}
}

// outcome is what a call ended with, reduced to what the suites compare.
type outcome struct {
	Kind     string // ok, response, send, decode, canceled, auth, validation, other
	Attempts int    // from the error or the metadata; 0 when unknown
	Status   int
	Code     string
	Field    string // of a validation error
}

// classify reduces a call's result to an outcome and checks the error's
// envelope: every error an operation returns is a *smithy.OperationError
// naming the service and operation.
func classify(t testing.TB, meta transport.Metadata, err error) outcome {
	t.Helper()
	if err == nil {
		return outcome{Kind: "ok", Attempts: meta.Attempts, Status: meta.StatusCode}
	}
	var oe *smithy.OperationError
	if !errors.As(err, &oe) || oe.ServiceID == "" || oe.OperationName == "" {
		t.Errorf("error %v (%T) is not a *smithy.OperationError naming service and operation", err, err)
	}
	var (
		ce *transport.CanceledError
		re *transport.ResponseError
		se *transport.SendError
		de *transport.DecodeError
		ae *transport.AuthError
		ve *transport.ValidationError
		pe *transport.PageLimitError
	)
	switch {
	case errors.As(err, &pe):
		return outcome{Kind: "pages"}
	case errors.As(err, &ve):
		return outcome{Kind: "validation", Field: ve.Field}
	case errors.As(err, &ce):
		return outcome{Kind: "canceled", Attempts: ce.Attempts}
	case errors.As(err, &ae):
		// Before the response and send errors: a token or lookup failure
		// wraps IAM's own.
		return outcome{Kind: "auth"}
	case errors.As(err, &re):
		return outcome{Kind: "response", Attempts: re.Attempts, Status: re.StatusCode, Code: re.Code}
	case errors.As(err, &se):
		return outcome{Kind: "send", Attempts: se.Attempts}
	case errors.As(err, &de):
		return outcome{Kind: "decode", Status: de.StatusCode}
	}
	return outcome{Kind: "other"}
}

func discardLogger() *log.Logger { return log.New(io.Discard, "", 0) }

// bodyOf returns a response body for an in-memory Doer.
func bodyOf(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
