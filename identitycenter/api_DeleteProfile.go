package identitycenter

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opDeleteProfile = "DeleteProfile"

// applicationInstancePrefix starts every application instance ID, as the
// API reference states ("以app-ins-为前缀").
const applicationInstancePrefix = "app-ins-"

// DeleteProfileInput names the profile (the association of an application
// instance with users or groups) to delete. Each ID is one segment of the
// URL path, so none may hold control characters or be "." or "..".
type DeleteProfileInput struct {
	// InstanceID is the Identity Center instance, e.g.
	// "ins-2c1e00000000f3c6". Required, exactly 20 characters (the
	// documented rule; IDs seen in examples are "ins-" and 16 hex digits, but
	// that format is not documented, so it is not checked).
	InstanceID string `json:"instance_id"`
	// ApplicationInstanceID is the application instance, which starts with
	// "app-ins-". Required. No length is documented: it is bounded at 255
	// characters (wire.MaxUndocumented), far above any ID the service
	// issues, so that a runaway value is refused before any request.
	ApplicationInstanceID string `json:"application_instance_id"`
	// ProfileID is the profile to delete. Required; no format or length is
	// documented, so it is bounded at 255 characters as ApplicationInstanceID
	// is.
	ProfileID string `json:"profile_id"`
}

// validate enforces the documented rules and what keeps the path
// well-formed: each ID is one path segment, valid UTF-8, without control
// characters, neither "." nor "..", and at most wire.MaxUndocumented
// characters where no length is documented.
func (in *DeleteProfileInput) validate() error {
	if err := wire.PathID("InstanceID", in.InstanceID, 20, 20); err != nil {
		return err
	}
	if err := wire.PathID("ApplicationInstanceID", in.ApplicationInstanceID, 1, wire.MaxUndocumented); err != nil {
		return err
	}
	if err := wire.Match("ApplicationInstanceID", in.ApplicationInstanceID, hasAppInsPrefix,
		`must start with "`+applicationInstancePrefix+`"`); err != nil {
		return err
	}
	return wire.PathID("ProfileID", in.ProfileID, 1, wire.MaxUndocumented)
}

func hasAppInsPrefix(s string) bool { return strings.HasPrefix(s, applicationInstancePrefix) }

// request builds the DELETE with no body; each ID is one segment escaped
// as the API gateway's signer escapes it ("/" becomes %2F), so the wire
// path and the signed path agree.
func (in *DeleteProfileInput) request() *transport.Request {
	const (
		head = "/v1/instances"
		mid  = "/application-instances"
		tail = "/profiles"
	)
	// Sized for IDs that need no escaping, the usual case.
	b := make([]byte, 0, len(head)+len(mid)+len(tail)+3+
		len(in.InstanceID)+len(in.ApplicationInstanceID)+len(in.ProfileID))
	b = append(b, head...)
	b = wire.AppendSegment(b, in.InstanceID)
	b = append(b, mid...)
	b = wire.AppendSegment(b, in.ApplicationInstanceID)
	b = append(b, tail...)
	b = wire.AppendSegment(b, in.ProfileID)
	return &transport.Request{Method: http.MethodDelete, Path: string(b)}
}

// DeleteProfileOutput is the service's answer, which has no body.
type DeleteProfileOutput struct {
	// AlreadyGone is true when Options.Idempotent was set and Identity
	// Center itself answered 404 (an error body with an IIC. code): there
	// was nothing to delete. Metadata then describes that 404 answer.
	AlreadyGone bool
	// Metadata is the request ID, HTTP status and attempt count.
	Metadata transport.Metadata
}

// DeleteProfile deletes the association between an application instance
// and users or groups. Only the organization's management account or a
// delegated administrator member account may call it (IAM action
// IdentityCenter:application:deleteProfile).
//
// HTTP: DELETE /v1/instances/{instance_id}/application-instances/{application_instance_id}/profiles/{profile_id},
// no body, signed with SDK-HMAC-SHA256 and X-Domain-Id (plus
// X-Security-Token for temporary keys); success is 200 with no body (any
// 2xx is accepted).
//
// Retries: throttling (APIGW.0308, 429), 500/502/503/504 and connection
// failures are retried up to Retry.MaxAttempts. A retry after a lost
// response may find the profile gone and end with a 404: set
// Options.Idempotent (per client or per call) to get that as success with
// AlreadyGone set, or treat errors.Is(err, transport.ErrNotFound) as
// "already deleted". Idempotent counts a 404 as gone only when Identity
// Center's own error body says so: JSON with an error code starting with
// "IIC." (Huawei publishes no catalogue of these codes; every one its pages
// show has that prefix). A 404 without such a body, from a proxy, a wrong
// base path in Options.Endpoint or the API gateway (APIGW.0101, no such
// API), stays an error, so a misrouted cleanup is not reported done.
// Identity Center answers 404 for an unknown instance or application
// instance too, and publishes no codes to tell them apart, so every IIC.
// 404 counts as gone.
//
// Errors: a *transport.ResponseError with the service's error_code,
// error_msg and request_id: 400 (transport.ErrInvalidInput), 403
// (transport.ErrAccessDenied; EncodedAuthorizationMessage names the policy
// that denied, decode it with IAM), 404 (transport.ErrNotFound); and the
// gateway's CodeGatewayUnauthorized, CodeGatewayAccessDenied and
// CodeGatewayThrottled. Identity Center's own codes are not published, so
// they are classified by HTTP status. A failure
// to look up the domain ID is a *transport.AuthError wrapping IAM's error.
// Bad input is a *transport.ValidationError before any request. Every
// error is a *smithy.OperationError naming the service and operation.
func (c *Client) DeleteProfile(ctx context.Context, in *DeleteProfileInput, opts ...Option) (*DeleteProfileOutput, error) {
	if in == nil {
		return nil, c.tc.OpError(opDeleteProfile, wire.Nil("input"))
	}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opDeleteProfile, err)
	}
	o, set := c.callOptions(opts)
	resp, err := c.tc.Do(ctx, opDeleteProfile, in.request(), set)
	if err != nil {
		if re, ok := notFound(err); ok && o.Idempotent {
			return &DeleteProfileOutput{AlreadyGone: true, Metadata: metadataOf(re)}, nil
		}
		return nil, err
	}
	return &DeleteProfileOutput{Metadata: resp.Metadata}, nil
}

// notFound returns Identity Center's own not-found answer: a 404 whose body
// carried an IIC. error code. A 404 with no code (a proxy's page, an unknown
// path behind a wrong base URL) or another service's code (the API
// gateway's APIGW.0101, no such API) says nothing about the profile, and a
// call whose context ended is never "gone".
func notFound(err error) (*transport.ResponseError, bool) {
	var re *transport.ResponseError
	var ce *transport.CanceledError
	if !errors.As(err, &re) || errors.As(err, &ce) {
		return nil, false
	}
	if re.StatusCode != http.StatusNotFound || !strings.HasPrefix(re.Code, codePrefix) {
		return nil, false
	}
	return re, true
}

// metadataOf describes an error answer as an output's Metadata.
func metadataOf(re *transport.ResponseError) transport.Metadata {
	return transport.Metadata{RequestID: re.RequestID, StatusCode: re.StatusCode, Attempts: re.Attempts}
}
