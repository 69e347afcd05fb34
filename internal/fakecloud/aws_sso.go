package fakecloud

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// SSOClient is a client registered with SSO OIDC (what the AWS CLI's
// RegisterClient creates and caches as clientId and clientSecret).
type SSOClient struct {
	ID, Secret string
	// Expires, when set, is when the registration lapses: CreateToken then
	// answers InvalidClientException.
	Expires time.Time
}

// IssuedSSOToken is an access token SSO OIDC CreateToken issued, with the
// refresh token that replaced the one the call used. Its String, Format
// and LogValue show the client and expiry only.
type IssuedSSOToken struct {
	ClientID                  string
	AccessToken, RefreshToken string
	Issued, Expires           time.Time
}

func (t IssuedSSOToken) redactedString() string {
	return "fakecloud.IssuedSSOToken{" + t.ClientID + " expires " + t.Expires.Format(time.RFC3339) + "}"
}

// String shows the client and expiry.
func (t IssuedSSOToken) String() string { return t.redactedString() }

// GoString is String.
func (t IssuedSSOToken) GoString() string { return t.redactedString() }

// Format writes String for every verb.
func (t IssuedSSOToken) Format(f fmt.State, verb rune) { formatRedacted(f, verb, t.redactedString()) }

// LogValue renders the token without its secrets.
func (t IssuedSSOToken) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", t.ClientID), slog.Time("expires", t.Expires))
}

type ssoRoleKey struct{ accountID, roleName string }

// ssoState is what the portal and OIDC know. Cloud.mu guards it.
type ssoState struct {
	accessTokens  map[string]time.Time // access token → expiry
	roles         map[ssoRoleKey]bool
	clients       map[string]SSOClient
	refreshTokens map[string]string // refresh token → client ID
	issued        []IssuedSSOToken
}

// AddSSORole lets the portal give credentials for roleName in accountID to
// every valid access token.
func (c *Cloud) AddSSORole(accountID, roleName string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.sso.roles[ssoRoleKey{accountID, roleName}] = true
}

// AddSSOAccessToken makes the portal accept token until expires (refused
// from then on, as an unknown token is).
func (c *Cloud) AddSSOAccessToken(token string, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.sso.accessTokens[token] = expires
}

// AddSSOClient registers cl with SSO OIDC, replacing any client with its ID.
func (c *Cloud) AddSSOClient(cl SSOClient) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.sso.clients[cl.ID] = cl
}

// AddSSORefreshToken makes token a refresh token of client clientID,
// usable once.
func (c *Cloud) AddSSORefreshToken(clientID, token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.sso.refreshTokens[token] = clientID
}

// IssuedSSOTokens returns the tokens SSO OIDC issued since New or Reset,
// oldest first.
func (c *Cloud) IssuedSSOTokens() []IssuedSSOToken {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]IssuedSSOToken, len(c.st.sso.issued))
	copy(out, c.st.sso.issued)
	return out
}

// msgSSOUnauthorized is the portal's answer to an unknown or expired token.
const msgSSOUnauthorized = "Session token not found or invalid"

// getRoleCredentials serves the portal's GetRoleCredentials
// (credentials.md §1.9): GET /federation/credentials?account_id=&role_name=
// with the access token in x-amz-sso_bearer_token, unsigned. A missing
// parameter is 400 InvalidRequestException; a missing, unknown or expired
// token 401 UnauthorizedException; an account and role the portal does not
// hand out 403 ForbiddenException "No access" (not in the service model,
// but what the portal answers). Success is
// {"roleCredentials":{"accessKeyId","secretAccessKey","sessionToken",
// "expiration"}} with expiration in epoch milliseconds; the credentials
// live DefaultSSORoleCredentialLifetime.
func (c *Cloud) getRoleCredentials(k *call) {
	q := k.r.URL.Query()
	accountID, role := q.Get("account_id"), q.Get("role_name")
	switch {
	case accountID == "":
		k.awsError(http.StatusBadRequest, "InvalidRequestException", "account_id is required")
		return
	case role == "":
		k.awsError(http.StatusBadRequest, "InvalidRequestException", "role_name is required")
		return
	}
	token := k.r.Header.Get("X-Amz-Sso_bearer_token")
	c.mu.Lock()
	expires, known := c.st.sso.accessTokens[token]
	allowed := c.st.sso.roles[ssoRoleKey{accountID, role}]
	c.mu.Unlock()
	switch {
	case token == "" || !known || !k.now.Before(expires):
		k.awsError(http.StatusUnauthorized, "UnauthorizedException", msgSSOUnauthorized)
		return
	case !allowed:
		k.awsError(http.StatusForbidden, "ForbiddenException", "No access")
		return
	}
	arn := "arn:aws:sts::" + accountID + ":assumed-role/AWSReservedSSO_" + role + "_fakecloud/fakecloud-user"
	c.mu.Lock()
	ic := c.st.issue(OpGetRoleCredentials, arn, accountID, k.now, DefaultSSORoleCredentialLifetime, time.Millisecond)
	c.mu.Unlock()
	type roleCredentials struct {
		AccessKeyID     string `json:"accessKeyId"`
		Expiration      int64  `json:"expiration"`
		SecretAccessKey string `json:"secretAccessKey"`
		SessionToken    string `json:"sessionToken"`
	}
	k.writeJSON(http.StatusOK, struct {
		RoleCredentials roleCredentials `json:"roleCredentials"`
	}{roleCredentials{ic.AccessKeyID, ic.Expires.UnixMilli(), ic.SecretAccessKey, ic.SessionToken}})
}

// ssoCreateToken serves SSO OIDC CreateToken (credentials.md §1.9): POST
// /token, unsigned, a JSON body. Only the refresh_token grant, the one
// credential sources use, is emulated; the others are
// UnsupportedGrantTypeException. Checks, in order: the body is a JSON
// object with clientId, clientSecret and grantType (else 400
// InvalidRequestException); the client is registered, its secret matches
// and it has not lapsed (else 401 InvalidClientException); the grant is
// refresh_token with a refreshToken issued to this client (else 400
// UnsupportedGrantTypeException, InvalidRequestException or
// InvalidGrantException). Success uses up the refresh token and answers
// {"accessToken","expiresIn","refreshToken","tokenType":"Bearer"} with a
// new refresh token; the access token is valid at the portal for
// expiresIn seconds (DefaultSSOOIDCTokenLifetime).
func (c *Cloud) ssoCreateToken(k *call) {
	var in struct {
		ClientID     *string `json:"clientId"`
		ClientSecret *string `json:"clientSecret"`
		GrantType    *string `json:"grantType"`
		RefreshToken *string `json:"refreshToken"`
	}
	if err := json.Unmarshal(k.body, &in); err != nil {
		k.oidcError(http.StatusBadRequest, "InvalidRequestException", "invalid_request", "the request body is not a valid JSON object")
		return
	}
	for _, f := range []struct {
		v    *string
		name string
	}{{in.ClientID, "clientId"}, {in.ClientSecret, "clientSecret"}, {in.GrantType, "grantType"}} {
		if f.v == nil || *f.v == "" {
			k.oidcError(http.StatusBadRequest, "InvalidRequestException", "invalid_request", f.name+" is required")
			return
		}
	}
	c.mu.Lock()
	t, fail := c.st.sso.redeem(k.now, *in.ClientID, *in.ClientSecret, *in.GrantType, in.RefreshToken)
	c.mu.Unlock()
	if fail != nil {
		k.oidcError(fail.status, fail.typ, fail.oauthCode, fail.desc)
		return
	}
	k.writeJSON(http.StatusOK, struct {
		AccessToken  string `json:"accessToken"`
		ExpiresIn    int64  `json:"expiresIn"`
		RefreshToken string `json:"refreshToken"`
		TokenType    string `json:"tokenType"`
	}{t.AccessToken, int64(DefaultSSOOIDCTokenLifetime / time.Second), t.RefreshToken, "Bearer"})
}

// oidcFailure is an SSO OIDC error answer.
type oidcFailure struct {
	status               int
	typ, oauthCode, desc string
}

// redeem exchanges a refresh token of a client for a new access token and
// refresh token, using up the old one. Cloud.mu must be held.
func (sso *ssoState) redeem(now time.Time, clientID, secret, grant string, refresh *string) (IssuedSSOToken, *oidcFailure) {
	cl, ok := sso.clients[clientID]
	switch {
	case !ok || cl.Secret != secret:
		return IssuedSSOToken{}, &oidcFailure{http.StatusUnauthorized, "InvalidClientException", "invalid_client", "Invalid client provided"}
	case !cl.Expires.IsZero() && !now.Before(cl.Expires):
		return IssuedSSOToken{}, &oidcFailure{http.StatusUnauthorized, "InvalidClientException", "invalid_client", "Client credentials have expired"}
	case grant != "refresh_token":
		return IssuedSSOToken{}, &oidcFailure{http.StatusBadRequest, "UnsupportedGrantTypeException", "unsupported_grant_type",
			"the emulator supports the refresh_token grant only"}
	case refresh == nil || *refresh == "":
		return IssuedSSOToken{}, &oidcFailure{http.StatusBadRequest, "InvalidRequestException", "invalid_request", "refreshToken is required"}
	}
	if owner, ok := sso.refreshTokens[*refresh]; !ok || owner != cl.ID {
		return IssuedSSOToken{}, &oidcFailure{http.StatusBadRequest, "InvalidGrantException", "invalid_grant", "Invalid refresh token provided"}
	}
	delete(sso.refreshTokens, *refresh)
	t := IssuedSSOToken{
		ClientID:     cl.ID,
		AccessToken:  "aoa" + randomBase64(96),
		RefreshToken: "aor" + randomBase64(96),
		Issued:       now,
		Expires:      now.Add(DefaultSSOOIDCTokenLifetime),
	}
	sso.accessTokens[t.AccessToken] = t.Expires
	sso.refreshTokens[t.RefreshToken] = cl.ID
	sso.issued = append(sso.issued, t)
	return t, nil
}
