package transport

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultCallTimeout bounds a call whose context has no deadline when
// neither Settings.CallTimeout nor Settings.AttemptTimeout is set. Without
// it a body that trickles in (at one byte a second, the 1 MiB limit takes
// twelve days) or a server that never answers keeps the call open for
// ever. Five minutes is far more than a call needs (three attempts, each
// given a minute for its headers by DefaultHTTPClient, and the waits
// between them) and short enough that a cleanup job notices a stuck call.
const DefaultCallTimeout = 5 * time.Minute

// ErrCallTimeout is the context error of a call that ran past its call
// timeout (Settings.CallTimeout, or DefaultCallTimeout): the call's
// *CanceledError carries it, and errors.Is(err, context.DeadlineExceeded)
// is true for it too, as for any deadline.
var ErrCallTimeout error = callTimeoutError{}

type callTimeoutError struct{}

func (callTimeoutError) Error() string {
	return "call timeout exceeded (the context had no deadline; see transport.Settings.CallTimeout)"
}

// Is makes errors.Is(ErrCallTimeout, context.DeadlineExceeded) true.
func (callTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// Timeout reports true, as net.Error's and context.DeadlineExceeded's do.
func (callTimeoutError) Timeout() bool { return true }

// callTimeout returns the bound a call with ctx gets: 0 for none.
func (s *Settings) callTimeout(ctx context.Context) time.Duration {
	switch {
	case s.CallTimeout < 0:
		return 0
	case s.CallTimeout == 0 && s.AttemptTimeout > 0:
		return 0 // every attempt is bounded, and so the call
	}
	if _, ok := ctx.Deadline(); ok {
		return 0 // the caller's deadline wins
	}
	if s.CallTimeout > 0 {
		return s.CallTimeout
	}
	return DefaultCallTimeout
}

// boundCall returns a context for a call made with ctx that ends d from
// now, from the client's pool; its release method must be called when the
// call is done. It returns nil unless ctx is context.Background() or
// context.TODO(): the usual caller's context, which carries no values and
// cannot be cancelled. Such calls so get their bound without an allocation
// (context.WithTimeout costs four, a sixth of a call's); any other context
// takes context.WithTimeoutCause, which keeps its values and cancellation.
func (c *Client) boundCall(ctx context.Context, d time.Duration) *boundCtx {
	if ctx != context.Background() && ctx != context.TODO() {
		return nil
	}
	b, _ := c.bounds.Get().(*boundCtx)
	if b == nil {
		b = &boundCtx{pool: &c.bounds}
		b.deadline.Store(time.Now().Add(d).UnixNano())
		b.inner, b.cancel = context.WithCancelCause(context.Background())
		b.timer = time.AfterFunc(d, b.expire)
	} else {
		b.deadline.Store(time.Now().Add(d).UnixNano())
		b.timer.Reset(d)
	}
	return b
}

// boundCtx is the context of a call made with context.Background() (or
// TODO) and a call timeout: a reusable context.WithTimeout. It is used by
// one call at a time and goes back to the client's pool after, unless its
// timer fired.
//
// Done, Value and so the cancellation are those of inner, a real
// cancellable context that never changes: net/http and the context package
// find it through Value, and attach the contexts they derive to it, as to
// any cancellable parent, without a goroutine each. Nothing a call leaves
// behind (net/http's derived contexts, a token fetch running on with
// context.WithoutCancel) reads a field that the next call changes, except
// the deadline, which is atomic.
type boundCtx struct {
	inner    context.Context // context.WithCancelCause(context.Background())
	cancel   context.CancelCauseFunc
	timer    *time.Timer  // calls expire at the deadline
	deadline atomic.Int64 // Unix nanoseconds
	pool     *sync.Pool
}

func (b *boundCtx) Deadline() (time.Time, bool) { return time.Unix(0, b.deadline.Load()), true }
func (b *boundCtx) Done() <-chan struct{}       { return b.inner.Done() }
func (b *boundCtx) Value(key any) any           { return b.inner.Value(key) }

// Err is context.DeadlineExceeded once the timer fired; context.Cause
// gives ErrCallTimeout.
func (b *boundCtx) Err() error {
	if b.inner.Err() != nil {
		return context.DeadlineExceeded
	}
	return nil
}

func (b *boundCtx) expire() { b.cancel(ErrCallTimeout) }

// release ends the call's use of b. A stopped timer has not fired and
// will not: b is as new and goes back to the pool. Otherwise inner is
// cancelled for good, and b is left to the garbage collector.
func (b *boundCtx) release() {
	if b.timer.Stop() {
		b.pool.Put(b)
	}
}

// ctxErr is ctx's error, ErrCallTimeout when the call timeout ended it.
func ctxErr(ctx context.Context) error {
	err := ctx.Err()
	if err != nil && context.Cause(ctx) == ErrCallTimeout {
		return ErrCallTimeout
	}
	return err
}
