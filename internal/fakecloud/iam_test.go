package fakecloud

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestCreateToken(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		for _, scope := range []string{`{"name":"` + cl.region + `"}`, `{"id":"` + cl.projectID + `"}`} {
			t.Run(string(cl.provider)+scope, func(t *testing.T) {
				t.Parallel()
				c, srv, clk := start(t)
				tok, resp := issueToken(t, srv, cl, scope)
				if resp.status != http.StatusCreated {
					t.Fatalf("status = %d, body %s", resp.status, resp.body)
				}
				if tok == "" {
					t.Error("no X-Subject-Token")
				}
				checkHWHeaders(t, resp, clk.Now())
				acct := accountOf(cl.provider)
				domain := map[string]any{"id": acct.domainID, "name": acct.domainName}
				want := map[string]any{"token": map[string]any{
					"methods":    []any{"password"},
					"issued_at":  "2025-01-02T03:04:05.678Z",
					"expires_at": "2025-01-03T03:04:05.678Z",
					"user":       map[string]any{"id": acct.userID, "name": acct.userName, "domain": domain},
					"project":    map[string]any{"id": cl.projectID, "name": cl.region, "domain": domain},
					"roles":      []any{map[string]any{"id": "0", "name": "te_admin"}},
				}}
				got := resp.jsonBody(t)
				if diff := cmp.Diff(want, got, cmpopts.IgnoreMapEntries(func(k string, _ any) bool { return k == "catalog" })); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				catalog := got["token"].(map[string]any)["catalog"].([]any)
				dns := catalog[0].(map[string]any)["endpoints"].([]any)[0].(map[string]any)
				if want := srv.Endpoint(cl.dns) + "/"; dns["url"] != want || dns["region"] != cl.region {
					t.Errorf("catalog dns endpoint = %v, want url %s in %s", dns, want, cl.region)
				}
				if got := c.TokensIssued(); got != 1 {
					t.Errorf("TokensIssued = %d, want 1", got)
				}
			})
		}
	}
}

func TestCreateTokenErrors(t *testing.T) {
	t.Parallel()
	unauthorized := map[string]any{"error": map[string]any{
		"code": json.Number("401"), "message": "The request you have made requires authentication.", "title": "Unauthorized"}}
	badRequest := func(msg string) map[string]any {
		return map[string]any{"error": map[string]any{"code": json.Number("400"), "message": msg, "title": "Bad Request"}}
	}
	login := func(domain, user, pw, scope string) string {
		return `{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"` + domain +
			`"},"name":"` + user + `","password":"` + pw + `"}}},"scope":{"project":` + scope + `}}}`
	}
	scope := `{"name":"` + HuaweiRegion + `"}`
	tests := []struct {
		name   string
		svc    Service
		body   string
		status int
		want   map[string]any
	}{
		{"wrong password", HuaweiIAM, login(HuaweiDomainName, HuaweiUserName, "wrong", scope), 401, unauthorized},
		{"wrong user", HuaweiIAM, login(HuaweiDomainName, "someone", HuaweiPassword, scope), 401, unauthorized},
		{"wrong domain", HuaweiIAM, login(OTCDomainName, HuaweiUserName, HuaweiPassword, scope), 401, unauthorized},
		{"huawei user on otc", OTCIAM, login(HuaweiDomainName, HuaweiUserName, HuaweiPassword, `{"name":"eu-de"}`), 401, unauthorized},
		{"unknown project", HuaweiIAM, login(HuaweiDomainName, HuaweiUserName, HuaweiPassword, `{"name":"eu-de"}`), 401, unauthorized},
		{"bad json", HuaweiIAM, `{"auth":`, 400, badRequest("The request body is not valid JSON.")},
		{"no password method", OTCIAM, `{"auth":{"identity":{"methods":["token"]},"scope":{"project":{"name":"eu-de"}}}}`, 400,
			badRequest("auth.identity must use the password or assume_role method; no other method is emulated.")},
		{"no scope", HuaweiIAM, `{"auth":{"identity":{"methods":["password"],"password":{"user":{}}}}}`, 400,
			badRequest("auth.scope must name a project or a domain; unscoped password tokens are not emulated.")},
		{"foreign domain scope", HuaweiIAM, login(HuaweiDomainName, HuaweiUserName, HuaweiPassword, `{"name":"cn-north-4","domain":{"name":"x"}}`), 401, unauthorized},
		{"delegating project", HuaweiIAM, login(HuaweiDomainName, HuaweiUserName, HuaweiPassword, `{"id":"`+HuaweiAgencyProjectID+`"}`), 401, unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			req := newRequest(t, srv, tt.svc, http.MethodPost, "/v3/auth/tokens", []byte(tt.body))
			resp := do(t, srv, req)
			if resp.status != tt.status {
				t.Errorf("status = %d, want %d", resp.status, tt.status)
			}
			if diff := cmp.Diff(tt.want, resp.jsonBody(t)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if tok := resp.header.Get("X-Subject-Token"); tok != "" {
				t.Errorf("X-Subject-Token = %q on a failed login", tok)
			}
			checkHWHeaders(t, resp, clk.Now())
			if got := c.TokensIssued(); got != 0 {
				t.Errorf("TokensIssued = %d, want 0", got)
			}
		})
	}
}

func TestIAMLookups(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		t.Run(string(cl.provider), func(t *testing.T) {
			t.Parallel()
			_, srv, clk := start(t)
			acct := accountOf(cl.provider)
			get := func(path string) response {
				req := newRequest(t, srv, cl.iam, http.MethodGet, path, nil)
				return do(t, srv, signHW(t, req, nil, hwCredsFor(cl.ak), cl.otcSigner, clk.Now()))
			}
			resp := get("/v3/projects?name=" + cl.region)
			if resp.status != http.StatusOK {
				t.Fatalf("projects: status = %d, body %s", resp.status, resp.body)
			}
			projects := resp.jsonBody(t)["projects"]
			want := []any{map[string]any{"id": cl.projectID, "name": cl.region, "domain_id": acct.domainID,
				"parent_id": acct.domainID, "description": "", "enabled": true, "is_domain": false}}
			if diff := cmp.Diff(want, projects); diff != "" {
				t.Errorf("projects (-want +got):\n%s", diff)
			}
			if got, _ := ProjectID(cl.provider, cl.region); got != cl.projectID {
				t.Errorf("ProjectID = %q, want %q", got, cl.projectID)
			}

			resp = get("/v3/projects?name=nowhere-1")
			if diff := cmp.Diff([]any{}, resp.jsonBody(t)["projects"]); diff != "" {
				t.Errorf("unknown region (-want +got):\n%s", diff)
			}
			resp = get("/v3/projects")
			if n := len(resp.jsonBody(t)["projects"].([]any)); n != 2 {
				t.Errorf("all projects: %d, want 2", n)
			}

			resp = get("/v3/auth/domains")
			if resp.status != http.StatusOK {
				t.Fatalf("domains: status = %d, body %s", resp.status, resp.body)
			}
			wantDomains := []any{map[string]any{"id": acct.domainID, "name": acct.domainName, "description": "", "enabled": true}}
			if diff := cmp.Diff(wantDomains, resp.jsonBody(t)["domains"]); diff != "" {
				t.Errorf("domains (-want +got):\n%s", diff)
			}
			checkHWHeaders(t, resp, clk.Now())
			if diff := cmp.Diff(wantDomains, get("/v3/auth/domains?name=" + acct.domainName).jsonBody(t)["domains"]); diff != "" {
				t.Errorf("domains by name (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]any{}, get("/v3/auth/domains?name=another").jsonBody(t)["domains"]); diff != "" {
				t.Errorf("another domain by name (-want +got):\n%s", diff)
			}

			// Unsigned lookups are refused.
			req := newRequest(t, srv, cl.iam, http.MethodGet, "/v3/auth/domains", nil)
			wantErr := hwErr{401, "APIGW.0301", msgIAMAuth + "x-auth-token not found", true}
			if diff := cmp.Diff(wantErr, decodeHWError(t, do(t, srv, req))); diff != "" {
				t.Errorf("unsigned (-want +got):\n%s", diff)
			}
		})
	}
}

// Lookups accept a token too, until it expires.
func TestIAMLookupWithToken(t *testing.T) {
	t.Parallel()
	_, srv, clk := start(t, WithTokenTTL(10*time.Minute))
	cl := dnsClouds()[1]
	tok, _ := issueToken(t, srv, cl, `{"name":"`+cl.region+`"}`)
	get := func() response {
		req := newRequest(t, srv, cl.iam, http.MethodGet, "/v3/auth/domains", nil)
		req.Header.Set("X-Auth-Token", tok)
		return do(t, srv, req)
	}
	if resp := get(); resp.status != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.status, resp.body)
	}
	clk.Advance(10*time.Minute - time.Millisecond)
	if resp := get(); resp.status != http.StatusOK {
		t.Fatalf("just before expiry: status = %d, body %s", resp.status, resp.body)
	}
	clk.Advance(time.Millisecond)
	want := hwErr{401, "APIGW.0301", msgIAMAuth + "token expires, expires_at: 2025-01-02T03:14:05.678Z", true}
	if diff := cmp.Diff(want, decodeHWError(t, get())); diff != "" {
		t.Errorf("at expiry (-want +got):\n%s", diff)
	}
}
