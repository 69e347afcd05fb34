package fakecloud

import (
	"net/http"
	"testing"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/google/go-cmp/cmp"
)

// dnsCloud describes one cloud's DNS and IAM for table tests.
type dnsCloud struct {
	provider              Provider
	dns, iam              Service
	ak                    string
	projectID, region     string
	projectID2            string
	zoneID, vpc1, vpc2    string
	singleZone, singleVPC string
	user, domain, pw      string
	otcSigner             bool
}

func dnsClouds() []dnsCloud {
	return []dnsCloud{
		{Huawei, HuaweiDNS, HuaweiIAM, HuaweiAK, HuaweiProjectID, HuaweiRegion, HuaweiProjectID2,
			HuaweiZoneID, HuaweiVPCID, HuaweiVPCID2, HuaweiSingleZoneID, HuaweiSingleVPCID,
			HuaweiUserName, HuaweiDomainName, HuaweiPassword, false},
		{OTC, OTCDNS, OTCIAM, OTCAK, OTCProjectID, OTCRegion, OTCProjectID2,
			OTCZoneID, OTCVPCID, OTCVPCID2, OTCSingleZoneID, OTCSingleVPCID,
			OTCUserName, OTCDomainName, OTCPassword, true},
	}
}

func routerBody(id, region string) []byte {
	if region == "" {
		return []byte(`{"router":{"router_id":"` + id + `"}}`)
	}
	return []byte(`{"router":{"router_id":"` + id + `","router_region":"` + region + `"}}`)
}

func dnsPath(zoneID string) string { return "/v2/zones/" + zoneID + "/disassociaterouter" }

// disassociate sends a DisassociateRouter signed with cl's AK/SK.
func disassociate(t *testing.T, srv *Server, cl dnsCloud, at time.Time, zoneID string, body []byte) response {
	t.Helper()
	creds := hwCredsFor(cl.ak)
	creds.ProjectID = cl.projectID
	req := newRequest(t, srv, cl.dns, http.MethodPost, dnsPath(zoneID), body)
	return do(t, srv, signHW(t, req, body, creds, cl.otcSigner, at))
}

func TestDisassociateRouterLastVPCRule(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		t.Run(string(cl.provider), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			resp := disassociate(t, srv, cl, clk.Now(), cl.zoneID, routerBody(cl.vpc1, ""))
			if resp.status != http.StatusAccepted {
				t.Fatalf("status = %d, body %s", resp.status, resp.body)
			}
			want := map[string]any{"router_id": cl.vpc1, "router_region": cl.region, "status": "PENDING_DELETE"}
			if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			checkHWHeaders(t, resp, clk.Now())
			routers, _ := c.Zone(cl.provider, cl.zoneID)
			wantRouters := []Router{{cl.vpc1, cl.region, RouterPendingDelete}, {cl.vpc2, cl.region, RouterActive}}
			if diff := cmp.Diff(wantRouters, routers); diff != "" {
				t.Errorf("routers (-want +got):\n%s", diff)
			}

			// The PENDING_DELETE router no longer counts: vpc2 is now the last.
			resp = disassociate(t, srv, cl, clk.Now(), cl.zoneID, routerBody(cl.vpc2, cl.region))
			wantErr := hwErr{403, "DNS.0706", "You are not allowed to disassociate this VPC because this is the last VPC associated with this zone.", false}
			if diff := cmp.Diff(wantErr, decodeHWError(t, resp)); diff != "" {
				t.Errorf("last VPC (-want +got):\n%s", diff)
			}
			// And disassociating vpc1 again finds it not associated.
			resp = disassociate(t, srv, cl, clk.Now(), cl.zoneID, routerBody(cl.vpc1, ""))
			wantErr = hwErr{400, "DNS.0707", "The VPC is not associated with the zone.", false}
			if diff := cmp.Diff(wantErr, decodeHWError(t, resp)); diff != "" {
				t.Errorf("second disassociate (-want +got):\n%s", diff)
			}
			routers, _ = c.Zone(cl.provider, cl.zoneID)
			if diff := cmp.Diff(wantRouters, routers); diff != "" {
				t.Errorf("routers changed by refused calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDisassociateRouterErrors(t *testing.T) {
	t.Parallel()
	const extraZone = "ff8080825b8fc86c015b94bc6f87abcd"
	for _, cl := range dnsClouds() {
		tests := []struct {
			name string
			zone string
			body []byte
			want hwErr
		}{
			{"single VPC", cl.singleZone, routerBody(cl.singleVPC, ""),
				hwErr{403, "DNS.0706", "You are not allowed to disassociate this VPC because this is the last VPC associated with this zone.", false}},
			{"unknown zone", "ff8080825b8fc86c015b94bc6f870000", routerBody(cl.vpc1, ""),
				hwErr{404, "DNS.0302", "This zone does not exist.", false}},
			{"invalid zone id", "zone%20one", routerBody(cl.vpc1, ""),
				hwErr{400, "DNS.0301", "Invalid zone ID.", false}},
			{"bad json", cl.zoneID, []byte(`{"router":`),
				hwErr{400, "DNS.0002", "Invalid request.", false}},
			{"no router", cl.zoneID, []byte(`{}`),
				hwErr{400, "DNS.0002", "Invalid request.", false}},
			{"no router id", cl.zoneID, []byte(`{"router":{"router_region":"x"}}`),
				hwErr{400, "DNS.0002", "Invalid request.", false}},
			{"unknown router", cl.zoneID, routerBody("vpc-unknown", ""),
				hwErr{400, "DNS.0707", "The VPC is not associated with the zone.", false}},
			{"router in another region", cl.zoneID, routerBody(cl.vpc1, "elsewhere-1"),
				hwErr{400, "DNS.0707", "The VPC is not associated with the zone.", false}},
			{"being associated", extraZone, routerBody("vpc-creating", ""),
				hwErr{400, "DNS.0708", "This VPC cannot be disassociated because it is being associated with the zone.", false}},
			{"only normal VPC", extraZone, routerBody("vpc-active", ""),
				hwErr{403, "DNS.0709", "This VPC cannot be disassociated because this is the only normal VPC associated with this zone.", false}},
		}
		for _, tt := range tests {
			t.Run(string(cl.provider)+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				c, srv, clk := start(t)
				c.AddZone(cl.provider, extraZone, Router{ID: "vpc-active"}, Router{ID: "vpc-creating", Status: RouterPendingCreate},
					Router{ID: "vpc-broken", Status: RouterError})
				resp := disassociate(t, srv, cl, clk.Now(), tt.zone, tt.body)
				if diff := cmp.Diff(tt.want, decodeHWError(t, resp)); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				checkHWHeaders(t, resp, clk.Now())
				if ct := resp.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q", ct)
				}
				for _, z := range []string{cl.zoneID, cl.singleZone, extraZone} {
					routers, _ := c.Zone(cl.provider, z)
					for _, r := range routers {
						if r.Status == RouterPendingDelete {
							t.Errorf("zone %s router %s was disassociated", z, r.ID)
						}
					}
				}
			})
		}
	}
}

func TestDisassociateRouterAuth(t *testing.T) {
	t.Parallel()
	const auth = msgIAMAuth
	tests := []struct {
		name   string
		svc    Service
		modify func(t *testing.T, req *http.Request, body []byte, now time.Time) *http.Request
		want   hwErr
	}{
		{"no credentials", HuaweiDNS, func(t *testing.T, req *http.Request, body []byte, now time.Time) *http.Request { return req },
			hwErr{401, "APIGW.0301", auth + "x-auth-token not found", true}},
		{"unknown token", OTCDNS, func(t *testing.T, req *http.Request, body []byte, now time.Time) *http.Request {
			req.Header.Set("X-Auth-Token", "MIIunknown")
			return req
		}, hwErr{401, "APIGW.0301", auth + "decrypt token fail", true}},
		{"no project id", HuaweiDNS, func(t *testing.T, req *http.Request, body []byte, now time.Time) *http.Request {
			return signHW(t, req, body, hwCredsFor(HuaweiAK), false, now)
		}, hwErr{401, "APIGW.0301", auth + "X-Project-Id is required with AK/SK for a project-level service", true}},
		{"foreign project id", OTCDNS, func(t *testing.T, req *http.Request, body []byte, now time.Time) *http.Request {
			creds := hwCredsFor(OTCAK)
			creds.ProjectID = HuaweiProjectID
			return signHW(t, req, body, creds, true, now)
		}, hwErr{403, "APIGW.0310", "The project is unavailable.", true}},
		{"huawei key on otc", OTCDNS, func(t *testing.T, req *http.Request, body []byte, now time.Time) *http.Request {
			creds := hwCredsFor(HuaweiAK)
			creds.ProjectID = OTCProjectID
			return signHW(t, req, body, creds, true, now)
		}, hwErr{401, "APIGW.0301", auth + "Get secretKey failed, ak not exist", true}},
		{"no permission", HuaweiDNS, func(t *testing.T, req *http.Request, body []byte, now time.Time) *http.Request {
			creds := hwCredsFor(HuaweiNoPermAK)
			creds.ProjectID = HuaweiProjectID
			return signHW(t, req, body, creds, false, now)
		}, hwErr{403, "DNS.1802", "Policy doesn't allow dns:zone:disassociateRouter to be performed.", false}},
		{"body changed after signing", HuaweiDNS, func(t *testing.T, req *http.Request, _ []byte, now time.Time) *http.Request {
			creds := hwCredsFor(HuaweiAK)
			creds.ProjectID = HuaweiProjectID
			return signHW(t, req, []byte(`{}`), creds, false, now)
		}, hwErr{401, "APIGW.0301", auth + "verify aksk signature fail", true}},
		{"zone of another project", HuaweiDNS, func(t *testing.T, req *http.Request, body []byte, now time.Time) *http.Request {
			creds := hwCredsFor(HuaweiAK)
			creds.ProjectID = HuaweiProjectID2
			return signHW(t, req, body, creds, false, now)
		}, hwErr{404, "DNS.0302", "This zone does not exist.", false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			zone, vpc := HuaweiZoneID, HuaweiVPCID
			if tt.svc == OTCDNS {
				zone, vpc = OTCZoneID, OTCVPCID
			}
			body := routerBody(vpc, "")
			req := newRequest(t, srv, tt.svc, http.MethodPost, dnsPath(zone), body)
			resp := do(t, srv, tt.modify(t, req, body, clk.Now()))
			if diff := cmp.Diff(tt.want, decodeHWError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			checkHWHeaders(t, resp, clk.Now())
			for _, p := range []Provider{Huawei, OTC} {
				z := HuaweiZoneID
				if p == OTC {
					z = OTCZoneID
				}
				if routers, _ := c.Zone(p, z); routers[0].Status != RouterActive {
					t.Errorf("%s router disassociated: %+v", p, routers[0])
				}
			}
		})
	}
}

// issueToken logs in to cl's IAM and returns the token.
func issueToken(t *testing.T, srv *Server, cl dnsCloud, scope string) (string, response) {
	t.Helper()
	body := []byte(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"` + cl.domain +
		`"},"name":"` + cl.user + `","password":"` + cl.pw + `"}}},"scope":{"project":` + scope + `}}}`)
	req := newRequest(t, srv, cl.iam, http.MethodPost, "/v3/auth/tokens", body)
	resp := do(t, srv, req)
	return resp.header.Get("X-Subject-Token"), resp
}

func TestDisassociateRouterWithToken(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		t.Run(string(cl.provider), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t, WithTokenTTL(time.Hour))
			tok, resp := issueToken(t, srv, cl, `{"name":"`+cl.region+`"}`)
			if resp.status != http.StatusCreated || tok == "" {
				t.Fatalf("token: status %d, body %s", resp.status, resp.body)
			}
			send := func(token string, vpc string) response {
				body := routerBody(vpc, "")
				req := newRequest(t, srv, cl.dns, http.MethodPost, dnsPath(cl.zoneID), body)
				req.Header.Set("X-Auth-Token", token)
				return do(t, srv, req)
			}
			if resp := send(tok, cl.vpc1); resp.status != http.StatusAccepted {
				t.Fatalf("status = %d, body %s", resp.status, resp.body)
			}
			if routers, _ := c.Zone(cl.provider, cl.zoneID); routers[0].Status != RouterPendingDelete {
				t.Errorf("router = %+v, want PENDING_DELETE", routers[0])
			}

			// A token of the other cloud is unknown here.
			other := dnsClouds()[0]
			if cl.provider == Huawei {
				other = dnsClouds()[1]
			}
			otherTok, _ := issueToken(t, srv, other, `{"id":"`+other.projectID+`"}`)
			want := hwErr{401, "APIGW.0301", msgIAMAuth + "decrypt token fail", true}
			if diff := cmp.Diff(want, decodeHWError(t, send(otherTok, cl.vpc2))); diff != "" {
				t.Errorf("other cloud's token (-want +got):\n%s", diff)
			}

			// At expiry the token is refused, saying so.
			clk.Advance(time.Hour)
			resp = send(tok, cl.vpc2)
			want = hwErr{401, "APIGW.0301", msgIAMAuth + "token expires, expires_at: 2025-01-02T04:04:05.678Z", true}
			if diff := cmp.Diff(want, decodeHWError(t, resp)); diff != "" {
				t.Errorf("expired token (-want +got):\n%s", diff)
			}
			checkHWHeaders(t, resp, clk.Now())
			if got := c.TokensIssued(); got != 2 {
				t.Errorf("TokensIssued = %d, want 2", got)
			}
		})
	}
}

// A project-scoped token of the second project acts on that project, whose
// zones are elsewhere.
func TestDisassociateRouterTokenProject(t *testing.T) {
	t.Parallel()
	_, srv, _ := start(t)
	cl := dnsClouds()[0]
	tok, _ := issueToken(t, srv, cl, `{"name":"`+HuaweiRegion2+`"}`)
	body := routerBody(cl.vpc1, "")
	req := newRequest(t, srv, cl.dns, http.MethodPost, dnsPath(cl.zoneID), body)
	req.Header.Set("X-Auth-Token", tok)
	req.Header.Set("X-Project-Id", HuaweiProjectID) // ignored with a token
	want := hwErr{404, "DNS.0302", "This zone does not exist.", false}
	if diff := cmp.Diff(want, decodeHWError(t, do(t, srv, req))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The temporary key works with its security token on DNS too, in both
// signature flavours (OTC's leaves X-Security-Token unsigned).
func TestDisassociateRouterTemporaryKey(t *testing.T) {
	t.Parallel()
	for _, otc := range []bool{false, true} {
		_, srv, clk := start(t)
		body := routerBody(HuaweiVPCID, HuaweiRegion)
		req := newRequest(t, srv, HuaweiDNS, http.MethodPost, dnsPath(HuaweiZoneID), body)
		creds := signer.HuaweiCredentials{AccessKey: HuaweiTempAK, SecretKey: HuaweiTempSK,
			SecurityToken: HuaweiSecurityToken, ProjectID: HuaweiProjectID}
		if resp := do(t, srv, signHW(t, req, body, creds, otc, clk.Now())); resp.status != http.StatusAccepted {
			t.Errorf("otc=%v: status = %d, body %s", otc, resp.status, resp.body)
		}
	}
}
