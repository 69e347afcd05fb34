package signer

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// v4CheckEncoded reports the first byte of s that is neither unreserved, one
// of the extra bytes allowed, nor part of a %XX escape with upper-case hex.
func v4CheckEncoded(s, extra string) (int, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case v4Unreserved(c) || strings.IndexByte(extra, c) >= 0:
		case c == '%' && i+2 < len(s) && strings.IndexByte(v4UpperHex, s[i+1]) >= 0 && strings.IndexByte(v4UpperHex, s[i+2]) >= 0:
			i += 2
		default:
			return i, false
		}
	}
	return 0, true
}

func FuzzV4CanonicalURI(f *testing.F) {
	for _, s := range []string{"", "/", "/a b/ü", "/rp%2F1", "/100%25", "//a/./b/../c//", "/%zz", "a/..", "/\x00\xff", "/%", "/%2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse("http://h/" + strings.TrimPrefix(raw, "/"))
		if err != nil {
			u = &url.URL{Path: raw}
		}
		for _, single := range []bool{false, true} {
			for _, normalize := range []bool{false, true} {
				got := string(v4AppendCanonicalURI(nil, u, single, normalize))
				if i, ok := v4CheckEncoded(got, "/"); !ok {
					t.Fatalf("canonical URI %q (single=%v normalize=%v) has a bad byte at %d", got, single, normalize, i)
				}
				if got == "" {
					t.Fatalf("canonical URI of %q is empty", u.Path)
				}
				if normalize || got == "/" && u.EscapedPath() == "" {
					continue
				}
				// Decoding once gives back exactly the escaped path (double)
				// or the decoded path (single).
				back, err := url.PathUnescape(got)
				if err != nil {
					t.Fatalf("canonical URI %q does not decode: %v", got, err)
				}
				want := u.EscapedPath()
				if single {
					want = u.Path
				}
				if back != want {
					t.Fatalf("canonical URI %q decodes to %q, want %q", got, back, want)
				}
			}
		}
	})
}

func FuzzV4CanonicalQuery(f *testing.F) {
	for _, s := range []string{"", "a=1", "b=2&a=1&a=0", "q=a+b%20c", "flag", "=", "&&", "%zz=1", "k=%", "a;b=c", "%E1%88%B4=v", "k=a/b&k=a-b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := string(v4AppendCanonicalQuery(nil, raw))
		if i, ok := v4CheckEncoded(got, "=&"); !ok {
			t.Fatalf("canonical query %q has a bad byte at %d", got, i)
		}
		type pair struct{ k, v string }
		var out []pair
		if got != "" {
			for seg := range strings.SplitSeq(got, "&") {
				k, v, ok := strings.Cut(seg, "=")
				if !ok || strings.Contains(v, "=") {
					t.Fatalf("canonical query %q has segment %q that is not k=v", got, seg)
				}
				out = append(out, pair{k, v})
			}
		}
		if !slices.IsSortedFunc(out, func(a, b pair) int {
			if c := strings.Compare(a.k, b.k); c != 0 {
				return c
			}
			return strings.Compare(a.v, b.v)
		}) {
			t.Fatalf("canonical query %q is not sorted", got)
		}
		// Where url.ParseQuery accepts the input, the output holds the same
		// multiset of decoded pairs.
		want, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var wantPairs, gotPairs []string
		for k, vs := range want {
			for _, v := range vs {
				wantPairs = append(wantPairs, k+"\x00"+v)
			}
		}
		for _, p := range out {
			k, err1 := url.PathUnescape(p.k)
			v, err2 := url.PathUnescape(p.v)
			if err1 != nil || err2 != nil {
				t.Fatalf("canonical query %q does not decode", got)
			}
			gotPairs = append(gotPairs, k+"\x00"+v)
		}
		slices.Sort(wantPairs)
		slices.Sort(gotPairs)
		if !slices.Equal(wantPairs, gotPairs) {
			t.Fatalf("canonical query of %q decodes to %q, want %q", raw, gotPairs, wantPairs)
		}
	})
}
