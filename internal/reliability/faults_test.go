package reliability

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/transport"
)

// attemptTimeout bounds each attempt of the slow socket faults (a trickling
// body, headers that never come), which outlast it by far, so it always
// fires. The other faults get fastTimeout, which none of them comes near
// even on a loaded machine (a TLS handshake under -race can take 100 ms),
// and must end within fastBound.
const (
	attemptTimeout = 150 * time.Millisecond
	fastTimeout    = 5 * time.Second
	fastBound      = 3 * time.Second
)

// socketFault is a misbehaving server on a loopback socket and the outcome
// every operation must reach against it.
type socketFault struct {
	name    string
	handler func(o *operation, redirectTo string) http.HandlerFunc
	refused bool // nothing listens
	tls     bool // the server's certificate is untrusted
	slow    bool // every attempt must time out
	// want is the outcome; hits how many requests the server must see.
	want func(o *operation) (want outcome, hits int)
}

// retried is the outcome of a fault that every attempt meets.
func retried(kind string, status int) func(*operation) (outcome, int) {
	return func(*operation) (outcome, int) { return outcome{Kind: kind, Attempts: 3, Status: status}, 3 }
}

// decodeOrOK is the outcome of a 2xx answer whose body is not the
// documented JSON: a decoding error, except where the body is ignored.
func decodeOrOK(o *operation) (outcome, int) {
	if !o.decodes {
		return outcome{Kind: "ok", Attempts: 1, Status: o.okStatus}, 1
	}
	return outcome{Kind: "decode", Status: o.okStatus}, 1
}

func socketFaults() []socketFault {
	redirect := func(status int) socketFault {
		return socketFault{
			name: "redirect " + strconv.Itoa(status) + " to another host",
			handler: func(_ *operation, to string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, to+"/stolen", status)
				}
			},
			want: func(*operation) (outcome, int) { return outcome{Kind: "response", Attempts: 1, Status: status}, 1 },
		}
	}
	return []socketFault{
		{name: "connection refused", refused: true,
			want: func(*operation) (outcome, int) { return outcome{Kind: "send", Attempts: 3}, 0 }},
		{name: "reset before response headers", want: retried("send", 0),
			handler: func(*operation, string) http.HandlerFunc {
				return func(w http.ResponseWriter, _ *http.Request) {
					conn, _ := hijack(w)
					reset(conn)
				}
			}},
		{name: "reset mid-body", want: retried("send", 0),
			handler: func(o *operation, _ string) http.HandlerFunc {
				return func(w http.ResponseWriter, _ *http.Request) {
					conn, rw := hijack(w)
					rawHead(rw, o.okStatus, 4096, "application/json")
					rw.WriteString(`{"ProfileAssociation":{"Id":"rpassoc-`)
					rw.Flush()
					reset(conn)
				}
			}},
		{name: "server closes after headers", want: retried("send", 0),
			handler: func(o *operation, _ string) http.HandlerFunc {
				return func(w http.ResponseWriter, _ *http.Request) {
					conn, rw := hijack(w)
					rawHead(rw, o.okStatus, 512, "application/json")
					conn.Close()
				}
			}},
		{name: "truncated JSON", want: decodeOrOK,
			handler: func(o *operation, _ string) http.HandlerFunc {
				return func(w http.ResponseWriter, _ *http.Request) {
					body := o.okBody
					if body == "" {
						body = `{"request_id":"0123456789abcdef"}`
					}
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(o.okStatus)
					w.Write([]byte(body[:len(body)/2]))
				}
			}},
		{name: "2xx with a body that is not JSON", want: decodeOrOK,
			handler: func(o *operation, _ string) http.HandlerFunc {
				return func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "text/plain")
					w.WriteHeader(o.okStatus)
					w.Write([]byte("OK\x00\x1b[31m not json"))
				}
			}},
		{name: "502 HTML page from a proxy", want: retried("response", http.StatusBadGateway),
			handler: func(*operation, string) http.HandlerFunc {
				return func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "text/html")
					w.WriteHeader(http.StatusBadGateway)
					w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"))
				}
			}},
		{name: "error body far over the limit", want: retried("response", http.StatusInternalServerError),
			handler: func(*operation, string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Length", strconv.Itoa(64<<20))
					w.WriteHeader(http.StatusInternalServerError)
					stream(w, r, 64<<20, nil)
				}
			}},
		{name: "body trickles (attempt timeout)", want: retried("send", 0), slow: true,
			handler: func(o *operation, _ string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Length", "4096")
					w.WriteHeader(o.okStatus)
					w.(http.Flusher).Flush()
					tick := time.NewTicker(50 * time.Millisecond)
					defer tick.Stop()
					for range 4096 {
						select {
						case <-r.Context().Done():
							return
						case <-tick.C:
						}
						if _, err := w.Write([]byte{' '}); err != nil {
							return
						}
						w.(http.Flusher).Flush()
					}
				}
			}},
		{name: "headers never come (attempt timeout)", want: retried("send", 0), slow: true,
			handler: func(*operation, string) http.HandlerFunc {
				return func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
			}},
		redirect(http.StatusMovedPermanently),
		redirect(http.StatusFound),
		redirect(http.StatusTemporaryRedirect),
		redirect(http.StatusPermanentRedirect),
		{name: "TLS with an untrusted certificate", tls: true,
			want: func(*operation) (outcome, int) { return outcome{Kind: "send", Attempts: 1}, 0 }},
	}
}

// stream writes n spaces, or until the client goes away, and adds what it
// wrote to *written.
func stream(w http.ResponseWriter, r *http.Request, n int, written *atomic.Int64) {
	buf := []byte(strings.Repeat(" ", 32<<10))
	for n > 0 && r.Context().Err() == nil {
		k, err := w.Write(buf[:min(n, len(buf))])
		if written != nil {
			written.Add(int64(k))
		}
		if err != nil {
			return
		}
		n -= k
	}
}

// TestSocketFaults runs every operation against every socket-level fault
// and checks the outcome's type, the attempt count the server saw, and that
// the call ended within the retry policy's bound.
func TestSocketFaults(t *testing.T) {
	t.Parallel()
	for _, f := range socketFaults() {
		for _, o := range operations() {
			t.Run(f.name+"/"+o.col, func(t *testing.T) {
				t.Parallel()
				var srv, thief *loopback
				endpoint := ""
				switch {
				case f.refused:
					endpoint = refusedURL(t)
				case f.tls:
					srv = newTLSLoopback(t, nil)
					endpoint = srv.URL()
				default:
					thief = newLoopback(t, nil)
					srv = newLoopback(t, f.handler(o, thief.URL()))
					endpoint = srv.URL()
				}
				endpoint += string(o.svc)
				// newHTTPClient follows redirects (net/http's default): the
				// operation must not.
				p := fastRetry()
				// Bound: every attempt may use its whole timeout and every
				// wait its whole backoff; scheduling gets a generous margin.
				timeout, bound := fastTimeout, fastBound
				if f.slow {
					timeout = attemptTimeout
					bound = time.Duration(p.MaxAttempts)*(attemptTimeout+p.MaxBackoff) + 2*time.Second
				}
				s := transport.Settings{HTTPClient: newHTTPClient(t), Retry: p, AttemptTimeout: timeout}
				c, err := o.client(endpoint, s)
				if err != nil {
					t.Fatalf("new client: %v", err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				start := time.Now()
				_, meta, err := c.call(ctx, o.input(0))
				elapsed := time.Since(start)

				want, wantHits := f.want(o)
				got := classify(t, meta, err)
				got.Code = "" // the codes are checked by the synctest matrix
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("outcome mismatch (-want +got):\n%s\nerror: %v", d, err)
				}
				if srv != nil {
					if n := int(srv.hits.Load()); n != wantHits {
						t.Errorf("server saw %d requests, want %d", n, wantHits)
					}
				}
				if f.tls && srv.conns.Load() != 1 {
					t.Errorf("TLS server saw %d connections, want 1 (an untrusted certificate is not retried)", srv.conns.Load())
				}
				if thief != nil {
					stolen := len(thief.Requests())
					figures.loss("requests that followed a redirect", stolen)
					if stolen != 0 {
						t.Errorf("the redirect target got %d requests, headers %v", stolen, thief.Requests()[0].Header)
					}
				}
				if elapsed > bound {
					t.Errorf("call took %v, more than the policy allows (%v)", elapsed, bound)
				}
				if err != nil && errors.Is(err, context.DeadlineExceeded) && got.Kind == "canceled" {
					t.Errorf("the call's own deadline was reached: %v", err)
				}
				checkErrorText(t, err)
				figures.fault("1 socket faults (loopback servers)", f.name, o.col)
			})
		}
	}
}

// checkErrorText checks that an error reads as one clean line: no control
// characters from a hostile body, and not the whole body.
func checkErrorText(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	s := err.Error()
	if len(s) > 2048 {
		t.Errorf("error string is %d bytes long: %.200q...", len(s), s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			t.Errorf("error string has control character %U: %q", r, s)
			break
		}
	}
}

// TestRedirectPerCallClient: an *http.Client given for one call, which
// follows redirects as net/http's default does, is used without following
// them either: nothing reaches the other host.
func TestRedirectPerCallClient(t *testing.T) {
	t.Parallel()
	for _, o := range operations() {
		t.Run(o.col, func(t *testing.T) {
			t.Parallel()
			thief := newLoopback(t, nil)
			srv := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, thief.URL()+"/stolen", http.StatusTemporaryRedirect)
			})
			c, err := o.client(srv.URL()+string(o.svc), transport.Settings{Retry: fastRetry()})
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			follows := newHTTPClient(t)
			_, meta, err := c.call(context.Background(), o.input(0), func(s *transport.Settings) { s.HTTPClient = follows })
			if got := classify(t, meta, err); got.Kind != "response" || got.Status != http.StatusTemporaryRedirect {
				t.Errorf("outcome %+v (%v), want the 307 as an error", got, err)
			}
			stolen := len(thief.Requests())
			figures.loss("requests that followed a redirect", stolen)
			if stolen != 0 {
				t.Errorf("the redirect target got %d requests", stolen)
			}
			figures.fault("1 socket faults (loopback servers)", "redirect 307, per-call client that follows", o.col)
		})
	}
}
