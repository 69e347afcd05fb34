package fakecloud

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Identity Center error codes. Huawei publishes no IIC catalogue (huawei.md
// §2 and §7: only IIC.1215 appears, in an example), so these codes are
// INVENTED for the emulator; only their HTTP statuses and the body shape
// follow the documentation. Clients must not rely on them.
const (
	ICCodeInvalidParameter    = "IIC.1000" // 400: a malformed path ID
	ICCodeForbidden           = "IIC.1003" // 403: the caller lacks IdentityCenter:application:deleteProfile
	ICCodeInstanceNotFound    = "IIC.1101" // 404
	ICCodeApplicationNotFound = "IIC.1102" // 404: unknown application instance
	ICCodeProfileNotFound     = "IIC.1103" // 404
)

// maxICProfileIDLen bounds profile_id, whose format is not documented.
const maxICProfileIDLen = 64

// deleteProfile serves Identity Center DeleteProfile:
// DELETE /v1/instances/{instance_id}/application-instances/{application_instance_id}/profiles/{profile_id}
// (huawei.md §2). It takes AK/SK signatures only, with X-Domain-Id equal to
// the key's domain (a global service); a missing or foreign X-Domain-Id is
// refused as an authentication failure (401 APIGW.0301), the emulator's
// choice. Success is 200 with no body. Errors are
// {"error_code","error_msg","request_id"}: 400 for a malformed ID
// (instance_id must be 20 characters, application_instance_id must start
// with "app-ins-", the two documented rules), 403 with
// encoded_authorization_message for HuaweiNoPermAK, 404 for unknown IDs.
func (c *Cloud) deleteProfile(k *call) {
	caller, ok := c.huaweiAuth(k, false)
	if !ok {
		return
	}
	if d := k.r.Header.Get("X-Domain-Id"); d != caller.acct.domainID {
		msg := "X-Domain-Id does not match the domain of the access key"
		if d == "" {
			msg = "X-Domain-Id is required by a global service"
		}
		k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+msg)
		return
	}
	var ids [3]string
	for i := range ids {
		v, ok := k.arg(i)
		if !ok {
			k.iicError(http.StatusBadRequest, ICCodeInvalidParameter, "the request path is not a valid percent-encoding", "")
			return
		}
		ids[i] = v
	}
	instanceID, appID, profileID := ids[0], ids[1], ids[2]
	switch {
	case utf8.RuneCountInString(instanceID) != 20:
		k.iicError(http.StatusBadRequest, ICCodeInvalidParameter, "instance_id must be 20 characters long", "")
		return
	case !strings.HasPrefix(appID, "app-ins-"):
		k.iicError(http.StatusBadRequest, ICCodeInvalidParameter, "application_instance_id must start with app-ins-", "")
		return
	case profileID == "" || utf8.RuneCountInString(profileID) > maxICProfileIDLen:
		k.iicError(http.StatusBadRequest, ICCodeInvalidParameter, "profile_id must be 1 to 64 characters long", "")
		return
	}
	if caller.key.noPermission {
		k.iicError(http.StatusForbidden, ICCodeForbidden,
			"Policy doesn't allow IdentityCenter:application:deleteProfile to be performed.",
			encodedAuthorization(caller.acct.domainID, instanceID))
		return
	}

	c.mu.Lock()
	apps, instOK := c.st.ic[instanceID]
	profiles, appOK := apps[appID]
	profOK := profiles[profileID]
	if profOK {
		delete(profiles, profileID)
	}
	c.mu.Unlock()

	switch {
	case !instOK:
		k.iicError(http.StatusNotFound, ICCodeInstanceNotFound, "instance "+instanceID+" does not exist", "")
	case !appOK:
		k.iicError(http.StatusNotFound, ICCodeApplicationNotFound, "application instance "+appID+" does not exist", "")
	case !profOK:
		k.iicError(http.StatusNotFound, ICCodeProfileNotFound, "profile "+profileID+" does not exist", "")
	default:
		k.w.WriteHeader(http.StatusOK)
	}
}

// encodedAuthorization stands in for the opaque encoded_authorization_message
// of a denied request, which the real service encodes for STS to decode.
// This one is base64 of a short JSON description.
func encodedAuthorization(domainID, instanceID string) string {
	b, _ := json.Marshal(struct {
		Allowed  bool   `json:"allowed"`
		Action   string `json:"action"`
		DomainID string `json:"domain_id"`
		Resource string `json:"resource"`
	}{false, "IdentityCenter:application:deleteProfile", domainID, "IdentityCenter::system:instance:" + instanceID})
	return base64.StdEncoding.EncodeToString(b)
}
