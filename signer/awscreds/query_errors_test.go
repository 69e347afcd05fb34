package awscreds

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/transport"
)

func TestDecodeQueryError(t *testing.T) {
	t.Parallel()
	type fields struct{ Code, Message, RequestID string }
	tests := map[string]struct {
		header http.Header
		body   string
		want   fields
	}{
		"STS error response": {
			body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
				`<Code>ExpiredTokenException</Code><Message>The security token included in the request is expired</Message></Error>` +
				`<RequestId>4b1f5d3a-0000-4000-8000-000000000001</RequestId></ErrorResponse>`,
			want: fields{"ExpiredTokenException", "The security token included in the request is expired", "4b1f5d3a-0000-4000-8000-000000000001"},
		},
		"header request ID wins": {
			header: http.Header{"X-Amzn-Requestid": {"from-header"}},
			body:   `<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>from-body</RequestId></ErrorResponse>`,
			want:   fields{"Throttling", "Rate exceeded", "from-header"},
		},
		"lower-case message (the InvalidIdentityToken snapshot)": {
			body: `<ErrorResponse><Error><Code>InvalidIdentityToken</Code><message>bad jwt</message></Error></ErrorResponse>`,
			want: fields{"InvalidIdentityToken", "bad jwt", ""},
		},
		"first Error only": {
			body: `<Response><Errors><Error><Code>A</Code></Error><Error><Code>B</Code></Error></Errors></Response>`,
			want: fields{Code: "A"},
		},
		"request ID before the error": {
			body: `<ErrorResponse><RequestId> r-1 </RequestId><Error><Code> C </Code></Error></ErrorResponse>`,
			want: fields{"C", "", "r-1"},
		},
		"escaped text decoded": {
			body: `<ErrorResponse><Error><Code>X</Code><Message>a &lt; b</Message></Error></ErrorResponse>`,
			want: fields{"X", "a < b", ""},
		},
		"no Error element":   {body: `<ErrorResponse><Foo/></ErrorResponse>`},
		"not XML":            {body: `{"message":"json"}`},
		"HTML page":          {body: `<html><body>Bad Gateway</body></html>`},
		"truncated":          {body: `<ErrorResponse><Error><Code>Thrott`},
		"empty":              {},
		"entity in the code": {body: `<ErrorResponse><Error><Code>&secret;</Code></Error></ErrorResponse>`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			var got fields
			got.Code, got.Message, got.RequestID = decodeQueryError(h, []byte(tc.body))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The decoder runs on whatever a server sends: through the transport, every
// error it yields is one bounded line.
func FuzzDecodeQueryError(f *testing.F) {
	f.Add("", []byte(`<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>`), 400)
	f.Add("h", []byte(`<Error><Code>A</Code><message>m</message></Error>`), 403)
	f.Add("", []byte(`<a><b><c><Error><Code><x/></Code></Error></c></b></a>`), 500)
	f.Add("", []byte("<Error>\x00</Error>"), 503)
	f.Add("", []byte(`<!DOCTYPE x [<!ENTITY a "b">]><Error><Code>&a;</Code></Error>`), 400)
	f.Add("\r\n", []byte("<Error><Code>\u2028\x1b[2J</Code><Message>"+strings.Repeat("m", 5000)+"</Message></Error>"), 400)
	f.Fuzz(func(t *testing.T, requestID string, body []byte, status int) {
		h := http.Header{}
		if requestID != "" {
			h["X-Amzn-Requestid"] = []string{requestID}
		}
		code, _, id := decodeQueryError(h, body)
		if requestID != "" && id != requestID {
			t.Errorf("requestID = %q, want the header's %q", id, requestID)
		}
		if code != strings.TrimSpace(code) {
			t.Errorf("code %q not trimmed", code)
		}
		if status < 0 {
			status = -(status + 1)
		}
		// Through a real client: a server answering with this body.
		c, err := transport.New(transport.Config{Service: stsService, Endpoint: "https://sts.example", Auth: anonymous{},
			Settings: transport.Settings{Retry: transport.RetryPolicy{MaxAttempts: 1}, HTTPClient: doerFunc(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 400 + status%200, Header: h.Clone(), Body: io.NopCloser(bytes.NewReader(body)),
					ContentLength: int64(len(body)), Request: r}, nil
			})}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Do(t.Context(), "AssumeRole", &transport.Request{Method: "POST", Path: "/"}, nil)
		if err == nil {
			t.Fatal("no error for an error status")
		}
		msg := err.Error()
		if !utf8.ValidString(msg) || strings.ContainsAny(msg, "\r\n\x1b") || len(msg) > 2048 {
			t.Errorf("error is not one bounded printable line: %q", msg)
		}
	})
}
