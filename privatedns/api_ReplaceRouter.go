package privatedns

import (
	"context"
	"errors"
	"strconv"

	"github.com/detach-go/detach/transport"
)

const opReplaceRouter = "ReplaceRouter"

// ReplaceStep names the step of ReplaceRouter that failed.
type ReplaceStep string

// The steps of ReplaceRouter, in order.
const (
	StepAssociate    ReplaceStep = "associate"    // AssociateRouter of the new VPC
	StepWaitActive   ReplaceStep = "wait-active"  // WaitRouterActive of the new VPC
	StepDisassociate ReplaceStep = "disassociate" // the look and DisassociateRouter of the old VPC
	StepWaitRemoved  ReplaceStep = "wait-removed" // WaitRouterDisassociated of the old VPC
)

// ReplaceRouterError is a ReplaceRouter that failed at one step. Err is that
// step's error (a *smithy.OperationError or a *transport.WaitError), so
// errors.Is and errors.As reach the service's answer.
type ReplaceRouterError struct {
	Step ReplaceStep
	// RouterID is the VPC the step acted on.
	RouterID string
	Err      error
}

func (e *ReplaceRouterError) Error() string {
	return ServiceID + " " + opReplaceRouter + ": step " + string(e.Step) + " (VPC " + strconv.Quote(e.RouterID) + "): " + e.Err.Error()
}

func (e *ReplaceRouterError) Unwrap() error { return e.Err }

// ReplaceRouterOutput says what ReplaceRouter did.
type ReplaceRouterOutput struct {
	// Associated is AssociateRouter's answer for the new VPC; nil when it
	// was already associated (CodeVPCAlreadyAssociated).
	Associated *AssociateRouterOutput
	// Disassociated is what DisassociateAndWait did with the old VPC; its
	// AlreadyGone is true when the old VPC was no longer associated.
	Disassociated *DisassociateAndWaitOutput
}

// ReplaceRouter moves a private zone from the VPC oldRouter to the VPC
// newRouter: the documented way to replace a zone's last VPC.
//
// A zone must keep at least one VPC: DNS refuses to disassociate the last
// one (CodeLastVPC, DNS.0706), and refuses to disassociate the only VPC in
// a normal state while the others are still being associated or failed
// (CodeOnlyNormalVPC, DNS.0709). So the order matters: first associate the
// new VPC (an existing association, CodeVPCAlreadyAssociated, is fine),
// wait until it is RouterStatusActive, and only then disassociate the old
// VPC and wait until it is gone. Done the other way round, the first call
// fails, or, for a zone with other VPCs, the zone is briefly served to
// neither VPC.
//
// Each step is AssociateRouter, WaitRouterActive and DisassociateAndWait
// (which looks first and so does not disassociate twice), with opts for
// every call and wopts for both waits. Running ReplaceRouter again after a
// failure resumes where it stopped.
//
// Errors: bad input (missing IDs, or the same VPC twice) is a
// *smithy.OperationError for ReplaceRouter wrapping a
// *transport.ValidationError, before any request. A failed step is a
// *ReplaceRouterError naming the step and the VPC, wrapping that step's
// error. If the new VPC never becomes ACTIVE, the old one is left
// associated, so the zone keeps serving it.
func (c *Client) ReplaceRouter(ctx context.Context, zoneID string, oldRouter, newRouter RouterRef, wopts RouterWaitOptions,
	opts ...Option) (*ReplaceRouterOutput, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return nil, c.tc.OpError(opReplaceRouter, err)
	}
	if err := validateReplace(zoneID, oldRouter, newRouter); err != nil {
		return nil, c.tc.OpError(opReplaceRouter, err)
	}
	out := &ReplaceRouterOutput{}
	a, err := c.AssociateRouter(ctx, &AssociateRouterInput{ZoneID: zoneID, RouterID: newRouter.ID, RouterRegion: newRouter.Region}, opts...)
	switch _, already := responseCode(err, CodeVPCAlreadyAssociated); {
	case already:
	case err != nil:
		return nil, &ReplaceRouterError{Step: StepAssociate, RouterID: newRouter.ID, Err: err}
	default:
		out.Associated = a
	}
	if err := c.WaitRouterActive(ctx, zoneID, newRouter.ID, wopts, opts...); err != nil {
		return nil, &ReplaceRouterError{Step: StepWaitActive, RouterID: newRouter.ID, Err: err}
	}
	d, err := c.DisassociateAndWait(ctx, zoneID, oldRouter.ID, oldRouter.Region, wopts, opts...)
	if err != nil {
		step := StepDisassociate
		var we *transport.WaitError
		if errors.As(err, &we) {
			step = StepWaitRemoved
		}
		return nil, &ReplaceRouterError{Step: step, RouterID: oldRouter.ID, Err: err}
	}
	out.Disassociated = d
	return out, nil
}

// validateReplace checks ReplaceRouter's input with the operations' rules,
// naming the fields Old.ID, New.Region and so on, and refuses to replace a
// VPC with itself, which would disassociate it.
func validateReplace(zoneID string, oldRouter, newRouter RouterRef) error {
	if err := validateZoneID(zoneID); err != nil {
		return err
	}
	for _, r := range []struct {
		name string
		ref  RouterRef
	}{{"Old", oldRouter}, {"New", newRouter}} {
		if err := validateRouterID(r.name+".ID", r.ref.ID); err != nil {
			return err
		}
		if r.ref.Region != "" {
			if err := validateRouterID(r.name+".Region", r.ref.Region); err != nil {
				return err
			}
		}
	}
	if oldRouter.ID == newRouter.ID {
		return &transport.ValidationError{Field: "New.ID", Rule: "must differ from Old.ID"}
	}
	return nil
}
