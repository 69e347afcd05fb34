package route53profiles

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/detach-go/detach/transport"
)

// FuzzDisassociateProfileRequest: any input either fails validation with a
// *transport.ValidationError, or builds a DELETE without a body whose path
// has exactly two ID segments that decode back to the given IDs.
func FuzzDisassociateProfileRequest(f *testing.F) {
	for _, s := range [][2]string{
		{"rp-4987d5b8e8EXAMPLE", "vpc-0123456789abcdef0"},
		{"rp with space", "vpc/a/b"},
		{"rp%2F1", "100%"},
		{"rp-ü-日本", "vpc-é😀"},
		{"a!*'();:@&=+$,?#[]b", "-._~AZaz09"},
		{"rp-1", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123"},
		{".", ".."},
		{"", "x"},
		{"\x00", "\xff"},
		{strings.Repeat("a", 65), "b"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, profileID, resourceID string) {
		in := &DisassociateProfileInput{ProfileID: profileID, ResourceID: resourceID}
		if err := in.validate(); err != nil {
			var ve *transport.ValidationError
			if !errors.As(err, &ve) || (ve.Field != "ProfileID" && ve.Field != "ResourceID") {
				t.Fatalf("validate error %v is not a ValidationError naming a field", err)
			}
			return
		}
		req := in.request()
		if req.Method != http.MethodDelete || req.Body != nil || req.ContentType != "" || req.RawQuery != "" {
			t.Fatalf("request = %+v", req)
		}
		parts := strings.Split(req.Path, "/")
		if len(parts) != 6 || parts[0] != "" || parts[1] != "profileassociation" || parts[2] != "Profileid" || parts[4] != "resourceid" {
			t.Fatalf("path %q has the wrong shape", req.Path)
		}
		for i, want := range map[int]string{3: profileID, 5: resourceID} {
			got, err := url.PathUnescape(parts[i])
			if err != nil || got != want {
				t.Fatalf("segment %q decodes to %q, %v; want %q", parts[i], got, err, want)
			}
			if parts[i] == "." || parts[i] == ".." {
				t.Fatalf("dot segment %q in %q", parts[i], req.Path)
			}
		}
	})
}

func BenchmarkDisassociateProfileRequest(b *testing.B) {
	in := &DisassociateProfileInput{ProfileID: "rp-4987d5b8e8EXAMPLE", ResourceID: "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123"}
	b.ReportAllocs()
	for b.Loop() {
		if err := in.validate(); err != nil {
			b.Fatal(err)
		}
		_ = in.request()
	}
}

func BenchmarkParseEpochSeconds(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := parseEpochSeconds("1717171717.123"); !ok {
			b.Fatal("not parsed")
		}
	}
}
