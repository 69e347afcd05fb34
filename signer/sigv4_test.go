package signer

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/testvectors"
	"github.com/detach-go/detach/transport"
)

var _ transport.Authorizer = (*SigV4)(nil)

// The fixtures of the botocore vectors, by shorter names.
const (
	v4EmptySHA256 = testvectors.EmptySHA256
	v4R53Host     = testvectors.R53Host
	v4R53Path     = testvectors.R53Path
	v4CPHost      = testvectors.CPHost
	v4CPPath      = testvectors.CPPath
	v4CPBody      = testvectors.CPBody
	v4TestAK      = testvectors.AWSAccessKeyID
	v4TestSecret  = testvectors.AWSSecretKey
	v4TestToken   = testvectors.AWSSessionToken
)

// v4T0 is the time of every recorded vector: 2015-08-30T12:36:00Z.
var v4T0 = testvectors.AWSTime

var (
	v4TestCreds      = AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, Source: "test"}
	v4TestCredsToken = AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, SessionToken: v4TestToken, Source: "test"}
)

// v4NewRequest builds a request from an already escaped URL, as the service
// packages do.
func v4NewRequest(t testing.TB, method, rawURL, body string) *http.Request {
	t.Helper()
	var r *http.Request
	var err error
	if body == "" {
		r, err = http.NewRequest(method, rawURL, nil)
	} else {
		r, err = http.NewRequest(method, rawURL, strings.NewReader(body))
	}
	require.NoError(t, err)
	return r
}

// TestSignV4Golden checks the two real operations against the signatures
// botocore produced for them (reference/aws.md §2.2).
func TestSignV4Golden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, url, body, contentType, service string
		wantCanonical                                 string // empty: not checked
		wantAuth                                      string
	}{
		{
			name: "r53p_basic", method: http.MethodDelete, url: "https://" + v4R53Host + v4R53Path, service: "route53profiles",
			wantCanonical: "DELETE\n" + v4R53Path + "\n\nhost:" + v4R53Host + "\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + v4EmptySHA256,
			wantAuth:      testvectors.R53Authorization,
		},
		{
			name: "cp_basic", method: http.MethodPost, url: "https://" + v4CPHost + v4CPPath, body: v4CPBody,
			contentType: "application/json", service: "profile",
			wantAuth: testvectors.CPAuthorization,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := v4NewRequest(t, tc.method, tc.url, tc.body)
			req.Header.Set("User-Agent", "detach-test") // never signed
			req.Header.Set("Accept-Encoding", "identity")
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			var trace v4Trace
			err := v4Sign(req, v4Hex256([]byte(tc.body)), v4TestCreds, tc.service, "us-east-1", v4T0, &V4Options{}, &trace)
			require.NoError(t, err)
			if tc.wantCanonical != "" {
				if diff := cmp.Diff(tc.wantCanonical, trace.canonicalRequest); diff != "" {
					t.Errorf("canonical request (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tc.wantAuth, req.Header.Get("Authorization")); diff != "" {
				t.Errorf("Authorization (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff("20150830T123600Z", req.Header.Get("X-Amz-Date")); diff != "" {
				t.Errorf("X-Amz-Date (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSignV4CanonicalURIEscaping follows reference/aws.md §2.3: the wire
// path is escaped again, so every '%' becomes "%25".
func TestSignV4CanonicalURIEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, wirePath, want string }{
		{"space", "/p/rp%20with%20space", "/p/rp%2520with%2520space"},
		{"slash", "/p/rp%2F1/vpc%2Fa%2Fb", "/p/rp%252F1/vpc%252Fa%252Fb"},
		{"percent", "/p/rp%252F1/100%25", "/p/rp%25252F1/100%2525"},
		{"unicode", "/p/rp-%C3%BC-%E6%97%A5%E6%9C%AC/vpc-%C3%A9%F0%9F%98%80",
			"/p/rp-%25C3%25BC-%25E6%2597%25A5%25E6%259C%25AC/vpc-%25C3%25A9%25F0%259F%2598%2580"},
		{"reserved", "/p/a%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5Db/-._~AZaz09",
			"/p/a%2521%252A%2527%2528%2529%253B%253A%2540%2526%253D%252B%2524%252C%253F%2523%255B%255Db/-._~AZaz09"},
		{"empty path", "", "/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := v4NewRequest(t, http.MethodDelete, "https://"+v4R53Host+tc.wirePath, "")
			require.Equal(t, tc.wirePath, req.URL.EscapedPath(), "precondition: the wire path survives url.Parse")
			var trace v4Trace
			require.NoError(t, v4Sign(req, v4EmptySHA256, v4TestCreds, "route53profiles", "us-east-1", v4T0, &V4Options{}, &trace))
			got, _, _ := strings.Cut(strings.TrimPrefix(trace.canonicalRequest, "DELETE\n"), "\n")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("canonical URI (-want +got):\n%s", diff)
			}
		})
	}
}

func TestV4CanonicalURIOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		u                 *url.URL
		single, normalize bool
		want              string
	}{
		{"double", &url.URL{Path: "/a b/ü"}, false, false, "/a%2520b/%25C3%25BC"},
		{"single", &url.URL{Path: "/a b/ü"}, true, false, "/a%20b/%C3%BC"},
		{"single keeps decoded slash", &url.URL{Path: "/a/b", RawPath: "/a%2Fb"}, true, false, "/a/b"},
		{"double keeps encoded slash", &url.URL{Path: "/a/b", RawPath: "/a%2Fb"}, false, false, "/a%252Fb"},
		{"normalize", &url.URL{Path: "//a/./b/../c//"}, false, true, "/a/c/"},
		{"normalize to root", &url.URL{Path: "/a/.."}, true, true, "/"},
		{"unnormalized dots kept", &url.URL{Path: "/a/../b"}, false, false, "/a/../b"},
		{"empty", &url.URL{}, false, false, "/"},
		{"opaque", &url.URL{Opaque: "//host/x%20y?q"}, false, false, "/x%2520y"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := string(v4AppendCanonicalURI(nil, tc.u, tc.single, tc.normalize))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("canonical URI (-want +got):\n%s", diff)
			}
		})
	}
}

func TestV4CanonicalQuery(t *testing.T) {
	t.Parallel()
	tests := []struct{ raw, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=10&a=1", "a=1&a=10&a=2"},
		{"q=a+b", "q=a%20b"},
		{"q=a%20b", "q=a%20b"},
		{"q=a%2fb", "q=a%2Fb"},
		{"flag", "flag="},
		{"a=b=c", "a=b%3Dc"},
		{"%zz=1&k=%", "%25zz=1&k=%25"},
		{"&&a=1&", "a=1"},
		{"k=a/b&k=a-b", "k=a%2Fb&k=a-b"}, // sorted after encoding: '%' < '-'
		{"Param-3=Value3&Param=Value2&%E1%88%B4=Value1", "%E1%88%B4=Value1&Param=Value2&Param-3=Value3"},
		{"-._~=~", "-._~=~"},
		{"a;b=c", "a%3Bb=c"},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, string(v4AppendCanonicalQuery(nil, tc.raw))); diff != "" {
				t.Errorf("canonical query of %q (-want +got):\n%s", tc.raw, diff)
			}
		})
	}
}

func TestSignV4Headers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		host       string // req.Host; empty: from the URL
		url        string
		header     http.Header
		opts       V4Options
		creds      AWSCredentials
		wantLines  string // canonical header lines, joined by \n
		wantSigned string
	}{
		{
			name: "default rule",
			url:  "https://example.com/",
			header: http.Header{
				"User-Agent": {"x"}, "Accept": {"*/*"}, "Content-Type": {"application/json"},
				"X-Amz-Target": {"Svc.Op"}, "X-Amzn-Trace-Id": {"Root=1"}, "Content-Length": {"3"},
			},
			creds:      v4TestCreds,
			wantLines:  "content-type:application/json\nhost:example.com\nx-amz-date:20150830T123600Z\nx-amz-target:Svc.Op",
			wantSigned: "content-type;host;x-amz-date;x-amz-target",
		},
		{
			name:       "session token signed",
			url:        "https://example.com/",
			creds:      v4TestCredsToken,
			wantLines:  "host:example.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" + v4TestToken,
			wantSigned: "host;x-amz-date;x-amz-security-token",
		},
		{
			name:       "req.Host wins and keeps its port",
			host:       "api.example.com:8443",
			url:        "https://10.0.0.1:9999/",
			creds:      v4TestCreds,
			wantLines:  "host:api.example.com:8443\nx-amz-date:20150830T123600Z",
			wantSigned: "host;x-amz-date",
		},
		{
			name:       "URL host with non-default port",
			url:        "http://127.0.0.1:18080/",
			creds:      v4TestCreds,
			wantLines:  "host:127.0.0.1:18080\nx-amz-date:20150830T123600Z",
			wantSigned: "host;x-amz-date",
		},
		{
			name:       "values trimmed, spaces collapsed, repeats joined in order",
			url:        "https://example.com/",
			header:     http.Header{"X-Amz-Meta": {"  b   c  ", "\ta"}, "x-amz-meta": {"z"}, "X-Amz-Empty": {""}, "X-Amz-None": {}},
			creds:      v4TestCreds,
			wantLines:  "host:example.com\nx-amz-date:20150830T123600Z\nx-amz-empty:\nx-amz-meta:b c,a,z",
			wantSigned: "host;x-amz-date;x-amz-empty;x-amz-meta",
		},
		{
			name:       "custom rule cannot drop host",
			url:        "https://example.com/",
			header:     http.Header{"Accept": {"*/*"}, "Host": {"ignored.example"}},
			opts:       V4Options{SignHeader: func(n string) bool { return n == "accept" }},
			creds:      v4TestCreds,
			wantLines:  "accept:*/*\nhost:example.com",
			wantSigned: "accept;host",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := v4NewRequest(t, http.MethodGet, tc.url, "")
			req.Host = tc.host
			for k, v := range tc.header {
				req.Header[k] = v
			}
			var trace v4Trace
			require.NoError(t, v4Sign(req, v4EmptySHA256, tc.creds, "svc", "us-east-1", v4T0, &tc.opts, &trace))
			lines := strings.Split(trace.canonicalRequest, "\n")
			require.GreaterOrEqual(t, len(lines), 6)
			gotLines := strings.Join(lines[3:len(lines)-3], "\n")
			if diff := cmp.Diff(tc.wantLines, gotLines); diff != "" {
				t.Errorf("canonical headers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantSigned, lines[len(lines)-2]); diff != "" {
				t.Errorf("signed headers (-want +got):\n%s", diff)
			}
			if !strings.Contains(req.Header.Get("Authorization"), "SignedHeaders="+tc.wantSigned+", ") {
				t.Errorf("Authorization %q does not declare SignedHeaders=%s", req.Header.Get("Authorization"), tc.wantSigned)
			}
		})
	}
}

// TestSignV4Resign signs a request twice, as a retry does, changing the
// time and dropping the session token: the result must equal a fresh
// signature, and no other header may change.
func TestSignV4Resign(t *testing.T) {
	t.Parallel()
	req := v4NewRequest(t, http.MethodPost, "https://"+v4CPHost+v4CPPath+"?b=1&a=2", v4CPBody)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "detach-test")
	req.Header.Add("X-Amz-Meta", "one")
	req.Header.Add("X-Amz-Meta", "two")
	before := req.Header.Clone()
	fresh := req.Clone(context.Background())

	payload := v4Hex256([]byte(v4CPBody))
	require.NoError(t, SignV4(req, payload, v4TestCredsToken, "profile", "us-east-1", v4T0))
	t1 := v4T0.Add(90 * time.Second)
	require.NoError(t, SignV4(req, payload, v4TestCreds, "profile", "us-east-1", t1))
	require.NoError(t, SignV4(fresh, payload, v4TestCreds, "profile", "us-east-1", t1))

	if diff := cmp.Diff(fresh.Header, req.Header); diff != "" {
		t.Errorf("re-signed headers differ from a fresh signature (-fresh +resigned):\n%s", diff)
	}
	after := req.Header.Clone()
	for _, k := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token"} {
		after.Del(k)
	}
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("signing changed other headers (-before +after):\n%s", diff)
	}
}

func TestSignV4NilHeader(t *testing.T) {
	t.Parallel()
	req := &http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "https", Host: "example.com", Path: "/"}}
	require.NoError(t, SignV4(req, v4EmptySHA256, v4TestCreds, "svc", "us-east-1", v4T0))
	if diff := cmp.Diff([]string{"Authorization", "X-Amz-Date"}, slices.Sorted(maps.Keys(req.Header))); diff != "" {
		t.Errorf("headers set on a request without a header map (-want +got):\n%s", diff)
	}
}

// TestSignV4HeaderSlicesIndependent guards the shared backing array of the
// headers SignV4 sets: appending to one must not overwrite another.
func TestSignV4HeaderSlicesIndependent(t *testing.T) {
	t.Parallel()
	req := v4NewRequest(t, http.MethodGet, "https://example.com/", "")
	require.NoError(t, SignV4(req, v4EmptySHA256, v4TestCredsToken, "svc", "us-east-1", v4T0))
	auth := req.Header.Get("Authorization")
	req.Header.Add("X-Amz-Date", "extra")
	req.Header.Add("X-Amz-Security-Token", "extra")
	if diff := cmp.Diff([]string{v4TestToken, "extra"}, req.Header.Values("X-Amz-Security-Token")); diff != "" {
		t.Errorf("token values (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(auth, req.Header.Get("Authorization")); diff != "" {
		t.Errorf("Authorization changed (-want +got):\n%s", diff)
	}
}

func TestSignV4InvalidInput(t *testing.T) {
	t.Parallel()
	good := func() *http.Request { return v4NewRequest(t, http.MethodGet, "https://example.com/", "") }
	tests := []struct {
		name      string
		req       *http.Request
		payload   string
		creds     AWSCredentials
		service   string
		region    string
		wantInErr string
	}{
		{"nil request", nil, v4EmptySHA256, v4TestCreds, "svc", "us-east-1", "request is nil"},
		{"nil URL", &http.Request{Method: "GET"}, v4EmptySHA256, v4TestCreds, "svc", "us-east-1", "URL is nil"},
		{"no host", &http.Request{Method: "GET", URL: &url.URL{Path: "/"}}, v4EmptySHA256, v4TestCreds, "svc", "us-east-1", "no host"},
		{"empty access key", good(), v4EmptySHA256, AWSCredentials{SecretAccessKey: v4TestSecret, Source: "src"}, "svc", "us-east-1", "access key id from src is empty"},
		{"empty secret", good(), v4EmptySHA256, AWSCredentials{AccessKeyID: v4TestAK}, "svc", "us-east-1", "secret access key from unnamed source is empty"},
		{"slash in access key", good(), v4EmptySHA256, AWSCredentials{AccessKeyID: "AK/X", SecretAccessKey: v4TestSecret}, "svc", "us-east-1", "access key id"},
		{"empty service", good(), v4EmptySHA256, v4TestCreds, "", "us-east-1", "service"},
		{"slash in region", good(), v4EmptySHA256, v4TestCreds, "svc", "us/east", "region"},
		{"newline in service", good(), v4EmptySHA256, v4TestCreds, "s\nv", "us-east-1", "service"},
		{"short payload hash", good(), "abc", v4TestCreds, "svc", "us-east-1", "payload hash"},
		{"upper-case payload hash", good(), strings.ToUpper(v4EmptySHA256), v4TestCreds, "svc", "us-east-1", "payload hash"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := SignV4(tc.req, tc.payload, tc.creds, tc.service, tc.region, v4T0)
			if err == nil || !strings.Contains(err.Error(), tc.wantInErr) {
				t.Fatalf("SignV4 error = %v, want one containing %q", err, tc.wantInErr)
			}
			if strings.Contains(err.Error(), v4TestSecret) {
				t.Errorf("error %q contains the secret", err)
			}
		})
	}
}

func TestSignV4YearOutOfRange(t *testing.T) {
	t.Parallel()
	for _, at := range []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)} {
		req := v4NewRequest(t, http.MethodGet, "https://example.com/", "")
		if err := SignV4(req, v4EmptySHA256, v4TestCreds, "svc", "us-east-1", at); err == nil || !strings.Contains(err.Error(), "outside 0000-9999") {
			t.Errorf("SignV4 at %v: error = %v, want a year range error", at, err)
		}
	}
}

func TestSignV4UnsignedPayload(t *testing.T) {
	t.Parallel()
	req := v4NewRequest(t, http.MethodGet, "https://example.com/", "")
	var trace v4Trace
	require.NoError(t, v4Sign(req, "UNSIGNED-PAYLOAD", v4TestCreds, "svc", "us-east-1", v4T0, &V4Options{}, &trace))
	if !strings.HasSuffix(trace.canonicalRequest, "\nUNSIGNED-PAYLOAD") {
		t.Errorf("canonical request %q does not end with UNSIGNED-PAYLOAD", trace.canonicalRequest)
	}
}

func TestSignV4Allocs(t *testing.T) {
	req := v4NewRequest(t, http.MethodPost, "https://"+v4CPHost+v4CPPath, v4CPBody)
	req.Header.Set("Content-Type", "application/json")
	payload := v4Hex256([]byte(v4CPBody))
	allocs := testing.AllocsPerRun(100, func() {
		if err := SignV4(req, payload, v4TestCredsToken, "profile", "us-east-1", v4T0); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 10 {
		t.Errorf("SignV4 allocates %.0f times per call, want at most 10", allocs)
	}
}

func TestV4HMACMatchesCryptoHMAC(t *testing.T) {
	t.Parallel()
	for _, keyLen := range []int{0, 1, 32, 63, 64, 65, 200} {
		key := bytes.Repeat([]byte{0xa5}, keyLen)
		msg := strings.Repeat("message ", keyLen)
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		want := m.Sum(nil)
		got, _ := v4HMAC(nil, key, msg)
		if diff := cmp.Diff(want, got[:]); diff != "" {
			t.Errorf("key length %d (-crypto/hmac +v4HMAC):\n%s", keyLen, diff)
		}
	}
}

func TestV4AppendAmzDate(t *testing.T) {
	t.Parallel()
	for _, tm := range []time.Time{
		v4T0,
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", -3600)),
		time.Date(2038, 1, 19, 3, 14, 8, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		want := tm.UTC().Format(v4DateFormat)
		got, ok := v4AppendAmzDate(nil, tm)
		if diff := cmp.Diff(want, string(got)); !ok || diff != "" {
			t.Errorf("date of %v: ok %t (-want +got):\n%s", tm, ok, diff)
		}
	}
	for _, tm := range []time.Time{
		time.Date(-1, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("x", -3600)),
	} {
		if got, ok := v4AppendAmzDate(nil, tm); ok || len(got) != 0 {
			t.Errorf("date of %v = %q, %t; want none", tm, got, ok)
		}
	}
}

// v4FakeProvider returns fixed credentials or an error.
type v4FakeProvider struct {
	creds AWSCredentials
	err   error
}

func (p v4FakeProvider) RetrieveAWS(context.Context) (AWSCredentials, error) { return p.creds, p.err }

func TestSigV4Authorize(t *testing.T) {
	t.Parallel()
	expired := v4TestCredsToken
	expired.Expires = v4T0
	tests := []struct {
		name     string
		s        *SigV4
		wantAuth string // prefix of Authorization on success
		wantErr  error
		wantMsg  string
	}{
		{
			name:     "static",
			s:        &SigV4{Credentials: StaticAWSCredentials(v4TestAK, v4TestSecret, ""), Service: "route53profiles", Region: "us-east-1"},
			wantAuth: testvectors.R53Authorization,
		},
		{name: "nil provider", s: &SigV4{Service: "s", Region: "r"}, wantErr: ErrNoCredentials, wantMsg: "no credentials provider"},
		{name: "nil authorizer", s: nil, wantErr: ErrNoCredentials, wantMsg: "no credentials provider"},
		{
			name:    "provider error",
			s:       &SigV4{Credentials: v4FakeProvider{err: &awsSourceError{source: "environment", reason: "nothing", err: ErrNoCredentials}}, Service: "s", Region: "r"},
			wantErr: ErrNoCredentials, wantMsg: "environment: nothing",
		},
		{
			name:    "expired",
			s:       &SigV4{Credentials: v4FakeProvider{creds: expired}, Service: "s", Region: "r"},
			wantErr: ErrNoCredentials, wantMsg: "credentials from test expired at 2015-08-30T12:36:00Z",
		},
		{
			name:    "missing region",
			s:       &SigV4{Credentials: v4FakeProvider{creds: v4TestCredsToken}, Service: "s"},
			wantMsg: "region",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := v4NewRequest(t, http.MethodDelete, "https://"+v4R53Host+v4R53Path, "")
			err := tc.s.Authorize(context.Background(), req, v4EmptySHA256, v4T0)
			if tc.wantMsg == "" {
				require.NoError(t, err)
				if diff := cmp.Diff(tc.wantAuth, req.Header.Get("Authorization")); diff != "" {
					t.Errorf("Authorization (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
				t.Fatalf("Authorize error = %v, want one containing %q", err, tc.wantMsg)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("Authorize error %v does not wrap %v", err, tc.wantErr)
			}
			for _, secret := range []string{v4TestSecret, v4TestToken} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains a secret", err)
				}
			}
			if req.Header.Get("Authorization") != "" {
				t.Errorf("a failed Authorize set Authorization")
			}
		})
	}
}
