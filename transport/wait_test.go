package transport

// Tests of everything that waits. They run in a synctest bubble with an
// in-memory Doer, so the waits are fake time: each test asserts the exact
// elapsed time instead of sleeping.

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func half() float64 { return 0.5 }

// block is a Doer step that never answers: it waits for the request's
// context, as a server that stalls its headers does.
func block(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

func TestWaitsBetweenAttempts(t *testing.T) {
	t.Parallel()
	type step = func(*http.Request) (*http.Response, error)
	tests := map[string]struct {
		policy      RetryPolicy
		random      func() float64
		steps       []step
		wantElapsed time.Duration
		wantHits    int64
		wantStatus  int  // final error status; 0: success unless wantTimeout
		wantTimeout bool // the call ends with attempt timeouts
		// wantGaps are the times between signatures: attempt timeouts plus waits.
		wantGaps []time.Duration
	}{
		"full jitter 0.5: 500ms then 1s": {
			random: half, steps: []step{status(503, ""), status(503, ""), status(200, "{}")},
			wantElapsed: 1500 * time.Millisecond, wantHits: 3,
			wantGaps: []time.Duration{500 * time.Millisecond, time.Second},
		},
		"full jitter 0.5, five attempts, last error": {
			policy: RetryPolicy{MaxAttempts: 5}, random: half, steps: []step{status(500, "")},
			wantElapsed: 7500 * time.Millisecond, wantHits: 5, wantStatus: 500,
			wantGaps: []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second},
		},
		"capped by MaxBackoff": {
			policy: RetryPolicy{MaxAttempts: 4, BaseDelay: time.Second, MaxBackoff: 1500 * time.Millisecond}, random: half,
			steps:       []step{status(503, "")},
			wantElapsed: 500*time.Millisecond + 750*time.Millisecond + 750*time.Millisecond, wantHits: 4, wantStatus: 503,
			wantGaps: []time.Duration{500 * time.Millisecond, 750 * time.Millisecond, 750 * time.Millisecond},
		},
		"Retry-After seconds honoured": {
			random: half, steps: []step{status(503, "", "Retry-After", "3"), status(200, "{}")},
			wantElapsed: 3 * time.Second, wantHits: 2, wantGaps: []time.Duration{3 * time.Second},
		},
		"Retry-After on 429 honoured": {
			random: half, steps: []step{status(429, "", "Retry-After", "2"), status(429, "", "Retry-After", "7"), status(200, "{}")},
			wantElapsed: 9 * time.Second, wantHits: 3, wantGaps: []time.Duration{2 * time.Second, 7 * time.Second},
		},
		"Retry-After capped at MaxRetryAfter": {
			policy: RetryPolicy{MaxRetryAfter: 5 * time.Second}, random: half,
			steps:       []step{status(503, "", "Retry-After", "120"), status(200, "{}")},
			wantElapsed: 5 * time.Second, wantHits: 2, wantGaps: []time.Duration{5 * time.Second},
		},
		"Retry-After default cap 20s": {
			random: half, steps: []step{status(503, "", "Retry-After", "3600"), status(200, "{}")},
			wantElapsed: 20 * time.Second, wantHits: 2, wantGaps: []time.Duration{20 * time.Second},
		},
		"overflowing Retry-After falls back to jitter": {
			random: half, steps: []step{status(503, "", "Retry-After", "99999999999999999999"), status(200, "{}")},
			wantElapsed: 500 * time.Millisecond, wantHits: 2, wantGaps: []time.Duration{500 * time.Millisecond},
		},
		"far-future Retry-After date falls back to jitter": {
			random: half, steps: []step{status(503, "", "Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"), status(200, "{}")},
			wantElapsed: 500 * time.Millisecond, wantHits: 2, wantGaps: []time.Duration{500 * time.Millisecond},
		},
		"Retry-After HTTP-date": {
			// The bubble's clock starts at midnight UTC 2000-01-01.
			random: half, steps: []step{status(503, "", "Retry-After", "Sat, 01 Jan 2000 00:00:04 GMT"), status(200, "{}")},
			wantElapsed: 4 * time.Second, wantHits: 2, wantGaps: []time.Duration{4 * time.Second},
		},
		"malformed Retry-After falls back to jitter": {
			random: half, steps: []step{status(503, "", "Retry-After", "soon"), status(200, "{}")},
			wantElapsed: 500 * time.Millisecond, wantHits: 2, wantGaps: []time.Duration{500 * time.Millisecond},
		},
		"Retry-After on a 400 does not make it retryable": {
			random: half, steps: []step{status(400, "", "Retry-After", "1")},
			wantElapsed: 0, wantHits: 1, wantStatus: 400,
		},
		"attempt timeouts: 3 x 50ms plus waits": {
			policy: RetryPolicy{BaseDelay: 100 * time.Millisecond}, random: half, steps: []step{block},
			wantElapsed: 3*50*time.Millisecond + 50*time.Millisecond + 100*time.Millisecond, wantHits: 3, wantTimeout: true,
			wantGaps: []time.Duration{50*time.Millisecond + 50*time.Millisecond, 50*time.Millisecond + 100*time.Millisecond},
		},
		"attempt timeout then success": {
			random: zeroJitter, steps: []step{block, status(200, "{}")},
			wantElapsed: 50 * time.Millisecond, wantHits: 2, wantGaps: []time.Duration{50 * time.Millisecond},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := &script{steps: tt.steps}
				auth := &fakeAuth{}
				c := newClient(t, Config{Endpoint: "https://example.com", Auth: auth, Settings: Settings{
					HTTPClient: d, Retry: tt.policy, AttemptTimeout: 50 * time.Millisecond, random: tt.random}})
				start := time.Now()
				_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
				elapsed := time.Since(start)

				if elapsed != tt.wantElapsed {
					t.Errorf("elapsed = %v, want %v", elapsed, tt.wantElapsed)
				}
				if got := d.hits.Load(); got != tt.wantHits {
					t.Errorf("hits = %d, want %d", got, tt.wantHits)
				}
				var re *ResponseError
				switch {
				case tt.wantTimeout:
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("Do() error = %v, want an attempt timeout", err)
					}
				case tt.wantStatus == 0:
					if err != nil {
						t.Errorf("Do() error = %v, want success", err)
					}
				default:
					if !errors.As(err, &re) || re.StatusCode != tt.wantStatus || re.Attempts != int(tt.wantHits) {
						t.Errorf("Do() error = %v, want a %d *ResponseError after %d attempts", err, tt.wantStatus, tt.wantHits)
					}
				}
				// Every attempt is signed with the time it is sent at.
				nows := auth.Nows()
				var gaps []time.Duration
				for i := 1; i < len(nows); i++ {
					gaps = append(gaps, nows[i].Sub(nows[i-1]))
				}
				if diff := cmp.Diff(tt.wantGaps, gaps); diff != "" {
					t.Errorf("time between signatures (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestAttemptTimeoutExhausted(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := &script{steps: []func(*http.Request) (*http.Response, error){block}}
		c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{
			HTTPClient: d, AttemptTimeout: 50 * time.Millisecond}})
		start := time.Now()
		_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
		var se *SendError
		if !errors.As(err, &se) || se.Attempts != 3 || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Do() error = %v, want a *SendError after 3 attempts matching context.DeadlineExceeded", err)
		}
		var ce *CanceledError
		if errors.As(err, &ce) {
			t.Errorf("Do() error = %v: attempt timeouts are not a cancelled call", err)
		}
		if got := time.Since(start); got != 150*time.Millisecond {
			t.Errorf("elapsed = %v, want 150ms", got)
		}
	})
}

func TestRetryAfterBeyondDeadline(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		timeout     time.Duration
		steps       []func(*http.Request) (*http.Response, error)
		wantHits    int64
		wantElapsed time.Duration
		wantAfter   time.Duration
	}{
		"Retry-After past the deadline": {
			timeout: 5 * time.Second, steps: []func(*http.Request) (*http.Response, error){status(503, "", "Retry-After", "10")},
			wantHits: 1, wantElapsed: 0, wantAfter: 10 * time.Second,
		},
		"capped Retry-After still past the deadline": {
			timeout: 5 * time.Second, steps: []func(*http.Request) (*http.Response, error){status(429, "", "Retry-After", "3600")},
			wantHits: 1, wantElapsed: 0, wantAfter: time.Hour,
		},
		"second backoff past the deadline": {
			// Waits 500ms (fits 1.2s), then would wait 1s from 0.5s (does not).
			timeout: 1200 * time.Millisecond, steps: []func(*http.Request) (*http.Response, error){status(503, "")},
			wantHits: 2, wantElapsed: 500 * time.Millisecond,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := &script{steps: tt.steps}
				c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d, random: half}})
				ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
				defer cancel()
				start := time.Now()
				_, err := c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil)
				var re *ResponseError
				var ce *CanceledError
				if !errors.As(err, &re) || errors.As(err, &ce) || errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("Do() error = %v, want the service's *ResponseError, not a deadline error", err)
				}
				got := []any{d.hits.Load(), re.Attempts, re.RetryAfter, time.Since(start)}
				want := []any{tt.wantHits, int(tt.wantHits), tt.wantAfter, tt.wantElapsed}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("hits, attempts, RetryAfter, elapsed (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestContextEndsCall(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		steps       []func(*http.Request) (*http.Response, error)
		cancelAfter time.Duration // cancel the context then; 0: use a 100ms deadline
		wantIs      error
		wantLast    string // "response", "send" or ""
		wantElapsed time.Duration
		wantHits    int64
	}{
		"cancelled during backoff": {
			steps:       []func(*http.Request) (*http.Response, error){status(503, "{}", "X-Amzn-RequestId", "r-1")},
			cancelAfter: 200 * time.Millisecond, wantIs: context.Canceled, wantLast: "response",
			wantElapsed: 200 * time.Millisecond, wantHits: 1,
		},
		"cancelled during Retry-After": {
			steps:       []func(*http.Request) (*http.Response, error){status(429, "", "Retry-After", "10")},
			cancelAfter: 3 * time.Second, wantIs: context.Canceled, wantLast: "response",
			wantElapsed: 3 * time.Second, wantHits: 1,
		},
		"cancelled during an attempt": {
			steps:       []func(*http.Request) (*http.Response, error){block},
			cancelAfter: 30 * time.Millisecond, wantIs: context.Canceled, wantLast: "send",
			wantElapsed: 30 * time.Millisecond, wantHits: 1,
		},
		"deadline during an attempt": {
			steps:  []func(*http.Request) (*http.Response, error){block},
			wantIs: context.DeadlineExceeded, wantLast: "send", wantElapsed: 100 * time.Millisecond, wantHits: 1,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := &script{steps: tt.steps}
				c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d, random: half}})
				var ctx context.Context
				var cancel context.CancelFunc
				if tt.cancelAfter > 0 {
					ctx, cancel = context.WithCancel(context.Background())
					go func() {
						time.Sleep(tt.cancelAfter)
						cancel()
					}()
				} else {
					ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
				}
				defer cancel()
				start := time.Now()
				_, err := c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil)
				elapsed := time.Since(start)

				var ce *CanceledError
				if !errors.As(err, &ce) || !errors.Is(err, tt.wantIs) {
					t.Fatalf("Do() error = %v, want a *CanceledError matching %v", err, tt.wantIs)
				}
				var re *ResponseError
				var se *SendError
				switch tt.wantLast {
				case "response":
					if !errors.As(err, &re) {
						t.Errorf("errors.As(%v, *ResponseError) = false, want the last attempt's error", err)
					}
				case "send":
					if !errors.As(err, &se) {
						t.Errorf("errors.As(%v, *SendError) = false, want the last attempt's error", err)
					}
				}
				if elapsed != tt.wantElapsed || d.hits.Load() != tt.wantHits || ce.Attempts != int(tt.wantHits) {
					t.Errorf("elapsed %v, hits %d, attempts %d; want %v, %d, %d",
						elapsed, d.hits.Load(), ce.Attempts, tt.wantElapsed, tt.wantHits, tt.wantHits)
				}
			})
		})
	}
}

func TestSleep(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		if !sleep(context.Background(), 0) || !sleep(context.Background(), -time.Second) {
			t.Error("sleep(<=0) with a live context = false, want true")
		}
		if !sleep(context.Background(), time.Minute) || time.Since(start) != time.Minute {
			t.Errorf("sleep(1m) = false or waited %v", time.Since(start))
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if sleep(ctx, 0) || sleep(ctx, time.Hour) || time.Since(start) != time.Minute {
			t.Error("sleep with a done context waited or reported true")
		}
	})
}

// errReset stands for a connection reset: a real failure to get an answer.
var errReset = errors.New("connection reset by peer")

func reset(*http.Request) (*http.Response, error) { return nil, errReset }

// blockingTokenAuth authorizes its first calls at once and then blocks, as
// a token fetch that hangs does, until the call's context ends.
type blockingTokenAuth struct{ calls atomic.Int64 }

func (a *blockingTokenAuth) Authorize(ctx context.Context, _ *http.Request, _ string, _ time.Time) error {
	if a.calls.Add(1) == 1 {
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

// TestCanceledKeepsLastAnswer: when the context ends the call, wherever it
// cuts it (an attempt under way, the wait between attempts, the limiter,
// a token fetch), errors.As still reaches the service's last real answer,
// or, when it never answered, the last real failure to get one: never the
// error of the attempt the context cut off.
func TestCanceledKeepsLastAnswer(t *testing.T) {
	t.Parallel()
	type step = func(*http.Request) (*http.Response, error)
	tests := map[string]struct {
		steps       []step
		auth        Authorizer
		limiter     func() *Limiter
		cancelAfter time.Duration // cancel then; 0: a 2 s deadline
		wantIs      error
		wantStatus  int   // the *ResponseError errors.As must find; 0: none
		wantSend    error // what the *SendError found must wrap; nil: no *SendError
		wantHits    int64
		wantElapsed time.Duration
	}{
		"503, then an attempt cut by the deadline": {
			steps: []step{status(503, ""), block}, wantIs: context.DeadlineExceeded, wantStatus: 503,
			wantHits: 2, wantElapsed: 2 * time.Second,
		},
		"503, a reset, then an attempt cut by the deadline": {
			steps: []step{status(503, ""), reset, block}, wantIs: context.DeadlineExceeded, wantStatus: 503,
			wantHits: 3, wantElapsed: 2 * time.Second,
		},
		"a reset, then an attempt cut by the deadline: the reset": {
			steps: []step{reset, block}, wantIs: context.DeadlineExceeded, wantSend: errReset,
			wantHits: 2, wantElapsed: 2 * time.Second,
		},
		"the first attempt cut by the deadline: its own error": {
			steps: []step{block}, wantIs: context.DeadlineExceeded, wantSend: context.DeadlineExceeded,
			wantHits: 1, wantElapsed: 2 * time.Second,
		},
		"503, a reset, then cancelled during the wait": {
			steps: []step{status(503, ""), reset}, cancelAfter: time.Second, wantIs: context.Canceled, wantStatus: 503,
			wantHits: 2, wantElapsed: time.Second,
		},
		"503, a reset, then the limiter's slot is past the deadline": {
			steps: []step{status(503, ""), reset},
			limiter: func() *Limiter {
				l, err := NewLimiter(0.1, 2) // two at once, then one every 10 s
				mustNoErr(t, err)
				return l
			},
			wantIs: context.DeadlineExceeded, wantStatus: 503, wantHits: 2, wantElapsed: 1500 * time.Millisecond,
		},
		"503, then a token fetch cut by the deadline": {
			steps: []step{status(503, "")}, auth: &blockingTokenAuth{}, wantIs: context.DeadlineExceeded, wantStatus: 503,
			wantHits: 1, wantElapsed: 2 * time.Second,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := &script{steps: tt.steps}
				s := Settings{HTTPClient: d, random: half}
				if tt.limiter != nil {
					s.Limiter = tt.limiter()
				}
				c := newClient(t, Config{Endpoint: "https://example.com", Auth: tt.auth, Settings: s})
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				if tt.cancelAfter > 0 {
					ctx, cancel = context.WithCancel(context.Background())
					time.AfterFunc(tt.cancelAfter, cancel)
				}
				defer cancel()
				start := time.Now()
				_, err := c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil)

				var ce *CanceledError
				if !errors.As(err, &ce) || !errors.Is(err, tt.wantIs) {
					t.Fatalf("Do() error = %v, want a *CanceledError matching %v", err, tt.wantIs)
				}
				var re *ResponseError
				if got := errors.As(err, &re); got != (tt.wantStatus != 0) || (got && re.StatusCode != tt.wantStatus) {
					t.Errorf("errors.As(%v, *ResponseError) = %v, want the last answer, status %d", err, got, tt.wantStatus)
				}
				var se *SendError
				if got := errors.As(err, &se); got != (tt.wantSend != nil) || (got && !errors.Is(se, tt.wantSend)) {
					t.Errorf("errors.As(%v, *SendError) = %v, want one wrapping %v", err, got, tt.wantSend)
				}
				got := []any{d.hits.Load(), ce.Attempts, time.Since(start)}
				want := []any{tt.wantHits, int(tt.wantHits), tt.wantElapsed}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("hits, attempts, elapsed (-want +got):\n%s", diff)
				}
			})
		})
	}
}
