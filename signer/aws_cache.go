package signer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

const (
	// awsCacheDefaultRefreshBefore is how long before expiry credentials are
	// refreshed. aws-sdk-go-v2's CredentialsCache defaults to no window at
	// all (aws/credential_cache.go, v1.48.0), so a request may be signed with
	// credentials that expire before it reaches the service; its container
	// provider uses 5 minutes, and botocore starts refreshing 15 minutes
	// ahead. Five minutes leaves room for a slow request, a few retries and
	// the clock skew AWS tolerates, and still refreshes 15-minute STS
	// sessions (the shortest) only once per 10 minutes.
	awsCacheDefaultRefreshBefore = 5 * time.Minute
	// awsCacheDefaultJitter spreads the refreshes of processes that started
	// together over the last fifth of the window (4 to 5 minutes before
	// expiry), so a fleet does not call STS in one burst. The formula is the
	// SDK's: the window shrinks by rand × fraction × window.
	awsCacheDefaultJitter = 0.2
	// awsCacheDefaultFetchTimeout bounds a refresh, which runs detached from
	// the callers' contexts.
	awsCacheDefaultFetchTimeout = time.Minute
	// awsCacheRetryAfterFailure is how long a failed refresh is not tried
	// again while the cached credentials are still valid, so a broken
	// source is not called on every request.
	awsCacheRetryAfterFailure = 30 * time.Second
)

// DebugLogger receives debug records; *slog.Logger satisfies it, as does
// transport.Logger. Args alternate keys and values, as slog takes them.
type DebugLogger interface {
	DebugContext(ctx context.Context, msg string, args ...any)
}

// AWSCredentialsCache caches the credentials of a provider that fetches
// temporary credentials (STS, SSO, a container endpoint, instance metadata,
// a process) and refreshes them before they expire. It is safe for
// concurrent use; create it with NewAWSCredentialsCache. Credentials with a
// zero Expires are kept until Invalidate.
//
// Refresh: credentials are refreshed RefreshBefore their expiry (default 5
// minutes, less a random jitter of up to 20% of it), but at most half their
// lifetime before, so short-lived credentials are not fetched on every call.
// While a refresh is due but the cached credentials have not expired, callers
// get the cached credentials at once and one refresh runs in the background.
// When there are no credentials, or they have expired, callers wait for the
// refresh. Either way one refresh runs for all concurrent callers. It runs
// under a context that keeps the first caller's values but not its
// cancellation, bounded by the fetch timeout (default 1 minute): a caller
// whose context ends returns at once with ctx.Err() and the refresh goes on.
//
// Failure: a refresh that fails while the cached credentials are still
// valid keeps them, logs the failure to the logger (if any) and is tried
// again after 30 seconds. Otherwise the error goes to every waiter and
// nothing is cached. Credentials that have expired are never returned, and
// neither are credentials that a provider returns already expired or
// without a key.
type AWSCredentialsCache struct {
	provider AWSCredentialsProvider
	credCache[AWSCredentials]
}

// AWSCacheOption configures an AWSCredentialsCache.
type AWSCacheOption func(*AWSCredentialsCache)

// WithAWSCacheRefreshBefore sets how long before expiry credentials are
// refreshed (default 5 minutes). Zero refreshes at expiry; a negative value
// is ignored.
func WithAWSCacheRefreshBefore(d time.Duration) AWSCacheOption {
	return func(c *AWSCredentialsCache) { c.setRefreshBefore(d) }
}

// WithAWSCacheJitter sets the fraction of the refresh window taken off at
// random for each set of credentials (default 0.2), clamped to [0, 1].
func WithAWSCacheJitter(fraction float64) AWSCacheOption {
	return func(c *AWSCredentialsCache) { c.setJitter(fraction) }
}

// WithAWSCacheFetchTimeout bounds each refresh (default 1 minute). A value
// <= 0 is ignored.
func WithAWSCacheFetchTimeout(d time.Duration) AWSCacheOption {
	return func(c *AWSCredentialsCache) { c.setFetchTimeout(d) }
}

// WithAWSCacheClock sets the clock used to judge expiry (default
// time.Now); tests use it. A nil clock is ignored.
func WithAWSCacheClock(now func() time.Time) AWSCacheOption {
	return func(c *AWSCredentialsCache) { c.setClock(now) }
}

// WithAWSCacheLogger sets where failed background refreshes are reported
// (default: nowhere). A nil logger, or a typed nil such as a nil
// *slog.Logger, means none.
func WithAWSCacheLogger(l DebugLogger) AWSCacheOption {
	return func(c *AWSCredentialsCache) { c.logger = l }
}

// NewAWSCredentialsCache returns a cache in front of provider. A nil
// provider makes every retrieval fail.
func NewAWSCredentialsCache(provider AWSCredentialsProvider, opts ...AWSCacheOption) *AWSCredentialsCache {
	c := &AWSCredentialsCache{provider: provider}
	c.init("aws", "an access key id or secret access key", func(a AWSCredentials) time.Time { return a.Expires }, AWSCredentials.sourceName,
		func(a AWSCredentials) bool { return a.AccessKeyID != "" && a.SecretAccessKey != "" })
	if provider != nil {
		c.fetch = provider.RetrieveAWS
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

// errAWSCacheNilContext is returned for a nil context.
var errAWSCacheNilContext = errors.New("signer: AWSCredentialsCache.RetrieveAWS: nil context")

// RetrieveAWS returns the cached credentials, or waits for a refresh when
// there are none or they have expired. It returns ctx.Err() if ctx ends
// first; the refresh continues for the other callers.
func (c *AWSCredentialsCache) RetrieveAWS(ctx context.Context) (AWSCredentials, error) {
	if c == nil || c.provider == nil {
		return AWSCredentials{}, errors.New("signer: AWSCredentialsCache has no provider; use NewAWSCredentialsCache")
	}
	if ctx == nil {
		return AWSCredentials{}, errAWSCacheNilContext
	}
	return c.retrieve(ctx)
}

// Invalidate drops the cached credentials, so that the next RetrieveAWS
// fetches new ones (for example after a service rejected them). A refresh
// already running is not stopped; its result is cached.
func (c *AWSCredentialsCache) Invalidate() {
	if c == nil {
		return
	}
	c.invalidate()
}

func (c *AWSCredentialsCache) snapshot() (AWSCredentials, bool) {
	if c == nil {
		return AWSCredentials{}, false
	}
	return c.credCache.snapshot()
}

// providerName renders the wrapped provider without reaching its fields.
func (c *AWSCredentialsCache) providerName() string {
	if c == nil || c.provider == nil {
		return "<nil>"
	}
	return providerName(c.provider)
}

// String names the wrapped provider and shows the cached credentials with
// their secrets redacted.
func (c *AWSCredentialsCache) String() string {
	creds, have := c.snapshot()
	return cacheString("AWSCredentialsCache", c.providerName(), creds, have)
}

// GoString is String.
func (c *AWSCredentialsCache) GoString() string { return c.String() }

// Format writes the redacted rendering for every verb.
func (c *AWSCredentialsCache) Format(f fmt.State, verb rune) { formatSafe(f, verb, c.String()) }

// LogValue renders the cache for log/slog with the secrets redacted.
func (c *AWSCredentialsCache) LogValue() slog.Value {
	creds, have := c.snapshot()
	return cacheLogValue(c.providerName(), creds, have)
}

// MarshalJSON encodes the cache with the secrets redacted.
func (c *AWSCredentialsCache) MarshalJSON() ([]byte, error) {
	creds, have := c.snapshot()
	return cacheJSON(c.providerName(), creds, have)
}
