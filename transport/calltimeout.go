package transport

import (
	"context"
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
var ErrCallTimeout error = &callTimeoutError{}

type callTimeoutError struct{}

func (*callTimeoutError) Error() string {
	return "call timeout (Settings.CallTimeout) exceeded"
}

// Unwrap makes errors.Is(ErrCallTimeout, context.DeadlineExceeded) true.
func (*callTimeoutError) Unwrap() error { return context.DeadlineExceeded }

// callTimeout returns the bound a call with ctx gets: 0 for none.
func (s *Settings) callTimeout(ctx context.Context) time.Duration {
	d := s.CallTimeout
	if d == 0 && s.AttemptTimeout <= 0 {
		d = DefaultCallTimeout // with an AttemptTimeout, every attempt is bounded, and so the call
	}
	if d <= 0 {
		return 0
	}
	if _, ok := ctx.Deadline(); ok {
		return 0 // the caller's deadline wins
	}
	return d
}

// runBounded runs the call within its call timeout, if it has one.
//
// The usual caller passes context.Background(), which carries no values and
// cannot be cancelled: such a call takes a cancellable context from the
// client's pool, cancelled by a timer at the call timeout, so that the
// bound costs no allocation (context.WithTimeout costs four per call). Any
// other context goes through context.WithTimeout, which keeps its values
// and cancellation.
func (c *Client) runBounded(ctx context.Context, op string, req *Request, set *Settings) (*Response, error) {
	var b *pooledCtx
	var cancel context.CancelFunc
	bound := unbounded
	if d := set.callTimeout(ctx); d > 0 {
		bound = boundTimeout
		if ctx == context.Background() {
			bound = boundPooled
			if b, _ = c.bounds.Get().(*pooledCtx); b == nil {
				b = &pooledCtx{}
				b.ctx, b.cancel = context.WithCancel(context.Background())
				b.timer = time.AfterFunc(d, b.cancel)
			} else {
				b.timer.Reset(d)
			}
			ctx = b.ctx
		} else {
			ctx, cancel = context.WithTimeout(ctx, d)
		}
	}
	resp, err := c.run(ctx, op, req, set, bound)
	switch {
	case cancel != nil:
		cancel()
	case b != nil && b.timer.Stop():
		// A stopped timer has not fired and will not: the context is as
		// new. Otherwise it is cancelled for good, and left to the
		// garbage collector.
		c.bounds.Put(b)
	}
	return resp, err
}

// pooledCtx is a cancellable context with the timer that cancels it: what
// context.WithTimeout makes, but reusable. It has no deadline of its own
// (a wait that would outlast the bound is cut by it, not refused), and
// ctxErr names the bound. What a call leaves behind (net/http's derived
// contexts, a token fetch running on) sees a plain cancelCtx that never
// changes, as with any parent.
type pooledCtx struct {
	ctx    context.Context // context.WithCancel(context.Background())
	cancel context.CancelFunc
	timer  *time.Timer // calls cancel
}

// boundKind says how a call's context carries its call timeout.
type boundKind uint8

const (
	unbounded    boundKind = iota
	boundPooled            // a pooledCtx: only the timeout cancels it
	boundTimeout           // context.WithTimeout of a context without deadline
)

// ctxErr is the error of the call's context, which has ended or would
// end before the limiter's next slot: ErrCallTimeout when the call timeout
// ended it.
func ctxErr(ctx context.Context, bound boundKind) error {
	err := ctx.Err()
	switch {
	case err == nil && bound == unbounded:
		return context.DeadlineExceeded // the slot was past the caller's deadline
	case err == nil, bound == boundPooled, bound == boundTimeout && err == context.DeadlineExceeded:
		return ErrCallTimeout
	}
	return err
}
