package route53profiles

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/detach-go/detach/transport"
)

// The defaults of WaitProfileDisassociated's WaitOptions: polls start 2 s
// apart and spread out to 30 s, so a long wait costs few requests.
const (
	DefaultWaitMinDelay = 2 * time.Second
	DefaultWaitMaxDelay = 30 * time.Second
)

const (
	waiterDisassociated   = "route53profiles: WaitProfileDisassociated"
	opWaitDisassociated   = "WaitProfileDisassociated"
	opDisassociateAndWait = "DisassociateAndWait"
	// stateGone is the poll state when no association is listed.
	stateGone = "GONE"
)

// ErrAssociationFailed is the cause of a *transport.WaitError when the
// association reached status FAILED; the error also names the association
// and its StatusMessage.
var ErrAssociationFailed = errors.New("profile association failed")

// WaitProfileDisassociated waits until the association of Profile
// profileID with VPC resourceID is gone, typically after
// DisassociateProfile answered DELETING. It sends no disassociation itself.
//
// Each poll is a ListProfileAssociations call filtered by both IDs (every
// page, though a VPC has at most one association; at most
// Options.MaxPages, past which the poll, and so the wait, fails with a
// *transport.PageLimitError): the wait is done when
// no association of the pair is listed (the service removes it once the
// disassociation completes) or its status is DELETED; it fails at once on
// FAILED. Any other status (DELETING, and COMPLETE, CREATING or UPDATING,
// which a list may still show just after DisassociateProfile) means "not
// yet", as AWS's own waiters treat states they do not expect: a wait for an
// association nobody removes lasts until ctx's deadline or wopts.MaxWait
// (transport.DefaultMaxWait, 30 minutes, when ctx has no deadline).
//
// Polls start at once and then pause between wopts.MinDelay and
// wopts.MaxDelay (defaults DefaultWaitMinDelay and DefaultWaitMaxDelay),
// growing exponentially with jitter. Each poll goes through the client's
// transport, so a throttled or failed poll is retried like any call (and
// paced by Options.Limiter); a poll whose retries run out ends the wait.
//
// Errors: bad IDs, or a nil ctx, are a *transport.ValidationError (inside a
// *smithy.OperationError) before any request; otherwise a
// *transport.WaitError naming the last status seen, whose cause is the
// context's error, transport.ErrWaitDeadline, ErrAssociationFailed, or the
// failed poll's error (errors.As finds its *transport.ResponseError).
func (c *Client) WaitProfileDisassociated(ctx context.Context, profileID, resourceID string, wopts transport.WaitOptions, opts ...Option) error {
	in := DisassociateProfileInput{ProfileID: profileID, ResourceID: resourceID}
	if err := in.validate(); err != nil {
		return c.tc.OpError(opWaitDisassociated, err)
	}
	return c.waitDisassociated(ctx, profileID, resourceID, wopts, opts)
}

func (c *Client) waitDisassociated(ctx context.Context, profileID, resourceID string, wopts transport.WaitOptions, opts []Option) error {
	wopts = wopts.WithDefaults(DefaultWaitMinDelay, DefaultWaitMaxDelay)
	_, err := transport.Poll(ctx, waiterDisassociated, wopts, func(ctx context.Context) (transport.PollResult, error) {
		a, err := c.findAssociation(ctx, profileID, resourceID, opts)
		if err != nil {
			return transport.PollResult{}, err
		}
		return disassociatedState(a), nil
	})
	return err
}

// disassociatedState judges one poll of WaitProfileDisassociated; a is nil
// when the association is not listed.
func disassociatedState(a *ProfileAssociation) transport.PollResult {
	if a == nil {
		return transport.PollResult{State: stateGone, Done: true}
	}
	r := transport.PollResult{State: string(a.Status)}
	switch a.Status {
	case ProfileStatusDeleted:
		r.Done = true
	case ProfileStatusFailed:
		// The message is the service's text: quoted, so that no control
		// character reaches an error string raw.
		r.Failed = fmt.Errorf("%w: association %q: %q", ErrAssociationFailed, a.ID, a.StatusMessage)
	}
	return r
}

// findAssociation returns the association of the pair as listed now, or
// nil when none is. It checks both IDs itself rather than trusting the
// service's filter.
func (c *Client) findAssociation(ctx context.Context, profileID, resourceID string, opts []Option) (*ProfileAssociation, error) {
	in := &ListProfileAssociationsInput{ProfileID: profileID, ResourceID: resourceID}
	for a, err := range c.ListProfileAssociationsAll(ctx, in, opts...) {
		if err != nil {
			return nil, err
		}
		if a.ProfileID == profileID && a.ResourceID == resourceID {
			return &a, nil
		}
	}
	return nil, nil
}

// DisassociateAndWaitOutput says what DisassociateAndWait did.
type DisassociateAndWaitOutput struct {
	// AlreadyGone: no association of the pair existed (or it was DELETED),
	// so nothing was sent and nothing waited for. Also set when the
	// association vanished between the first look and DisassociateProfile.
	AlreadyGone bool
	// Disassociated: DisassociateProfile was sent. False when the
	// association was already DELETING: the removal under way was waited
	// for, not started again.
	Disassociated bool
	// ProfileAssociation is the association as the first look found it;
	// nil when there was none.
	ProfileAssociation *ProfileAssociation
}

// DisassociateAndWait removes the association of Profile profileID with
// VPC resourceID and waits until it is gone, so that the VPC or the Profile
// can be deleted next. It looks first (ListProfileAssociations filtered by
// both IDs):
//
//   - no association, or status DELETED: nothing to do (AlreadyGone);
//   - DELETING: a removal is under way; it waits without sending another;
//   - any other status: it sends DisassociateProfile, then waits.
//
// A DisassociateProfile answered with CodeResourceNotFound (the association
// vanished after the look) counts as AlreadyGone, whatever
// Options.Idempotent says. The wait is WaitProfileDisassociated's, with
// wopts; opts apply to every call made.
//
// Errors: bad IDs, or a nil ctx, are a *transport.ValidationError (inside a
// *smithy.OperationError) before any request; a failed look or
// DisassociateProfile returns that call's error and a nil output; a failed
// wait returns its *transport.WaitError together with the output, which
// says what was done before it.
func (c *Client) DisassociateAndWait(ctx context.Context, profileID, resourceID string, wopts transport.WaitOptions, opts ...Option) (*DisassociateAndWaitOutput, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return nil, c.tc.OpError(opDisassociateAndWait, err)
	}
	in := DisassociateProfileInput{ProfileID: profileID, ResourceID: resourceID}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opDisassociateAndWait, err)
	}
	a, err := c.findAssociation(ctx, profileID, resourceID, opts)
	if err != nil {
		return nil, err
	}
	out := &DisassociateAndWaitOutput{ProfileAssociation: a}
	switch {
	case a == nil || a.Status == ProfileStatusDeleted:
		out.AlreadyGone = true
		return out, nil
	case a.Status != ProfileStatusDeleting:
		dopts := append(opts[:len(opts):len(opts)], func(o *Options) { o.Idempotent = true })
		d, err := c.DisassociateProfile(ctx, &in, dopts...)
		if err != nil {
			return nil, err
		}
		if d.AlreadyGone {
			out.AlreadyGone = true
			return out, nil
		}
		out.Disassociated = true
	}
	return out, c.waitDisassociated(ctx, profileID, resourceID, wopts, opts)
}
