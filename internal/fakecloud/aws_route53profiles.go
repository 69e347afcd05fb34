package fakecloud

import (
	"net/http"
	"strconv"
	"time"
)

// disassociateProfile serves Route 53 Profiles DisassociateProfile:
// DELETE /profileassociation/Profileid/{ProfileId}/resourceid/{ResourceId},
// SigV4 signing name "route53profiles" (aws.md §1.2).
//
// Every error is sent with status 400, Smithy's default for a client error
// without an httpError trait, which is the case of all of this service's
// errors. Success is 200 with the association in status DELETING. The
// association stays DELETING until it is read: the removal completes after
// a number of reads (see [WithProfileDeletionReads]), so a client that
// never polls keeps seeing DELETING. A second call for a DELETING
// association succeeds again with the same body and does not restart the
// removal: the model marks the operation idempotent, so a retry after a
// lost response must not fail. Once the association is removed, the call
// answers ResourceNotFoundException.
func (c *Cloud) disassociateProfile(k *call) {
	key, ok := c.awsAuth(k, "route53profiles")
	if !ok {
		return
	}
	profileID, ok1 := k.arg(0)
	resourceID, ok2 := k.arg(1)
	if !ok1 || !ok2 {
		k.awsError(http.StatusBadRequest, "ValidationException", "the request path is not a valid percent-encoding")
		return
	}
	if msg := validateResourceID("profileId", profileID); msg != "" {
		k.awsError(http.StatusBadRequest, "ValidationException", msg)
		return
	}
	if msg := validateResourceID("resourceId", resourceID); msg != "" {
		k.awsError(http.StatusBadRequest, "ValidationException", msg)
		return
	}
	if key.denied {
		k.awsDenied(http.StatusBadRequest, "route53profiles:DisassociateProfile")
		return
	}

	c.mu.Lock()
	a := c.st.assocs[assocKey{profileID, resourceID}]
	var out profileAssociationJSON
	if a != nil {
		if a.status != "DELETING" {
			a.status, a.statusMessage, a.modified = "DELETING", "Deleting Profile Association", k.now
			a.deleteReads = 0
		}
		out = a.toJSON(assocKey{profileID, resourceID})
	}
	c.mu.Unlock()

	if a == nil {
		k.awsError(http.StatusBadRequest, "ResourceNotFoundException",
			"The profile association between "+profileID+" and "+resourceID+" doesn't exist.")
		return
	}
	k.writeJSON(http.StatusOK, struct {
		ProfileAssociation profileAssociationJSON
	}{out})
}

// toJSON is the association of key as the service sends it.
func (a *profileAssociation) toJSON(key assocKey) profileAssociationJSON {
	return profileAssociationJSON{
		CreationTime: epochSeconds(a.created), ModificationTime: epochSeconds(a.modified),
		ID: a.id, Name: a.name, OwnerID: a.ownerID, ProfileID: key.profileID, ResourceID: key.resourceID,
		Status: a.status, StatusMessage: a.statusMessage,
	}
}

// validateResourceID applies the model's ResourceId shape: length 1 to 64,
// no pattern. It returns the ValidationException message, or "".
func validateResourceID(field, v string) string {
	if n := len([]rune(v)); n < 1 || n > 64 {
		return "1 validation error detected: Value '" + v + "' at '" + field +
			"' failed to satisfy constraint: Member must have length between 1 and 64"
	}
	return ""
}

// profileAssociationJSON is the ProfileAssociation structure of the model.
type profileAssociationJSON struct {
	CreationTime     epochSeconds
	ID               string `json:"Id"`
	ModificationTime epochSeconds
	Name             string
	OwnerID          string `json:"OwnerId"`
	ProfileID        string `json:"ProfileId"`
	ResourceID       string `json:"ResourceId"`
	Status           string
	StatusMessage    string
}

// epochSeconds is a timestamp in restJson1's default body format: seconds
// since the epoch as a JSON number, with milliseconds as a fraction.
type epochSeconds time.Time

// MarshalJSON writes the number, for example 1440938160.123.
func (t epochSeconds) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(time.Time(t).UnixMilli())/1000, 'f', 3, 64), nil
}
