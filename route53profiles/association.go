package route53profiles

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/detach-go/detach/transport"
)

// profileAssociationJSON is ProfileAssociation on the wire. The timestamps
// are kept raw so that a value that is not a JSON number (a string, even one
// holding digits) is rejected, as aws-sdk-go-v2 rejects it.
type profileAssociationJSON struct {
	CreationTime     json.RawMessage `json:"CreationTime"`
	ModificationTime json.RawMessage `json:"ModificationTime"`
	ID               string          `json:"Id"`
	Name             string          `json:"Name"`
	OwnerID          string          `json:"OwnerId"`
	ProfileID        string          `json:"ProfileId"`
	ResourceID       string          `json:"ResourceId"`
	Status           ProfileStatus   `json:"Status"`
	StatusMessage    string          `json:"StatusMessage"`
}

// convert returns the association, or the name of the timestamp field that
// is not epoch seconds as a JSON number.
func (w *profileAssociationJSON) convert() (ProfileAssociation, string) {
	a := ProfileAssociation{
		ID:            w.ID,
		Name:          w.Name,
		OwnerID:       w.OwnerID,
		ProfileID:     w.ProfileID,
		ResourceID:    w.ResourceID,
		Status:        w.Status,
		StatusMessage: w.StatusMessage,
	}
	var ok bool
	if a.CreationTime, ok = epochField(w.CreationTime); !ok {
		return a, "CreationTime"
	}
	if a.ModificationTime, ok = epochField(w.ModificationTime); !ok {
		return a, "ModificationTime"
	}
	return a, ""
}

// badTimestamp is the DecodeError for a timestamp at path (e.g.
// "ProfileAssociation.CreationTime") that is not epoch seconds.
func badTimestamp(resp *transport.Response, path string) error {
	return &transport.DecodeError{
		StatusCode: resp.StatusCode,
		RequestID:  resp.Metadata.RequestID,
		Err:        errors.New("field " + path + ": not epoch seconds as a JSON number"),
	}
}

// epochField decodes an optional timestamp: absent or null is the zero time.
func epochField(raw json.RawMessage) (time.Time, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}, true
	}
	return parseEpochSeconds(string(raw))
}

// notFoundMetadata reports whether err is the service's answer that the
// association does not exist (ResourceNotFoundException, sent with 400),
// and if so the Metadata of that answer. Only that code counts: a 404 from
// a proxy or an unknown path also classifies as not found, but says nothing
// about the association. A call whose context ended is never "gone".
func notFoundMetadata(err error) (transport.Metadata, bool) {
	var re *transport.ResponseError
	var ce *transport.CanceledError
	if !errors.As(err, &re) || re.Code != CodeResourceNotFound || errors.As(err, &ce) {
		return transport.Metadata{}, false
	}
	return transport.Metadata{RequestID: re.RequestID, StatusCode: re.StatusCode, Attempts: re.Attempts}, true
}
