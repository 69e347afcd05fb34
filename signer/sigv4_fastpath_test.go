package signer

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
)

// The fast paths of the canonical request must give exactly what the plain
// definitions give. These tests compare them on many generated inputs.

func v4RandString(r *rand.Rand, alphabet string, maxLen int) string {
	b := make([]byte, r.IntN(maxLen+1))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

func TestV4UnreservedSet(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		want := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
		if got := v4Unreserved(byte(c)); got != want {
			t.Errorf("v4Unreserved(%#x) = %t, want %t", c, got, want)
		}
	}
}

// v4HeaderValueRef is AWS's Trimall as first written: trim spaces and tabs,
// collapse runs of spaces.
func v4HeaderValueRef(v string) string {
	v = strings.Trim(v, " \t")
	var b strings.Builder
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}

func TestV4AppendHeaderValueMatchesReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 50000 {
		v := v4RandString(r, "  \t\ta,x", 12)
		if got, want := string(v4AppendHeaderValue([]byte("p:"), v)), "p:"+v4HeaderValueRef(v); got != want {
			t.Fatalf("value %q: got %q, want %q", v, got, want)
		}
	}
}

func TestV4CanonicalURIMatchesReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for range 50000 {
		raw := v4RandString(r, "//aZ09-._~%2Ff é+*:@", 14)
		u, err := url.Parse("http://h/" + strings.TrimPrefix(raw, "/"))
		if err != nil {
			u = &url.URL{Path: raw}
		}
		for _, p := range []*url.URL{u, {Path: raw}, {Path: raw, RawPath: raw}} {
			want := "/"
			if e := p.EscapedPath(); e != "" {
				want = string(v4AppendEscaped(nil, e, true))
			}
			if got := string(v4AppendCanonicalURI(nil, p, false, false)); got != want {
				t.Fatalf("path %q raw %q: got %q, want %q", p.Path, p.RawPath, got, want)
			}
		}
	}
}

// TestSigV4AuthorizeChecksAfterCaching checks that a cached key does not let
// invalid input through: the authorizer must fail exactly as SignV4 does
// once anything the key was derived for changes.
func TestSigV4AuthorizeChecksAfterCaching(t *testing.T) {
	t.Parallel()
	badToken := v4TestCredsToken
	badToken.SessionToken = "tok\nen"
	badAK := v4TestCreds
	badAK.AccessKeyID = "AK/ID"
	for _, c := range []struct {
		name            string
		creds           AWSCredentials
		service, region string
		payload         string
	}{
		{"token", badToken, "profile", "us-east-1", v4EmptySHA256},
		{"access key", badAK, "profile", "us-east-1", v4EmptySHA256},
		{"service", v4TestCreds, "pro file", "us-east-1", v4EmptySHA256},
		{"region", v4TestCreds, "profile", "us/east-1", v4EmptySHA256},
		{"payload", v4TestCreds, "profile", "us-east-1", "E3B0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a := &SigV4{Credentials: &v4FakeProvider{creds: v4TestCreds}, Service: "profile", Region: "us-east-1"}
			req := v4NewRequest(t, "GET", "https://"+v4CPHost+"/", "")
			if err := a.Authorize(t.Context(), req, v4EmptySHA256, v4T0); err != nil {
				t.Fatal(err)
			}
			a.Credentials = &v4FakeProvider{creds: c.creds}
			a.Service, a.Region = c.service, c.region
			got := a.Authorize(t.Context(), req, c.payload, v4T0)
			want := SignV4(req, c.payload, c.creds, c.service, c.region, v4T0)
			if got == nil || want == nil || got.Error() != want.Error() {
				t.Fatalf("Authorize after caching: %v; SignV4: %v", got, want)
			}
		})
	}
}
