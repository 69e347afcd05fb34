package signer

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func hwSecrets(ak string) (string, bool) {
	if ak == "AKEXAMPLE" {
		return "SKEXAMPLE", true
	}
	return "", false
}

type hwFlavour struct {
	name   string
	sign   func(*http.Request, string, HuaweiCredentials, time.Time) error
	verify func(*http.Request, string, func(string) (string, bool), time.Time, time.Duration) (HuaweiIdentity, error)
}

var hwFlavours = []hwFlavour{
	{"huawei", SignHuawei, VerifyHuawei},
	{"otc", SignOTC, VerifyOTC},
}

func TestVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	for _, fl := range hwFlavours {
		t.Run(fl.name, func(t *testing.T) {
			t.Parallel()
			req := hwNewRequest(t, http.MethodPost, "https://"+hwTestHost+"/v2/zones/zone%20%C3%BC/disassociaterouter?b=2&a=1",
				"Content-Type", "application/json", "X-Extra", "  v  ")
			creds := hwTestCreds()
			creds.ProjectID, creds.DomainID, creds.SecurityToken = "p1", "d1", "TOKEN"
			payload := hwSHA(hwS01Body)
			require.NoError(t, fl.sign(req, payload, creds, hwTestTime))

			got, err := fl.verify(req, payload, hwSecrets, hwTestTime.Add(time.Minute), 0)
			require.NoError(t, err)
			want := HuaweiIdentity{AccessKey: "AKEXAMPLE", SecurityToken: "TOKEN", ProjectID: "p1", DomainID: "d1", Time: hwTestTime}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("identity (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVerifyTamper(t *testing.T) {
	t.Parallel()
	payload := hwSHA(hwS01Body)
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
		{name: "body changed", payload: hwSHA(hwS01Body + " "), want: ErrHWSignatureMismatch},
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
		{name: "too old", now: hwTestTime.Add(16 * time.Minute), want: ErrHWExpired},
		{name: "too new", now: hwTestTime.Add(-16 * time.Minute), want: ErrHWExpired},
		{name: "custom skew", now: hwTestTime.Add(2 * time.Minute), skew: time.Minute, want: ErrHWExpired},
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
				req := hwNewRequest(t, http.MethodPost, "https://"+hwTestHost+"/v2/zones/z/disassociaterouter?a=1",
					"X-Extra", "v")
				creds := hwTestCreds()
				creds.ProjectID = "p1"
				require.NoError(t, fl.sign(req, payload, creds, hwTestTime))
				if tc.tamper != nil {
					tc.tamper(req)
				}
				p, secrets, now := payload, hwSecrets, hwTestTime
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
	req := hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/v2/zones")
	require.NoError(t, SignHuawei(req, "", hwTestCreds(), hwTestTime))
	if _, err := VerifyOTC(req, "", hwSecrets, hwTestTime, 0); !errors.Is(err, ErrHWMalformed) {
		t.Errorf("VerifyOTC of a Huawei signature: err = %v, want ErrHWMalformed", err)
	}
	req = hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/v2/zones")
	require.NoError(t, SignOTC(req, "", hwTestCreds(), hwTestTime))
	if _, err := VerifyHuawei(req, "", hwSecrets, hwTestTime, 0); !errors.Is(err, ErrHWMalformed) {
		t.Errorf("VerifyHuawei of an OTC signature: err = %v, want ErrHWMalformed", err)
	}
}

// TestVerifyHuaweiSDKStyle verifies a request signed the way the official Go
// SDK signs it (user-agent signed, host not), computed by the reference.
func TestVerifyHuaweiSDKStyle(t *testing.T) {
	t.Parallel()
	req := hwNewRequest(t, http.MethodPost, "https://"+hwTestHost+"/v2/zones/z/disassociaterouter",
		"User-Agent", "huaweicloud-usdk-go/3.0", "X-Project-Id", "p1", "X-Sdk-Date", hwTestDate)
	cr, signed := refCanonical(http.MethodPost, "/v2/zones/z/disassociaterouter/", "",
		[]string{"user-agent:huaweicloud-usdk-go/3.0", "x-project-id:p1", "x-sdk-date:" + hwTestDate}, hwSHA(hwS01Body))
	req.Header.Set("Authorization", refHuaweiAuthorization("AKEXAMPLE", "SKEXAMPLE", hwTestDate, cr, signed))
	id, err := VerifyHuawei(req, hwSHA(hwS01Body), hwSecrets, hwTestTime, time.Minute)
	require.NoError(t, err)
	if diff := cmp.Diff(HuaweiIdentity{AccessKey: "AKEXAMPLE", ProjectID: "p1", Time: hwTestTime}, id); diff != "" {
		t.Errorf("identity (-want +got):\n%s", diff)
	}
}

func TestVerifyBadArguments(t *testing.T) {
	t.Parallel()
	req := hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/")
	for _, fl := range hwFlavours {
		if _, err := fl.verify(nil, "", hwSecrets, hwTestTime, 0); err == nil {
			t.Errorf("%s: nil request: no error", fl.name)
		}
		if _, err := fl.verify(req, "", nil, hwTestTime, 0); err == nil {
			t.Errorf("%s: nil secretFor: no error", fl.name)
		}
		if _, err := fl.verify(req, "XYZ", hwSecrets, hwTestTime, 0); err == nil {
			t.Errorf("%s: bad payload hash: no error", fl.name)
		}
	}
}
