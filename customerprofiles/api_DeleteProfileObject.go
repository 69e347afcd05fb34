package customerprofiles

import (
	"context"
	"net/http"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opDeleteProfileObject = "DeleteProfileObject"

// DeleteProfileObjectInput names the object to delete.
type DeleteProfileObjectInput struct {
	// DomainName is the Customer Profiles domain. Required, 1 to 64 of
	// A-Z a-z 0-9 _ -.
	DomainName string `json:"DomainName"`
	// ObjectTypeName is the object's type, e.g. "CTR". Required, 1 to 255
	// characters: a letter or _, then letters, digits, _ or -.
	ObjectTypeName string `json:"ObjectTypeName"`
	// ProfileID is the profile's ID: 32 lower-case hex digits. Required.
	ProfileID string `json:"ProfileId"`
	// ProfileObjectUniqueKey is the object's unique key, as returned by
	// ListProfileObjects. Required, 1 to 255 characters, any of them (the
	// model has no pattern): it goes only into the JSON body, which escapes
	// control characters, so a TAB or a newline is sent as the model allows.
	ProfileObjectUniqueKey string `json:"ProfileObjectUniqueKey"`
}

// validate enforces the model's rules. DomainName goes into the path; the
// other three go only into the JSON body, so only their patterns (none for
// ProfileObjectUniqueKey) limit their characters. ProfileID's pattern
// [a-f0-9]{32} is not anchored in the model; it is taken as the whole
// value, which is what the service's IDs are.
func (in *DeleteProfileObjectInput) validate() error {
	if err := wire.PathID("DomainName", in.DomainName, 1, 64); err != nil {
		return err
	}
	if err := wire.Match("DomainName", in.DomainName, isDomainName,
		"must contain only letters, digits, _ and - (^[a-zA-Z0-9_-]+$)"); err != nil {
		return err
	}
	if err := wire.BodyText("ObjectTypeName", in.ObjectTypeName, 1, 255); err != nil {
		return err
	}
	if err := wire.Match("ObjectTypeName", in.ObjectTypeName, isTypeName,
		"must start with a letter or _ and contain only letters, digits, _ and - (^[a-zA-Z_][a-zA-Z_0-9-]*$)"); err != nil {
		return err
	}
	if in.ProfileID == "" {
		return &transport.ValidationError{Field: "ProfileID", Rule: "is required"}
	}
	if err := wire.Match("ProfileID", in.ProfileID, isProfileID,
		"must be 32 lower-case hex digits ([a-f0-9]{32})"); err != nil {
		return err
	}
	return wire.BodyText("ProfileObjectUniqueKey", in.ProfileObjectUniqueKey, 1, 255)
}

// isDomainName is ^[a-zA-Z0-9_-]+$.
func isDomainName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// isTypeName is ^[a-zA-Z_][a-zA-Z_0-9-]*$.
func isTypeName(s string) bool {
	if s == "" || !isLetter(s[0]) && s[0] != '_' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

// isProfileID is [a-f0-9]{32}, whole value.
func isProfileID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isDigit(c) && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// request builds POST /domains/{DomainName}/profiles/objects/delete with the
// other three members in a compact JSON body, keys in aws-sdk-go-v2's
// (sorted) order.
func (in *DeleteProfileObjectInput) request() *transport.Request {
	const (
		head = "/domains"
		tail = "/profiles/objects/delete"
	)
	path := make([]byte, 0, len(head)+1+len(in.DomainName)+len(tail))
	path = append(path, head...)
	path = wire.AppendSegment(path, in.DomainName) // validated: nothing to escape
	path = append(path, tail...)
	return &transport.Request{
		Method:      http.MethodPost,
		Path:        string(path),
		ContentType: "application/json",
		Body:        in.body(),
	}
}

// body writes the JSON by hand: ObjectTypeName and ProfileID are validated to
// need no escaping, and ProfileObjectUniqueKey is escaped as encoding/json
// does with HTML escaping off (what aws-sdk-go-v2 sends: <, > and & raw).
func (in *DeleteProfileObjectInput) body() []byte {
	const (
		k1 = `{"ObjectTypeName":"`
		k2 = `","ProfileId":"`
		k3 = `","ProfileObjectUniqueKey":`
	)
	b := make([]byte, 0, len(k1)+len(k2)+len(k3)+len(in.ObjectTypeName)+len(in.ProfileID)+len(in.ProfileObjectUniqueKey)+8)
	b = append(b, k1...)
	b = append(b, in.ObjectTypeName...)
	b = append(b, k2...)
	b = append(b, in.ProfileID...)
	b = append(b, k3...)
	b = appendJSONString(b, in.ProfileObjectUniqueKey)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string, escaping as encoding/json does
// with SetEscapeHTML(false): ", \ and control characters (which
// ProfileObjectUniqueKey may hold), and U+2028/U+2029 for JavaScript's sake.
// Invalid UTF-8 never gets here (validate rejects it).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0xe2 {
			i++
			continue
		}
		if c == 0xe2 { // possible U+2028 or U+2029: e2 80 a8 / e2 80 a9
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
				b = append(b, s[start:i]...)
				b = append(b, `\u202`...)
				b = append(b, hex[s[i+2]&0xf])
				i += 3
				start = i
				continue
			}
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// DeleteProfileObjectOutput is the service's answer.
type DeleteProfileObjectOutput struct {
	// Message says that the delete request is done; empty when AlreadyGone.
	Message string
	// AlreadyGone is true when Options.Idempotent is on and the service
	// answered ResourceNotFoundException: there was nothing to delete.
	AlreadyGone bool
	// Metadata is the request ID, HTTP status and attempt count; when
	// AlreadyGone, those of the service's not-found answer (status 404).
	Metadata transport.Metadata
}

// DeleteProfileObject removes an object associated with a customer profile.
//
// HTTP: POST /domains/{DomainName}/profiles/objects/delete with
// Content-Type: application/json and the body
// {"ObjectTypeName":...,"ProfileId":...,"ProfileObjectUniqueKey":...}.
//
// Retries: the operation is not idempotent. Throttling, InternalServerException,
// 500/502/503/504 and connection failures are retried up to
// Retry.MaxAttempts. If the object was deleted but the response was lost, the
// replay gets CodeResourceNotFound: a transport.ErrNotFound whose
// ResponseError.Attempts is above 1 may mean the object is gone. With
// Options.Idempotent on, that answer is a success with AlreadyGone set.
//
// Errors: a *transport.ResponseError with one of the Code constants:
// CodeAccessDenied 403 (transport.ErrAccessDenied), CodeBadRequest 400
// (transport.ErrInvalidInput), CodeInternalServer 500 (retried),
// CodeResourceNotFound 404 (transport.ErrNotFound; a success with
// AlreadyGone when Options.Idempotent is on), CodeThrottling 429
// (transport.ErrThrottled, retried). Bad input is a
// *transport.ValidationError before any request. Every error is a
// *smithy.OperationError naming the service and operation.
func (c *Client) DeleteProfileObject(ctx context.Context, in *DeleteProfileObjectInput, opts ...Option) (*DeleteProfileObjectOutput, error) {
	if in == nil {
		return nil, c.tc.OpError(opDeleteProfileObject, wire.Nil("input"))
	}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opDeleteProfileObject, err)
	}
	o, set := c.callOptions(opts)
	resp, err := c.tc.Do(ctx, opDeleteProfileObject, in.request(), set)
	if err != nil {
		if md, gone := notFoundMetadata(err); gone && o.Idempotent {
			return &DeleteProfileObjectOutput{AlreadyGone: true, Metadata: md}, nil
		}
		return nil, err
	}
	var body struct {
		Message string `json:"Message"`
	}
	if err := transport.DecodeJSON(resp, &body); err != nil {
		return nil, c.tc.OpError(opDeleteProfileObject, err)
	}
	return &DeleteProfileObjectOutput{Message: body.Message, Metadata: resp.Metadata}, nil
}
