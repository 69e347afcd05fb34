package fakecloud

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/signer"
)

func TestCreateTokenWithIDToken(t *testing.T) {
	t.Parallel()
	for _, p := range []Provider{Huawei, OTC} {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			resp := send(t, srv, iamOf(p), http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens",
				`{"auth":{"id_token":{"id":"`+IDTokenValue+`"}}}`,
				map[string]string{"X-Idp-Id": idpOf(p), "Content-Type": "application/json;charset=UTF-8"})
			if resp.status != http.StatusCreated || resp.header.Get("X-Subject-Token") == "" {
				t.Fatalf("status %d, X-Subject-Token %q, body %s", resp.status, resp.header.Get("X-Subject-Token"), resp.body)
			}
			checkHWHeaders(t, resp, clk.Now())
			body := resp.jsonBody(t)
			user := body["token"].(map[string]any)["user"].(map[string]any)
			if id, _ := user["id"].(string); !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
				t.Errorf("user id = %q, want 32 hex digits", id)
			}
			delete(user, "id")
			acct := accountOf(p)
			want := map[string]any{"token": map[string]any{
				"methods":    []any{"mapped"},
				"issued_at":  "2025-01-02T03:04:05.678000Z",
				"expires_at": "2025-01-03T03:04:05.678000Z",
				"user": map[string]any{
					"name":   IDTokenSubject,
					"domain": map[string]any{"id": acct.domainID, "name": acct.domainName},
					"OS-FEDERATION": map[string]any{
						"identity_provider": map[string]any{"id": idpOf(p)},
						"protocol":          map[string]any{"id": "oidc"},
						"groups":            []any{},
					},
				},
			}}
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if got := c.TokensIssued(); got != 1 {
				t.Errorf("TokensIssued = %d, want 1", got)
			}

			// An unscoped token buys keys but opens no service.
			tok := resp.header.Get("X-Subject-Token")
			dns := send(t, srv, dnsOf(p), http.MethodGet, "/v2/zones/"+zoneOf(p), "", map[string]string{"X-Auth-Token": tok})
			wantErr := hwErr{401, "APIGW.0301", msgIAMAuth + "the token is unscoped", true}
			if diff := cmp.Diff(wantErr, decodeHWError(t, dns)); diff != "" {
				t.Errorf("DNS with an unscoped token (-want +got):\n%s", diff)
			}
		})
	}
}

// zoneOf returns cloud p's seeded zone with two VPCs.
func zoneOf(p Provider) string {
	if p == OTC {
		return OTCZoneID
	}
	return HuaweiZoneID
}

// A scoped federated token is a token like any other.
func TestCreateTokenWithIDTokenScoped(t *testing.T) {
	t.Parallel()
	_, srv, _ := start(t)
	resp := send(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens",
		`{"auth":{"id_token":{"id":"`+IDTokenValue+`"},"scope":{"project":{"name":"`+HuaweiRegion+`"}}}}`,
		map[string]string{"X-Idp-Id": HuaweiIdPID})
	if resp.status != http.StatusCreated {
		t.Fatalf("status %d, body %s", resp.status, resp.body)
	}
	tok := resp.jsonBody(t)["token"].(map[string]any)
	wantProject := map[string]any{"id": HuaweiProjectID, "name": HuaweiRegion,
		"domain": map[string]any{"id": HuaweiDomainID, "name": HuaweiDomainName}}
	if diff := cmp.Diff(wantProject, tok["project"]); diff != "" {
		t.Errorf("project (-want +got):\n%s", diff)
	}
	if tok["catalog"] == nil || tok["roles"] == nil {
		t.Errorf("a scoped token has no catalog or roles: %v", tok)
	}
	dns := send(t, srv, HuaweiDNS, http.MethodGet, "/v2/zones/"+HuaweiZoneID, "",
		map[string]string{"X-Auth-Token": resp.header.Get("X-Subject-Token")})
	if dns.status != http.StatusOK {
		t.Errorf("DNS with a project-scoped federated token: status %d, body %s", dns.status, dns.body)
	}
}

func TestCreateTokenWithIDTokenErrors(t *testing.T) {
	t.Parallel()
	body := func(idToken string) string { return `{"auth":{"id_token":{"id":"` + idToken + `"}}}` }
	invalid := iamErr{400, "IAM.0011", "Request body is invalid."}
	unauthorized := iamErr{401, "IAM.0001", "The request you have made requires authentication."}
	tests := []struct {
		name string
		svc  Service
		idp  string
		body string
		want iamErr
	}{
		{"no X-Idp-Id", HuaweiIAM, "", body(IDTokenValue), invalid},
		{"unknown identity provider", HuaweiIAM, "someone-else", body(IDTokenValue), iamErr{404, "IAM.0004", "Could not find identity_provider."}},
		{"the other cloud's provider", HuaweiIAM, OTCIdPID, body(IDTokenValue), iamErr{404, "IAM.0004", "Could not find identity_provider."}},
		{"not JSON", OTCIAM, OTCIdPID, `{"auth":`, invalid},
		{"no id_token", OTCIAM, OTCIdPID, `{"auth":{}}`, invalid},
		{"empty ID token", OTCIAM, OTCIdPID, body(""), invalid},
		{"unknown ID token", HuaweiIAM, HuaweiIdPID, body("eyJ.unknown.token"), unauthorized},
		{"expired ID token", HuaweiIAM, HuaweiIdPID, body(ExpiredIDTokenValue), unauthorized},
		{"foreign project", HuaweiIAM, HuaweiIdPID,
			`{"auth":{"id_token":{"id":"` + IDTokenValue + `"},"scope":{"project":{"id":"` + OTCProjectID + `"}}}}`, unauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := start(t)
			hdr := map[string]string{}
			if tt.idp != "" {
				hdr["X-Idp-Id"] = tt.idp
			}
			resp := send(t, srv, tt.svc, http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens", tt.body, hdr)
			if diff := cmp.Diff(tt.want, decodeIAMError(t, resp)); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if resp.header.Get("X-Subject-Token") != "" || c.TokensIssued() != 0 {
				t.Errorf("a refused federation issued a token")
			}
		})
	}
}

// An added ID token is accepted until it expires, on the emulator clock.
func TestAddIDToken(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	c.AddIDToken(IDToken{Token: "eyJ.rotated.token", Expires: t0.Add(time.Hour), Subject: "ci-job"})
	post := func() response {
		return send(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens",
			`{"auth":{"id_token":{"id":"eyJ.rotated.token"}}}`, map[string]string{"X-Idp-Id": HuaweiIdPID})
	}
	resp := post()
	if resp.status != http.StatusCreated {
		t.Fatalf("status %d, body %s", resp.status, resp.body)
	}
	name := resp.jsonBody(t)["token"].(map[string]any)["user"].(map[string]any)["name"]
	if name != "ci-job" {
		t.Errorf("user name = %v, want the token's subject", name)
	}
	clk.Advance(time.Hour)
	if got := decodeIAMError(t, post()); got.Status != http.StatusUnauthorized {
		t.Errorf("after expiry: %+v, want 401", got)
	}
	c.Reset()
	if got := decodeIAMError(t, post()); got.Status != http.StatusUnauthorized {
		t.Errorf("after Reset: %+v, want 401", got)
	}
}

// Federation, then keys, then DNS and Identity Center with those keys: the
// path huaweicloud-sdk-go-v3 takes with HUAWEICLOUD_SDK_IDP_ID.
func TestTemporaryAccessKeyByToken(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	tok := federate(t, srv, Huawei)
	resp := send(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens",
		`{"auth":{"identity":{"methods":["token"],"token":{"id":"`+tok+`","duration_seconds":21600}}}}`,
		map[string]string{"Content-Type": "application/json;charset=UTF-8"})
	if resp.status != http.StatusCreated {
		t.Fatalf("status %d, body %s", resp.status, resp.body)
	}
	checkHWHeaders(t, resp, clk.Now())
	cred := decodeCredential(t, resp)
	if !regexp.MustCompile(`^[A-Z0-9]{20}$`).MatchString(cred.Access) || len(cred.Secret) != 40 || cred.SecurityToken == "" {
		t.Errorf("credential = %s/%d-byte secret/%d-byte token, want a 20-character AK, a 40-character SK and a token",
			cred.Access, len(cred.Secret), len(cred.SecurityToken))
	}
	if want := "2025-01-02T09:04:05.678000Z"; cred.ExpiresAt != want {
		t.Errorf("expires_at = %q, want %q (6 hours)", cred.ExpiresAt, want)
	}
	issued := c.IssuedHuaweiCredentials()
	wantIssued := []HuaweiIssuedCredentials{{
		Op: OpCreateTemporaryAccessKey, Provider: Huawei, AccessKey: cred.Access, SecretKey: cred.Secret,
		SecurityToken: cred.SecurityToken, DomainID: HuaweiDomainID, Issued: t0, Expires: t0.Add(6 * time.Hour),
	}}
	if diff := cmp.Diff(wantIssued, issued); diff != "" {
		t.Errorf("IssuedHuaweiCredentials (-want +got):\n%s", diff)
	}

	if r := showZoneAs(t, srv, Huawei, cred.signer(HuaweiProjectID, ""), clk.Now(), HuaweiZoneID); r.status != http.StatusOK {
		t.Errorf("DNS with the keys: status %d, body %s", r.status, r.body)
	}
	if r := deleteICProfile(t, srv, cred.signer("", HuaweiDomainID), clk.Now()); r.status != http.StatusOK {
		t.Errorf("Identity Center with the keys: status %d, body %s", r.status, r.body)
	}
	wrongToken := cred.signer(HuaweiProjectID, "")
	wrongToken.SecurityToken = HuaweiSecurityToken
	want := hwErr{401, "APIGW.0301", msgIAMAuth + "the security token does not belong to the access key", true}
	if diff := cmp.Diff(want, decodeHWError(t, showZoneAs(t, srv, Huawei, wrongToken, clk.Now(), HuaweiZoneID))); diff != "" {
		t.Errorf("another key's token (-want +got):\n%s", diff)
	}
	otc := cred.signer(OTCProjectID, "")
	want = hwErr{401, "APIGW.0301", msgIAMAuth + "Get secretKey failed, ak not exist", true}
	if diff := cmp.Diff(want, decodeHWError(t, showZoneAs(t, srv, OTC, otc, clk.Now(), OTCZoneID))); diff != "" {
		t.Errorf("Huawei keys on OTC (-want +got):\n%s", diff)
	}

	// Expiry, on the emulator clock.
	clk.Advance(6*time.Hour - time.Millisecond)
	if r := showZoneAs(t, srv, Huawei, cred.signer(HuaweiProjectID, ""), clk.Now(), HuaweiZoneID); r.status != http.StatusOK {
		t.Errorf("just before expiry: status %d, body %s", r.status, r.body)
	}
	clk.Advance(time.Millisecond)
	want = hwErr{401, "APIGW.0301", msgIAMAuth + "the security token has expired", true}
	if diff := cmp.Diff(want, decodeHWError(t, showZoneAs(t, srv, Huawei, cred.signer(HuaweiProjectID, ""), clk.Now(), HuaweiZoneID))); diff != "" {
		t.Errorf("at expiry (-want +got):\n%s", diff)
	}
}

func TestTemporaryAccessKeyByTokenVariants(t *testing.T) {
	t.Parallel()
	invalid := iamErr{400, "IAM.0011", "Request body is invalid."}
	unauthorized := iamErr{401, "IAM.0001", "The request you have made requires authentication."}
	const bogus = "MIIfakecloudUnknownToken"
	tests := []struct {
		name    string
		body    string // %TOKEN% is a federated token
		header  string // X-Auth-Token; %TOKEN% likewise
		expires string // on success
		err     *iamErr
	}{
		{"default 15 minutes", `{"auth":{"identity":{"methods":["token"],"token":{"id":"%TOKEN%"}}}}`, "", "2025-01-02T03:19:05.678000Z", nil},
		{"duration as a string", `{"auth":{"identity":{"methods":["token"],"token":{"id":"%TOKEN%","duration_seconds":"900"}}}}`, "", "2025-01-02T03:19:05.678000Z", nil},
		{"24 hours", `{"auth":{"identity":{"methods":["token"],"token":{"id":"%TOKEN%","duration_seconds":86400}}}}`, "", "2025-01-03T03:04:05.678000Z", nil},
		{"token in X-Auth-Token only", `{"auth":{"identity":{"methods":["token"]}}}`, "%TOKEN%", "2025-01-02T03:19:05.678000Z", nil},
		{"X-Auth-Token wins over the body", `{"auth":{"identity":{"methods":["token"],"token":{"id":"` + bogus + `"}}}}`, "%TOKEN%", "2025-01-02T03:19:05.678000Z", nil},
		{"a bad X-Auth-Token is not saved by the body", `{"auth":{"identity":{"methods":["token"],"token":{"id":"%TOKEN%"}}}}`, bogus, "", &unauthorized},
		{"no token", `{"auth":{"identity":{"methods":["token"]}}}`, "", "", &unauthorized},
		{"unknown token", `{"auth":{"identity":{"methods":["token"],"token":{"id":"` + bogus + `"}}}}`, "", "", &unauthorized},
		{"duration too short", `{"auth":{"identity":{"methods":["token"],"token":{"id":"%TOKEN%","duration_seconds":899}}}}`, "", "", &invalid},
		{"duration too long", `{"auth":{"identity":{"methods":["token"],"token":{"id":"%TOKEN%","duration_seconds":86401}}}}`, "", "", &invalid},
		{"duration not a number", `{"auth":{"identity":{"methods":["token"],"token":{"id":"%TOKEN%","duration_seconds":"soon"}}}}`, "", "", &invalid},
		{"two methods", `{"auth":{"identity":{"methods":["token","assume_role"],"token":{"id":"%TOKEN%"}}}}`, "", "", &invalid},
		{"unknown method", `{"auth":{"identity":{"methods":["password"]}}}`, "", "", &invalid},
		{"assume_role without its object", `{"auth":{"identity":{"methods":["assume_role"]}}}`, "", "", &invalid},
		{"not JSON", `{"auth"`, "", "", &invalid},
		{"no identity", `{"auth":{}}`, "", "", &invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv, _ := start(t)
			tok := federate(t, srv, OTC)
			fill := func(s string) string { return regexp.MustCompile(`%TOKEN%`).ReplaceAllLiteralString(s, tok) }
			hdr := map[string]string{}
			if tt.header != "" {
				hdr["X-Auth-Token"] = fill(tt.header)
			}
			resp := send(t, srv, OTCIAM, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", fill(tt.body), hdr)
			if tt.err != nil {
				if diff := cmp.Diff(*tt.err, decodeIAMError(t, resp)); diff != "" {
					t.Errorf("answer (-want +got):\n%s", diff)
				}
				return
			}
			if got := decodeCredential(t, resp).ExpiresAt; got != tt.expires {
				t.Errorf("expires_at = %q, want %q", got, tt.expires)
			}
		})
	}
}

// Every issue is a new key, and both stay valid.
func TestTemporaryAccessKeysRotate(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	tok := federate(t, srv, Huawei)
	first, second := keysForToken(t, srv, Huawei, tok), keysForToken(t, srv, Huawei, tok)
	if first.Access == second.Access || first.Secret == second.Secret || first.SecurityToken == second.SecurityToken {
		t.Errorf("two issues gave the same key, secret or token")
	}
	for _, cred := range []tempCredential{first, second} {
		if r := showZoneAs(t, srv, Huawei, cred.signer(HuaweiProjectID, ""), clk.Now(), HuaweiZoneID); r.status != http.StatusOK {
			t.Errorf("DNS: status %d, body %s", r.status, r.body)
		}
	}
	if n := len(c.IssuedHuaweiCredentials()); n != 2 {
		t.Errorf("IssuedHuaweiCredentials has %d entries, want 2", n)
	}
}

// The token a password login gives buys keys too, and expired tokens none.
func TestTemporaryAccessKeyTokenExpiry(t *testing.T) {
	t.Parallel()
	_, srv, clk := start(t, WithTokenTTL(time.Hour))
	cl := dnsClouds()[0]
	tok, _ := issueToken(t, srv, cl, `{"name":"`+cl.region+`"}`)
	keysForToken(t, srv, Huawei, tok)
	clk.Advance(time.Hour)
	resp := send(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens",
		`{"auth":{"identity":{"methods":["token"],"token":{"id":"`+tok+`"}}}}`, nil)
	want := iamErr{401, "IAM.0001", "The request you have made requires authentication."}
	if diff := cmp.Diff(want, decodeIAMError(t, resp)); diff != "" {
		t.Errorf("expired token (-want +got):\n%s", diff)
	}
	// A token of the other cloud is unknown here.
	otcTok := federate(t, srv, OTC)
	resp = send(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens",
		`{"auth":{"identity":{"methods":["token"],"token":{"id":"`+otcTok+`"}}}}`, nil)
	if diff := cmp.Diff(want, decodeIAMError(t, resp)); diff != "" {
		t.Errorf("OTC token at Huawei IAM (-want +got):\n%s", diff)
	}
}

func TestTemporaryAccessKeyByAgency(t *testing.T) {
	t.Parallel()
	for _, cl := range dnsClouds() {
		t.Run(string(cl.provider), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			target := delegatingAccountOf(cl.provider)
			agency := agencyNameOf(cl.provider)
			body := `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"` + agency +
				`","domain_name":"` + target.domainName + `"}}}}`

			// By a user token.
			tok, _ := issueToken(t, srv, cl, `{"name":"`+cl.region+`"}`)
			cred := decodeCredential(t, send(t, srv, cl.iam, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", body,
				map[string]string{"X-Auth-Token": tok}))
			if want := "2025-01-02T03:19:05.678000Z"; cred.ExpiresAt != want {
				t.Errorf("expires_at = %q, want %q", cred.ExpiresAt, want)
			}
			zone := HuaweiAgencyZoneID
			if cl.provider == OTC {
				zone = OTCAgencyZoneID
			}
			if r := showZoneAs(t, srv, cl.provider, cred.signer(target.defaultProject().id, ""), clk.Now(), zone); r.status != http.StatusOK {
				t.Errorf("DNS in the delegating project: status %d, body %s", r.status, r.body)
			}
			want := hwErr{403, "APIGW.0310", "The project is unavailable.", true}
			if diff := cmp.Diff(want, decodeHWError(t, showZoneAs(t, srv, cl.provider, cred.signer(cl.projectID, ""), clk.Now(), cl.zoneID))); diff != "" {
				t.Errorf("DNS in the caller's own project (-want +got):\n%s", diff)
			}
			if got := c.IssuedHuaweiCredentials()[0].DomainID; got != target.domainID {
				t.Errorf("issued DomainID = %q, want the delegating domain", got)
			}

			// By an AK/SK signature with X-Domain-Id, as gophertelekomcloud
			// v0.9.8 sends it, and a domain ID and a duration.
			body = `{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"agency_name":"` + agency +
				`","domain_id":"` + target.domainID + `","duration_seconds":3600}}}}`
			creds := hwCredsFor(cl.ak)
			creds.DomainID = accountOf(cl.provider).domainID
			req := newRequest(t, srv, cl.iam, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", []byte(body))
			cred = decodeCredential(t, do(t, srv, signHW(t, req, []byte(body), creds, cl.otcSigner, clk.Now())))
			if want := "2025-01-02T04:04:05.678000Z"; cred.ExpiresAt != want {
				t.Errorf("expires_at = %q, want %q", cred.ExpiresAt, want)
			}

			// The delegating domain's keys cannot assume the agency again.
			req = newRequest(t, srv, cl.iam, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", []byte(body))
			resp := do(t, srv, signHW(t, req, []byte(body), cred.signer("", target.domainID), cl.otcSigner, clk.Now()))
			wantErr := iamErr{403, "IAM.0003", "Policy doesn't allow iam:agencies:assume to be performed."}
			if diff := cmp.Diff(wantErr, decodeIAMError(t, resp)); diff != "" {
				t.Errorf("agency keys assuming again (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTemporaryAccessKeyByAgencyErrors(t *testing.T) {
	t.Parallel()
	body := func(assume string) string {
		return `{"auth":{"identity":{"methods":["assume_role"],"assume_role":` + assume + `}}}`
	}
	notFound := iamErr{404, "IAM.0004", "Could not find agency."}
	invalid := iamErr{400, "IAM.0011", "Request body is invalid."}
	tests := []struct {
		name   string
		body   string
		noAuth bool
		want   any
	}{
		{"unknown agency", body(`{"agency_name":"other","domain_name":"` + HuaweiAgencyDomainName + `"}`), false, notFound},
		{"unknown domain", body(`{"agency_name":"` + HuaweiAgencyName + `","domain_name":"nobody"}`), false, notFound},
		{"own domain", body(`{"agency_name":"` + HuaweiAgencyName + `","domain_id":"` + HuaweiDomainID + `"}`), false, notFound},
		{"no agency name", body(`{"domain_name":"` + HuaweiAgencyDomainName + `"}`), false, invalid},
		{"no domain", body(`{"agency_name":"` + HuaweiAgencyName + `"}`), false, invalid},
		{"duration too long", body(`{"agency_name":"` + HuaweiAgencyName + `","domain_name":"` + HuaweiAgencyDomainName + `","duration_seconds":90000}`), false, invalid},
		{"no caller", body(`{"agency_name":"` + HuaweiAgencyName + `","domain_name":"` + HuaweiAgencyDomainName + `"}`), true,
			iamErr{401, "IAM.0001", "The request you have made requires authentication."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			req := newRequest(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", []byte(tt.body))
			if !tt.noAuth {
				req = signHW(t, req, []byte(tt.body), hwCredsFor(HuaweiAK), false, clk.Now())
			}
			if diff := cmp.Diff(tt.want, decodeIAMError(t, do(t, srv, req))); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if n := len(c.IssuedHuaweiCredentials()); n != 0 {
				t.Errorf("%d keys issued", n)
			}
		})
	}
	// A signature the gateway refuses gets the gateway's answer.
	_, srv, clk := start(t)
	b := body(`{"agency_name":"` + HuaweiAgencyName + `","domain_name":"` + HuaweiAgencyDomainName + `"}`)
	req := newRequest(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", []byte(b))
	resp := do(t, srv, signHW(t, req, []byte(b), signer.HuaweiCredentials{AccessKey: HuaweiAK, SecretKey: "wrong"}, false, clk.Now()))
	want := hwErr{401, "APIGW.0301", msgIAMAuth + "verify aksk signature fail", true}
	if diff := cmp.Diff(want, decodeHWError(t, resp)); diff != "" {
		t.Errorf("bad signature (-want +got):\n%s", diff)
	}
}

// Injected faults on the /v3.0 operations answer in their shape.
func TestIAMV30Faults(t *testing.T) {
	t.Parallel()
	c, srv, _ := start(t)
	c.Inject(OpCreateTokenWithIDToken, Fault{Kind: ServerError, Status: http.StatusInternalServerError})
	c.Inject(OpCreateTemporaryAccessKey, Fault{Kind: ServerError})
	c.Inject(OpCreateTemporaryAccessKey, Fault{Kind: Throttle})
	serverErr := func(status int) iamErr {
		return iamErr{status, "IAM.0006", "An unexpected error prevented the server from fulfilling your request."}
	}
	resp := send(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens",
		`{"auth":{"id_token":{"id":"`+IDTokenValue+`"}}}`, map[string]string{"X-Idp-Id": HuaweiIdPID})
	if diff := cmp.Diff(serverErr(500), decodeIAMError(t, resp)); diff != "" {
		t.Errorf("500 (-want +got):\n%s", diff)
	}
	tok := federate(t, srv, Huawei)
	keys := func() response {
		return send(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens",
			`{"auth":{"identity":{"methods":["token"],"token":{"id":"`+tok+`"}}}}`, nil)
	}
	if diff := cmp.Diff(serverErr(503), decodeIAMError(t, keys())); diff != "" {
		t.Errorf("503 (-want +got):\n%s", diff)
	}
	want := hwErr{429, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute", true}
	if diff := cmp.Diff(want, decodeHWError(t, keys())); diff != "" {
		t.Errorf("throttled (-want +got):\n%s", diff)
	}
	keysForToken(t, srv, Huawei, tok)
	if got := c.Requests(OpCreateTemporaryAccessKey); got != 3 {
		t.Errorf("Requests = %d, want 3", got)
	}
}
