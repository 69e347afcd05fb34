package fakecloud

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The Route 53 Profiles read operations, counted by [Cloud.Requests] and
// targeted by [Cloud.Inject] and [Cloud.LimitRate] like the others.
const (
	OpGetProfileAssociation   = "GetProfileAssociation"   // Route 53 Profiles
	OpListProfileAssociations = "ListProfileAssociations" // Route 53 Profiles
)

// DefaultProfileDeletionReads is how many reads see a disassociated Route 53
// Profile association as DELETING before it is gone, unless
// [WithProfileDeletionReads] says otherwise.
const DefaultProfileDeletionReads = 2

// WithProfileDeletionReads sets how many reads (GetProfileAssociation, or a
// ListProfileAssociations page that lists it) see a disassociated
// association as DELETING; the read after them finds the removal complete,
// and from then on the association is gone: Get answers
// ResourceNotFoundException and List leaves it out, which is what Route 53
// Profiles does (it does not keep DELETED associations around). Zero means
// the first read already finds it gone; a negative n keeps the default,
// [DefaultProfileDeletionReads].
//
// Removal advances on reads rather than on time so that a test decides
// exactly when it happens, and tests that never read keep seeing DELETING.
func WithProfileDeletionReads(n int) Option {
	return func(c *Cloud) {
		if n >= 0 {
			c.r53pDeleteReads = &n
		}
	}
}

func (c *Cloud) profileDeletionReads() int {
	if c.r53pDeleteReads == nil {
		return DefaultProfileDeletionReads
	}
	return *c.r53pDeleteReads
}

// readAssociation counts one read of the association at key and reports
// whether the reader sees it. A DELETING association is seen by the first
// profileDeletionReads reads; the next one removes it. c.mu must be held.
func (c *Cloud) readAssociation(key assocKey, a *profileAssociation) bool {
	if a.status != "DELETING" {
		return true
	}
	if a.deleteReads >= c.profileDeletionReads() {
		delete(c.st.assocs, key)
		return false
	}
	a.deleteReads++
	return true
}

// SetProfileAssociationStatus sets the status and status message of the
// association of profileID with resourceID (for example FAILED, CREATING,
// or DELETING to model a removal someone else started) and reports whether
// the association exists. Setting DELETING starts the count of
// [WithProfileDeletionReads] anew.
func (c *Cloud) SetProfileAssociationStatus(profileID, resourceID, status, message string) bool {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.st.assocs[assocKey{profileID, resourceID}]
	if a == nil {
		return false
	}
	a.status, a.statusMessage, a.modified, a.deleteReads = status, message, now, 0
	return true
}

// getProfileAssociation serves Route 53 Profiles GetProfileAssociation:
// GET /profileassociation/{ProfileAssociationId}, SigV4 signing name
// "route53profiles". Errors are sent with 400 (see disassociateProfile):
// ValidationException for an ID outside 1 to 64 characters,
// AccessDeniedException, ResourceNotFoundException for an unknown or
// removed association. The read counts towards the removal of a DELETING
// association (see [WithProfileDeletionReads]).
func (c *Cloud) getProfileAssociation(k *call) {
	key, ok := c.awsAuth(k, "route53profiles")
	if !ok {
		return
	}
	id, ok := k.arg(0)
	if !ok {
		k.awsError(http.StatusBadRequest, "ValidationException", "the request path is not a valid percent-encoding")
		return
	}
	if msg := validateResourceID("profileAssociationId", id); msg != "" {
		k.awsError(http.StatusBadRequest, "ValidationException", msg)
		return
	}
	if key.denied {
		k.awsDenied(http.StatusBadRequest, "route53profiles:GetProfileAssociation")
		return
	}

	c.mu.Lock()
	var out *profileAssociationJSON
	for ak, a := range c.st.assocs {
		if a.id != id {
			continue
		}
		if c.readAssociation(ak, a) {
			j := a.toJSON(ak)
			out = &j
		}
		break
	}
	c.mu.Unlock()

	if out == nil {
		k.awsError(http.StatusBadRequest, "ResourceNotFoundException", "The profile association "+id+" doesn't exist.")
		return
	}
	k.writeJSON(http.StatusOK, struct {
		ProfileAssociation profileAssociationJSON
	}{*out})
}

// listProfileAssociations serves Route 53 Profiles ListProfileAssociations:
// GET /profileassociations with the optional query parameters profileId,
// resourceId (filters, 1 to 64 characters), maxResults (1 to 100, default
// 100) and nextToken. Associations are listed in the order of their IDs;
// a page that leaves some out carries a NextToken. Each association a page
// lists counts one read towards its removal when it is DELETING (see
// [WithProfileDeletionReads]).
//
// Errors are sent with 400: ValidationException for a parameter outside
// its bounds or a maxResults that is not an integer (the emulator's
// wording; the service's may differ), InvalidNextTokenException for a
// nextToken this emulator did not issue, AccessDeniedException.
func (c *Cloud) listProfileAssociations(k *call) {
	key, ok := c.awsAuth(k, "route53profiles")
	if !ok {
		return
	}
	q, err := url.ParseQuery(k.r.URL.RawQuery)
	if err != nil {
		k.awsError(http.StatusBadRequest, "ValidationException", "the query string is not a valid percent-encoding")
		return
	}
	limit := 100
	if v, ok := queryValue(q, "maxResults"); ok {
		n, err := strconv.Atoi(v)
		if msg := validateMaxResults(v, n, err); msg != "" {
			k.awsError(http.StatusBadRequest, "ValidationException", msg)
			return
		}
		limit = n
	}
	profileID, byProfile := queryValue(q, "profileId")
	resourceID, byResource := queryValue(q, "resourceId")
	for _, f := range []struct {
		name, v string
		given   bool
	}{{"profileId", profileID, byProfile}, {"resourceId", resourceID, byResource}} {
		if msg := validateResourceID(f.name, f.v); f.given && msg != "" {
			k.awsError(http.StatusBadRequest, "ValidationException", msg)
			return
		}
	}
	if key.denied {
		k.awsDenied(http.StatusBadRequest, "route53profiles:ListProfileAssociations")
		return
	}
	var after string
	if tok, ok := queryValue(q, "nextToken"); ok {
		if after, ok = decodeListToken(tok); !ok {
			k.awsError(http.StatusBadRequest, "InvalidNextTokenException", "The NextToken provided is not valid.")
			return
		}
	}

	type item struct {
		key assocKey
		a   *profileAssociation
	}
	c.mu.Lock()
	var items []item
	for ak, a := range c.st.assocs {
		if (byProfile && ak.profileID != profileID) || (byResource && ak.resourceID != resourceID) || (after != "" && a.id <= after) {
			continue
		}
		items = append(items, item{ak, a})
	}
	slices.SortFunc(items, func(x, y item) int { return strings.Compare(x.a.id, y.a.id) })
	page := []profileAssociationJSON{}
	var next string
	for _, it := range items {
		if len(page) == limit {
			next = encodeListToken(page[len(page)-1].ID)
			break
		}
		if c.readAssociation(it.key, it.a) {
			page = append(page, it.a.toJSON(it.key))
		}
	}
	c.mu.Unlock()

	k.writeJSON(http.StatusOK, struct {
		NextToken           string `json:",omitempty"`
		ProfileAssociations []profileAssociationJSON
	}{next, page})
}

// queryValue returns the first value of a query parameter and whether the
// parameter was given at all (an empty value counts as given).
func queryValue(q url.Values, name string) (string, bool) {
	vs, ok := q[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// validateMaxResults applies the model's MaxResults shape (integer, 1 to
// 100) and returns the ValidationException message, or "".
func validateMaxResults(raw string, n int, parseErr error) string {
	const head = "1 validation error detected: Value '"
	switch {
	case parseErr != nil:
		return head + raw + "' at 'maxResults' failed to satisfy constraint: Member must be an integer"
	case n < 1:
		return head + raw + "' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"
	case n > 100:
		return head + raw + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
	}
	return ""
}

// listTokenPrefix marks the emulator's NextTokens. A token holds the ID of
// the last association of the page it ends, so paging resumes correctly
// even when associations come and go in between.
const listTokenPrefix = "fakecloud1."

func encodeListToken(lastID string) string {
	return listTokenPrefix + base64.RawURLEncoding.EncodeToString([]byte(lastID))
}

func decodeListToken(tok string) (string, bool) {
	rest, ok := strings.CutPrefix(tok, listTokenPrefix)
	if !ok {
		return "", false
	}
	id, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(id) == 0 || !utf8.Valid(id) {
		return "", false
	}
	return string(id), true
}
