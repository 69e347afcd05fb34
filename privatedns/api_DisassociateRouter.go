package privatedns

import (
	"context"
	"net/http"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opDisassociateRouter = "DisassociateRouter"

// DisassociateRouterInput names the private zone and the VPC to
// disassociate from it.
type DisassociateRouterInput struct {
	// ZoneID is the private zone's ID. Required.
	ZoneID string `json:"zone_id"`
	// RouterID is the VPC's ID. Required.
	RouterID string `json:"router_id"`
	// RouterRegion is the VPC's region; empty: the region of the project the
	// request acts on, and the field is left out of the body.
	RouterRegion string `json:"router_region,omitempty"`
}

// validate enforces what the API requires (ZoneID and RouterID present) and
// what keeps the request well-formed: valid UTF-8 (the JSON body cannot
// carry anything else unchanged), no control characters, and a ZoneID that
// is one path segment other than "." or "..". No format is documented for
// the IDs, so none is checked.
func (in *DisassociateRouterInput) validate() error {
	if err := wire.PathID("ZoneID", in.ZoneID, 1, 0); err != nil {
		return err
	}
	if err := wire.Text("RouterID", in.RouterID, 1, 0); err != nil {
		return err
	}
	if in.RouterRegion != "" {
		return wire.Text("RouterRegion", in.RouterRegion, 1, 0)
	}
	return nil
}

// request builds POST /v2/zones/{zone_id}/disassociaterouter with the body
// {"router":{"router_id":...,"router_region":...}}, compact, written by hand.
func (in *DisassociateRouterInput) request() *transport.Request {
	const (
		head = "/v2/zones"
		tail = "/disassociaterouter"
	)
	p := make([]byte, 0, len(head)+len(tail)+1+len(in.ZoneID))
	p = append(p, head...)
	p = wire.AppendSegment(p, in.ZoneID)
	p = append(p, tail...)

	const (
		open   = `{"router":{"router_id":`
		region = `,"router_region":`
		end    = `}}`
	)
	b := make([]byte, 0, len(open)+len(region)+len(end)+4+len(in.RouterID)+len(in.RouterRegion))
	b = append(b, open...)
	b = appendJSONString(b, in.RouterID)
	if in.RouterRegion != "" {
		b = append(b, region...)
		b = appendJSONString(b, in.RouterRegion)
	}
	b = append(b, end...)
	return &transport.Request{Method: http.MethodPost, Path: string(p), ContentType: "application/json", Body: b}
}

// appendJSONString appends s as a JSON string. Validated input has no
// control characters and is valid UTF-8, so only '"' and '\' need escaping
// in practice; control characters are escaped anyway so the output is JSON
// whatever s is.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// DisassociateRouterOutput is the service's answer.
type DisassociateRouterOutput struct {
	// RouterID, RouterRegion and Status describe the association as it now
	// stands, usually RouterStatusPendingDelete. They are empty when the
	// service answered with no body, which the OTC documentation allows.
	RouterID     string       `json:"router_id"`
	RouterRegion string       `json:"router_region"`
	Status       RouterStatus `json:"status"`
	// Metadata is the request ID, HTTP status and attempt count.
	Metadata transport.Metadata `json:"-"`
}

// routerJSON is the answer's body.
type routerJSON struct {
	RouterID     string       `json:"router_id"`
	RouterRegion string       `json:"router_region"`
	Status       RouterStatus `json:"status"`
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
// transport.ErrNotFound, so treat errors.Is(err, transport.ErrNotFound) as
// "already disassociated". With a refreshable token source, a 401 refreshes
// the token once and replays the request.
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
	resp, err := c.tc.Do(ctx, opDisassociateRouter, in.request(), c.settings(opts))
	if err != nil {
		return nil, err
	}
	var r routerJSON
	if err := transport.DecodeJSON(resp, &r); err != nil {
		return nil, c.tc.OpError(opDisassociateRouter, err)
	}
	return &DisassociateRouterOutput{RouterID: r.RouterID, RouterRegion: r.RouterRegion, Status: r.Status,
		Metadata: resp.Metadata}, nil
}
