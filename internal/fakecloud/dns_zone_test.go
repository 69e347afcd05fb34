package fakecloud

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// dnsAuthMode signs or authorises a hand-built DNS request.
type dnsAuthMode struct {
	name string
	// prepare adds the credentials of cl to req, whose body is body.
	prepare func(t *testing.T, srv *Server, cl dnsCloud, req *http.Request, body []byte, at time.Time) *http.Request
}

func dnsAuthModes() []dnsAuthMode {
	return []dnsAuthMode{
		{"aksk", func(t *testing.T, _ *Server, cl dnsCloud, req *http.Request, body []byte, at time.Time) *http.Request {
			creds := hwCredsFor(cl.ak)
			creds.ProjectID = cl.projectID
			return signHW(t, req, body, creds, cl.otcSigner, at)
		}},
		{"token", func(t *testing.T, srv *Server, cl dnsCloud, req *http.Request, _ []byte, _ time.Time) *http.Request {
			tok, resp := issueToken(t, srv, cl, `{"name":"`+cl.region+`"}`)
			if resp.status != http.StatusCreated {
				t.Fatalf("token: status %d, body %s", resp.status, resp.body)
			}
			req.Header.Set("X-Auth-Token", tok)
			return req
		}},
	}
}

// showZone sends GET /v2/zones/{zoneID} to cl's DNS, authorised by mode.
func showZone(t *testing.T, srv *Server, cl dnsCloud, mode dnsAuthMode, at time.Time, zoneID string) response {
	t.Helper()
	req := newRequest(t, srv, cl.dns, http.MethodGet, "/v2/zones/"+zoneID, nil)
	return do(t, srv, mode.prepare(t, srv, cl, req, nil, at))
}

// associate sends POST /v2/zones/{zoneID}/associaterouter signed with cl's
// AK/SK.
func associate(t *testing.T, srv *Server, cl dnsCloud, at time.Time, zoneID string, body []byte) response {
	t.Helper()
	creds := hwCredsFor(cl.ak)
	creds.ProjectID = cl.projectID
	req := newRequest(t, srv, cl.dns, http.MethodPost, "/v2/zones/"+zoneID+"/associaterouter", body)
	return do(t, srv, signHW(t, req, body, creds, cl.otcSigner, at))
}

// zoneRouters decodes the routers of a ShowPrivateZone answer.
func zoneRouters(t *testing.T, resp response) []Router {
	t.Helper()
	if resp.status != http.StatusOK {
		t.Fatalf("show zone: status %d, body %s", resp.status, resp.body)
	}
	var out []Router
	list, _ := resp.jsonBody(t)["routers"].([]any)
	for _, v := range list {
		m, _ := v.(map[string]any)
		id, _ := m["router_id"].(string)
		region, _ := m["router_region"].(string)
		status, _ := m["status"].(string)
		out = append(out, Router{id, region, status})
	}
	return out
}

func TestShowPrivateZone(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		for _, mode := range dnsAuthModes() {
			t.Run(string(cl.provider)+"/"+mode.name, func(t *testing.T) {
				t.Parallel()
				c, srv, clk := start(t)
				resp := showZone(t, srv, cl, mode, clk.Now(), cl.zoneID)
				if resp.status != http.StatusOK {
					t.Fatalf("status %d, body %s", resp.status, resp.body)
				}
				checkHWHeaders(t, resp, clk.Now())
				want := map[string]any{
					"id": cl.zoneID, "name": cl.zoneID + ".fakecloud.internal.", "description": "fakecloud private zone",
					"email": "hostmaster@fakecloud.internal", "ttl": json.Number("300"), "serial": json.Number("1735787045"),
					"masters": []any{}, "status": "ACTIVE",
					"links":   map[string]any{"self": srv.Endpoint(cl.dns) + "/v2/zones/" + cl.zoneID},
					"pool_id": fakePoolID, "project_id": cl.projectID, "zone_type": "private",
					"created_at": "2025-01-02T03:04:05.678", "updated_at": "2025-01-02T03:04:05.678",
					"record_num": json.Number("2"),
					"routers": []any{
						map[string]any{"router_id": cl.vpc1, "router_region": cl.region, "status": "ACTIVE"},
						map[string]any{"router_id": cl.vpc2, "router_region": cl.region, "status": "ACTIVE"},
					},
					"proxy_pattern": "AUTHORITY", "enterprise_project_id": "0",
				}
				if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				if n := c.Requests(OpShowPrivateZone); n != 1 {
					t.Errorf("Requests(OpShowPrivateZone) = %d", n)
				}

				// created_at stays; updated_at follows changes.
				clk.Advance(time.Minute)
				if r := disassociate(t, srv, cl, clk.Now(), cl.zoneID, routerBody(cl.vpc1, "")); r.status != http.StatusAccepted {
					t.Fatalf("disassociate: %d %s", r.status, r.body)
				}
				m := showZone(t, srv, cl, mode, clk.Now(), cl.zoneID).jsonBody(t)
				got := []any{m["created_at"], m["updated_at"]}
				if diff := cmp.Diff([]any{"2025-01-02T03:04:05.678", "2025-01-02T03:05:05.678"}, got); diff != "" {
					t.Errorf("created_at, updated_at (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestShowPrivateZoneErrors(t *testing.T) {
	t.Parallel()
	notFound := hwErr{404, "DNS.0302", "This zone does not exist.", false}
	for _, cl := range dnsClouds() {
		other := dnsClouds()[1]
		if cl.provider == OTC {
			other = dnsClouds()[0]
		}
		tests := []struct {
			name string
			zone string
			ak   string // signing key
			want hwErr
		}{
			{"unknown zone", "ff8080825b8fc86c015b94bc6f870000", cl.ak, notFound},
			{"zone of the other cloud", other.zoneID, cl.ak, notFound},
			{"invalid zone id", "zone%20one", cl.ak, hwErr{400, "DNS.0301", "Invalid zone ID.", false}},
			{"empty zone id", "", cl.ak, hwErr{400, "DNS.0301", "Invalid zone ID.", false}},
		}
		if cl.provider == Huawei {
			tests = append(tests, tests[0])
			tests[len(tests)-1].name, tests[len(tests)-1].zone, tests[len(tests)-1].ak = "no permission", cl.zoneID, HuaweiNoPermAK
			tests[len(tests)-1].want = hwErr{403, "DNS.1802", "Policy doesn't allow dns:zone:get to be performed.", false}
		}
		for _, tt := range tests {
			t.Run(string(cl.provider)+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				_, srv, clk := start(t)
				creds := hwCredsFor(tt.ak)
				creds.ProjectID = cl.projectID
				req := newRequest(t, srv, cl.dns, http.MethodGet, "/v2/zones/"+tt.zone, nil)
				resp := do(t, srv, signHW(t, req, nil, creds, cl.otcSigner, clk.Now()))
				if diff := cmp.Diff(tt.want, decodeHWError(t, resp)); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				checkHWHeaders(t, resp, clk.Now())
			})
		}
	}
}

// A zone in another project of the same account is not found, with a token
// of that project or with X-Project-Id naming it.
func TestShowPrivateZoneOtherProject(t *testing.T) {
	t.Parallel()
	_, srv, clk := start(t)
	cl := dnsClouds()[0]
	tok, _ := issueToken(t, srv, cl, `{"name":"`+HuaweiRegion2+`"}`)
	req := newRequest(t, srv, cl.dns, http.MethodGet, "/v2/zones/"+cl.zoneID, nil)
	req.Header.Set("X-Auth-Token", tok)
	want := hwErr{404, "DNS.0302", "This zone does not exist.", false}
	if diff := cmp.Diff(want, decodeHWError(t, do(t, srv, req))); diff != "" {
		t.Errorf("token of project 2 (-want +got):\n%s", diff)
	}
	creds := hwCredsFor(HuaweiAK)
	creds.ProjectID = HuaweiProjectID2
	req = newRequest(t, srv, cl.dns, http.MethodGet, "/v2/zones/"+cl.zoneID, nil)
	if diff := cmp.Diff(want, decodeHWError(t, do(t, srv, signHW(t, req, nil, creds, false, clk.Now())))); diff != "" {
		t.Errorf("X-Project-Id of project 2 (-want +got):\n%s", diff)
	}
}

// Reads advance pending changes: N reads see the pending state, the next
// one the result. Cloud.Zone is not a read.
func TestRouterTransitionsAdvanceOnReads(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		for _, mode := range dnsAuthModes() {
			for _, n := range []int{-1, 0, 1, 3} {
				reads := n
				if n < 0 {
					reads = DefaultRouterTransitionReads
				}
				t.Run(string(cl.provider)+"/"+mode.name+"/reads="+strconv.Itoa(reads), func(t *testing.T) {
					t.Parallel()
					c, srv, clk := start(t, WithRouterTransitionReads(n))
					const newVPC = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
					if r := disassociate(t, srv, cl, clk.Now(), cl.zoneID, routerBody(cl.vpc1, "")); r.status != http.StatusAccepted {
						t.Fatalf("disassociate: %d %s", r.status, r.body)
					}
					if r := associate(t, srv, cl, clk.Now(), cl.zoneID, routerBody(newVPC, "")); r.status != http.StatusAccepted {
						t.Fatalf("associate: %d %s", r.status, r.body)
					}
					pending := []Router{{cl.vpc1, cl.region, RouterPendingDelete}, {cl.vpc2, cl.region, RouterActive},
						{newVPC, cl.region, RouterPendingCreate}}
					for range 3 { // not reads
						if got, _ := c.Zone(cl.provider, cl.zoneID); !cmp.Equal(pending, got) {
							t.Fatalf("Cloud.Zone changed the zone: %+v", got)
						}
					}
					for i := 1; i <= reads; i++ {
						got := zoneRouters(t, showZone(t, srv, cl, mode, clk.Now(), cl.zoneID))
						if diff := cmp.Diff(pending, got); diff != "" {
							t.Errorf("read %d (-want +got):\n%s", i, diff)
						}
					}
					done := []Router{{cl.vpc2, cl.region, RouterActive}, {newVPC, cl.region, RouterActive}}
					for i := 0; i < 2; i++ {
						got := zoneRouters(t, showZone(t, srv, cl, mode, clk.Now(), cl.zoneID))
						if diff := cmp.Diff(done, got); diff != "" {
							t.Errorf("read %d (-want +got):\n%s", reads+1+i, diff)
						}
					}
					if got, _ := c.Zone(cl.provider, cl.zoneID); !cmp.Equal(done, got) {
						t.Errorf("Cloud.Zone after the reads: %+v", got)
					}
				})
			}
		}
	}
}

func TestAssociateRouter(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		for _, mode := range dnsAuthModes() {
			t.Run(string(cl.provider)+"/"+mode.name, func(t *testing.T) {
				t.Parallel()
				c, srv, clk := start(t)
				const newVPC = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
				for _, tt := range []struct {
					body   []byte
					region string
				}{{routerBody(newVPC, ""), cl.region}, {routerBody(newVPC, cl.region2()), cl.region2()}} {
					req := newRequest(t, srv, cl.dns, http.MethodPost, "/v2/zones/"+cl.singleZone+"/associaterouter", tt.body)
					resp := do(t, srv, mode.prepare(t, srv, cl, req, tt.body, clk.Now()))
					if resp.status != http.StatusAccepted {
						t.Fatalf("status %d, body %s", resp.status, resp.body)
					}
					checkHWHeaders(t, resp, clk.Now())
					want := map[string]any{"router_id": newVPC, "router_region": tt.region, "status": "PENDING_CREATE"}
					if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
						t.Errorf("body (-want +got):\n%s", diff)
					}
				}
				routers, _ := c.Zone(cl.provider, cl.singleZone)
				want := []Router{{cl.singleVPC, cl.region, RouterActive}, {newVPC, cl.region, RouterPendingCreate},
					{newVPC, cl.region2(), RouterPendingCreate}}
				if diff := cmp.Diff(want, routers); diff != "" {
					t.Errorf("routers (-want +got):\n%s", diff)
				}
				if n := c.Requests(OpAssociateRouter); n != 2 {
					t.Errorf("Requests(OpAssociateRouter) = %d", n)
				}
			})
		}
	}
}

// region2 is cl's account's second region.
func (cl dnsCloud) region2() string {
	if cl.provider == OTC {
		return OTCRegion2
	}
	return HuaweiRegion2
}

func TestAssociateRouterErrors(t *testing.T) {
	t.Parallel()
	const extraZone = "ff8080825b8fc86c015b94bc6f87abcd"
	for _, cl := range dnsClouds() {
		tests := []struct {
			name  string
			zone  string
			body  []byte
			setup func(c *Cloud)
			ak    string
			want  hwErr
		}{
			{"already associated", cl.zoneID, routerBody(cl.vpc1, ""), nil, "",
				hwErr{400, "DNS.0212", "This VPC has already been associated with the zone.", false}},
			{"already associated, region given", cl.zoneID, routerBody(cl.vpc1, cl.region), nil, "",
				hwErr{400, "DNS.0212", "This VPC has already been associated with the zone.", false}},
			{"being associated", extraZone, routerBody("vpc-creating", ""), nil, "",
				hwErr{400, "DNS.0212", "This VPC has already been associated with the zone.", false}},
			{"in error", extraZone, routerBody("vpc-broken", ""), nil, "",
				hwErr{400, "DNS.0212", "This VPC has already been associated with the zone.", false}},
			{"being disassociated", extraZone, routerBody("vpc-leaving", ""), nil, "",
				hwErr{400, "DNS.0704", "The VPC is not in a steady state.", false}},
			{"unknown zone", "ff8080825b8fc86c015b94bc6f870000", routerBody("vpc-new", ""), nil, "",
				hwErr{404, "DNS.0302", "This zone does not exist.", false}},
			{"invalid zone id", "zone%20one", routerBody("vpc-new", ""), nil, "",
				hwErr{400, "DNS.0301", "Invalid zone ID.", false}},
			{"bad json", cl.zoneID, []byte(`{"router":`), nil, "", hwErr{400, "DNS.0002", "Invalid request.", false}},
			{"no router id", cl.zoneID, []byte(`{"router":{"router_region":"x"}}`), nil, "", hwErr{400, "DNS.0002", "Invalid request.", false}},
			{"zone updating", cl.zoneID, routerBody("vpc-new", ""), func(c *Cloud) { c.SetZoneStatus(cl.provider, cl.zoneID, ZonePendingUpdate) }, "",
				hwErr{409, "DNS.0209", "The zone is not in the Normal state.", false}},
			{"zone disabled", cl.zoneID, routerBody("vpc-new", ""), func(c *Cloud) { c.SetZoneStatus(cl.provider, cl.zoneID, ZoneDisabled) }, "",
				hwErr{400, "DNS.0213", "The zone is disabled.", false}},
			{"unknown region", cl.zoneID, routerBody("vpc-new", "xx-nowhere-1"), nil, "",
				hwErr{500, "DNS.0710", "Invalid VPC URL configuration.", false}},
			{"unknown VPC", cl.zoneID, routerBody(UnknownVPCID, ""), nil, "",
				hwErr{404, "DNS.0711", "This VPC could not be found.", false}},
		}
		if cl.provider == Huawei {
			tests = append(tests, struct {
				name  string
				zone  string
				body  []byte
				setup func(c *Cloud)
				ak    string
				want  hwErr
			}{"no permission", cl.zoneID, routerBody("vpc-new", ""), nil, HuaweiNoPermAK,
				hwErr{403, "DNS.1802", "Policy doesn't allow dns:zone:associateRouter to be performed.", false}})
		}
		for _, tt := range tests {
			t.Run(string(cl.provider)+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				c, srv, clk := start(t)
				c.AddZone(cl.provider, extraZone, Router{ID: "vpc-active"}, Router{ID: "vpc-creating", Status: RouterPendingCreate},
					Router{ID: "vpc-broken", Status: RouterError}, Router{ID: "vpc-leaving", Status: RouterPendingDelete})
				if tt.setup != nil {
					tt.setup(c)
				}
				before := map[string][]Router{}
				for _, z := range []string{cl.zoneID, extraZone} {
					before[z], _ = c.Zone(cl.provider, z)
				}
				key := cl
				if tt.ak != "" {
					key.ak = tt.ak
				}
				resp := associate(t, srv, key, clk.Now(), tt.zone, tt.body)
				if diff := cmp.Diff(tt.want, decodeHWError(t, resp)); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				checkHWHeaders(t, resp, clk.Now())
				for z, want := range before {
					if got, _ := c.Zone(cl.provider, z); !cmp.Equal(want, got) {
						t.Errorf("zone %s changed by a refused call: %+v", z, got)
					}
				}
			})
		}
	}
}

func TestAssociateRouterAuth(t *testing.T) {
	t.Parallel()
	_, srv, clk := start(t)
	body := routerBody("vpc-new", "")
	// No credentials.
	req := newRequest(t, srv, HuaweiDNS, http.MethodPost, "/v2/zones/"+HuaweiZoneID+"/associaterouter", body)
	want := hwErr{401, "APIGW.0301", msgIAMAuth + "x-auth-token not found", true}
	if diff := cmp.Diff(want, decodeHWError(t, do(t, srv, req))); diff != "" {
		t.Errorf("no credentials (-want +got):\n%s", diff)
	}
	// A Huawei key on OTC.
	creds := hwCredsFor(HuaweiAK)
	creds.ProjectID = OTCProjectID
	req = newRequest(t, srv, OTCDNS, http.MethodPost, "/v2/zones/"+OTCZoneID+"/associaterouter", body)
	want = hwErr{401, "APIGW.0301", msgIAMAuth + "Get secretKey failed, ak not exist", true}
	if diff := cmp.Diff(want, decodeHWError(t, do(t, srv, signHW(t, req, body, creds, true, clk.Now())))); diff != "" {
		t.Errorf("huawei key on otc (-want +got):\n%s", diff)
	}
}

// SetRouterStatus puts a router into ERROR, which reads do not change; a
// PENDING_DELETE it sets completes after the configured reads.
func TestSetRouterStatus(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		t.Run(string(cl.provider), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t, WithRouterTransitionReads(1))
			mode := dnsAuthModes()[0]
			if !c.SetRouterStatus(cl.provider, cl.zoneID, cl.vpc1, RouterError) {
				t.Fatal("SetRouterStatus found no router")
			}
			for i := range 3 {
				got := zoneRouters(t, showZone(t, srv, cl, mode, clk.Now(), cl.zoneID))
				want := []Router{{cl.vpc1, cl.region, RouterError}, {cl.vpc2, cl.region, RouterActive}}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("read %d (-want +got):\n%s", i+1, diff)
				}
			}
			c.SetRouterStatus(cl.provider, cl.zoneID, cl.vpc1, RouterPendingDelete)
			want := [][]Router{
				{{cl.vpc1, cl.region, RouterPendingDelete}, {cl.vpc2, cl.region, RouterActive}},
				{{cl.vpc2, cl.region, RouterActive}},
			}
			for i, w := range want {
				if diff := cmp.Diff(w, zoneRouters(t, showZone(t, srv, cl, mode, clk.Now(), cl.zoneID))); diff != "" {
					t.Errorf("read %d after PENDING_DELETE (-want +got):\n%s", i+1, diff)
				}
			}
			if c.SetRouterStatus(cl.provider, cl.zoneID, "vpc-unknown", RouterError) ||
				c.SetRouterStatus(cl.provider, "no-such-zone", cl.vpc2, RouterError) {
				t.Error("SetRouterStatus reported an unknown router or zone")
			}
		})
	}
}

// A zone that is not ACTIVE refuses disassociation too; a deleted zone is
// not found.
func TestZoneStatusAndDeletion(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		t.Run(string(cl.provider), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			if !c.SetZoneStatus(cl.provider, cl.zoneID, ZonePendingUpdate) {
				t.Fatal("SetZoneStatus found no zone")
			}
			want := hwErr{409, "DNS.0209", "The zone is not in the Normal state.", false}
			if diff := cmp.Diff(want, decodeHWError(t, disassociate(t, srv, cl, clk.Now(), cl.zoneID, routerBody(cl.vpc1, "")))); diff != "" {
				t.Errorf("disassociate from an updating zone (-want +got):\n%s", diff)
			}
			m := showZone(t, srv, cl, dnsAuthModes()[0], clk.Now(), cl.zoneID).jsonBody(t)
			if m["status"] != ZonePendingUpdate {
				t.Errorf("zone status %v, want %s", m["status"], ZonePendingUpdate)
			}
			if !c.DeleteZone(cl.provider, cl.zoneID) || c.DeleteZone(cl.provider, cl.zoneID) {
				t.Error("DeleteZone: want true, then false")
			}
			want = hwErr{404, "DNS.0302", "This zone does not exist.", false}
			if diff := cmp.Diff(want, decodeHWError(t, showZone(t, srv, cl, dnsAuthModes()[0], clk.Now(), cl.zoneID))); diff != "" {
				t.Errorf("show a deleted zone (-want +got):\n%s", diff)
			}
			if c.SetZoneStatus(cl.provider, cl.zoneID, ZoneActive) {
				t.Error("SetZoneStatus found a deleted zone")
			}
		})
	}
}
