package privatedns

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/transport"
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

// FuzzAssociateRouterRequest checks, for any input, that validation either
// rejects it or the request has the documented shape, as for
// DisassociateRouter.
func FuzzAssociateRouterRequest(f *testing.F) {
	f.Add(testZoneID, testRouterID, "cn-north-4")
	f.Add(testOddZoneID, `odd "router" \ id ü`, "")
	f.Add("a/b%2F..", "\u2028", "eu\x00de")
	f.Add("..", "r", "r")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, zone, router, region string) {
		in := &AssociateRouterInput{ZoneID: zone, RouterID: router, RouterRegion: region}
		if err := in.validate(); err != nil {
			return
		}
		req := in.request()
		if req.Method != "POST" || req.ContentType != "application/json" || req.RawQuery != "" {
			t.Fatalf("request %+v", req)
		}
		rest, ok := strings.CutPrefix(req.Path, "/v2/zones/")
		seg, ok2 := strings.CutSuffix(rest, "/associaterouter")
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

// FuzzShowPrivateZoneRequest checks that a valid zone ID becomes exactly
// one path segment of a body-less GET.
func FuzzShowPrivateZoneRequest(f *testing.F) {
	f.Add(testZoneID)
	f.Add(testOddZoneID)
	f.Add("a/b%2F..")
	f.Add("..")
	f.Add("z\x00")
	f.Fuzz(func(t *testing.T, zone string) {
		in := &ShowPrivateZoneInput{ZoneID: zone}
		if err := in.validate(); err != nil {
			return
		}
		req := in.request()
		seg, ok := strings.CutPrefix(req.Path, "/v2/zones/")
		if req.Method != "GET" || req.Body != nil || req.ContentType != "" || !ok || strings.Contains(seg, "/") {
			t.Fatalf("request %+v", req)
		}
		if got, err := url.PathUnescape(seg); err != nil || got != zone {
			t.Fatalf("zone segment %q decodes to %q (%v), want %q", seg, got, err, zone)
		}
	})
}

// FuzzShowPrivateZoneDecode feeds any body to the zone decoding, which
// reads untrusted input: it must never panic, and a zone it accepts has an
// ID, every router, and times in UTC.
func FuzzShowPrivateZoneDecode(f *testing.F) {
	f.Add([]byte(testZoneBody))
	f.Add([]byte(`{"id":"z","created_at":"2024-03-01T01:00:00.5+02:00","routers":[{"router_id":"r"}]}`))
	f.Add([]byte(`{"id":"z","updated_at":"2017-04-22T08:17:08"}`))
	f.Add([]byte(`{"id":"z","created_at":"9999-99-99T99:99:99.999"}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(``))
	f.Add([]byte(`{"id":1}`))
	f.Add([]byte(`{"id":"z","routers":[null,{}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := &transport.Response{StatusCode: 200, Body: body, Metadata: transport.Metadata{RequestID: "rid"}}
		var z zoneJSON
		if err := transport.DecodeJSON(resp, &z); err != nil {
			return
		}
		out, err := z.output(resp)
		if err != nil {
			var de *transport.DecodeError
			if !errors.As(err, &de) || de.RequestID != "rid" {
				t.Fatalf("error %v is not a DecodeError with the request ID", err)
			}
			return
		}
		if out.ID == "" || len(out.Routers) != len(z.Routers) || out.Metadata.RequestID != "rid" {
			t.Fatalf("output %+v from %q", out, body)
		}
		for _, tm := range []time.Time{out.CreatedAt, out.UpdatedAt} {
			if !tm.IsZero() && tm.Location() != time.UTC {
				t.Fatalf("time %v is not UTC", tm)
			}
		}
	})
}
