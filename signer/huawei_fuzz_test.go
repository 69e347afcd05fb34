package signer

import (
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
