package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// countingDoer sends through a plain *http.Client and counts the response
// body bytes the transport reads.
type countingDoer struct {
	inner         *http.Client
	read          atomic.Int64
	contentLength atomic.Int64 // of the last response
}

func (d *countingDoer) Do(r *http.Request) (*http.Response, error) {
	resp, err := d.inner.Do(r)
	if resp != nil {
		d.contentLength.Store(resp.ContentLength)
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &d.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// stream writes size bytes of 'x' in flushed pieces (so the body is
// chunked) and stops at the first write error, when the client hung up.
func stream(w http.ResponseWriter, size int64) {
	piece := []byte(strings.Repeat("x", 32<<10))
	rc := http.NewResponseController(w)
	for written := int64(0); written < size; {
		p := piece[:min(int64(len(piece)), size-written)]
		if _, err := w.Write(p); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		written += int64(len(p))
	}
}

func TestSuccessBodyLimit(t *testing.T) {
	t.Parallel()
	const limit = 1024
	tests := map[string]struct {
		size          int64
		contentLength bool // send Content-Length instead of chunking
		wantTooLarge  bool
		wantMaxRead   int64
	}{
		"chunked within limit":             {size: 1000, wantMaxRead: 1000},
		"chunked exactly at limit":         {size: limit, wantMaxRead: limit},
		"chunked one over":                 {size: limit + 1, wantTooLarge: true, wantMaxRead: limit + 1},
		"huge chunked stream":              {size: 1 << 30, wantTooLarge: true, wantMaxRead: limit + 1},
		"content-length exactly at limit":  {size: limit, contentLength: true, wantMaxRead: limit},
		"content-length over, left unread": {size: limit + 1, contentLength: true, wantTooLarge: true, wantMaxRead: 0},
		"huge content-length, left unread": {size: 1 << 30, contentLength: true, wantTooLarge: true, wantMaxRead: 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Amzn-RequestId", "big-1")
				if tt.contentLength {
					w.Header().Set("Content-Length", strconv.FormatInt(tt.size, 10))
				}
				stream(w, tt.size)
			})
			d := &countingDoer{inner: &http.Client{}}
			c := newClient(t, Config{Endpoint: srv.URL, Settings: Settings{HTTPClient: d, MaxResponseBytes: limit}})
			resp, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
			if got := d.read.Load(); got > tt.wantMaxRead {
				t.Errorf("read %d body bytes, want at most %d", got, tt.wantMaxRead)
			}
			if !tt.contentLength && d.contentLength.Load() != -1 {
				t.Errorf("response Content-Length = %d, want a chunked body (-1)", d.contentLength.Load())
			}
			if n := srv.hits.Load(); n != 1 {
				t.Errorf("server hits = %d, want 1", n)
			}
			if !tt.wantTooLarge {
				if err != nil || int64(len(resp.Body)) != tt.size || strings.Trim(string(resp.Body), "x") != "" {
					t.Fatalf("Do() = %v, %v; want the %d-byte body", resp, err, tt.size)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) || !errors.Is(err, ErrResponseTooLarge) || de.RequestID != "big-1" || de.StatusCode != 200 {
				t.Errorf("Do() error = %v, want a *DecodeError for status 200, request id big-1, wrapping ErrResponseTooLarge", err)
			}
		})
	}
}

func TestLargeErrorBody(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("x", 100<<10)
	html := "<html><head><title>502 Bad Gateway</title></head><body>" + huge + "</body></html>"
	tests := map[string]struct {
		protocol      *Protocol
		status        int
		header        []string
		body          string
		contentLength bool
		want          ResponseError
	}{
		"aws code from the header, body cut": {
			protocol: AWSRestJSON, status: 400,
			header: []string{"X-Amzn-ErrorType", "ValidationException", "X-Amzn-RequestId", "r-big"},
			body:   `{"message":"` + huge + `"}`, contentLength: true,
			want: ResponseError{StatusCode: 400, Code: "ValidationException", RequestID: "r-big", Kind: KindInvalidInput, Attempts: 1},
		},
		"huawei html page, chunked": {
			protocol: HuaweiJSON, status: 502, header: []string{"X-Request-Id", "hw-big"}, body: html,
			want: ResponseError{StatusCode: 502, RequestID: "hw-big", Kind: KindTransient, Attempts: 1, Snippet: html[:256]},
		},
		"huawei html page, content-length": {
			protocol: HuaweiJSON, status: 502, header: []string{"X-Request-Id", "hw-big"}, body: html, contentLength: true,
			want: ResponseError{StatusCode: 502, RequestID: "hw-big", Kind: KindTransient, Attempts: 1, Snippet: html[:256]},
		},
		"huawei json cut before its end": {
			protocol: HuaweiJSON, status: 400, header: []string{"X-Request-Id", "hw-big"},
			body: `{"error_code":"DNS.0001","error_msg":"` + huge + `"}`,
			want: ResponseError{StatusCode: 400, RequestID: "hw-big", Kind: KindInvalidInput, Attempts: 1,
				Snippet: (`{"error_code":"DNS.0001","error_msg":"` + huge)[:256]},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				for i := 0; i+1 < len(tt.header); i += 2 {
					w.Header().Set(tt.header[i], tt.header[i+1])
				}
				if tt.contentLength {
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body[:1000])
				http.NewResponseController(w).Flush()
				io.WriteString(w, tt.body[1000:])
			})
			d := &countingDoer{inner: &http.Client{}}
			c := newClient(t, Config{Service: Service{ID: "S", Protocol: tt.protocol}, Endpoint: srv.URL,
				Settings: Settings{HTTPClient: d, Retry: RetryPolicy{MaxAttempts: 1}}})
			_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("Do() error = %v, want a *ResponseError", err)
			}
			if diff := cmp.Diff(tt.want, *re, cmp.AllowUnexported(ResponseError{}), cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".header"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("ResponseError (-want +got):\n%s", diff)
			}
			if got := d.read.Load(); got > maxErrorBodyBytes+1 {
				t.Errorf("read %d bytes of the error body, want at most %d", got, maxErrorBodyBytes+1)
			}
		})
	}
}

func TestKeepAliveReuse(t *testing.T) {
	t.Parallel()
	notFound := `{"__type":"ResourceNotFoundException","message":"` + strings.Repeat("n", 3000) + `"}`
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Amzn-RequestId", "keep")
		switch r.URL.Path {
		case "/ok":
			w.Write(body)
		case "/ok-chunked":
			io.WriteString(w, `{"part":1,`)
			http.NewResponseController(w).Flush()
			io.WriteString(w, `"rest":true}`)
		case "/missing":
			w.WriteHeader(404)
			io.WriteString(w, notFound)
		case "/missing-chunked":
			w.WriteHeader(404)
			io.WriteString(w, notFound[:100])
			http.NewResponseController(w).Flush()
			io.WriteString(w, notFound[100:])
		case "/busy":
			w.WriteHeader(503)
			io.WriteString(w, "<html>busy</html>")
		case "/empty":
			w.WriteHeader(204)
		}
	})
	c := newClient(t, Config{Endpoint: srv.URL})
	paths := []string{"/ok", "/missing", "/busy", "/ok-chunked", "/missing-chunked", "/empty"}
	wantHits := int64(0)
	for i := range 50 {
		path := paths[i%len(paths)]
		method := "POST"
		var body []byte
		if i%2 == 0 {
			method, body = "DELETE", nil
		} else {
			body = []byte(`{"i":` + strconv.Itoa(i) + `}`)
		}
		_, err := c.Do(context.Background(), "Op", &Request{Method: method, Path: path, Body: body}, nil)
		var re *ResponseError
		switch path {
		case "/missing", "/missing-chunked":
			wantHits++
			if !errors.As(err, &re) || re.StatusCode != 404 || re.Code != "ResourceNotFoundException" {
				t.Fatalf("call %d %s: error = %v, want a decoded 404", i, path, err)
			}
		case "/busy":
			wantHits += 3
			if !errors.As(err, &re) || re.StatusCode != 503 || re.Attempts != 3 {
				t.Fatalf("call %d %s: error = %v, want a 503 after 3 attempts", i, path, err)
			}
		default:
			wantHits++
			if err != nil {
				t.Fatalf("call %d %s: %v", i, path, err)
			}
		}
	}
	if got := srv.hits.Load(); got != wantHits {
		t.Errorf("server hits = %d, want %d", got, wantHits)
	}
	if got := srv.conns.Load(); got != 1 {
		t.Errorf("connections = %d, want 1 (every body drained and reused)", got)
	}
}
