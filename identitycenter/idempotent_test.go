package identitycenter

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/transport"
)

// answer replies with status and a JSON body.
func answer(status int, body string) func(http.ResponseWriter, int32) bool {
	return func(w http.ResponseWriter, _ int32) bool {
		writeJSON(w, status, body)
		return true
	}
}

// TestDeleteProfileIdempotent sets Idempotent per client and per call, and
// checks that only Identity Center's own 404 (an IIC. code in its JSON
// error body) becomes AlreadyGone: other errors, and 404s that did not come
// from Identity Center, still surface.
func TestDeleteProfileIdempotent(t *testing.T) {
	t.Parallel()
	idem := func(on bool) Option { return func(o *Options) { o.Idempotent = on } }
	notFound := func(w http.ResponseWriter, _ int32) bool {
		w.Header().Set("X-Request-Id", "rid-404")
		writeJSON(w, 404, `{"error_code":"IIC.1103","error_msg":"profile does not exist"}`)
		return true
	}
	tests := map[string]struct {
		client  bool     // Options.Idempotent given to New
		perCall []Option // options of the call
		reply   func(w http.ResponseWriter, n int32) bool
		want    *DeleteProfileOutput
		wantErr error // errors.Is target when an error is expected
		hits    int32
	}{
		"client option, 404 is gone": {client: true, reply: notFound,
			want: &DeleteProfileOutput{AlreadyGone: true, Metadata: transport.Metadata{RequestID: "rid-404", StatusCode: 404, Attempts: 1}},
			hits: 1},
		"per-call option, 404 is gone": {perCall: []Option{idem(true)}, reply: notFound,
			want: &DeleteProfileOutput{AlreadyGone: true, Metadata: transport.Metadata{RequestID: "rid-404", StatusCode: 404, Attempts: 1}},
			hits: 1},
		"off by default, 404 is an error": {reply: notFound, wantErr: transport.ErrNotFound, hits: 1},
		"per call off overrides client":   {client: true, perCall: []Option{idem(false)}, reply: notFound, wantErr: transport.ErrNotFound, hits: 1},
		"success is not gone": {client: true,
			want: &DeleteProfileOutput{Metadata: transport.Metadata{RequestID: "req-ic-1", StatusCode: 200, Attempts: 1}}, hits: 1},
		"403 still an error": {client: true, wantErr: transport.ErrAccessDenied, hits: 1,
			reply: answer(403, `{"error_code":"IIC.1215","error_msg":"only organizations administrator account can operate"}`)},
		"400 still an error": {client: true, wantErr: transport.ErrInvalidInput, hits: 1,
			reply: answer(400, `{"error_code":"IIC.1001","error_msg":"invalid"}`)},
		"404 in the code/message shape is gone": {client: true, hits: 1,
			reply: answer(404, `{"code":"IIC.1103","message":"profile does not exist"}`),
			want:  &DeleteProfileOutput{AlreadyGone: true, Metadata: transport.Metadata{StatusCode: 404, Attempts: 1}}},
		"bare 404 from a proxy is an error": {client: true, wantErr: transport.ErrNotFound, hits: 1,
			reply: func(w http.ResponseWriter, _ int32) bool {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(404)
				_, _ = w.Write([]byte("<html><body><h1>404 Not Found</h1>nginx</body></html>"))
				return true
			}},
		"empty 404 is an error": {client: true, wantErr: transport.ErrNotFound, hits: 1,
			reply: func(w http.ResponseWriter, _ int32) bool {
				w.WriteHeader(404)
				return true
			}},
		"404 JSON without a code is an error": {client: true, wantErr: transport.ErrNotFound, hits: 1,
			reply: answer(404, `{"error_msg":"not found"}`)},
		"gateway's no-such-API 404 is an error": {client: true, wantErr: transport.ErrNotFound, hits: 1,
			reply: answer(404, `{"error_code":"APIGW.0101","error_msg":"The API does not exist or has not been published in the environment"}`)},
		"another service's 404 is an error": {client: true, wantErr: transport.ErrNotFound, hits: 1,
			reply: answer(404, `{"code":"DNS.0302","message":"This zone does not exist."}`)},
		"IIC code with another status is an error": {client: true, wantErr: transport.ErrConflict, hits: 1,
			reply: answer(409, `{"error_code":"IIC.1103","error_msg":"conflict"}`)},
		"404 after a retried 503 is gone, attempts counted": {client: true, hits: 2,
			reply: func(w http.ResponseWriter, n int32) bool {
				if n == 1 {
					writeJSON(w, 503, `{"error_code":"APIGW.0613","error_msg":"IAM unavailable"}`)
					return true
				}
				return notFound(w, n)
			},
			want: &DeleteProfileOutput{AlreadyGone: true, Metadata: transport.Metadata{RequestID: "rid-404", StatusCode: 404, Attempts: 2}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t)
			if tc.reply != nil {
				f.setICReply(tc.reply)
			}
			o := testOptions(f, testCreds())
			o.Idempotent = tc.client
			c, err := New(o)
			require.NoError(t, err)
			out, err := c.DeleteProfile(t.Context(), testInput(), tc.perCall...)
			if tc.wantErr != nil {
				if out != nil || !errors.Is(err, tc.wantErr) {
					t.Errorf("got %+v, %v; want an error matching %v", out, err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatalf("error %v", err)
			}
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if n := f.icHits.Load(); n != tc.hits {
				t.Errorf("service got %d requests, want %d", n, tc.hits)
			}
			if c.Options().Idempotent != tc.client {
				t.Errorf("a per-call option changed the client's Idempotent")
			}
		})
	}
}
