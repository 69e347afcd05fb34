package customerprofiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/transport"
)

// encodingJSONBody is the body encoding/json writes with HTML escaping off,
// the form aws-sdk-go-v2 sends; the hand-written body must equal it.
func encodingJSONBody(t *testing.T, in *DeleteProfileObjectInput) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		ObjectTypeName         string
		ProfileID              string `json:"ProfileId"`
		ProfileObjectUniqueKey string
	}{in.ObjectTypeName, in.ProfileID, in.ProfileObjectUniqueKey})
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// FuzzDeleteProfileObjectRequest: any input either fails validation with a
// *transport.ValidationError, or builds a POST whose one path parameter
// decodes back to DomainName and whose body decodes back to the other three
// members, byte for byte what encoding/json would write.
func FuzzDeleteProfileObjectRequest(f *testing.F) {
	f.Add("ExampleDomain", "CTR", "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60", "MTIzNDU2Nzg5MA==")
	f.Add("d_1-x", "_Type-2", "0123456789abcdef0123456789abcdef", `<a&b> "q" \ ü😀 /`)
	f.Add("dom ain/%é", "1bad", "DB3C", "")
	f.Add(".", "T", "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60", "k\u2028\u2029€")
	f.Add("d", "T", "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60", "\x7f\u0085")
	f.Add("d", "T", "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60", "a\tb\nc\x00")
	f.Fuzz(func(t *testing.T, domain, typeName, profileID, key string) {
		in := &DeleteProfileObjectInput{DomainName: domain, ObjectTypeName: typeName, ProfileID: profileID, ProfileObjectUniqueKey: key}
		if err := in.validate(); err != nil {
			var ve *transport.ValidationError
			if !errors.As(err, &ve) || ve.Field == "" || ve.Rule == "" {
				t.Fatalf("validate error %v is not a ValidationError naming a field", err)
			}
			return
		}
		req := in.request()
		if req.Method != http.MethodPost || req.ContentType != "application/json" || req.RawQuery != "" {
			t.Fatalf("request = %+v", req)
		}
		rest, ok := strings.CutPrefix(req.Path, "/domains/")
		seg, ok2 := strings.CutSuffix(rest, "/profiles/objects/delete")
		if !ok || !ok2 || strings.Contains(seg, "/") {
			t.Fatalf("path %q has the wrong shape", req.Path)
		}
		if got, err := url.PathUnescape(seg); err != nil || got != domain {
			t.Fatalf("segment %q decodes to %q, %v; want %q", seg, got, err, domain)
		}
		var got map[string]string
		if err := json.Unmarshal(req.Body, &got); err != nil {
			t.Fatalf("body %q is not JSON: %v", req.Body, err)
		}
		want := map[string]string{"ObjectTypeName": typeName, "ProfileId": profileID, "ProfileObjectUniqueKey": key}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("body round trip (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(string(encodingJSONBody(t, in)), string(req.Body)); diff != "" {
			t.Fatalf("body differs from encoding/json's (-json +ours):\n%s", diff)
		}
	})
}

// FuzzAppendJSONString checks the string escaper alone, over any valid
// UTF-8 (control characters included, which ProfileObjectUniqueKey may
// hold).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\", "\n\r\t\b\f\x00\x1f", "<>&", "\u2028\u2029", "\xe2\x80", "€\xe2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = strings.ToValidUTF8(s, "\uFFFD")
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want := strings.TrimSuffix(buf.String(), "\n")
		if got := string(appendJSONString(nil, s)); got != want {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

func BenchmarkDeleteProfileObjectRequest(b *testing.B) {
	in := &DeleteProfileObjectInput{DomainName: "ExampleDomain", ObjectTypeName: "CTR",
		ProfileID: "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60", ProfileObjectUniqueKey: "MTIzNDU2Nzg5MA=="}
	b.ReportAllocs()
	for b.Loop() {
		if err := in.validate(); err != nil {
			b.Fatal(err)
		}
		_ = in.request()
	}
}
