package privatedns

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/detach-go/detach/transport"
)

// Defaults of RouterWaitOptions. An association usually settles within
// seconds to a minute; polling starts at 2 s and backs off to 20 s, so a
// long wait costs few requests.
const (
	DefaultRouterWaitMinDelay  = 2 * time.Second
	DefaultRouterWaitMaxDelay  = 20 * time.Second
	DefaultRouterWaitTolerance = 3
)

// RouterWaitOptions bound WaitRouterDisassociated, WaitRouterActive and the
// helpers built on them. The zero value takes the defaults above. The wait
// as a whole ends at the context's deadline or after MaxWait
// (transport.DefaultMaxWait, 30 minutes, when the context has none).
type RouterWaitOptions struct {
	// MinDelay and MaxDelay bound the pause between polls (defaults
	// DefaultRouterWaitMinDelay and DefaultRouterWaitMaxDelay).
	transport.WaitOptions
	// Tolerance is how many polls in a row may show a state the wait does
	// not expect before it fails: ERROR, a VPC still ACTIVE (or
	// PENDING_CREATE) while waiting for its removal, or no VPC at all while
	// waiting for it to become ACTIVE. DNS is eventually consistent, so a
	// read right after a change may not show it yet, and an ERROR may be
	// passing. Zero: DefaultRouterWaitTolerance; negative: fail at the first
	// such poll.
	Tolerance int
}

func (w RouterWaitOptions) withDefaults() RouterWaitOptions {
	w.WaitOptions = w.WaitOptions.WithDefaults(DefaultRouterWaitMinDelay, DefaultRouterWaitMaxDelay)
	switch {
	case w.Tolerance == 0:
		w.Tolerance = DefaultRouterWaitTolerance
	case w.Tolerance < 0:
		w.Tolerance = 0
	}
	return w
}

// The causes of a router wait that ended on the association's state (the
// Err of the *transport.WaitError, matched with errors.Is).
var (
	// ErrRouterFailed: the association stayed in RouterStatusError for
	// more polls than RouterWaitOptions.Tolerance allows.
	ErrRouterFailed = errors.New("the zone's association with the VPC failed (state ERROR)")
	// ErrRouterNotDisassociating: WaitRouterDisassociated saw the VPC stay
	// ACTIVE (or PENDING_CREATE): nothing is disassociating it.
	ErrRouterNotDisassociating = errors.New("the VPC is not being disassociated from the zone")
	// ErrRouterNotAssociated: WaitRouterActive found no association to wait
	// for (absent past the tolerance, or PENDING_DELETE).
	ErrRouterNotAssociated = errors.New("the VPC is not being associated with the zone")
)

// States a router wait reports (transport.WaitError.LastState) besides the
// RouterStatus values.
const (
	// WaitStateAbsent: the zone has no association with the VPC.
	WaitStateAbsent = "ABSENT"
	// WaitStateZoneNotFound: the zone does not exist (CodeZoneNotFound).
	WaitStateZoneNotFound = "ZONE_NOT_FOUND"
)

const (
	waiterDisassociated = ServiceID + " WaitRouterDisassociated"
	waiterActive        = ServiceID + " WaitRouterActive"
)

// WaitRouterDisassociated waits until the VPC routerID is no longer
// associated with the zone: it polls ShowPrivateZone until the VPC is gone
// from the zone's routers. It never sends a disassociation itself: call
// DisassociateRouter first, or use DisassociateAndWait. Deleting a VPC
// before its disassociation has completed fails, which is what this wait
// is for.
//
// Each poll decides:
//
//   - the VPC absent from routers: done;
//   - the zone not found (CodeZoneNotFound): done, since a deleted zone has
//     no associations left (a zone ID that never existed passes too, so
//     check the ID with DisassociateRouter or ShowPrivateZone first);
//   - RouterStatusPendingDelete, or a status this package does not know:
//     pending;
//   - RouterStatusActive or RouterStatusPendingCreate: pending for up to
//     wopts.Tolerance polls in a row (a read just after the
//     disassociation may not show it yet), then the wait fails with
//     ErrRouterNotDisassociating: nothing is removing the VPC, so call
//     DisassociateRouter;
//   - RouterStatusError: pending for up to wopts.Tolerance polls in a row,
//     then the wait fails with ErrRouterFailed.
//
// The VPC is matched by ID, whatever its region. Polls are ordinary calls
// with opts: throttling and transient errors are retried by the transport
// (and paced by Options.Limiter); any other error ends the wait. Polling
// starts at once and pauses between wopts.MinDelay and wopts.MaxDelay,
// growing with jitter; the context bounds the whole wait, and the wait ends
// early when the next poll could not happen before its deadline.
//
// Every error is a *transport.WaitError naming the last state seen
// (a RouterStatus, WaitStateAbsent or WaitStateZoneNotFound) and unwrapping
// to the cause: ErrRouterNotDisassociating, ErrRouterFailed, the failed
// poll's *smithy.OperationError, the context's error, or
// transport.ErrWaitDeadline. Bad input is a *transport.ValidationError
// inside it, before any request.
func (c *Client) WaitRouterDisassociated(ctx context.Context, zoneID, routerID string, wopts RouterWaitOptions, opts ...Option) error {
	if err := validateWait(ctx, zoneID, routerID); err != nil {
		return &transport.WaitError{Waiter: waiterDisassociated, Err: err}
	}
	w := wopts.withDefaults()
	var streak tally
	_, err := transport.Poll(ctx, waiterDisassociated, w.WaitOptions, func(ctx context.Context) (transport.PollResult, error) {
		r, found, zoneGone, err := c.lookRouter(ctx, zoneID, routerID, opts)
		switch {
		case zoneGone:
			return transport.PollResult{State: WaitStateZoneNotFound, Done: true}, nil
		case err != nil:
			return transport.PollResult{}, err
		case !found:
			return transport.PollResult{State: WaitStateAbsent, Done: true}, nil
		}
		res := transport.PollResult{State: string(r.Status)}
		n := streak.see(string(r.Status))
		switch r.Status {
		case RouterStatusActive, RouterStatusPendingCreate:
			if n > w.Tolerance {
				res.Failed = fmt.Errorf("%w: VPC %q of zone %q is still %s after %d polls in a row; "+
					"nothing is removing it: call DisassociateRouter (or DisassociateAndWait)",
					ErrRouterNotDisassociating, routerID, zoneID, r.Status, n)
			}
		case RouterStatusError:
			if n > w.Tolerance {
				res.Failed = fmt.Errorf("%w: VPC %q of zone %q was ERROR in %d polls in a row",
					ErrRouterFailed, routerID, zoneID, n)
			}
		}
		return res, nil
	})
	return err
}

// WaitRouterActive waits until the VPC routerID's association with the
// zone is RouterStatusActive: it polls ShowPrivateZone. It never sends an
// association itself: call AssociateRouter first.
//
// Each poll decides:
//
//   - RouterStatusActive: done;
//   - RouterStatusPendingCreate, or a status this package does not know:
//     pending;
//   - the VPC absent from routers: pending for up to wopts.Tolerance polls
//     in a row (a read just after the association may not show it yet),
//     then the wait fails with ErrRouterNotAssociated;
//   - RouterStatusPendingDelete: fails at once with ErrRouterNotAssociated,
//     since a VPC being disassociated will not become ACTIVE;
//   - RouterStatusError: pending for up to wopts.Tolerance polls in a row,
//     then the wait fails with ErrRouterFailed;
//   - the zone not found: the poll's error (CodeZoneNotFound,
//     transport.ErrNotFound) ends the wait.
//
// Polling, retries, the context and the errors are as for
// WaitRouterDisassociated.
func (c *Client) WaitRouterActive(ctx context.Context, zoneID, routerID string, wopts RouterWaitOptions, opts ...Option) error {
	if err := validateWait(ctx, zoneID, routerID); err != nil {
		return &transport.WaitError{Waiter: waiterActive, Err: err}
	}
	w := wopts.withDefaults()
	var streak tally
	_, err := transport.Poll(ctx, waiterActive, w.WaitOptions, func(ctx context.Context) (transport.PollResult, error) {
		r, found, _, err := c.lookRouter(ctx, zoneID, routerID, opts)
		if err != nil {
			return transport.PollResult{}, err
		}
		if !found {
			res := transport.PollResult{State: WaitStateAbsent}
			if n := streak.see(WaitStateAbsent); n > w.Tolerance {
				res.Failed = fmt.Errorf("%w: VPC %q is absent from zone %q after %d polls in a row; call AssociateRouter first",
					ErrRouterNotAssociated, routerID, zoneID, n)
			}
			return res, nil
		}
		res := transport.PollResult{State: string(r.Status)}
		n := streak.see(string(r.Status))
		switch r.Status {
		case RouterStatusActive:
			res.Done = true
		case RouterStatusPendingDelete:
			res.Failed = fmt.Errorf("%w: VPC %q of zone %q is PENDING_DELETE: it is being disassociated and will not become ACTIVE",
				ErrRouterNotAssociated, routerID, zoneID)
		case RouterStatusError:
			if n > w.Tolerance {
				res.Failed = fmt.Errorf("%w: VPC %q of zone %q was ERROR in %d polls in a row",
					ErrRouterFailed, routerID, zoneID, n)
			}
		}
		return res, nil
	})
	return err
}

// tally counts the polls in a row that saw one state.
type tally struct {
	state string
	n     int
}

// see records a poll's state and returns how many polls in a row saw it.
func (t *tally) see(state string) int {
	if state != t.state {
		t.state, t.n = state, 0
	}
	t.n++
	return t.n
}

// lookRouter reads the zone once and finds routerID in it. zoneGone
// reports a zone that does not exist (CodeZoneNotFound); err is then the
// poll's error.
func (c *Client) lookRouter(ctx context.Context, zoneID, routerID string, opts []Option) (r Router, found, zoneGone bool, err error) {
	z, err := c.ShowPrivateZone(ctx, &ShowPrivateZoneInput{ZoneID: zoneID}, opts...)
	if err != nil {
		_, zoneGone = responseCode(err, CodeZoneNotFound)
		return Router{}, false, zoneGone, err
	}
	r, found = z.Router(routerID)
	return r, found, false, nil
}

// validateWait checks a waiter's IDs as the operations check them, and its
// context, which transport.Poll needs.
func validateWait(ctx context.Context, zoneID, routerID string) error {
	if err := transport.CheckContext(ctx); err != nil {
		return err
	}
	if err := validateZoneID(zoneID); err != nil {
		return err
	}
	return validateRouterID("RouterID", routerID)
}
