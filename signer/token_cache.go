package signer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

const (
	// tokDefaultRefreshBefore: refresh this long before a token expires, so a
	// request signed just before expiry does not reach the service expired.
	tokDefaultRefreshBefore = 10 * time.Minute
	// tokDefaultFetchTimeout bounds a fetch, which runs detached from the
	// callers' contexts (see Token).
	tokDefaultFetchTimeout = time.Minute
)

// CachedTokenSource caches the token a TokenFetcher returns and fetches a
// new one when it is missing, invalidated, or about to expire. It is safe
// for concurrent use; create it with NewCachedTokenSource.
//
// A token is refreshed RefreshBefore its ExpiresAt (default 10 minutes;
// IAM tokens live 24 hours), but at most half its lifetime before, so a
// short-lived token is not re-fetched on every call. A token with a zero
// ExpiresAt is kept until Invalidate drops it.
//
// When several goroutines need a token at once, one fetch runs and all of
// them get its result. The fetch runs under a context that keeps the first
// caller's values but not its cancellation, bounded by the fetch timeout
// (default 1 minute): a caller whose context ends returns ctx.Err() at once
// while the fetch goes on for the others. A failed fetch is returned to every
// waiter and not cached; the next call tries again.
type CachedTokenSource struct {
	fetch         TokenFetcher
	refreshBefore time.Duration
	fetchTimeout  time.Duration
	now           func() time.Time

	mu        sync.Mutex
	tok       Token     // the cached token; Value is empty when there is none
	fetchedAt time.Time // when the fetch of tok started
	call      *tokCall  // the fetch in flight, if any
}

// tokCall is one fetch that several callers wait for.
type tokCall struct {
	done chan struct{} // closed when tok and err are set
	tok  Token
	err  error
}

// CachedTokenOption configures a CachedTokenSource.
type CachedTokenOption func(*CachedTokenSource)

// WithTokenRefreshBefore sets how long before expiry a token is refreshed
// (default 10 minutes). Zero refreshes at expiry; a negative value is ignored.
func WithTokenRefreshBefore(d time.Duration) CachedTokenOption {
	return func(s *CachedTokenSource) {
		if d >= 0 {
			s.refreshBefore = d
		}
	}
}

// WithTokenClock sets the clock used to judge expiry (default time.Now);
// tests use it. A nil clock is ignored.
func WithTokenClock(now func() time.Time) CachedTokenOption {
	return func(s *CachedTokenSource) {
		if now != nil {
			s.now = now
		}
	}
}

// WithTokenFetchTimeout bounds each fetch (default 1 minute). A value <= 0 is
// ignored.
func WithTokenFetchTimeout(d time.Duration) CachedTokenOption {
	return func(s *CachedTokenSource) {
		if d > 0 {
			s.fetchTimeout = d
		}
	}
}

// NewCachedTokenSource returns a source that caches the tokens fetch returns.
// A nil fetch makes every Token call fail.
func NewCachedTokenSource(fetch TokenFetcher, opts ...CachedTokenOption) *CachedTokenSource {
	s := &CachedTokenSource{
		fetch:         fetch,
		refreshBefore: tokDefaultRefreshBefore,
		fetchTimeout:  tokDefaultFetchTimeout,
		now:           time.Now,
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	return s
}

// Token returns the cached token, or waits for a fetch (starting one if none
// is running). It returns ctx.Err() if ctx ends first; the fetch continues.
// A nil ctx is a *ValidationError.
func (s *CachedTokenSource) Token(ctx context.Context) (Token, error) {
	if s == nil || s.fetch == nil {
		return Token{}, errors.New("signer: CachedTokenSource has no fetcher; use NewCachedTokenSource")
	}
	if err := checkContext(ctx); err != nil {
		return Token{}, err
	}
	s.mu.Lock()
	if s.usableLocked() {
		t := s.tok
		s.mu.Unlock()
		return t, nil
	}
	c := s.call
	if c == nil {
		if err := ctx.Err(); err != nil {
			s.mu.Unlock()
			return Token{}, err
		}
		c = &tokCall{done: make(chan struct{})}
		s.call = c
		go s.run(context.WithoutCancel(ctx), c)
	}
	s.mu.Unlock()

	select {
	case <-c.done:
		return c.tok, c.err
	case <-ctx.Done():
		return Token{}, ctx.Err()
	}
}

// usableLocked reports whether the cached token can be handed out now.
func (s *CachedTokenSource) usableLocked() bool {
	if s.tok.Value == "" {
		return false
	}
	exp := s.tok.ExpiresAt
	if exp.IsZero() {
		return true
	}
	margin := min(s.refreshBefore, exp.Sub(s.fetchedAt)/2)
	return s.now().Before(exp.Add(-max(margin, 0)))
}

// run performs one fetch and hands its result to every waiter.
func (s *CachedTokenSource) run(ctx context.Context, c *tokCall) {
	ctx, cancel := context.WithTimeout(ctx, s.fetchTimeout)
	defer cancel()
	started := s.now()
	tok, err := s.fetchRecovered(ctx)
	if err == nil && tok.Value == "" {
		err = errTokEmpty
	}
	if err != nil {
		tok, err = Token{}, fmt.Errorf("signer: fetch token: %w", err)
	}

	s.mu.Lock()
	if err == nil {
		s.tok, s.fetchedAt = tok, started
	}
	s.call = nil
	c.tok, c.err = tok, err
	close(c.done)
	s.mu.Unlock()
}

// fetchRecovered calls the fetcher, turning a panic into an error: the fetch
// runs on its own goroutine, where a panic would end the program and leave
// no caller to report it to.
func (s *CachedTokenSource) fetchRecovered(ctx context.Context) (tok Token, err error) {
	defer func() {
		if r := recover(); r != nil {
			tok, err = Token{}, errors.New("signer: token fetcher panicked")
		}
	}()
	return s.fetch(ctx)
}

// Invalidate drops the cached token if it is still rejected (compared by
// value), so that the next Token call fetches a new one. When many requests
// fail with the same expired token, the first call drops it and the rest find
// a different (or no) cached token and do nothing: one refresh, as
// gophercloud's reauthentication does.
func (s *CachedTokenSource) Invalidate(rejected Token) {
	if s == nil || rejected.Value == "" {
		return
	}
	s.mu.Lock()
	if s.tok.Value == rejected.Value {
		s.tok, s.fetchedAt = Token{}, time.Time{}
	}
	s.mu.Unlock()
}

func (s *CachedTokenSource) snapshot() (Token, time.Duration) {
	if s == nil {
		return Token{}, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tok, s.refreshBefore
}

// String describes the source with the cached token redacted.
func (s *CachedTokenSource) String() string {
	tok, rb := s.snapshot()
	return "signer.CachedTokenSource{Token:" + tok.redactedString() + " RefreshBefore:" + rb.String() + "}"
}

// GoString describes the source with the cached token redacted.
func (s *CachedTokenSource) GoString() string { return s.String() }

// Format writes the redacted rendering for every verb.
func (s *CachedTokenSource) Format(f fmt.State, verb rune) { formatSafe(f, verb, s.String()) }

// LogValue renders the source for log/slog with the cached token redacted.
func (s *CachedTokenSource) LogValue() slog.Value {
	tok, rb := s.snapshot()
	return slog.GroupValue(slog.Any("token", tok), slog.Duration("refresh_before", rb))
}

// MarshalJSON encodes the source with the cached token redacted.
func (s *CachedTokenSource) MarshalJSON() ([]byte, error) {
	tok, rb := s.snapshot()
	return json.Marshal(struct {
		Token         Token
		RefreshBefore time.Duration
	}{tok, rb})
}
