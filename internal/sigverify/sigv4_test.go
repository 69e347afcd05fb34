package sigverify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/testvectors"
	"github.com/detach-go/detach/signer"
)

// v4SignedPOST returns a signed Customer Profiles style request.
func v4SignedPOST(t *testing.T, creds signer.AWSCredentials) *http.Request {
	t.Helper()
	req := newRequest(t, http.MethodPost, "https://"+testvectors.CPHost+"/domains/a%2Fb%20c/objects?z=1&a=b+c", testvectors.CPBody)
	req.Header.Set("Content-Type", "application/json")
	require.NoError(t, signer.SignV4(req, sha256Hex(testvectors.CPBody), creds, "profile", "us-east-1", testvectors.AWSTime))
	return req
}

func TestVerifySigV4RoundTrip(t *testing.T) {
	t.Parallel()
	req := v4SignedPOST(t, v4TestCredsToken)
	id, err := SigV4(req, sha256Hex(testvectors.CPBody), v4SecretFor, testvectors.AWSTime.Add(time.Minute), 0)
	require.NoError(t, err)
	want := V4Identity{AccessKeyID: testvectors.AWSAccessKeyID, SessionToken: testvectors.AWSSessionToken, Service: "profile", Region: "us-east-1", Time: testvectors.AWSTime}
	if diff := cmp.Diff(want, id); diff != "" {
		t.Errorf("identity (-want +got):\n%s", diff)
	}
}

// TestVerifySigV4Botocore verifies the requests botocore signed
// (reference/aws.md §2.2), rebuilt with their recorded headers.
func TestVerifySigV4Botocore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, url, body, contentType, auth string
	}{
		{
			name: "r53p_basic", method: http.MethodDelete, url: "https://" + testvectors.R53Host + testvectors.R53Path,
			auth: testvectors.R53Authorization,
		},
		{
			name: "cp_basic", method: http.MethodPost, url: "https://" + testvectors.CPHost + testvectors.CPPath, body: testvectors.CPBody, contentType: "application/json",
			auth: testvectors.CPAuthorization,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, tc.method, tc.url, tc.body)
			req.Header.Set("X-Amz-Date", "20150830T123600Z")
			req.Header.Set("Authorization", tc.auth)
			req.Header.Set("User-Agent", "Boto3/1.43.11")
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			_, err := SigV4(req, sha256Hex(tc.body), v4SecretFor, testvectors.AWSTime, 0)
			require.NoError(t, err)
		})
	}
}

// TestVerifySigV4OverHTTP sends signed requests through a real server, so the
// verifier sees what a server sees (Host, Content-Length, RawPath).
func TestVerifySigV4OverHTTP(t *testing.T) {
	t.Parallel()
	type result struct {
		id  V4Identity
		err error
	}
	results := make(chan result, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		id, err := SigV4(r, sha256Hex(string(body)), v4SecretFor, testvectors.AWSTime, time.Minute)
		results <- result{id, err}
	}))
	t.Cleanup(srv.Close)

	everything := signer.V4Options{SignHeader: func(n string) bool { return n != "user-agent" && n != "accept-encoding" }}
	tests := []struct {
		name, method, path, body string
		header                   http.Header
		opts                     signer.V4Options
	}{
		{name: "delete escaped path", method: http.MethodDelete, path: "/p/rp%2F1/a%20b/%C3%BC/a%21%2A"},
		{name: "post json", method: http.MethodPost, path: testvectors.CPPath + "?b=2&a=1&a=0&sp=x%20y", body: testvectors.CPBody,
			header: http.Header{"Content-Type": {"application/json"}}},
		{name: "sdk-style signed headers", method: http.MethodPost, path: testvectors.CPPath, body: testvectors.CPBody, opts: everything,
			header: http.Header{"Content-Type": {"application/json"}, "Amz-Sdk-Invocation-Id": {"abc"},
				"Amz-Sdk-Request": {"attempt=1; max=3"}, "Content-Length": {fmt.Sprint(len(testvectors.CPBody))}}},
		{name: "botocore-style normalised path", method: http.MethodGet, path: "/a//b/./c", opts: signer.V4Options{NormalizePath: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(t, tc.method, srv.URL+tc.path, tc.body)
			for k, v := range tc.header {
				req.Header[k] = v
			}
			require.NoError(t, signer.SignV4WithOptions(req, sha256Hex(tc.body), v4TestCredsToken, "svc", "us-east-1", testvectors.AWSTime, tc.opts))
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			got := <-results
			if got.err != nil {
				t.Fatalf("SigV4 on the server: %v", got.err)
			}
			if diff := cmp.Diff(testvectors.AWSSessionToken, got.id.SessionToken); diff != "" {
				t.Errorf("session token (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifySigV4Rejects(t *testing.T) {
	t.Parallel()
	bodyHash := sha256Hex(testvectors.CPBody)
	tests := []struct {
		name    string
		tamper  func(r *http.Request)
		payload string
		now     time.Time
		maxSkew time.Duration
		want    error
	}{
		{name: "tampered header", tamper: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, want: ErrV4SignatureMismatch},
		{name: "tampered date time", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20150830T123601Z") }, want: ErrV4SignatureMismatch},
		{name: "tampered path", tamper: func(r *http.Request) { r.URL.Path, r.URL.RawPath = "/domains/other", "" }, want: ErrV4SignatureMismatch},
		{name: "tampered query", tamper: func(r *http.Request) { r.URL.RawQuery = "z=2&a=b+c" }, want: ErrV4SignatureMismatch},
		{name: "tampered host", tamper: func(r *http.Request) { r.Host = "evil.example.com" }, want: ErrV4SignatureMismatch},
		{name: "tampered method", tamper: func(r *http.Request) { r.Method = http.MethodPut }, want: ErrV4SignatureMismatch},
		{name: "tampered body hash", payload: testvectors.EmptySHA256, want: ErrV4SignatureMismatch},
		{name: "session token removed", tamper: func(r *http.Request) { r.Header.Del("X-Amz-Security-Token") }, want: ErrV4SignatureMismatch},
		{name: "unknown key", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AKIDEXAMPLE", "AKIDOTHER", 1))
		}, want: ErrV4UnknownAccessKey},
		{name: "stale date", now: testvectors.AWSTime.Add(16 * time.Minute), want: ErrV4Expired},
		{name: "future date", now: testvectors.AWSTime.Add(-16 * time.Minute), want: ErrV4Expired},
		{name: "outside custom skew", now: testvectors.AWSTime.Add(2 * time.Minute), maxSkew: time.Minute, want: ErrV4Expired},
		{name: "inside skew", now: testvectors.AWSTime.Add(14 * time.Minute)},
		{name: "missing authorization", tamper: func(r *http.Request) { r.Header.Del("Authorization") }, want: ErrV4Malformed},
		{name: "missing date", tamper: func(r *http.Request) { r.Header.Del("X-Amz-Date") }, want: ErrV4Malformed},
		{name: "bad date", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "2015-08-30T12:36:00Z") }, want: ErrV4Malformed},
		{name: "scope date differs", tamper: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20150831T000000Z") }, want: ErrV4Malformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := v4SignedPOST(t, v4TestCredsToken)
			if tc.tamper != nil {
				tc.tamper(req)
			}
			payload, now := tc.payload, tc.now
			if payload == "" {
				payload = bodyHash
			}
			if now.IsZero() {
				now = testvectors.AWSTime
			}
			_, err := SigV4(req, payload, v4SecretFor, now, tc.maxSkew)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("SigV4 error = %v, want %v", err, tc.want)
			}
			_, sig, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
			assertNoSecret(t, err.Error(), testvectors.AWSSecretKey, testvectors.AWSSessionToken, sig)
		})
	}
}

func TestVerifySigV4MalformedAuthorization(t *testing.T) {
	t.Parallel()
	const cred = "Credential=AKIDEXAMPLE/20150830/us-east-1/svc/aws4_request"
	const sig = "Signature=" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := map[string]string{
		"other algorithm":         "AWS4-HMAC-SHA512 " + cred + ", SignedHeaders=host, " + sig,
		"no fields":               "AWS4-HMAC-SHA256",
		"missing signature":       "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host",
		"repeated field":          "AWS4-HMAC-SHA256 " + cred + ", " + cred + ", SignedHeaders=host, " + sig,
		"unknown field":           "AWS4-HMAC-SHA256 " + cred + ", Foo=bar, SignedHeaders=host, " + sig,
		"field without equals":    "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders, " + sig,
		"short credential":        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1, SignedHeaders=host, " + sig,
		"bad terminator":          "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/svc/aws5_request, SignedHeaders=host, " + sig,
		"short signature":         "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=abc",
		"non-hex signature":       "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + strings.Repeat("zz", 32),
		"unsorted signed headers": "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date;host, " + sig,
		"duplicate signed header": "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;host, " + sig,
		"upper-case header":       "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=Host, " + sig,
		"host not signed":         "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date, " + sig,
		"empty header name":       "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x-amz-date, " + sig,
	}
	for name, auth := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, http.MethodGet, "https://example.com/", "")
			req.Header.Set("X-Amz-Date", "20150830T123600Z")
			req.Header.Set("Authorization", auth)
			_, err := SigV4(req, testvectors.EmptySHA256, v4SecretFor, testvectors.AWSTime, 0)
			if !errors.Is(err, ErrV4Malformed) {
				t.Fatalf("SigV4 error = %v, want ErrV4Malformed", err)
			}
			if strings.Contains(err.Error(), "0123456789abcdef") {
				t.Errorf("error %q repeats the signature", err)
			}
		})
	}
}

func TestVerifySigV4NilArguments(t *testing.T) {
	t.Parallel()
	if _, err := SigV4(nil, testvectors.EmptySHA256, v4SecretFor, testvectors.AWSTime, 0); !errors.Is(err, ErrV4Malformed) {
		t.Errorf("nil request: error = %v, want ErrV4Malformed", err)
	}
	req := v4SignedPOST(t, v4TestCreds)
	if _, err := SigV4(req, testvectors.EmptySHA256, nil, testvectors.AWSTime, 0); err == nil || !strings.Contains(err.Error(), "secretFor is nil") {
		t.Errorf("nil secretFor: error = %v", err)
	}
}

// TestIdentitiesRedacted renders both identities every way a server's log
// might and checks that the token they carry never shows.
func TestIdentitiesRedacted(t *testing.T) {
	t.Parallel()
	const hwToken = "HW-SECURITY-TOKEN-SECRET"
	tests := map[string]struct {
		id      fmt.Stringer
		visible string
	}{
		"V4Identity":     {V4Identity{AccessKeyID: testvectors.AWSAccessKeyID, SessionToken: testvectors.AWSSessionToken, Service: "svc", Region: "us-east-1", Time: testvectors.AWSTime}, testvectors.AWSAccessKeyID},
		"HuaweiIdentity": {HuaweiIdentity{AccessKey: "AKVISIBLE", SecurityToken: hwToken, ProjectID: "p1", Time: testvectors.HuaweiTime}, "AKVISIBLE"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			id := tc.id
			var outs []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%X"} {
				outs = append(outs, fmt.Sprintf(verb, id), fmt.Sprintf(verb, &id), fmt.Sprintf(verb, struct{ ID any }{id}))
			}
			js, err := json.Marshal(id)
			require.NoError(t, err)
			outs = append(outs, string(js))
			var sb strings.Builder
			slog.New(slog.NewJSONHandler(&sb, nil)).Info("m", "id", id)
			slog.New(slog.NewTextHandler(&sb, nil)).Info("m", "id", id)
			outs = append(outs, sb.String())
			for _, out := range outs {
				assertNoSecret(t, out, testvectors.AWSSessionToken, hwToken)
			}
			if !strings.Contains(id.String(), tc.visible) || !strings.Contains(id.String(), "[redacted]") {
				t.Errorf("String() = %q, want %q and %q", id.String(), tc.visible, "[redacted]")
			}
		})
	}
}

func TestSigV4AuthorizeVerify(t *testing.T) {
	t.Parallel()
	s := &signer.SigV4{Credentials: signer.StaticAWSCredentials(testvectors.AWSAccessKeyID, testvectors.AWSSecretKey, testvectors.AWSSessionToken), Service: "route53profiles", Region: "eu-west-2"}
	req := newRequest(t, http.MethodDelete, "https://route53profiles.eu-west-2.amazonaws.com"+testvectors.R53Path, "")
	require.NoError(t, s.Authorize(context.Background(), req, testvectors.EmptySHA256, testvectors.AWSTime))
	id, err := SigV4(req, testvectors.EmptySHA256, v4SecretFor, testvectors.AWSTime, 0)
	require.NoError(t, err)
	if diff := cmp.Diff(V4Identity{AccessKeyID: testvectors.AWSAccessKeyID, SessionToken: testvectors.AWSSessionToken, Service: "route53profiles", Region: "eu-west-2", Time: testvectors.AWSTime}, id); diff != "" {
		t.Errorf("identity (-want +got):\n%s", diff)
	}
}
