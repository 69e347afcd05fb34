package privatedns

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/sigverify"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// Fixtures. The secrets are distinctive so that a leak is easy to spot.
const (
	testAK            = "AKTESTDNS"
	testSK            = "SK-SECRET-DNS"
	testSecurityToken = "ST-SECRET-DNS"
	testStaticToken   = "STATIC-SECRET-TOKEN"
	testPassword      = "PASSWORD-SECRET-DNS"
	testIssuedToken   = "ISSUED-SECRET-TOKEN-" // + n
	testProjectID     = "0123456789abcdef0123456789abcdef"
	testZoneID        = "ff8080825b8fc86c015b94bc6f8712c3"
	testRouterID      = "f0791650-db3c-4c5a-9e6e-2ca5a6f4d4a4"
	testOddZoneID     = "zone a+b:c@d~e.f_g-ü"
	testOddZonePath   = "/dns/v2/zones/zone%20a%2Bb%3Ac%40d~e.f_g-%C3%BC/disassociaterouter"
)

var testTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// testZoneBody is the documented example of a private zone (OTC "Querying
// a Private Zone"), with a router in each state and the fields Huawei Cloud
// adds.
const testZoneBody = `{
	"id": "ff8080825b8fc86c015b94bc6f8712c3",
	"name": "example.com.",
	"description": "This is an example zone.",
	"email": "xx@example.com",
	"ttl": 300,
	"serial": 0,
	"masters": [],
	"status": "ACTIVE",
	"links": {"self": "https://Endpoint/v2/zones/ff8080825b8fc86c015b94bc6f8712c3"},
	"pool_id": "ff8080825ab738f4015ab7513298010e",
	"project_id": "e55c6f3dc4e34c9f86353b664ae0e70c",
	"zone_type": "private",
	"created_at": "2017-04-22T08:17:08.997",
	"updated_at": "2017-04-22T08:17:09.997",
	"record_num": 2,
	"routers": [
		{"status": "ACTIVE", "router_id": "19664294-0bf6-4271-ad3a-94b8c79c6558", "router_region": "xx"},
		{"status": "PENDING_DELETE", "router_id": "f0791650-db8c-4a20-8a44-a06c6e24b15b", "router_region": "xx"}
	],
	"proxy_pattern": "AUTHORITY",
	"enterprise_project_id": "0"
}`

// seen is what the fake DNS recorded of one request.
type seen struct {
	Method, Path string
	Header       http.Header
	Body         any // decoded JSON
	Token        string
	ID           sigverify.HuaweiIdentity
	AuthErr      error
}

// fakeCloud serves DNS under /dns and IAM under /iam. DNS authenticates
// each request as the gateway would: a token it issued (or the static test
// token), else an AK/SK signature in the flavour of the cloud.
type fakeCloud struct {
	*httptest.Server
	otc              bool
	dnsHits, iamHits atomic.Int32
	issued           atomic.Int32

	mu       sync.Mutex
	tokens   map[string]bool // valid tokens
	dns, iam []seen
	dnsReply func(w http.ResponseWriter, n int32, s *seen) bool
	iamReply func(w http.ResponseWriter, n int32) bool
}

func newFakeCloud(t *testing.T, otc bool) *fakeCloud {
	t.Helper()
	f := &fakeCloud{otc: otc, tokens: map[string]bool{testStaticToken: true}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeCloud) serve(w http.ResponseWriter, r *http.Request) {
	w.Header()["Date"] = nil // a 401 must not look like a clock skew
	raw, _ := io.ReadAll(r.Body)
	s := seen{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Token: r.Header.Get("X-Auth-Token")}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &s.Body); err != nil {
			s.Body = "not JSON: " + string(raw)
		}
	}
	if r.Header.Get("Authorization") != "" {
		sum := sha256.Sum256(raw)
		verify := sigverify.Huawei
		if f.otc {
			verify = sigverify.OTC
		}
		s.ID, s.AuthErr = verify(r, hex.EncodeToString(sum[:]), func(ak string) (string, bool) { return testSK, ak == testAK },
			testTime, time.Minute)
	}

	if strings.HasPrefix(r.URL.Path, "/iam/") {
		n := f.iamHits.Add(1)
		f.mu.Lock()
		f.iam = append(f.iam, s)
		reply := f.iamReply
		f.mu.Unlock()
		if reply != nil && reply(w, n) {
			return
		}
		f.serveIAM(w, r, &s)
		return
	}

	n := f.dnsHits.Add(1)
	f.mu.Lock()
	f.dns = append(f.dns, s)
	valid := f.tokens[s.Token]
	reply := f.dnsReply
	f.mu.Unlock()
	switch {
	case s.Token != "" && !valid:
		writeJSON(w, 401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires, expires_at: 2025-01-02T03:04:05.000000Z","request_id":"r-401"}`)
		return
	case s.Token == "" && (r.Header.Get("Authorization") == "" || s.AuthErr != nil):
		writeJSON(w, 401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"r-401"}`)
		return
	}
	if reply != nil && reply(w, n, &s) {
		return
	}
	w.Header().Set("X-Request-Id", "req-dns-"+strconv.Itoa(int(n)))
	if r.Method == http.MethodGet {
		writeJSON(w, 200, testZoneBody)
		return
	}
	status := "PENDING_DELETE"
	if strings.HasSuffix(r.URL.Path, "/associaterouter") {
		status = "PENDING_CREATE"
	}
	var body struct {
		Router struct {
			RouterID     string `json:"router_id"`
			RouterRegion string `json:"router_region"`
		} `json:"router"`
	}
	_ = json.Unmarshal(raw, &body)
	region := body.Router.RouterRegion
	if region == "" {
		region = "cn-north-4"
	}
	out, _ := json.Marshal(map[string]string{"status": status, "router_id": body.Router.RouterID, "router_region": region})
	writeJSON(w, 202, string(out))
}

func (f *fakeCloud) serveIAM(w http.ResponseWriter, r *http.Request, s *seen) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/iam/v3/auth/tokens":
		v := testIssuedToken + strconv.Itoa(int(f.issued.Add(1)))
		f.mu.Lock()
		f.tokens[v] = true
		f.mu.Unlock()
		w.Header().Set("X-Subject-Token", v)
		writeJSON(w, 201, `{"token":{"expires_at":"2025-01-03T03:04:05.000000Z","methods":["password"]}}`)
	case r.Method == http.MethodGet && r.URL.Path == "/iam/v3/projects" && s.AuthErr == nil:
		name := r.URL.Query().Get("name")
		writeJSON(w, 200, `{"projects":[{"id":"proj-`+name+`","name":"`+name+`"}]}`)
	default:
		writeJSON(w, 401, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}`)
	}
}

// expire makes a token invalid, as time would.
func (f *fakeCloud) expire(token string) {
	f.mu.Lock()
	delete(f.tokens, token)
	f.mu.Unlock()
}

func (f *fakeCloud) setDNSReply(reply func(w http.ResponseWriter, n int32, s *seen) bool) {
	f.mu.Lock()
	f.dnsReply = reply
	f.mu.Unlock()
}

func (f *fakeCloud) setIAMReply(reply func(w http.ResponseWriter, n int32) bool) {
	f.mu.Lock()
	f.iamReply = reply
	f.mu.Unlock()
}

func (f *fakeCloud) dnsSeen() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.dns...)
}

func (f *fakeCloud) iamSeen() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.iam...)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header()["Date"] = nil
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func testSettings() transport.Settings {
	return transport.Settings{
		Now:   func() time.Time { return testTime },
		Retry: transport.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxBackoff: time.Microsecond},
	}
}

// testOptions points a client at f, with no authentication chosen yet.
func testOptions(f *fakeCloud) Options {
	cloud := HuaweiCloud
	if f.otc {
		cloud = OpenTelekomCloud
	}
	return Options{
		Cloud:       cloud,
		Region:      "cn-north-4",
		Endpoint:    f.URL + "/dns",
		IAMEndpoint: f.URL + "/iam",
		Settings:    testSettings(),
	}
}

func testCreds() signer.HuaweiCredentials {
	return signer.HuaweiCredentials{AccessKey: testAK, SecretKey: testSK}
}

// passwordSource is an IAM password token source against f.
func passwordSource(t *testing.T, f *fakeCloud) *huaweicreds.PasswordTokenSource {
	t.Helper()
	s, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint: f.URL + "/iam", Region: "cn-north-4", OTC: f.otc,
		UserName: "alice", Password: testPassword, DomainName: "account",
		Settings: testSettings(),
	}, signer.WithTokenClock(func() time.Time { return testTime }))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func testInput() *DisassociateRouterInput {
	return &DisassociateRouterInput{ZoneID: testZoneID, RouterID: testRouterID, RouterRegion: "cn-north-4"}
}

// assertNoSecret renders v every way a program might and fails if a secret
// shows.
func assertNoSecret(t *testing.T, v any, secrets ...string) {
	t.Helper()
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, v))
	}
	if b, err := json.Marshal(v); err == nil {
		outs = append(outs, string(b))
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("render", "v", v)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("render", "v", v)
	outs = append(outs, buf.String())
	for _, out := range outs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("rendering leaks %q: %s", s, out)
			}
		}
	}
}

// authCase is one way to authenticate, with what the fake DNS must see.
type authCase struct {
	otc       bool
	setup     func(t *testing.T, f *fakeCloud, o *Options)
	wantToken string                    // X-Auth-Token sent
	wantID    *sigverify.HuaweiIdentity // verified signature
	wantProj  string                    // X-Project-Id sent
	wantIAM   []string                  // IAM requests: method and path
}

// authCases are every authentication mode of both clouds.
func authCases() map[string]authCase {
	withToken := func(c signer.HuaweiCredentials) signer.HuaweiCredentials {
		c.SecurityToken = testSecurityToken
		return c
	}
	withProject := func(c signer.HuaweiCredentials, p string) signer.HuaweiCredentials {
		c.ProjectID = p
		return c
	}
	return map[string]authCase{
		"static token": {
			setup:     func(_ *testing.T, _ *fakeCloud, o *Options) { o.TokenSource = signer.StaticToken(testStaticToken) },
			wantToken: testStaticToken,
		},
		"static token with project": {
			setup: func(_ *testing.T, _ *fakeCloud, o *Options) {
				o.TokenSource, o.ProjectID = signer.StaticToken(testStaticToken), testProjectID
			},
			wantToken: testStaticToken, wantProj: testProjectID,
		},
		"IAM password token": {
			setup:     func(t *testing.T, f *fakeCloud, o *Options) { o.TokenSource = passwordSource(t, f) },
			wantToken: testIssuedToken + "1",
			wantIAM:   []string{"POST /iam/v3/auth/tokens"},
		},
		"otc IAM password token": {
			otc:       true,
			setup:     func(t *testing.T, f *fakeCloud, o *Options) { o.TokenSource = passwordSource(t, f) },
			wantToken: testIssuedToken + "1",
			wantIAM:   []string{"POST /iam/v3/auth/tokens"},
		},
		"huawei aksk, project in options": {
			setup: func(_ *testing.T, _ *fakeCloud, o *Options) {
				o.Credentials = signer.StaticHuaweiCredentials(withProject(testCreds(), "from-creds"))
				o.ProjectID = testProjectID
			},
			wantID:   &sigverify.HuaweiIdentity{AccessKey: testAK, ProjectID: testProjectID, Time: testTime},
			wantProj: testProjectID,
		},
		"huawei aksk, project in credentials": {
			setup: func(_ *testing.T, _ *fakeCloud, o *Options) {
				o.Credentials = signer.StaticHuaweiCredentials(withProject(testCreds(), testProjectID))
			},
			wantID:   &sigverify.HuaweiIdentity{AccessKey: testAK, ProjectID: testProjectID, Time: testTime},
			wantProj: testProjectID,
		},
		"huawei aksk, project from IAM": {
			setup: func(_ *testing.T, _ *fakeCloud, o *Options) {
				o.Credentials = signer.StaticHuaweiCredentials(testCreds())
				WithProjectIDFromIAM()(o)
			},
			wantID:   &sigverify.HuaweiIdentity{AccessKey: testAK, ProjectID: "proj-cn-north-4", Time: testTime},
			wantProj: "proj-cn-north-4",
			wantIAM:  []string{"GET /iam/v3/projects"},
		},
		"huawei temporary keys": {
			setup: func(_ *testing.T, _ *fakeCloud, o *Options) {
				o.Credentials = signer.StaticHuaweiCredentials(withToken(testCreds()))
				o.ProjectID = testProjectID
			},
			wantID:   &sigverify.HuaweiIdentity{AccessKey: testAK, SecurityToken: testSecurityToken, ProjectID: testProjectID, Time: testTime},
			wantProj: testProjectID,
		},
		"otc aksk": {
			otc: true,
			setup: func(_ *testing.T, _ *fakeCloud, o *Options) {
				o.Credentials = signer.StaticHuaweiCredentials(withToken(testCreds()))
				o.ProjectID = testProjectID
			},
			wantID:   &sigverify.HuaweiIdentity{AccessKey: testAK, SecurityToken: testSecurityToken, ProjectID: testProjectID, Time: testTime},
			wantProj: testProjectID,
		},
		"otc aksk, project from IAM": {
			otc: true,
			setup: func(_ *testing.T, _ *fakeCloud, o *Options) {
				o.Credentials = signer.StaticHuaweiCredentials(testCreds())
				WithProjectIDFromIAM()(o)
			},
			wantID:   &sigverify.HuaweiIdentity{AccessKey: testAK, ProjectID: "proj-cn-north-4", Time: testTime},
			wantProj: "proj-cn-north-4",
			wantIAM:  []string{"GET /iam/v3/projects"},
		},
	}
}

// client starts a fake cloud and a client authenticating as tc says.
func (tc authCase) client(t *testing.T) (*fakeCloud, *Client) {
	t.Helper()
	f := newFakeCloud(t, tc.otc)
	o := testOptions(f)
	tc.setup(t, f, &o)
	c, err := New(o)
	require.NoError(t, err)
	return f, c
}

// checkRequest checks the authentication of one DNS request.
func (tc authCase) checkRequest(t *testing.T, s seen) {
	t.Helper()
	if s.Token != tc.wantToken {
		t.Errorf("X-Auth-Token = %q, want %q", s.Token, tc.wantToken)
	}
	if p := s.Header.Get("X-Project-Id"); p != tc.wantProj {
		t.Errorf("X-Project-Id = %q, want %q", p, tc.wantProj)
	}
	if tc.wantID == nil {
		if a := s.Header.Get("Authorization"); a != "" {
			t.Errorf("token request also signed: %q", a)
		}
		return
	}
	if s.AuthErr != nil {
		t.Errorf("signature does not verify: %v", s.AuthErr)
	}
	if diff := cmp.Diff(*tc.wantID, s.ID); diff != "" {
		t.Errorf("signed identity (-want +got):\n%s", diff)
	}
}

// checkIAM checks the IAM requests: one at most, then cached.
func (tc authCase) checkIAM(t *testing.T, f *fakeCloud) {
	t.Helper()
	var iam []string
	for _, s := range f.iamSeen() {
		iam = append(iam, s.Method+" "+s.Path)
		if s.AuthErr != nil {
			t.Errorf("IAM request %s %s: signature does not verify: %v", s.Method, s.Path, s.AuthErr)
		}
	}
	if diff := cmp.Diff(tc.wantIAM, iam); diff != "" {
		t.Errorf("IAM requests, cached after the first (-want +got):\n%s", diff)
	}
}
