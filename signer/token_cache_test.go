package signer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// tokFakeClock is a settable clock, safe for concurrent use.
type tokFakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tokFakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *tokFakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// tokCountingFetcher returns tokens "t1", "t2", ... that expire life after
// the clock's time (never when life is 0).
func tokCountingFetcher(clock func() time.Time, life time.Duration, n *atomic.Int32) TokenFetcher {
	return func(context.Context) (Token, error) {
		i := n.Add(1)
		tok := Token{Value: fmt.Sprintf("t%d", i)}
		if life != 0 {
			tok.ExpiresAt = clock().Add(life)
		}
		return tok, nil
	}
}

func TestCachedTokenSourceRefresh(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		life      time.Duration // token lifetime; 0: no expiry
		opts      []CachedTokenOption
		at        time.Duration // clock offset of the second call
		wantValue string
	}{
		{name: "cached well before expiry", life: 24 * time.Hour, at: time.Hour, wantValue: "t1"},
		{name: "cached just outside the margin", life: 24 * time.Hour, at: 24*time.Hour - 10*time.Minute - time.Nanosecond, wantValue: "t1"},
		{name: "refreshed inside the default margin", life: 24 * time.Hour, at: 24*time.Hour - 10*time.Minute, wantValue: "t2"},
		{name: "refreshed after expiry", life: 24 * time.Hour, at: 25 * time.Hour, wantValue: "t2"},
		{name: "custom margin", life: 24 * time.Hour, opts: []CachedTokenOption{WithTokenRefreshBefore(time.Hour)}, at: 23 * time.Hour, wantValue: "t2"},
		{name: "custom margin not reached", life: 24 * time.Hour, opts: []CachedTokenOption{WithTokenRefreshBefore(time.Hour)}, at: 22 * time.Hour, wantValue: "t1"},
		{name: "zero margin refreshes at expiry", life: time.Hour, opts: []CachedTokenOption{WithTokenRefreshBefore(0)}, at: time.Hour, wantValue: "t2"},
		{name: "negative margin ignored", life: 24 * time.Hour, opts: []CachedTokenOption{WithTokenRefreshBefore(-time.Hour)}, at: 24*time.Hour - 10*time.Minute, wantValue: "t2"},
		{name: "short-lived token keeps half its life", life: 10 * time.Minute, at: 5*time.Minute - time.Nanosecond, wantValue: "t1"},
		{name: "short-lived token refreshed at half life", life: 10 * time.Minute, at: 5 * time.Minute, wantValue: "t2"},
		{name: "no expiry is kept", life: 0, at: 1000 * time.Hour, wantValue: "t1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := &tokFakeClock{t: start}
			var n atomic.Int32
			s := NewCachedTokenSource(tokCountingFetcher(clock.Now, tc.life, &n), append(tc.opts, WithTokenClock(clock.Now))...)
			first, err := s.Token(t.Context())
			require.NoError(t, err)
			require.Equal(t, "t1", first.Value)

			clock.Set(start.Add(tc.at))
			got, err := s.Token(t.Context())
			require.NoError(t, err)
			if diff := cmp.Diff(tc.wantValue, got.Value); diff != "" {
				t.Errorf("token after %s (-want +got):\n%s", tc.at, diff)
			}
		})
	}
}

func TestCachedTokenSourceCaches(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	s := NewCachedTokenSource(tokCountingFetcher(time.Now, 24*time.Hour, &n))
	for range 5 {
		tok, err := s.Token(t.Context())
		require.NoError(t, err)
		if tok.Value != "t1" {
			t.Fatalf("token = %q, want t1", tok.Value)
		}
	}
	if got := n.Load(); got != 1 {
		t.Errorf("fetches = %d, want 1", got)
	}
}

// TestCachedTokenSourceSingleFetch: 100 concurrent callers share one fetch.
func TestCachedTokenSourceSingleFetch(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var n atomic.Int32
		gate := make(chan struct{})
		s := NewCachedTokenSource(func(context.Context) (Token, error) {
			n.Add(1)
			<-gate
			return Token{Value: "shared", ExpiresAt: time.Now().Add(24 * time.Hour)}, nil
		})
		const callers = 100
		results := make([]string, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				tok, err := s.Token(context.Background())
				if err != nil {
					results[i] = "error: " + err.Error()
					return
				}
				results[i] = tok.Value
			})
		}
		synctest.Wait() // every caller is now blocked waiting for the one fetch
		close(gate)
		wg.Wait()
		if got := n.Load(); got != 1 {
			t.Errorf("fetches = %d, want 1", got)
		}
		for i, r := range results {
			if r != "shared" {
				t.Errorf("caller %d got %q, want shared", i, r)
			}
		}
	})
}

// TestCachedTokenSourceFetchError: every waiter gets the error, and it is
// not cached.
func TestCachedTokenSourceFetchError(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		errIAM := errors.New("iam unavailable")
		var n atomic.Int32
		gate := make(chan struct{})
		s := NewCachedTokenSource(func(context.Context) (Token, error) {
			if n.Add(1) == 1 {
				<-gate
				return Token{}, errIAM
			}
			return Token{Value: "ok"}, nil
		})
		errs := make([]error, 10)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { _, errs[i] = s.Token(context.Background()) })
		}
		synctest.Wait()
		close(gate)
		wg.Wait()
		for i, err := range errs {
			if !errors.Is(err, errIAM) {
				t.Errorf("waiter %d: err = %v, want %v", i, err, errIAM)
			}
		}
		tok, err := s.Token(context.Background())
		require.NoError(t, err)
		if tok.Value != "ok" || n.Load() != 2 {
			t.Errorf("after a failed fetch: token %q after %d fetches, want ok after 2", tok.Value, n.Load())
		}
	})
}

// TestCachedTokenSourceWaiterCancel: a waiter whose context ends returns at
// once; the shared fetch goes on, uncancelled, for the others.
func TestCachedTokenSourceWaiterCancel(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		gate := make(chan struct{})
		var fetchCtxErr error
		s := NewCachedTokenSource(func(ctx context.Context) (Token, error) {
			<-gate
			fetchCtxErr = ctx.Err()
			return Token{Value: "fresh"}, nil
		})
		ctxA, cancelA := context.WithCancel(context.Background())
		var errA error
		var tokB Token
		var errB error
		var wg sync.WaitGroup
		wg.Go(func() { _, errA = s.Token(ctxA) }) // starts the fetch with its context
		synctest.Wait()
		wg.Go(func() { tokB, errB = s.Token(context.Background()) })
		synctest.Wait()

		cancelA()
		synctest.Wait()
		if !errors.Is(errA, context.Canceled) {
			t.Errorf("cancelled waiter: err = %v, want context.Canceled", errA)
		}
		close(gate)
		wg.Wait()
		require.NoError(t, errB)
		if tokB.Value != "fresh" {
			t.Errorf("other waiter: token %q, want fresh", tokB.Value)
		}
		if fetchCtxErr != nil {
			t.Errorf("fetch context was cancelled by a waiter: %v", fetchCtxErr)
		}
	})
}

// TestCachedTokenSourceFetchTimeout: a fetch that hangs is bounded.
func TestCachedTokenSourceFetchTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := NewCachedTokenSource(func(ctx context.Context) (Token, error) {
			<-ctx.Done()
			return Token{}, ctx.Err()
		}, WithTokenFetchTimeout(30*time.Second))
		start := time.Now()
		_, err := s.Token(context.Background())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d != 30*time.Second {
			t.Errorf("fetch gave up after %s, want 30s", d)
		}
	})
}

func TestCachedTokenSourceInvalidate(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	s := NewCachedTokenSource(tokCountingFetcher(time.Now, 24*time.Hour, &n))
	get := func() string {
		tok, err := s.Token(t.Context())
		require.NoError(t, err)
		return tok.Value
	}
	var got []string
	got = append(got, get())
	s.Invalidate(Token{Value: "not-the-cached-one"})
	got = append(got, get())
	s.Invalidate(Token{Value: "t1"})
	got = append(got, get())
	s.Invalidate(Token{Value: "t1"}) // stale: a concurrent 401 with the old token
	got = append(got, get())
	s.Invalidate(Token{})
	got = append(got, get())
	if diff := cmp.Diff([]string{"t1", "t1", "t2", "t2", "t2"}, got); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
}

func TestCachedTokenSourceErrors(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		s       *CachedTokenSource
		ctx     context.Context
		wantErr string
		wantIs  error
	}{
		{name: "nil source", s: nil, wantErr: "no fetcher"},
		{name: "nil fetcher", s: NewCachedTokenSource(nil), wantErr: "no fetcher"},
		{name: "zero value", s: &CachedTokenSource{}, wantErr: "no fetcher"},
		{name: "empty token", s: NewCachedTokenSource(func(context.Context) (Token, error) { return Token{}, nil }), wantErr: "empty token"},
		{name: "panicking fetcher", s: NewCachedTokenSource(func(context.Context) (Token, error) { panic("SECRET in panic") }), wantErr: "token fetcher panicked"},
		{name: "context already done", s: NewCachedTokenSource(func(context.Context) (Token, error) {
			return Token{}, errors.New("fetch must not run")
		}), ctx: cancelled, wantIs: context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := tc.ctx
			if ctx == nil {
				ctx = t.Context()
			}
			_, err := tc.s.Token(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || (tc.wantIs != nil && !errors.Is(err, tc.wantIs)) {
				t.Fatalf("err = %v, want %q / errors.Is %v", err, tc.wantErr, tc.wantIs)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error leaks the panic value: %v", err)
			}
		})
	}
}
