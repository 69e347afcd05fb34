package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// trickle is a response body that gives one byte a second until size bytes
// are read, and fails with the request context's cause when it ends, as a
// real connection does when net/http gives up on it.
type trickle struct {
	ctx  context.Context
	left int
}

func (b *trickle) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	select {
	case <-time.After(time.Second):
	case <-b.ctx.Done():
		return 0, context.Cause(b.ctx)
	}
	b.left--
	p[0] = ' '
	return 1, nil
}

func (b *trickle) Close() error { return nil }

// trickling answers 200 with a body of size bytes at one byte a second.
func trickling(size int) func(*http.Request) (*http.Response, error) {
	return func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: &trickle{ctx: r.Context(), left: size},
			ContentLength: -1, Request: r}, nil
	}
}

type ctxKey struct{}

// TestCallTimeout: a call whose context has no deadline is bounded by
// Settings.CallTimeout (default DefaultCallTimeout) unless AttemptTimeout
// bounds its attempts; the caller's deadline wins; a negative CallTimeout
// turns the bound off. A body trickling one byte a second (12 days at the
// 1 MiB limit) shows it. All on fake time.
func TestCallTimeout(t *testing.T) {
	t.Parallel()
	type step = func(*http.Request) (*http.Response, error)
	const huge = 1 << 20
	tests := map[string]struct {
		ctx         func() (context.Context, context.CancelFunc)
		settings    Settings
		steps       []step
		wantElapsed time.Duration
		// wantErr: "" success; "timeout": ErrCallTimeout, an attempt cut;
		// "timeout, answer": ErrCallTimeout, the 503 kept; "response": the
		// *ResponseError alone; "attempts": attempt timeouts.
		wantErr  string
		wantHits int64
	}{
		"no deadline: the default bound": {
			steps: []step{trickling(huge)}, wantElapsed: DefaultCallTimeout, wantErr: "timeout", wantHits: 1,
		},
		"context.TODO: the default bound": {
			ctx:   func() (context.Context, context.CancelFunc) { return context.TODO(), func() {} },
			steps: []step{trickling(huge)}, wantElapsed: DefaultCallTimeout, wantErr: "timeout", wantHits: 1,
		},
		"a cancellable context without deadline: the default bound": {
			ctx:   func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			steps: []step{trickling(huge)}, wantElapsed: DefaultCallTimeout, wantErr: "timeout", wantHits: 1,
		},
		"a context with values: the default bound": {
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithValue(context.Background(), ctxKey{}, "v"), func() {}
			},
			steps: []step{trickling(huge)}, wantElapsed: DefaultCallTimeout, wantErr: "timeout", wantHits: 1,
		},
		"CallTimeout 30s": {
			settings: Settings{CallTimeout: 30 * time.Second},
			steps:    []step{trickling(huge)}, wantElapsed: 30 * time.Second, wantErr: "timeout", wantHits: 1,
		},
		"CallTimeout with AttemptTimeout: both apply": {
			settings: Settings{CallTimeout: 90 * time.Second, AttemptTimeout: time.Minute},
			steps:    []step{trickling(huge)}, wantElapsed: 90 * time.Second, wantErr: "timeout", wantHits: 2,
		},
		"negative CallTimeout: no bound, 10 minutes of trickle succeed": {
			settings: Settings{CallTimeout: -1},
			steps:    []step{trickling(600)}, wantElapsed: 10 * time.Minute, wantHits: 1,
		},
		"the caller's deadline wins over the default": {
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), time.Hour)
			},
			steps: []step{trickling(600)}, wantElapsed: 10 * time.Minute, wantHits: 1,
		},
		"AttemptTimeout alone: no call bound": {
			settings: Settings{AttemptTimeout: 2 * time.Minute},
			steps:    []step{trickling(huge)}, wantElapsed: 6*time.Minute + 1500*time.Millisecond, wantErr: "attempts", wantHits: 3,
		},
		"a wait cut by the bound keeps the answer": {
			settings: Settings{CallTimeout: 30 * time.Second},
			steps:    []step{status(503, "", "Retry-After", "20")}, wantElapsed: 30 * time.Second, wantErr: "timeout, answer", wantHits: 2,
		},
		"a Retry-After past the bound of a context with values returns the answer at once": {
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithValue(context.Background(), ctxKey{}, "v"), func() {}
			},
			settings: Settings{CallTimeout: 30 * time.Second},
			steps:    []step{status(503, "", "Retry-After", "20")}, wantElapsed: 20 * time.Second, wantErr: "response", wantHits: 2,
		},
		"quick success": {
			steps: []step{status(200, "{}")}, wantHits: 1,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := &script{steps: tt.steps}
				s := tt.settings
				s.HTTPClient, s.random = d, half
				c := newClient(t, Config{Endpoint: "https://example.com", Settings: s})
				ctx, cancel := context.Background(), context.CancelFunc(func() {})
				if tt.ctx != nil {
					ctx, cancel = tt.ctx()
				}
				defer cancel()
				start := time.Now()
				_, err := c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil)
				elapsed := time.Since(start)

				var ce *CanceledError
				var re *ResponseError
				var se *SendError
				switch tt.wantErr {
				case "":
					if err != nil {
						t.Errorf("Do() = %v, want success", err)
					}
				case "timeout":
					if !errors.As(err, &ce) || ce.Err != ErrCallTimeout || !errors.Is(err, ErrCallTimeout) ||
						!errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &se) {
						t.Errorf("Do() = %v, want a *CanceledError for ErrCallTimeout with the cut attempt's *SendError", err)
					}
					if err != nil && !strings.Contains(err.Error(), "CallTimeout") {
						t.Errorf("error %q does not name Settings.CallTimeout", err)
					}
				case "timeout, answer":
					if !errors.As(err, &ce) || ce.Err != ErrCallTimeout || !errors.As(err, &re) || re.StatusCode != 503 {
						t.Errorf("Do() = %v, want a *CanceledError for ErrCallTimeout with the 503", err)
					}
				case "response":
					if !errors.As(err, &re) || errors.As(err, &ce) {
						t.Errorf("Do() = %v, want the service's *ResponseError", err)
					}
				case "attempts":
					if !errors.As(err, &se) || errors.As(err, &ce) || !errors.Is(err, context.DeadlineExceeded) {
						t.Errorf("Do() = %v, want a *SendError of attempt timeouts", err)
					}
				}
				if diff := cmp.Diff([]any{tt.wantElapsed, tt.wantHits}, []any{elapsed, d.hits.Load()}); diff != "" {
					t.Errorf("elapsed, hits (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestCallTimeoutContextSeenByTheDoer: the request's context can be
// cancelled (by the bound) and keeps the caller's values; a context with
// values gets the bound as its deadline (context.WithTimeout), the pooled
// context of a Background call has none of its own.
func TestCallTimeoutContextSeenByTheDoer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		type seen struct {
			Cancellable bool
			Deadline    time.Duration // 0: none
			Value       any
		}
		var got []seen
		start := time.Now()
		d := doerFunc(func(r *http.Request) (*http.Response, error) {
			s := seen{Cancellable: r.Context().Done() != nil, Value: r.Context().Value(ctxKey{})}
			if dl, ok := r.Context().Deadline(); ok {
				s.Deadline = dl.Sub(start)
			}
			got = append(got, s)
			return reply(r, 200, "{}"), nil
		})
		c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d}})
		for _, ctx := range []context.Context{context.Background(), context.WithValue(context.Background(), ctxKey{}, "v")} {
			if _, err := c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		want := []seen{{true, 0, nil}, {true, DefaultCallTimeout, "v"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("what the request's context shows (-want +got):\n%s", diff)
		}
	})
}

// TestCallTimeoutReuse: the pooled context of a Background call is reused
// safely: a call after one that timed out gets a fresh, live bound, and
// calls after quick ones are not cut short by an old deadline.
func TestCallTimeoutReuse(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		slow := true
		d := doerFunc(func(r *http.Request) (*http.Response, error) {
			if slow {
				return trickling(1 << 20)(r)
			}
			return reply(r, 200, "{}"), nil
		})
		c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d, CallTimeout: time.Minute}})
		call := func() (time.Duration, error) {
			start := time.Now()
			_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
			return time.Since(start), err
		}
		// Quick calls reuse one context; then a slow one must still get a
		// whole minute, long after the first deadline has passed.
		slow = false
		for range 3 {
			if _, err := call(); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(2 * time.Minute)
		slow = true
		if took, err := call(); !errors.Is(err, ErrCallTimeout) || took != time.Minute {
			t.Errorf("slow call after quick ones: %v after %v, want ErrCallTimeout after 1m", err, took)
		}
		// The timed-out context is not reused: the next call is live.
		slow = false
		if took, err := call(); err != nil || took != 0 {
			t.Errorf("quick call after a timeout: %v after %v, want success at once", err, took)
		}
		slow = true
		if took, err := call(); !errors.Is(err, ErrCallTimeout) || took != time.Minute {
			t.Errorf("second slow call: %v after %v, want ErrCallTimeout after 1m", err, took)
		}
	})
}

// TestCallTimeoutOverHTTP: net/http honours the pooled context of a
// Background call: a server that never answers is given up on at the
// bound (50 ms of real time here), and the client's next call works.
func TestCallTimeoutOverHTTP(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/stall" {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		io.WriteString(w, "{}")
	})
	defer close(release)
	c := newClient(t, Config{Endpoint: srv.URL, Settings: Settings{CallTimeout: 50 * time.Millisecond}})
	for range 3 {
		if _, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/ok"}, nil); err != nil {
			t.Fatalf("quick call: %v", err)
		}
		_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/stall"}, nil)
		var ce *CanceledError
		if !errors.As(err, &ce) || !errors.Is(err, ErrCallTimeout) || ce.Attempts != 1 {
			t.Fatalf("stalled call: %v, want ErrCallTimeout after 1 attempt", err)
		}
	}
}

// TestCallTimeoutCostsNoAllocation: the default bound of a Background call
// allocates nothing (the success path is benchmarked per allocation).
func TestCallTimeoutCostsNoAllocation(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items at random")
	}
	d := &cannedDoer{body: []byte(`{}`), header: http.Header{"Content-Type": {"application/json"}}}
	allocs := func(ct time.Duration) float64 {
		c := newClient(t, Config{Endpoint: "https://example.com", Auth: nopAuth{}, Settings: Settings{HTTPClient: d, CallTimeout: ct}})
		req := &Request{Method: "DELETE", Path: "/a"}
		return testing.AllocsPerRun(200, func() {
			if _, err := c.Do(context.Background(), "Op", req, nil); err != nil {
				t.Fatal(err)
			}
		})
	}
	if on, off := allocs(0), allocs(-1); on != off {
		t.Errorf("allocations per call: %v with the default bound, %v without", on, off)
	}
}
