package wire

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/transport"
)

func TestSegment(t *testing.T) {
	t.Parallel()
	// The aws.md §2.3 table: botocore and aws-sdk-go-v2 escape labels so.
	tests := map[string]string{
		"":                     "",
		"rp-4987d5b8e8EXAMPLE": "rp-4987d5b8e8EXAMPLE",
		"rp with space":        "rp%20with%20space",
		"rp/1":                 "rp%2F1",
		"rp%2F1":               "rp%252F1",
		"100%":                 "100%25",
		"rp-ü-日本":              "rp-%C3%BC-%E6%97%A5%E6%9C%AC",
		"vpc-é😀":               "vpc-%C3%A9%F0%9F%98%80",
		"a!*'();:@&=+$,?#[]b":  "a%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%3F%23%5B%5Db",
		"-._~AZaz09":           "-._~AZaz09",
		"..":                   "..",
		"\x00\x7f\xff":         "%00%7F%FF",
	}
	for in, want := range tests {
		if got := Segment(in); got != want {
			t.Errorf("Segment(%q) = %q, want %q", in, got, want)
		}
		if got := string(AppendSegment([]byte("/x"), in)); got != "/x/"+want {
			t.Errorf("AppendSegment(%q) = %q, want %q", in, got, "/x/"+want)
		}
	}
}

func FuzzSegment(f *testing.F) {
	for _, s := range []string{"", "a b", "rp/1", "%", "ü", "..", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		esc := Segment(s)
		if strings.ContainsAny(esc, "/?#") {
			t.Fatalf("Segment(%q) = %q: a separator survived", s, esc)
		}
		back, err := url.PathUnescape(esc)
		if err != nil || back != s {
			t.Fatalf("PathUnescape(Segment(%q)) = %q, %v", s, back, err)
		}
		for i := 0; i < len(esc); i++ {
			if c := esc[i]; c != '%' && !unreserved[c] {
				t.Fatalf("Segment(%q) = %q has the reserved byte %q", s, esc, c)
			}
		}
	})
}

func TestRules(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err  error
		rule string // "" means valid
	}{
		"valid":            {PathID("F", "rp-1", 1, 64), ""},
		"empty":            {PathID("F", "", 1, 64), "is required"},
		"too long":         {PathID("F", strings.Repeat("a", 65), 1, 64), "must be 1 to 64 characters"},
		"runes counted":    {PathID("F", strings.Repeat("ü", 64), 1, 64), ""},
		"exact length":     {Text("F", "abc", 20, 20), "must be exactly 20 characters"},
		"no upper bound":   {Text("F", "a", 2, 0), "must be at least 2 characters"},
		"dot":              {PathID("F", ".", 1, 64), `must not be "." or ".."`},
		"dot dot":          {PathID("F", "..", 1, 64), `must not be "." or ".."`},
		"three dots":       {PathID("F", "...", 1, 64), ""},
		"line feed":        {PathID("F", "a\nb", 1, 64), "must not contain control characters"},
		"C1 control":       {Text("F", "a\u009bb", 1, 64), "must not contain control characters"},
		"line separator":   {Text("F", "a\u2028b", 1, 64), "must not contain control characters"},
		"invalid UTF-8":    {Text("F", "a\xffb", 1, 64), "must be valid UTF-8"},
		"pattern broken":   {Match("F", "x", func(string) bool { return false }, "must match ^y$"), "must match ^y$"},
		"pattern kept":     {Match("F", "y", func(string) bool { return true }, "must match ^y$"), ""},
		"nil input":        {Nil("input"), "is required (got nil)"},
		"slash is allowed": {PathID("F", "a/b", 1, 64), ""},
		"body: tab":        {BodyText("F", "a\tb", 1, 64), ""},
		"body: NUL and C1": {BodyText("F", "a\x00\u009b\u2028b", 1, 64), ""},
		"body: too long":   {BodyText("F", strings.Repeat("\t", 65), 1, 64), "must be 1 to 64 characters"},
		"body: empty":      {BodyText("F", "", 1, 64), "is required"},
		"body: bad UTF-8":  {BodyText("F", "a\xffb", 1, 64), "must be valid UTF-8"},
		"text: tab":        {Text("F", "a\tb", 1, 64), "must not contain control characters"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if tt.rule == "" {
				if tt.err != nil {
					t.Fatalf("error = %v, want none", tt.err)
				}
				return
			}
			var ve *transport.ValidationError
			if !errors.As(tt.err, &ve) || !errors.Is(tt.err, transport.ErrInvalidInput) {
				t.Fatalf("error = %v, want a *transport.ValidationError", tt.err)
			}
			if diff := cmp.Diff(tt.rule, ve.Rule); diff != "" {
				t.Errorf("rule (-want +got):\n%s", diff)
			}
		})
	}
}
