package transport

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Limiter paces requests, so that every attempt of every call that carries
// it keeps to a rate: one Limiter in a client's Settings paces all of that
// client's calls (and several clients that draw on one API quota can share
// it). It never fails a call for lack of quota; it only spaces requests out,
// and a wait ends when the slot comes or the context ends (at once when the
// slot is past the context's deadline). Retries and their backoff are
// unchanged.
//
// It keeps a schedule (the generic cell rate algorithm of ATM networks):
// each request takes the next slot, one interval after the one before, with
// up to burst requests allowed early. Slots never move backwards, so a rate
// change cannot bunch requests together.
//
// In adaptive mode the rate halves each time the service throttles
// (multiplicative decrease, at most once a second so a burst of throttled
// answers counts once) and grows back by a thirtieth of its range each
// second of successful calls (additive increase), between MinRate and the
// configured rate. This is the AIMD scheme of TCP congestion control, which
// aws-sdk-go-v2's adaptive retry mode also builds on.
type Limiter struct {
	mu        sync.Mutex
	max       float64 // configured rate, requests per second
	rate      float64 // current rate
	minRate   float64
	inc       float64 // additive increase, requests per second per second
	burst     float64
	tat       time.Time // theoretical arrival time: when the next slot is due
	adaptive  bool
	lastCut   time.Time
	lastRaise time.Time
}

// LimiterOption changes a Limiter being built.
type LimiterOption func(*Limiter)

// Adaptive turns on adaptive mode: the rate halves on throttling and grows
// back on success, between minRate and the configured rate. minRate <= 0,
// or above the configured rate, means a twentieth of the configured rate;
// NewLimiter refuses a NaN minRate, or one too slow to pace (see NewLimiter).
func Adaptive(minRate float64) LimiterOption {
	return func(l *Limiter) {
		l.adaptive = true
		l.minRate = minRate
	}
}

// NewLimiter returns a Limiter allowing rate requests per second on average
// and bursts of burst requests (burst < 1 means 1).
//
// rate must be a finite number from about 1.0842e-10 (one request per 292
// years, the longest time.Duration) to 1e9 (one per nanosecond): outside
// that range the interval between requests does not fit a time.Duration
// and the limiter could not pace. The same holds for the adaptive floor
// (see Adaptive), and burst times the interval must fit too. Anything else
// is a *ValidationError naming "rate", "burst" or "minRate".
func NewLimiter(rate float64, burst int, opts ...LimiterOption) (*Limiter, error) {
	burst = max(burst, 1)
	if !intervalFits(rate, 1) {
		return nil, &ValidationError{Field: "rate", Rule: limiterRateRule}
	}
	l := &Limiter{max: rate, rate: rate, burst: float64(burst)}
	for _, o := range opts {
		o(l)
	}
	if l.minRate <= 0 || l.minRate > rate { // NaN stays, and is refused below
		l.minRate = rate / 20
	}
	// The slowest the limiter can go is its floor: in adaptive mode the rate
	// may fall that far, and the interval and the burst must fit there too.
	slowest := rate
	if l.adaptive {
		slowest = l.minRate
		if !intervalFits(slowest, 1) {
			return nil, &ValidationError{Field: "minRate",
				Rule: "(the adaptive floor: a twentieth of rate unless given) " + limiterRateRule}
		}
	}
	if !intervalFits(slowest, burst) {
		return nil, &ValidationError{Field: "burst",
			Rule: "times the interval between requests (at the slowest rate) must fit a time.Duration (292 years)"}
	}
	// From the floor back to the full rate in about 30 s of success: slow
	// enough that overshooting the service's quota costs few requests.
	l.inc = (rate - l.minRate) / 30
	return l, nil
}

const limiterRateRule = "must be a finite number of requests per second from 1.0842021724855046e-10 " +
	"(one per 292 years: the interval must fit a time.Duration) to 1e9 (one per nanosecond)"

// intervalFits reports whether the interval between requests at rate, and
// burst-1 such intervals (how far ahead of the schedule a burst may go), are
// whole nanoseconds that fit a time.Duration. A NaN, infinite, zero or
// negative rate fails too. interval rounds towards zero, so an interval
// under 1 ns would be 0: no pacing at all.
func intervalFits(rate float64, burst int) bool {
	const maxNanos = float64(1 << 63) // the first float64 past math.MaxInt64
	iv := float64(time.Second) / rate
	return iv >= 1 && iv < maxNanos && float64(burst-1)*iv < maxNanos
}

// Rate returns the current rate in requests per second: the configured one,
// or in adaptive mode where the service's throttling has put it.
func (l *Limiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate
}

// ErrLimiterDeadline is Wait's error when the next slot is past the
// context's deadline: it fails at once rather than wait for a slot it could
// never use.
var ErrLimiterDeadline = errors.New("the rate limiter's next slot is past the context deadline")

// Wait blocks until the request's slot comes or ctx ends, and returns how
// long it waited. A nil ctx is a *ValidationError; a slot past ctx's
// deadline is ErrLimiterDeadline, at once; a ctx that ends first gives its
// error, and the slot back when no later one was taken.
func (l *Limiter) Wait(ctx context.Context) (time.Duration, error) {
	if err := CheckContext(ctx); err != nil {
		return 0, err
	}
	now := time.Now()
	d, slot := l.reserve(now)
	if d <= 0 {
		return 0, nil
	}
	if !fitsDeadline(ctx, now, d) {
		l.cancel(slot)
		return 0, ErrLimiterDeadline
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return d, nil
	case <-ctx.Done():
		l.cancel(slot)
		return 0, ctx.Err()
	}
}

func (l *Limiter) interval() time.Duration {
	return time.Duration(float64(time.Second) / l.rate)
}

// slot identifies a reservation, so that an abandoned one can be given back.
type slot struct {
	tat      time.Time // the schedule's end after this reservation
	interval time.Duration
}

// reserve takes the next slot and returns how long until it is due.
func (l *Limiter) reserve(now time.Time) (time.Duration, slot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	interval := l.interval()
	tat := l.tat
	if tat.Before(now) {
		tat = now
	}
	// Up to burst requests may go ahead of the schedule.
	send := tat.Add(-time.Duration((l.burst - 1) * float64(interval)))
	l.tat = tat.Add(interval)
	s := slot{tat: l.tat, interval: interval}
	if send.Before(now) {
		return 0, s
	}
	return send.Sub(now), s
}

// cancel gives back an abandoned slot when it is still the last one taken.
// A slot with later ones behind it is left unused: moving the schedule back
// would hand the same slot to two requests.
func (l *Limiter) cancel(s slot) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tat.Equal(s.tat) {
		l.tat = l.tat.Add(-s.interval)
	}
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
	if throttled {
		if !l.lastCut.IsZero() && now.Sub(l.lastCut) < time.Second {
			return
		}
		old := l.interval()
		l.rate = max(l.minRate, l.rate/2)
		l.lastCut = now
		l.lastRaise = now
		// The next slot follows the new rate at once.
		if l.tat.After(now) {
			l.tat = l.tat.Add(l.interval() - old)
		}
		return
	}
	if !l.lastRaise.IsZero() {
		dt := min(now.Sub(l.lastRaise), time.Second).Seconds()
		l.rate = min(l.max, l.rate+l.inc*dt)
	}
	l.lastRaise = now
}
