package route53profiles_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const okBody = `{"ProfileAssociation":{"CreationTime":1717171717.123,"ModificationTime":1717171800,` +
	`"Id":"rpassoc-489ce212fEXAMPLE","Name":"test-association","OwnerId":"123456789012",` +
	`"ProfileId":"rp-4987774726EXAMPLE","ResourceId":"vpc-0af3b96b3EXAMPLE","Status":"DELETING",` +
	`"StatusMessage":"Deleting Profile Association"}}`

func TestDisassociateProfileRequest(t *testing.T) {
	t.Parallel()
	// Segments from aws.md §2.3, as botocore and aws-sdk-go-v2 escape them.
	tests := []struct {
		name                   string
		profileID, resourceID  string
		wantProfile, wantResrc string
	}{
		{"basic", "rp-4987d5b8e8EXAMPLE", "vpc-0123456789abcdef0", "rp-4987d5b8e8EXAMPLE", "vpc-0123456789abcdef0"},
		{"space", "rp with space", "vpc 1", "rp%20with%20space", "vpc%201"},
		{"slash", "rp/1", "vpc/a/b", "rp%2F1", "vpc%2Fa%2Fb"},
		{"percent", "rp%2F1", "100%", "rp%252F1", "100%25"},
		{"unicode", "rp-ü-日本", "vpc-é😀", "rp-%C3%BC-%E6%97%A5%E6%9C%AC", "vpc-%C3%A9%F0%9F%98%80"},
		{"reserved", "a!*'();:@&=+$,?#[]b", "-._~AZaz09", "a%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5Db", "-._~AZaz09"},
		{"vpc arn", "rp-4987d5b8e8EXAMPLE", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123",
			"rp-4987d5b8e8EXAMPLE", "arn%3Aaws%3Aec2%3Aus-east-1%3A123456789012%3Avpc%2Fvpc-0123"},
		{"dots inside", "...", ".a.", "...", ".a."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 200, body: okBody, header: map[string]string{"X-Amzn-Requestid": "req-1"}})
			c := srv.client(t)
			out, err := c.DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{
				ProfileID: tt.profileID, ResourceID: tt.resourceID,
			})
			if err != nil {
				t.Fatalf("DisassociateProfile: %v", err)
			}
			reqs := srv.requests()
			if len(reqs) != 1 {
				t.Fatalf("server saw %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			wantPath := basePath + "/profileassociation/Profileid/" + tt.wantProfile + "/resourceid/" + tt.wantResrc
			got := map[string]any{
				"method": r.method, "escapedPath": r.escapedPath, "requestURI": r.requestURI,
				"body": string(r.body), "contentLength": r.contentLength, "transferEncoding": r.transferEncoding,
				"contentType": r.header.Values("Content-Type"), "sigErr": errString(r.sigErr),
				"service": r.identity.Service, "region": r.identity.Region, "accessKey": r.identity.AccessKeyID,
				"amzDate": r.header.Get("X-Amz-Date"), "token": r.header.Values("X-Amz-Security-Token"),
			}
			want := map[string]any{
				"method": "DELETE", "escapedPath": wantPath, "requestURI": wantPath,
				"body": "", "contentLength": int64(0), "transferEncoding": []string(nil),
				"contentType": []string(nil), "sigErr": "",
				"service": "route53profiles", "region": "us-east-1", "accessKey": testAccessKey,
				"amzDate": "20150830T123600Z", "token": []string(nil),
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if ua := r.header.Get("User-Agent"); !strings.HasPrefix(ua, "detach/") {
				t.Errorf("User-Agent = %q, want detach/...", ua)
			}
			if auth := r.header.Get("Authorization"); !strings.Contains(auth, "SignedHeaders=host;x-amz-date,") {
				t.Errorf("Authorization = %q, want SignedHeaders=host;x-amz-date", auth)
			}
			if out.Metadata.RequestID != "req-1" {
				t.Errorf("RequestID = %q, want req-1", out.Metadata.RequestID)
			}
		})
	}
}

// TestDisassociateProfileGoldenSignature reproduces the signature botocore
// computed for the r53p_basic vector (aws.md §2.2), with the real host and
// no network: a Doer captures the request.
func TestDisassociateProfileGoldenSignature(t *testing.T) {
	t.Parallel()
	var got *http.Request
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	})
	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Credentials: signer.StaticAWSCredentials(testAccessKey, testSecretKey, ""),
		Settings:    transport.Settings{HTTPClient: doer, Now: func() time.Time { return testNow }},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{
		ProfileID: "rp-4987d5b8e8EXAMPLE", ResourceID: "vpc-0123456789abcdef0",
	}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"url": "https://route53profiles.us-east-1.amazonaws.com/profileassociation/Profileid/rp-4987d5b8e8EXAMPLE/resourceid/vpc-0123456789abcdef0",
		"authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/route53profiles/aws4_request, " +
			"SignedHeaders=host;x-amz-date, Signature=e9cc74629fe89ce1cd062341fb911c04a6346ebafc432a847e49a695b05e2c4b",
		"date": "20150830T123600Z",
	}
	gotM := map[string]string{"url": got.URL.String(), "authorization": got.Header.Get("Authorization"), "date": got.Header.Get("X-Amz-Date")}
	if diff := cmp.Diff(want, gotM); diff != "" {
		t.Errorf("signed request (-want +got):\n%s", diff)
	}
	if got.Body != nil && got.Body != http.NoBody {
		t.Errorf("DELETE has a body")
	}
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestDisassociateProfileSessionToken(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 200, body: okBody})
	c := srv.client(t, func(o *route53profiles.Options) {
		o.Credentials = signer.StaticAWSCredentials(testAccessKey, testSecretKey, testToken)
	})
	if _, err := c.DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"}); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.sigErr != nil {
		t.Errorf("signature: %v", r.sigErr)
	}
	if got := r.header.Get("X-Amz-Security-Token"); got != testToken {
		t.Errorf("X-Amz-Security-Token = %q, want the session token", got)
	}
	if auth := r.header.Get("Authorization"); !strings.Contains(auth, "SignedHeaders=host;x-amz-date;x-amz-security-token,") {
		t.Errorf("Authorization = %q, want the token signed", auth)
	}
}

func TestDisassociateProfileOutput(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 200, body: okBody, header: map[string]string{"X-Amzn-Requestid": "b2c1-req"}})
	out, err := srv.client(t).DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-4987774726EXAMPLE", ResourceID: "vpc-0af3b96b3EXAMPLE"})
	if err != nil {
		t.Fatal(err)
	}
	want := &route53profiles.DisassociateProfileOutput{
		ProfileAssociation: &route53profiles.ProfileAssociation{
			CreationTime:     time.Date(2024, 5, 31, 16, 8, 37, 123_000_000, time.UTC),
			ModificationTime: time.Date(2024, 5, 31, 16, 10, 0, 0, time.UTC),
			ID:               "rpassoc-489ce212fEXAMPLE",
			Name:             "test-association",
			OwnerID:          "123456789012",
			ProfileID:        "rp-4987774726EXAMPLE",
			ResourceID:       "vpc-0af3b96b3EXAMPLE",
			Status:           route53profiles.ProfileStatusDeleting,
			StatusMessage:    "Deleting Profile Association",
		},
		Metadata: transport.Metadata{RequestID: "b2c1-req", StatusCode: 200, Attempts: 1},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if got := out.ProfileAssociation.CreationTime.UnixMilli(); got != 1717171717123 {
		t.Errorf("CreationTime = %d ms, want 1717171717123", got)
	}
}

func TestDisassociateProfileOutputShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       *route53profiles.ProfileAssociation
		wantErr    string
	}{
		{name: "empty body", body: ""},
		{name: "no association", body: "{}"},
		{name: "null times", body: `{"ProfileAssociation":{"Id":"a","CreationTime":null}}`,
			want: &route53profiles.ProfileAssociation{ID: "a"}},
		{name: "exponent", body: `{"ProfileAssociation":{"CreationTime":1.717171717123E9}}`,
			want: &route53profiles.ProfileAssociation{CreationTime: time.UnixMilli(1717171717123).UTC()}},
		{name: "unknown status kept", body: `{"ProfileAssociation":{"Status":"NEW_STATE"}}`,
			want: &route53profiles.ProfileAssociation{Status: "NEW_STATE"}},
		{name: "time as string", body: `{"ProfileAssociation":{"CreationTime":"1717171717"}}`,
			wantErr: "field ProfileAssociation.CreationTime: not epoch seconds as a JSON number"},
		{name: "time as RFC 3339", body: `{"ProfileAssociation":{"ModificationTime":"2024-05-31T16:08:37Z"}}`,
			wantErr: "field ProfileAssociation.ModificationTime: not epoch seconds as a JSON number"},
		{name: "time out of range", body: `{"ProfileAssociation":{"CreationTime":1e300}}`,
			wantErr: "field ProfileAssociation.CreationTime: not epoch seconds as a JSON number"},
		{name: "wrong type", body: `{"ProfileAssociation":{"Id":5}}`, wantErr: "field ProfileAssociation.Id: unexpected JSON number"},
		{name: "not json", body: `<html>gateway</html>`, wantErr: "body is not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 200, body: tt.body, header: map[string]string{"X-Amzn-Requestid": "rid-9"}})
			out, err := srv.client(t).DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
			if tt.wantErr != "" {
				var de *transport.DecodeError
				if !errors.As(err, &de) {
					t.Fatalf("error = %v, want a *transport.DecodeError", err)
				}
				if de.RequestID != "rid-9" || !strings.Contains(de.Err.Error(), tt.wantErr) {
					t.Errorf("DecodeError{RequestID: %q, Err: %q}, want rid-9 and %q", de.RequestID, de.Err, tt.wantErr)
				}
				if srv.hits() != 1 {
					t.Errorf("server hits = %d, want 1 (a decode error is not retried)", srv.hits())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.ProfileAssociation); diff != "" {
				t.Errorf("ProfileAssociation (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDisassociateProfileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code     string
		sentinel error
		kind     transport.Kind
		retried  bool
	}{
		{route53profiles.CodeThrottling, transport.ErrThrottled, transport.KindThrottled, true},
		{route53profiles.CodeResourceNotFound, transport.ErrNotFound, transport.KindNotFound, false},
		{route53profiles.CodeAccessDenied, transport.ErrAccessDenied, transport.KindAccessDenied, false},
		{route53profiles.CodeInvalidParameter, transport.ErrInvalidInput, transport.KindInvalidInput, false},
		{route53profiles.CodeValidation, transport.ErrInvalidInput, transport.KindInvalidInput, false},
		{route53profiles.CodeLimitExceeded, transport.ErrQuotaExceeded, transport.KindQuota, false},
	}
	// The code reaches us in the header (which wins) or in the body.
	shapes := []struct {
		name  string
		reply func(code string) reply
	}{
		{"header", func(code string) reply {
			return reply{status: 400, body: `{"Message":"it failed","__type":"Other"}`, header: map[string]string{
				"X-Amzn-Errortype": code + ":http://internal.amazon.com/coral/com.amazonaws.route53profiles/",
				"X-Amzn-Requestid": "err-req"}}
		}},
		{"body __type", func(code string) reply {
			return reply{status: 400, body: `{"__type":"com.amazonaws.route53profiles#` + code + `","message":"it failed"}`,
				header: map[string]string{"X-Amzn-Requestid": "err-req"}}
		}},
		{"body code", func(code string) reply {
			return reply{status: 400, body: `{"code":"` + code + `","Message":"it failed"}`,
				header: map[string]string{"X-Amzn-Requestid": "err-req"}}
		}},
	}
	for _, tt := range tests {
		for _, sh := range shapes {
			t.Run(tt.code+"/"+sh.name, func(t *testing.T) {
				t.Parallel()
				srv := newServer(t, sh.reply(tt.code))
				_, err := srv.client(t).DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
				var oe *smithy.OperationError
				if !errors.As(err, &oe) || oe.ServiceID != "Route53Profiles" || oe.OperationName != "DisassociateProfile" {
					t.Fatalf("error = %v, want a smithy.OperationError of Route53Profiles DisassociateProfile", err)
				}
				var re *transport.ResponseError
				if !errors.As(err, &re) {
					t.Fatalf("error = %v, want a *transport.ResponseError", err)
				}
				wantHits := 1
				if tt.retried {
					wantHits = transport.DefaultMaxAttempts
				}
				got := map[string]any{"status": re.StatusCode, "code": re.Code, "message": re.Message,
					"requestID": re.RequestID, "kind": re.Kind, "attempts": re.Attempts, "hits": srv.hits(),
					"sentinel": errors.Is(err, tt.sentinel)}
				want := map[string]any{"status": 400, "code": tt.code, "message": "it failed",
					"requestID": "err-req", "kind": tt.kind, "attempts": wantHits, "hits": wantHits,
					"sentinel": true}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				var api smithy.APIError
				if !errors.As(err, &api) || api.ErrorCode() != tt.code {
					t.Errorf("smithy.APIError code = %v, want %s", api, tt.code)
				}
			})
		}
	}
}

func TestDisassociateProfileRetryThenSuccess(t *testing.T) {
	t.Parallel()
	srv := newServer(t,
		reply{status: 500, body: `{"message":"internal"}`},
		reply{status: 400, body: `{"message":"slow down"}`, header: map[string]string{"X-Amzn-Errortype": "ThrottlingException"}},
		reply{status: 200, body: okBody, header: map[string]string{"X-Amzn-Requestid": "third"}},
	)
	out, err := srv.client(t).DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(transport.Metadata{RequestID: "third", StatusCode: 200, Attempts: 3}, out.Metadata); diff != "" {
		t.Errorf("Metadata (-want +got):\n%s", diff)
	}
	for i, r := range srv.requests() {
		if r.sigErr != nil {
			t.Errorf("attempt %d signature: %v", i+1, r.sigErr)
		}
	}
}

func TestDisassociateProfileTransportFailure(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.client(t)
	srv.Close()
	_, err := c.DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
	var se *transport.SendError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *transport.SendError", err)
	}
	if se.Attempts != transport.DefaultMaxAttempts {
		t.Errorf("Attempts = %d, want %d (connection failures are retried)", se.Attempts, transport.DefaultMaxAttempts)
	}
}

func TestDisassociateProfileCanceled(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := srv.client(t).DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestDisassociateProfileBadInput(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 65)
	tests := []struct {
		name  string
		in    *route53profiles.DisassociateProfileInput
		field string
		rule  string
	}{
		{"nil", nil, "input", "is required (got nil)"},
		{"ProfileID missing", &route53profiles.DisassociateProfileInput{ResourceID: "vpc-1"}, "ProfileID", "is required"},
		{"ResourceID missing", &route53profiles.DisassociateProfileInput{ProfileID: "rp-1"}, "ResourceID", "is required"},
		{"ProfileID too long", &route53profiles.DisassociateProfileInput{ProfileID: long, ResourceID: "vpc-1"}, "ProfileID", "must be 1 to 64 characters"},
		{"ResourceID too long", &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: long}, "ResourceID", "must be 1 to 64 characters"},
		{"ProfileID dot", &route53profiles.DisassociateProfileInput{ProfileID: ".", ResourceID: "vpc-1"}, "ProfileID", `must not be "." or ".."`},
		{"ResourceID dot-dot", &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: ".."}, "ResourceID", `must not be "." or ".."`},
		{"ProfileID newline", &route53profiles.DisassociateProfileInput{ProfileID: "rp\n1", ResourceID: "vpc-1"}, "ProfileID", "must not contain control characters"},
		{"ResourceID NUL", &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc\x00"}, "ResourceID", "must not contain control characters"},
		{"ProfileID bad UTF-8", &route53profiles.DisassociateProfileInput{ProfileID: "rp-\xff", ResourceID: "vpc-1"}, "ProfileID", "must be valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			_, err := srv.client(t).DisassociateProfile(t.Context(), tt.in)
			var ve *transport.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want a *transport.ValidationError", err)
			}
			if diff := cmp.Diff(transport.ValidationError{Field: tt.field, Rule: tt.rule}, *ve); diff != "" {
				t.Errorf("ValidationError (-want +got):\n%s", diff)
			}
			if !errors.Is(err, transport.ErrInvalidInput) {
				t.Errorf("errors.Is(err, ErrInvalidInput) = false")
			}
			if srv.hits() != 0 {
				t.Errorf("server hits = %d, want 0", srv.hits())
			}
		})
	}
	// 64 characters (code points, not bytes) is allowed.
	srv := newServer(t, reply{status: 200, body: "{}"})
	in := &route53profiles.DisassociateProfileInput{ProfileID: strings.Repeat("ü", 64), ResourceID: strings.Repeat("a", 64)}
	if _, err := srv.client(t).DisassociateProfile(t.Context(), in); err != nil {
		t.Errorf("64-character IDs: %v", err)
	}
}

func TestDisassociateProfilePerCallOptions(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 400, body: `{"__type":"ThrottlingException"}`})
	c := srv.client(t)
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, err := c.DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"},
		func(o *route53profiles.Options) {
			o.Retry.MaxAttempts = 1
			o.Logger = logger
			o.Region = "eu-west-1" // fixed by New: ignored
		})
	if !errors.Is(err, transport.ErrThrottled) {
		t.Fatalf("error = %v, want throttled", err)
	}
	if srv.hits() != 1 {
		t.Errorf("server hits = %d, want 1 with MaxAttempts 1 for this call", srv.hits())
	}
	if !strings.Contains(logs.String(), "operation=DisassociateProfile") {
		t.Errorf("per-call logger got %q", logs.String())
	}
	if strings.Contains(logs.String(), testSecretKey) {
		t.Errorf("log contains the secret key")
	}
	if got := srv.requests()[0].identity.Region; got != testRegion {
		t.Errorf("signed for region %q, want %q", got, testRegion)
	}
	// The client's own settings are untouched by the call's options.
	if _, err := c.DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"}); err == nil {
		t.Fatal("want an error")
	}
	if srv.hits() != 1+transport.DefaultMaxAttempts {
		t.Errorf("server hits = %d, want %d", srv.hits(), 1+transport.DefaultMaxAttempts)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// BenchmarkDisassociateProfile measures one whole call (validate, build,
// sign, decode) without the network.
func BenchmarkDisassociateProfile(b *testing.B) {
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, ContentLength: int64(len(okBody)),
			Body: io.NopCloser(strings.NewReader(okBody)), Request: r}, nil
	})
	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Credentials: signer.StaticAWSCredentials(testAccessKey, testSecretKey, ""),
		Settings:    transport.Settings{HTTPClient: doer},
	})
	if err != nil {
		b.Fatal(err)
	}
	in := &route53profiles.DisassociateProfileInput{ProfileID: "rp-4987774726EXAMPLE", ResourceID: "vpc-0af3b96b3EXAMPLE"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.DisassociateProfile(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

// wrapDoer counts the requests it passes on.
type wrapDoer struct {
	inner transport.Doer
	n     *int
}

func (w wrapDoer) Do(r *http.Request) (*http.Response, error) {
	*w.n++
	return w.inner.Do(r)
}

// A Doer of a func type cannot be compared with ==; per-call options must
// still work with it, and an option may wrap the client's Doer.
func TestDisassociateProfilePerCallOptionsFuncDoer(t *testing.T) {
	t.Parallel()
	calls := 0
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(okBody)), Request: r}, nil
	})
	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Credentials: signer.StaticAWSCredentials(testAccessKey, testSecretKey, ""),
		Settings:    transport.Settings{HTTPClient: doer},
	})
	if err != nil {
		t.Fatal(err)
	}
	in := &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"}
	if _, err := c.DisassociateProfile(t.Context(), in, func(o *route53profiles.Options) { o.Retry.MaxAttempts = 1 }); err != nil {
		t.Fatal(err)
	}
	wrapped := 0
	if _, err := c.DisassociateProfile(t.Context(), in, func(o *route53profiles.Options) {
		o.HTTPClient = wrapDoer{inner: o.HTTPClient, n: &wrapped}
	}); err != nil {
		t.Fatal(err)
	}
	if calls != 2 || wrapped != 1 {
		t.Errorf("client Doer calls = %d, wrapper calls = %d; want 2 and 1", calls, wrapped)
	}
	if c.Options().HTTPClient == nil {
		t.Error("Options().HTTPClient lost the client's Doer")
	}
}
