package transport

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// hdr builds a header from name, value pairs, keeping names as given.
func hdr(kv ...string) http.Header {
	h := make(http.Header)
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestDecodeAWSError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		header http.Header
		body   string
		want   errorFields
	}{
		"header wins over body": {
			header: hdr("X-Amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.route53profiles/",
				"X-Amzn-RequestId", "r-1"),
			body: `{"__type":"ValidationException","code":"ConflictException","message":"Profile rp-1 not found"}`,
			want: errorFields{code: "ResourceNotFoundException", message: "Profile rp-1 not found", requestID: "r-1"},
		},
		"lowercase code": {
			body: `{"code":"ConflictException","message":"busy"}`,
			want: errorFields{code: "ConflictException", message: "busy"},
		},
		"capitalised Code and Message": {
			body: `{"Code":"AccessDeniedException","Message":"no"}`,
			want: errorFields{code: "AccessDeniedException", message: "no"},
		},
		"code beats __type": {
			body: `{"__type":"A","code":"B"}`,
			want: errorFields{code: "B"},
		},
		"namespaced __type": {
			body: `{"__type":"com.amazonaws.profile#BadRequestException","Message":"bad"}`,
			want: errorFields{code: "BadRequestException", message: "bad"},
		},
		"sanitized header a#B:http://x": {
			header: hdr("X-Amzn-ErrorType", "a#B:http://x"),
			want:   errorFields{code: "B"},
		},
		"sanitized body a#B:http://x": {
			body: `{"code":"a#B:http://x"}`,
			want: errorFields{code: "B"},
		},
		"header with surrounding space": {
			header: hdr("X-Amzn-ErrorType", " ThrottlingException "),
			want:   errorFields{code: "ThrottlingException"},
		},
		"X-Amzn-RequestId wins": {
			header: hdr("X-Amzn-RequestId", "amzn", "X-Amz-Request-Id", "amz"),
			body:   `{"code":"X"}`,
			want:   errorFields{code: "X", requestID: "amzn"},
		},
		"X-Amz-Request-Id fallback": {
			header: hdr("X-Amz-Request-Id", "amz"),
			body:   `{"code":"X"}`,
			want:   errorFields{code: "X", requestID: "amz"},
		},
		"html body": {
			header: hdr("X-Amzn-RequestId", "r-2"),
			body:   "<html><body><h1>502 Bad Gateway</h1></body></html>",
			want:   errorFields{requestID: "r-2"},
		},
		"empty body":      {body: "", want: errorFields{}},
		"whitespace body": {body: " \n\t", want: errorFields{}},
		"json null":       {body: "null", want: errorFields{}},
		"json array":      {body: `[{"code":"X"}]`, want: errorFields{}},
		"truncated json":  {body: `{"code":"X","message":"cut`, want: errorFields{}},
		"code of wrong type keeps the message": {
			body: `{"code":123,"message":"m"}`,
			want: errorFields{message: "m"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := decodeAWSError(tt.header, []byte(tt.body))
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(errorFields{})); diff != "" {
				t.Errorf("decodeAWSError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSanitizeAWSErrorCode(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"":                                    "",
		"ThrottlingException":                 "ThrottlingException",
		"a#B:http://x":                        "B",
		"aws.protocoltests.restjson#FooError": "FooError",
		"FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/": "FooError",
		"a#b#C":                 "b#C", // aws-sdk-go-v2 splits at the first '#'
		"#":                     "",
		":":                     "",
		" X ":                   "X",
		"ns#Code:uri#with:more": "Code",
	}
	for in, want := range tests {
		if got := SanitizeAWSErrorCode(in); got != want {
			t.Errorf("SanitizeAWSErrorCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDecodeHuaweiError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		header http.Header
		body   string
		want   errorFields
	}{
		"error_code and error_msg": {
			header: hdr("X-Request-Id", "hdr-1"),
			body:   `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"body-1"}`,
			want:   errorFields{code: "APIGW.0301", message: "Incorrect IAM authentication information", requestID: "hdr-1"},
		},
		"request_id from body when header missing": {
			body: `{"error_code":"APIGW.0308","error_msg":"throttled","request_id":"body-1"}`,
			want: errorFields{code: "APIGW.0308", message: "throttled", requestID: "body-1"},
		},
		"code and message": {
			body: `{"code":"DNS.0706","message":"The last VPC cannot be disassociated"}`,
			want: errorFields{code: "DNS.0706", message: "The last VPC cannot be disassociated"},
		},
		"keystone nested": {
			header: hdr("X-Request-Id", "k-1"),
			body:   `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`,
			want:   errorFields{code: "401", message: "The request you have made requires authentication.", requestID: "k-1"},
		},
		"encoded_authorization_message": {
			body: `{"error_code":"IAM.0002","error_msg":"denied","encoded_authorization_message":"Pq4Zz9..."}`,
			want: errorFields{code: "IAM.0002", message: "denied", encodedAuth: "Pq4Zz9..."},
		},
		"error_code with error_message": {
			body: `{"error_code":"IDC.0001","error_message":"no such profile"}`,
			want: errorFields{code: "IDC.0001", message: "no such profile"},
		},
		"error_code alone": {
			body: `{"error_code":"X.1"}`,
			want: errorFields{code: "X.1"},
		},
		"message alone": {
			body: `{"message":"only a message"}`,
			want: errorFields{message: "only a message"},
		},
		"error nested first": {
			body: `{"a":{"code":"A","message":"a"},"error":{"code":"E","message":"e"}}`,
			want: errorFields{code: "E", message: "e"},
		},
		"other nested keys in sorted order": {
			body: `{"zz":{"code":"Z","message":"z"},"bb":{"code":"B","message":"b"}}`,
			want: errorFields{code: "B", message: "b"},
		},
		"nested at the depth limit": {
			body: `{"a":{"b":{"c":{"d":{"code":"D","message":"deep"}}}}}`,
			want: errorFields{code: "D", message: "deep"},
		},
		"nested past the depth limit": {
			body: `{"a":{"b":{"c":{"d":{"e":{"code":"E","message":"too deep"}}}}}}`,
			want: errorFields{},
		},
		"bool code": {
			body: `{"code":true,"message":"odd"}`,
			want: errorFields{code: "true", message: "odd"},
		},
		"non-json body keeps the header request id": {
			header: hdr("X-Request-Id", "h-2"),
			body:   "<html>502 Bad Gateway</html>",
			want:   errorFields{requestID: "h-2"},
		},
		"empty body":  {body: "", want: errorFields{}},
		"json array":  {body: `[{"code":"X"}]`, want: errorFields{}},
		"json null":   {body: `null`, want: errorFields{}},
		"object code": {body: `{"code":{"x":1},"message":"m"}`, want: errorFields{message: "m"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := decodeHuaweiError(tt.header, []byte(tt.body))
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(errorFields{})); diff != "" {
				t.Errorf("decodeHuaweiError (-want +got):\n%s", diff)
			}
		})
	}
}

// checkErrorString fails unless s is one bounded line of printable text.
func checkErrorString(t *testing.T, s string) {
	t.Helper()
	if len(s) > 1024 {
		t.Errorf("error string is %d bytes, want at most 1024", len(s))
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			t.Errorf("error string %q contains control character %U", s, r)
			return
		}
	}
}

// fuzzResponse runs the transport's whole error decoding on a response and
// checks what every ResponseError must satisfy.
func fuzzResponse(t *testing.T, p *Protocol, status int, h http.Header, body []byte) *ResponseError {
	c := &Client{service: Service{ID: "F", Protocol: p}}
	resp := &http.Response{StatusCode: status, Header: h}
	re := c.responseError(resp, body, time.Unix(1e9, 0), nil)
	checkErrorString(t, re.Error())
	if re.RetryAfter < 0 || re.RetryAfter > 24*time.Hour {
		t.Errorf("RetryAfter = %v, want within [0, 24h]", re.RetryAfter)
	}
	if len(re.Snippet) > 256+3+3 || !utf8.ValidString(re.Snippet) {
		t.Errorf("Snippet %q is too long or not UTF-8", re.Snippet)
	}
	if int(re.Kind) >= len(kindNames) {
		t.Errorf("Kind = %v, not a known kind", re.Kind)
	}
	return re
}

func FuzzDecodeAWSError(f *testing.F) {
	f.Add("", "", []byte(`{"__type":"com.amazonaws#ThrottlingException","message":"Rate exceeded"}`), 400)
	f.Add("ResourceNotFoundException:http://internal", "r-1", []byte(`{"Message":"x"}`), 404)
	f.Add("a#B:http://x", "", []byte(""), 403)
	f.Add("", "", []byte("<html>\x00\r\n</html>"), 502)
	f.Add("#:", "\r\n", []byte(`{"code":123,"Code":"X","message":{}}`), 500)
	f.Add("", "", []byte(`{"code":"\u2028\u0085"}`), 301)
	f.Fuzz(func(t *testing.T, errType, requestID string, body []byte, status int) {
		// Set the map directly so any byte string reaches the decoder.
		h := http.Header{"Retry-After": {errType}}
		if errType != "" {
			h["X-Amzn-Errortype"] = []string{errType}
		}
		if requestID != "" {
			h["X-Amzn-Requestid"] = []string{requestID}
		}
		got := decodeAWSError(h, body)
		if strings.Contains(got.code, ":") || got.code != strings.TrimSpace(got.code) {
			t.Errorf("code %q not sanitized", got.code)
		}
		if s := SanitizeAWSErrorCode(errType); s != "" && got.code != s {
			t.Errorf("code = %q, want the header's %q", got.code, s)
		}
		if got.requestID != requestID {
			t.Errorf("requestID = %q, want %q", got.requestID, requestID)
		}
		fuzzResponse(t, AWSRestJSON, 100+abs(status)%500, h, body)
	})
}

func FuzzDecodeHuaweiError(f *testing.F) {
	f.Add("", []byte(`{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information","request_id":"x"}`), 401)
	f.Add("h", []byte(`{"error":{"code":401,"message":"The request you have made requires authentication."}}`), 401)
	f.Add("", []byte(`{"code":"DNS.0014","message":"flow control","encoded_authorization_message":"e"}`), 403)
	f.Add("", []byte(`{"a":{"b":{"c":{"d":{"e":{"code":"E"}}}}}}`), 400)
	f.Add("", []byte(`[1,2,3]`), 500)
	f.Add("\x00", []byte("\xff\xfe"), 503)
	f.Fuzz(func(t *testing.T, requestID string, body []byte, status int) {
		h := http.Header{}
		if requestID != "" {
			h["X-Request-Id"] = []string{requestID}
		}
		got := decodeHuaweiError(h, body)
		if requestID != "" && got.requestID != requestID {
			t.Errorf("requestID = %q, want the header's %q", got.requestID, requestID)
		}
		fuzzResponse(t, HuaweiJSON, 100+abs(status)%500, h, body)
	})
}

func abs(n int) int {
	if n < 0 {
		return -(n + 1) // no overflow at math.MinInt
	}
	return n
}
