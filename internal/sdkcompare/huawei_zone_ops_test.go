package sdkcompare

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	hwauth "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	hwdns "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2"
	hwdnsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/model"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// The private-zone operations added for waiting, ShowPrivateZone and
// AssociateRouter, against huaweicloud-sdk-go-v3's DnsClient: the same
// request checks as DisassociateRouter's (method, escaped path, body as
// JSON, X-Project-Id and X-Security-Token, and the SDK's signer over
// detach's request giving detach's Authorization with the same headers and
// X-Sdk-Date), plus agreement on the decoded answers and errors.

// zoneClients builds both clients of input i, sending to the recorders.
func zoneClients(t *testing.T, i int, ours, sdk *recorder) (*privatedns.Client, *hwdns.DnsClient, signer.HuaweiCredentials) {
	t.Helper()
	creds := hwCreds(i)
	projectID := fmt.Sprintf("%032x", i+7)
	o := privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: "cn-north-4", Endpoint: hwEndpoint,
		Credentials: signer.StaticHuaweiCredentials(creds), ProjectID: projectID}
	o.HTTPClient = ours
	o.Now = func() time.Time { return hwSignTime }
	c, err := privatedns.New(o)
	if err != nil {
		t.Fatalf("privatedns.New: %v", err)
	}
	hc, err := hwdns.DnsClientBuilder().WithEndpoints([]string{hwEndpoint}).WithHttpConfig(hwSDKConfig(sdk)).
		WithCredential(&hwauth.BasicCredentials{
			BaseCredentials: hwauth.BaseCredentials{AK: creds.AccessKey, SK: creds.SecretKey, SecurityToken: creds.SecurityToken},
			ProjectId:       projectID,
		}).SafeBuild()
	if err != nil {
		t.Fatalf("SDK client: %v", err)
	}
	return c, hwdns.NewDnsClient(hc), creds
}

// sdkZoneBody is the documented example of a private zone.
const sdkZoneBody = `{"id":"ff8080825b8fc86c015b94bc6f8712c3","name":"example.com.","description":"This is an example zone.",
"email":"xx@example.com","ttl":300,"serial":0,"masters":[],"status":"ACTIVE",
"links":{"self":"https://Endpoint/v2/zones/ff8080825b8fc86c015b94bc6f8712c3"},"pool_id":"ff8080825ab738f4015ab7513298010e",
"project_id":"e55c6f3dc4e34c9f86353b664ae0e70c","zone_type":"private","created_at":"2017-04-22T08:17:08.997",
"updated_at":"2017-04-22T08:17:09.997","record_num":2,"routers":[
{"status":"ACTIVE","router_id":"19664294-0bf6-4271-ad3a-94b8c79c6558","router_region":"xx"},
{"status":"PENDING_DELETE","router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"xx"}]}`

// TestPrivateDNSShowZoneRequestsMatchSDK compares ShowPrivateZone requests
// with those of DnsClient.ShowPrivateZone.
//
// Header differences, asserted: detach signs host, the SDK signs
// user-agent; the SDK sends Content-Type: application/json on this
// body-less GET (unsigned), detach sends no Content-Type.
func TestPrivateDNSShowZoneRequestsMatchSDK(t *testing.T) {
	t.Parallel()
	ok := always(cannedResponse{status: 200, header: map[string]string{"Content-Type": "application/json", "X-Request-Id": "rid"},
		body: sdkZoneBody})
	pathDiffs := map[string]int{}
	for i, zone := range hwPathIDs {
		ourRec, sdkRec := &recorder{respond: ok}, &recorder{respond: ok}
		ours, sdk, creds := zoneClients(t, i, ourRec, sdkRec)
		if _, err := ours.ShowPrivateZone(context.Background(), &privatedns.ShowPrivateZoneInput{ZoneID: zone}); err != nil {
			t.Errorf("input %d: detach: %v", i, err)
			continue
		}
		if _, err := sdk.ShowPrivateZone(&hwdnsmodel.ShowPrivateZoneRequest{ZoneId: zone}); err != nil {
			t.Errorf("input %d: SDK: %v", i, err)
			continue
		}
		want := headerDiff{OnlySDK: []string{"content-type"}, SignedOnlyDetach: []string{"host"}, SignedOnlySDK: []string{"user-agent"}}
		compareHuaweiRequests(t, fmt.Sprintf("input %d %+q", i, zone), ourRec.requests()[0], sdkRec.requests()[0], creds,
			[]string{zone}, want, pathDiffs)
	}
	t.Logf("privatedns ShowPrivateZone: %d inputs compared; named path differences: %v", len(hwPathIDs), pathDiffs)
}

// TestPrivateDNSAssociateRequestsMatchSDK compares AssociateRouter requests
// with those of DnsClient.AssociateRouter, on the inputs of the
// DisassociateRouter comparison.
//
// Header differences, asserted: detach signs host, the SDK signs
// user-agent; both send Content-Type: application/json without signing it.
func TestPrivateDNSAssociateRequestsMatchSDK(t *testing.T) {
	t.Parallel()
	ok := always(cannedResponse{status: 202, header: map[string]string{"Content-Type": "application/json", "X-Request-Id": "rid"},
		body: `{"router_id":"r","router_region":"cn-north-4","status":"PENDING_CREATE"}`})
	pathDiffs := map[string]int{}
	for i, in := range dnsInputs() {
		ourRec, sdkRec := &recorder{respond: ok}, &recorder{respond: ok}
		ours, sdk, creds := zoneClients(t, i, ourRec, sdkRec)
		a := privatedns.AssociateRouterInput(in)
		if _, err := ours.AssociateRouter(context.Background(), &a); err != nil {
			t.Errorf("input %d: detach: %v", i, err)
			continue
		}
		router := &hwdnsmodel.Router{RouterId: in.RouterID}
		if in.RouterRegion != "" {
			router.RouterRegion = &in.RouterRegion
		}
		if _, err := sdk.AssociateRouter(&hwdnsmodel.AssociateRouterRequest{
			ZoneId: in.ZoneID, Body: &hwdnsmodel.AssociateRouterRequestBody{Router: router},
		}); err != nil {
			t.Errorf("input %d: SDK: %v", i, err)
			continue
		}
		want := headerDiff{SignedOnlyDetach: []string{"host"}, SignedOnlySDK: []string{"user-agent"}}
		compareHuaweiRequests(t, fmt.Sprintf("input %d %+q", i, in), ourRec.requests()[0], sdkRec.requests()[0], creds,
			[]string{in.ZoneID}, want, pathDiffs)
	}
	t.Logf("privatedns AssociateRouter: %d inputs compared; named path differences: %v", len(dnsInputs()), pathDiffs)
}

// zoneFacts is what both clients decode from a zone: the SDK's strings and
// pointers made plain, times in the documented format.
type zoneFacts struct {
	ID, Name, Description, Email, ZoneType, Status, PoolID, ProjectID string
	TTL, RecordNum                                                    int
	Serial                                                            int64
	CreatedAt, UpdatedAt                                              string
	Routers                                                           []string // "id region status"
}

// zoneTimeLayout is the documented time format (yyyy-MM-ddTHH:mm:ss.SSS).
const zoneTimeLayout = "2006-01-02T15:04:05.000"

func oursZoneFacts(z *privatedns.ShowPrivateZoneOutput) zoneFacts {
	f := zoneFacts{ID: z.ID, Name: z.Name, Description: z.Description, Email: z.Email, ZoneType: z.ZoneType,
		Status: string(z.Status), PoolID: z.PoolID, ProjectID: z.ProjectID, TTL: z.TTL, RecordNum: z.RecordNum, Serial: z.Serial}
	if !z.CreatedAt.IsZero() {
		f.CreatedAt = z.CreatedAt.Format(zoneTimeLayout)
	}
	if !z.UpdatedAt.IsZero() {
		f.UpdatedAt = z.UpdatedAt.Format(zoneTimeLayout)
	}
	for _, r := range z.Routers {
		f.Routers = append(f.Routers, r.RouterID+" "+r.RouterRegion+" "+string(r.Status))
	}
	return f
}

func sdkZoneFacts(z *hwdnsmodel.ShowPrivateZoneResponse) zoneFacts {
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	n := func(p *int32) int {
		if p == nil {
			return 0
		}
		return int(*p)
	}
	f := zoneFacts{ID: s(z.Id), Name: s(z.Name), Description: s(z.Description), Email: s(z.Email), ZoneType: s(z.ZoneType),
		Status: s(z.Status), PoolID: s(z.PoolId), ProjectID: s(z.ProjectId), TTL: n(z.Ttl), RecordNum: n(z.RecordNum),
		Serial: int64(n(z.Serial)), CreatedAt: s(z.CreatedAt), UpdatedAt: s(z.UpdatedAt)}
	if z.Routers != nil {
		for _, r := range *z.Routers {
			f.Routers = append(f.Routers, r.RouterId+" "+s(r.RouterRegion)+" "+s(r.Status))
		}
	}
	return f
}

// TestPrivateDNSShowZoneResponsesMatchSDK gives the same zone bodies to
// both clients: the decoded fields must agree. detach parses the times,
// which the SDK keeps as strings; written back in the documented format
// they must be the SDK's strings.
func TestPrivateDNSShowZoneResponsesMatchSDK(t *testing.T) {
	t.Parallel()
	bodies := map[string]string{
		"documented example": sdkZoneBody,
		"Huawei Cloud's extra fields": `{"id":"z1","name":"a.example.","status":"PENDING_UPDATE","proxy_pattern":"RECURSIVE",
			"enterprise_project_id":"0","tags":[{"key":"k","value":"v"}],"created_at":"2024-12-31T23:59:59.000","routers":[]}`,
		"every router state": `{"id":"z2","routers":[{"router_id":"a","router_region":"r1","status":"ACTIVE"},
			{"router_id":"b","router_region":"r2","status":"PENDING_CREATE"},{"router_id":"c","status":"PENDING_DELETE"},
			{"router_id":"d","router_region":"r4","status":"ERROR"}]}`,
		"large serial and ttl": `{"id":"z3","ttl":2147483647,"serial":2147483647,"record_num":100000}`,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			resp := always(cannedResponse{status: 200, header: map[string]string{"Content-Type": "application/json", "X-Request-Id": "rid"}, body: body})
			ours, sdk, _ := zoneClients(t, 1, &recorder{respond: resp}, &recorder{respond: resp})
			o, err := ours.ShowPrivateZone(context.Background(), &privatedns.ShowPrivateZoneInput{ZoneID: "z"})
			if err != nil {
				t.Fatalf("detach: %v", err)
			}
			s, err := sdk.ShowPrivateZone(&hwdnsmodel.ShowPrivateZoneRequest{ZoneId: "z"})
			if err != nil {
				t.Fatalf("SDK: %v", err)
			}
			if d := gocmp.Diff(sdkZoneFacts(s), oursZoneFacts(o)); d != "" {
				t.Errorf("decoded zone (-SDK +detach):\n%s", d)
			}
			if o.Metadata.StatusCode != s.HttpStatusCode {
				t.Errorf("status: detach %d, SDK %d", o.Metadata.StatusCode, s.HttpStatusCode)
			}
		})
	}
	// Named difference: a 200 with no zone. The SDK returns an empty
	// response, which a waiter would read as "no routers"; detach returns a
	// DecodeError.
	resp := always(cannedResponse{status: 200, header: map[string]string{"Content-Type": "application/json", "X-Request-Id": "rid"}, body: `{}`})
	ours, sdk, _ := zoneClients(t, 2, &recorder{respond: resp}, &recorder{respond: resp})
	_, err := ours.ShowPrivateZone(context.Background(), &privatedns.ShowPrivateZoneInput{ZoneID: "z"})
	var de *transport.DecodeError
	if !errors.As(err, &de) {
		t.Errorf("detach on {}: %v, want a DecodeError", err)
	}
	if s, err := sdk.ShowPrivateZone(&hwdnsmodel.ShowPrivateZoneRequest{ZoneId: "z"}); err != nil || s.Id != nil || s.Routers != nil {
		t.Errorf("SDK on {}: %+v, %v; the named difference no longer holds", s, err)
	}
}

// TestPrivateDNSAssociateResponsesMatchSDK gives the same answers to both
// clients' AssociateRouter.
func TestPrivateDNSAssociateResponsesMatchSDK(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"status":"PENDING_CREATE","router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"xx"}`,
		`{"status":"ACTIVE","router_id":"r"}`,
		`{"router_id":"r","router_region":"eu-de","status":"PENDING_CREATE","extra":{"x":1}}`,
	} {
		resp := always(cannedResponse{status: 202, header: map[string]string{"Content-Type": "application/json", "X-Request-Id": "rid"}, body: body})
		ours, sdk, _ := zoneClients(t, 3, &recorder{respond: resp}, &recorder{respond: resp})
		o, err := ours.AssociateRouter(context.Background(), &privatedns.AssociateRouterInput{ZoneID: "z", RouterID: "r"})
		if err != nil {
			t.Fatalf("detach: %v", err)
		}
		s, err := sdk.AssociateRouter(&hwdnsmodel.AssociateRouterRequest{ZoneId: "z",
			Body: &hwdnsmodel.AssociateRouterRequestBody{Router: &hwdnsmodel.Router{RouterId: "r"}}})
		if err != nil {
			t.Fatalf("SDK: %v", err)
		}
		str := func(p *string) string {
			if p == nil {
				return ""
			}
			return *p
		}
		got := []any{o.RouterID, o.RouterRegion, string(o.Status), o.Metadata.StatusCode}
		want := []any{str(s.RouterId), str(s.RouterRegion), str(s.Status), s.HttpStatusCode}
		if d := gocmp.Diff(want, got); d != "" {
			t.Errorf("%s (-SDK +detach):\n%s", body, d)
		}
	}
}

// TestPrivateDNSZoneOpsErrorsMatchSDK gives the canned error responses of
// the other Huawei comparisons to both clients' ShowPrivateZone and
// AssociateRouter.
func TestPrivateDNSZoneOpsErrorsMatchSDK(t *testing.T) {
	t.Parallel()
	ops := map[string]struct {
		ours func(c *privatedns.Client) error
		sdk  func(c *hwdns.DnsClient) error
	}{
		"ShowPrivateZone": {
			func(c *privatedns.Client) error {
				_, err := c.ShowPrivateZone(context.Background(), &privatedns.ShowPrivateZoneInput{ZoneID: "z"})
				return err
			},
			func(c *hwdns.DnsClient) error {
				_, err := c.ShowPrivateZone(&hwdnsmodel.ShowPrivateZoneRequest{ZoneId: "z"})
				return err
			},
		},
		"AssociateRouter": {
			func(c *privatedns.Client) error {
				_, err := c.AssociateRouter(context.Background(), &privatedns.AssociateRouterInput{ZoneID: "z", RouterID: "r"})
				return err
			},
			func(c *hwdns.DnsClient) error {
				_, err := c.AssociateRouter(&hwdnsmodel.AssociateRouterRequest{ZoneId: "z",
					Body: &hwdnsmodel.AssociateRouterRequestBody{Router: &hwdnsmodel.Router{RouterId: "r"}}})
				return err
			},
		},
	}
	cases := append(hwErrorCases(), hwErrorCase{
		name: "VPC already associated",
		resp: hwResp(400, "rid-9", `{"code":"DNS.0212","message":"This VPC has already been associated with the zone."}`),
		want: hwErrorFacts{Status: 400, Code: "DNS.0212", Message: "This VPC has already been associated with the zone.", RequestID: "rid-9", Attempts: 1},
	})
	for opName, op := range ops {
		for _, c := range cases {
			t.Run(opName+"/"+c.name, func(t *testing.T) {
				checkHuaweiErrorCase(t, c,
					func(rec *recorder) error {
						ours, _, _ := zoneClients(t, 5, rec, &recorder{})
						return op.ours(ours)
					},
					func(rec *recorder) error {
						_, sdk, _ := zoneClients(t, 5, &recorder{}, rec)
						return op.sdk(sdk)
					})
			})
		}
	}
}
