package signer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"reflect"
	"sync"
	"time"
)

// credCache is the refresh machinery shared by AWSCredentialsCache and
// HuaweiCredentialsCache: one refresh at a time for all callers, refreshed a
// margin before expiry, the old credentials kept when a refresh fails while
// they are still valid, and expired credentials never returned. The two
// public types differ only in the credential type and the messages.
type credCache[T any] struct {
	kind    string                           // "aws" or "huawei", for messages
	fetch   func(context.Context) (T, error) // the wrapped provider
	expires func(T) time.Time                // zero: never
	source  func(T) string                   // the credentials' source, for messages
	usable  func(T) bool                     // whether the keys are present
	keys    string                           // what usable looks for, for messages

	refreshBefore time.Duration
	jitter        float64
	fetchTimeout  time.Duration
	now           func() time.Time
	random        func() float64 // in [0, 1); tests replace it
	logger        DebugLogger

	mu        sync.Mutex
	creds     T // valid only when have
	have      bool
	refreshAt time.Time         // when a refresh is due; zero: never
	retryAt   time.Time         // no background refresh before this, after a failure
	call      *credCacheCall[T] // the refresh in flight, if any
}

// credCacheCall is one refresh that several callers wait for.
type credCacheCall[T any] struct {
	done  chan struct{} // closed when creds and err are set
	creds T
	err   error
}

// init sets the defaults and the functions that read T; fetch is set by the
// caller (left nil for a nil provider, which the public types refuse).
func (c *credCache[T]) init(kind, keys string, expires func(T) time.Time, source func(T) string, usable func(T) bool) {
	c.kind, c.keys, c.expires, c.source, c.usable = kind, keys, expires, source, usable
	c.refreshBefore = awsCacheDefaultRefreshBefore
	c.jitter = awsCacheDefaultJitter
	c.fetchTimeout = awsCacheDefaultFetchTimeout
	c.now = time.Now
	c.random = rand.Float64
}

// The option setters shared by the public caches' options.

func (c *credCache[T]) setRefreshBefore(d time.Duration) {
	if d >= 0 {
		c.refreshBefore = d
	}
}

func (c *credCache[T]) setJitter(fraction float64) {
	if math.IsNaN(fraction) {
		fraction = 0
	}
	c.jitter = min(max(fraction, 0), 1)
}

func (c *credCache[T]) setFetchTimeout(d time.Duration) {
	if d > 0 {
		c.fetchTimeout = d
	}
}

func (c *credCache[T]) setClock(now func() time.Time) {
	if now != nil {
		c.now = now
	}
}

// credExpired reports whether credentials expiring at exp have expired at now.
func credExpired(exp, now time.Time) bool { return !exp.IsZero() && !now.Before(exp) }

// retrieve returns the cached credentials, or waits for a refresh when there
// are none or they have expired.
func (c *credCache[T]) retrieve(ctx context.Context) (T, error) {
	var zero T
	now := c.now()
	c.mu.Lock()
	if c.have && !credExpired(c.expires(c.creds), now) {
		creds := c.creds
		if (!c.refreshAt.IsZero() && !now.Before(c.refreshAt)) && c.call == nil && !now.Before(c.retryAt) {
			c.startLocked(ctx)
		}
		c.mu.Unlock()
		return creds, nil
	}
	call := c.call
	if call == nil {
		if err := ctx.Err(); err != nil {
			c.mu.Unlock()
			return zero, err
		}
		call = c.startLocked(ctx)
	}
	c.mu.Unlock()

	select {
	case <-call.done:
		return call.creds, call.err
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// startLocked starts a refresh; c.mu is held.
func (c *credCache[T]) startLocked(ctx context.Context) *credCacheCall[T] {
	call := &credCacheCall[T]{done: make(chan struct{})}
	c.call = call
	go c.run(context.WithoutCancel(ctx), call)
	return call
}

// run performs one refresh and hands its result to every waiter.
func (c *credCache[T]) run(ctx context.Context, call *credCacheCall[T]) {
	fctx, cancel := context.WithTimeout(ctx, c.fetchTimeout)
	creds, started, now, err := c.fetchRecovered(fctx)
	cancel()

	var kept T
	c.mu.Lock()
	switch {
	case err == nil:
		c.creds, c.have = creds, true
		c.refreshAt = c.refreshTime(c.expires(creds), started)
		c.retryAt = time.Time{}
		call.creds = creds
	case c.have && !credExpired(c.expires(c.creds), now):
		// The old credentials still work: keep serving them, and give them
		// to whoever waited (a caller may have arrived just as they were
		// expiring).
		kept = c.creds
		c.retryAt = now.Add(awsCacheRetryAfterFailure)
		call.creds = kept
	default:
		call.err = fmt.Errorf("%s credentials cache: refresh failed: %w", c.kind, err)
	}
	c.call = nil
	close(call.done)
	c.mu.Unlock()

	if err != nil && call.err == nil {
		if l := awsCacheLogger(ctx, c.logger); l != nil {
			l.DebugContext(ctx, "detach: "+c.kind+" credentials refresh failed; using the cached credentials until they expire",
				"source", c.source(kept),
				"expires", c.expires(kept).UTC().Format(time.RFC3339),
				"retry_in", awsCacheRetryAfterFailure.String(),
				"error", err.Error())
		}
	}
}

// check rejects credentials that cannot be used to sign.
func (c *credCache[T]) check(creds T, now time.Time) error {
	switch exp := c.expires(creds); {
	case !c.usable(creds):
		return fmt.Errorf("%s returned credentials without %s", c.source(creds), c.keys)
	case credExpired(exp, now):
		return fmt.Errorf("%s returned credentials that expired at %s", c.source(creds), exp.UTC().Format(time.RFC3339))
	}
	return nil
}

// refreshTime is when credentials fetched at started and expiring at exp are
// due for refresh: the window less its jitter before they expire, but no
// earlier than half their lifetime.
func (c *credCache[T]) refreshTime(exp, started time.Time) time.Time {
	if exp.IsZero() {
		return time.Time{}
	}
	margin := c.refreshBefore - time.Duration(c.random()*c.jitter*float64(c.refreshBefore))
	margin = min(margin, exp.Sub(started)/2)
	return exp.Add(-max(margin, 0))
}

// fetchRecovered calls the provider and checks what it returned, reading
// the clock before and after, and turns a panic of any of them (a caller's
// provider or clock) into an error: the refresh runs on its own goroutine,
// where a panic would end the program and leave the waiters waiting. After
// a panic, now is the real clock's.
func (c *credCache[T]) fetchRecovered(ctx context.Context) (creds T, started, now time.Time, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			creds, now, err = zero, time.Now(), errors.New(c.kind+" credentials provider or clock panicked")
		}
	}()
	started = c.now()
	creds, err = c.fetch(ctx)
	now = c.now()
	if err == nil {
		err = c.check(creds, now)
	}
	return creds, started, now, err
}

// invalidate drops the cached credentials.
func (c *credCache[T]) invalidate() {
	var zero T
	c.mu.Lock()
	c.creds, c.have = zero, false
	c.refreshAt, c.retryAt = time.Time{}, time.Time{}
	c.mu.Unlock()
}

// snapshot returns the cached credentials, if any.
func (c *credCache[T]) snapshot() (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.creds, c.have
}

// awsCacheLogger returns l unless it is nil or a typed nil, whose methods
// would panic.
func awsCacheLogger(ctx context.Context, l DebugLogger) DebugLogger {
	if l == nil {
		return nil
	}
	switch v := reflect.ValueOf(l); v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan, reflect.Interface:
		if v.IsNil() {
			return nil
		}
	}
	if e, ok := l.(interface {
		Enabled(context.Context, slog.Level) bool
	}); ok && !e.Enabled(ctx, slog.LevelDebug) {
		return nil
	}
	return l
}

// providerName renders a wrapped provider without reaching its fields.
func providerName(p any) string {
	if p == nil {
		return "<nil>"
	}
	if s, ok := p.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", p)
}

// The renderings shared by the public caches: the wrapped provider's name
// and the cached credentials, whose own methods redact their secrets.

func cacheString(typ, provider string, creds fmt.Stringer, have bool) string {
	s := typ + "(" + provider
	if have {
		s += ", cached " + creds.String()
	}
	return s + ")"
}

func cacheLogValue(provider string, creds any, have bool) slog.Value {
	attrs := []slog.Attr{slog.String("provider", provider)}
	if have {
		attrs = append(attrs, slog.Any("cached", creds))
	}
	return slog.GroupValue(attrs...)
}

func cacheJSON[T any](provider string, creds T, have bool) ([]byte, error) {
	v := struct {
		Provider string
		Cached   *T `json:",omitempty"`
	}{Provider: provider}
	if have {
		v.Cached = &creds
	}
	return json.Marshal(v)
}
