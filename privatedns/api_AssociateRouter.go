package privatedns

import (
	"context"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opAssociateRouter = "AssociateRouter"

// AssociateRouterInput names the private zone and the VPC to associate
// with it.
type AssociateRouterInput struct {
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
func (in *AssociateRouterInput) validate() error {
	return validateRouter(in.ZoneID, in.RouterID, in.RouterRegion)
}

// request builds POST /v2/zones/{zone_id}/associaterouter with the body
// {"router":{"router_id":...,"router_region":...}}.
func (in *AssociateRouterInput) request() *transport.Request {
	return routerRequest(in.ZoneID, "/associaterouter", in.RouterID, in.RouterRegion)
}

// AssociateRouterOutput is the service's answer.
type AssociateRouterOutput struct {
	// RouterID, RouterRegion and Status describe the new association,
	// usually RouterStatusPendingCreate. They are empty when the service
	// answered with no body, which the OTC documentation allows.
	RouterID     string       `json:"router_id"`
	RouterRegion string       `json:"router_region"`
	Status       RouterStatus `json:"status"`
	// Metadata is the request ID, HTTP status and attempt count.
	Metadata transport.Metadata `json:"-"`
}

// AssociateRouter associates a VPC with a private zone, so that the VPC
// resolves the zone's records.
//
// HTTP: POST /v2/zones/{zone_id}/associaterouter with the JSON body
// {"router":{"router_id":RouterID,"router_region":RouterRegion}}
// (router_region left out when empty), the body of DisassociateRouter.
// Huawei Cloud answers 202 with {"router_id","router_region","status"}; any
// 2xx is success, with or without a body.
//
// The association is asynchronous: the VPC appears in the zone's routers as
// RouterStatusPendingCreate and becomes RouterStatusActive when DNS has set
// it up. Use WaitRouterActive before relying on it, for example before
// disassociating the zone's previous last VPC (see ReplaceRouter).
//
// Retries: the call is not idempotent on the wire. Throttling, transient
// codes, 500/502/503/504 and connection failures are retried up to
// Retry.MaxAttempts; a replay after a lost response finds the VPC already
// associated and fails with CodeVPCAlreadyAssociated (transport.ErrConflict),
// which then means the association exists.
//
// Errors: a *transport.ResponseError with the code, message and
// X-Request-Id: CodeVPCAlreadyAssociated; CodeZoneNotNormal (the zone is
// changing; transient, retried) and CodeZoneDisabled (suspended;
// transport.ErrConflict); CodeZoneNotFound, CodeVPCNotFound
// (transport.ErrNotFound); CodeInvalidVPC, CodeInvalidVPCEndpoint
// (transport.ErrInvalidInput); CodeVPCNotSteady (the VPC is being
// disassociated; transport.ErrConflict); and the authentication,
// permission and gateway codes. Bad input is a *transport.ValidationError
// before any request. Every error is a *smithy.OperationError naming the
// service and operation.
func (c *Client) AssociateRouter(ctx context.Context, in *AssociateRouterInput, opts ...Option) (*AssociateRouterOutput, error) {
	if in == nil {
		return nil, c.tc.OpError(opAssociateRouter, wire.Nil("input"))
	}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opAssociateRouter, err)
	}
	resp, err := c.tc.Do(ctx, opAssociateRouter, in.request(), c.settings(opts))
	if err != nil {
		return nil, err
	}
	var r routerJSON
	if err := transport.DecodeJSON(resp, &r); err != nil {
		return nil, c.tc.OpError(opAssociateRouter, err)
	}
	return &AssociateRouterOutput{RouterID: r.RouterID, RouterRegion: r.RouterRegion, Status: r.Status,
		Metadata: resp.Metadata}, nil
}
