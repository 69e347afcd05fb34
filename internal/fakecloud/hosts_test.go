package fakecloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCredentialRequestsRecorded(t *testing.T) {
	t.Parallel()
	c, hosts, _, clk := startHosts(t)
	form := stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "rec")
	stsCall(t, hosts, form, awsTemp, "eu-central-1", clk.Now())
	hostDo(t, hosts.SSOOIDC, http.MethodPost, "/token", jsonHeader, oidcBody("clientId", "c", "grantType", "refresh_token"))
	hostDo(t, hosts.SSO, http.MethodGet, portalPath(SSOAccountID, SSORoleName),
		http.Header{"X-Amz-Sso_bearer_token": {SSOAccessToken}, "User-Agent": {"not-recorded"}}, nil)
	hostDo(t, hosts.IMDS, http.MethodPut, imdsTokenPath, http.Header{imdsTTLHeader: {"300"}}, nil)
	hostDo(t, hosts.Container, http.MethodGet, "/elsewhere?x=1", http.Header{"Authorization": {"tok"}, "Accept": {"application/json"}}, nil)

	got := c.CredentialRequests()
	if len(got) != 5 {
		t.Fatalf("recorded %d requests, want 5", len(got))
	}
	sts := got[0]
	if sts.Header.Get("Authorization") == "" || sts.Header.Get("X-Amz-Date") == "" {
		t.Errorf("STS identity headers not recorded: %v", sts.Header)
	}
	// The signature and date vary; the rest is pinned.
	sts.Header = http.Header{"X-Amz-Security-Token": sts.Header.Values("X-Amz-Security-Token"), "Content-Type": sts.Header.Values("Content-Type")}
	want := []CredentialRequest{
		{Host: STSHost, Op: OpAssumeRole, Method: "POST", Path: "/", Query: url.Values{}, Form: form,
			Header:   http.Header{"X-Amz-Security-Token": {AWSSessionToken}, "Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}},
			SignedBy: AWSTempAccessKeyID, SigningRegion: "eu-central-1", SigningService: "sts", Time: t0},
		{Host: SSOOIDCHost, Op: OpSSOOIDCCreateToken, Method: "POST", Path: "/token", Query: url.Values{},
			JSON: map[string]any{"clientId": "c", "grantType": "refresh_token"}, Header: jsonHeader, Time: t0},
		{Host: SSOHost, Op: OpGetRoleCredentials, Method: "GET", Path: "/federation/credentials",
			Query:  url.Values{"account_id": {SSOAccountID}, "role_name": {SSORoleName}},
			Header: http.Header{"X-Amz-Sso_bearer_token": {SSOAccessToken}}, Time: t0},
		{Host: IMDSHost, Op: OpIMDSGetToken, Method: "PUT", Path: imdsTokenPath, Query: url.Values{},
			Header: http.Header{imdsTTLHeader: {"300"}}, Time: t0},
		{Host: ContainerHost, Op: "", Method: "GET", Path: "/elsewhere", Query: url.Values{"x": {"1"}},
			Header: http.Header{"Authorization": {"tok"}, "Accept": {"application/json"}}, Time: t0},
	}
	got[0] = sts
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	// Requests counts routed operations only.
	if c.Requests(OpAssumeRole) != 1 || c.Requests(OpContainerGetCredentials) != 0 {
		t.Error("Requests miscounts")
	}

	c.ClearCredentialRequests()
	if n := len(c.CredentialRequests()); n != 0 {
		t.Errorf("%d records after ClearCredentialRequests", n)
	}
	if n := len(c.IssuedCredentials()); n != 2 {
		t.Errorf("ClearCredentialRequests changed the issued credentials: %d", n)
	}
	c.Reset()
	if len(c.IssuedCredentials()) != 0 || len(c.IssuedSSOTokens()) != 0 {
		t.Error("Reset kept issued credentials")
	}
}

func TestSigV4Scope(t *testing.T) {
	t.Parallel()
	tests := []struct{ auth, id, region, svc string }{
		{"AWS4-HMAC-SHA256 Credential=AKID/20250102/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=ab", "AKID", "us-east-1", "sts"},
		{"AWS4-HMAC-SHA256 SignedHeaders=host,Credential=K/d/r/s/aws4_request", "K", "r", "s"},
		{"AWS4-HMAC-SHA256 Credential=AKID/20250102/us-east-1/sts", "", "", ""},
		{"Bearer x", "", "", ""},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		id, region, svc := sigV4Scope(tt.auth)
		if id != tt.id || region != tt.region || svc != tt.svc {
			t.Errorf("sigV4Scope(%q) = %q %q %q", tt.auth, id, region, svc)
		}
	}
}

// hostCases builds one valid request per credential host, so that fault
// tests can check the fault and then the normal answer.
func hostCases() map[Host]struct {
	op    string
	build func(t *testing.T, hosts *CredentialServers, now time.Time) *http.Request
} {
	newReq := func(t *testing.T, srv *Server, method, path string, body string, h http.Header) *http.Request {
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
		mustOK(t, err)
		for k, v := range h {
			req.Header[k] = v
		}
		return req
	}
	type hc = struct {
		op    string
		build func(t *testing.T, hosts *CredentialServers, now time.Time) *http.Request
	}
	return map[Host]hc{
		STSHost: {OpAssumeRole, func(t *testing.T, hosts *CredentialServers, now time.Time) *http.Request {
			body := stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "ss").Encode()
			req := newReq(t, hosts.STS, http.MethodPost, "/", body, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
			return signAWS(t, req, []byte(body), awsMain, "sts", "us-east-1", now)
		}},
		SSOHost: {OpGetRoleCredentials, func(t *testing.T, hosts *CredentialServers, now time.Time) *http.Request {
			return newReq(t, hosts.SSO, http.MethodGet, portalPath(SSOAccountID, SSORoleName), "", bearer(SSOAccessToken))
		}},
		SSOOIDCHost: {OpSSOOIDCCreateToken, func(t *testing.T, hosts *CredentialServers, now time.Time) *http.Request {
			// A refresh token that the fault tests add again before each use.
			return newReq(t, hosts.SSOOIDC, http.MethodPost, "/token", string(oidcBody("clientId", SSOClientID, "clientSecret", SSOClientSecret,
				"grantType", "refresh_token", "refreshToken", "again")), jsonHeader)
		}},
		IMDSHost: {OpIMDSGetToken, func(t *testing.T, hosts *CredentialServers, now time.Time) *http.Request {
			return newReq(t, hosts.IMDS, http.MethodPut, imdsTokenPath, "", http.Header{imdsTTLHeader: {"60"}})
		}},
		ContainerHost: {OpContainerGetCredentials, func(t *testing.T, hosts *CredentialServers, now time.Time) *http.Request {
			return newReq(t, hosts.Container, http.MethodGet, ContainerPath, "", http.Header{"Authorization": {ContainerAuthToken}})
		}},
	}
}

// hostFault reads the code of a faulted answer in any host's shape.
func hostFault(t *testing.T, r response) faultAnswer {
	t.Helper()
	code := r.header.Get("X-Amzn-ErrorType")
	switch ct := r.header.Get("Content-Type"); ct {
	case "text/xml":
		code = decodeSTS(t, r).Code
	case "text/html":
		code = "html"
	case "application/json":
		if c, ok := r.jsonBody(t)["code"].(string); ok {
			code = c
		}
	}
	return faultAnswer{r.status, code, r.header.Get("Retry-After")}
}

func TestHostFaults(t *testing.T) {
	t.Parallel()
	wantThrottle := map[Host]faultAnswer{
		STSHost:       {400, "Throttling", "1"},
		SSOHost:       {429, "TooManyRequestsException", "1"},
		SSOOIDCHost:   {400, "SlowDownException", "1"},
		IMDSHost:      {429, "html", "1"},
		ContainerHost: {429, "TooManyRequests", "1"},
	}
	wantServer := map[Host][2]faultAnswer{ // 500, then the default 503
		STSHost:       {{500, "InternalFailure", ""}, {503, "ServiceUnavailable", ""}},
		SSOHost:       {{500, "InternalFailure", ""}, {503, "ServiceUnavailable", ""}},
		SSOOIDCHost:   {{500, "InternalServerException", ""}, {503, "InternalServerException", ""}},
		IMDSHost:      {{500, "html", ""}, {503, "html", ""}},
		ContainerHost: {{500, "InternalServerError", ""}, {503, "InternalServerError", ""}},
	}
	for host, hc := range hostCases() {
		t.Run(string(host), func(t *testing.T) {
			t.Parallel()
			c, hosts, _, clk := startHosts(t)
			c.Inject(hc.op, Fault{Kind: Throttle, RetryAfter: 300 * time.Millisecond})
			c.Inject(hc.op, Fault{Kind: ServerError, Status: 500})
			c.Inject(hc.op, Fault{Kind: ServerError})
			c.Inject(hc.op, Fault{Kind: Reset})
			got := []faultAnswer{
				hostFault(t, do(t, hosts.STS, hc.build(t, hosts, clk.Now()))),
				hostFault(t, do(t, hosts.STS, hc.build(t, hosts, clk.Now()))),
				hostFault(t, do(t, hosts.STS, hc.build(t, hosts, clk.Now()))),
			}
			want := []faultAnswer{wantThrottle[host], wantServer[host][0], wantServer[host][1]}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("faulted answers (-want +got):\n%s", diff)
			}
			// A new connection: on a reused one net/http replays a GET
			// that met a reset (see Cloud.Inject).
			fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			if resp, err := fresh.Do(hc.build(t, hosts, clk.Now())); err == nil {
				resp.Body.Close()
				t.Errorf("Reset fault: answered %d", resp.StatusCode)
			}
			c.AddSSORefreshToken(SSOClientID, "again")
			if r := do(t, hosts.STS, hc.build(t, hosts, clk.Now())); r.status != 200 {
				t.Errorf("after the faults: %d %s", r.status, oneLine(r.body))
			}
			if n := c.Requests(hc.op); n != 5 {
				t.Errorf("Requests = %d, want 5", n)
			}
		})
	}
}

func TestHostLimitRate(t *testing.T) {
	t.Parallel()
	c, hosts, _, clk := startHosts(t)
	c.LimitRate(OpIMDSGetToken, 1, 1)
	if r := imdsToken(t, hosts, "60"); r.status != 200 {
		t.Fatalf("first: %d", r.status)
	}
	if r := imdsToken(t, hosts, "60"); r.status != 429 {
		t.Errorf("over the rate: %d, want 429", r.status)
	}
	clk.Advance(time.Second)
	if r := imdsToken(t, hosts, "60"); r.status != 200 {
		t.Errorf("a second later: %d", r.status)
	}
}

func TestHostSlowFaultWithLocalDoer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := New()
		c.Inject(OpGetRoleCredentials, Fault{Kind: Slow, Delay: 3 * time.Second})
		d := LocalDoer{Cloud: c, Host: SSOHost}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://sso.invalid"+portalPath(SSOAccountID, SSORoleName), nil)
		mustOK(t, err)
		req.Header.Set("X-Amz-Sso_bearer_token", SSOAccessToken)
		begin := time.Now()
		resp, err := d.Do(req)
		mustOK(t, err)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || time.Since(begin) != 3*time.Second || !bytes.Contains(b, []byte("roleCredentials")) {
			t.Errorf("status %d after %v: %s", resp.StatusCode, time.Since(begin), b)
		}
		// Absent IMDS through a LocalDoer: a transport error, not a panic.
		c.SetIMDS(IMDSConfig{Absent: true})
		req, err = http.NewRequestWithContext(t.Context(), http.MethodPut, "http://imds.invalid"+imdsTokenPath, nil)
		mustOK(t, err)
		if _, err := (LocalDoer{Cloud: c, Host: IMDSHost}).Do(req); err == nil {
			t.Error("absent IMDS answered")
		}
	})
}

func TestCredentialServersEnv(t *testing.T) {
	t.Parallel()
	_, hosts, _, _ := startHosts(t)
	want := map[string]string{
		"AWS_ENDPOINT_URL_STS":              hosts.STS.URL,
		"AWS_ENDPOINT_URL_SSO":              hosts.SSO.URL,
		"AWS_ENDPOINT_URL_SSO_OIDC":         hosts.SSOOIDC.URL,
		"AWS_EC2_METADATA_SERVICE_ENDPOINT": hosts.IMDS.URL,
	}
	if diff := cmp.Diff(want, hosts.Env()); diff != "" {
		t.Errorf("Env (-want +got):\n%s", diff)
	}
	seen := map[string]bool{}
	for _, u := range want {
		if seen[u] || !strings.HasPrefix(u, "http://127.0.0.1:") {
			t.Errorf("URL %q repeated or not loopback", u)
		}
		seen[u] = true
	}
	if len(Hosts()) != 5 {
		t.Errorf("Hosts() = %v", Hosts())
	}
}

func TestUnknownHost(t *testing.T) {
	t.Parallel()
	c := New()
	srv := c.StartHost(Host("nope"))
	t.Cleanup(srv.Close)
	r := hostDo(t, srv, http.MethodGet, "/", nil, nil)
	if r.status != 404 {
		t.Errorf("status %d", r.status)
	}
}

// TestHostRecordsRedacted checks that the records and issued values never
// print the secrets they hold.
func TestHostRecordsRedacted(t *testing.T) {
	t.Parallel()
	c, hosts, _, clk := startHosts(t)
	stsCall(t, hosts, stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "ss"), awsTemp, "us-east-1", clk.Now())
	hostDo(t, hosts.SSOOIDC, http.MethodPost, "/token", jsonHeader, oidcBody("clientId", SSOClientID,
		"clientSecret", SSOClientSecret, "grantType", "refresh_token", "refreshToken", SSORefreshToken))
	ic, tok, rec := c.IssuedCredentials()[0], c.IssuedSSOTokens()[0], c.CredentialRequests()
	secrets := []string{ic.SecretAccessKey, ic.SessionToken, tok.AccessToken, tok.RefreshToken, AWSSessionToken, SSOClientSecret, SSORefreshToken}
	var out bytes.Buffer
	for _, v := range []any{ic, tok, rec[0], rec[1]} {
		fmt.Fprintf(&out, "%v %+v %#v %s %q\n", v, v, v, v, v)
		slog.New(slog.NewJSONHandler(&out, nil)).Info("x", "v", v)
		b, _ := json.Marshal(fmt.Sprint(v))
		out.Write(b)
	}
	for _, s := range secrets {
		if strings.Contains(out.String(), s) {
			t.Errorf("a rendering shows the secret %.8s...", s)
		}
	}
	if !strings.Contains(out.String(), ic.AccessKeyID) || !strings.Contains(out.String(), OpAssumeRole) {
		t.Errorf("renderings say nothing useful:\n%s", out.String())
	}
}

// FuzzHostHandler checks that no request makes a credential host panic and
// that every answer carries Date and a body in the host's declared type.
func FuzzHostHandler(f *testing.F) {
	f.Add(uint8(0), "POST", "/", []byte("Action=AssumeRole&Version=2011-06-15&RoleArn=%ZZ&DurationSeconds=9e99"), "application/x-www-form-urlencoded", "AWS4-HMAC-SHA256 Credential=A/b/c/sts/aws4_request")
	f.Add(uint8(0), "POST", "/", []byte("Action=AssumeRoleWithWebIdentity&Version=2011-06-15&WebIdentityToken=x&RoleSessionName=%00"), "application/x-www-form-urlencoded", "")
	f.Add(uint8(1), "GET", "/federation/credentials?account_id=%ZZ&role_name=", []byte(nil), "", SSOAccessToken)
	f.Add(uint8(2), "POST", "/token", []byte(`{"clientId":1,"grantType":null}`), "application/json", "")
	f.Add(uint8(3), "PUT", "/latest/api/token", []byte(nil), "", "-1")
	f.Add(uint8(3), "GET", "/latest/meta-data/iam/security-credentials/%2F", []byte(nil), "", "")
	f.Add(uint8(4), "GET", "/v1/credentials", []byte(nil), "", ContainerAuthToken)
	f.Fuzz(func(t *testing.T, hostIdx uint8, method, path string, body []byte, contentType, ident string) {
		u, err := url.ParseRequestURI(path)
		if err != nil || !validMethod(method) {
			return
		}
		host := Hosts()[int(hostIdx)%len(Hosts())]
		req, err := http.NewRequest(http.MethodGet, "http://fakecloud.test/", bytes.NewReader(body))
		mustOK(t, err)
		req.Method, req.URL, req.RequestURI = method, u, path
		for _, h := range []string{"Authorization", "X-Amz-Sso_bearer_token", imdsTokenHeader, imdsTTLHeader} {
			req.Header.Set(h, ident)
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Amz-Date", "20250102T030405Z")
		c := New(WithClock(func() time.Time { return t0 }))
		resp, err := LocalDoer{Cloud: c, Host: host}.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Date") == "" {
			t.Errorf("%s: no Date header", host)
		}
		switch ct := resp.Header.Get("Content-Type"); {
		case ct == "application/json" && !json.Valid(b), len(b) > 0 && ct == "":
			t.Errorf("%s: body %q with Content-Type %q", host, b, ct)
		}
		if len(c.CredentialRequests()) != 1 {
			t.Errorf("%s: %d requests recorded", host, len(c.CredentialRequests()))
		}
	})
}
