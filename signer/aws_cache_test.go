package signer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// cacheProvider hands out credentials "AK1", "AK2", ... that expire life
// after the time of the fetch (never when life is 0). A fetch blocks while
// gate is set and open; fail makes the next fetches fail.
type cacheProvider struct {
	life  time.Duration
	now   func() time.Time
	n     atomic.Int32
	gate  chan struct{} // nil: do not block
	fail  atomic.Bool
	panic bool
}

func (p *cacheProvider) RetrieveAWS(ctx context.Context) (AWSCredentials, error) {
	i := p.n.Add(1)
	if p.gate != nil {
		select {
		case <-p.gate:
		case <-ctx.Done():
			return AWSCredentials{}, ctx.Err()
		}
	}
	if p.panic {
		panic("boom")
	}
	if p.fail.Load() {
		return AWSCredentials{}, errors.New("sts: http status 503: service unavailable")
	}
	now := time.Now
	if p.now != nil {
		now = p.now
	}
	c := AWSCredentials{AccessKeyID: fmt.Sprintf("AK%d", i), SecretAccessKey: "secret-" + fmt.Sprint(i),
		SessionToken: "token-" + fmt.Sprint(i), Source: "test"}
	if p.life != 0 {
		c.Expires = now().Add(p.life)
	}
	return c, nil
}

func (p *cacheProvider) String() string { return "cacheProvider" }

func noJitter(c *AWSCredentialsCache) { c.random = func() float64 { return 0 } }

func TestAWSCredentialsCacheRefreshTiming(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		life   time.Duration
		opts   []AWSCacheOption
		random float64       // the jitter draw
		at     time.Duration // time after the first fetch of the second call
		// the second call's key, and the key a third call gets once the
		// background refresh (if any) is done
		wantNow, wantAfter string
	}{
		{name: "well before expiry", life: time.Hour, at: 30 * time.Minute, wantNow: "AK1", wantAfter: "AK1"},
		{name: "just before the window", life: time.Hour, at: 55*time.Minute - time.Nanosecond, wantNow: "AK1", wantAfter: "AK1"},
		{name: "in the window: cached now, refreshed in the background", life: time.Hour, at: 55 * time.Minute, wantNow: "AK1", wantAfter: "AK2"},
		{name: "full jitter shrinks the window to 4 minutes", life: time.Hour, random: 0.999999, at: 56*time.Minute - time.Second, wantNow: "AK1", wantAfter: "AK1"},
		{name: "full jitter, inside", life: time.Hour, random: 0.999999, at: 56 * time.Minute, wantNow: "AK1", wantAfter: "AK2"},
		{name: "expired: waits for the refresh", life: time.Hour, at: time.Hour, wantNow: "AK2", wantAfter: "AK2"},
		{name: "custom window", life: time.Hour, opts: []AWSCacheOption{WithAWSCacheRefreshBefore(20 * time.Minute)}, at: 40 * time.Minute, wantNow: "AK1", wantAfter: "AK2"},
		{name: "zero window refreshes at expiry", life: time.Hour, opts: []AWSCacheOption{WithAWSCacheRefreshBefore(0)}, at: time.Hour - time.Nanosecond, wantNow: "AK1", wantAfter: "AK1"},
		{name: "negative window ignored", life: time.Hour, opts: []AWSCacheOption{WithAWSCacheRefreshBefore(-time.Hour)}, at: 55 * time.Minute, wantNow: "AK1", wantAfter: "AK2"},
		{name: "short-lived keeps half its life", life: 4 * time.Minute, at: 2*time.Minute - time.Nanosecond, wantNow: "AK1", wantAfter: "AK1"},
		{name: "short-lived refreshed at half life", life: 4 * time.Minute, at: 2 * time.Minute, wantNow: "AK1", wantAfter: "AK2"},
		{name: "no expiry is kept", life: 0, at: 1000 * time.Hour, wantNow: "AK1", wantAfter: "AK1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				p := &cacheProvider{life: tc.life}
				c := NewAWSCredentialsCache(p, tc.opts...)
				c.random = func() float64 { return tc.random }
				first, err := c.RetrieveAWS(t.Context())
				require.NoError(t, err)
				require.Equal(t, "AK1", first.AccessKeyID)

				time.Sleep(tc.at)
				got, err := c.RetrieveAWS(t.Context())
				require.NoError(t, err)
				synctest.Wait() // let a background refresh finish
				after, err := c.RetrieveAWS(t.Context())
				require.NoError(t, err)
				if diff := cmp.Diff([]string{tc.wantNow, tc.wantAfter}, []string{got.AccessKeyID, after.AccessKeyID}); diff != "" {
					t.Errorf("keys (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// The bar: 256 callers arriving during a refresh share one fetch,
// both when they must wait (nothing cached) and when they are served the
// cached credentials while the refresh runs.
func TestAWSCredentialsCacheSingleFlight(t *testing.T) {
	t.Parallel()
	const callers = 256
	for _, warm := range []bool{false, true} {
		t.Run(fmt.Sprintf("warm=%t", warm), func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				p := &cacheProvider{life: time.Hour}
				c := NewAWSCredentialsCache(p, noJitter)
				// Cold, every caller waits for the first fetch; warm, every
				// caller gets the cached AK1 while AK2 is fetched.
				const want = "AK1"
				if warm {
					_, err := c.RetrieveAWS(t.Context())
					require.NoError(t, err)
					time.Sleep(56 * time.Minute) // inside the refresh window
				}
				p.gate = make(chan struct{})
				before := p.n.Load()

				var wg sync.WaitGroup
				keys := make([]string, callers)
				errs := make([]error, callers)
				for i := range callers {
					wg.Go(func() {
						creds, err := c.RetrieveAWS(t.Context())
						keys[i], errs[i] = creds.AccessKeyID, err
					})
				}
				synctest.Wait() // every caller is waiting or has returned; the fetch is blocked
				if got := p.n.Load() - before; got != 1 {
					t.Fatalf("fetches started during the refresh = %d, want 1", got)
				}
				close(p.gate)
				wg.Wait()
				for i := range callers {
					if errs[i] != nil || keys[i] != want {
						t.Fatalf("caller %d got %q, %v; want %q", i, keys[i], errs[i], want)
					}
				}
				synctest.Wait()
				after, err := c.RetrieveAWS(t.Context())
				require.NoError(t, err)
				wantAfter := "AK1"
				if warm {
					wantAfter = "AK2"
				}
				if after.AccessKeyID != wantAfter || p.n.Load()-before != 1 {
					t.Errorf("after the refresh: %q with %d fetches, want %q with 1", after.AccessKeyID, p.n.Load()-before, wantAfter)
				}
			})
		})
	}
}

func TestAWSCredentialsCacheFailedRefresh(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		p := &cacheProvider{life: time.Hour}
		c := NewAWSCredentialsCache(p, noJitter, WithAWSCacheLogger(logger))
		_, err := c.RetrieveAWS(t.Context())
		require.NoError(t, err)

		// In the window, the source breaks: the old credentials are kept.
		p.fail.Store(true)
		time.Sleep(56 * time.Minute)
		got, err := c.RetrieveAWS(t.Context())
		synctest.Wait()
		if err != nil || got.AccessKeyID != "AK1" {
			t.Fatalf("during a failing refresh: %q, %v; want AK1", got.AccessKeyID, err)
		}
		if !strings.Contains(logs.String(), "refresh failed") || !strings.Contains(logs.String(), "service unavailable") {
			t.Errorf("the failure was not logged: %q", logs.String())
		}
		for _, secret := range []string{"secret-1", "token-1"} {
			if strings.Contains(logs.String(), secret) {
				t.Errorf("log shows %q: %s", secret, logs.String())
			}
		}

		// Not tried again for 30 seconds.
		n := p.n.Load()
		time.Sleep(29 * time.Second)
		_, _ = c.RetrieveAWS(t.Context())
		synctest.Wait()
		if p.n.Load() != n {
			t.Errorf("a refresh ran %d times within 30 s of a failure", p.n.Load()-n)
		}
		time.Sleep(time.Second)
		_, _ = c.RetrieveAWS(t.Context())
		synctest.Wait()
		if p.n.Load() != n+1 {
			t.Errorf("no refresh 30 s after a failure (fetches %d, want %d)", p.n.Load(), n+1)
		}

		// Once they expire they are never returned: the error comes back.
		time.Sleep(5 * time.Minute)
		got, err = c.RetrieveAWS(t.Context())
		if err == nil || got != (AWSCredentials{}) {
			t.Fatalf("after expiry with a failing source: %v, %v; want an error and no credentials", got, err)
		}
		if !strings.Contains(err.Error(), "refresh failed") || !strings.Contains(err.Error(), "service unavailable") {
			t.Errorf("error = %q", err)
		}

		// The source recovers.
		p.fail.Store(false)
		got, err = c.RetrieveAWS(t.Context())
		require.NoError(t, err)
		if got.AccessKeyID == "AK1" {
			t.Errorf("expired credentials returned")
		}
	})
}

func TestAWSCredentialsCacheRejects(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		creds   AWSCredentials
		wantErr string
	}{
		{"already expired", AWSCredentials{AccessKeyID: "AK", SecretAccessKey: "SK", Expires: t0, Source: "imds"},
			"imds returned credentials that expired at 2025-01-02T03:04:05Z"},
		{"no access key", AWSCredentials{SecretAccessKey: "SK", Source: "process"},
			"process returned credentials without an access key id or secret access key"},
		{"no secret", AWSCredentials{AccessKeyID: "AK"}, "unnamed source returned credentials without"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := providerFunc(func(context.Context) (AWSCredentials, error) { return tc.creds, nil })
			c := NewAWSCredentialsCache(p, WithAWSCacheClock(func() time.Time { return t0 }))
			got, err := c.RetrieveAWS(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || got != (AWSCredentials{}) {
				t.Errorf("RetrieveAWS = %v, %v; want an error containing %q", got, err, tc.wantErr)
			}
		})
	}
}

type providerFunc func(context.Context) (AWSCredentials, error)

func (f providerFunc) RetrieveAWS(ctx context.Context) (AWSCredentials, error) { return f(ctx) }

func TestAWSCredentialsCacheCallerCancel(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := &cacheProvider{life: time.Hour, gate: make(chan struct{})}
		c := NewAWSCredentialsCache(p)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() {
			_, err := c.RetrieveAWS(ctx)
			done <- err
		}()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("canceled caller got %v", err)
		}
		// The refresh went on and is cached for the next caller.
		close(p.gate)
		synctest.Wait()
		got, err := c.RetrieveAWS(t.Context())
		require.NoError(t, err)
		if got.AccessKeyID != "AK1" || p.n.Load() != 1 {
			t.Errorf("got %q after %d fetches, want AK1 after 1", got.AccessKeyID, p.n.Load())
		}
	})
}

func TestAWSCredentialsCacheFetchTimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := &cacheProvider{life: time.Hour, gate: make(chan struct{})} // never opened
		c := NewAWSCredentialsCache(p, WithAWSCacheFetchTimeout(10*time.Second))
		start := time.Now()
		_, err := c.RetrieveAWS(t.Context())
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the fetch timeout", err)
		}
		if d := time.Since(start); d != 10*time.Second {
			t.Errorf("the fetch ran %v, want 10s", d)
		}
	})
}

func TestAWSCredentialsCacheInvalidate(t *testing.T) {
	t.Parallel()
	p := &cacheProvider{life: time.Hour}
	c := NewAWSCredentialsCache(p)
	first, err := c.RetrieveAWS(t.Context())
	require.NoError(t, err)
	again, err := c.RetrieveAWS(t.Context())
	require.NoError(t, err)
	c.Invalidate()
	fresh, err := c.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if diff := cmp.Diff([]string{"AK1", "AK1", "AK2"}, []string{first.AccessKeyID, again.AccessKeyID, fresh.AccessKeyID}); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	var nilCache *AWSCredentialsCache
	nilCache.Invalidate() // must not panic
}

func TestAWSCredentialsCacheBadUse(t *testing.T) {
	t.Parallel()
	var nilCache *AWSCredentialsCache
	//lint:ignore SA1012 a nil context is what is tested
	if _, err := NewAWSCredentialsCache(&cacheProvider{}).RetrieveAWS(nil); err == nil || !strings.Contains(err.Error(), "nil context") {
		t.Errorf("nil context: %v", err)
	}
	if _, err := nilCache.RetrieveAWS(t.Context()); err == nil {
		t.Error("nil cache: no error")
	}
	if _, err := NewAWSCredentialsCache(nil).RetrieveAWS(t.Context()); err == nil {
		t.Error("nil provider: no error")
	}
	panicky := NewAWSCredentialsCache(&cacheProvider{panic: true})
	if _, err := panicky.RetrieveAWS(t.Context()); err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Errorf("panicking provider: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := NewAWSCredentialsCache(&cacheProvider{}).RetrieveAWS(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}

	// A clock that panics on the refresh goroutine, once the provider has
	// answered, is an error too, not the end of the program.
	var fetched atomic.Bool
	clock := func() time.Time {
		if fetched.Load() {
			panic("clock")
		}
		return time.Now()
	}
	panickyClock := NewAWSCredentialsCache(providerFunc(func(context.Context) (AWSCredentials, error) {
		fetched.Store(true)
		return AWSCredentials{AccessKeyID: "AK", SecretAccessKey: "s"}, nil
	}), WithAWSCacheClock(clock))
	if _, err := panickyClock.RetrieveAWS(t.Context()); err == nil || !strings.Contains(err.Error(), "clock panicked") {
		t.Errorf("panicking clock: %v", err)
	}
}

func TestAWSCredentialsCacheOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opt  AWSCacheOption
		want float64
	}{
		{WithAWSCacheJitter(0.5), 0.5},
		{WithAWSCacheJitter(-1), 0},
		{WithAWSCacheJitter(7), 1},
		{WithAWSCacheJitter(mathNaN()), 0},
	}
	for _, tc := range tests {
		if got := NewAWSCredentialsCache(nil, tc.opt).jitter; got != tc.want {
			t.Errorf("jitter = %v, want %v", got, tc.want)
		}
	}
	c := NewAWSCredentialsCache(nil, nil, WithAWSCacheClock(nil), WithAWSCacheFetchTimeout(-1))
	if c.now == nil || c.fetchTimeout != time.Minute || c.refreshBefore != 5*time.Minute {
		t.Errorf("defaults not kept: %v %v", c.fetchTimeout, c.refreshBefore)
	}
}

func mathNaN() float64 { z := 0.0; return z / z }

// A typed nil logger counts as none: its methods would panic.
func TestAWSCredentialsCacheNilLogger(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var nilLogger *slog.Logger
		p := &cacheProvider{life: time.Hour}
		c := NewAWSCredentialsCache(p, noJitter, WithAWSCacheLogger(nilLogger))
		_, err := c.RetrieveAWS(t.Context())
		require.NoError(t, err)
		p.fail.Store(true)
		time.Sleep(56 * time.Minute)
		_, err = c.RetrieveAWS(t.Context())
		synctest.Wait()
		require.NoError(t, err)
	})
}

func TestAWSCredentialsCacheRedacted(t *testing.T) {
	t.Parallel()
	const secret, token = "cache-SECRET-value", "cache-SESSION-token"
	c := NewAWSCredentialsCache(StaticAWSCredentials("AKIDEXAMPLE", secret, token))
	_, err := c.RetrieveAWS(t.Context())
	require.NoError(t, err)
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x"} {
		outs = append(outs, fmt.Sprintf(verb, c), fmt.Sprintf(verb, struct{ C *AWSCredentialsCache }{c}))
	}
	js, err := json.Marshal(c)
	require.NoError(t, err)
	outs = append(outs, string(js))
	var sb strings.Builder
	slog.New(slog.NewJSONHandler(&sb, nil)).Info("cache", "c", c)
	outs = append(outs, sb.String())
	for _, out := range outs {
		if strings.Contains(out, secret) || strings.Contains(out, token) {
			t.Errorf("a secret shows in %s", out)
		}
	}
	want := "AWSCredentialsCache(StaticAWSCredentials{AccessKeyID:AKIDEXAMPLE SecretAccessKey:[redacted] SessionToken:[redacted] Source:static}, cached {AccessKeyID:AKIDEXAMPLE SecretAccessKey:[redacted] SessionToken:[redacted] Source:static})"
	if diff := cmp.Diff(want, c.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
}
