package privatedns

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDisassociateRouterRequest checks, for any input, that validation
// either rejects it or the request has the documented shape: the zone ID is
// exactly one path segment that decodes back to it, and the body is JSON
// that decodes back to the router ID and region.
func FuzzDisassociateRouterRequest(f *testing.F) {
	f.Add(testZoneID, testRouterID, "cn-north-4")
	f.Add(testOddZoneID, `odd "router" \ id ü`, "")
	f.Add("a/b%2F..", "\u2028", "eu\x00de")
	f.Add("..", "r", "r")
	f.Add("z", "<script>&amp;</script>", "\xff")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, zone, router, region string) {
		in := &DisassociateRouterInput{ZoneID: zone, RouterID: router, RouterRegion: region}
		if err := in.validate(); err != nil {
			return
		}
		req := in.request()
		if req.Method != "POST" || req.ContentType != "application/json" || req.RawQuery != "" {
			t.Fatalf("request %+v", req)
		}
		rest, ok := strings.CutPrefix(req.Path, "/v2/zones/")
		seg, ok2 := strings.CutSuffix(rest, "/disassociaterouter")
		if !ok || !ok2 || strings.Contains(seg, "/") {
			t.Fatalf("path %q does not have the documented shape", req.Path)
		}
		if got, err := url.PathUnescape(seg); err != nil || got != zone {
			t.Fatalf("zone segment %q decodes to %q (%v), want %q", seg, got, err, zone)
		}
		var body map[string]map[string]string
		if err := json.Unmarshal(req.Body, &body); err != nil {
			t.Fatalf("body %q is not JSON: %v", req.Body, err)
		}
		want := map[string]map[string]string{"router": {"router_id": router}}
		if region != "" {
			want["router"]["router_region"] = region
		}
		if diff := cmp.Diff(want, body); diff != "" {
			t.Fatalf("body %q (-want +got):\n%s", req.Body, diff)
		}
	})
}

// TestAppendJSONStringMatchesEncodingJSON checks the hand-written escaping
// on strings validation would reject too: it must always produce JSON.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "ctl\x00\x01\x1f", "tab\there", "ü€😀", "\u2028", "<&>"} {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil || got != s {
			t.Errorf("appendJSONString(%q) = %s, decodes to %q (%v)", s, appendJSONString(nil, s), got, err)
		}
	}
}
