package route53profiles

import (
	"context"
	"net/http"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opGetProfileAssociation = "GetProfileAssociation"

// GetProfileAssociationInput names the association to read.
type GetProfileAssociationInput struct {
	// ProfileAssociationID is the association's ID, e.g.
	// "rpassoc-489ce212fexample". Required, 1 to 64 characters.
	ProfileAssociationID string `json:"ProfileAssociationId"`
}

// validate enforces the model's rules (required, 1 to 64 characters, no
// pattern) and what keeps the path well-formed.
func (in *GetProfileAssociationInput) validate() error {
	return wire.PathID("ProfileAssociationID", in.ProfileAssociationID, 1, 64)
}

// request builds GET /profileassociation/{ProfileAssociationId}, without a
// body or Content-Type, as aws-sdk-go-v2 sends it.
func (in *GetProfileAssociationInput) request() *transport.Request {
	const head = "/profileassociation"
	b := make([]byte, 0, len(head)+1+3*len(in.ProfileAssociationID))
	b = append(b, head...)
	b = wire.AppendSegment(b, in.ProfileAssociationID)
	return &transport.Request{Method: http.MethodGet, Path: string(b)}
}

// GetProfileAssociationOutput is the service's answer.
type GetProfileAssociationOutput struct {
	// ProfileAssociation is the association; nil if the service sent none.
	ProfileAssociation *ProfileAssociation
	// Metadata is the request ID, HTTP status and attempt count.
	Metadata transport.Metadata
}

// GetProfileAssociation reads one Profile association by its ID. A VPC has
// at most one Profile association. Once a disassociation has completed the
// association is gone and the service answers CodeResourceNotFound.
//
// HTTP: GET /profileassociation/{ProfileAssociationId}, no body; the ID is
// one path segment escaped as AWS escapes URI labels ("/" becomes %2F).
//
// Retries: a read, safe to retry. Throttling (whatever its status),
// 500/502/503/504 and connection failures are retried up to
// Retry.MaxAttempts.
//
// Errors: a *transport.ResponseError with one of the Code constants (all
// sent with HTTP 400): CodeResourceNotFound (transport.ErrNotFound),
// CodeThrottling (transport.ErrThrottled, retried), CodeAccessDenied
// (transport.ErrAccessDenied), CodeValidation (transport.ErrInvalidInput).
// Bad input is a *transport.ValidationError before any request. Every
// error is a *smithy.OperationError naming the service and operation.
func (c *Client) GetProfileAssociation(ctx context.Context, in *GetProfileAssociationInput, opts ...Option) (*GetProfileAssociationOutput, error) {
	if in == nil {
		return nil, c.tc.OpError(opGetProfileAssociation, wire.Nil("input"))
	}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opGetProfileAssociation, err)
	}
	_, set := c.callOptions(opts)
	resp, err := c.tc.Do(ctx, opGetProfileAssociation, in.request(), set)
	if err != nil {
		return nil, err
	}
	var body struct {
		ProfileAssociation *profileAssociationJSON `json:"ProfileAssociation"`
	}
	if err := transport.DecodeJSON(resp, &body); err != nil {
		return nil, c.tc.OpError(opGetProfileAssociation, err)
	}
	out := &GetProfileAssociationOutput{Metadata: resp.Metadata}
	if w := body.ProfileAssociation; w != nil {
		a, bad := w.convert()
		if bad != "" {
			return nil, c.tc.OpError(opGetProfileAssociation, badTimestamp(resp, "ProfileAssociation."+bad))
		}
		out.ProfileAssociation = &a
	}
	return out, nil
}
