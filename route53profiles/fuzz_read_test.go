package route53profiles

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/detach-go/detach/transport"
)

// FuzzGetProfileAssociationRequest: any ID either fails validation with a
// *transport.ValidationError naming the field, or builds a GET without a
// body whose path has exactly one ID segment that decodes back to it.
func FuzzGetProfileAssociationRequest(f *testing.F) {
	for _, s := range []string{"rpassoc-489ce212fexample", "a b/c", "100%", "ü?#", ".", "..", "...", "", "\x7f", "\xff",
		strings.Repeat("x", 64), strings.Repeat("x", 65)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		in := &GetProfileAssociationInput{ProfileAssociationID: id}
		if err := in.validate(); err != nil {
			var ve *transport.ValidationError
			if !errors.As(err, &ve) || ve.Field != "ProfileAssociationID" {
				t.Fatalf("validate error %v is not a ValidationError naming the field", err)
			}
			return
		}
		req := in.request()
		if req.Method != http.MethodGet || req.Body != nil || req.ContentType != "" || req.RawQuery != "" {
			t.Fatalf("request = %+v", req)
		}
		seg, ok := strings.CutPrefix(req.Path, "/profileassociation/")
		if !ok || strings.Contains(seg, "/") || seg == "." || seg == ".." {
			t.Fatalf("path %q has the wrong shape", req.Path)
		}
		if got, err := url.PathUnescape(seg); err != nil || got != id {
			t.Fatalf("segment %q decodes to %q, %v; want %q", seg, got, err, id)
		}
	})
}

// FuzzListProfileAssociationsRequest: any input either fails validation
// with a *transport.ValidationError naming a field, or builds a GET whose
// query is exactly the SigV4 canonical form of the given fields (what
// url.Values.Encode makes of them, with %20 for a space: the form
// aws-sdk-go-v2 sends) and decodes back to them.
func FuzzListProfileAssociationsRequest(f *testing.F) {
	f.Add("rp-1", "vpc-1", int32(0), "")
	f.Add("", "", int32(100), "tok en+/=")
	f.Add("ü&x=1", "arn:aws:ec2:r:1:vpc/v~._-", int32(1), "%zz")
	f.Add("\n", "", int32(-1), "")
	f.Add("", "\xff", int32(101), "\x00")
	f.Fuzz(func(t *testing.T, profileID, resourceID string, maxResults int32, nextToken string) {
		in := &ListProfileAssociationsInput{ProfileID: profileID, ResourceID: resourceID, MaxResults: maxResults, NextToken: nextToken}
		if err := in.validate(); err != nil {
			var ve *transport.ValidationError
			if !errors.As(err, &ve) || (ve.Field != "ProfileID" && ve.Field != "ResourceID" && ve.Field != "MaxResults") {
				t.Fatalf("validate error %v is not a ValidationError naming a field", err)
			}
			return
		}
		req := in.request()
		if req.Method != http.MethodGet || req.Path != "/profileassociations" || req.Body != nil || req.ContentType != "" {
			t.Fatalf("request = %+v", req)
		}
		want := url.Values{}
		if maxResults != 0 {
			want.Set("maxResults", strconv.Itoa(int(maxResults)))
		}
		for k, v := range map[string]string{"nextToken": nextToken, "profileId": profileID, "resourceId": resourceID} {
			if v != "" {
				want.Set(k, v)
			}
		}
		// url.Values.Encode writes "+" only for a space (a "+" is %2B).
		if enc := strings.ReplaceAll(want.Encode(), "+", "%20"); req.RawQuery != enc {
			t.Fatalf("query %q, want %q", req.RawQuery, enc)
		}
		got, err := url.ParseQuery(req.RawQuery)
		if err != nil || len(got) != len(want) {
			t.Fatalf("query %q parses to %v, %v", req.RawQuery, got, err)
		}
		for k := range want {
			if got.Get(k) != want.Get(k) {
				t.Fatalf("%s = %q, want %q", k, got.Get(k), want.Get(k))
			}
		}
	})
}

func BenchmarkListProfileAssociationsRequest(b *testing.B) {
	in := &ListProfileAssociationsInput{ProfileID: "rp-4987d5b8e8EXAMPLE", ResourceID: "vpc-0123456789abcdef0", MaxResults: 50,
		NextToken: "AAMA-EFRSURBSGl0WlZwL2ZhNGFQ+example/token=="}
	b.ReportAllocs()
	for b.Loop() {
		if err := in.validate(); err != nil {
			b.Fatal(err)
		}
		_ = in.request()
	}
}
