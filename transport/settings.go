package transport

import (
	"net/http"
	"reflect"
	"time"
)

// Doer sends one HTTP request; *http.Client satisfies it. A Doer given to
// detach must not follow redirects on its own: an *http.Client is copied with
// redirects turned off, any other Doer is trusted to behave.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// DefaultMaxResponseBytes bounds a success body. The operations here answer
// with a few hundred bytes; a body past the bound is an error, not read whole.
const DefaultMaxResponseBytes = 1 << 20

// maxErrorBodyBytes bounds an error body: enough for any documented error.
const maxErrorBodyBytes = 64 << 10

// Settings are what a call may change. Service packages fill them from their
// Options, per client and per call.
type Settings struct {
	// HTTPClient sends the requests; nil: a client built by DefaultHTTPClient.
	HTTPClient Doer
	Retry      RetryPolicy
	// AttemptTimeout bounds each attempt (connect, headers and body); 0: only
	// the context (or CallTimeout) bounds it. An attempt that times out is
	// retried.
	AttemptTimeout time.Duration
	// CallTimeout bounds a whole call (every attempt, the waits between
	// them, the limiter and any token fetch) whose context has no deadline;
	// the context's deadline, when it has one, wins. 0: DefaultCallTimeout
	// (5 minutes) when AttemptTimeout is 0 too, and no bound when it is set
	// (the attempts then bound the call). Negative: no bound at all, for a
	// caller who bounds calls in some other way. A call that runs out of
	// time ends with a *CanceledError whose Err is ErrCallTimeout.
	CallTimeout time.Duration
	// Logger gets one Debug record per attempt; nil: silent. A
	// *slog.Logger is the usual value; see Logger.
	Logger Logger
	// LogBodies adds request and response bodies (truncated to 4 KiB) to the
	// Debug records. Bodies marked sensitive are never logged.
	LogBodies bool
	// Now is the clock used for signing; nil: time.Now. The transport adds
	// the clock-skew correction it learned from the service.
	Now func() time.Time
	// MaxResponseBytes bounds a success body; 0: DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// Limiter paces every attempt of the calls that carry it; nil: no
	// pacing. Set it once per client (or share one between clients that
	// draw on the same quota); see NewLimiter.
	Limiter *Limiter

	// random returns jitter in [0, 1); nil: math/rand/v2. Tests set it.
	random func() float64
}

func (s Settings) withDefaults(fallback Doer) Settings {
	if s.HTTPClient == nil {
		s.HTTPClient = fallback
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.MaxResponseBytes <= 0 {
		s.MaxResponseBytes = DefaultMaxResponseBytes
	}
	s.Retry = s.Retry.withDefaults()
	return s
}

// DefaultHTTPClient returns the client detach uses when none is given: a
// clone of http.DefaultTransport (so HTTPS_PROXY and friends keep working),
// TLS verification on, bounded dial, handshake and header waits, and
// redirects never followed.
func DefaultHTTPClient() *http.Client {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	}
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = 60 * time.Second
	t.ExpectContinueTimeout = time.Second
	t.IdleConnTimeout = 90 * time.Second
	// Cleanup jobs call one host from many goroutines; net/http's default of
	// two idle connections per host would make them dial again and again.
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t, CheckRedirect: refuseRedirect}
}

// sameDoer reports whether two Doers are the same value. Doers of a func
// type are not comparable, and == on them would panic: such Doers are
// simply never the same.
func sameDoer(a, b Doer) bool {
	if a == nil || b == nil {
		return false
	}
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.Type() == vb.Type() && va.Comparable() && va.Equal(vb)
}

func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// withoutRedirects copies an *http.Client so it never follows redirects;
// net/http would forward X-Auth-Token and X-Security-Token to another host.
func withoutRedirects(d Doer) Doer {
	hc, ok := d.(*http.Client)
	if !ok {
		return d
	}
	if hc == nil {
		return nil // a nil *http.Client means none was given
	}
	cp := *hc
	cp.CheckRedirect = refuseRedirect
	return &cp
}
