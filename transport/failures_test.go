package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"time"
)

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	mustNoErr(t, err)
	addr := ln.Addr().String()
	mustNoErr(t, ln.Close())

	auth := &fakeAuth{}
	c := newClient(t, Config{Endpoint: "http://" + addr, Auth: auth})
	_, err = c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
	var se *SendError
	if !errors.As(err, &se) || se.Attempts != 3 || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("Do() error = %v, want a *SendError after 3 attempts matching ECONNREFUSED", err)
	}
	if n := len(auth.Calls()); n != 3 {
		t.Errorf("attempts signed = %d, want 3", n)
	}
}

func TestAttemptTimeoutRealServer(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Stall") == "" {
			return
		}
		select { // stall the headers until the client gives up
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	auth := &fakeAuth{}
	c := newClient(t, Config{Endpoint: srv.URL, Auth: auth, Settings: Settings{AttemptTimeout: 50 * time.Millisecond, Retry: RetryPolicy{MaxAttempts: 2}}})
	_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/", Header: http.Header{"X-Stall": {"1"}}}, nil)
	var se *SendError
	if !errors.As(err, &se) || se.Attempts != 2 || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Do() error = %v, want a *SendError after 2 attempts matching context.DeadlineExceeded", err)
	}
	// A late attempt may time out before the server sees it, so count
	// attempts where they start.
	if n := len(auth.Calls()); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
	if n := srv.hits.Load(); n < 1 || n > 2 {
		t.Errorf("server hits = %d, want 1 or 2", n)
	}
}

func TestBodyResetMidway(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		head string // status line and headers the server sends before closing
		// succeedOn is the hit (1-based) that gets a full answer; 0: none.
		succeedOn int64
		wantHits  int64
	}{
		"content-length body cut, retried until exhausted": {
			head: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"partial\":", wantHits: 3,
		},
		"chunked body cut, retried until exhausted": {
			head: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"partial\":", wantHits: 3,
		},
		"error body cut": {
			head: "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\n{\"code\"", wantHits: 3,
		},
		"cut then success": {
			head: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{", succeedOn: 2, wantHits: 2,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var srv *server
			srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if srv.hits.Load() == tt.succeedOn {
					io.WriteString(w, `{"ok":true}`)
					return
				}
				conn, buf, err := http.NewResponseController(w).Hijack()
				if err != nil {
					t.Errorf("hijack: %v", err)
					return
				}
				buf.WriteString(tt.head)
				buf.Flush()
				conn.Close()
			})
			c := newClient(t, Config{Endpoint: srv.URL})
			resp, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
			if n := srv.hits.Load(); n != tt.wantHits {
				t.Errorf("server hits = %d, want %d", n, tt.wantHits)
			}
			if tt.succeedOn != 0 {
				if err != nil || string(resp.Body) != `{"ok":true}` || resp.Metadata.Attempts != int(tt.wantHits) {
					t.Errorf("Do() = %v, %v; want the full body after %d attempts", resp, err, tt.wantHits)
				}
				return
			}
			var se *SendError
			if !errors.As(err, &se) || se.Attempts != int(tt.wantHits) || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("Do() error = %v, want a *SendError after %d attempts matching io.ErrUnexpectedEOF", err, tt.wantHits)
			}
		})
	}
}

func TestSendErrorClassification(t *testing.T) {
	t.Parallel()
	urlErr := func(err error) error { return &url.Error{Op: "Get", URL: "https://example.com/", Err: err} }
	tests := map[string]struct {
		err      error
		wantHits int64
	}{
		"connection reset":            {urlErr(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), 3},
		"EOF":                         {urlErr(io.EOF), 3},
		"temporary dns failure":       {urlErr(&net.DNSError{Err: "server misbehaving", Name: "example.com", IsTemporary: true}), 3},
		"dns not found":               {urlErr(&net.DNSError{Err: "no such host", Name: "example.com", IsNotFound: true}), 1},
		"unknown authority":           {urlErr(x509.UnknownAuthorityError{}), 1},
		"certificate verification":    {urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), 1},
		"hostname mismatch":           {urlErr(x509.HostnameError{Host: "example.com", Certificate: &x509.Certificate{}}), 1},
		"expired certificate":         {urlErr(x509.CertificateInvalidError{Reason: x509.Expired, Cert: &x509.Certificate{}}), 1},
		"plain http to an https port": {urlErr(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), 1},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := &script{steps: []func(*http.Request) (*http.Response, error){
				func(*http.Request) (*http.Response, error) { return nil, tt.err },
			}}
			c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d}})
			_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
			var se *SendError
			if !errors.As(err, &se) || se.Attempts != int(tt.wantHits) || !errors.Is(err, tt.err) {
				t.Errorf("Do() error = %v, want a *SendError after %d attempts wrapping %v", err, tt.wantHits, tt.err)
			}
			if n := d.hits.Load(); n != tt.wantHits {
				t.Errorf("attempts = %d, want %d", n, tt.wantHits)
			}
		})
	}
}
