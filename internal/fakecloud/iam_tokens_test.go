package fakecloud

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// assumeBody is an assume_role token request as gophertelekomcloud (OTC,
// xrole_name) or Huawei's model (agency_name) writes it.
func assumeBody(p Provider, scope string) string {
	target := delegatingAccountOf(p)
	key := "agency_name"
	if p == OTC {
		key = "xrole_name"
	}
	return `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"domain_name":"` + target.domainName +
		`","` + key + `":"` + agencyNameOf(p) + `"}},"scope":` + scope + `}}`
}

func TestAgencyToken(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		t.Run(string(cl.provider), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			target := delegatingAccountOf(cl.provider)
			userTok, _ := issueToken(t, srv, cl, `{"name":"`+cl.region+`"}`)
			scope := `{"project":{"name":"` + cl.region + `","domain":{"name":"` + target.domainName + `"}}}`
			resp := send(t, srv, cl.iam, http.MethodPost, "/v3/auth/tokens", assumeBody(cl.provider, scope),
				map[string]string{"X-Auth-Token": userTok})
			agencyTok := resp.header.Get("X-Subject-Token")
			if resp.status != http.StatusCreated || agencyTok == "" {
				t.Fatalf("status %d, body %s", resp.status, resp.body)
			}
			checkHWHeaders(t, resp, clk.Now())
			acct := accountOf(cl.provider)
			delegating := map[string]any{"id": target.domainID, "name": target.domainName}
			want := map[string]any{"token": map[string]any{
				"methods":    []any{"assume_role"},
				"issued_at":  "2025-01-02T03:04:05.678Z",
				"expires_at": "2025-01-03T03:04:05.678Z",
				"user": map[string]any{"id": "agency" + target.domainID[:16],
					"name": target.domainName + "/" + agencyNameOf(cl.provider), "domain": delegating},
				"assumed_by": map[string]any{"user": map[string]any{"id": acct.userID, "name": acct.userName,
					"domain": map[string]any{"id": acct.domainID, "name": acct.domainName}}},
				"project": map[string]any{"id": target.defaultProject().id, "name": cl.region, "domain": delegating},
				"roles":   []any{map[string]any{"id": "0", "name": "te_admin"}},
			}}
			if diff := cmp.Diff(want, resp.jsonBody(t), cmpopts.IgnoreMapEntries(func(k string, _ any) bool { return k == "catalog" })); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if got := c.TokensIssued(); got != 2 {
				t.Errorf("TokensIssued = %d, want 2", got)
			}

			// The token acts in the delegating project, not the caller's.
			zone := HuaweiAgencyZoneID
			if cl.provider == OTC {
				zone = OTCAgencyZoneID
			}
			dns := send(t, srv, cl.dns, http.MethodGet, "/v2/zones/"+zone, "", map[string]string{"X-Auth-Token": agencyTok})
			if dns.status != http.StatusOK {
				t.Errorf("delegating zone: status %d, body %s", dns.status, dns.body)
			}
			dns = send(t, srv, cl.dns, http.MethodGet, "/v2/zones/"+cl.zoneID, "", map[string]string{"X-Auth-Token": agencyTok})
			if diff := cmp.Diff(hwErr{404, "DNS.0302", "This zone does not exist.", false}, decodeHWError(t, dns)); diff != "" {
				t.Errorf("caller's zone (-want +got):\n%s", diff)
			}

			// An AK/SK signature with X-Domain-Id is a caller too (older
			// gophertelekomcloud), and a domain scope gives a domain token
			// that DNS refuses.
			body := assumeBody(cl.provider, `{"domain":{"name":"`+target.domainName+`"}}`)
			creds := hwCredsFor(cl.ak)
			creds.DomainID = acct.domainID
			req := newRequest(t, srv, cl.iam, http.MethodPost, "/v3/auth/tokens", []byte(body))
			resp = do(t, srv, signHW(t, req, []byte(body), creds, cl.otcSigner, clk.Now()))
			if resp.status != http.StatusCreated {
				t.Fatalf("by AK/SK: status %d, body %s", resp.status, resp.body)
			}
			tok := resp.jsonBody(t)["token"].(map[string]any)
			if diff := cmp.Diff(delegating, tok["domain"]); diff != "" || tok["project"] != nil {
				t.Errorf("domain-scoped token: domain (-want +got):\n%s project %v", diff, tok["project"])
			}
			dns = send(t, srv, cl.dns, http.MethodGet, "/v2/zones/"+zone, "",
				map[string]string{"X-Auth-Token": resp.header.Get("X-Subject-Token")})
			wantErr := hwErr{401, "APIGW.0301", msgIAMAuth + "a project-scoped token is required for a project-level service", true}
			if diff := cmp.Diff(wantErr, decodeHWError(t, dns)); diff != "" {
				t.Errorf("DNS with a domain token (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAgencyTokenErrors(t *testing.T) {
	t.Parallel()
	keystone := func(status int, msg string) map[string]any {
		return map[string]any{"error": map[string]any{"code": json.Number(strconv.Itoa(status)), "message": msg, "title": http.StatusText(status)}}
	}
	delegatingProject := `{"project":{"id":"` + HuaweiAgencyProjectID + `"}}`
	forbidden := keystone(403, "You are not authorized to perform the requested action.")
	tests := []struct {
		name   string
		body   string
		noAuth bool
		want   map[string]any
	}{
		{"unknown agency", `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"domain_name":"` + HuaweiAgencyDomainName +
			`","agency_name":"other"}},"scope":` + delegatingProject + `}}`, false, forbidden},
		{"unknown domain", `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"domain_id":"00000000000000000000000000000000","agency_name":"` +
			HuaweiAgencyName + `"}},"scope":` + delegatingProject + `}}`, false, forbidden},
		{"no agency name", `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"domain_name":"` + HuaweiAgencyDomainName +
			`"}},"scope":` + delegatingProject + `}}`, false,
			keystone(400, "auth.identity.assume_role needs an agency name and the delegating domain's ID or name.")},
		{"no scope", `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"domain_name":"` + HuaweiAgencyDomainName +
			`","agency_name":"` + HuaweiAgencyName + `"}}}}`, false, keystone(400, "auth.scope must name a project or a domain of the delegating domain.")},
		{"caller's own project", assumeBody(Huawei, `{"project":{"id":"`+HuaweiProjectID+`"}}`), false, keystone(401, msgKeystoneUnauthorized)},
		{"caller's own domain", assumeBody(Huawei, `{"domain":{"id":"`+HuaweiDomainID+`"}}`), false, keystone(401, msgKeystoneUnauthorized)},
		{"project of the domain named otherwise", assumeBody(Huawei, `{"project":{"name":"cn-north-4","domain":{"name":"`+HuaweiDomainName+`"}}}`), false,
			keystone(401, msgKeystoneUnauthorized)},
		{"no caller", assumeBody(Huawei, delegatingProject), true,
			map[string]any{"error_code": "APIGW.0301", "error_msg": msgIAMAuth + "x-auth-token not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := start(t)
			hdr := map[string]string{}
			if !tt.noAuth {
				tok, _ := issueToken(t, srv, dnsClouds()[0], `{"name":"`+HuaweiRegion+`"}`)
				hdr["X-Auth-Token"] = tok
			}
			resp := send(t, srv, HuaweiIAM, http.MethodPost, "/v3/auth/tokens", tt.body, hdr)
			got := resp.jsonBody(t)
			delete(got, "request_id")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if resp.header.Get("X-Subject-Token") != "" || c.TokensIssued() > 1 {
				t.Errorf("a refused assume_role issued a token")
			}
		})
	}
}

// A password login scoped to the user's domain gives a domain token: IAM
// lookups take it, DNS does not.
func TestPasswordDomainToken(t *testing.T) {
	t.Parallel()
	for _, scope := range []string{`{"domain":{"name":"` + OTCDomainName + `"}}`, `{"domain":{"id":"` + OTCDomainID + `"}}`} {
		_, srv, _ := start(t)
		body := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"` + OTCDomainName +
			`"},"name":"` + OTCUserName + `","password":"` + OTCPassword + `"}}},"scope":` + scope + `}}`
		resp := send(t, srv, OTCIAM, http.MethodPost, "/v3/auth/tokens", body, nil)
		if resp.status != http.StatusCreated {
			t.Fatalf("%s: status %d, body %s", scope, resp.status, resp.body)
		}
		tok := resp.jsonBody(t)["token"].(map[string]any)
		if diff := cmp.Diff(map[string]any{"id": OTCDomainID, "name": OTCDomainName}, tok["domain"]); diff != "" || tok["project"] != nil {
			t.Errorf("%s: domain (-want +got):\n%s project %v", scope, diff, tok["project"])
		}
		value := resp.header.Get("X-Subject-Token")
		if r := send(t, srv, OTCIAM, http.MethodGet, "/v3/auth/domains", "", map[string]string{"X-Auth-Token": value}); r.status != http.StatusOK {
			t.Errorf("%s: domains: status %d, body %s", scope, r.status, r.body)
		}
		if r := send(t, srv, OTCDNS, http.MethodGet, "/v2/zones/"+OTCZoneID, "", map[string]string{"X-Auth-Token": value}); r.status != http.StatusUnauthorized {
			t.Errorf("%s: DNS: status %d, want 401", scope, r.status)
		}
	}
}

func TestValidateToken(t *testing.T) {
	t.Parallel()
	_, srv, clk := start(t)
	cl := dnsClouds()[1]
	tok, created := issueToken(t, srv, cl, `{"name":"`+cl.region+`"}`)
	resp := send(t, srv, OTCIAM, http.MethodGet, "/v3/auth/tokens", "", map[string]string{"X-Auth-Token": tok, "X-Subject-Token": tok})
	if resp.status != http.StatusOK || resp.header.Get("X-Subject-Token") != tok {
		t.Fatalf("status %d, X-Subject-Token echoed %t, body %s", resp.status, resp.header.Get("X-Subject-Token") == tok, resp.body)
	}
	checkHWHeaders(t, resp, clk.Now())
	if diff := cmp.Diff(created.jsonBody(t), resp.jsonBody(t)); diff != "" {
		t.Errorf("body differs from the one issued (-want +got):\n%s", diff)
	}
	resp = send(t, srv, OTCIAM, http.MethodGet, "/v3/auth/tokens", "", map[string]string{"X-Auth-Token": tok, "X-Subject-Token": "MIIunknown"})
	want := map[string]any{"error": map[string]any{"code": json.Number("404"), "message": "Could not find token.", "title": "Not Found"}}
	if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
		t.Errorf("unknown subject (-want +got):\n%s", diff)
	}
	resp = send(t, srv, OTCIAM, http.MethodGet, "/v3/auth/tokens", "", map[string]string{"X-Subject-Token": tok})
	if resp.status != http.StatusUnauthorized {
		t.Errorf("no caller: status %d, want 401", resp.status)
	}
}

func TestListCatalog(t *testing.T) {
	t.Parallel()
	_, srv, clk := start(t)
	cl := dnsClouds()[1]
	req := newRequest(t, srv, OTCIAM, http.MethodGet, "/v3/auth/catalog", nil)
	resp := do(t, srv, signHW(t, req, nil, hwCredsFor(OTCAK), true, clk.Now()))
	if resp.status != http.StatusOK {
		t.Fatalf("status %d, body %s", resp.status, resp.body)
	}
	var v struct {
		Catalog []catalogEntry
		Links   map[string]any
	}
	mustOK(t, json.Unmarshal(resp.body, &v))
	want := []catalogEntry{
		{Type: "dns", Name: "dns", ID: "dns", Endpoints: []catalogEndpoint{
			{ID: "dns-public", Interface: "public", Region: cl.region, RegionID: cl.region, URL: srv.Endpoint(OTCDNS) + "/"}}},
		{Type: "identity", Name: "identity", ID: "identity", Endpoints: []catalogEndpoint{
			{ID: "identity-public", Interface: "public", Region: cl.region, RegionID: cl.region, URL: srv.Endpoint(OTCIAM) + "/v3"}}},
	}
	if diff := cmp.Diff(want, v.Catalog); diff != "" {
		t.Errorf("catalog (-want +got):\n%s", diff)
	}
	if next, ok := v.Links["next"]; !ok || next != nil {
		t.Errorf("links = %v, want next null", v.Links)
	}
}
