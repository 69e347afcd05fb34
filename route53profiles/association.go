package route53profiles

import (
	"errors"
	"time"

	"github.com/detach-go/detach/transport"
)

// profileAssociationJSON is ProfileAssociation on the wire.
type profileAssociationJSON struct {
	CreationTime     epochJSON     `json:"CreationTime"`
	ModificationTime epochJSON     `json:"ModificationTime"`
	ID               string        `json:"Id"`
	Name             string        `json:"Name"`
	OwnerID          string        `json:"OwnerId"`
	ProfileID        string        `json:"ProfileId"`
	ResourceID       string        `json:"ResourceId"`
	Status           ProfileStatus `json:"Status"`
	StatusMessage    string        `json:"StatusMessage"`
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
	if w.CreationTime.bad {
		return a, "CreationTime"
	}
	if w.ModificationTime.bad {
		return a, "ModificationTime"
	}
	a.CreationTime, a.ModificationTime = w.CreationTime.t, w.ModificationTime.t
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

// epochJSON is an optional timestamp on the wire: epoch seconds as a JSON
// number; absent or null is the zero time. A value of any other kind (a
// string, even one holding digits) is marked bad rather than failing the
// decode, so the error can name the field; aws-sdk-go-v2 rejects such values
// too. It parses the bytes it is given in place: json.RawMessage would copy
// them, an allocation per timestamp.
type epochJSON struct {
	t   time.Time
	bad bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (e *epochJSON) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*e = epochJSON{}
		return nil
	}
	t, ok := parseEpochSeconds(string(b))
	*e = epochJSON{t: t, bad: !ok}
	return nil
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
