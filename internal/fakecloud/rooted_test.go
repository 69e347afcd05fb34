package fakecloud

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// startAt starts a Cloud at t0 with svc at the root of its server, over
// TLS when tls.
func startAt(t *testing.T, svc Service, tls bool) (*Cloud, *Server) {
	t.Helper()
	c := New(WithClock(func() time.Time { return t0 }))
	start := c.StartAt
	if tls {
		start = c.StartTLSAt
	}
	srv := start(svc)
	t.Cleanup(srv.Close)
	return c, srv
}

// A server with IAM at its root serves IAM's paths there, signed as sent,
// and every service under its prefix still.
func TestStartAt(t *testing.T) {
	t.Parallel()
	c, srv := startAt(t, HuaweiIAM, false)
	if srv.Endpoint(HuaweiIAM) != srv.URL || srv.Endpoint(HuaweiDNS) != srv.URL+string(HuaweiDNS) {
		t.Errorf("Endpoint(IAM) = %q, Endpoint(DNS) = %q", srv.Endpoint(HuaweiIAM), srv.Endpoint(HuaweiDNS))
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/v3/projects?name="+HuaweiRegion, nil)
	mustOK(t, err)
	if r := do(t, srv, signHW(t, req, nil, hwCredsFor(HuaweiAK), false, t0)); r.status != http.StatusOK {
		t.Errorf("IAM at the root: status %d, body %s", r.status, r.body)
	}
	creds := hwCredsFor(HuaweiAK)
	creds.ProjectID = HuaweiProjectID
	if r := showZoneAs(t, srv, Huawei, creds, t0, HuaweiZoneID); r.status != http.StatusOK {
		t.Errorf("DNS under its prefix: status %d, body %s", r.status, r.body)
	}
	req, err = http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/v2/zones/"+HuaweiZoneID, nil)
	mustOK(t, err)
	want := hwErr{404, "APIGW.0101", "The API does not exist or has not been published in the environment", true}
	if diff := cmp.Diff(want, decodeHWError(t, do(t, srv, req))); diff != "" {
		t.Errorf("a DNS path at IAM's root (-want +got):\n%s", diff)
	}
	recs := c.ServiceRequests()
	if len(recs) != 3 || recs[0].Path != "/v3/projects" || recs[1].Path != "/v2/zones/"+HuaweiZoneID || recs[2].Service != HuaweiIAM {
		t.Errorf("records = %v", recs)
	}
}

// Over TLS, as huaweicloud-sdk-go-v3 reaches HUAWEICLOUD_SDK_IAM_ENDPOINT;
// the catalog then names https endpoints.
func TestStartTLSAt(t *testing.T) {
	t.Parallel()
	_, srv := startAt(t, HuaweiIAM, true)
	if !strings.HasPrefix(srv.URL, "https://") {
		t.Fatalf("URL = %q", srv.URL)
	}
	tok := federate(t, srv, Huawei)
	keysForToken(t, srv, Huawei, tok)
	resp := send(t, srv, HuaweiIAM, http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens",
		`{"auth":{"id_token":{"id":"`+IDTokenValue+`"},"scope":{"project":{"id":"`+HuaweiProjectID+`"}}}}`,
		map[string]string{"X-Idp-Id": HuaweiIdPID})
	catalog := resp.jsonBody(t)["token"].(map[string]any)["catalog"].([]any)
	url := catalog[0].(map[string]any)["endpoints"].([]any)[0].(map[string]any)["url"]
	if url != srv.URL+string(HuaweiDNS)+"/" {
		t.Errorf("catalog DNS url = %v", url)
	}
}

// The metadata service at the root of its server: the paths the SDK sends
// to 169.254.169.254.
func TestStartAtMetadata(t *testing.T) {
	t.Parallel()
	_, srv := startAt(t, HuaweiMetadata, false)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, srv.URL+"/meta-data/latest/api/token", nil)
	mustOK(t, err)
	req.Header.Set("X-Metadata-Token-Ttl-Seconds", "21600")
	tok := do(t, srv, req)
	req, err = http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/openstack/latest/securitykey", nil)
	mustOK(t, err)
	req.Header.Set("X-Metadata-Token", string(tok.body))
	decodeCredential(t, do(t, srv, req))
}

func TestServiceRequests(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	tok := federate(t, srv, OTC)
	keysForToken(t, srv, OTC, tok)
	creds := hwCredsFor(OTCAK)
	creds.ProjectID = OTCProjectID
	showZoneAs(t, srv, OTC, creds, clk.Now(), OTCZoneID)
	req := newRequest(t, srv, HuaweiIAM, http.MethodGet, "/v3/auth/domains", nil)
	do(t, srv, signHW(t, req, nil, hwCredsFor(HuaweiAK), false, clk.Now()))

	recs := c.ServiceRequests()
	if len(recs) != 4 {
		t.Fatalf("%d records: %v", len(recs), recs)
	}
	fed := recs[0]
	want := ServiceRequest{
		Service: OTCIAM, Op: OpCreateTokenWithIDToken, Method: http.MethodPost, Path: "/v3.0/OS-AUTH/id-token/tokens",
		Query:  map[string][]string{},
		Header: http.Header{"X-Idp-Id": {OTCIdPID}, "Content-Type": {"application/json"}},
		JSON:   map[string]any{"auth": map[string]any{"id_token": map[string]any{"id": IDTokenValue}}},
		Time:   t0,
	}
	if diff := cmp.Diff(want, fed); diff != "" {
		t.Errorf("federation record (-want +got):\n%s", diff)
	}
	if got := recs[1].JSON["auth"].(map[string]any)["identity"].(map[string]any)["token"].(map[string]any)["id"]; got != tok {
		t.Errorf("securitytokens record: token id not kept")
	}
	if recs[2].AccessKey != OTCAK || recs[2].Header.Get("X-Project-Id") != OTCProjectID || recs[2].Header.Get("X-Sdk-Date") == "" {
		t.Errorf("OTC-signed record: access key %q, headers %v", recs[2].AccessKey, recs[2].Header)
	}
	if recs[3].AccessKey != HuaweiAK || recs[3].Op != OpListAuthDomains || recs[3].JSON != nil {
		t.Errorf("Huawei-signed record: access key %q, op %q, JSON %v", recs[3].AccessKey, recs[3].Op, recs[3].JSON)
	}

	// Renderings show no secret.
	for _, s := range []string{fmt.Sprint(fed), fmt.Sprintf("%+v", fed), fmt.Sprintf("%#v", fed), fmt.Sprintf("%q", fed), fed.String()} {
		if strings.Contains(s, IDTokenValue) || !strings.Contains(s, OpCreateTokenWithIDToken) {
			t.Errorf("rendering %q", s)
		}
	}
	issued := c.IssuedHuaweiCredentials()[0]
	if s := fmt.Sprintf("%v %+v %#v", issued, issued, issued); strings.Contains(s, issued.SecretKey) || strings.Contains(s, issued.SecurityToken) {
		t.Errorf("issued credentials rendering shows a secret: %s", s)
	}

	c.ClearServiceRequests()
	if n := len(c.ServiceRequests()); n != 0 {
		t.Errorf("%d records after ClearServiceRequests", n)
	}
	federate(t, srv, Huawei)
	c.Reset()
	if n := len(c.ServiceRequests()); n != 0 {
		t.Errorf("%d records after Reset", n)
	}
}

func TestSigningAccessKey(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ auth, want string }{
		{"SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=00", "AK1"},
		{"SDK-HMAC-SHA256 Credential=AK2/20250102///sdk_request, SignedHeaders=host, Signature=00", "AK2"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20250102/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00", "AKID"},
		{"Bearer token", ""},
		{"", ""},
		{"SDK-HMAC-SHA256", ""},
	} {
		if got := signingAccessKey(tt.auth); got != tt.want {
			t.Errorf("signingAccessKey(%q) = %q, want %q", tt.auth, got, tt.want)
		}
	}
}
