package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A server or proxy that echoes the request's credentials back must not get
// them into the error, its rendering or the logs.
func TestEchoedCredentialsAreScrubbed(t *testing.T) {
	t.Parallel()
	const token = "TOKEN-0123456789-SECRET"
	const sig = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
	echo := doerFunc(func(r *http.Request) (*http.Response, error) {
		body := `{"error_code":"APIGW.0301","error_msg":"bad token ` + r.Header.Get("X-Auth-Token") +
			` for ` + r.Header.Get("Authorization") + `"}`
		resp := reply(r, 401, body, "X-Echo-Token", r.Header.Get("X-Auth-Token"), "X-Echo-Auth", r.Header.Get("Authorization"))
		return resp, nil
	})
	var logs bytes.Buffer
	auth := &fakeAuth{set: map[string]string{"X-Auth-Token": token, "Authorization": "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + sig}}
	c := newClient(t, Config{Service: Service{ID: "DNS", Protocol: HuaweiJSON}, Endpoint: "https://example.com", Auth: auth,
		Settings: Settings{HTTPClient: echo, LogBodies: true,
			Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}})
	_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("Do = %v, want a ResponseError", err)
	}
	for _, rendering := range []string{
		err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", re), fmt.Sprintf("%v", re.Header()), logs.String(),
	} {
		if strings.Contains(rendering, token) || strings.Contains(rendering, sig) {
			t.Errorf("a sent credential is echoed in:\n%s", rendering)
		}
	}
	if !strings.Contains(re.Message, "bad token "+Redacted) {
		t.Errorf("Message = %q, want the echoed token replaced by %s", re.Message, Redacted)
	}
}

func TestHuaweiErrorDetails(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ body, code, msg string }{
		"details first":                       {`{"details":[{"error_code":"DNS.0706","error_msg":"last VPC"}],"error_code":"X","error_msg":"outer"}`, "DNS.0706", "last VPC"},
		"details without a code fall through": {`{"details":[{"foo":1}],"code":"DNS.0302","message":"zone"}`, "DNS.0302", "zone"},
		"nested details":                      {`{"details":[{"details":[{"code":"IIC.1","message":"deep"}]}]}`, "IIC.1", "deep"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := decodeHuaweiError(http.Header{}, []byte(tt.body))
			if f.code != tt.code || f.message != tt.msg {
				t.Errorf("decode = %q, %q; want %q, %q", f.code, f.message, tt.code, tt.msg)
			}
		})
	}
}

// A Retry-After date is the server's clock: it is measured against the
// server's Date, not against a local clock that may be skewed.
func TestRetryAfterDateAgainstServerDate(t *testing.T) {
	t.Parallel()
	server := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	local := server.Add(-10 * time.Minute) // our clock is 10 minutes behind
	c := newClient(t, Config{Endpoint: "https://example.com"})
	resp := &http.Response{StatusCode: 503, Header: http.Header{
		"Date":        {server.Format(http.TimeFormat)},
		"Retry-After": {server.Add(5 * time.Second).Format(http.TimeFormat)},
	}, Body: io.NopCloser(strings.NewReader(""))}
	if got := c.responseError(resp, nil, local, nil).RetryAfter; got != 5*time.Second {
		t.Errorf("RetryAfter = %v, want 5s", got)
	}
}

func TestResponseErrorKeepsRedactedHeaders(t *testing.T) {
	t.Parallel()
	c := newClient(t, Config{Endpoint: "https://example.com"})
	resp := &http.Response{StatusCode: 500, Header: http.Header{"Set-Cookie": {"session=COOKIESECRET"}}}
	re := c.responseError(resp, nil, time.Now(), nil)
	for _, s := range []string{fmt.Sprintf("%#v", re), fmt.Sprintf("%+v", *re)} {
		if strings.Contains(s, "COOKIESECRET") {
			t.Errorf("a response credential is in %s", s)
		}
	}
}
