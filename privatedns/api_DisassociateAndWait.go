package privatedns

import (
	"context"

	"github.com/detach-go/detach/transport"
)

const opDisassociateAndWait = "DisassociateAndWait"

// DisassociateAndWaitOutput says what DisassociateAndWait did.
type DisassociateAndWaitOutput struct {
	// AlreadyGone is true when the VPC was not associated with the zone at
	// the first look: nothing was sent and nothing waited for.
	AlreadyGone bool
	// Disassociated is DisassociateRouter's answer; nil when none was sent
	// (AlreadyGone, or the VPC was already PENDING_DELETE). Its AlreadyGone
	// is true when the VPC went away between the look and the call.
	Disassociated *DisassociateRouterOutput
	// Metadata is the first look's (ShowPrivateZone's) request ID, HTTP
	// status and attempt count.
	Metadata transport.Metadata
}

// DisassociateAndWait disassociates the VPC routerID from the zone and
// waits until the disassociation has completed, so that the VPC can then be
// deleted. It is safe to run again after any failure: it never sends a
// second disassociation for a VPC that is already being disassociated.
//
// It looks first (ShowPrivateZone), matching the VPC by ID and, when
// routerRegion is not empty, by region:
//
//   - absent: returns AlreadyGone, with nothing sent;
//   - RouterStatusPendingDelete: only waits (WaitRouterDisassociated);
//   - any other state: sends DisassociateRouter with routerRegion (with
//     Options.Idempotent on, so a VPC gone in the meantime is not an
//     error), then waits.
//
// A zone that does not exist at the first look is an error
// (CodeZoneNotFound): the ID may be wrong. One deleted during the wait ends
// the wait successfully, as WaitRouterDisassociated says. The zone's last
// VPC cannot be disassociated (CodeLastVPC, transport.ErrConflict): to
// replace it, use ReplaceRouter. A VPC still being associated is refused
// with CodeVPCBeingAssociated: wait with WaitRouterActive first.
//
// Errors: bad input is a *smithy.OperationError for DisassociateAndWait
// wrapping a *transport.ValidationError, before any request; a failed look
// or disassociation is that operation's *smithy.OperationError
// (ShowPrivateZone or DisassociateRouter); a failed wait is a
// *transport.WaitError, as WaitRouterDisassociated describes.
func (c *Client) DisassociateAndWait(ctx context.Context, zoneID, routerID, routerRegion string, wopts RouterWaitOptions,
	opts ...Option) (*DisassociateAndWaitOutput, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return nil, c.tc.OpError(opDisassociateAndWait, err)
	}
	if err := validateRouter(zoneID, routerID, routerRegion); err != nil {
		return nil, c.tc.OpError(opDisassociateAndWait, err)
	}
	z, err := c.ShowPrivateZone(ctx, &ShowPrivateZoneInput{ZoneID: zoneID}, opts...)
	if err != nil {
		return nil, err
	}
	out := &DisassociateAndWaitOutput{Metadata: z.Metadata}
	r, ok := findRouter(z.Routers, routerID, routerRegion)
	if !ok {
		out.AlreadyGone = true
		return out, nil
	}
	if r.Status != RouterStatusPendingDelete {
		in := &DisassociateRouterInput{ZoneID: zoneID, RouterID: routerID, RouterRegion: routerRegion}
		d, err := c.DisassociateRouter(ctx, in, append(opts[:len(opts):len(opts)], idempotent)...)
		if err != nil {
			return nil, err
		}
		out.Disassociated = d
	}
	if err := c.WaitRouterDisassociated(ctx, zoneID, routerID, wopts, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

// idempotent turns Options.Idempotent on for one call.
func idempotent(o *Options) { o.Idempotent = true }
