package signer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// HuaweiCredentialsCache caches the credentials of a provider that fetches
// temporary keys (IAM federation, ECS metadata, CCE pod identity) and
// refreshes them before they expire. It is safe for concurrent use; create
// it with NewHuaweiCredentialsCache. Credentials with a zero Expires are kept
// until Invalidate.
//
// It behaves exactly as AWSCredentialsCache (the two share their code):
// refreshed 5 minutes before expiry by default, less a jitter of up to 20%
// of that, but at most half their lifetime before; one refresh for all
// concurrent callers, run detached from their cancellation and bounded by
// the fetch timeout (default 1 minute); a refresh that fails while the
// cached keys are still valid keeps them and is retried after 30 seconds;
// expired keys, and keys without an AK or SK, are never returned.
// huaweicloud-sdk-go-v3 (v0.1.207) fetches new temporary keys when a
// request finds less than 40 minutes left on them (core/auth/
// base_credentials.go, isExpired), so keys issued for less than that are
// fetched again at every request; refreshing in the background ahead of
// expiry means no request waits for a fetch or is signed with keys about
// to lapse.
type HuaweiCredentialsCache struct {
	provider HuaweiCredentialsProvider
	credCache[HuaweiCredentials]
}

// HuaweiCacheOption configures a HuaweiCredentialsCache.
type HuaweiCacheOption func(*HuaweiCredentialsCache)

// WithHuaweiCacheRefreshBefore sets how long before expiry keys are
// refreshed (default 5 minutes). Zero refreshes at expiry; a negative value
// is ignored.
func WithHuaweiCacheRefreshBefore(d time.Duration) HuaweiCacheOption {
	return func(c *HuaweiCredentialsCache) { c.setRefreshBefore(d) }
}

// WithHuaweiCacheJitter sets the fraction of the refresh window taken off at
// random for each set of keys (default 0.2), clamped to [0, 1].
func WithHuaweiCacheJitter(fraction float64) HuaweiCacheOption {
	return func(c *HuaweiCredentialsCache) { c.setJitter(fraction) }
}

// WithHuaweiCacheFetchTimeout bounds each refresh (default 1 minute). A
// value <= 0 is ignored.
func WithHuaweiCacheFetchTimeout(d time.Duration) HuaweiCacheOption {
	return func(c *HuaweiCredentialsCache) { c.setFetchTimeout(d) }
}

// WithHuaweiCacheClock sets the clock used to judge expiry (default
// time.Now); tests use it. A nil clock is ignored.
func WithHuaweiCacheClock(now func() time.Time) HuaweiCacheOption {
	return func(c *HuaweiCredentialsCache) { c.setClock(now) }
}

// WithHuaweiCacheLogger sets where failed background refreshes are reported
// (default: nowhere). A nil logger, or a typed nil, means none.
func WithHuaweiCacheLogger(l DebugLogger) HuaweiCacheOption {
	return func(c *HuaweiCredentialsCache) { c.logger = l }
}

// NewHuaweiCredentialsCache returns a cache in front of provider. A nil
// provider makes every retrieval fail.
func NewHuaweiCredentialsCache(provider HuaweiCredentialsProvider, opts ...HuaweiCacheOption) *HuaweiCredentialsCache {
	c := &HuaweiCredentialsCache{provider: provider}
	c.init("huawei", "an access key or secret key", func(h HuaweiCredentials) time.Time { return h.Expires },
		HuaweiCredentials.sourceName, func(h HuaweiCredentials) bool { return h.AccessKey != "" && h.SecretKey != "" })
	if provider != nil {
		c.fetch = provider.RetrieveHuawei
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// sourceName is Source, or a placeholder so messages always name a source.
func (c HuaweiCredentials) sourceName() string {
	if c.Source == "" {
		return "unnamed source"
	}
	return c.Source
}

// RetrieveHuawei returns the cached keys, or waits for a refresh when there
// are none or they have expired. It returns ctx.Err() if ctx ends first; the
// refresh continues for the other callers. A nil ctx is an error.
func (c *HuaweiCredentialsCache) RetrieveHuawei(ctx context.Context) (HuaweiCredentials, error) {
	if c == nil || c.provider == nil {
		return HuaweiCredentials{}, errors.New("signer: HuaweiCredentialsCache has no provider; use NewHuaweiCredentialsCache")
	}
	if err := checkContext(ctx); err != nil {
		return HuaweiCredentials{}, err
	}
	return c.retrieve(ctx)
}

// Invalidate drops the cached keys, so that the next RetrieveHuawei fetches
// new ones (for example after a service rejected them). A refresh already
// running is not stopped; its result is cached.
func (c *HuaweiCredentialsCache) Invalidate() {
	if c != nil {
		c.invalidate()
	}
}

func (c *HuaweiCredentialsCache) snapshotCreds() (HuaweiCredentials, bool) {
	if c == nil {
		return HuaweiCredentials{}, false
	}
	return c.snapshot()
}

func (c *HuaweiCredentialsCache) name() string {
	if c == nil || c.provider == nil {
		return "<nil>"
	}
	return providerName(c.provider)
}

// String names the wrapped provider and shows the cached keys with their
// secrets redacted.
func (c *HuaweiCredentialsCache) String() string {
	creds, have := c.snapshotCreds()
	return cacheString("HuaweiCredentialsCache", c.name(), creds, have)
}

// GoString is String.
func (c *HuaweiCredentialsCache) GoString() string { return c.String() }

// Format writes the redacted rendering for every verb.
func (c *HuaweiCredentialsCache) Format(f fmt.State, verb rune) { formatSafe(f, verb, c.String()) }

// LogValue renders the cache for log/slog with the secrets redacted.
func (c *HuaweiCredentialsCache) LogValue() slog.Value {
	creds, have := c.snapshotCreds()
	return cacheLogValue(c.name(), creds, have)
}

// MarshalJSON encodes the cache with the secrets redacted.
func (c *HuaweiCredentialsCache) MarshalJSON() ([]byte, error) {
	creds, have := c.snapshotCreds()
	return cacheJSON(c.name(), creds, have)
}
