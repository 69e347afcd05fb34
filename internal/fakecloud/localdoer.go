package fakecloud

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"time"
)

// LocalDoer sends requests straight to a Cloud's ServeHTTP, with no socket:
// it satisfies transport.Doer (give it as a client's HTTPClient, with the
// Endpoint of any host plus the service's prefix). Inside a
// testing/synctest bubble, where real sockets are not allowed, it lets a
// client and the emulator run on fake time together.
type LocalDoer struct {
	Cloud *Cloud
	// Host, when set, sends the requests to that credential host (see
	// [Cloud.HostHandler]) instead of the Cloud's services; the URL's host
	// is then ignored, its path is the host's.
	Host Host
	// Latency is waited before each request is served, on the time
	// package's clock (fake inside a synctest bubble), so that requests
	// take time as over a network. The wait ends early with the request's
	// context.
	Latency time.Duration
}

// Do serves r and returns the recorded response. A Reset fault, which
// aborts the handler, is returned as an error, as a reset connection is.
func (d LocalDoer) Do(r *http.Request) (resp *http.Response, err error) {
	if d.Latency > 0 && !wait(r.Context(), d.Latency) {
		return nil, r.Context().Err()
	}
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	if r.RequestURI == "" {
		// What a server sees; handlers that log or check it find it set.
		r = r.Clone(r.Context())
		r.RequestURI = r.URL.RequestURI()
	}
	rec := httptest.NewRecorder()
	defer func() {
		if v := recover(); v != nil {
			if v != http.ErrAbortHandler {
				panic(v)
			}
			resp, err = nil, errors.New("fakecloud: connection reset by the emulator")
		}
	}()
	if d.Host != "" {
		d.Cloud.HostHandler(d.Host).ServeHTTP(rec, r)
	} else {
		d.Cloud.ServeHTTP(rec, r)
	}
	if err := r.Context().Err(); err != nil {
		// The request was abandoned while the emulator held it (a Slow
		// fault): a real connection gives the context's error, not what
		// the recorder happens to hold.
		return nil, err
	}
	resp = rec.Result()
	resp.Request = r
	return resp, nil
}
