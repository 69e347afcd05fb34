package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestNewLimiterBounds: a rate is accepted only when the interval between
// two requests fits a time.Duration and is at least a nanosecond; beyond
// either edge the limiter would stop pacing (the interval overflowed to a
// negative value below about 1.08e-10 requests per second, and rounds to
// zero above 1e9). The burst and the adaptive floor are held to the same.
func TestNewLimiterBounds(t *testing.T) {
	t.Parallel()
	// 1e9/2^63 rounds to a rate whose interval is exactly 2^63 ns: one too
	// many. The next float up is the slowest rate whose interval fits.
	const slowest = 1.0842021724855046e-10
	const tooSlow = 1.0842021724855044e-10
	tests := map[string]struct {
		rate      float64
		burst     int
		opts      []LimiterOption
		wantField string // "": accepted
	}{
		"zero":                          {rate: 0, wantField: "rate"},
		"negative":                      {rate: -1, wantField: "rate"},
		"negative infinity":             {rate: math.Inf(-1), wantField: "rate"},
		"NaN":                           {rate: math.NaN(), wantField: "rate"},
		"infinity":                      {rate: math.Inf(1), wantField: "rate"},
		"1e-11: the interval overflows": {rate: 1e-11, wantField: "rate"},
		"largest refused slow rate":     {rate: tooSlow, wantField: "rate"},
		"smallest accepted rate":        {rate: slowest},
		"one a year":                    {rate: 1.0 / (365 * 24 * 3600)},
		"1e9: one a nanosecond":         {rate: 1e9},
		"just over 1e9: interval 0":     {rate: math.Nextafter(1e9, math.Inf(1)), wantField: "rate"},
		"1e300":                         {rate: 1e300, wantField: "rate"},
		"burst 2 at the slowest rate":   {rate: slowest, burst: 2},
		"burst 3 at the slowest rate":   {rate: slowest, burst: 3, wantField: "burst"},
		"burst 293 at one a year":       {rate: 1.0 / (365 * 24 * 3600), burst: 293},
		"burst 294 at one a year":       {rate: 1.0 / (365 * 24 * 3600), burst: 294, wantField: "burst"},
		"adaptive floor a twentieth of the slowest rate": {rate: slowest, opts: []LimiterOption{Adaptive(0)}, wantField: "minRate"},
		"adaptive floor 1e-11":                           {rate: 1, opts: []LimiterOption{Adaptive(1e-11)}, wantField: "minRate"},
		"adaptive floor NaN":                             {rate: 1, opts: []LimiterOption{Adaptive(math.NaN())}, wantField: "minRate"},
		"adaptive floor at the slowest rate":             {rate: 1, opts: []LimiterOption{Adaptive(slowest)}},
		"adaptive, rate 20 times the slowest":            {rate: 20 * slowest * (1 + 1e-15), opts: []LimiterOption{Adaptive(0)}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			l, err := NewLimiter(tt.rate, tt.burst, tt.opts...)
			if tt.wantField == "" {
				if err != nil || l == nil {
					t.Fatalf("NewLimiter(%v, %d) = %v, %v; want a limiter", tt.rate, tt.burst, l, err)
				}
				if iv := l.interval(); iv <= 0 {
					t.Errorf("interval = %v, want positive", iv)
				}
				return
			}
			var ve *ValidationError
			if l != nil || !errors.As(err, &ve) || ve.Field != tt.wantField || ve.Rule == "" || !errors.Is(err, ErrInvalidInput) {
				t.Errorf("NewLimiter(%v, %d) = %v, %v; want a *ValidationError naming %s", tt.rate, tt.burst, l, err, tt.wantField)
			}
		})
	}
}

// TestLimiterSlowestRatePaces: at the slowest rate accepted the second
// request's slot is 292 years away, so it fails at once against a
// deadline rather than going through unpaced.
func TestLimiterSlowestRatePaces(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(1.0842021724855046e-10, 1, Adaptive(1.0842021724855046e-10))
		mustNoErr(t, err)
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		if _, err := l.Wait(ctx); err != nil {
			t.Fatalf("first Wait: %v", err)
		}
		if d, err := l.Wait(ctx); !errors.Is(err, ErrLimiterDeadline) {
			t.Errorf("second Wait = %v, %v; want ErrLimiterDeadline", d, err)
		}
		l.observe(true) // adaptive: the rate cannot fall below its floor
		if got := l.interval(); got <= 0 {
			t.Errorf("interval after a throttle = %v, want positive", got)
		}
	})
}

// waits returns how long each of n sequential Waits took, on fake time.
func waits(t *testing.T, l *Limiter, n int) []time.Duration {
	t.Helper()
	var got []time.Duration
	for range n {
		start := time.Now()
		if _, err := l.Wait(t.Context()); err != nil {
			t.Fatalf("Wait: %v", err)
		}
		got = append(got, time.Since(start))
	}
	return got
}

func TestLimiterPaces(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	tests := map[string]struct {
		rate  float64
		burst int
		n     int
		want  []time.Duration
	}{
		"burst 1 at 10/s": {rate: 10, burst: 1, n: 4, want: []time.Duration{0, 100 * ms, 100 * ms, 100 * ms}},
		"burst 3 at 10/s": {rate: 10, burst: 3, n: 5, want: []time.Duration{0, 0, 0, 100 * ms, 100 * ms}},
		"burst 0 is 1":    {rate: 4, burst: 0, n: 3, want: []time.Duration{0, 250 * ms, 250 * ms}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l, err := NewLimiter(tt.rate, tt.burst)
				mustNoErr(t, err)
				if diff := cmp.Diff(tt.want, waits(t, l, tt.n)); diff != "" {
					t.Errorf("waits (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestLimiterIdleRefillsUpToBurst(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(10, 2)
		mustNoErr(t, err)
		waits(t, l, 2)              // the burst is spent
		time.Sleep(5 * time.Second) // idle: refills to the burst, not beyond
		ms := time.Millisecond
		if diff := cmp.Diff([]time.Duration{0, 0, 100 * ms}, waits(t, l, 3)); diff != "" {
			t.Errorf("waits after idling (-want +got):\n%s", diff)
		}
	})
}

func TestLimiterConcurrentCallersShareTheRate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(50, 5)
		mustNoErr(t, err)
		start := time.Now()
		var wg sync.WaitGroup
		for range 100 {
			wg.Go(func() {
				if _, err := l.Wait(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		// 5 at once, then 95 more at 50 per second.
		if got, want := time.Since(start), 1900*time.Millisecond; got != want {
			t.Errorf("100 callers took %v, want %v", got, want)
		}
	})
}

func TestLimiterWaitPastDeadlineFailsAtOnce(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(1, 1)
		mustNoErr(t, err)
		waits(t, l, 1)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := l.Wait(ctx); !errors.Is(err, ErrLimiterDeadline) {
			t.Fatalf("Wait for a slot past the deadline = %v, want ErrLimiterDeadline", err)
		}
		if d := time.Since(start); d != 0 {
			t.Errorf("Wait waited %v before failing, want 0", d)
		}
		// The reservation was given back: the next slot is still one
		// second after the first, not two.
		if diff := cmp.Diff([]time.Duration{time.Second}, waits(t, l, 1)); diff != "" {
			t.Errorf("next wait (-want +got):\n%s", diff)
		}
	})
}

func TestLimiterWaitEndsWithContextAndGivesTheTokenBack(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(1, 1)
		mustNoErr(t, err)
		waits(t, l, 1)
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(300 * time.Millisecond); cancel() }()
		if _, err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("Wait cancelled = %v, want context.Canceled", err)
		}
		if diff := cmp.Diff([]time.Duration{700 * time.Millisecond}, waits(t, l, 1)); diff != "" {
			t.Errorf("next wait (-want +got):\n%s", diff)
		}
	})
}

// The attempt timeout bounds the exchange with the service only: waiting for
// the limiter or for credentials (a token fetch) does not use it up.
func TestAttemptTimeoutExcludesLimiterAndCredentials(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(2, 1)
		mustNoErr(t, err)
		d := &pacedDoer{}
		c := newClient(t, Config{Endpoint: "https://example.com", Auth: slowAuth(150 * time.Millisecond),
			Settings: Settings{HTTPClient: d, Limiter: l, AttemptTimeout: 100 * time.Millisecond}})
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				resp, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
				if err != nil || resp.Metadata.Attempts != 1 {
					t.Errorf("Do = %v, %v; want success at the first attempt", resp, err)
				}
			})
		}
		wg.Wait()
	})
}

// slowAuth is an Authorizer whose credentials take d to arrive.
type slowAuth time.Duration

func (s slowAuth) Authorize(ctx context.Context, _ *http.Request, _ string, _ time.Time) error {
	select {
	case <-time.After(time.Duration(s)):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestLimiterAdaptive(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(100, 1, Adaptive(10))
		mustNoErr(t, err)
		var rates []float64
		l.observe(true) // halves
		rates = append(rates, l.Rate())
		l.observe(true) // within a second of the last cut: ignored
		rates = append(rates, l.Rate())
		time.Sleep(time.Second)
		l.observe(true)
		rates = append(rates, l.Rate())
		for range 4 {
			time.Sleep(time.Second)
			l.observe(true)
		}
		rates = append(rates, l.Rate()) // floored at MinRate
		time.Sleep(time.Second)
		l.observe(false) // a second of success: (100-10)/30 more
		rates = append(rates, l.Rate())
		for range 5 {
			l.observe(false) // no time passed: no increase, however many successes
		}
		rates = append(rates, l.Rate())
		time.Sleep(10 * time.Second)
		l.observe(false) // a long quiet spell counts as one second, not ten
		rates = append(rates, l.Rate())
		for range 40 {
			time.Sleep(time.Second)
			l.observe(false)
		}
		rates = append(rates, l.Rate()) // capped at the configured rate
		if diff := cmp.Diff([]float64{50, 50, 25, 10, 13, 13, 16, 100}, rates, cmpApprox); diff != "" {
			t.Errorf("rates (-want +got):\n%s", diff)
		}
	})
}

// A cut in the rate must not let new requests slot in among those already
// waiting: send times only move forward.
func TestLimiterScheduleIsMonotonic(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(20, 1, Adaptive(1))
		mustNoErr(t, err)
		var mu sync.Mutex
		var sent []time.Time
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				time.Sleep(time.Duration(i) * 10 * time.Millisecond)
				if _, err := l.Wait(context.Background()); err != nil {
					t.Error(err)
				}
				mu.Lock()
				sent = append(sent, time.Now())
				mu.Unlock()
				if i == 10 {
					l.observe(true) // the service throttles once
				}
				if i%7 == 0 {
					l.observe(false)
				}
			})
		}
		wg.Wait()
		// However the rate moved, no 250 ms window holds more requests than
		// the highest rate allows.
		for i := range sent {
			n := 0
			for j := range sent {
				if d := sent[j].Sub(sent[i]); d >= 0 && d < 250*time.Millisecond {
					n++
				}
			}
			if n > 6 {
				t.Fatalf("%d requests within 250 ms of %v: the schedule bunched", n, sent[i])
			}
		}
	})
}

var cmpApprox = cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-9 })

func TestLimiterNotAdaptiveKeepsItsRate(t *testing.T) {
	t.Parallel()
	l, err := NewLimiter(8, 1)
	mustNoErr(t, err)
	l.observe(true)
	l.observe(false)
	if got := l.Rate(); got != 8 {
		t.Errorf("Rate() = %v, want 8", got)
	}
}

// pacedDoer answers each request with the next status, then 200.
type pacedDoer struct {
	mu       sync.Mutex
	statuses []int
	sent     []time.Time
}

func (d *pacedDoer) Do(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.sent = append(d.sent, time.Now())
	status := 200
	if len(d.statuses) > 0 {
		status, d.statuses = d.statuses[0], d.statuses[1:]
	}
	body := "{}"
	if status == 429 {
		body = `{"__type":"ThrottlingException","message":"Rate exceeded"}`
	}
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader([]byte(body))),
		ContentLength: int64(len(body)), Request: r}, nil
}

func TestDoWithLimiter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(10, 1, Adaptive(1))
		mustNoErr(t, err)
		d := &pacedDoer{statuses: []int{429}}
		var logs bytes.Buffer
		c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{
			HTTPClient: d, Limiter: l, random: func() float64 { return 0 },
			Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		}})
		start := time.Now()
		resp, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
		if err != nil || resp.Metadata.Attempts != 2 {
			t.Fatalf("Do = %v, %v; want success after a throttled attempt", resp, err)
		}
		// The retry waited for the limiter at its halved rate: 1/5 s.
		if got, want := d.sent[1].Sub(start), 200*time.Millisecond; got != want {
			t.Errorf("retry sent after %v, want %v", got, want)
		}
		if !bytes.Contains(logs.Bytes(), []byte(`"paced":200000000`)) || !bytes.Contains(logs.Bytes(), []byte(`"rate":`)) {
			t.Errorf("log records do not show the pacing and rate:\n%s", logs.String())
		}
	})
}

func TestDoLimiterWaitCancelledCountsNoAttempt(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(1, 1)
		mustNoErr(t, err)
		d := &pacedDoer{statuses: []int{503}}
		c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{
			HTTPClient: d, Limiter: l, random: func() float64 { return 0 }}})
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		_, err = c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil)
		var ce *CanceledError
		var re *ResponseError
		if !errors.As(err, &ce) || ce.Attempts != 1 || !errors.As(err, &re) || re.StatusCode != 503 {
			t.Fatalf("Do = %v; want a CanceledError after 1 attempt carrying the 503", err)
		}
		if len(d.sent) != 1 {
			t.Errorf("sent %d requests, want 1", len(d.sent))
		}
	})
}

// An abandoned slot with later ones behind it is not given back: the next
// caller must not get a slot another caller already holds.
func TestLimiterCancelKeepsLaterSlots(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l, err := NewLimiter(1, 1)
		mustNoErr(t, err)
		now := time.Now()
		l.reserve(now)            // due now
		_, b := l.reserve(now)    // due at 1 s
		c, _ := l.reserve(now)    // due at 2 s
		l.cancel(b)               // b gives up; c still holds 2 s
		d, last := l.reserve(now) // must come after c
		if c != 2*time.Second || d != 3*time.Second {
			t.Errorf("slots after a cancel: c at %v, d at %v; want 2s and 3s", c, d)
		}
		l.cancel(last) // the last slot is given back
		if e, _ := l.reserve(now); e != 3*time.Second {
			t.Errorf("slot after giving back the last = %v, want 3s", e)
		}
	})
}
