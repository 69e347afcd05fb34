package identitycenter

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/sigverify"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func TestDeleteProfileRequest(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in       *DeleteProfileInput
		creds    signer.HuaweiCredentials
		domainID string // Options.DomainID
		wantPath string
		wantID   sigverify.HuaweiIdentity
		wantIAM  int32
	}{
		"plain IDs, domain from credentials": {
			in:       testInput(),
			creds:    testCreds(),
			wantPath: "/ic/v1/instances/ins-2c1e000000f3c6ab/application-instances/app-ins-0123456789abcdef/profiles/prof-0123456789",
			wantID:   sigverify.HuaweiIdentity{AccessKey: testAK, DomainID: testDomainID, Time: testTime},
		},
		"odd IDs are one escaped segment each": {
			in:       &DeleteProfileInput{InstanceID: "ins-a+b:c@d~e.f_g-ü1", ApplicationInstanceID: "app-ins-x/y%2F", ProfileID: "profil€ 1"},
			creds:    testCreds(),
			wantPath: "/ic/v1/instances/ins-a%2Bb%3Ac%40d~e.f_g-%C3%BC1/application-instances/app-ins-x%2Fy%252F/profiles/profil%E2%82%AC%201",
			wantID:   sigverify.HuaweiIdentity{AccessKey: testAK, DomainID: testDomainID, Time: testTime},
		},
		"Options.DomainID replaces the credentials'": {
			in:       testInput(),
			creds:    testCreds(),
			domainID: "dom-option",
			wantPath: "/ic/v1/instances/ins-2c1e000000f3c6ab/application-instances/app-ins-0123456789abcdef/profiles/prof-0123456789",
			wantID:   sigverify.HuaweiIdentity{AccessKey: testAK, DomainID: "dom-option", Time: testTime},
		},
		"temporary keys send X-Security-Token": {
			in: testInput(),
			creds: func() signer.HuaweiCredentials {
				c := testCreds()
				c.SecurityToken = testSecurityToken
				return c
			}(),
			wantPath: "/ic/v1/instances/ins-2c1e000000f3c6ab/application-instances/app-ins-0123456789abcdef/profiles/prof-0123456789",
			wantID:   sigverify.HuaweiIdentity{AccessKey: testAK, SecurityToken: testSecurityToken, DomainID: testDomainID, Time: testTime},
		},
		"domain from IAM": {
			in:       testInput(),
			creds:    signer.HuaweiCredentials{AccessKey: testAK, SecretKey: testSK},
			wantPath: "/ic/v1/instances/ins-2c1e000000f3c6ab/application-instances/app-ins-0123456789abcdef/profiles/prof-0123456789",
			wantID:   sigverify.HuaweiIdentity{AccessKey: testAK, DomainID: "dom-from-iam", Time: testTime},
			wantIAM:  1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t)
			o := testOptions(f, tc.creds)
			o.DomainID = tc.domainID
			c, err := New(o)
			require.NoError(t, err)
			out, err := c.DeleteProfile(t.Context(), tc.in)
			require.NoError(t, err)
			if diff := cmp.Diff(transport.Metadata{RequestID: "req-ic-1", StatusCode: 200, Attempts: 1}, out.Metadata); diff != "" {
				t.Errorf("metadata (-want +got):\n%s", diff)
			}
			got := f.icSeen()
			require.Len(t, got, 1)
			r := got[0]
			if r.Method != http.MethodDelete || r.Path != tc.wantPath || r.Body != "" {
				t.Errorf("request %s %s body %q, want DELETE %s and no body", r.Method, r.Path, r.Body, tc.wantPath)
			}
			if r.VerifyErr != nil {
				t.Errorf("signature does not verify: %v", r.VerifyErr)
			}
			if diff := cmp.Diff(tc.wantID, r.ID); diff != "" {
				t.Errorf("signed identity (-want +got):\n%s", diff)
			}
			if v := r.Header.Get("X-Project-Id"); v != "" {
				t.Errorf("X-Project-Id = %q on a global service", v)
			}
			if !strings.HasPrefix(r.Header.Get("User-Agent"), "detach/") {
				t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
			}
			if n := f.iamHits.Load(); n != tc.wantIAM {
				t.Errorf("IAM got %d requests, want %d", n, tc.wantIAM)
			}
		})
	}
}

func TestDeleteProfileErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status   int
		header   http.Header
		body     string
		want     transport.ResponseError // compared: StatusCode, Code, Message, RequestID, EncodedAuthorizationMessage, Kind
		sentinel error
		hits     int32
	}{
		"400": {status: 400, body: `{"error_code":"IIC.1001","error_msg":"invalid parameter","request_id":"r-400"}`,
			want:     transport.ResponseError{StatusCode: 400, Code: "IIC.1001", Message: "invalid parameter", RequestID: "r-400", Kind: transport.KindInvalidInput},
			sentinel: transport.ErrInvalidInput, hits: 1},
		"403 with encoded authorization message": {status: 403,
			body: `{"error_code":"IIC.1215","error_msg":"only organizations administrator account can operate","request_id":"r-403","encoded_authorization_message":"ENC-MSG"}`,
			want: transport.ResponseError{StatusCode: 403, Code: "IIC.1215", Message: "only organizations administrator account can operate",
				RequestID: "r-403", EncodedAuthorizationMessage: "ENC-MSG", Kind: transport.KindAccessDenied},
			sentinel: transport.ErrAccessDenied, hits: 1},
		"404": {status: 404, header: http.Header{"X-Request-Id": {"hdr-404"}},
			body:     `{"error_code":"IIC.1002","error_msg":"profile not found","request_id":"body-404"}`,
			want:     transport.ResponseError{StatusCode: 404, Code: "IIC.1002", Message: "profile not found", RequestID: "hdr-404", Kind: transport.KindNotFound},
			sentinel: transport.ErrNotFound, hits: 1},
		"409": {status: 409, body: `{"error_code":"IIC.1003","error_msg":"busy"}`,
			want:     transport.ResponseError{StatusCode: 409, Code: "IIC.1003", Message: "busy", Kind: transport.KindConflict},
			sentinel: transport.ErrConflict, hits: 1},
		"gateway unauthorized": {status: 401, body: `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`,
			want: transport.ResponseError{StatusCode: 401, Code: CodeGatewayUnauthorized,
				Message: "Incorrect IAM authentication information: verify aksk signature fail", Kind: transport.KindUnauthorized},
			sentinel: transport.ErrUnauthorized, hits: 1},
		"gateway access denied": {status: 403, body: `{"error_code":"APIGW.0302","error_msg":"The IAM user is not authorized to access the API."}`,
			want: transport.ResponseError{StatusCode: 403, Code: CodeGatewayAccessDenied,
				Message: "The IAM user is not authorized to access the API.", Kind: transport.KindAccessDenied},
			sentinel: transport.ErrAccessDenied, hits: 1},
		"gateway throttled, retried": {status: 429, body: `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute"}`,
			want: transport.ResponseError{StatusCode: 429, Code: CodeGatewayThrottled,
				Message: "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute", Kind: transport.KindThrottled},
			sentinel: transport.ErrThrottled, hits: 3},
		"500 retried": {status: 500, body: `{"error_code":"IIC.0500","error_msg":"internal"}`,
			want: transport.ResponseError{StatusCode: 500, Code: "IIC.0500", Message: "internal", Kind: transport.KindTransient}, hits: 3},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t)
			f.setICReply(func(w http.ResponseWriter, _ int32) bool {
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				writeJSON(w, tc.status, tc.body)
				return true
			})
			c, err := New(testOptions(f, testCreds()))
			require.NoError(t, err)
			_, err = c.DeleteProfile(t.Context(), testInput())
			var oe *smithy.OperationError
			if !errors.As(err, &oe) || oe.ServiceID != "IdentityCenter" || oe.OperationName != "DeleteProfile" {
				t.Fatalf("error %v is not an IdentityCenter DeleteProfile OperationError", err)
			}
			var re *transport.ResponseError
			require.ErrorAs(t, err, &re)
			got := transport.ResponseError{StatusCode: re.StatusCode, Code: re.Code, Message: re.Message, RequestID: re.RequestID,
				EncodedAuthorizationMessage: re.EncodedAuthorizationMessage, Kind: re.Kind}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(transport.ResponseError{})); diff != "" {
				t.Errorf("ResponseError (-want +got):\n%s", diff)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("errors.Is(err, %v) is false", tc.sentinel)
			}
			if n := f.icHits.Load(); n != tc.hits {
				t.Errorf("service got %d requests, want %d", n, tc.hits)
			}
			if re.Attempts != int(tc.hits) {
				t.Errorf("Attempts = %d, want %d", re.Attempts, tc.hits)
			}
		})
	}
}

func TestDeleteProfileRetryThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t)
	f.setICReply(func(w http.ResponseWriter, n int32) bool {
		if n == 1 {
			writeJSON(w, 503, `{"error_code":"APIGW.0613","error_msg":"IAM unavailable"}`)
			return true
		}
		return false
	})
	c, err := New(testOptions(f, testCreds()))
	require.NoError(t, err)
	out, err := c.DeleteProfile(t.Context(), testInput())
	require.NoError(t, err)
	if out.Metadata.Attempts != 2 || f.icHits.Load() != 2 {
		t.Errorf("Attempts = %d after %d requests, want 2", out.Metadata.Attempts, f.icHits.Load())
	}
	for i, s := range f.icSeen() {
		if s.VerifyErr != nil {
			t.Errorf("attempt %d: %v", i+1, s.VerifyErr)
		}
	}
}

func TestDeleteProfileTransportFailure(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t)
	o := testOptions(f, testCreds())
	f.Close()
	c, err := New(o)
	require.NoError(t, err)
	_, err = c.DeleteProfile(t.Context(), testInput())
	var se *transport.SendError
	if !errors.As(err, &se) || se.Attempts != 3 {
		t.Errorf("error %v, want a SendError after 3 attempts", err)
	}
}

func TestDeleteProfileBadInput(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		change func(*DeleteProfileInput)
		want   string
	}{
		"instance missing":       {func(in *DeleteProfileInput) { in.InstanceID = "" }, "InstanceID is required"},
		"instance too short":     {func(in *DeleteProfileInput) { in.InstanceID = "ins-2c1e000000f3c6a" }, "InstanceID must be exactly 20 characters"},
		"instance too long":      {func(in *DeleteProfileInput) { in.InstanceID = "ins-2c1e000000f3c6abc" }, "InstanceID must be exactly 20 characters"},
		"instance control char":  {func(in *DeleteProfileInput) { in.InstanceID = "ins-2c1e000000f3c6a\n" }, "InstanceID must not contain control characters"},
		"instance not UTF-8":     {func(in *DeleteProfileInput) { in.InstanceID = "ins-2c1e000000f3c6a\xff" }, "InstanceID must be valid UTF-8"},
		"app instance missing":   {func(in *DeleteProfileInput) { in.ApplicationInstanceID = "" }, "ApplicationInstanceID is required"},
		"app instance prefix":    {func(in *DeleteProfileInput) { in.ApplicationInstanceID = "app-0123" }, `ApplicationInstanceID must start with "app-ins-"`},
		"app instance dot":       {func(in *DeleteProfileInput) { in.ApplicationInstanceID = ".." }, `ApplicationInstanceID must not be "." or ".."`},
		"app instance control":   {func(in *DeleteProfileInput) { in.ApplicationInstanceID = "app-ins-\x7f" }, "ApplicationInstanceID must not contain control characters"},
		"profile missing":        {func(in *DeleteProfileInput) { in.ProfileID = "" }, "ProfileID is required"},
		"profile dot":            {func(in *DeleteProfileInput) { in.ProfileID = "." }, `ProfileID must not be "." or ".."`},
		"profile dot dot":        {func(in *DeleteProfileInput) { in.ProfileID = ".." }, `ProfileID must not be "." or ".."`},
		"profile line separator": {func(in *DeleteProfileInput) { in.ProfileID = "a\u2028b" }, "ProfileID must not contain control characters"},
		"profile tab":            {func(in *DeleteProfileInput) { in.ProfileID = "a\tb" }, "ProfileID must not contain control characters"},
		"profile 10 kB":          {func(in *DeleteProfileInput) { in.ProfileID = strings.Repeat("p", 10240) }, "ProfileID must be 1 to 255 characters"},
		"profile 256 characters": {func(in *DeleteProfileInput) { in.ProfileID = strings.Repeat("é", 256) }, "ProfileID must be 1 to 255 characters"},
		"app instance 10 kB": {func(in *DeleteProfileInput) { in.ApplicationInstanceID = "app-ins-" + strings.Repeat("a", 10240) },
			"ApplicationInstanceID must be 1 to 255 characters"},
		"app instance 256 characters": {func(in *DeleteProfileInput) { in.ApplicationInstanceID = "app-ins-" + strings.Repeat("a", 248) },
			"ApplicationInstanceID must be 1 to 255 characters"},
	}
	f := newFakeCloud(t)
	c, err := New(testOptions(f, testCreds()))
	require.NoError(t, err)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			in := testInput()
			tc.change(in)
			_, err := c.DeleteProfile(t.Context(), in)
			var ve *transport.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, transport.ErrInvalidInput) {
				t.Errorf("error %v, want a ValidationError containing %q", err, tc.want)
			}
		})
	}
	if _, err := c.DeleteProfile(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "input is required") {
		t.Errorf("nil input: %v", err)
	}
	if n := f.icHits.Load() + f.iamHits.Load(); n != 0 {
		t.Errorf("bad input reached the server %d times", n)
	}
}

func TestDeleteProfilePerCallOptions(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t)
	f.setICReply(func(w http.ResponseWriter, _ int32) bool {
		writeJSON(w, 500, `{"error_code":"IIC.0500","error_msg":"internal"}`)
		return true
	})
	c, err := New(testOptions(f, testCreds()))
	require.NoError(t, err)
	_, err = c.DeleteProfile(t.Context(), testInput(), func(o *Options) {
		o.Retry.MaxAttempts = 1
		o.Endpoint = "https://elsewhere.invalid" // fixed by New: ignored
	})
	if err == nil {
		t.Fatal("no error")
	}
	if n := f.icHits.Load(); n != 1 {
		t.Errorf("per-call MaxAttempts 1: %d requests", n)
	}
	if c.Options().Retry.MaxAttempts != 3 {
		t.Errorf("a per-call option changed the client: %+v", c.Options().Retry)
	}
}

func TestDeleteProfileDomainLookupOnce(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t)
	release := make(chan struct{})
	f.setIAMReply(func(http.ResponseWriter, int32) bool { <-release; return false })
	c, err := New(testOptions(f, signer.HuaweiCredentials{AccessKey: testAK, SecretKey: testSK}))
	require.NoError(t, err)

	const callers = 100
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { _, errs[i] = c.DeleteProfile(t.Context(), testInput()) })
	}
	close(release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := f.iamHits.Load(); n != 1 {
		t.Errorf("IAM got %d requests, want 1", n)
	}
	for i, s := range f.icSeen() {
		if s.VerifyErr != nil || s.ID.DomainID != "dom-from-iam" {
			t.Fatalf("request %d: domain %q, %v", i, s.ID.DomainID, s.VerifyErr)
		}
	}
}

func TestDeleteProfileDomainLookupFails(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t)
	f.setIAMReply(func(w http.ResponseWriter, _ int32) bool {
		writeJSON(w, 403, `{"error_code":"IAM.0002","error_msg":"You do not have permission","request_id":"r-iam"}`)
		return true
	})
	c, err := New(testOptions(f, signer.HuaweiCredentials{AccessKey: testAK, SecretKey: testSK}))
	require.NoError(t, err)
	for attempt := 1; attempt <= 2; attempt++ { // errors are not cached: IAM is asked again
		_, err = c.DeleteProfile(t.Context(), testInput())
		var ae *transport.AuthError
		var oe *smithy.OperationError
		var re *transport.ResponseError
		switch {
		case !errors.As(err, &oe) || oe.ServiceID != "IdentityCenter":
			t.Errorf("outer error %v does not name Identity Center", err)
		case !errors.As(err, &ae):
			t.Errorf("error %v is not an AuthError", err)
		case !errors.As(err, &re) || re.StatusCode != 403 || re.RequestID != "r-iam":
			t.Errorf("error %v does not carry IAM's 403", err)
		case !strings.Contains(err.Error(), "operation error IAM: ListAuthDomains"):
			t.Errorf("error %q does not name IAM", err)
		}
		if n := f.iamHits.Load(); n != int32(attempt) {
			t.Errorf("IAM got %d requests after %d calls", n, attempt)
		}
	}
	if n := f.icHits.Load(); n != 0 {
		t.Errorf("Identity Center got %d requests without a domain ID", n)
	}
}

// Not parallel: it sets the process environment.
func TestDeleteProfileCredentialsFromEnv(t *testing.T) {
	t.Setenv("HUAWEICLOUD_SDK_AK", testAK)
	t.Setenv("HUAWEICLOUD_SDK_SK", testSK)
	t.Setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", testSecurityToken)
	t.Setenv("HUAWEICLOUD_SDK_DOMAIN_ID", "dom-env")
	f := newFakeCloud(t)
	o := testOptions(f, signer.HuaweiCredentials{})
	o.Credentials = nil
	c, err := New(o)
	require.NoError(t, err)
	_, err = c.DeleteProfile(context.Background(), testInput())
	require.NoError(t, err)
	s := f.icSeen()[0]
	want := sigverify.HuaweiIdentity{AccessKey: testAK, SecurityToken: testSecurityToken, DomainID: "dom-env", Time: testTime}
	if diff := cmp.Diff(want, s.ID); diff != "" || s.VerifyErr != nil {
		t.Errorf("identity (-want +got):\n%s%v", diff, s.VerifyErr)
	}
}

func BenchmarkDeleteProfileRequest(b *testing.B) {
	in := testInput()
	b.ReportAllocs()
	for b.Loop() {
		if err := in.validate(); err != nil {
			b.Fatal(err)
		}
		_ = in.request()
	}
}

// memDoer answers every request in memory, so a benchmark measures the
// client, not the network.
type memDoer struct{}

func (memDoer) Do(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"X-Request-Id": {"rid"}}, Body: http.NoBody}, nil
}

func BenchmarkDeleteProfile(b *testing.B) {
	c, err := New(Options{Credentials: signer.StaticHuaweiCredentials(testCreds()), Settings: transport.Settings{HTTPClient: memDoer{}}})
	if err != nil {
		b.Fatal(err)
	}
	in, ctx := testInput(), context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.DeleteProfile(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
