package transport

import (
	"context"
	"math/rand/v2"
	"time"
)

// Retry defaults. Three attempts and a 20 s cap follow aws-sdk-go-v2's
// standard retryer; the 1 s base of the exponential follows botocore's
// standard mode (first retry waits up to 1 s, the second up to 2 s).
const (
	DefaultMaxAttempts   = 3
	DefaultBaseDelay     = time.Second
	DefaultMaxBackoff    = 20 * time.Second
	DefaultMaxRetryAfter = 20 * time.Second
)

// RetryPolicy says how often and how long to retry. The zero value means the
// defaults. There is no shared retry quota: every call may use its attempts.
type RetryPolicy struct {
	// MaxAttempts counts the first attempt; 1 disables retries. 0: 3.
	MaxAttempts int
	// BaseDelay and MaxBackoff bound the full-jitter exponential backoff:
	// before retry n the wait is uniform in [0, min(MaxBackoff, BaseDelay·2^(n-1))).
	// 0: 1 s and 20 s.
	BaseDelay  time.Duration
	MaxBackoff time.Duration
	// MaxRetryAfter caps a service's Retry-After. A Retry-After longer than the
	// time left before the context's deadline ends the call at once instead of
	// waiting for a retry that could not happen. 0: 20 s.
	MaxRetryAfter time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultBaseDelay
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultMaxRetryAfter
	}
	return p
}

// backoff returns the wait before retry n (1-based). random returns a value
// in [0, 1); nil means math/rand/v2.
func (p RetryPolicy) backoff(n int, retryAfter time.Duration, random func() float64) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxRetryAfter)
	}
	ceiling := p.MaxBackoff
	if n < 1 {
		n = 1
	}
	if n <= 62 {
		if d := p.BaseDelay << (n - 1); d > 0 && d>>(n-1) == p.BaseDelay && d < ceiling {
			ceiling = d
		}
	}
	if random == nil {
		random = rand.Float64
	}
	return time.Duration(random() * float64(ceiling))
}

// sleep waits d, or until ctx ends, and reports whether it waited fully.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// fitsDeadline reports whether a wait of d leaves the context alive.
func fitsDeadline(ctx context.Context, now time.Time, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || now.Add(d).Before(deadline)
}
