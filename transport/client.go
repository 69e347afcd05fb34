package transport

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/smithy-go"
)

// Version is detach's version, sent in the User-Agent.
const Version = "0.1.0"

// Config configures a Client. Service packages build it from their Options.
type Config struct {
	// Service names the API and says how its errors are decoded and
	// classified.
	Service Service
	// Endpoint is the base URL, http or https, possibly with a base path.
	Endpoint string
	// Auth signs or authorizes every attempt (a *signer.SigV4,
	// *signer.HuaweiAKSK, *signer.TokenAuth, or any Authorizer).
	Auth Authorizer
	// UserAgentApp is appended to the User-Agent ("detach/<version> ...").
	UserAgentApp string
	// Settings are the client's defaults; a call may pass its own.
	Settings Settings
}

// Client runs calls for one service and endpoint. It is safe for concurrent
// use; it keeps only the clock offset learned from the service.
type Client struct {
	service   Service
	base      *url.URL
	basePath  string // escaped, no trailing slash
	auth      Authorizer
	userAgent []string
	settings  Settings
	givenHTTP Doer         // the HTTPClient given to New, before withoutRedirects
	skew      atomic.Int64 // server time minus local time, nanoseconds
	bounds    sync.Pool    // *pooledCtx, see runBounded
}

// New validates cfg and returns a Client. It never panics.
func New(cfg Config) (*Client, error) {
	if cfg.Service.ID == "" {
		return nil, errors.New("transport: Service.ID is required")
	}
	if !cfg.Service.Protocol.valid() {
		return nil, errors.New("transport: Service.Protocol is unknown")
	}
	if cfg.Service.Protocol.decode == nil && cfg.Service.DecodeError == nil {
		return nil, errors.New("transport: Service.DecodeError is required for " + cfg.Service.Protocol.name)
	}
	if cfg.Auth == nil {
		return nil, errors.New("transport: Auth is required")
	}
	base, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if !headerValueOK(cfg.UserAgentApp) {
		return nil, errors.New("transport: UserAgentApp must not contain control characters")
	}
	ua := "detach/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if cfg.UserAgentApp != "" {
		ua += " " + cfg.UserAgentApp
	}
	c := &Client{
		service:   cfg.Service,
		base:      base,
		basePath:  strings.TrimSuffix(base.EscapedPath(), "/"),
		auth:      cfg.Auth,
		userAgent: []string{ua},
	}
	s := cfg.Settings
	c.givenHTTP = s.HTTPClient
	if s.HTTPClient = withoutRedirects(s.HTTPClient); s.HTTPClient == nil {
		s.HTTPClient = DefaultHTTPClient()
	}
	c.settings = s.withDefaults(nil)
	return c, nil
}

// headerValueOK reports whether s can be sent as a header value.
func headerValueOK(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// ParseEndpoint checks a base URL: absolute, http or https, a host, and no
// user info, query or fragment.
func ParseEndpoint(endpoint string) (*url.URL, error) {
	if endpoint == "" {
		return nil, errors.New("endpoint is empty")
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, errors.New("endpoint is not a valid URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, errors.New("endpoint must be an http or https URL")
	case u.Host == "":
		return nil, errors.New("endpoint has no host")
	case u.User != nil:
		return nil, errors.New("endpoint must not contain user info")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, errors.New("endpoint must not have a query or fragment")
	}
	return u, nil
}

// Endpoint returns the client's base URL.
func (c *Client) Endpoint() string { return c.base.String() }

// Settings returns the client's settings, for a call to change a copy.
func (c *Client) Settings() Settings { return c.settings }

// ServiceID returns the service's ID.
func (c *Client) ServiceID() string { return c.service.ID }

// ClockSkew returns the offset between the service's clock and ours that the
// client learned from a clock-skew error; zero until one happens. It is
// never more than MaxClockSkew either way.
func (c *Client) ClockSkew() time.Duration { return time.Duration(c.skew.Load()) }

// OpError wraps err as the error of operation op, naming the service:
// every error an operation returns has this form.
func (c *Client) OpError(op string, err error) error {
	return &smithy.OperationError{ServiceID: c.service.ID, OperationName: op, Err: err}
}

// Do runs one call: it sends req, retrying as the settings allow, and
// returns the 2xx response or an error wrapped by OpError. s may be nil for
// the client's settings; an s.HTTPClient that is nil or the one given to New
// means the client's own (redirect-free) copy. A nil ctx is a
// *ValidationError naming "ctx", before any request.
func (c *Client) Do(ctx context.Context, op string, req *Request, s *Settings) (*Response, error) {
	if err := CheckContext(ctx); err != nil {
		return nil, c.OpError(op, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, c.OpError(op, &CanceledError{Err: err})
	}
	if req == nil {
		return nil, c.OpError(op, errors.New("nil request"))
	}
	set := c.settings
	if s != nil {
		// The client given to New maps to the redirect-free copy made then;
		// any other is copied the same way for this call.
		hc := c.settings.HTTPClient
		if s.HTTPClient != nil && !sameDoer(s.HTTPClient, c.givenHTTP) {
			if d := withoutRedirects(s.HTTPClient); d != nil {
				hc = d
			}
		}
		set = s.withDefaults(nil)
		set.HTTPClient = hc // not s.HTTPClient: that one may follow redirects
	}
	resp, err := c.runBounded(ctx, op, req, &set)
	if err != nil {
		return nil, c.OpError(op, err)
	}
	return resp, nil
}

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func payloadSHA256(body []byte) string {
	if len(body) == 0 {
		return emptySHA256
	}
	sum := sha256.Sum256(body)
	var buf [2 * sha256.Size]byte
	hex.Encode(buf[:], sum[:])
	return string(buf[:]) // one allocation; hex.EncodeToString takes two
}

// target builds the request URL once for all attempts.
func (c *Client) target(req *Request) (*url.URL, error) {
	if !strings.HasPrefix(req.Path, "/") {
		return nil, errors.New("request path must start with /")
	}
	escaped := c.basePath + req.Path
	path := escaped
	// url.PathUnescape returns a path without '%' unchanged; looking for one
	// first skips its byte-by-byte scan for the usual IDs.
	if strings.IndexByte(escaped, '%') >= 0 {
		var err error
		if path, err = url.PathUnescape(escaped); err != nil {
			return nil, errors.New("request path is not validly escaped")
		}
	}
	u := &url.URL{Scheme: c.base.Scheme, Host: c.base.Host, Path: path, RawQuery: req.RawQuery}
	if path != escaped {
		u.RawPath = escaped
	}
	return u, nil
}

// run makes the attempts of one call; bound says how ctx carries the call
// timeout, if it does.
func (c *Client) run(ctx context.Context, op string, req *Request, set *Settings, bound boundKind) (*Response, error) {
	u, err := c.target(req)
	if err != nil {
		return nil, err
	}
	hash := payloadSHA256(req.Body)
	// At most two retries do not count against MaxAttempts: one after a
	// clock-skew correction and one after refreshing credentials.
	var skewFixed, reauthorized bool
	ordinary := 0 // attempts that count against MaxAttempts
	var last lastErrors
	for attempt := 1; ; attempt++ {
		ordinary++
		a := c.attempt(ctx, op, req, u, hash, set)
		if a.notSent {
			// The context ended, or would end, before the limiter let the
			// attempt go.
			return nil, last.canceled(ctx, bound, nil, attempt-1)
		}
		if a.err == nil {
			c.log(ctx, set, op, req, u, attempt, &a, 0)
			a.resp.Metadata.Attempts = attempt
			return a.resp, nil
		}
		if ctx.Err() != nil {
			// The context cut this attempt off: its error says only that,
			// and must not hide what the service said before. An answer
			// that came as the context ended is still an answer.
			c.log(ctx, set, op, req, u, attempt, &a, 0)
			sent := attempt
			switch e := a.err.(type) {
			case *ResponseError:
				e.Attempts = attempt
				last.answer = e
			case *AuthError:
				sent-- // cut while fetching credentials: nothing was sent
			}
			return nil, last.canceled(ctx, bound, a.err, sent)
		}
		last.see(a.err)
		// Only this call's own errors are stamped: an AuthError may wrap
		// the ResponseError of a token fetch that other calls share.
		re, isResp := a.err.(*ResponseError)
		if isResp {
			re.Attempts = attempt
		} else if se, ok := a.err.(*SendError); ok {
			se.Attempts = attempt
		}

		// Free retries: a corrected clock, or refreshed credentials.
		if isResp && !skewFixed && c.service.skewCandidate(re.Code, a.httpReq) && c.learnSkew(set, a.httpResp, a.duration) {
			skewFixed = true
			ordinary--
			c.log(ctx, set, op, req, u, attempt, &a, 0)
			continue
		}
		if isResp && !reauthorized && re.StatusCode == http.StatusUnauthorized && re.Kind == KindUnauthorized {
			if ra, ok := c.auth.(Reauthorizer); ok && ra.Reauthorize(ctx, a.httpReq) {
				reauthorized = true
				ordinary--
				c.log(ctx, set, op, req, u, attempt, &a, 0)
				continue
			}
		}

		if !a.retryable || ordinary >= set.Retry.MaxAttempts {
			c.log(ctx, set, op, req, u, attempt, &a, 0)
			return nil, a.err
		}
		var retryAfter time.Duration
		if isResp {
			retryAfter = re.RetryAfter
		}
		wait := set.Retry.backoff(ordinary, retryAfter, set.random)
		if !fitsDeadline(ctx, time.Now(), wait) {
			// The retry could not happen before the deadline: report the
			// service's answer now rather than a bare deadline error later.
			c.log(ctx, set, op, req, u, attempt, &a, 0)
			return nil, a.err
		}
		c.log(ctx, set, op, req, u, attempt, &a, wait)
		if !sleep(ctx, wait) {
			return nil, last.canceled(ctx, bound, nil, attempt)
		}
	}
}

// lastErrors keeps what a CanceledError reports as Last: the service's
// last answer, else the last real failure to get one.
type lastErrors struct {
	answer  *ResponseError
	failure error // a *SendError from an attempt the context did not cut
}

// see records the error of an attempt the context did not cut.
func (l *lastErrors) see(err error) {
	if re, ok := err.(*ResponseError); ok {
		l.answer = re
	} else {
		l.failure = err
	}
}

// canceled is the error of a call its context ended after attempts
// requests. Last is the last answer, else the last failure, else cut: the
// error of the attempt the context cut off, when nothing came before it.
func (l *lastErrors) canceled(ctx context.Context, bound boundKind, cut error, attempts int) error {
	e := &CanceledError{Err: ctxErr(ctx, bound), Last: cut, Attempts: attempts}
	switch {
	case l.answer != nil:
		e.Last = l.answer
	case l.failure != nil:
		e.Last = l.failure
	}
	return e
}

// Bounds on the clock offset the client learns (see learnSkew).
const (
	// skewThreshold is aws-sdk-go-v2's (v1.47.7, aws/retry/middleware.go
	// skewThreshold): an offset smaller than this is not why a signature
	// was rejected.
	skewThreshold = 4 * time.Minute
	// MaxClockSkew is the largest offset between the service's clock and
	// ours that the client believes. A running clock set in the wrong time
	// zone is off by at most 14 hours (UTC-12 to UTC+14); a Date further
	// off is taken for a broken or hostile server, proxy or cache, not for
	// our clock, and signing that far from the local time would only make
	// every later request fail. aws-sdk-go-v2 (v1.47.7) sets no such bound:
	// it replaces the offset with every response's, so one bad Date can move
	// it anywhere until the next response heals it.
	MaxClockSkew = 24 * time.Hour
	// maxTrustedExchange is aws-sdk-go-v2's maxTrustedRequestDuration
	// (v1.47.7, aws/middleware/middleware.go): a Date that took longer than
	// this to arrive says too little about the clocks to learn from.
	maxTrustedExchange = 15 * time.Minute
)

// learnSkew reads the server's Date from a response that may be a clock-skew
// error and keeps the offset when it differs from the one in use by more
// than skewThreshold, as aws-sdk-go-v2 does (so a later skew error corrects
// an offset learned wrongly). It learns nothing from a cached answer (Age),
// one whose exchange took longer than maxTrustedExchange, or a Date more
// than MaxClockSkew from the local clock. It reports whether the offset
// changed, that is, whether re-signing may now succeed.
func (c *Client) learnSkew(set *Settings, resp *http.Response, exchange time.Duration) bool {
	if resp == nil || exchange > maxTrustedExchange {
		return false
	}
	date := resp.Header.Get("Date")
	if date == "" || resp.Header.Get("Age") != "" {
		return false // no clock to learn from, or a cached answer
	}
	server, err := http.ParseTime(date)
	if err != nil {
		return false
	}
	measured := server.Sub(set.Now()) // saturates for a Date centuries away
	if measured < -MaxClockSkew || measured > MaxClockSkew {
		return false
	}
	current := time.Duration(c.skew.Load())
	if d := measured - current; d > -skewThreshold && d < skewThreshold {
		return false
	}
	c.skew.Store(int64(measured))
	return true
}
