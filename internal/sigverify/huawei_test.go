package sigverify

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/testvectors"
	"github.com/detach-go/detach/signer"
)

type hwFlavour struct {
	name   string
	sign   func(*http.Request, string, signer.HuaweiCredentials, time.Time) error
	verify func(*http.Request, string, func(string) (string, bool), time.Time, time.Duration) (HuaweiIdentity, error)
}

var hwFlavours = []hwFlavour{
	{"huawei", signer.SignHuawei, Huawei},
	{"otc", signer.SignOTC, OTC},
}

func TestVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	for _, fl := range hwFlavours {
		t.Run(fl.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, http.MethodPost, "https://"+testvectors.HuaweiHost+"/v2/zones/zone%20%C3%BC/disassociaterouter?b=2&a=1", "",
				"Content-Type", "application/json", "X-Extra", "  v  ")
			creds := hwTestCreds()
			creds.ProjectID, creds.DomainID, creds.SecurityToken = "p1", "d1", "TOKEN"
			payload := sha256Hex(testvectors.S01Body)
			require.NoError(t, fl.sign(req, payload, creds, testvectors.HuaweiTime))

			got, err := fl.verify(req, payload, hwSecrets, testvectors.HuaweiTime.Add(time.Minute), 0)
			require.NoError(t, err)
			want := HuaweiIdentity{AccessKey: "AKEXAMPLE", SecurityToken: "TOKEN", ProjectID: "p1", DomainID: "d1", Time: testvectors.HuaweiTime}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifyTamper(t *testing.T) {
	t.Parallel()
	payload := sha256Hex(testvectors.S01Body)
	tests := []struct {
		name    string
		tamper  func(r *http.Request) // applied after signing
		payload string                // overrides the payload given to Verify
		secrets func(string) (string, bool)
		now     time.Time
		skew    time.Duration
		want    error
		only    string // flavour the case applies to, "" for both
	}{
		{name: "body changed", payload: sha256Hex(testvectors.S01Body + " "), want: ErrHWSignatureMismatch},
		{name: "path changed", tamper: func(r *http.Request) { r.URL.Path += "x" }, want: ErrHWSignatureMismatch},
		{name: "query changed", tamper: func(r *http.Request) { r.URL.RawQuery = "a=2" }, want: ErrHWSignatureMismatch},
		{name: "method changed", tamper: func(r *http.Request) { r.Method = http.MethodPut }, want: ErrHWSignatureMismatch},
		{name: "host changed", tamper: func(r *http.Request) { r.Host = "evil.example.com" }, want: ErrHWSignatureMismatch},
		{name: "signed header changed", tamper: func(r *http.Request) { r.Header.Set("X-Extra", "w") }, want: ErrHWSignatureMismatch},
		{name: "date changed", tamper: func(r *http.Request) { r.Header.Set("X-Sdk-Date", "20250102T030406Z") }, want: ErrHWSignatureMismatch},
		{name: "project changed", only: "huawei", tamper: func(r *http.Request) { r.Header.Set("X-Project-Id", "p2") }, want: ErrHWSignatureMismatch},
		{name: "signature changed", tamper: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			last := a[len(a)-1]
			repl := byte('0')
			if last == '0' {
				repl = '1'
			}
			r.Header.Set("Authorization", a[:len(a)-1]+string(repl))
		}, want: ErrHWSignatureMismatch},
		{name: "wrong secret", secrets: func(string) (string, bool) { return "OTHER", true }, want: ErrHWSignatureMismatch},
		{name: "unknown access key", secrets: func(string) (string, bool) { return "", false }, want: ErrHWUnknownAccessKey},
		{name: "too old", now: testvectors.HuaweiTime.Add(16 * time.Minute), want: ErrHWExpired},
		{name: "too new", now: testvectors.HuaweiTime.Add(-16 * time.Minute), want: ErrHWExpired},
		{name: "custom skew", now: testvectors.HuaweiTime.Add(2 * time.Minute), skew: time.Minute, want: ErrHWExpired},
		{name: "no authorization", tamper: func(r *http.Request) { r.Header.Del("Authorization") }, want: ErrHWMalformed},
		{name: "two authorizations", tamper: func(r *http.Request) { r.Header.Add("Authorization", "x") }, want: ErrHWMalformed},
		{name: "other algorithm", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SDK-HMAC-SHA256", "SDK-HMAC-SM3", 1))
		}, want: ErrHWMalformed},
		{name: "unknown parameter", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", r.Header.Get("Authorization")+", Foo=bar")
		}, want: ErrHWMalformed},
		{name: "no date", tamper: func(r *http.Request) { r.Header.Del("X-Sdk-Date") }, want: ErrHWMalformed},
		{name: "bad date", tamper: func(r *http.Request) { r.Header.Set("X-Sdk-Date", "2025-01-02T03:04:05Z") }, want: ErrHWMalformed},
		{name: "signed header missing", tamper: func(r *http.Request) { r.Header.Del("X-Extra") }, want: ErrHWMalformed},
		{name: "date not signed", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-sdk-date", "", 1))
		}, want: ErrHWMalformed},
		{name: "signed headers unsorted", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;x-extra", "x-extra;host", 1))
		}, want: ErrHWMalformed},
		{name: "signed header repeated", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;x-extra", "host;x-extra;x-extra", 1))
		}, want: ErrHWMalformed},
		{name: "signed header upper-case", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "x-extra", "X-Extra", 1))
		}, want: ErrHWMalformed},
		{name: "short signature", tamper: func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:len(a)-2])
		}, want: ErrHWMalformed},
		{name: "credential day differs", only: "otc", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20250102/", "/20250103/", 1))
		}, want: ErrHWMalformed},
	}
	for _, fl := range hwFlavours {
		for _, tc := range tests {
			if tc.only != "" && tc.only != fl.name {
				continue
			}
			t.Run(fl.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				req := newRequest(t, http.MethodPost, "https://"+testvectors.HuaweiHost+"/v2/zones/z/disassociaterouter?a=1", "",
					"X-Extra", "v")
				creds := hwTestCreds()
				creds.ProjectID = "p1"
				require.NoError(t, fl.sign(req, payload, creds, testvectors.HuaweiTime))
				if tc.tamper != nil {
					tc.tamper(req)
				}
				p, secrets, now := payload, hwSecrets, testvectors.HuaweiTime
				if tc.payload != "" {
					p = tc.payload
				}
				if tc.secrets != nil {
					secrets = tc.secrets
				}
				if !tc.now.IsZero() {
					now = tc.now
				}
				_, err := fl.verify(req, p, secrets, now, tc.skew)
				if !errors.Is(err, tc.want) {
					t.Fatalf("err = %v, want errors.Is %v", err, tc.want)
				}
			})
		}
	}
}

// TestVerifyCrossFlavour: a signature of one flavour is malformed for the
// other's verifier.
func TestVerifyCrossFlavour(t *testing.T) {
	t.Parallel()
	req := newRequest(t, http.MethodGet, "https://"+testvectors.HuaweiHost+"/v2/zones", "")
	require.NoError(t, signer.SignHuawei(req, "", hwTestCreds(), testvectors.HuaweiTime))
	if _, err := OTC(req, "", hwSecrets, testvectors.HuaweiTime, 0); !errors.Is(err, ErrHWMalformed) {
		t.Errorf("OTC of a Huawei signature: err = %v, want ErrHWMalformed", err)
	}
	req = newRequest(t, http.MethodGet, "https://"+testvectors.HuaweiHost+"/v2/zones", "")
	require.NoError(t, signer.SignOTC(req, "", hwTestCreds(), testvectors.HuaweiTime))
	if _, err := Huawei(req, "", hwSecrets, testvectors.HuaweiTime, 0); !errors.Is(err, ErrHWMalformed) {
		t.Errorf("Huawei of an OTC signature: err = %v, want ErrHWMalformed", err)
	}
}

// TestVerifyRecorded verifies requests whose signatures were not made by
// the signer: s01, signed by huaweicloud-sdk-go-v3 (reference/huawei.md
// §1.6), and two computed by the independent reference implementation of
// signer's tests (signer/huawei_ref_test.go): one signed as the official Go
// SDK signs a real call (user-agent signed, host not), one in the OTC
// flavour with a region and a service in the credential scope.
func TestVerifyRecorded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, auth string
		headers          []string
		verify           func(*http.Request, string, func(string) (string, bool), time.Time, time.Duration) (HuaweiIdentity, error)
		want             HuaweiIdentity
	}{
		{
			name: "s01 by huaweicloud-sdk-go-v3", path: testvectors.S01Path, verify: Huawei,
			headers: []string{"Content-Type", "application/json", "X-Project-Id", testvectors.S01ProjectID},
			auth:    testvectors.S01Authorization,
			want:    HuaweiIdentity{AccessKey: "AKEXAMPLE", ProjectID: testvectors.S01ProjectID, Time: testvectors.HuaweiTime},
		},
		{
			name: "the Go SDK's header choice", path: "/v2/zones/z/disassociaterouter", verify: Huawei,
			headers: []string{"User-Agent", "huaweicloud-usdk-go/3.0", "X-Project-Id", "p1"},
			auth:    "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=user-agent;x-project-id;x-sdk-date, Signature=b13cae6ce925c1c0d120e6da60bc1aac735eb5bd5dbdf4fd1c9f161e390ac083",
			want:    HuaweiIdentity{AccessKey: "AKEXAMPLE", ProjectID: "p1", Time: testvectors.HuaweiTime},
		},
		{
			name: "otc with a region and service scope", path: "/v2/zones/z/disassociaterouter", verify: OTC,
			headers: []string{"User-Agent", "unsigned"},
			auth:    "SDK-HMAC-SHA256 Credential=AKEXAMPLE/20250102/eu-de/dns/sdk_request, SignedHeaders=host;x-sdk-date, Signature=29377934a9513ae333ffd63f79bb4f4f777077e2ec520326f006c701f3afa426",
			want:    HuaweiIdentity{AccessKey: "AKEXAMPLE", Time: testvectors.HuaweiTime},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, http.MethodPost, "https://"+testvectors.HuaweiHost+tc.path, testvectors.S01Body,
				append(tc.headers, "X-Sdk-Date", testvectors.HuaweiDate, "Authorization", tc.auth)...)
			id, err := tc.verify(req, sha256Hex(testvectors.S01Body), hwSecrets, testvectors.HuaweiTime, time.Minute)
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, id); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifyBadArguments(t *testing.T) {
	t.Parallel()
	req := newRequest(t, http.MethodGet, "https://"+testvectors.HuaweiHost+"/", "")
	for _, fl := range hwFlavours {
		if _, err := fl.verify(nil, "", hwSecrets, testvectors.HuaweiTime, 0); err == nil {
			t.Errorf("%s: nil request: no error", fl.name)
		}
		if _, err := fl.verify(req, "", nil, testvectors.HuaweiTime, 0); err == nil {
			t.Errorf("%s: nil secretFor: no error", fl.name)
		}
		if _, err := fl.verify(req, "XYZ", hwSecrets, testvectors.HuaweiTime, 0); err == nil {
			t.Errorf("%s: bad payload hash: no error", fl.name)
		}
	}
}
