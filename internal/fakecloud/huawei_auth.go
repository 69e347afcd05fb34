package fakecloud

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/detach-go/detach/internal/sigverify"
)

// huaweiMaxSkew is how far X-Sdk-Date may be from the emulator clock. Huawei
// does not document the gateway's limit (huawei.md §1.6); 15 minutes is an
// assumption.
const huaweiMaxSkew = 15 * time.Minute

// tokenTimeLayout is how IAM writes token times: RFC 3339 in UTC with
// milliseconds.
const tokenTimeLayout = "2006-01-02T15:04:05.000Z"

// msgIAMAuth starts every APIGW.0301 message, the documented text of the code
// (huawei.md §3.2); the detail after the colon follows the documented
// sub-messages where there is one and is the emulator's own otherwise.
const msgIAMAuth = "Incorrect IAM authentication information: "

// hwCaller is who made an authenticated Huawei or OTC request.
type hwCaller struct {
	acct account
	// key is the AK/SK used; zero when the request carried a token.
	key     hwKey
	byToken bool
	// tokenProject is the project a token is scoped to.
	tokenProject project
}

// huaweiAuth authenticates k's request for cloud k.provider as the API
// gateway does: with an X-Auth-Token the Cloud issued (when allowToken), or
// with an AK/SK signature in either flavour (sigverify.OTC when Authorization has
// "Credential=", sigverify.Huawei otherwise). A temporary key must come with its
// X-Security-Token, and a permanent key must come without one. The keys are
// the fixed ones of credentials.go and the temporary ones the Cloud issued,
// which expire; the tokens are any the Cloud issued but unscoped ones. The
// caller's account is the one the key or token belongs to (for an agency's,
// the delegating domain). On failure it answers 401 APIGW.0301 and returns
// false.
func (c *Cloud) huaweiAuth(k *call, allowToken bool) (hwCaller, bool) {
	if tok := k.r.Header.Get("X-Auth-Token"); tok != "" && allowToken {
		c.mu.Lock()
		t, ok := c.st.tokens[tok]
		c.mu.Unlock()
		switch {
		case !ok || t.provider != k.provider:
			k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+"decrypt token fail")
			return hwCaller{}, false
		case !k.now.Before(t.expiresAt):
			k.apigwError(http.StatusUnauthorized, "APIGW.0301",
				msgIAMAuth+"token expires, expires_at: "+t.expiresAt.UTC().Format(tokenTimeLayout))
			return hwCaller{}, false
		case t.scope == scopeNone:
			// An unscoped (federated) token only buys temporary keys
			// (iam_federation.go); services refuse it. The wording is the
			// emulator's.
			k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+"the token is unscoped")
			return hwCaller{}, false
		}
		return hwCaller{acct: t.account(), byToken: true, tokenProject: t.project}, true
	}

	authz := k.r.Header.Get("Authorization")
	if authz == "" {
		msg := "x-auth-token not found"
		if !allowToken {
			msg = "this API is called with AK/SK signatures only, and the request has no Authorization header"
		}
		k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+msg)
		return hwCaller{}, false
	}
	secretFor := func(ak string) (string, bool) {
		key, ok := c.hwKey(ak)
		if !ok || key.provider != k.provider {
			return "", false
		}
		return key.secret, true
	}
	verify := sigverify.Huawei
	if strings.Contains(authz, "Credential=") {
		verify = sigverify.OTC
	}
	id, err := verify(k.r, k.bodySHA, secretFor, k.now, huaweiMaxSkew)
	var detail string
	switch {
	case err == nil:
	case errors.Is(err, sigverify.ErrHWUnknownAccessKey):
		detail = "Get secretKey failed, ak not exist"
	case errors.Is(err, sigverify.ErrHWSignatureMismatch):
		detail = "verify aksk signature fail"
	case errors.Is(err, sigverify.ErrHWExpired):
		detail = "verify aksk signature fail, X-Sdk-Date is more than 15 minutes away from the server time"
	default: // sigverify.ErrHWMalformed and anything unforeseen
		detail = "verify aksk signature fail, the Authorization or X-Sdk-Date header is malformed"
	}
	if detail != "" {
		k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+detail)
		return hwCaller{}, false
	}
	key, _ := c.hwKey(id.AccessKey)
	switch {
	case k.r.Header.Get("X-Security-Token") != key.securityToken:
		k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+"the security token does not belong to the access key")
		return hwCaller{}, false
	case !key.expires.IsZero() && !k.now.Before(key.expires):
		// An issued temporary key past its expiry (huawei_issue.go); the
		// wording is the emulator's.
		k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+"the security token has expired")
		return hwCaller{}, false
	}
	acct, _ := accountByDomainID(k.provider, key.domainID)
	return hwCaller{acct: acct, key: key}, true
}

// hwKey finds a fixed Huawei or OTC access key or one the Cloud issued.
func (c *Cloud) hwKey(ak string) (hwKey, bool) {
	if key, ok := c.hwKeys[ak]; ok {
		return key, true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key, ok := c.st.hw.keys[ak]
	return key, ok
}
