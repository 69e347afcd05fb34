package fakecloud

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// imdsToken takes a token with the given TTL header value ("" sends none).
func imdsToken(t *testing.T, hosts *CredentialServers, ttl string) response {
	t.Helper()
	h := http.Header{}
	if ttl != "" {
		h.Set(imdsTTLHeader, ttl)
	}
	return hostDo(t, hosts.IMDS, http.MethodPut, imdsTokenPath, h, nil)
}

func withToken(token string) http.Header { return http.Header{imdsTokenHeader: {token}} }

func TestIMDSv2Flow(t *testing.T) {
	t.Parallel()
	c, hosts, srv, clk := startHosts(t)
	tok := imdsToken(t, hosts, "300")
	if tok.status != 200 || tok.header.Get(imdsTTLHeader) != "300" || tok.header.Get("Content-Type") != "text/plain" || len(tok.body) < 20 {
		t.Fatalf("token answer: %d %v %q", tok.status, tok.header, tok.body)
	}
	token := string(tok.body)

	list := hostDo(t, hosts.IMDS, http.MethodGet, imdsRolesPath, withToken(token), nil)
	if list.status != 200 || string(list.body) != IMDSRoleName {
		t.Fatalf("role list: %d %q", list.status, list.body)
	}
	cred := hostDo(t, hosts.IMDS, http.MethodGet, imdsRolesPath+IMDSRoleName, withToken(token), nil)
	ic := c.IssuedCredentials()[0]
	want := map[string]any{
		"Code": "Success", "LastUpdated": "2025-01-02T03:04:05Z", "Type": "AWS-HMAC",
		"AccessKeyId": ic.AccessKeyID, "SecretAccessKey": ic.SecretAccessKey, "Token": ic.SessionToken,
		"Expiration": "2025-01-02T09:04:05Z", // t0 + 6 h
	}
	if diff := cmp.Diff(want, cred.jsonBody(t)); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	if ic.Op != OpIMDSGetCredentials || ic.AccountID != AWSAccountID {
		t.Errorf("issued %+v", ic)
	}
	if status, code := r53pGet(t, srv, credsOf(ic), clk.Now()); status != 200 {
		t.Errorf("call with the instance role: %d %s", status, code)
	}
	// Each read issues new credentials.
	hostDo(t, hosts.IMDS, http.MethodGet, imdsRolesPath+IMDSRoleName, withToken(token), nil)
	if all := c.IssuedCredentials(); len(all) != 2 || all[0].AccessKeyID == all[1].AccessKeyID {
		t.Errorf("second read: %v", all)
	}

	// The token lasts its TTL on the emulator clock.
	clk.Advance(299 * time.Second)
	if r := hostDo(t, hosts.IMDS, http.MethodGet, imdsRolesPath, withToken(token), nil); r.status != 200 {
		t.Errorf("before the TTL: %d", r.status)
	}
	clk.Advance(time.Second)
	r := hostDo(t, hosts.IMDS, http.MethodGet, imdsRolesPath, withToken(token), nil)
	if r.status != 401 || r.header.Get("Content-Type") != "text/html" || !strings.Contains(string(r.body), "<title>401 - Unauthorized</title>") {
		t.Errorf("after the TTL: %d %q", r.status, r.body)
	}
	if r.header.Get("Date") != clk.Now().Format(http.TimeFormat) || r.header.Get("X-Amzn-RequestId") != "" {
		t.Errorf("headers %v: want the emulator's Date and no request ID", r.header)
	}
}

func TestIMDSTokenRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		ttl    string
		header http.Header
		cfg    *IMDSConfig
		status int
	}{
		{"minimum", "1", nil, nil, 200},
		{"maximum", "21600", nil, nil, 200},
		{"zero", "0", nil, nil, 400},
		{"over the maximum", "21601", nil, nil, 400},
		{"not a number", "5m", nil, nil, 400},
		{"missing", "", nil, nil, 400},
		{"through a proxy", "300", http.Header{"X-Forwarded-For": {"10.0.0.1"}}, nil, 403},
		{"configured 403", "300", nil, &IMDSConfig{Role: IMDSRoleName, TokenStatus: 403}, 403},
		{"configured 404", "300", nil, &IMDSConfig{Role: IMDSRoleName, TokenStatus: 404}, 404},
		{"configured 405", "300", nil, &IMDSConfig{Role: IMDSRoleName, TokenStatus: 405}, 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _, _ := startHosts(t)
			if tt.cfg != nil {
				c.SetIMDS(*tt.cfg)
			}
			h := http.Header{}
			if tt.ttl != "" {
				h.Set(imdsTTLHeader, tt.ttl)
			}
			for k, v := range tt.header {
				h[k] = v
			}
			r := hostDo(t, hosts.IMDS, http.MethodPut, imdsTokenPath, h, nil)
			if r.status != tt.status {
				t.Errorf("status %d, want %d (body %q)", r.status, tt.status, r.body)
			}
			if tt.status == 200 && r.header.Get(imdsTTLHeader) != tt.ttl {
				t.Errorf("TTL header %q, want %q", r.header.Get(imdsTTLHeader), tt.ttl)
			}
		})
	}
}

func TestIMDSGets(t *testing.T) {
	t.Parallel()
	const valid = "valid" // replaced by a fresh token
	tests := []struct {
		name   string
		cfg    IMDSConfig
		path   string
		token  string // "" sends none
		status int
		body   string // checked when status is 200
	}{
		{"v2 required, no token", IMDSConfig{Role: IMDSRoleName}, imdsRolesPath, "", 401, ""},
		{"v1 allowed, no token", IMDSConfig{Role: IMDSRoleName, AllowV1: true}, imdsRolesPath, "", 200, IMDSRoleName},
		{"v1 allowed, unknown token", IMDSConfig{Role: IMDSRoleName, AllowV1: true}, imdsRolesPath, "forged", 401, ""},
		{"v1 allowed, credentials without a token", IMDSConfig{Role: "web", AllowV1: true}, imdsRolesPath + "web", "", 200, ""},
		{"no instance profile: list", IMDSConfig{}, imdsRolesPath, valid, 404, ""},
		{"no instance profile: credentials", IMDSConfig{}, imdsRolesPath + IMDSRoleName, valid, 404, ""},
		{"other role", IMDSConfig{Role: IMDSRoleName}, imdsRolesPath + "other", valid, 404, ""},
		{"other metadata", IMDSConfig{Role: IMDSRoleName}, "/latest/meta-data/instance-id", valid, 404, ""},
		{"other metadata without a token", IMDSConfig{Role: IMDSRoleName}, "/latest/meta-data/instance-id", "", 401, ""},
		{"nested path", IMDSConfig{Role: IMDSRoleName}, imdsRolesPath + IMDSRoleName + "/x", valid, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _, _ := startHosts(t)
			token := tt.token
			if token == valid {
				token = string(imdsToken(t, hosts, "60").body)
			}
			c.SetIMDS(tt.cfg)
			var h http.Header
			if token != "" {
				h = withToken(token)
			}
			r := hostDo(t, hosts.IMDS, http.MethodGet, tt.path, h, nil)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d (body %q)", r.status, tt.status, r.body)
			}
			if tt.body != "" && string(r.body) != tt.body {
				t.Errorf("body %q, want %q", r.body, tt.body)
			}
			if tt.status == 200 && strings.HasSuffix(tt.path, "web") {
				var v struct{ Code, AccessKeyId string }
				if err := json.Unmarshal(r.body, &v); err != nil || v.Code != "Success" || v.AccessKeyId == "" {
					t.Errorf("credentials %q (%v)", r.body, err)
				}
			}
		})
	}
}

func TestIMDSMethods(t *testing.T) {
	t.Parallel()
	_, hosts, _, _ := startHosts(t)
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, imdsTokenPath},
		{http.MethodPost, imdsRolesPath},
		{http.MethodPut, imdsRolesPath},
	} {
		if r := hostDo(t, hosts.IMDS, tt.method, tt.path, nil, nil); r.status != 405 {
			t.Errorf("%s %s: %d, want 405", tt.method, tt.path, r.status)
		}
	}
}

func TestIMDSAbsent(t *testing.T) {
	t.Parallel()
	c, hosts, _, _ := startHosts(t)
	c.SetIMDS(IMDSConfig{Absent: true})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, hosts.IMDS.URL+imdsTokenPath, nil)
	mustOK(t, err)
	req.Header.Set(imdsTTLHeader, "300")
	if resp, err := hosts.IMDS.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("an absent service answered %d", resp.StatusCode)
	}
	if reqs := c.CredentialRequests(); len(reqs) != 1 || reqs[0].Op != OpIMDSGetToken {
		t.Errorf("recorded %v", reqs)
	}
}

func TestContainerCredentials(t *testing.T) {
	t.Parallel()
	c, hosts, srv, clk := startHosts(t)
	r := hostDo(t, hosts.Container, http.MethodGet, ContainerPath, http.Header{"Authorization": {ContainerAuthToken}}, nil)
	ic := c.IssuedCredentials()[0]
	want := map[string]any{"AccessKeyId": ic.AccessKeyID, "SecretAccessKey": ic.SecretAccessKey, "Token": ic.SessionToken,
		"AccountId": AWSAccountID, "Expiration": "2025-01-02T09:04:05Z"}
	if diff := cmp.Diff(want, r.jsonBody(t)); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	if ic.Op != OpContainerGetCredentials || ic.AccountID != AWSAccountID {
		t.Errorf("issued %+v", ic)
	}
	if status, code := r53pGet(t, srv, credsOf(ic), clk.Now()); status != 200 {
		t.Errorf("call with the task role: %d %s", status, code)
	}
	if hosts.ContainerURI() != hosts.Container.URL+ContainerPath {
		t.Errorf("ContainerURI = %q", hosts.ContainerURI())
	}

	// ECS style: a task path, no token demanded, no AccountId, 15 minutes.
	c.SetContainer(ContainerConfig{Path: "/v2/credentials/task-1", CredentialLifetime: 15 * time.Minute})
	r = hostDo(t, hosts.Container, http.MethodGet, "/v2/credentials/task-1", nil, nil)
	m := r.jsonBody(t)
	if _, has := m["AccountId"]; has || m["Expiration"] != "2025-01-02T03:19:05Z" || r.status != 200 {
		t.Errorf("ECS-style answer %d %v", r.status, m)
	}
	if hosts.ContainerURI() != hosts.Container.URL+"/v2/credentials/task-1" {
		t.Errorf("ContainerURI = %q", hosts.ContainerURI())
	}
}

func TestContainerErrors(t *testing.T) {
	t.Parallel()
	type cerr struct {
		Status        int
		Code, Message string
	}
	tests := []struct {
		name   string
		path   string
		header http.Header
		want   cerr
	}{
		{"no token", ContainerPath, nil, cerr{401, "Unauthorized", "the Authorization header is missing"}},
		{"wrong token", ContainerPath, http.Header{"Authorization": {"Bearer " + ContainerAuthToken}},
			cerr{403, "AccessDenied", "the Authorization token is not valid"}},
		{"other path", "/v1/other", http.Header{"Authorization": {ContainerAuthToken}},
			cerr{404, "NotFound", "no credentials are served on this path"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _, _ := startHosts(t)
			r := hostDo(t, hosts.Container, http.MethodGet, tt.path, tt.header, nil)
			m := r.jsonBody(t)
			got := cerr{r.status, m["code"].(string), m["message"].(string)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q: aws-sdk-go-v2 reads the code only from application/json", ct)
			}
			if strings.Contains(string(r.body), ContainerAuthToken) {
				t.Error("the answer echoes the token")
			}
			if n := len(c.IssuedCredentials()); n != 0 {
				t.Errorf("issued %d credentials", n)
			}
		})
	}
}
