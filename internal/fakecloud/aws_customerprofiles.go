package fakecloud

import (
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// deleteProfileObject serves Customer Profiles DeleteProfileObject:
// POST /domains/{DomainName}/profiles/objects/delete with a JSON body of
// ObjectTypeName, ProfileId and ProfileObjectUniqueKey, SigV4 signing name
// "profile" (aws.md §1.3).
//
// Errors use the modelled statuses: BadRequestException 400 (bad JSON, a
// missing member, a member breaking its shape), AccessDeniedException 403,
// ResourceNotFoundException 404 (unknown domain or object; the operation is
// not idempotent, so deleting an object twice finds nothing the second
// time), ThrottlingException 429 and InternalServerException 500 (faults).
// Body members are matched by their exact model names.
func (c *Cloud) deleteProfileObject(k *call) {
	key, ok := c.awsAuth(k, "profile")
	if !ok {
		return
	}
	domain, ok := k.arg(0)
	if !ok {
		k.awsError(http.StatusBadRequest, "BadRequestException", "the request path is not a valid percent-encoding")
		return
	}
	if msg := checkShape("DomainName", domain, 1, 64, isDomainName, "^[a-zA-Z0-9_-]+$"); msg != "" {
		k.awsError(http.StatusBadRequest, "BadRequestException", msg)
		return
	}
	obj, msg := parseProfileObjectKey(k.body)
	if msg != "" {
		k.awsError(http.StatusBadRequest, "BadRequestException", msg)
		return
	}
	if key.denied {
		k.awsDenied(http.StatusForbidden, "profile:DeleteProfileObject")
		return
	}

	c.mu.Lock()
	objs, domainFound := c.st.cpObjs[domain]
	found := objs[obj]
	if found {
		delete(objs, obj)
	}
	c.mu.Unlock()

	switch {
	case !domainFound:
		k.awsError(http.StatusNotFound, "ResourceNotFoundException", "Domain "+domain+" was not found.")
	case !found:
		k.awsError(http.StatusNotFound, "ResourceNotFoundException", "Profile object was not found.")
	default:
		k.writeJSON(http.StatusOK, struct{ Message string }{"Profile object deleted."})
	}
}

// The model's patterns (aws.md §1.3), checked by hand.

// isDomainName matches ^[a-zA-Z0-9_-]+$.
func isDomainName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '_' && s[i] != '-' {
			return false
		}
	}
	return s != ""
}

// isTypeName matches ^[a-zA-Z_][a-zA-Z_0-9-]*$.
func isTypeName(s string) bool {
	if s == "" || !(isAlpha(s[0]) || s[0] == '_') {
		return false
	}
	return isDomainName(s)
}

// containsUUID matches [a-f0-9]{32}, which the model leaves unanchored: any
// value containing 32 lowercase hex digits in a row matches it.
func containsUUID(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' || c >= 'a' && c <= 'f' {
			if run++; run == 32 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }

// parseProfileObjectKey decodes the request body. It returns a
// BadRequestException message naming the member at fault, or "".
func parseProfileObjectKey(body []byte) (cpObjectKey, string) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return cpObjectKey{}, "the request body is not a JSON object"
	}
	member := func(name string) (string, string) {
		raw, ok := m[name]
		if !ok {
			return "", name + " is required"
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", name + " must be a string"
		}
		return s, ""
	}
	var key cpObjectKey
	var msg string
	if key.objectType, msg = member("ObjectTypeName"); msg != "" {
		return key, msg
	}
	if msg = checkShape("ObjectTypeName", key.objectType, 1, 255, isTypeName, "^[a-zA-Z_][a-zA-Z_0-9-]*$"); msg != "" {
		return key, msg
	}
	if key.profileID, msg = member("ProfileId"); msg != "" {
		return key, msg
	}
	if msg = checkShape("ProfileId", key.profileID, 0, 0, containsUUID, "[a-f0-9]{32}"); msg != "" {
		return key, msg
	}
	if key.uniqueKey, msg = member("ProfileObjectUniqueKey"); msg != "" {
		return key, msg
	}
	if msg = checkShape("ProfileObjectUniqueKey", key.uniqueKey, 1, 255, nil, ""); msg != "" {
		return key, msg
	}
	return key, ""
}

// checkShape checks a string member against its length bounds in characters
// (max 0: none) and pattern (nil: none), and returns the message or "".
func checkShape(name, v string, minLen, maxLen int, matches func(string) bool, pattern string) string {
	n := utf8.RuneCountInString(v)
	if n < minLen || (maxLen > 0 && n > maxLen) {
		return name + " must be between " + strconv.Itoa(minLen) + " and " + strconv.Itoa(maxLen) + " characters long"
	}
	if matches != nil && !matches(v) {
		return name + " must match the pattern " + pattern
	}
	return ""
}
