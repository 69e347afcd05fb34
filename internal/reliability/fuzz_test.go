package reliability

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// fuzzEndpoint is the endpoint of the fuzzed clients; its base path must
// stay in front of every request path.
const fuzzEndpoint = "https://fuzz.example.test/base%2Fpath/"

// capture is an in-memory Doer that records each request and answers with
// respond.
type capture struct {
	respond func(req *http.Request) *http.Response

	mu   sync.Mutex
	reqs []captured
}

type captured struct {
	method, host, uri string
	body              []byte
}

func (c *capture) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	c.mu.Lock()
	c.reqs = append(c.reqs, captured{req.Method, req.URL.Host, req.URL.RequestURI(), body})
	c.mu.Unlock()
	return c.respond(req), nil
}

// fuzzRequest is the body of the request fuzzers: whatever the input, the
// call either fails validation naming one of the input's fields, with no
// request, or sends one request to the endpoint's host whose path, under
// the endpoint's base path, decodes back to exactly the input's IDs, whose
// query (for ListProfileAssociations; none elsewhere) decodes back to
// exactly its filters, canonically escaped, and whose body is exactly the
// input's other fields.
func fuzzRequest(t *testing.T, o *operation, target string, in any) {
	figures.fuzzed(target)
	doer := &capture{respond: o.okResp}
	c, err := o.client(fuzzEndpoint, transport.Settings{HTTPClient: doer, Retry: transport.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	_, meta, err := c.call(context.Background(), in)
	if err != nil {
		got := classify(t, meta, err)
		known := false
		for _, f := range fieldsOf(o) {
			known = known || f.name == got.Field
		}
		if got.Kind != "validation" || !known {
			t.Fatalf("error %v is not a validation error naming a field", err)
		}
		if len(doer.reqs) != 0 {
			t.Fatalf("invalid input %+v sent %d requests", in, len(doer.reqs))
		}
		checkErrorText(t, err)
		return
	}
	if len(doer.reqs) != 1 {
		t.Fatalf("%d requests sent", len(doer.reqs))
	}
	r := doer.reqs[0]
	const prefix = "/base%2Fpath"
	path, query, hasQuery := strings.Cut(r.uri, "?")
	switch {
	case r.method != o.method || r.host != "fuzz.example.test":
		t.Fatalf("request %s to %s", r.method, r.host)
	case !strings.HasPrefix(path, prefix+"/"):
		t.Fatalf("request path %q is not under the endpoint's base path", path)
	}
	if err := o.checkPath(strings.TrimPrefix(path, prefix), in); err != nil {
		t.Fatal(err)
	}
	if err := o.checkQuery(query, hasQuery, in); err != nil {
		t.Fatal(err)
	}
	if err := o.checkBody(r.body, in); err != nil {
		t.Fatal(err)
	}
}

// seedStrings are values every request fuzzer starts from.
func seedStrings() []string {
	return []string{"", "a", ".", "..", "/", "?", "#", "%", "%2F", "a/../b", "é日本😀", "a\r\nb", "\x00", "\xff",
		"\u2028", "\u0085", strings.Repeat("a", 64), strings.Repeat("a", 65), strings.Repeat("é", 64), " ", "+", "\\"}
}

func FuzzRoute53ProfilesRequest(f *testing.F) {
	o := opRoute53Profiles()
	x := o.input(0).(*route53profiles.DisassociateProfileInput)
	f.Add(x.ProfileID, x.ResourceID)
	for _, s := range seedStrings() {
		f.Add(s, x.ResourceID)
		f.Add(x.ProfileID, s)
	}
	f.Fuzz(func(t *testing.T, profileID, resourceID string) {
		fuzzRequest(t, o, "Route53ProfilesRequest",
			&route53profiles.DisassociateProfileInput{ProfileID: profileID, ResourceID: resourceID})
	})
}

func FuzzCustomerProfilesRequest(f *testing.F) {
	o := opCustomerProfiles()
	x := o.input(0).(*customerprofiles.DeleteProfileObjectInput)
	f.Add(x.DomainName, x.ObjectTypeName, x.ProfileID, x.ProfileObjectUniqueKey)
	for _, s := range seedStrings() {
		f.Add(s, x.ObjectTypeName, x.ProfileID, x.ProfileObjectUniqueKey)
		f.Add(x.DomainName, s, x.ProfileID, x.ProfileObjectUniqueKey)
		f.Add(x.DomainName, x.ObjectTypeName, s, x.ProfileObjectUniqueKey)
		f.Add(x.DomainName, x.ObjectTypeName, x.ProfileID, s)
	}
	f.Fuzz(func(t *testing.T, domain, typeName, profileID, key string) {
		fuzzRequest(t, o, "CustomerProfilesRequest", &customerprofiles.DeleteProfileObjectInput{
			DomainName: domain, ObjectTypeName: typeName, ProfileID: profileID, ProfileObjectUniqueKey: key})
	})
}

func FuzzIdentityCenterRequest(f *testing.F) {
	o := opIdentityCenter()
	x := o.input(0).(*identitycenter.DeleteProfileInput)
	f.Add(x.InstanceID, x.ApplicationInstanceID, x.ProfileID)
	for _, s := range seedStrings() {
		f.Add((s + strings.Repeat("x", 20))[:20], x.ApplicationInstanceID, x.ProfileID)
		f.Add(x.InstanceID, "app-ins-"+s, x.ProfileID)
		f.Add(x.InstanceID, x.ApplicationInstanceID, s)
	}
	f.Fuzz(func(t *testing.T, instanceID, appID, profileID string) {
		fuzzRequest(t, o, "IdentityCenterRequest", &identitycenter.DeleteProfileInput{
			InstanceID: instanceID, ApplicationInstanceID: appID, ProfileID: profileID})
	})
}

func FuzzPrivateDNSRequest(f *testing.F) {
	o := opPrivateDNS()
	x := o.input(0).(*privatedns.DisassociateRouterInput)
	f.Add(x.ZoneID, x.RouterID, "")
	for _, s := range seedStrings() {
		f.Add(s, x.RouterID, "")
		f.Add(x.ZoneID, s, "cn-north-4")
		f.Add(x.ZoneID, x.RouterID, s)
	}
	f.Fuzz(func(t *testing.T, zoneID, routerID, region string) {
		fuzzRequest(t, o, "PrivateDNSRequest", &privatedns.DisassociateRouterInput{
			ZoneID: zoneID, RouterID: routerID, RouterRegion: region})
	})
}

func FuzzGetProfileAssociationRequest(f *testing.F) {
	o := opGetProfileAssociation()
	f.Add(fakecloud.R53AssociationID)
	for _, s := range seedStrings() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		fuzzRequest(t, o, "GetProfileAssociationRequest", &route53profiles.GetProfileAssociationInput{ProfileAssociationID: id})
	})
}

func FuzzListProfileAssociationsRequest(f *testing.F) {
	o := opListProfileAssociations()
	x := o.input(0).(*route53profiles.ListProfileAssociationsInput)
	f.Add(x.ProfileID, x.ResourceID, "", int32(0))
	for i, s := range seedStrings() {
		n := []int32{-1, 0, 1, 100, 101, math.MaxInt32, math.MinInt32}[i%7]
		f.Add(s, x.ResourceID, "", n)
		f.Add(x.ProfileID, s, "fakecloud1.cnBhc3NvYy0x", int32(0))
		f.Add("", "", s, int32(10))
	}
	f.Fuzz(func(t *testing.T, profileID, resourceID, nextToken string, maxResults int32) {
		fuzzRequest(t, o, "ListProfileAssociationsRequest", &route53profiles.ListProfileAssociationsInput{
			ProfileID: profileID, ResourceID: resourceID, NextToken: nextToken, MaxResults: maxResults})
	})
}

func FuzzShowPrivateZoneRequest(f *testing.F) {
	o := opShowPrivateZone()
	f.Add(fakecloud.HuaweiZoneID)
	for _, s := range seedStrings() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, zoneID string) {
		fuzzRequest(t, o, "ShowPrivateZoneRequest", &privatedns.ShowPrivateZoneInput{ZoneID: zoneID})
	})
}

func FuzzAssociateRouterRequest(f *testing.F) {
	o := opAssociateRouter()
	x := o.input(0).(*privatedns.AssociateRouterInput)
	f.Add(x.ZoneID, x.RouterID, "")
	for _, s := range seedStrings() {
		f.Add(s, x.RouterID, "")
		f.Add(x.ZoneID, s, "cn-north-4")
		f.Add(x.ZoneID, x.RouterID, s)
	}
	f.Fuzz(func(t *testing.T, zoneID, routerID, region string) {
		fuzzRequest(t, o, "AssociateRouterRequest", &privatedns.AssociateRouterInput{
			ZoneID: zoneID, RouterID: routerID, RouterRegion: region})
	})
}

// fuzzMaxResponse is the fuzzed clients' body limit, small so that fuzzing
// reaches it.
const fuzzMaxResponse = 4 << 10

// fuzzResponse is the body of the response fuzzers: a real client gets a
// response with any status, headers and body from an in-memory Doer. It
// must not panic, must end after at most two attempts (a clock-skew
// correction is free) and must return either a 2xx output or one of the
// transport's typed errors, whose text is one clean line.
func fuzzResponse(t *testing.T, o *operation, target string, status uint16, rawHeader string, body []byte, unknownLength bool) {
	figures.fuzzed(target)
	h := http.Header{}
	for _, line := range strings.Split(rawHeader, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k != "" {
			h.Add(k, strings.TrimSpace(v))
		}
	}
	code := int(status) % 1000
	doer := &capture{respond: func(req *http.Request) *http.Response {
		r := answer(req, code, h.Clone(), body)
		if unknownLength {
			r.ContentLength = -1
		}
		return r
	}}
	c, err := o.client(fuzzEndpoint, transport.Settings{HTTPClient: doer, Retry: transport.RetryPolicy{MaxAttempts: 1},
		MaxResponseBytes: fuzzMaxResponse})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	out, meta, err := c.call(context.Background(), o.input(0))
	if n := len(doer.reqs); n < 1 || n > 2 {
		t.Fatalf("%d attempts with MaxAttempts 1", n)
	}
	if err == nil {
		if out == nil || meta.StatusCode != code || code < 200 || code > 299 {
			t.Fatalf("success with status %d (sent %d), output %v", meta.StatusCode, code, out)
		}
		return
	}
	switch got := classify(t, meta, err); got.Kind {
	case "response":
		var re *transport.ResponseError
		errors.As(err, &re)
		if re.StatusCode != code || code >= 200 && code <= 299 {
			t.Fatalf("response error with status %d for a %d", re.StatusCode, code)
		}
		if len(re.Snippet) > 1024 {
			t.Fatalf("snippet of %d bytes", len(re.Snippet))
		}
	case "decode":
		if code < 200 || code > 299 {
			t.Fatalf("decode error for status %d", code)
		}
	default:
		t.Fatalf("outcome %+v: %v", got, err)
	}
	checkErrorText(t, err)
}

// addResponseSeeds seeds a response fuzzer with the operation's documented
// answers and hostile variations of them.
func addResponseSeeds(f *testing.F, o *operation) {
	f.Add(uint16(o.okStatus), "Content-Type: application/json", []byte(o.okBody), false)
	f.Add(uint16(o.okStatus), "", []byte(o.okBody), true)
	f.Add(uint16(o.okStatus), "", []byte(o.okBody[:len(o.okBody)/2]), false)
	f.Add(uint16(200), "", []byte("<html>OK</html>"), false)
	f.Add(uint16(204), "", []byte(nil), false)
	f.Add(uint16(200), "", []byte(`{"ProfileAssociation":{"CreationTime":"1717171717"}}`), false)
	f.Add(uint16(200), "", []byte(`{"ProfileAssociation":{"CreationTime":1e999999999}}`), false)
	f.Add(uint16(200), "", []byte(`{"ProfileAssociation":null,"Message":7,"router_id":[]}`), false)
	f.Add(uint16(202), "", []byte(strings.Repeat(" ", fuzzMaxResponse+1)), true)
	f.Add(uint16(202), "", []byte(strings.Repeat("[", 10000)), false)
	for _, st := range []int{400, 401, 403, 404, 409, 429, 500, 502, 503, 504} {
		hdr, b := o.errorAnswer(st, "Code\x1b[31m", "message\r\nwith lines")
		raw := ""
		for k, vs := range hdr {
			raw += k + ": " + vs[0] + "\n"
		}
		f.Add(uint16(st), raw+"Retry-After: 1\nX-Request-Id: id\x00", b, false)
	}
	f.Add(uint16(o.throttleStatus), "Retry-After: 99999999999999999999999", []byte(`{"code":"`+o.throttleCode+`"}`), false)
	f.Add(uint16(401), "Date: Mon, 02 Jan 2006 15:04:05 GMT", []byte(`{"error_code":"APIGW.0301","error_msg":"x"}`), false)
	f.Add(uint16(403), "Date: Mon, 02 Jan 2006 15:04:05 GMT\nX-Amzn-ErrorType: a#InvalidSignatureException:http://x", []byte(`{}`), false)
	f.Add(uint16(502), "Content-Type: text/html", []byte("<html><body>502 Bad Gateway \xff\xfe</body></html>"), false)
	f.Add(uint16(500), "", []byte(`{"error":{"error":{"error":{"error":{"error":{"code":"deep"}}}}}}`), false)
	f.Add(uint16(302), "Location: http://evil.example/", []byte(nil), false)
	f.Add(uint16(0), "", []byte(nil), false)
	f.Add(uint16(999), "", []byte(nil), false)
}

func FuzzRoute53ProfilesResponse(f *testing.F) {
	o := opRoute53Profiles()
	addResponseSeeds(f, o)
	f.Fuzz(func(t *testing.T, status uint16, header string, body []byte, unknownLength bool) {
		fuzzResponse(t, o, "Route53ProfilesResponse", status, header, body, unknownLength)
	})
}

func FuzzCustomerProfilesResponse(f *testing.F) {
	o := opCustomerProfiles()
	addResponseSeeds(f, o)
	f.Fuzz(func(t *testing.T, status uint16, header string, body []byte, unknownLength bool) {
		fuzzResponse(t, o, "CustomerProfilesResponse", status, header, body, unknownLength)
	})
}

func FuzzIdentityCenterResponse(f *testing.F) {
	o := opIdentityCenter()
	o.okBody = "{}" // seeds slice it; Identity Center's success has no body
	addResponseSeeds(f, o)
	f.Fuzz(func(t *testing.T, status uint16, header string, body []byte, unknownLength bool) {
		fuzzResponse(t, o, "IdentityCenterResponse", status, header, body, unknownLength)
	})
}

func FuzzPrivateDNSResponse(f *testing.F) {
	o := opPrivateDNS()
	addResponseSeeds(f, o)
	f.Fuzz(func(t *testing.T, status uint16, header string, body []byte, unknownLength bool) {
		fuzzResponse(t, o, "PrivateDNSResponse", status, header, body, unknownLength)
	})
}

func FuzzGetProfileAssociationResponse(f *testing.F) {
	o := opGetProfileAssociation()
	addResponseSeeds(f, o)
	f.Fuzz(func(t *testing.T, status uint16, header string, body []byte, unknownLength bool) {
		fuzzResponse(t, o, "GetProfileAssociationResponse", status, header, body, unknownLength)
	})
}

func FuzzListProfileAssociationsResponse(f *testing.F) {
	o := opListProfileAssociations()
	addResponseSeeds(f, o)
	f.Add(uint16(200), "", []byte(`{"ProfileAssociations":[{"CreationTime":"1"},null,{}],"NextToken":7}`), false)
	f.Add(uint16(200), "", []byte(`{"ProfileAssociations":{},"NextToken":"x"}`), false)
	f.Fuzz(func(t *testing.T, status uint16, header string, body []byte, unknownLength bool) {
		fuzzResponse(t, o, "ListProfileAssociationsResponse", status, header, body, unknownLength)
	})
}

func FuzzShowPrivateZoneResponse(f *testing.F) {
	o := opShowPrivateZone()
	addResponseSeeds(f, o)
	f.Add(uint16(200), "", []byte(`{"id":"z","created_at":"2017-04-22T08:17:08.997Z","routers":[{"router_id":1}]}`), false)
	f.Add(uint16(200), "", []byte(`{"id":"z","created_at":"yesterday","updated_at":"2017-13-45T99:99:99"}`), false)
	f.Add(uint16(200), "", []byte(`{"id":"","routers":null,"ttl":1e400,"serial":-1}`), false)
	f.Fuzz(func(t *testing.T, status uint16, header string, body []byte, unknownLength bool) {
		fuzzResponse(t, o, "ShowPrivateZoneResponse", status, header, body, unknownLength)
	})
}

func FuzzAssociateRouterResponse(f *testing.F) {
	o := opAssociateRouter()
	addResponseSeeds(f, o)
	f.Fuzz(func(t *testing.T, status uint16, header string, body []byte, unknownLength bool) {
		fuzzResponse(t, o, "AssociateRouterResponse", status, header, body, unknownLength)
	})
}
