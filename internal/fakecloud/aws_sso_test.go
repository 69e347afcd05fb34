package fakecloud

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func portalPath(accountID, role string) string {
	return "/federation/credentials?" + url.Values{"account_id": {accountID}, "role_name": {role}}.Encode()
}

func bearer(token string) http.Header {
	return http.Header{"X-Amz-Sso_bearer_token": {token}}
}

func TestGetRoleCredentials(t *testing.T) {
	t.Parallel()
	c, hosts, srv, clk := startHosts(t)
	resp := hostDo(t, hosts.SSO, http.MethodGet, portalPath(SSOAccountID, SSORoleName), bearer(SSOAccessToken), nil)
	ic := c.IssuedCredentials()[0]
	want := map[string]any{"roleCredentials": map[string]any{
		"accessKeyId": ic.AccessKeyID, "secretAccessKey": ic.SecretAccessKey, "sessionToken": ic.SessionToken,
		"expiration": json.Number("1735790645678"), // t0 + 1 h in epoch milliseconds
	}}
	if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	checkAWSHeaders(t, resp, clk.Now())
	if ic.Op != OpGetRoleCredentials || ic.AccountID != SSOAccountID || !ic.Expires.Equal(t0.Add(time.Hour)) {
		t.Errorf("issued %+v", ic)
	}
	if status, code := r53pGet(t, srv, credsOf(ic), clk.Now()); status != 200 {
		t.Errorf("call with the SSO role: %d %s", status, code)
	}
	// A second call issues other credentials.
	hostDo(t, hosts.SSO, http.MethodGet, portalPath(SSOAccountID, SSORoleName), bearer(SSOAccessToken), nil)
	if all := c.IssuedCredentials(); len(all) != 2 || all[1].AccessKeyID == ic.AccessKeyID {
		t.Errorf("second call: %v", all)
	}
}

func TestGetRoleCredentialsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		path   string
		header http.Header
		want   awsErr
	}{
		{"no token", portalPath(SSOAccountID, SSORoleName), nil,
			awsErr{401, "UnauthorizedException", "UnauthorizedException", "Session token not found or invalid"}},
		{"unknown token", portalPath(SSOAccountID, SSORoleName), bearer("other"),
			awsErr{401, "UnauthorizedException", "UnauthorizedException", "Session token not found or invalid"}},
		{"expired token", portalPath(SSOAccountID, SSORoleName), bearer("expired"),
			awsErr{401, "UnauthorizedException", "UnauthorizedException", "Session token not found or invalid"}},
		{"role not assigned", portalPath(SSOAccountID, "Other"), bearer(SSOAccessToken),
			awsErr{403, "ForbiddenException", "ForbiddenException", "No access"}},
		{"other account", portalPath("210987654321", SSORoleName), bearer(SSOAccessToken),
			awsErr{403, "ForbiddenException", "ForbiddenException", "No access"}},
		{"no account", "/federation/credentials?role_name=" + SSORoleName, bearer(SSOAccessToken),
			awsErr{400, "InvalidRequestException", "InvalidRequestException", "account_id is required"}},
		{"no role", "/federation/credentials?account_id=" + SSOAccountID, bearer(SSOAccessToken),
			awsErr{400, "InvalidRequestException", "InvalidRequestException", "role_name is required"}},
		{"other path", "/federation/other", bearer(SSOAccessToken),
			awsErr{404, "UnknownOperationException", "UnknownOperationException", "no operation is bound to GET on this path"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _, _ := startHosts(t)
			c.AddSSOAccessToken("expired", t0)
			resp := hostDo(t, hosts.SSO, http.MethodGet, tt.path, tt.header, nil)
			if diff := cmp.Diff(tt.want, decodeAWSError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if n := len(c.IssuedCredentials()); n != 0 {
				t.Errorf("issued %d credentials", n)
			}
		})
	}
}

func oidcBody(kv ...string) []byte {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	b, _ := json.Marshal(m)
	return b
}

var jsonHeader = http.Header{"Content-Type": {"application/json"}}

func TestSSOCreateToken(t *testing.T) {
	t.Parallel()
	c, hosts, _, clk := startHosts(t)
	refresh := func(token string) response {
		return hostDo(t, hosts.SSOOIDC, http.MethodPost, "/token", jsonHeader, oidcBody("clientId", SSOClientID,
			"clientSecret", SSOClientSecret, "grantType", "refresh_token", "refreshToken", token))
	}
	resp := refresh(SSORefreshToken)
	toks := c.IssuedSSOTokens()
	if len(toks) != 1 {
		t.Fatalf("issued %d tokens (status %d, %s)", len(toks), resp.status, resp.body)
	}
	want := map[string]any{"accessToken": toks[0].AccessToken, "expiresIn": json.Number("3600"),
		"refreshToken": toks[0].RefreshToken, "tokenType": "Bearer"}
	if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	checkAWSHeaders(t, resp, clk.Now())
	if toks[0].RefreshToken == SSORefreshToken || toks[0].ClientID != SSOClientID || !toks[0].Expires.Equal(t0.Add(time.Hour)) {
		t.Errorf("issued %+v", toks[0])
	}

	// The new access token works at the portal until expiresIn runs out.
	if r := hostDo(t, hosts.SSO, http.MethodGet, portalPath(SSOAccountID, SSORoleName), bearer(toks[0].AccessToken), nil); r.status != 200 {
		t.Errorf("portal with the new token: %d %s", r.status, r.body)
	}
	clk.Advance(time.Hour)
	if r := hostDo(t, hosts.SSO, http.MethodGet, portalPath(SSOAccountID, SSORoleName), bearer(toks[0].AccessToken), nil); r.status != 401 {
		t.Errorf("portal with the expired token: %d %s", r.status, r.body)
	}

	// The used refresh token is gone; the new one works once.
	wantGrant := map[string]any{"__type": "InvalidGrantException", "error": "invalid_grant", "error_description": "Invalid refresh token provided"}
	if r := refresh(SSORefreshToken); r.status != 400 || !cmp.Equal(wantGrant, r.jsonBody(t)) || r.header.Get("X-Amzn-ErrorType") != "InvalidGrantException" {
		t.Errorf("reused refresh token: %d %s", r.status, r.body)
	}
	if r := refresh(toks[0].RefreshToken); r.status != 200 {
		t.Errorf("rotated refresh token: %d %s", r.status, r.body)
	}
	if r := refresh(toks[0].RefreshToken); r.status != 400 {
		t.Errorf("rotated refresh token reused: %d %s", r.status, r.body)
	}
}

func TestSSOCreateTokenErrors(t *testing.T) {
	t.Parallel()
	type oidcErr struct {
		Status             int
		Type, Code, Detail string
	}
	tests := []struct {
		name string
		body []byte
		want oidcErr
	}{
		{"not json", []byte(`{"clientId":`), oidcErr{400, "InvalidRequestException", "invalid_request", "the request body is not a valid JSON object"}},
		{"no client id", oidcBody("clientSecret", SSOClientSecret, "grantType", "refresh_token", "refreshToken", SSORefreshToken),
			oidcErr{400, "InvalidRequestException", "invalid_request", "clientId is required"}},
		{"no grant type", oidcBody("clientId", SSOClientID, "clientSecret", SSOClientSecret, "refreshToken", SSORefreshToken),
			oidcErr{400, "InvalidRequestException", "invalid_request", "grantType is required"}},
		{"unknown client", oidcBody("clientId", "other", "clientSecret", SSOClientSecret, "grantType", "refresh_token", "refreshToken", SSORefreshToken),
			oidcErr{401, "InvalidClientException", "invalid_client", "Invalid client provided"}},
		{"wrong secret", oidcBody("clientId", SSOClientID, "clientSecret", "wrong", "grantType", "refresh_token", "refreshToken", SSORefreshToken),
			oidcErr{401, "InvalidClientException", "invalid_client", "Invalid client provided"}},
		{"lapsed client", oidcBody("clientId", "lapsed", "clientSecret", "s", "grantType", "refresh_token", "refreshToken", "lapsed-refresh"),
			oidcErr{401, "InvalidClientException", "invalid_client", "Client credentials have expired"}},
		{"device code grant", oidcBody("clientId", SSOClientID, "clientSecret", SSOClientSecret, "grantType", "urn:ietf:params:oauth:grant-type:device_code"),
			oidcErr{400, "UnsupportedGrantTypeException", "unsupported_grant_type", "the emulator supports the refresh_token grant only"}},
		{"no refresh token", oidcBody("clientId", SSOClientID, "clientSecret", SSOClientSecret, "grantType", "refresh_token"),
			oidcErr{400, "InvalidRequestException", "invalid_request", "refreshToken is required"}},
		{"other client's refresh token", oidcBody("clientId", SSOClientID, "clientSecret", SSOClientSecret, "grantType", "refresh_token",
			"refreshToken", "lapsed-refresh"), oidcErr{400, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _, _ := startHosts(t)
			c.AddSSOClient(SSOClient{ID: "lapsed", Secret: "s", Expires: t0})
			c.AddSSORefreshToken("lapsed", "lapsed-refresh")
			resp := hostDo(t, hosts.SSOOIDC, http.MethodPost, "/token", jsonHeader, tt.body)
			m := resp.jsonBody(t)
			got := oidcErr{resp.status, resp.header.Get("X-Amzn-ErrorType"), m["error"].(string), m["error_description"].(string)}
			if m["__type"] != got.Type {
				t.Errorf("__type %v, header %q", m["__type"], got.Type)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if n := len(c.IssuedSSOTokens()); n != 0 {
				t.Errorf("issued %d tokens", n)
			}
		})
	}
}
