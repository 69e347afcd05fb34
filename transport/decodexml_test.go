package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeAWSQueryError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		header http.Header
		body   string
		want   errorFields
	}{
		"STS error response": {
			body: `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
				`<Code>ExpiredTokenException</Code><Message>The security token included in the request is expired</Message></Error>` +
				`<RequestId>4b1f5d3a-0000-4000-8000-000000000001</RequestId></ErrorResponse>`,
			want: errorFields{code: "ExpiredTokenException", message: "The security token included in the request is expired",
				requestID: "4b1f5d3a-0000-4000-8000-000000000001"},
		},
		"header request ID wins": {
			header: hdr("X-Amzn-RequestId", "from-header"),
			body:   `<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>from-body</RequestId></ErrorResponse>`,
			want:   errorFields{code: "Throttling", message: "Rate exceeded", requestID: "from-header"},
		},
		"lower-case message (InvalidIdentityToken snapshot)": {
			body: `<ErrorResponse><Error><Code>InvalidIdentityToken</Code><message>bad jwt</message></Error></ErrorResponse>`,
			want: errorFields{code: "InvalidIdentityToken", message: "bad jwt"},
		},
		"first Error only": {
			body: `<Response><Errors><Error><Code>A</Code></Error><Error><Code>B</Code></Error></Errors></Response>`,
			want: errorFields{code: "A"},
		},
		"request ID before the error": {
			body: `<ErrorResponse><RequestId> r-1 </RequestId><Error><Code> C </Code></Error></ErrorResponse>`,
			want: errorFields{code: "C", requestID: "r-1"},
		},
		"no Error element":     {body: `<ErrorResponse><Foo/></ErrorResponse>`},
		"not XML":              {body: `{"message":"json"}`},
		"HTML page":            {body: `<html><body>Bad Gateway</body></html>`},
		"truncated":            {body: `<ErrorResponse><Error><Code>Thrott`},
		"empty":                {},
		"entity in the code":   {body: `<ErrorResponse><Error><Code>&secret;</Code></Error></ErrorResponse>`},
		"escaped text decoded": {body: `<ErrorResponse><Error><Code>X</Code><Message>a &lt; b</Message></Error></ErrorResponse>`, want: errorFields{code: "X", message: "a < b"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := tc.header
			if h == nil {
				h = http.Header{}
			}
			got := decodeAWSQueryError(h, []byte(tc.body))
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(errorFields{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A query-protocol service classifies codes like the JSON AWS services, and
// a body without a code keeps its snippet.
func TestAWSQueryThroughClient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		body      string
		wantKind  Kind
		wantCode  string
		wantSnip  bool
		wantTries int64
	}{
		{"throttled with 400 is retried", 400, `<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>`, KindThrottled, "Throttling", false, 3},
		{"expired token", 403, `<ErrorResponse><Error><Code>ExpiredTokenException</Code></Error></ErrorResponse>`, KindUnauthorized, "ExpiredTokenException", false, 1},
		{"service code from Codes", 400, `<ErrorResponse><Error><Code>IDPCommunicationError</Code></Error></ErrorResponse>`, KindTransient, "IDPCommunicationError", false, 3},
		{"proxy page", 502, `<html>bad gateway</html>`, KindTransient, "", true, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &script{steps: []func(*http.Request) (*http.Response, error){status(tc.status, tc.body, "Content-Type", "text/xml")}}
			c := newClient(t, Config{Service: Service{ID: "STS", Protocol: AWSQuery, Codes: map[string]Kind{"IDPCommunicationError": KindTransient}},
				Endpoint: "https://sts.us-east-1.amazonaws.com", Settings: Settings{HTTPClient: s}})
			_, err := c.Do(context.Background(), "AssumeRole", &Request{Method: "POST", Path: "/"}, nil)
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a ResponseError", err)
			}
			if re.Kind != tc.wantKind || re.Code != tc.wantCode || (re.Snippet != "") != tc.wantSnip || s.hits.Load() != tc.wantTries {
				t.Errorf("kind %v code %q snippet %q after %d tries; want %v %q snippet=%t after %d",
					re.Kind, re.Code, re.Snippet, s.hits.Load(), tc.wantKind, tc.wantCode, tc.wantSnip, tc.wantTries)
			}
		})
	}
}

// Secrets a request registers are scrubbed from every value the response
// gives, even when the service echoes them in an unusual place, and from the
// log, which also keeps a SensitiveResponse body out.
func TestRegisteredSecretsScrubbed(t *testing.T) {
	t.Parallel()
	const secret = "web-identity-JWT-0123456789"
	echo := func(status int) func(*http.Request) (*http.Response, error) {
		return func(r *http.Request) (*http.Response, error) {
			body := `<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>token ` + secret + ` rejected</Message></Error>` +
				`<RequestId>` + secret + `</RequestId></ErrorResponse>`
			if status == 200 {
				body = `{"AccessKeyId":"AK","SecretAccessKey":"response-secret"}`
			}
			return reply(r, status, body, "X-Echo", "got "+secret, "X-Amzn-RequestId", "id-"+secret), nil
		}
	}
	for _, status := range []int{400, 200} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			s := &script{steps: []func(*http.Request) (*http.Response, error){echo(status)}}
			c := newClient(t, Config{Service: Service{ID: "STS", Protocol: AWSQuery}, Endpoint: "https://sts.example",
				Settings: Settings{HTTPClient: s, LogBodies: true, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}})
			resp, err := c.Do(context.Background(), "AssumeRoleWithWebIdentity", &Request{Method: "POST", Path: "/",
				Body: []byte("WebIdentityToken=" + secret), Secrets: []string{"", secret}, SensitiveResponse: true}, nil)
			texts := []string{logs.String()}
			if status == 200 {
				if err != nil {
					t.Fatal(err)
				}
				texts = append(texts, resp.Metadata.RequestID)
				if strings.Contains(logs.String(), "response-secret") {
					t.Errorf("a SensitiveResponse body is in the log: %s", logs.String())
				}
			} else {
				var re *ResponseError
				if !errors.As(err, &re) {
					t.Fatalf("err = %v", err)
				}
				texts = append(texts, err.Error(), fmt.Sprintf("%+v", re), re.RequestID, re.Message, fmt.Sprint(re.Header()))
			}
			for _, text := range texts {
				if strings.Contains(text, secret) {
					t.Errorf("the registered secret shows in %q", text)
				}
			}
			if !strings.Contains(logs.String(), "request_body") {
				t.Errorf("the request body was not logged at all: %s", logs.String())
			}
		})
	}
}

func TestNewAcceptsAWSQuery(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{Service: Service{ID: "STS", Protocol: AWSQuery}, Endpoint: "https://sts.example", Auth: &fakeAuth{}}); err != nil {
		t.Errorf("New: %v", err)
	}
}

func FuzzDecodeAWSQueryError(f *testing.F) {
	f.Add("", []byte(`<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>`), 400)
	f.Add("h", []byte(`<Error><Code>A</Code><message>m</message></Error>`), 403)
	f.Add("", []byte(`<a><b><c><Error><Code><x/></Code></Error></c></b></a>`), 500)
	f.Add("", []byte("<Error>\x00</Error>"), 503)
	f.Add("", []byte(`<!DOCTYPE x [<!ENTITY a "b">]><Error><Code>&a;</Code></Error>`), 400)
	f.Fuzz(func(t *testing.T, requestID string, body []byte, status int) {
		h := http.Header{}
		if requestID != "" {
			h["X-Amzn-Requestid"] = []string{requestID}
		}
		got := decodeAWSQueryError(h, body)
		if requestID != "" && got.requestID != requestID {
			t.Errorf("requestID = %q, want the header's %q", got.requestID, requestID)
		}
		fuzzResponse(t, AWSQuery, 100+abs(status)%500, h, body)
	})
}
