package fakecloud

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// The IAM operations that federate a user and hand out temporary keys,
// counted by [Cloud.Requests] and targeted by [Cloud.Inject] and
// [Cloud.LimitRate]. Huawei and OTC share them.
const (
	// OpCreateTokenWithIDToken is POST /v3.0/OS-AUTH/id-token/tokens.
	OpCreateTokenWithIDToken = "CreateTokenWithIdToken"
	// OpCreateTemporaryAccessKey is POST /v3.0/OS-CREDENTIAL/securitytokens,
	// by token (CreateTemporaryAccessKeyByToken) or by agency
	// (CreateTemporaryAccessKeyByAgency).
	OpCreateTemporaryAccessKey = "CreateTemporaryAccessKey"
)

// The IAM error codes of the /v3.0 APIs, with the documented messages
// (Huawei IAM API reference, "Obtaining a Token with an OpenID Connect ID
// Token", response examples).
const (
	iamCodeUnauthorized = "IAM.0001" // 401 The request you have made requires authentication.
	iamCodeForbidden    = "IAM.0003" // 403 Policy doesn't allow %(actions)s to be performed.
	iamCodeNotFound     = "IAM.0004" // 404 Could not find %(target)s: %(target_id)s.
	iamCodeServerError  = "IAM.0006" // 500 An unexpected error prevented the server from fulfilling your request.
	iamCodeInvalidBody  = "IAM.0011" // 400 Request body is invalid.
)

const msgIAMInvalidBody = "Request body is invalid."

// iamError answers in the shape of IAM's /v3.0 APIs: {"error_msg",
// "error_code"}.
func (k *call) iamError(status int, code, msg string) {
	k.writeJSON(status, struct {
		Msg  string `json:"error_msg"`
		Code string `json:"error_code"`
	}{msg, code})
}

// iamV30Error answers a fault or a refusal of a /v3.0 operation with
// status, in its shape and with the documented code for the status.
func (k *call) iamV30Error(status int) {
	switch status {
	case http.StatusBadRequest:
		k.iamError(status, iamCodeInvalidBody, msgIAMInvalidBody)
	case http.StatusUnauthorized:
		k.iamError(status, iamCodeUnauthorized, msgKeystoneUnauthorized)
	default:
		k.iamError(status, iamCodeServerError, "An unexpected error prevented the server from fulfilling your request.")
	}
}

// isIAMV30 reports whether k is one of the /v3.0 operations, which answer
// in IAM's {"error_msg","error_code"} shape rather than Keystone's.
func (k *call) isIAMV30() bool {
	return k.op == OpCreateTokenWithIDToken || k.op == OpCreateTemporaryAccessKey
}

// idTokenRequest is the body of POST /v3.0/OS-AUTH/id-token/tokens.
type idTokenRequest struct {
	Auth *struct {
		IDToken *struct {
			ID string `json:"id"`
		} `json:"id_token"`
		Scope scopeRequest `json:"scope"`
	} `json:"auth"`
}

// createTokenWithIDToken serves IAM POST /v3.0/OS-AUTH/id-token/tokens
// (Huawei IAM "Obtaining a Token with an OpenID Connect ID Token";
// credentials.md §2.7): the identity provider in X-Idp-Id (HuaweiIdPID or
// OTCIdPID, each of its own cloud) and the ID token in
// {"auth":{"id_token":{"id":...}}}, unsigned. Without a scope the answer is
// an unscoped token, good only for temporary keys (createTemporaryAccessKey);
// with {"project":{"id"|"name"}} or {"domain":{"id"|"name"}} of the
// provider's domain, a scoped one. Success is 201 with the token in
// X-Subject-Token and the documented body: methods ["mapped"], the
// federated user with OS-FEDERATION (identity provider, protocol "oidc", no
// groups), times with microseconds; a scoped token adds its project or
// domain, roles and catalog. The token lives for the Cloud's token TTL.
//
// Errors are {"error_msg","error_code"}: 400 IAM.0011 for a body that is
// not the documented one or no X-Idp-Id, 404 IAM.0004 for an unknown
// identity provider, 401 IAM.0001 for an ID token the provider does not
// accept (unknown or expired) or a scope outside its domain.
func (c *Cloud) createTokenWithIDToken(k *call) {
	var in idTokenRequest
	idp := k.r.Header.Get("X-Idp-Id")
	if err := json.Unmarshal(k.body, &in); err != nil || in.Auth == nil || in.Auth.IDToken == nil ||
		in.Auth.IDToken.ID == "" || idp == "" {
		k.iamError(http.StatusBadRequest, iamCodeInvalidBody, msgIAMInvalidBody)
		return
	}
	acct := c.accounts[k.provider]
	if idp != idpOf(k.provider) {
		// The provider ID is not echoed: it is the caller's input.
		k.iamError(http.StatusNotFound, iamCodeNotFound, "Could not find identity_provider.")
		return
	}
	c.mu.Lock()
	idt, known := c.st.hw.idTokens[in.Auth.IDToken.ID]
	c.mu.Unlock()
	t, scopeOK := in.Auth.Scope.token(acct)
	if !known || !idt.Expires.IsZero() && !k.now.Before(idt.Expires) || !scopeOK {
		k.iamError(http.StatusUnauthorized, iamCodeUnauthorized, msgKeystoneUnauthorized)
		return
	}
	sum := sha256.Sum256([]byte(idp + "\x00" + idt.Subject))
	t.provider, t.issued, t.expiresAt = k.provider, k.now, k.now.Add(c.tokenTTL).Truncate(time.Microsecond)
	t.methods = []string{"mapped"}
	t.user = tokenUser{
		id: hex.EncodeToString(sum[:16]), name: idt.Subject,
		domainID: acct.domainID, domainName: acct.domainName, idp: idp,
	}
	c.issueToken(k, t, credentialTimeLayout)
}

// idpOf returns the identity provider of cloud p's own domain.
func idpOf(p Provider) string {
	if p == OTC {
		return OTCIdPID
	}
	return HuaweiIdPID
}

// securityTokenRequest is the body of POST
// /v3.0/OS-CREDENTIAL/securitytokens.
type securityTokenRequest struct {
	Auth *struct {
		Identity *struct {
			Methods []string `json:"methods"`
			Token   *struct {
				ID              string       `json:"id"`
				DurationSeconds *flexSeconds `json:"duration_seconds"`
			} `json:"token"`
			AssumeRole *assumeRoleRequest `json:"assume_role"`
		} `json:"identity"`
	} `json:"auth"`
}

// createTemporaryAccessKey serves IAM POST /v3.0/OS-CREDENTIAL/securitytokens
// with either documented method (credentials.md §2.7 and §3.5):
//
//   - ["token"]: keys for the token in X-Auth-Token, else in
//     auth.identity.token.id (IAM checks X-Auth-Token first), which may be
//     any token the Cloud issued, an unscoped federated one included. They
//     act in the token's domain.
//   - ["assume_role"]: keys of the agency assume_role names
//     ({"agency_name","domain_id"|"domain_name","duration_seconds"?}),
//     for a caller authenticated by X-Auth-Token or by an AK/SK signature
//     (gophertelekomcloud v0.9.8 signs it, openstack/client.go
//     authWithAgencyByAKSK). They act in the delegating domain.
//
// duration_seconds (a number or a numeric string) may ask for 15 minutes
// to 24 hours; the default is 15 minutes. Success is 201
// {"credential":{"access","secret","securitytoken","expires_at"}}, a new
// key each time, expires_at in UTC with microseconds.
//
// Errors are {"error_msg","error_code"}: 400 IAM.0011 for a body that is
// not one of the two, or a duration out of range; 401 IAM.0001 for a
// missing, unknown or expired token (an AK/SK caller the gateway refuses
// gets its 401 APIGW.0301); 404 IAM.0004 for an unknown delegating domain
// or agency; 403 IAM.0003 for a caller the agency does not trust.
func (c *Cloud) createTemporaryAccessKey(k *call) {
	var in securityTokenRequest
	err := json.Unmarshal(k.body, &in)
	if err != nil || in.Auth == nil || in.Auth.Identity == nil || len(in.Auth.Identity.Methods) != 1 {
		k.iamError(http.StatusBadRequest, iamCodeInvalidBody, msgIAMInvalidBody)
		return
	}
	id := in.Auth.Identity
	switch {
	case slices.Equal(id.Methods, []string{"token"}):
		value := k.r.Header.Get("X-Auth-Token")
		var asked *flexSeconds
		if id.Token != nil {
			asked = id.Token.DurationSeconds
			if value == "" {
				value = id.Token.ID
			}
		}
		d, ok := durationOf(asked)
		if !ok {
			k.iamError(http.StatusBadRequest, iamCodeInvalidBody, msgIAMInvalidBody)
			return
		}
		c.mu.Lock()
		t, known := c.st.tokens[value]
		c.mu.Unlock()
		if !known || t.provider != k.provider || !k.now.Before(t.expiresAt) {
			k.iamError(http.StatusUnauthorized, iamCodeUnauthorized, msgKeystoneUnauthorized)
			return
		}
		c.answerTemporaryKey(k, t.account().domainID, d)
	case slices.Equal(id.Methods, []string{"assume_role"}) && id.AssumeRole != nil:
		if k.r.Header.Get("X-Auth-Token") == "" && k.r.Header.Get("Authorization") == "" {
			k.iamError(http.StatusUnauthorized, iamCodeUnauthorized, msgKeystoneUnauthorized)
			return
		}
		caller, ok := c.huaweiAuth(k, true)
		if !ok {
			return
		}
		target, d, refusal := assume(k.provider, caller.acct, *id.AssumeRole)
		switch refusal {
		case agencyOK:
			c.answerTemporaryKey(k, target.domainID, d)
		case agencyNotFound:
			k.iamError(http.StatusNotFound, iamCodeNotFound, "Could not find agency.")
		case agencyNotTrusted:
			k.iamError(http.StatusForbidden, iamCodeForbidden, "Policy doesn't allow iam:agencies:assume to be performed.")
		default:
			k.iamError(http.StatusBadRequest, iamCodeInvalidBody, msgIAMInvalidBody)
		}
	default:
		k.iamError(http.StatusBadRequest, iamCodeInvalidBody, msgIAMInvalidBody)
	}
}

// answerTemporaryKey issues a key acting in domainID for d (zero: the
// default) and answers 201 with it.
func (c *Cloud) answerTemporaryKey(k *call, domainID string, d time.Duration) {
	if domainID == accountOf(k.provider).domainID {
		domainID = ""
	}
	ic := c.issueKey(k, domainID, d, DefaultTemporaryKeyDuration)
	k.writeJSON(http.StatusCreated, map[string]any{"credential": ic.credentialJSON()})
}
