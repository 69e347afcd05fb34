package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/testvectors"
)

var hwTestTime = testvectors.HuaweiTime

// The fixtures of vector s01 (huawei.md §1.6), by shorter names.
const (
	hwTestDate = testvectors.HuaweiDate
	hwTestHost = testvectors.HuaweiHost
	hwS01Body  = testvectors.S01Body
)

func hwTestCreds() HuaweiCredentials {
	return HuaweiCredentials{AccessKey: testvectors.HuaweiAccessKey, SecretKey: testvectors.HuaweiSecretKey}
}

func hwSHA(s string) string { return refHex256(s) }

// hwNewRequest builds a request for tests; headers are added in order.
func hwNewRequest(t testing.TB, method, rawURL string, headers ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	return req
}

// TestSignHuaweiGoldenS01 reproduces vector s01, signed by the official SDK.
func TestSignHuaweiGoldenS01(t *testing.T) {
	t.Parallel()
	req := hwNewRequest(t, http.MethodPost, "https://"+hwTestHost+testvectors.S01Path, "Content-Type", "application/json")
	creds := hwTestCreds()
	creds.ProjectID = testvectors.S01ProjectID
	require.NoError(t, SignHuawei(req, hwSHA(hwS01Body), creds, hwTestTime))

	want := http.Header{
		"Content-Type":  {"application/json"},
		"X-Project-Id":  {testvectors.S01ProjectID},
		"X-Sdk-Date":    {"20250102T030405Z"},
		"Authorization": {testvectors.S01Authorization},
	}
	if diff := cmp.Diff(want, req.Header); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
}

// TestSignHuaweiCanonicalRequest checks the canonical request of s01 step by
// step against the text given in huawei.md §1.6.
func TestSignHuaweiCanonicalRequest(t *testing.T) {
	t.Parallel()
	const wantCR = "POST\n/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter/\n\n" +
		"host:dns.cn-north-4.myhuaweicloud.com\nx-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20250102T030405Z\n\n" +
		"host;x-project-id;x-sdk-date\n"
	req := hwNewRequest(t, http.MethodPost, "https://"+hwTestHost+"/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter",
		"X-Project-Id", "0123456789abcdef0123456789abcdef", "X-Sdk-Date", hwTestDate)
	hs, err := hwCollect(nil, req.Header, hwTestHost, false, nil)
	require.NoError(t, err)
	cr := append([]byte(req.Method), '\n')
	cr = hwAppendCanonicalURI(cr, req.URL.Path, false)
	cr = append(cr, '\n')
	cr, err = hwAppendCanonicalQuery(cr, req.URL.RawQuery)
	require.NoError(t, err)
	cr = hwAppendCanonicalTail(cr, hs, false, hwSHA(hwS01Body))
	if diff := cmp.Diff(wantCR+hwSHA(hwS01Body), string(cr)); diff != "" {
		t.Errorf("canonical request (-want +got):\n%s", diff)
	}
	sig := hwSignatureHuawei("SKEXAMPLE", []byte(hwTestDate), cr)
	_, wantSig, _ := strings.Cut(testvectors.S01Authorization, "Signature=")
	if diff := cmp.Diff(wantSig, string(hwAppendHex(nil, sig[:]))); diff != "" {
		t.Errorf("signature (-want +got):\n%s", diff)
	}
}

type hwSignCase struct {
	name      string
	method    string
	url       string
	host      string   // req.Host override
	headers   []string // name, value pairs added before signing
	creds     func(*HuaweiCredentials)
	body      string
	wantURI   string
	wantQuery string
	wantLines []string // canonical header lines, in order; x-sdk-date is added by the test
}

func hwSignCases() []hwSignCase {
	return []hwSignCase{
		{
			name:      "s01 disassociate router",
			method:    http.MethodPost,
			url:       "https://" + hwTestHost + "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter",
			headers:   []string{"Content-Type", "application/json"},
			creds:     func(c *HuaweiCredentials) { c.ProjectID = "0123456789abcdef0123456789abcdef" },
			body:      hwS01Body,
			wantURI:   "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter/",
			wantLines: []string{"host:" + hwTestHost, "x-project-id:0123456789abcdef0123456789abcdef"},
		},
		{
			name:      "odd zone id escaped per segment",
			method:    http.MethodPost,
			url:       "https://" + hwTestHost + "/v2/zones/zone%20a+b:c@d~e.f_g-%C3%BC/disassociaterouter",
			creds:     func(c *HuaweiCredentials) { c.ProjectID = "p1" },
			body:      `{"router":{"router_id":"r"}}`,
			wantURI:   "/v2/zones/zone%20a%2Bb%3Ac%40d~e.f_g-%C3%BC/disassociaterouter/",
			wantLines: []string{"host:" + hwTestHost, "x-project-id:p1"},
		},
		{
			name:      "percent in id is double encoded",
			method:    http.MethodDelete,
			url:       "https://identitycenter.myhuaweicloud.com/v1/instances/ins-%252Fx=y&z/profiles/profil%E2%82%AC",
			creds:     func(c *HuaweiCredentials) { c.DomainID = "d1" },
			wantURI:   "/v1/instances/ins-%252Fx%3Dy%26z/profiles/profil%E2%82%AC/",
			wantLines: []string{"host:identitycenter.myhuaweicloud.com", "x-domain-id:d1"},
		},
		{
			name:   "security token is signed",
			method: http.MethodPost,
			url:    "https://" + hwTestHost + "/v2/zones/z/disassociaterouter",
			creds: func(c *HuaweiCredentials) {
				c.ProjectID = "p1"
				c.SecurityToken = "TOKEN-SECRET-VALUE"
			},
			body:      `{}`,
			wantURI:   "/v2/zones/z/disassociaterouter/",
			wantLines: []string{"host:" + hwTestHost, "x-project-id:p1"}, // x-security-token follows x-sdk-date
		},
		{
			name:      "query sorted with repeated keys",
			method:    http.MethodGet,
			url:       "https://" + hwTestHost + "/v2/zones?type=private&limit=10&name=a+b&type=public&marker=&z=%E2%82%AC",
			wantURI:   "/v2/zones/",
			wantQuery: "limit=10&marker=&name=a%20b&type=private&type=public&z=%E2%82%AC",
			wantLines: []string{"host:" + hwTestHost},
		},
		{
			name:      "trailing slash kept",
			method:    http.MethodGet,
			url:       "https://" + hwTestHost + "/v2/zones/",
			wantURI:   "/v2/zones/",
			wantLines: []string{"host:" + hwTestHost},
		},
		{
			name:      "empty path",
			method:    http.MethodGet,
			url:       "https://" + hwTestHost,
			wantURI:   "/",
			wantLines: []string{"host:" + hwTestHost},
		},
		{
			name:   "excluded and multi-valued headers",
			method: http.MethodGet,
			url:    "https://" + hwTestHost + "/v2/zones",
			headers: []string{
				"Content-Type", "application/json",
				"Content-Type-Extra", "x",
				"User-Agent", "detach/1.0",
				"X_Custom", "underscore",
				"Authorization", "stale",
				"X-Custom", "  a ",
				"X-Custom", "b",
				"Accept", "application/json",
			},
			wantURI:   "/v2/zones/",
			wantLines: []string{"accept:application/json", "host:" + hwTestHost, "x-custom:a,b"},
		},
		{
			name:      "req.Host wins over URL host",
			method:    http.MethodGet,
			url:       "https://127.0.0.1:8443/v2/zones",
			host:      "dns.eu-de.otc.t-systems.com",
			wantURI:   "/v2/zones/",
			wantLines: []string{"host:dns.eu-de.otc.t-systems.com"},
		},
	}
}

func TestSignHuawei(t *testing.T) {
	t.Parallel()
	for _, tc := range hwSignCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := hwNewRequest(t, tc.method, tc.url, tc.headers...)
			if tc.host != "" {
				req.Host = tc.host
			}
			creds := hwTestCreds()
			if tc.creds != nil {
				tc.creds(&creds)
			}
			require.NoError(t, SignHuawei(req, hwSHA(tc.body), creds, hwTestTime))

			lines := append(append([]string(nil), tc.wantLines...), "x-sdk-date:"+hwTestDate)
			if creds.SecurityToken != "" {
				lines = append(lines, "x-security-token:"+creds.SecurityToken)
			}
			cr, signed := refCanonical(tc.method, tc.wantURI, tc.wantQuery, lines, hwSHA(tc.body))
			// The expected URI and query are literal; check the reference
			// agrees with them, so both sides are pinned.
			if got := refURI(req.URL.Path); got != tc.wantURI {
				t.Fatalf("reference URI = %q, want %q", got, tc.wantURI)
			}
			if got := refQuery(req.URL.RawQuery); got != tc.wantQuery {
				t.Fatalf("reference query = %q, want %q", got, tc.wantQuery)
			}
			want := refHuaweiAuthorization("AKEXAMPLE", "SKEXAMPLE", hwTestDate, cr, signed)
			if diff := cmp.Diff(want, req.Header.Get("Authorization")); diff != "" {
				t.Errorf("Authorization (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(hwTestDate, req.Header.Get("X-Sdk-Date")); diff != "" {
				t.Errorf("X-Sdk-Date (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(creds.SecurityToken, req.Header.Get("X-Security-Token")); diff != "" {
				t.Errorf("X-Security-Token (-want +got):\n%s", diff)
			}

			// Signing again (a retry) gives the same headers.
			first := req.Header.Clone()
			require.NoError(t, SignHuawei(req, hwSHA(tc.body), creds, hwTestTime))
			if diff := cmp.Diff(first, req.Header); diff != "" {
				t.Errorf("re-signing changed headers (-first +second):\n%s", diff)
			}
		})
	}
}

func TestHuaweiCanonicalURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path         string
		leadingSlash bool
		want         string
	}{
		{"", false, "/"},
		{"", true, "/"},
		{"/", false, "/"},
		{"/a/b", false, "/a/b/"},
		{"/a/b/", false, "/a/b/"},
		{"a/b", false, "a/b/"},
		{"a/b", true, "/a/b/"},
		{"//a//", false, "//a//"},
		{"/zone a+b:c@d~e.f_g-ü", false, "/zone%20a%2Bb%3Ac%40d~e.f_g-%C3%BC/"},
		{"/100%", false, "/100%25/"},
		{"/*star*/€", false, "/%2Astar%2A/%E2%82%AC/"},
		{"/\x00\xff", false, "/%00%FF/"},
	}
	for _, tc := range tests {
		got := string(hwAppendCanonicalURI([]byte("X\n"), tc.path, tc.leadingSlash))
		if diff := cmp.Diff("X\n"+tc.want, got); diff != "" {
			t.Errorf("path %q leadingSlash %t (-want +got):\n%s", tc.path, tc.leadingSlash, diff)
		}
	}
}

func TestHuaweiCanonicalQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw     string
		want    string
		wantOTC string
	}{
		{"", "", ""},
		{"b=2&a=1", "a=1&b=2", "a=1&b=2"},
		{"a=2&a=1&a=10", "a=1&a=10&a=2", "a=2"},
		{"B=1&a=2&b=3", "B=1&a=2&b=3", "a=2&B=1&b=3"},
		{"k", "k=", "k="},
		{"sp=a+b&pct=%2F%25", "pct=%2F%25&sp=a%20b", "pct=%2F%25&sp=a%20b"},
		{"%C3%BC=%E2%82%AC", "%C3%BC=%E2%82%AC", "%C3%BC=%E2%82%AC"},
	}
	for _, tc := range tests {
		got, err := hwAppendCanonicalQuery(nil, tc.raw)
		require.NoError(t, err)
		if diff := cmp.Diff(tc.want, string(got)); diff != "" {
			t.Errorf("huawei query %q (-want +got):\n%s", tc.raw, diff)
		}
		gotOTC, err := otcAppendCanonicalQuery(nil, tc.raw)
		require.NoError(t, err)
		if diff := cmp.Diff(tc.wantOTC, string(gotOTC)); diff != "" {
			t.Errorf("otc query %q (-want +got):\n%s", tc.raw, diff)
		}
	}
}

func TestSignHuaweiErrors(t *testing.T) {
	t.Parallel()
	ok := func() *http.Request { return hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/v2/zones") }
	tests := []struct {
		name     string
		req      func() *http.Request
		creds    func(*HuaweiCredentials)
		payload  string
		wantErr  string
		wantNoCr bool // errors.Is(err, ErrNoCredentials)
	}{
		{name: "nil request", req: func() *http.Request { return nil }, wantErr: "request or its URL is nil"},
		{name: "nil URL", req: func() *http.Request { r := ok(); r.URL = nil; return r }, wantErr: "request or its URL is nil"},
		{name: "no host", req: func() *http.Request { r := ok(); r.URL.Host, r.Host = "", ""; return r }, wantErr: "request has no host"},
		{name: "empty access key", req: ok, creds: func(c *HuaweiCredentials) { c.AccessKey = "" }, wantErr: "access key is empty", wantNoCr: true},
		{name: "empty secret key", req: ok, creds: func(c *HuaweiCredentials) { c.SecretKey = "" }, wantErr: "secret key is empty", wantNoCr: true},
		{name: "comma in access key", req: ok, creds: func(c *HuaweiCredentials) { c.AccessKey = "AK,X" }, wantErr: "access key must be printable ASCII"},
		{name: "newline in token", req: ok, creds: func(c *HuaweiCredentials) { c.SecurityToken = "TOK\nEN" }, wantErr: "security token contains a control character"},
		{name: "newline in project", req: ok, creds: func(c *HuaweiCredentials) { c.ProjectID = "p\r" }, wantErr: "project ID contains a control character"},
		{name: "upper-case payload hash", req: ok, payload: strings.ToUpper(hwEmptySHA256), wantErr: "payload hash must be 64 lowercase hex digits"},
		{name: "short payload hash", req: ok, payload: "abc", wantErr: "payload hash must be 64 lowercase hex digits"},
		{name: "malformed query", req: func() *http.Request { r := ok(); r.URL.RawQuery = "a=%zz"; return r }, wantErr: "malformed query"},
		{name: "invalid header name", req: func() *http.Request { r := ok(); r.Header["X Bad"] = []string{"v"}; return r }, wantErr: `header name "X Bad" is not a valid HTTP token`},
		{name: "header twice in different case", req: func() *http.Request {
			r := ok()
			r.Header["X-Dup"] = []string{"1"}
			r.Header["x-dup"] = []string{"2"}
			return r
		}, wantErr: "present twice with different letter case"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			creds := hwTestCreds()
			creds.SecretKey = "SECRET-SK-VALUE"
			if tc.creds != nil {
				tc.creds(&creds)
			}
			for _, sign := range []func(*http.Request, string, HuaweiCredentials, time.Time) error{SignHuawei, SignOTC} {
				err := sign(tc.req(), tc.payload, creds, hwTestTime)
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				if got := errors.Is(err, ErrNoCredentials); got != tc.wantNoCr {
					t.Errorf("errors.Is(err, ErrNoCredentials) = %t, want %t", got, tc.wantNoCr)
				}
				if strings.Contains(err.Error(), "SECRET-SK-VALUE") || strings.Contains(err.Error(), "TOK") {
					t.Errorf("error leaks a secret: %v", err)
				}
			}
		})
	}
}

// TestHwHMAC checks the stack HMAC against crypto/hmac, including keys
// longer than the block and messages longer than the stack buffer.
func TestHwHMAC(t *testing.T) {
	t.Parallel()
	for _, kl := range []int{0, 1, 32, 63, 64, 65, 130} {
		for _, ml := range []int{0, 1, 55, 64, 191, 192, 193, 500} {
			key := []byte(strings.Repeat("k", kl))
			msg := []byte(strings.Repeat("m", ml))
			m := hmac.New(sha256.New, key)
			m.Write(msg)
			want := m.Sum(nil)
			got := hwHMAC(key, msg)
			if !hmac.Equal(want, got[:]) {
				t.Errorf("key %d bytes, msg %d bytes: hwHMAC differs from crypto/hmac", kl, ml)
			}
		}
	}
}

// TestSignAllocs keeps signing cheap: the official Go SDK signer makes 82
// allocations per request.
func TestSignAllocs(t *testing.T) {
	req := hwNewRequest(t, http.MethodPost, "https://"+hwTestHost+"/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter",
		"Content-Type", "application/json", "User-Agent", "detach/0.1")
	creds := hwTestCreds()
	creds.ProjectID = "0123456789abcdef0123456789abcdef"
	payload := hwSHA(hwS01Body)
	for _, tc := range []struct {
		name string
		sign func(*http.Request, string, HuaweiCredentials, time.Time) error
		max  float64
	}{{"huawei", SignHuawei, 15}, {"otc", SignOTC, 15}} {
		allocs := testing.AllocsPerRun(100, func() {
			if err := tc.sign(req, payload, creds, hwTestTime); err != nil {
				t.Fatal(err)
			}
		})
		if allocs > tc.max {
			t.Errorf("%s: %.0f allocations per signature, want at most %.0f", tc.name, allocs, tc.max)
		}
	}
}

// TestHuaweiAppendDate checks the fast date formatter against
// time.AppendFormat, including the years it hands back to it.
func TestHuaweiAppendDate(t *testing.T) {
	t.Parallel()
	for _, tm := range []time.Time{
		hwTestTime,
		time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", -3600)),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("y", -3600)),
	} {
		want := tm.UTC().Format(hwDateLayout)
		if got := string(hwAppendDate(nil, tm)); got != want {
			t.Errorf("date of %v = %q, want %q", tm, got, want)
		}
	}
}
