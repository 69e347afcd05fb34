package sigverify

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/detach-go/detach/internal/testvectors"
	"github.com/detach-go/detach/signer"
)

// headerValueOK reports whether s can be sent as a header value (no control
// characters), as the signer requires of a session token.
func headerValueOK(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f })
}

// httpToken reports whether s is an HTTP token (RFC 9110), as a method or a
// header name must be.
func httpToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r)
	})
}

// FuzzV4SignVerify signs arbitrary requests and verifies them: whatever
// SignV4 accepts, SigV4 must accept with the same identity.
func FuzzV4SignVerify(f *testing.F) {
	f.Add("GET", "/", "", "", "", "", int64(0))
	f.Add("POST", "/a%2Fb/%C3%BC", "b=2&a=1", "application/json", "  x   y ", testvectors.AWSSessionToken, int64(1e9))
	f.Add("DELETE", "//./x/..", "flag&=&%zz", "", "v1", "tok", int64(-1))
	f.Fuzz(func(t *testing.T, method, path, query, contentType, amzValue, token string, unix int64) {
		tm := time.Unix(unix%(1<<35), 0).UTC()
		u, err := url.Parse("https://example.com/" + strings.TrimPrefix(path, "/"))
		if err != nil {
			return
		}
		u.RawQuery = query
		req := &http.Request{Method: method, URL: u, Header: http.Header{}}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("X-Amz-Meta-Fuzz", amzValue)
		creds := signer.AWSCredentials{AccessKeyID: testvectors.AWSAccessKeyID, SecretAccessKey: testvectors.AWSSecretKey, SessionToken: token}
		if err := signer.SignV4(req, testvectors.EmptySHA256, creds, "svc", "us-east-1", tm); err != nil {
			if headerValueOK(token) || !strings.Contains(err.Error(), "session token") {
				t.Fatalf("SignV4: %v", err)
			}
			return // a token with control characters is rightly refused
		}
		id, err := SigV4(req, testvectors.EmptySHA256, v4SecretFor, tm, time.Second)
		if err != nil {
			t.Fatalf("SigV4 of a request SignV4 signed: %v", err)
		}
		if id.AccessKeyID != testvectors.AWSAccessKeyID || id.SessionToken != token || !id.Time.Equal(tm) {
			t.Fatalf("identity %+v does not match the signer's", id)
		}
	})
}

// FuzzHuaweiSignVerify signs arbitrary requests in both flavours and checks
// that they verify, and that a changed signature does not.
func FuzzHuaweiSignVerify(f *testing.F) {
	f.Add("POST", "/v2/zones/z/disassociaterouter", "a=1&b=2", "X-Extra", " v ", "AKEXAMPLE", "SKEXAMPLE", "", testvectors.S01Body)
	f.Add("DELETE", "/v1/instances/ins-%2Fx=y&z", "", "Accept", "application/json", "AK", "S", "TOKEN", "")
	f.Add("GET", "", "k", "X_Under", "\t", "A", "B", "", "")
	f.Fuzz(func(t *testing.T, method, path, rawQuery, hname, hvalue, ak, sk, token, body string) {
		if !httpToken(method) {
			return
		}
		req := &http.Request{
			Method: method,
			URL:    &url.URL{Scheme: "https", Host: testvectors.HuaweiHost, Path: path, RawQuery: rawQuery},
			Host:   testvectors.HuaweiHost,
			Header: http.Header{},
		}
		if httpToken(hname) {
			req.Header.Add(hname, hvalue)
		}
		creds := signer.HuaweiCredentials{AccessKey: ak, SecretKey: sk, SecurityToken: token, ProjectID: "p"}
		secrets := func(k string) (string, bool) { return sk, k == ak }
		payload := sha256Hex(body)
		for _, fl := range hwFlavours {
			r := req.Clone(t.Context())
			if err := fl.sign(r, payload, creds, testvectors.HuaweiTime); err != nil {
				continue // invalid input is reported, never signed
			}
			id, err := fl.verify(r, payload, secrets, testvectors.HuaweiTime, 0)
			if err != nil {
				t.Fatalf("%s: signed request does not verify: %v", fl.name, err)
			}
			if id.AccessKey != ak || id.SecurityToken != token || !id.Time.Equal(testvectors.HuaweiTime) {
				t.Fatalf("%s: identity %v", fl.name, id)
			}
			a := r.Header.Get("Authorization")
			flip := byte('0')
			if a[len(a)-1] == '0' {
				flip = '1'
			}
			r.Header.Set("Authorization", a[:len(a)-1]+string(flip))
			if _, err := fl.verify(r, payload, secrets, testvectors.HuaweiTime, 0); err == nil {
				t.Fatalf("%s: changed signature verifies", fl.name)
			}
		}
	})
}
