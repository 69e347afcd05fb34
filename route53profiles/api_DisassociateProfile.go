package route53profiles

import (
	"context"
	"net/http"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opDisassociateProfile = "DisassociateProfile"

// DisassociateProfileInput names the association to remove.
type DisassociateProfileInput struct {
	// ProfileID is the Profile's ID, e.g. "rp-4987774726example". Required,
	// 1 to 64 characters.
	ProfileID string `json:"ProfileId"`
	// ResourceID is the VPC's ID, e.g. "vpc-0af3b96b3example". Required,
	// 1 to 64 characters.
	ResourceID string `json:"ResourceId"`
}

// validate enforces the model's rules (required, 1 to 64 characters, no
// pattern) and what keeps the path well-formed (no "." or "..", no control
// characters, valid UTF-8).
func (in *DisassociateProfileInput) validate() error {
	if err := wire.PathID("ProfileID", in.ProfileID, 1, 64); err != nil {
		return err
	}
	return wire.PathID("ResourceID", in.ResourceID, 1, 64)
}

// request builds DELETE /profileassociation/Profileid/{ProfileId}/resourceid/{ResourceId};
// the case of "Profileid" is the model's. No body and no Content-Type, as
// botocore and aws-sdk-go-v2 send it.
func (in *DisassociateProfileInput) request() *transport.Request {
	const (
		head = "/profileassociation/Profileid"
		mid  = "/resourceid"
	)
	b := make([]byte, 0, len(head)+len(mid)+2+3*(len(in.ProfileID)+len(in.ResourceID)))
	b = append(b, head...)
	b = wire.AppendSegment(b, in.ProfileID)
	b = append(b, mid...)
	b = wire.AppendSegment(b, in.ResourceID)
	return &transport.Request{Method: http.MethodDelete, Path: string(b)}
}

// DisassociateProfileOutput is the service's answer.
type DisassociateProfileOutput struct {
	// ProfileAssociation is the association as it now stands, usually in
	// status ProfileStatusDeleting. Nil if the service sent none, and when
	// AlreadyGone.
	ProfileAssociation *ProfileAssociation
	// AlreadyGone is true when Options.Idempotent is on and the service
	// answered that no such association exists: there was nothing to remove.
	AlreadyGone bool
	// Metadata is the request ID, HTTP status and attempt count; when
	// AlreadyGone, those of the service's not-found answer (status 400).
	Metadata transport.Metadata
}

// DisassociateProfile dissociates a Route 53 Profile from a VPC. The
// service answers at once with the association in status DELETING and
// removes it later; WaitProfileDisassociated waits for that, and
// DisassociateAndWait does both.
//
// HTTP: DELETE /profileassociation/Profileid/{ProfileId}/resourceid/{ResourceId},
// no body; each ID is one path segment escaped as AWS escapes URI labels
// ("/" becomes %2F).
//
// Retries: the model marks the operation idempotent, so it is safe to retry.
// Throttling (whatever its status), 500/502/503/504 and connection failures
// are retried up to Retry.MaxAttempts; a retry after a lost response finds
// the association already deleting, or, once it is removed, not found
// (which Options.Idempotent reports as AlreadyGone).
//
// Errors: a *transport.ResponseError with one of the Code constants
// (all sent with HTTP 400): CodeResourceNotFound (transport.ErrNotFound;
// a success with AlreadyGone when Options.Idempotent is on),
// CodeThrottling (transport.ErrThrottled, retried), CodeAccessDenied
// (transport.ErrAccessDenied), CodeInvalidParameter and CodeValidation
// (transport.ErrInvalidInput), CodeLimitExceeded (transport.ErrQuotaExceeded,
// not retried). Bad input is a *transport.ValidationError before any
// request. Every error is a *smithy.OperationError naming the service and
// operation.
func (c *Client) DisassociateProfile(ctx context.Context, in *DisassociateProfileInput, opts ...Option) (*DisassociateProfileOutput, error) {
	if in == nil {
		return nil, c.tc.OpError(opDisassociateProfile, wire.Nil("input"))
	}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opDisassociateProfile, err)
	}
	o, set := c.callOptions(opts)
	resp, err := c.tc.Do(ctx, opDisassociateProfile, in.request(), set)
	if err != nil {
		if md, gone := notFoundMetadata(err); gone && o.Idempotent {
			return &DisassociateProfileOutput{AlreadyGone: true, Metadata: md}, nil
		}
		return nil, err
	}
	var body struct {
		ProfileAssociation *profileAssociationJSON `json:"ProfileAssociation"`
	}
	if err := transport.DecodeJSON(resp, &body); err != nil {
		return nil, c.tc.OpError(opDisassociateProfile, err)
	}
	out := &DisassociateProfileOutput{Metadata: resp.Metadata}
	if w := body.ProfileAssociation; w != nil {
		a, bad := w.convert()
		if bad != "" {
			return nil, c.tc.OpError(opDisassociateProfile, badTimestamp(resp, "ProfileAssociation."+bad))
		}
		out.ProfileAssociation = &a
	}
	return out, nil
}
