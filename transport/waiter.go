package transport

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"time"
)

// WaitOptions bound a waiter's polling. The zero value takes the waiter's
// defaults (Poll itself never pauses less than MinPollDelay). The wait as a
// whole ends at the context's deadline or after MaxWait, whichever comes
// first.
type WaitOptions struct {
	// MinDelay and MaxDelay bound the pause between polls: it grows
	// exponentially from MinDelay, with jitter, up to MaxDelay.
	MinDelay time.Duration
	MaxDelay time.Duration
	// MaxWait bounds the wait as a whole. Zero (or negative) means
	// DefaultMaxWait when the context has no deadline, and the context's
	// deadline alone when it has one, so that a wait for a state that
	// never comes ends without the caller's help. (aws-sdk-go-v2's waiters
	// require a maximum wait; a default here keeps the zero value usable.)
	MaxWait time.Duration
}

// DefaultMaxWait bounds a wait whose context has no deadline and whose
// WaitOptions.MaxWait is zero: far longer than a disassociation takes.
const DefaultMaxWait = 30 * time.Minute

// WithDefaults fills zero fields with the given defaults and keeps MaxDelay
// at least MinDelay.
func (o WaitOptions) WithDefaults(minDelay, maxDelay time.Duration) WaitOptions {
	if o.MinDelay <= 0 {
		o.MinDelay = minDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = maxDelay
	}
	o.MaxDelay = max(o.MaxDelay, o.MinDelay)
	return o
}

// WaitError is a waiter that gave up: the context ended, the next poll
// could not happen before its deadline, the resource reached a failed state,
// or a poll failed. It names the last state seen and how long the waiter
// waited; errors.Is reaches the context's error or the poll's error.
type WaitError struct {
	Waiter    string
	LastState string // "" when no poll answered
	Polls     int
	Waited    time.Duration
	Err       error
}

func (e *WaitError) Error() string {
	s := e.Waiter + ": gave up after " + e.Waited.Round(time.Millisecond).String() + " and " + strconv.Itoa(e.Polls) + " polls"
	if e.LastState != "" {
		s += ", last state " + clean(e.LastState, 64)
	}
	return s + ": " + errText(e.Err)
}

func (e *WaitError) Unwrap() error { return e.Err }

// ErrWaitDeadline is the cause of a WaitError whose next poll could not
// happen before the wait's deadline: the context's, or MaxWait's.
var ErrWaitDeadline = errors.New("the next poll would pass the wait's deadline")

// PollResult is what one poll tells a waiter.
type PollResult struct {
	State string // for errors and logs, e.g. "DELETING"
	Done  bool   // the awaited condition holds
	// Failed ends the wait with this error (a terminal state such as FAILED).
	Failed error
}

// MinPollDelay is the shortest pause Poll makes between polls, whatever the
// options say, so a zero WaitOptions cannot turn a waiter into a busy loop.
const MinPollDelay = 100 * time.Millisecond

// Poll calls check until it reports done, a failure or an error, or the
// wait's deadline (the context's, or opts.MaxWait's, or DefaultMaxWait's
// for a context without one) comes, pausing between polls as opts say.
// The first poll is immediate. It returns the last result; every error is
// a *WaitError (a nil ctx: one wrapping a *ValidationError naming "ctx",
// before any poll).
func Poll(ctx context.Context, name string, opts WaitOptions, check func(ctx context.Context) (PollResult, error)) (PollResult, error) {
	opts = opts.WithDefaults(MinPollDelay, MinPollDelay)
	opts.MinDelay = max(opts.MinDelay, MinPollDelay)
	opts.MaxDelay = max(opts.MaxDelay, opts.MinDelay)
	start := time.Now()
	var last PollResult
	fail := func(polls int, err error) (PollResult, error) {
		return last, &WaitError{Waiter: name, LastState: last.State, Polls: polls, Waited: time.Since(start), Err: err}
	}
	if err := CheckContext(ctx); err != nil {
		return fail(0, err)
	}
	if _, ok := ctx.Deadline(); opts.MaxWait > 0 || !ok {
		maxWait := opts.MaxWait
		if maxWait <= 0 {
			maxWait = DefaultMaxWait
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, maxWait) // an earlier deadline of ctx stays
		defer cancel()
	}
	for n := 1; ; n++ {
		r, err := check(ctx)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				err = &pollCanceled{ctx: cerr, poll: err}
			}
			return fail(n, err)
		}
		last = r
		switch {
		case r.Failed != nil:
			return fail(n, r.Failed)
		case r.Done:
			return r, nil
		}
		d := pollDelay(opts, n)
		if !fitsDeadline(ctx, time.Now(), d) {
			return fail(n, ErrWaitDeadline)
		}
		if !sleep(ctx, d) {
			return fail(n, ctx.Err())
		}
	}
}

// pollDelay is the pause after poll n: uniform between MinDelay and
// min(MaxDelay, MinDelay·2^(n-1)), so concurrent waiters spread out.
func pollDelay(o WaitOptions, n int) time.Duration {
	ceiling := o.MaxDelay
	if n <= 62 {
		if d := o.MinDelay << (n - 1); d > 0 && d>>(n-1) == o.MinDelay && d < ceiling {
			ceiling = d
		}
	}
	if ceiling <= o.MinDelay {
		return o.MinDelay
	}
	return o.MinDelay + time.Duration(rand.Int64N(int64(ceiling-o.MinDelay)+1))
}

// pollCanceled is a poll that failed because the context ended: errors.Is
// reaches both the context's error and the poll's, and its text stays on one
// line (errors.Join would put a newline between them).
type pollCanceled struct{ ctx, poll error }

func (e *pollCanceled) Error() string   { return e.ctx.Error() + ", during a poll: " + e.poll.Error() }
func (e *pollCanceled) Unwrap() []error { return []error{e.ctx, e.poll} }
