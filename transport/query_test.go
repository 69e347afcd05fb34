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
)

// cutDecoder is a DecodeError for tests: the body is "code|message|id".
func cutDecoder(_ http.Header, body []byte) (code, message, requestID string) {
	parts := strings.SplitN(string(body), "|", 3)
	for len(parts) < 3 {
		parts = append(parts, "")
	}
	return parts[0], parts[1], parts[2]
}

func queryService() Service {
	return Service{ID: "STS", Protocol: AWSQuery, DecodeError: cutDecoder,
		Codes: map[string]Kind{"IDPCommunicationError": KindTransient}}
}

// A query-protocol service classifies codes as the JSON AWS services do,
// with its own codes first; a body without a code keeps its snippet.
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
		{"throttled with 400 is retried", 400, "Throttling|Rate exceeded|r1", KindThrottled, "Throttling", false, 3},
		{"expired token", 403, "ExpiredTokenException|expired|r2", KindUnauthorized, "ExpiredTokenException", false, 1},
		{"service code from Codes", 400, "IDPCommunicationError||", KindTransient, "IDPCommunicationError", false, 3},
		{"no code", 502, "", KindTransient, "", true, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := tc.body
			if body == "" {
				body = "<html>bad gateway</html>"
			}
			if tc.wantSnip {
				body = "|" + body // an empty code, the page as message
			}
			s := &script{steps: []func(*http.Request) (*http.Response, error){status(tc.status, body)}}
			c := newClient(t, Config{Service: queryService(), Endpoint: "https://sts.us-east-1.amazonaws.com", Settings: Settings{HTTPClient: s}})
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

func TestNewAWSQuery(t *testing.T) {
	t.Parallel()
	if _, err := New(Config{Service: queryService(), Endpoint: "https://sts.example", Auth: &fakeAuth{}}); err != nil {
		t.Errorf("New: %v", err)
	}
	if _, err := New(Config{Service: Service{ID: "STS", Protocol: AWSQuery}, Endpoint: "https://sts.example", Auth: &fakeAuth{}}); err == nil {
		t.Error("New accepted AWSQuery without a DecodeError")
	}
}

// A service's own decoder replaces the protocol's.
func TestServiceDecodeError(t *testing.T) {
	t.Parallel()
	s := &script{steps: []func(*http.Request) (*http.Response, error){status(404, `{"code":"NotThis"}`)}}
	c := newClient(t, Config{Service: Service{ID: "X", Protocol: AWSRestJSON,
		DecodeError: func(http.Header, []byte) (string, string, string) { return "Custom", "from the decoder", "id-1" }},
		Endpoint: "https://x.example", Settings: Settings{HTTPClient: s}})
	_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
	var re *ResponseError
	if !errors.As(err, &re) || re.Code != "Custom" || re.Message != "from the decoder" || re.RequestID != "id-1" || re.Kind != KindNotFound {
		t.Errorf("err = %#v", err)
	}
}

// Secrets a request registers are scrubbed from every value the response
// gives, even when the service echoes them in an unusual place, and from the
// log, which also keeps a SensitiveResponse body out.
func TestRegisteredSecretsScrubbed(t *testing.T) {
	t.Parallel()
	const secret = "web-identity-JWT-0123456789"
	echo := func(code int) func(*http.Request) (*http.Response, error) {
		return func(r *http.Request) (*http.Response, error) {
			body := "InvalidIdentityToken|token " + secret + " rejected|" + secret
			if code == 200 {
				body = `{"AccessKeyId":"AK","SecretAccessKey":"response-secret"}`
			}
			return reply(r, code, body, "X-Echo", "got "+secret, "X-Amzn-RequestId", "id-"+secret), nil
		}
	}
	for _, code := range []int{400, 200} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			s := &script{steps: []func(*http.Request) (*http.Response, error){echo(code)}}
			c := newClient(t, Config{Service: queryService(), Endpoint: "https://sts.example",
				Settings: Settings{HTTPClient: s, LogBodies: true, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}})
			resp, err := c.Do(context.Background(), "AssumeRoleWithWebIdentity", &Request{Method: "POST", Path: "/",
				Body: []byte("WebIdentityToken=" + secret), Secrets: []string{"", secret}, SensitiveResponse: true}, nil)
			texts := []string{logs.String()}
			if code == 200 {
				if err != nil {
					t.Fatal(err)
				}
				texts = append(texts, resp.Metadata.RequestID)
				if strings.Contains(logs.String(), "response-secret") {
					t.Errorf("a SensitiveResponse body is in the log: %s", logs.String())
				}
			} else {
				var re *ResponseError
				if !errors.As(err, &re) || re.Code != "InvalidIdentityToken" {
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
