package fakecloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/google/go-cmp/cmp"
)

func TestRouting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		method string
		path   string // full escaped path
		status int
		code   string // X-Amzn-ErrorType or error_code
		reqID  string // the request-ID header expected
	}{
		{"no service", http.MethodGet, "/nowhere", 404, "", "X-Request-Id"},
		{"prefix must end at a segment", http.MethodPost, "/aws/profilex/domains/d/profiles/objects/delete", 404, "", "X-Request-Id"},
		{"aws wrong method", http.MethodGet, "/aws/route53profiles/profileassociation/Profileid/a/resourceid/b", 404, "UnknownOperationException", "X-Amzn-RequestId"},
		{"aws path is case-sensitive", http.MethodDelete, "/aws/route53profiles/profileassociation/profileid/a/resourceid/b", 404, "UnknownOperationException", "X-Amzn-RequestId"},
		{"aws extra segment", http.MethodPost, "/aws/profile/domains/d/profiles/objects/delete/x", 404, "UnknownOperationException", "X-Amzn-RequestId"},
		{"huawei unknown api", http.MethodGet, "/huaweicloud/dns/v2/zones", 404, "APIGW.0101", "X-Request-Id"},
		{"otc iam wrong method", http.MethodDelete, "/otc/iam/v3/auth/tokens", 404, "APIGW.0101", "X-Request-Id"},
		{"service root", http.MethodGet, "/huaweicloud/identitycenter", 404, "APIGW.0101", "X-Request-Id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			req, err := http.NewRequestWithContext(t.Context(), tt.method, srv.URL+tt.path, nil)
			mustOK(t, err)
			resp := do(t, srv, req)
			m := resp.jsonBody(t)
			code := resp.header.Get("X-Amzn-ErrorType")
			if s, ok := m["error_code"].(string); ok {
				code = s
			}
			if resp.status != tt.status || code != tt.code {
				t.Errorf("got %d %q, want %d %q (body %s)", resp.status, code, tt.status, tt.code, resp.body)
			}
			if resp.header.Get(tt.reqID) == "" {
				t.Errorf("no %s header", tt.reqID)
			}
			if got, want := resp.header.Get("Date"), clk.Now().Format(http.TimeFormat); got != want {
				t.Errorf("Date = %q, want %q", got, want)
			}
			for _, op := range []string{OpDisassociateProfile, OpDeleteProfileObject, OpDeleteProfile, OpDisassociateRouter,
				OpCreateToken, OpListProjects, OpListAuthDomains} {
				if n := c.Requests(op); n != 0 {
					t.Errorf("Requests(%s) = %d for an unrouted request", op, n)
				}
			}
		})
	}
}

func TestRequestsCountsUnauthenticated(t *testing.T) {
	t.Parallel()
	c, srv, _ := start(t)
	req := newRequest(t, srv, HuaweiDNS, http.MethodPost, dnsPath(HuaweiZoneID), routerBody(HuaweiVPCID, ""))
	if resp := do(t, srv, req); resp.status != http.StatusUnauthorized {
		t.Fatalf("status = %d", resp.status)
	}
	if got := c.Requests(OpDisassociateRouter); got != 1 {
		t.Errorf("Requests = %d, want 1", got)
	}
}

func TestResetRestoresSeed(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	oc := opCases()
	for _, svc := range []Service{Route53Profiles, CustomerProfiles, IdentityCenter, HuaweiDNS, OTCIAM} {
		do(t, srv, oc[svc].build(t, srv, clk.Now()))
	}
	c.AddZone(OTC, "extra", Router{ID: "v"})
	c.Reset()
	if ok, status := c.ProfileAssociation(R53ProfileID, R53VPCID); !ok || status != "COMPLETE" {
		t.Errorf("association: %v %q", ok, status)
	}
	if !c.ProfileObject(CPDomainName, CPObjectTypeName, CPProfileID, CPObjectKey) ||
		!c.ApplicationProfile(ICInstanceID, ICApplicationInstanceID, ICProfileID) {
		t.Error("seed objects not restored")
	}
	if routers, _ := c.Zone(Huawei, HuaweiZoneID); routers[0].Status != RouterActive {
		t.Errorf("router: %+v", routers[0])
	}
	if _, ok := c.Zone(OTC, "extra"); ok {
		t.Error("added zone survived Reset")
	}
	if c.TokensIssued() != 0 || c.Requests(OpDeleteProfile) != 0 {
		t.Error("counters survived Reset")
	}
}

// Concurrent disassociations of a two-VPC zone: exactly one succeeds, the
// others meet the last-VPC rule or find their VPC gone. Token issuance,
// fault injection and counters run alongside. Run with -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	const workers = 16
	type result struct {
		status int
		code   string
	}
	results := make(chan result, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			vpc := HuaweiVPCID
			if i%2 == 1 {
				vpc = HuaweiVPCID2
			}
			body := routerBody(vpc, "")
			creds := hwCredsFor(HuaweiAK)
			creds.ProjectID = HuaweiProjectID
			req := newRequest(t, srv, HuaweiDNS, http.MethodPost, dnsPath(HuaweiZoneID), body)
			resp := do(t, srv, signHW(t, req, body, creds, false, clk.Now()))
			r := result{status: resp.status}
			if resp.status != http.StatusAccepted {
				r.code = decodeHWError(t, resp).Code
			}
			results <- r
		})
		wg.Go(func() {
			issueToken(t, srv, dnsClouds()[i%2], `{"name":"`+dnsClouds()[i%2].region+`"}`)
			c.Inject(OpListProjects, Fault{Kind: Throttle})
			_ = c.Requests(OpDisassociateRouter) + c.TokensIssued()
		})
	}
	wg.Wait()
	close(results)
	counts := map[result]int{}
	for r := range results {
		counts[r]++
	}
	if counts[result{http.StatusAccepted, ""}] != 1 {
		t.Errorf("results %v: want exactly one 202", counts)
	}
	for r := range counts {
		if r.status != http.StatusAccepted && r.code != "DNS.0706" && r.code != "DNS.0707" {
			t.Errorf("unexpected result %+v", r)
		}
	}
	if got := c.TokensIssued(); got != workers {
		t.Errorf("TokensIssued = %d, want %d", got, workers)
	}
	if got := c.Requests(OpDisassociateRouter); got != workers {
		t.Errorf("Requests = %d, want %d", got, workers)
	}
}

// No rendering of a Cloud shows the tokens it issued.
func TestCloudRenderingHidesTokens(t *testing.T) {
	t.Parallel()
	c, srv, _ := start(t)
	tok, _ := issueToken(t, srv, dnsClouds()[0], `{"name":"`+HuaweiRegion+`"}`)
	if tok == "" {
		t.Fatal("no token")
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("cloud", "c", c)
	js, err := json.Marshal(c)
	mustOK(t, err)
	renderings := []string{
		fmt.Sprintf("%v %+v %#v %s %d %x %q", c, c, c, c, c, c, c),
		fmt.Sprint(srv), fmt.Sprintf("%+v %#v", *srv, srv),
		logged.String(), string(js),
	}
	for _, r := range renderings {
		if strings.Contains(r, tok) || strings.Contains(r, "MIIfakecloud") {
			t.Errorf("rendering shows a token: %s", r)
		}
	}
	if got := c.String(); got != "fakecloud.Cloud{AWSRegion:us-east-1 TokenTTL:24h0m0s}" {
		t.Errorf("String = %q", got)
	}
}

// FuzzServeHTTP checks that no request makes the emulator panic and that
// every answer carries Date and a request ID, with a JSON body when there
// is one.
func FuzzServeHTTP(f *testing.F) {
	f.Add("DELETE", "/aws/route53profiles/profileassociation/Profileid/rp%2F1/resourceid/vpc-1", []byte(nil), "AWS4-HMAC-SHA256 Credential=AKIDFAKECLOUD/20250102/us-east-1/route53profiles/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
	f.Add("POST", "/aws/profile/domains/d/profiles/objects/delete", []byte(`{"ProfileId":1}`), "")
	f.Add("DELETE", "/huaweicloud/identitycenter/v1/instances/ins-2c1e4a7b9d0f3c6e/application-instances/app-ins-1/profiles/%zz", []byte(nil), "SDK-HMAC-SHA256 Access=HWFAKECLOUDAK0000001, SignedHeaders=x-sdk-date, Signature=00")
	f.Add("POST", "/otc/dns/v2/zones/%2F/disassociaterouter", []byte(`{"router":{}}`), "SDK-HMAC-SHA256 Credential=OTCFAKECLOUDAK000001/20250102///sdk_request, SignedHeaders=host, Signature=0")
	f.Add("POST", "/huaweicloud/iam/v3/auth/tokens", []byte(`{"auth":{"identity":{"methods":["password"],"password":null}}}`), "")
	f.Add("GET", "/otc/iam/v3/projects?name=%ZZ&name=eu-de", []byte(nil), "")
	f.Fuzz(func(t *testing.T, method, path string, body []byte, authz string) {
		u, err := url.ParseRequestURI(path)
		if err != nil || !validMethod(method) {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "http://fakecloud.test/", bytes.NewReader(body))
		req.Method, req.URL, req.RequestURI = method, u, path
		req.Header.Set("Authorization", authz)
		req.Header.Set("X-Auth-Token", authz)
		req.Header.Set("X-Sdk-Date", "20250102T030405Z")
		req.Header.Set("X-Amz-Date", "20250102T030405Z")
		rec := httptest.NewRecorder()
		New(WithClock(func() time.Time { return t0 })).ServeHTTP(rec, req)

		h := rec.Header()
		if h.Get("Date") == "" || h.Get("X-Request-Id")+h.Get("X-Amzn-RequestId") == "" {
			t.Errorf("missing Date or request ID: %v", h)
		}
		if rec.Body.Len() > 0 && (h.Get("Content-Type") != "application/json" || !json.Valid(rec.Body.Bytes())) {
			t.Errorf("body %q with Content-Type %q", rec.Body, h.Get("Content-Type"))
		}
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		if !isAlpha(m[i]) {
			return false
		}
	}
	return true
}

func BenchmarkDisassociateProfile(b *testing.B) {
	c := New(WithClock(func() time.Time { return t0 }))
	target := "http://fakecloud.test" + string(Route53Profiles) + r53pPath(R53ProfileID, R53VPCID)
	req := httptest.NewRequest(http.MethodDelete, target, nil)
	creds := signer.AWSCredentials{AccessKeyID: AWSAccessKeyID, SecretAccessKey: AWSSecretKey}
	if err := signer.SignV4(req, sha256Hex(nil), creds, "route53profiles", "us-east-1", t0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkDisassociateRouterWithToken(b *testing.B) {
	c := New(WithClock(func() time.Time { return t0 }))
	target := "http://fakecloud.test" + string(HuaweiIAM) + "/v3/auth/tokens"
	body := `{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"` + HuaweiDomainName +
		`"},"name":"` + HuaweiUserName + `","password":"` + HuaweiPassword + `"}}},"scope":{"project":{"name":"` + HuaweiRegion + `"}}}}`
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, strings.NewReader(body)))
	tok := rec.Header().Get("X-Subject-Token")
	b.ReportAllocs()
	for b.Loop() {
		// The zone's VPC is already PENDING_DELETE after the first round:
		// this measures routing, token auth, body decoding and the rules.
		req := httptest.NewRequest(http.MethodPost, "http://fakecloud.test"+string(HuaweiDNS)+dnsPath(HuaweiZoneID),
			strings.NewReader(`{"router":{"router_id":"`+HuaweiVPCID+`"}}`))
		req.Header.Set("X-Auth-Token", tok)
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, req)
		if rec.Code != http.StatusAccepted && rec.Code != http.StatusBadRequest {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

func TestServerEndpoint(t *testing.T) {
	t.Parallel()
	c, srv, _ := start(t)
	if srv.Cloud() != c {
		t.Error("Cloud() is not the served Cloud")
	}
	got := []string{srv.Endpoint(Route53Profiles), srv.Endpoint(OTCIAM)}
	want := []string{srv.URL + "/aws/route53profiles", srv.URL + "/otc/iam"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Errorf("URL = %q, want loopback", srv.URL)
	}
}

func TestOversizedBody(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("x"), maxBody+1)
	tests := []struct {
		svc  Service
		path string
		want hwErr
	}{
		{CustomerProfiles, cpPath(CPDomainName), hwErr{400, "BadRequestException", "the request body could not be read or is larger than 1 MiB", false}},
		{OTCDNS, dnsPath(OTCZoneID), hwErr{400, "DNS.0002", "Invalid request.", false}},
		{HuaweiIAM, "/v3/auth/tokens", hwErr{400, "Bad Request", "the request body could not be read or is larger than 1 MiB", false}},
	}
	for _, tt := range tests {
		t.Run(string(tt.svc), func(t *testing.T) {
			t.Parallel()
			_, srv, _ := start(t)
			resp := do(t, srv, newRequest(t, srv, tt.svc, http.MethodPost, tt.path, big))
			m := resp.jsonBody(t)
			got := hwErr{Status: resp.status}
			switch {
			case resp.header.Get("X-Amzn-ErrorType") != "":
				got.Code, got.Message = resp.header.Get("X-Amzn-ErrorType"), m["message"].(string)
			case m["error"] != nil:
				e := m["error"].(map[string]any)
				got.Code, got.Message = e["title"].(string), e["message"].(string)
			default:
				got.Code, got.Message = m["code"].(string), m["message"].(string)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// State added by tests is served like the seed.
func TestAddedState(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	const uuid = "0123456789abcdef0123456789abcdef"
	c.AddProfileObject("added-domain", "Type_1", uuid, "key")
	body := cpBody("Type_1", uuid, "key")
	req := newRequest(t, srv, CustomerProfiles, http.MethodPost, cpPath("added-domain"), body)
	if resp := do(t, srv, signAWS(t, req, body, awsMain, "profile", "us-east-1", clk.Now())); resp.status != http.StatusOK {
		t.Errorf("profile object: status %d, body %s", resp.status, resp.body)
	}

	const ins = "ins-aaaaaaaaaaaaaaaa"
	c.AddApplicationProfile(ins, "app-ins-added", "profile/1")
	req = newRequest(t, srv, IdentityCenter, http.MethodDelete, icPath(ins, "app-ins-added", "profile%2F1"), nil)
	if resp := do(t, srv, signHW(t, req, nil, signerCreds(HuaweiAK, HuaweiSK, HuaweiDomainID), false, clk.Now())); resp.status != http.StatusOK {
		t.Errorf("application profile: status %d, body %s", resp.status, resp.body)
	}
	if c.ApplicationProfile(ins, "app-ins-added", "profile/1") {
		t.Error("application profile still exists")
	}
	if _, ok := ProjectID("aws", "us-east-1"); ok {
		t.Error("ProjectID knows a non-Huawei cloud")
	}
}
