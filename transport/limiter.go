package transport

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"
)

// Limiter paces requests: a token bucket that every attempt of every call
// that carries it waits on, so one Limiter in a client's Settings paces all
// of that client's calls (and several clients that draw on one API quota can
// share it). It never fails a call for lack of quota; a wait ends only when
// a token is free or the call's context ends. Retries and their backoff are
// unchanged: the limiter only spaces requests out.
//
// In adaptive mode the rate falls by half each time the service throttles
// (multiplicative decrease, at most once per second so a burst of throttled
// answers counts once) and climbs back by a step after each success
// (additive increase), never above the configured rate nor below MinRate.
// This is the AIMD scheme of TCP congestion control, which aws-sdk-go-v2's
// adaptive retry mode also builds on.
type Limiter struct {
	mu       sync.Mutex
	max      float64 // configured rate, requests per second
	rate     float64 // current rate
	minRate  float64
	step     float64 // additive increase per success
	burst    float64
	tokens   float64
	last     time.Time // when tokens was last brought up to date
	adaptive bool
	lastCut  time.Time
}

// LimiterOption changes a Limiter being built.
type LimiterOption func(*Limiter)

// Adaptive turns on adaptive mode: the rate halves on throttling and grows
// back on success, between minRate and the configured rate. minRate <= 0
// means a twentieth of the configured rate.
func Adaptive(minRate float64) LimiterOption {
	return func(l *Limiter) {
		l.adaptive = true
		l.minRate = minRate
	}
}

// NewLimiter returns a Limiter allowing rate requests per second on average
// and bursts of burst requests (burst < 1 means 1). rate must be positive
// and finite.
func NewLimiter(rate float64, burst int, opts ...LimiterOption) (*Limiter, error) {
	if !(rate > 0) || math.IsInf(rate, 0) {
		return nil, errors.New("transport: limiter rate must be a positive number of requests per second")
	}
	l := &Limiter{max: rate, rate: rate, burst: float64(max(burst, 1))}
	for _, o := range opts {
		o(l)
	}
	if l.minRate <= 0 || l.minRate > rate {
		l.minRate = rate / 20
	}
	// Back from the floor to the full rate in about 100 successes.
	l.step = (rate - l.minRate) / 100
	l.tokens = l.burst
	return l, nil
}

// Rate returns the current rate in requests per second: the configured one,
// or in adaptive mode where the service's throttling has put it.
func (l *Limiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate
}

// ErrLimiterDeadline is Wait's error when the next request could not be
// sent before the context's deadline: it fails at once rather than wait for
// a slot it could never use.
var ErrLimiterDeadline = errors.New("the rate limiter's next slot is past the context deadline")

// Wait blocks until the next request may be sent or ctx ends, and returns
// how long it waited.
func (l *Limiter) Wait(ctx context.Context) (time.Duration, error) {
	now := time.Now()
	d := l.reserve(now)
	if d <= 0 {
		return 0, nil
	}
	if !fitsDeadline(ctx, now, d) {
		l.cancel()
		return 0, ErrLimiterDeadline
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return d, nil
	case <-ctx.Done():
		l.cancel()
		return 0, ctx.Err()
	}
}

// reserve takes a token, which may be one not yet earned, and returns how
// long to wait until it is.
func (l *Limiter) reserve(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill(now)
	l.tokens--
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(-l.tokens / l.rate * float64(time.Second))
}

// cancel gives back the token of a wait that ended with its context.
func (l *Limiter) cancel() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tokens = min(l.tokens+1, l.burst)
}

func (l *Limiter) refill(now time.Time) {
	if !l.last.IsZero() {
		if elapsed := now.Sub(l.last).Seconds(); elapsed > 0 {
			l.tokens = min(l.burst, l.tokens+elapsed*l.rate)
		}
	}
	l.last = now
}

// observe adapts the rate to one response: throttled or not. Other
// failures say nothing about the rate and are not observed.
func (l *Limiter) observe(throttled bool) {
	if !l.adaptive {
		return
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill(now) // earn tokens at the old rate up to now
	if throttled {
		if now.Sub(l.lastCut) >= time.Second {
			l.rate = max(l.minRate, l.rate/2)
			l.lastCut = now
		}
		return
	}
	l.rate = min(l.max, l.rate+l.step)
}
