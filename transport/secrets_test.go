package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// A server or proxy that copies a request header into its request-ID header
// must not get the credential into ResponseError.RequestID, the error's text
// or the log's request_id (issue 13, point 1).
func TestRequestIDEchoIsScrubbed(t *testing.T) {
	t.Parallel()
	const token = "CREDENTIAL-0123456789-ECHOED"
	tests := []struct {
		name     string
		protocol *Protocol
		idHeader string // where the server echoes the credential
		sent     string // the credential header the request carries
	}{
		{"AWS session token in X-Amzn-RequestId", AWSRestJSON, "X-Amzn-RequestId", "X-Amz-Security-Token"},
		{"AWS session token in x-amz-request-id", AWSRestJSON, "x-amz-request-id", "X-Amz-Security-Token"},
		{"Huawei security token in X-Request-Id", HuaweiJSON, "X-Request-Id", "X-Security-Token"},
		{"Huawei IAM token in X-Request-Id", HuaweiJSON, "X-Request-Id", "X-Auth-Token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			echo := doerFunc(func(r *http.Request) (*http.Response, error) {
				return reply(r, 403, `{"message":"denied"}`, tt.idHeader, r.Header.Get(tt.sent)), nil
			})
			var logs bytes.Buffer
			c := newClient(t, Config{Service: Service{ID: "Svc", Protocol: tt.protocol}, Endpoint: "https://example.com",
				Auth: &fakeAuth{set: map[string]string{tt.sent: token}},
				Settings: Settings{HTTPClient: echo,
					Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}})
			_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("Do = %v, want a ResponseError", err)
			}
			if re.RequestID != Redacted {
				t.Errorf("RequestID = %q, want %q", re.RequestID, Redacted)
			}
			for _, text := range []string{err.Error(), fmt.Sprintf("%+v", re), logs.String()} {
				if strings.Contains(text, token) {
					t.Errorf("the echoed %s shows in %s", tt.sent, text)
				}
			}
			if !strings.Contains(logs.String(), "request_id="+Redacted) {
				t.Errorf("the log's request_id is not %s: %s", Redacted, logs.String())
			}
		})
	}
}

// secretKind is one way a request sends a secret: the Authorizer and the
// Request put it somewhere, and echo returns what a server that copies it
// back would copy (a header's whole value, the whole body, the query).
type secretKind struct {
	name string
	// distinctive is a part of the secret that every form of it (as sent,
	// JSON-escaped, URL-escaped) contains, and that nothing else contains.
	distinctive string
	auth        Authorizer
	req         func() *Request
	echo        func(r *http.Request, body []byte) string
}

// setHeaders is an Authorizer that sets header values under the exact keys
// given, canonical or not, as an Authorizer assigning the map directly would.
type setHeaders map[string]string

func (s setHeaders) Authorize(_ context.Context, r *http.Request, _ string, _ time.Time) error {
	for k, v := range s {
		r.Header[k] = []string{v}
	}
	return nil
}

// headerFold is the first value of the header named name, under any
// spelling of the name.
func headerFold(h http.Header, name string) string {
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

func secretKinds() []secretKind {
	const sig = "5ec2e7a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3"
	get := func(name string) func(*http.Request, []byte) string {
		return func(r *http.Request, _ []byte) string { return headerFold(r.Header, name) }
	}
	wholeBody := func(_ *http.Request, body []byte) string { return string(body) }
	plain := func() *Request { return &Request{Method: "GET", Path: "/"} }
	jsonBody := func(password string) func() *Request {
		return func() *Request {
			b, _ := json.Marshal(map[string]string{"user": "alice", "password": password})
			return &Request{Method: "POST", Path: "/", ContentType: "application/json", Body: b, Secrets: []string{password}}
		}
	}
	return []secretKind{
		{name: "X-Auth-Token", distinctive: "IAMTOKENSECRET",
			auth: setHeaders{"X-Auth-Token": "MIIx+IAMTOKENSECRET/abc=="}, req: plain, echo: get("X-Auth-Token")},
		{name: "X-Security-Token", distinctive: "HWSTSSECRET",
			auth: setHeaders{"X-Security-Token": "gQpjbi1ub3J0aC00HWSTSSECRET", "Authorization": "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + sig},
			req:  plain, echo: get("X-Security-Token")},
		{name: "X-Amz-Security-Token", distinctive: "AWSSESSIONSECRET",
			auth: setHeaders{"X-Amz-Security-Token": "IQoJb3JpZ2luX2VjEAWSSESSIONSECRET/+=="}, req: plain, echo: get("X-Amz-Security-Token")},
		{name: "AWS SigV4 signature", distinctive: sig,
			auth: setHeaders{"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/route53profiles/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig},
			req:  plain, echo: get("Authorization")},
		{name: "Huawei signature", distinctive: sig,
			auth: setHeaders{"Authorization": "SDK-HMAC-SHA256 Access=HWAK, SignedHeaders=host;x-sdk-date, Signature=" + sig},
			req:  plain, echo: get("Authorization")},
		{name: "bearer token", distinctive: "BEARERSECRET",
			auth: setHeaders{"Authorization": "Bearer eyJhbGciOi.BEARERSECRET.sig"}, req: plain, echo: get("Authorization")},
		{name: "credential header under a non-canonical key", distinctive: "LOWERKEYSECRET",
			auth: setHeaders{"x-auth-token": "lower-LOWERKEYSECRET-0001"}, req: plain, echo: get("x-auth-token")},
		{name: "password in the body (Request.Secrets)", distinctive: "BODYSECRET",
			auth: setHeaders{}, req: jsonBody(`pa55"w\0rd<&>-BODYSECRET-ÿ`), echo: wholeBody},
		{name: "short password in the body (Request.Secrets)", distinctive: "Zq7$x9",
			auth: setHeaders{}, req: jsonBody("Zq7$x9"), echo: wholeBody},
		{name: "token under an unusual header (Request.Secrets)", distinctive: "APIKEYSECRET",
			auth: setHeaders{},
			req: func() *Request {
				return &Request{Method: "GET", Path: "/", Header: http.Header{"X-Api-Key": {"key-APIKEYSECRET-1"}}, Secrets: []string{"key-APIKEYSECRET-1"}}
			},
			echo: get("X-Api-Key")},
		{name: "token in the query (Request.Secrets)", distinctive: "QUERYSECRET",
			auth: setHeaders{},
			req: func() *Request {
				const tok = "q+QUERYSECRET/x="
				return &Request{Method: "GET", Path: "/", RawQuery: "token=" + url.QueryEscape(tok), Secrets: []string{tok}}
			},
			echo: func(r *http.Request, _ []byte) string { return r.URL.RawQuery }},
	}
}

// echoOutcome is what a call left for the caller to see.
type echoOutcome struct {
	resp *Response
	err  error
	logs string
}

// echoField is one place of a response where a server echoes what it got.
type echoField struct {
	name     string
	protocol *Protocol
	// respond answers with the echo in the field.
	respond func(r *http.Request, echo string, k secretKind) *http.Response
	// raw, instead of respond, is what a loopback server writes on the
	// connection: a response net/http refuses, quoting it in its error.
	raw func(echo string) string
	// decode decodes a success body with DecodeJSON into the given value.
	decode any
	// field is the value the echo reached, which must now hold Redacted.
	field func(o echoOutcome) string
	// reaches, when set, is the part of the echo that the field can hold
	// (an AWS code is cut at ':'); the field is checked for Redacted only
	// when that part holds the secret.
	reaches func(echo string) string
	// cut, when set, is the marker that follows a cut that the response
	// would place three bytes into the secret if the secret were replaced
	// after the cut: the text before the marker must not end with those
	// bytes.
	cut string
}

// jsonQuote quotes s as a JSON string, as a server writing an error does.
func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func echoFields() []echoField {
	// answer builds a response whose body and header values hold the echo
	// where they say $e, and the echo as a JSON string where they say $q.
	answer := func(status int, body string, header ...string) func(*http.Request, string, secretKind) *http.Response {
		return func(r *http.Request, e string, _ secretKind) *http.Response {
			fill := strings.NewReplacer("$e", e, "$q", jsonQuote(e)).Replace
			h := make([]string, len(header))
			for i, v := range header {
				h[i] = fill(v)
			}
			return reply(r, status, fill(body), h...)
		}
	}
	respErr := func(o echoOutcome) *ResponseError {
		var re *ResponseError
		if !errors.As(o.err, &re) {
			return &ResponseError{}
		}
		return re
	}
	decodeErr := func(o echoOutcome) *DecodeError {
		var de *DecodeError
		if !errors.As(o.err, &de) {
			return &DecodeError{Err: errors.New("no DecodeError")}
		}
		return de
	}
	requestID := func(o echoOutcome) string { return respErr(o).RequestID }
	code := func(o echoOutcome) string { return respErr(o).Code }
	message := func(o echoOutcome) string { return respErr(o).Message }
	header := func(name string) func(echoOutcome) string {
		return func(o echoOutcome) string { return respErr(o).Header().Get(name) }
	}
	logs := func(o echoOutcome) string { return o.logs }
	successID := func(o echoOutcome) string { return o.resp.Metadata.RequestID }
	sendErr := func(o echoOutcome) string { return o.err.Error() }
	return []echoField{
		// The request IDs of each protocol.
		{name: "X-Amzn-RequestId", protocol: AWSRestJSON, respond: answer(400, `{"message":"bad"}`, "X-Amzn-RequestId", "$e"), field: requestID},
		{name: "x-amz-request-id", protocol: AWSRestJSON, respond: answer(404, `{"message":"gone"}`, "x-amz-request-id", "$e"), field: requestID},
		{name: "X-Request-Id", protocol: HuaweiJSON, respond: answer(400, `{"error_code":"DNS.0001","error_msg":"bad"}`, "X-Request-Id", "$e"), field: requestID},
		{name: "Huawei body request_id", protocol: HuaweiJSON, respond: answer(400, `{"error_code":"DNS.0001","error_msg":"bad","request_id":$q}`), field: requestID},
		// Codes.
		{name: "X-Amzn-ErrorType", protocol: AWSRestJSON, respond: answer(400, `{"message":"bad"}`, "X-Amzn-ErrorType", "$e"), field: code, reaches: SanitizeAWSErrorCode},
		{name: "AWS body code", protocol: AWSRestJSON, respond: answer(400, `{"code":$q,"message":"bad"}`), field: code, reaches: SanitizeAWSErrorCode},
		{name: "Huawei error_code", protocol: HuaweiJSON, respond: answer(400, `{"error_code":$q,"error_msg":"bad"}`), field: code},
		// Messages.
		{name: "AWS message", protocol: AWSRestJSON, respond: answer(400, `{"__type":"ValidationException","message":$q}`), field: message},
		{name: "Huawei error_msg", protocol: HuaweiJSON, respond: answer(401, `{"error_code":"APIGW.0301","error_msg":$q}`), field: message},
		{name: "Keystone nested message", protocol: HuaweiJSON, respond: answer(400, `{"error":{"code":400,"message":$q,"title":"Bad Request"}}`), field: message},
		{name: "Huawei details message", protocol: HuaweiJSON, respond: answer(400, `{"details":[{"error_code":"IIC.1","error_msg":$q}]}`), field: message},
		{name: "encoded_authorization_message", protocol: HuaweiJSON,
			respond: answer(403, `{"error_code":"DNS.0030","error_msg":"denied","encoded_authorization_message":$q}`),
			field:   func(o echoOutcome) string { return respErr(o).EncodedAuthorizationMessage }},
		// A body with no code: the snippet, whole and cut through the secret.
		{name: "snippet", protocol: AWSRestJSON, respond: answer(502, "<html>$e</html>", "Content-Type", "text/html"),
			field: func(o echoOutcome) string { return respErr(o).Snippet }},
		{name: "snippet cut through the secret", protocol: AWSRestJSON, cut: "\x00",
			respond: func(r *http.Request, e string, k secretKind) *http.Response {
				pad := 256 - strings.Index(e, k.distinctive) - 3
				return reply(r, 502, strings.Repeat("x", pad)+e+strings.Repeat("y", 256), "Content-Type", "text/html")
			},
			field: func(o echoOutcome) string { return respErr(o).Snippet + "\x00" }},
		// Headers the error keeps, by value and by name.
		{name: "any header", protocol: HuaweiJSON, respond: answer(400, `{"error_code":"DNS.0001","error_msg":"bad"}`, "X-Echo", "$e"), field: header("X-Echo")},
		{name: "a header's name", protocol: AWSRestJSON,
			respond: func(r *http.Request, e string, _ secretKind) *http.Response {
				resp := reply(r, 400, `{"message":"bad"}`)
				resp.Header["X-Echo-"+e] = []string{"1"}
				return resp
			},
			field: func(o echoOutcome) string { return fmt.Sprint(respErr(o).Header()) }},
		{name: "Retry-After", protocol: AWSRestJSON, respond: answer(503, `{"message":"busy"}`, "Retry-After", "$e"), field: header("Retry-After")},
		{name: "Location of a redirect", protocol: HuaweiJSON, respond: answer(302, "", "Location", "https://elsewhere.example/?$e"), field: header("Location")},
		{name: "logged error body", protocol: AWSRestJSON, respond: answer(400, `{"message":"bad","echo":$q}`), field: logs},
		{name: "logged body cut through the secret", protocol: HuaweiJSON, cut: "...(truncated)",
			respond: func(r *http.Request, e string, k secretKind) *http.Response {
				pad := maxLoggedBody - strings.Index(e, k.distinctive) - 3
				return reply(r, 400, strings.Repeat("x", pad)+e+strings.Repeat("y", maxLoggedBody))
			},
			field: logs},
		// The success path.
		{name: "success X-Amzn-RequestId", protocol: AWSRestJSON, respond: answer(200, `{}`, "X-Amzn-RequestId", "$e"), field: successID},
		{name: "success X-Request-Id", protocol: HuaweiJSON, respond: answer(200, `{}`, "X-Request-Id", "$e"), field: successID},
		{name: "logged success body", protocol: HuaweiJSON, respond: answer(200, `{"zone":{"description":$q}}`), field: logs},
		{name: "success body field", protocol: AWSRestJSON, respond: answer(200, `{"ProfileAssociation":{"StatusMessage":$q}}`),
			field: func(o echoOutcome) string {
				var v struct {
					ProfileAssociation struct{ StatusMessage string }
				}
				if err := json.Unmarshal(o.resp.Body, &v); err != nil {
					return "the scrubbed body is not JSON: " + err.Error()
				}
				return v.ProfileAssociation.StatusMessage
			}},
		{name: "success body, Huawei", protocol: HuaweiJSON, respond: answer(200, `{"router":{"status":"ACTIVE","name":$q}}`),
			field: func(o echoOutcome) string { return string(o.resp.Body) }},
		{name: "DecodeError of a body that is not JSON", protocol: AWSRestJSON, decode: &struct{}{},
			respond: answer(200, "<html>$e</html>", "X-Amzn-RequestId", "req-1"),
			field:   func(o echoOutcome) string { return decodeErr(o).Snippet }},
		{name: "DecodeError quoting a value", protocol: HuaweiJSON, decode: &struct {
			N int `json:"n,string"`
		}{},
			respond: answer(200, `{"n":$q}`),
			field:   func(o echoOutcome) string { return decodeErr(o).Err.Error() },
			// The message is cut at 200 bytes, after a 62-byte preamble.
			reaches: func(e string) string { return e[:min(len(e), 200-62)] }},
		{name: "DecodeError of a body over the limit", protocol: AWSRestJSON,
			respond: answer(200, strings.Repeat(" ", 2048), "X-Amzn-RequestId", "$e"),
			field:   func(o echoOutcome) string { return decodeErr(o).RequestID }},
		// Responses net/http refuses, quoting them in its error.
		{name: "malformed header line", protocol: HuaweiJSON, field: sendErr,
			raw: func(e string) string { return "HTTP/1.1 200 OK\r\nX-Request-Id " + e + "\r\nContent-Length: 0\r\n\r\n" }},
		{name: "malformed status line", protocol: AWSRestJSON, field: sendErr,
			raw: func(e string) string { return "HTTP/1.1 " + e + "\r\nContent-Length: 0\r\n\r\n" },
			// net/http quotes the status code: the echo up to its first space.
			reaches: func(e string) string { code, _, _ := strings.Cut(e, " "); return code }},
	}
}

// teeHandler sends every record to slog's text and JSON handlers, so that
// the test scans what either would print.
type teeHandler []slog.Handler

func (t teeHandler) Enabled(context.Context, slog.Level) bool { return true }
func (t teeHandler) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range t {
		if err := h.Handle(ctx, r.Clone()); err != nil {
			return err
		}
	}
	return nil
}
func (t teeHandler) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(teeHandler, len(t))
	for i, h := range t {
		out[i] = h.WithAttrs(as)
	}
	return out
}
func (t teeHandler) WithGroup(name string) slog.Handler {
	out := make(teeHandler, len(t))
	for i, h := range t {
		out[i] = h.WithGroup(name)
	}
	return out
}

// renderAll renders err, every error it wraps and every errors.As target a
// caller might ask for, with every fmt verb that shows fields.
func renderAll(err error) []string {
	var out []string
	add := func(v any) {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
	}
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		add(e)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	var (
		re *ResponseError
		de *DecodeError
		se *SendError
		ce *CanceledError
		ue *url.Error
		oe *net.OpError
		ne net.Error
		ae smithy.APIError
	)
	if errors.As(err, &re) {
		add(*re)
		add(re.Header())
		out = append(out, re.ErrorMessage(), re.ErrorCode(), re.ServiceRequestID())
	}
	if errors.As(err, &de) {
		add(*de)
	}
	if errors.As(err, &se) {
		add(*se)
	}
	if errors.As(err, &ce) {
		add(*ce)
	}
	if errors.As(err, &ue) {
		add(*ue)
	}
	if errors.As(err, &oe) {
		add(*oe)
	}
	if errors.As(err, &ne) {
		add(ne)
	}
	if errors.As(err, &ae) {
		out = append(out, ae.ErrorCode(), ae.ErrorMessage())
	}
	return out
}

// TestNoEchoedSecretEscapes makes a server echo every kind of secret a call
// sends in every field of a response, and checks that no error, rendering,
// errors.As target, success value or log record (slog text and JSON, with
// bodies logged) holds any of it, while the field itself shows Redacted.
func TestNoEchoedSecretEscapes(t *testing.T) {
	t.Parallel()
	for _, f := range echoFields() {
		for _, k := range secretKinds() {
			t.Run(f.name+"/"+k.name, func(t *testing.T) {
				t.Parallel()
				var echoed atomic.Value
				answer := func(r *http.Request, body []byte) string {
					e := k.echo(r, body)
					echoed.Store(e)
					return e
				}
				var doer Doer
				endpoint := "https://example.com"
				if f.raw != nil {
					srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
						body, _ := io.ReadAll(r.Body)
						conn, buf, err := http.NewResponseController(w).Hijack()
						if err != nil {
							return
						}
						defer conn.Close()
						_, _ = buf.WriteString(f.raw(answer(r, body)))
						_ = buf.Flush()
					})
					endpoint = srv.URL
				} else {
					doer = doerFunc(func(r *http.Request) (*http.Response, error) {
						var body []byte
						if r.Body != nil {
							body, _ = io.ReadAll(r.Body)
						}
						return f.respond(r, answer(r, body), k), nil
					})
				}
				var logs bytes.Buffer
				opts := &slog.HandlerOptions{Level: slog.LevelDebug}
				logger := slog.New(teeHandler{slog.NewTextHandler(&logs, opts), slog.NewJSONHandler(&logs, opts)})
				c := newClient(t, Config{Service: Service{ID: "Svc", Protocol: f.protocol}, Endpoint: endpoint, Auth: k.auth,
					Settings: Settings{HTTPClient: doer, LogBodies: true, Logger: logger, MaxResponseBytes: 1024,
						Retry: RetryPolicy{MaxAttempts: 2}}})
				resp, err := c.Do(context.Background(), "Op", k.req(), nil)
				if err == nil && f.decode != nil {
					err = DecodeJSON(resp, f.decode)
				}
				o := echoOutcome{resp: resp, err: err, logs: logs.String()}

				e, _ := echoed.Load().(string)
				require.Contains(t, e, k.distinctive, "the server did not echo the secret")
				require.True(t, (err == nil) == (f.decode == nil && f.respond != nil && resp != nil && resp.StatusCode < 300),
					"unexpected outcome: %v", err)

				texts := append(renderAll(err), o.logs)
				if resp != nil {
					texts = append(texts, fmt.Sprintf("%+v", resp.Metadata), string(resp.Body))
				}
				for _, text := range texts {
					if strings.Contains(text, k.distinctive) {
						t.Errorf("the echoed secret shows in:\n%s", text)
					}
				}
				got := f.field(o)
				switch {
				case f.cut != "":
					if cut := k.distinctive[:3] + f.cut; strings.Contains(got, cut) {
						t.Errorf("the start of the secret shows before the cut: %q in\n%s", cut, got)
					}
					if !strings.Contains(got, f.cut) {
						t.Errorf("the value was not cut: %s", got)
					}
				case f.reaches != nil && !strings.Contains(f.reaches(e), k.distinctive):
					// The secret never reaches the field.
				case !strings.Contains(got, Redacted):
					t.Errorf("the field holds %q, want the echo there with %s in place of the secret", got, Redacted)
				}
			})
		}
	}
}

func TestScrub(t *testing.T) {
	t.Parallel()
	const long = `a"b<c>&d-LONGSECRET`
	tests := []struct {
		name    string
		text    string
		secrets []string
		want    string
	}{
		{"no secrets", "request 1234", nil, "request 1234"},
		{"every occurrence of a long secret", "x TOKEN-12345678 y TOKEN-12345678", []string{"TOKEN-12345678"}, "x [redacted] y [redacted]"},
		{"a long secret inside a word", "abcTOKEN-12345678def", []string{"TOKEN-12345678"}, "abc[redacted]def"},
		{"JSON-escaped with HTML escaping", `{"p":"a\"b\u003cc\u003e\u0026d-LONGSECRET"}`, []string{long}, `{"p":"[redacted]"}`},
		{"JSON-escaped without HTML escaping", `{"p":"a\"b<c>&d-LONGSECRET"}`, []string{long}, `{"p":"[redacted]"}`},
		{"JSON-escaped twice", `{"m":"{\"p\":\"a\\\"b\\u003cc\\u003e\\u0026d-LONGSECRET\"}"}`, []string{long}, `{"m":"{\"p\":\"[redacted]\"}"}`},
		{"JSON-escaped with its slashes", `{"k":"wJalr\/K7MDENG\/bPxRfiCY"}`, []string{"wJalr/K7MDENG/bPxRfiCY"}, `{"k":"[redacted]"}`},
		{"URL query escaped", "p=a%22b%3Cc%3E%26d-LONGSECRET&x=1", []string{long}, "p=[redacted]&x=1"},
		{"URL query escaped with a space", "t=to+ken+12345678", []string{"to ken 12345678"}, "t=[redacted]"},
		{"URL path escaped", "/a%22b%3Cc%3E&d-LONGSECRET/x", []string{long}, "/[redacted]/x"},
		{"the longer of two overlapping secrets whole", "k=abcdefgh12345678", []string{"abcdefgh12345678", "abcdefgh"}, "k=[redacted]"},
		{"a short secret standing alone", `password "pw1" for pw1`, []string{"pw1"}, `password "[redacted]" for [redacted]`},
		{"a short secret inside words is kept", "pw1x xpw1 apw1b", []string{"pw1"}, "pw1x xpw1 apw1b"},
		{"a short secret as the whole value", "pw1", []string{"pw1"}, "[redacted]"},
		{"short secrets side by side", "ab ab abab", []string{"ab"}, "[redacted] [redacted] abab"},
		{"a short secret next to a non-ASCII letter is kept", "ébc", []string{"bc"}, "ébc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf [8]string
			secrets := appendSecrets(buf[:0], nil, tt.secrets)
			if got := scrub(tt.text, secrets); got != tt.want {
				t.Errorf("scrub(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestAppendSecrets(t *testing.T) {
	t.Parallel()
	const sig = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name   string
		header http.Header
		extra  []string
		want   []string
	}{
		{"none", http.Header{"Content-Type": {"application/json"}}, nil, nil},
		{"token headers under any spelling", http.Header{"x-auth-token": {"tok-A"}, "X-SECURITY-TOKEN": {"tok-BB"}, "X-Amz-Security-Token": {"tok-CCC"}},
			nil, []string{"tok-CCC", "tok-BB", "tok-A"}},
		{"every value of a header", http.Header{"X-Auth-Token": {"one", "second"}}, nil, []string{"second", "one"}},
		{"SigV4 signature only", http.Header{"Authorization": {"AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s/aws4_request, SignedHeaders=host, Signature=" + sig}},
			nil, []string{sig}},
		{"Huawei signature only", http.Header{"authorization": {"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=" + sig}}, nil, []string{sig}},
		{"bearer credentials", http.Header{"Authorization": {"Bearer eyJ.x.y"}}, nil, []string{"eyJ.x.y"}},
		{"proxy credentials", http.Header{"Proxy-Authorization": {"Basic dXNlcjpwYXNz"}}, nil, []string{"dXNlcjpwYXNz"}},
		{"a bare Authorization value", http.Header{"Authorization": {"opaque"}}, nil, []string{"opaque"}},
		{"cookie", http.Header{"Cookie": {"session=s3cret"}}, nil, []string{"session=s3cret"}},
		{"empty values and secrets are left out", http.Header{"X-Auth-Token": {""}}, []string{"", "pw"}, []string{"pw"}},
		{"Request.Secrets, longest first", http.Header{"X-Auth-Token": {"tok"}}, []string{"password", "key-1"}, []string{"password", "key-1", "tok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := appendSecrets(nil, tt.header, tt.extra)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("appendSecrets (-want +got):\n%s", diff)
			}
		})
	}
}

// The success path scrubs the request ID of every call: with no echo it must
// cost no allocation, with the secrets on the stack.
func TestScrubAllocatesNothingWithoutAnEcho(t *testing.T) {
	h := http.Header{"X-Auth-Token": {"MIIx+token/value=="}, "Authorization": {"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=0123456789abcdef"}}
	extra := []string{"password-1"}
	var got string
	allocs := testing.AllocsPerRun(100, func() {
		var buf [8]string
		got = scrub("0c9d5b2a-8e27-4a43-9c0f-EXAMPLE", appendSecrets(buf[:0], h, extra))
	})
	if allocs != 0 || got != "0c9d5b2a-8e27-4a43-9c0f-EXAMPLE" {
		t.Errorf("scrub of a clean request ID = %q with %v allocations, want it unchanged with none", got, allocs)
	}
}

// A success body without an echo is handed on as read: no copy, no
// allocation.
func TestScrubBodyAllocatesNothingWithoutAnEcho(t *testing.T) {
	h := http.Header{"X-Amz-Security-Token": {"IQoJb3JpZ2luX2VjEXAMPLE+token/value=="},
		"Authorization": {"AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s/aws4_request, SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef"}}
	body := []byte(`{"ProfileAssociation":{"Id":"rpassoc-1","Status":"DELETING","ModificationTime":"2025-06-01T13:00:00+00:00"}}`)
	var got []byte
	allocs := testing.AllocsPerRun(100, func() {
		var buf [8]string
		got = scrubBody(body, appendSecrets(buf[:0], h, nil))
	})
	if allocs != 0 || &got[0] != &body[0] {
		t.Errorf("scrubBody of a clean body: %v allocations, same slice %v; want none and the same slice", allocs, &got[0] == &body[0])
	}
}

// A credential answer (SensitiveResponse) is left whole, even when it holds
// what the request sent: an SSO refresh token that was not rotated comes
// back as it went, and must reach the cache as it is.
func TestSensitiveResponseBodyIsKept(t *testing.T) {
	t.Parallel()
	const refresh = "refresh-token-0123456789"
	answer := `{"accessToken":"new","refreshToken":"` + refresh + `"}`
	for _, sensitive := range []bool{true, false} {
		c := newClient(t, Config{Endpoint: "https://example.com", Auth: setHeaders{},
			Settings: Settings{HTTPClient: doerFunc(func(r *http.Request) (*http.Response, error) { return reply(r, 200, answer), nil })}})
		resp, err := c.Do(context.Background(), "Op", &Request{Method: http.MethodPost, Path: "/token",
			Body: []byte(`{"refreshToken":"` + refresh + `"}`), Secrets: []string{refresh}, SensitiveResponse: sensitive}, nil)
		require.NoError(t, err)
		if got := strings.Contains(string(resp.Body), refresh); got != sensitive {
			t.Errorf("SensitiveResponse %v: body %s holds the token: %v", sensitive, resp.Body, got)
		}
	}
}

func TestResponseScrub(t *testing.T) {
	t.Parallel()
	const pw = "body-password-123"
	c := newClient(t, Config{Endpoint: "https://example.com", Auth: setHeaders{"X-Auth-Token": "token-0123456789"},
		Settings: Settings{HTTPClient: doerFunc(func(r *http.Request) (*http.Response, error) { return reply(r, 200, `{}`), nil })}})
	resp, err := c.Do(context.Background(), "Op", &Request{Method: "POST", Path: "/", Body: []byte(pw), Secrets: []string{pw}}, nil)
	mustNoErr(t, err)
	if got := resp.Scrub("a " + pw + " and token-0123456789"); got != "a [redacted] and [redacted]" {
		t.Errorf("Scrub = %q", got)
	}
	var none *Response
	if got := none.Scrub("x"); got != "x" {
		t.Errorf("nil Scrub = %q", got)
	}
}

// FuzzScrub checks that no secret of 8 bytes or more survives scrub in any
// text, and that scrub never panics. Secrets that the marker itself could
// spell ("[redacted]" holds "redacted") are left out.
func FuzzScrub(f *testing.F) {
	f.Add("x TOKEN-12345678 y", "TOKEN-12345678", "pw")
	f.Add(`{"p":"a\"b\u003cc"}`, `a"b<c-LONGSECRET`, "")
	f.Add("p=a%22b&d", "a\"b&d-12345678", "a")
	f.Fuzz(func(t *testing.T, text, a, b string) {
		var buf [8]string
		secrets := appendSecrets(buf[:0], nil, []string{a, b})
		got := scrub(text, secrets)
		for _, x := range []string{a, b} {
			if len(x) < minSecretLen || strings.ContainsAny(x, "[]") || strings.Contains(Redacted, x) {
				continue
			}
			if strings.Contains(got, x) {
				t.Errorf("scrub(%q, %q) = %q still holds %q", text, secrets, got, x)
			}
		}
	})
}

// encodingJSON is s as encoding/json writes it inside a string.
func encodingJSON(t testing.TB, s string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	mustNoErr(t, enc.Encode(s))
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// jsonEscape must write what encoding/json writes, or an echo of a JSON
// body would not be recognised.
func TestJSONEscapeAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", `q"b\s`, "\n\r\t\b\f\x00\x1f\x7f", "<a&b>", "ÿ é \u2028 \u2029 \u2027 😀", `pa55"w\0rd<&>-BODYSECRET-ÿ`} {
		for _, html := range []bool{true, false} {
			if got, want := jsonEscape(s, html), encodingJSON(t, s, html); got != want {
				t.Errorf("jsonEscape(%q, %t) = %q, want %q", s, html, got, want)
			}
		}
	}
}

func FuzzJSONEscape(f *testing.F) {
	f.Add("q\"<\u2028\x01")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // encoding/json replaces invalid bytes; secrets are sent as valid text
		}
		for _, html := range []bool{true, false} {
			if got, want := jsonEscape(s, html), encodingJSON(t, s, html); got != want {
				t.Errorf("jsonEscape(%q, %t) = %q, want %q", s, html, got, want)
			}
		}
	})
}
