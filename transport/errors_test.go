package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

func TestResponseErrorString(t *testing.T) {
	t.Parallel()
	hostile := "line one\r\nX-Injected: 1\x1b[31mred\x00\x7f\u0085next\u009b2J\u2028\u2029end"
	tests := map[string]struct {
		err  ResponseError
		want string // empty: only the safety checks apply
	}{
		"full": {
			err:  ResponseError{StatusCode: 404, Code: "ResourceNotFoundException", Message: "Profile not found", RequestID: "r-1", Attempts: 1},
			want: "http status 404, request id r-1: ResourceNotFoundException: Profile not found",
		},
		"after retries": {
			err:  ResponseError{StatusCode: 503, Code: "ServiceUnavailable", Message: "busy", Attempts: 3},
			want: "http status 503, after 3 attempts: ServiceUnavailable: busy",
		},
		"no code, no message": {
			err:  ResponseError{StatusCode: 503},
			want: "http status 503: service unavailable",
		},
		"code only": {
			err:  ResponseError{StatusCode: 400, Code: "DNS.0706"},
			want: "http status 400: DNS.0706: bad request",
		},
		"non-ascii message kept": {
			err:  ResponseError{StatusCode: 400, Message: "参数错误 — ungültig"},
			want: "http status 400: 参数错误 — ungültig",
		},
		"hostile message":    {err: ResponseError{StatusCode: 400, Message: hostile}},
		"hostile code":       {err: ResponseError{StatusCode: 400, Code: hostile}},
		"hostile request id": {err: ResponseError{StatusCode: 400, RequestID: hostile}},
		"short line separator": {
			err:  ResponseError{StatusCode: 400, Message: "a\u2028b"},
			want: "http status 400: a b",
		},
		"huge everything": {err: ResponseError{StatusCode: 400, Code: strings.Repeat("C", 10000),
			Message: strings.Repeat("m€", 10000), RequestID: strings.Repeat("r", 10000), Attempts: 1 << 30}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := tt.err.Error()
			if tt.want != "" && got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			checkErrorString(t, got)
		})
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		max  int
		want string
	}{
		"plain":              {"hello", 10, "hello"},
		"control chars":      {"a\r\nb\tc\x00d\x7fe", 100, "a  b c d e"},
		"c1 controls":        {"a\u0085b\u009bc", 100, "a b c"},
		"line separators":    {"a\u2028b\u2029c", 100, "a b c"},
		"cut":                {"abcdefgh", 4, "abcd..."},
		"cut on a rune edge": {"ab€cd", 3, "ab€..."},
		"invalid utf-8":      {"a\xffb", 10, "a\uFFFDb"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := clean(tt.in, tt.max); got != tt.want {
				t.Errorf("clean(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
}

func TestResponseErrorThroughDo(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status    int
		body      string
		header    []string
		wantCode  string
		wantMsg   string
		wantFault smithy.ErrorFault
		wantID    string
	}{
		"client fault": {status: 404, body: `{"Message":"gone"}`, header: []string{"X-Amzn-ErrorType", "ResourceNotFoundException", "X-Amzn-RequestId", "r-404"},
			wantCode: "ResourceNotFoundException", wantMsg: "gone", wantFault: smithy.FaultClient, wantID: "r-404"},
		"server fault": {status: 500, body: `{"__type":"InternalServerException","message":"oops"}`,
			wantCode: "InternalServerException", wantMsg: "oops", wantFault: smithy.FaultServer},
		"no code": {status: 502, body: "<html>bad gateway</html>",
			wantCode: "UnknownError", wantFault: smithy.FaultServer},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := scriptedServer(t, answer{status: tt.status, body: tt.body, header: tt.header})
			c := newClient(t, Config{Endpoint: srv.URL, Settings: Settings{Retry: RetryPolicy{MaxAttempts: 1}}})
			_, err := c.Do(context.Background(), "DisassociateProfile", &Request{Method: "DELETE", Path: "/x"}, nil)

			var oe *smithy.OperationError
			if !errors.As(err, &oe) || oe.Service() != "Test" || oe.Operation() != "DisassociateProfile" {
				t.Fatalf("Do() error = %v, want a *smithy.OperationError for Test DisassociateProfile", err)
			}
			var api smithy.APIError
			if !errors.As(err, &api) {
				t.Fatalf("errors.As(%v, smithy.APIError) = false", err)
			}
			got := []any{api.ErrorCode(), api.ErrorMessage(), api.ErrorFault()}
			if diff := cmp.Diff([]any{tt.wantCode, tt.wantMsg, tt.wantFault}, got); diff != "" {
				t.Errorf("ErrorCode, ErrorMessage, ErrorFault (-want +got):\n%s", diff)
			}
			// The methods aws-sdk-go-v2's response errors have.
			var sdkLike interface {
				HTTPStatusCode() int
				ServiceRequestID() string
			}
			if !errors.As(err, &sdkLike) || sdkLike.HTTPStatusCode() != tt.status || sdkLike.ServiceRequestID() != tt.wantID {
				t.Errorf("HTTPStatusCode, ServiceRequestID = %v; want %d, %q", sdkLike, tt.status, tt.wantID)
			}
			if !strings.Contains(err.Error(), "DisassociateProfile") || !strings.Contains(err.Error(), "Test") {
				t.Errorf("Error() = %q, want the service and operation named", err)
			}
		})
	}
}

func TestResponseErrorSentinels(t *testing.T) {
	t.Parallel()
	sentinels := []error{ErrNotFound, ErrThrottled, ErrAccessDenied, ErrUnauthorized, ErrInvalidInput, ErrConflict, ErrQuotaExceeded}
	tests := []struct {
		kind Kind
		want error // nil: matches no sentinel
	}{
		{KindUnknown, nil},
		{KindNotFound, ErrNotFound},
		{KindThrottled, ErrThrottled},
		{KindTransient, nil},
		{KindAccessDenied, ErrAccessDenied},
		{KindUnauthorized, ErrUnauthorized},
		{KindInvalidInput, ErrInvalidInput},
		{KindConflict, ErrConflict},
		{KindQuota, ErrQuotaExceeded},
		{Kind(200), nil},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			t.Parallel()
			var err error = &smithy.OperationError{ServiceID: "S", OperationName: "Op",
				Err: &ResponseError{StatusCode: 400, Kind: tt.kind}}
			for _, s := range sentinels {
				if got, want := errors.Is(err, s), s == tt.want; got != want {
					t.Errorf("errors.Is(kind %v, %v) = %v, want %v", tt.kind, s, got, want)
				}
			}
			if errors.Is(err, context.Canceled) {
				t.Errorf("a ResponseError matched context.Canceled")
			}
		})
	}
}

func TestKind(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind      Kind
		name      string
		retryable bool
	}{
		{KindUnknown, "unknown", false},
		{KindNotFound, "not found", false},
		{KindThrottled, "throttled", true},
		{KindTransient, "transient", true},
		{KindAccessDenied, "access denied", false},
		{KindUnauthorized, "unauthorized", false},
		{KindInvalidInput, "invalid input", false},
		{KindConflict, "conflict", false},
		{KindQuota, "quota exceeded", false},
		{Kind(42), "kind(42)", false},
	}
	for _, tt := range tests {
		if tt.kind.String() != tt.name || tt.kind.Retryable() != tt.retryable {
			t.Errorf("Kind %d: String %q Retryable %v; want %q %v", tt.kind, tt.kind, tt.kind.Retryable(), tt.name, tt.retryable)
		}
	}
}

func TestResponseErrorHeaderRedacted(t *testing.T) {
	t.Parallel()
	srv := scriptedServer(t, answer{status: 401, body: `{"error_code":"APIGW.0301","error_msg":"bad token"}`, header: []string{
		"X-Request-Id", "hw-1",
		"X-Subject-Token", "SECRET-subject-token",
		"Set-Cookie", "session=SECRET-cookie",
		"X-Auth-Token", "SECRET-echoed-token",
		"Www-Authenticate", "Keystone uri=https://iam",
	}})
	c := newClient(t, Config{Service: Service{ID: "DNS", Protocol: HuaweiJSON}, Endpoint: srv.URL})
	_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
	var re *ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("Do() error = %v, want a *ResponseError", err)
	}
	h := re.Header()
	got := map[string]string{}
	for _, k := range []string{"X-Request-Id", "X-Subject-Token", "Set-Cookie", "X-Auth-Token", "Www-Authenticate"} {
		got[k] = h.Get(k)
	}
	want := map[string]string{
		"X-Request-Id":     "hw-1",
		"X-Subject-Token":  Redacted,
		"Set-Cookie":       Redacted,
		"X-Auth-Token":     Redacted,
		"Www-Authenticate": "Keystone uri=https://iam",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Header() (-want +got):\n%s", diff)
	}
	h.Set("X-Request-Id", "changed")
	if re.Header().Get("X-Request-Id") != "hw-1" {
		t.Errorf("Header() is not a copy")
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("Error() = %q leaks a secret", err)
	}
}

func TestRedactHeader(t *testing.T) {
	t.Parallel()
	in := http.Header{
		"Authorization":        {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260304/us-east-1/route53profiles/aws4_request, SignedHeaders=host, Signature=SECRET"},
		"Proxy-Authorization":  {"Basic SECRET"},
		"X-Auth-Token":         {"SECRET-1", "SECRET-2"},
		"x-security-token":     {"SECRET-lowercase-key"},
		"X-Amz-Security-Token": {"SECRET-session"},
		"X-Subject-Token":      {"SECRET-subject"},
		"Cookie":               {"a=SECRET"},
		"X-Amz-Date":           {"20260304T050607Z"},
		"X-Sdk-Date":           {"20260304T050607Z"},
	}
	before := in.Clone()
	want := http.Header{
		"Authorization":        {"AWS4-HMAC-SHA256 " + Redacted},
		"Proxy-Authorization":  {"Basic " + Redacted},
		"X-Auth-Token":         {Redacted, Redacted},
		"x-security-token":     {Redacted},
		"X-Amz-Security-Token": {Redacted},
		"X-Subject-Token":      {Redacted},
		"Cookie":               {Redacted},
		"X-Amz-Date":           {"20260304T050607Z"},
		"X-Sdk-Date":           {"20260304T050607Z"},
	}
	if diff := cmp.Diff(want, RedactHeader(in)); diff != "" {
		t.Errorf("RedactHeader (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, in); diff != "" {
		t.Errorf("RedactHeader changed its input (-before +after):\n%s", diff)
	}
	for v, want := range map[string]string{"SECRETNOSPACE": Redacted, " SECRET": Redacted, "SDK-HMAC-SHA256 Access=AK, Signature=SECRET": "SDK-HMAC-SHA256 " + Redacted} {
		if got := RedactHeader(http.Header{"Authorization": {v}}).Get("Authorization"); got != want {
			t.Errorf("Authorization %q redacted to %q, want %q", v, got, want)
		}
	}
	if RedactHeader(nil) != nil {
		t.Errorf("RedactHeader(nil) != nil")
	}
}

func TestOtherErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err  error
		want string
		is   []error
	}{
		"send error, one attempt": {
			err: &SendError{Attempts: 1, Err: io.ErrUnexpectedEOF}, want: "send request: unexpected EOF", is: []error{io.ErrUnexpectedEOF},
		},
		"send error, retried": {
			err: &SendError{Attempts: 3, Err: context.DeadlineExceeded}, want: "send request (3 attempts): context deadline exceeded",
			is: []error{context.DeadlineExceeded},
		},
		"canceled, no attempt": {
			err: &CanceledError{Err: context.Canceled}, want: "context canceled", is: []error{context.Canceled},
		},
		"canceled after attempts": {
			err:  &CanceledError{Err: context.DeadlineExceeded, Attempts: 2, Last: &ResponseError{StatusCode: 429, Kind: KindThrottled}},
			want: "context deadline exceeded after 2 attempts, last error: http status 429: too many requests",
			is:   []error{context.DeadlineExceeded, ErrThrottled},
		},
		"canceled after one attempt": {
			err:  &CanceledError{Err: context.Canceled, Attempts: 1, Last: &SendError{Err: io.EOF}},
			want: "context canceled after 1 attempt, last error: send request: EOF", is: []error{context.Canceled, io.EOF},
		},
		"decode error": {
			err:  &DecodeError{StatusCode: 200, RequestID: "r\n1", Err: ErrResponseTooLarge},
			want: "decode response (http status 200, request id r 1): response body exceeds the size limit", is: []error{ErrResponseTooLarge},
		},
		"validation error": {
			err: &ValidationError{Field: "ProfileID", Rule: "is required"}, want: "invalid input: ProfileID is required", is: []error{ErrInvalidInput},
		},
		"auth error": {
			err: &AuthError{Err: io.ErrClosedPipe}, want: "authorize request: io: read/write on closed pipe", is: []error{io.ErrClosedPipe},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			for _, target := range tt.is {
				if !errors.Is(tt.err, target) {
					t.Errorf("errors.Is(%v, %v) = false", tt.err, target)
				}
			}
		})
	}
	var ce interface{ CanceledError() bool }
	if !errors.As(error(&CanceledError{Err: context.Canceled}), &ce) || !ce.CanceledError() {
		t.Errorf("CanceledError does not report CanceledError() true")
	}
	if errors.Is(&ValidationError{}, ErrNotFound) {
		t.Errorf("ValidationError matched ErrNotFound")
	}
}

func TestAuthorizerFailure(t *testing.T) {
	t.Parallel()
	errNoCreds := errors.New("no credentials in the environment")
	d := &script{steps: []func(*http.Request) (*http.Response, error){status(200, "")}}
	c := newClient(t, Config{Endpoint: "https://example.com", Auth: &fakeAuth{err: errNoCreds}, Settings: Settings{HTTPClient: d}})
	_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
	var ae *AuthError
	if !errors.As(err, &ae) || !errors.Is(err, errNoCreds) {
		t.Errorf("Do() error = %v, want an *AuthError wrapping the authorizer's error", err)
	}
	if n := d.hits.Load(); n != 0 {
		t.Errorf("a request that could not be authorized was sent %d times", n)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	aws := Service{Protocol: AWSRestJSON, Codes: map[string]Kind{"ThrottlingException": KindQuota, "ProfileNotFound": KindNotFound}}
	hw := Service{Protocol: HuaweiJSON, Codes: map[string]Kind{"DNS.0014": KindThrottled}}
	tests := []struct {
		svc    Service
		status int
		code   string
		want   Kind
	}{
		{aws, 400, "ThrottlingException", KindQuota}, // the service's map wins over the common list
		{aws, 404, "ProfileNotFound", KindNotFound},
		{aws, 400, "TooManyRequestsException", KindThrottled},
		{aws, 400, "RequestTimeout", KindTransient},
		{aws, 403, "InvalidSignatureException", KindUnauthorized},
		{aws, 400, "ExpiredTokenException", KindUnauthorized},
		{aws, 403, "AccessDeniedException", KindAccessDenied},
		{aws, 400, "SerializationException", KindInvalidInput},
		{aws, 400, "LimitExceededException", KindQuota}, // a quota for every AWS service, not throttling as in aws-sdk-go-v2
		{aws, 503, "SomethingNew", KindTransient},
		{aws, 418, "", KindUnknown},
		{aws, 422, "", KindInvalidInput},
		{aws, 410, "", KindNotFound},
		{aws, 408, "", KindTransient},
		{aws, 401, "", KindUnauthorized},
		{hw, 403, "DNS.0014", KindThrottled},
		{hw, 401, "APIGW.0301", KindUnauthorized},
		{hw, 401, "APIG.0303", KindUnauthorized},
		{hw, 403, "APIGW.0302", KindAccessDenied},
		{hw, 429, "APIGW.0308", KindThrottled},
		{hw, 404, "APIGW.0101", KindNotFound},
		{hw, 500, "APIGW.0601", KindTransient},
		{hw, 502, "APIGW.0201", KindTransient},
		{hw, 400, "APIGW.0201", KindInvalidInput},
		{hw, 400, "APIGW.9999", KindInvalidInput},
		{hw, 404, "ThrottlingException", KindNotFound}, // AWS codes mean nothing to Huawei services
		{hw, 500, "DNS.9999", KindTransient},
	}
	for _, tt := range tests {
		if got := tt.svc.Classify(tt.status, tt.code); got != tt.want {
			t.Errorf("Classify(%d, %q) under protocol %v = %v, want %v", tt.status, tt.code, tt.svc.Protocol, got, tt.want)
		}
	}
}
