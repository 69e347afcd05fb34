package signer

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// hwUnreserved reports whether c stays literal in a canonical path segment,
// query key or query value: A-Z a-z 0-9 - _ . ~ in both SDKs.
func hwUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// hwCanonicalAllowed reports whether s uses only what a canonical URI or
// query may contain: unreserved bytes, '/', '=', '&' and %XX with uppercase
// hex.
func hwCanonicalAllowed(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case hwUnreserved(c) || strings.IndexByte(extra, c) >= 0:
		case c == '%':
			if i+2 >= len(s) || !strings.ContainsRune("0123456789ABCDEF", rune(s[i+1])) || !strings.ContainsRune("0123456789ABCDEF", rune(s[i+2])) {
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}

func FuzzHuaweiCanonicalURI(f *testing.F) {
	for _, s := range []string{"", "/", "/v2/zones/zone a+b:c@d~e.f_g-ü/disassociaterouter", "//", "%", "a/b", "/100%25/€", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		for _, lead := range []bool{false, true} {
			got := string(hwAppendCanonicalURI(nil, path, lead))
			if !hwCanonicalAllowed(got, "/") {
				t.Fatalf("canonical URI %q of %q has a disallowed character", got, path)
			}
			if !strings.HasSuffix(got, "/") {
				t.Fatalf("canonical URI %q of %q lacks the trailing slash", got, path)
			}
			dec, err := url.PathUnescape(got)
			if err != nil {
				t.Fatalf("canonical URI %q does not decode: %v", got, err)
			}
			want := path
			if lead && !strings.HasPrefix(want, "/") {
				want = "/" + want
			}
			if !strings.HasSuffix(want, "/") {
				want += "/"
			}
			if dec != want {
				t.Fatalf("canonical URI %q decodes to %q, want %q", got, dec, want)
			}
		}
	})
}

func FuzzHuaweiCanonicalQuery(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "a=2&a=1", "k", "sp=a+b&pct=%2F%25", "%zz", "a;b", "=&&=", "%C3%BC=%E2%82%AC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, fn := range []func([]byte, string) ([]byte, error){hwAppendCanonicalQuery, otcAppendCanonicalQuery} {
			got, err := fn(nil, raw)
			if err != nil {
				continue
			}
			if !hwCanonicalAllowed(string(got), "=&") {
				t.Fatalf("canonical query %q of %q has a disallowed character", got, raw)
			}
		}
	})
}

// FuzzHuaweiSignVerify signs arbitrary requests in both flavours and checks
// that they verify, and that a changed signature does not.
func FuzzHuaweiSignVerify(f *testing.F) {
	f.Add("POST", "/v2/zones/z/disassociaterouter", "a=1&b=2", "X-Extra", " v ", "AKEXAMPLE", "SKEXAMPLE", "", hwS01Body)
	f.Add("DELETE", "/v1/instances/ins-%2Fx=y&z", "", "Accept", "application/json", "AK", "S", "TOKEN", "")
	f.Add("GET", "", "k", "X_Under", "\t", "A", "B", "", "")
	f.Fuzz(func(t *testing.T, method, path, rawQuery, hname, hvalue, ak, sk, token, body string) {
		if !hwIsToken(method) {
			return
		}
		req := &http.Request{
			Method: method,
			URL:    &url.URL{Scheme: "https", Host: hwTestHost, Path: path, RawQuery: rawQuery},
			Host:   hwTestHost,
			Header: http.Header{},
		}
		if hwIsToken(hname) {
			req.Header.Add(hname, hvalue)
		}
		creds := HuaweiCredentials{AccessKey: ak, SecretKey: sk, SecurityToken: token, ProjectID: "p"}
		secrets := func(k string) (string, bool) { return sk, k == ak }
		payload := hwSHA(body)
		for _, fl := range hwFlavours {
			r := req.Clone(t.Context())
			if err := fl.sign(r, payload, creds, hwTestTime); err != nil {
				continue // invalid input is reported, never signed
			}
			id, err := fl.verify(r, payload, secrets, hwTestTime, 0)
			if err != nil {
				t.Fatalf("%s: signed request does not verify: %v", fl.name, err)
			}
			if id.AccessKey != ak || id.SecurityToken != token || !id.Time.Equal(hwTestTime) {
				t.Fatalf("%s: identity %v", fl.name, id)
			}
			a := r.Header.Get("Authorization")
			flip := byte('0')
			if a[len(a)-1] == '0' {
				flip = '1'
			}
			r.Header.Set("Authorization", a[:len(a)-1]+string(flip))
			if _, err := fl.verify(r, payload, secrets, hwTestTime, 0); err == nil {
				t.Fatalf("%s: changed signature verifies", fl.name)
			}
		}
	})
}
