package privatedns

import (
	"context"
	"errors"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opDisassociateRouter = "DisassociateRouter"

// DisassociateRouterInput names the private zone and the VPC to
// disassociate from it.
type DisassociateRouterInput struct {
	// ZoneID is the private zone's ID, one segment of the URL path.
	// Required, no control characters, at most 255 characters: no length is
	// documented, and the bound, far above any zone ID, refuses a runaway
	// value before any request.
	ZoneID string `json:"zone_id"`
	// RouterID is the VPC's ID, sent only in the JSON body. Required, at
	// most 255 characters (bounded as ZoneID is); any character is allowed,
	// escaped in the JSON.
	RouterID string `json:"router_id"`
	// RouterRegion is the VPC's region; empty: the region of the project the
	// request acts on, and the field is left out of the body. Otherwise at
	// most 255 characters, sent only in the JSON body, as RouterID is.
	RouterRegion string `json:"router_region,omitempty"`
}

// validate enforces what the API requires (ZoneID and RouterID present) and
// what keeps the request well-formed; see validateRouter.
func (in *DisassociateRouterInput) validate() error {
	return validateRouter(in.ZoneID, in.RouterID, in.RouterRegion)
}

// request builds POST /v2/zones/{zone_id}/disassociaterouter with the body
// {"router":{"router_id":...,"router_region":...}}.
func (in *DisassociateRouterInput) request() *transport.Request {
	return routerRequest(in.ZoneID, "/disassociaterouter", in.RouterID, in.RouterRegion)
}

// DisassociateRouterOutput is the service's answer.
type DisassociateRouterOutput struct {
	// RouterID, RouterRegion and Status describe the association as it now
	// stands, usually RouterStatusPendingDelete. They are empty when the
	// service answered with no body, which the OTC documentation allows,
	// and when AlreadyGone is true.
	RouterID     string       `json:"router_id"`
	RouterRegion string       `json:"router_region"`
	Status       RouterStatus `json:"status"`
	// AlreadyGone is true when Options.Idempotent was set and DNS answered
	// CodeVPCNotAssociated: the VPC was not associated (any more), so there
	// was nothing to disassociate. Metadata then describes that answer.
	AlreadyGone bool `json:"already_gone,omitempty"`
	// Metadata is the request ID, HTTP status and attempt count.
	Metadata transport.Metadata `json:"-"`
}

// DisassociateRouter disassociates a VPC from a private zone. A zone must
// keep at least one VPC: disassociating the last one fails with
// CodeLastVPC.
//
// HTTP: POST /v2/zones/{zone_id}/disassociaterouter with the JSON body
// {"router":{"router_id":RouterID,"router_region":RouterRegion}}
// (router_region left out when empty); ZoneID is one path segment escaped
// as the API gateway's signer escapes it ("/" becomes %2F). Huawei Cloud
// answers 202 with {"router_id","router_region","status"}; any 2xx is
// success, with or without a body, as the OTC documentation says.
//
// Retries: the call is not idempotent on the wire. Throttling (APIGW.0308,
// CodeFlowControl), transient codes (CodeLockFailed, CodeSystemBusy, ...),
// 500/502/503/504 and connection failures are retried up to
// Retry.MaxAttempts. A replay after a lost response, whether by the
// transport or by you, finds the VPC already disassociated and fails with
// CodeVPCNotAssociated (or CodeZoneNotFound, CodeNoVPCAssociated): all are
// transport.ErrNotFound. Set Options.Idempotent (per client or per call) to
// get CodeVPCNotAssociated as success with AlreadyGone set; the other two
// stay errors, since they also answer a mistyped zone ID. With a
// refreshable token source, a 401 refreshes the token once and replays the
// request.
//
// The disassociation is asynchronous: the VPC stays in the zone's routers
// as RouterStatusPendingDelete until DNS has removed it. Use
// WaitRouterDisassociated (or DisassociateAndWait) before deleting the VPC.
//
// Errors: a *transport.ResponseError with the code and message of the body
// ({"code","message"}, or the gateway's {"error_code","error_msg"}) and the
// X-Request-Id; see the Code constants for each code's sentinel and whether
// it is retried (CodeLastVPC and CodeOnlyNormalVPC are transport.ErrConflict).
// A failure to get a token or to look up the project ID is a
// *transport.AuthError wrapping IAM's error (a *smithy.OperationError for
// service "IAM"). Bad input is a *transport.ValidationError before any
// request. Every error is a *smithy.OperationError naming the service and
// operation.
func (c *Client) DisassociateRouter(ctx context.Context, in *DisassociateRouterInput, opts ...Option) (*DisassociateRouterOutput, error) {
	if in == nil {
		return nil, c.tc.OpError(opDisassociateRouter, wire.Nil("input"))
	}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opDisassociateRouter, err)
	}
	o, set := c.callOptions(opts)
	resp, err := c.tc.Do(ctx, opDisassociateRouter, in.request(), set)
	if err != nil {
		if re, ok := responseCode(err, CodeVPCNotAssociated); ok && o.Idempotent {
			return &DisassociateRouterOutput{AlreadyGone: true, Metadata: metadataOf(re)}, nil
		}
		return nil, err
	}
	var r routerJSON
	if err := transport.DecodeJSON(resp, &r); err != nil {
		return nil, c.tc.OpError(opDisassociateRouter, err)
	}
	return &DisassociateRouterOutput{RouterID: r.RouterID, RouterRegion: r.RouterRegion, Status: r.Status,
		Metadata: resp.Metadata}, nil
}

// responseCode returns the service's answer when err is one with the given
// DNS error code.
func responseCode(err error, code string) (*transport.ResponseError, bool) {
	var re *transport.ResponseError
	if errors.As(err, &re) && re.Code == code {
		return re, true
	}
	return nil, false
}

// metadataOf describes an error answer as an output's Metadata.
func metadataOf(re *transport.ResponseError) transport.Metadata {
	return transport.Metadata{RequestID: re.RequestID, StatusCode: re.StatusCode, Attempts: re.Attempts}
}
