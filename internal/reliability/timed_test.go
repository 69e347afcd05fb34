package reliability

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/transport"
)

// scripted is an in-memory Doer that answers each attempt with respond.
// Under testing/synctest it lets the transport's real timers (attempt
// timeouts, backoff, Retry-After, deadlines) run on the bubble's fake clock.
type scripted struct {
	respond func(n int, req *http.Request) (*http.Response, error)

	mu sync.Mutex
	n  int
}

func (s *scripted) Do(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.n++
	n := s.n
	s.mu.Unlock()
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return s.respond(n, req)
}

func (s *scripted) attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// answer builds a response with a known length, as net/http would.
func answer(req *http.Request, status int, h http.Header, body []byte) *http.Response {
	if h == nil {
		h = http.Header{}
	}
	return &http.Response{StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Body: bodyOf(body),
		ContentLength: int64(len(body)), Request: req}
}

// errResp is the operation's error answer with an optional Retry-After.
func (o *operation) errResp(req *http.Request, status int, code, retryAfter string) *http.Response {
	h, b := o.errorAnswer(status, code, "injected by the reliability suite")
	if retryAfter != "" {
		h.Set("Retry-After", retryAfter)
	}
	return answer(req, status, h, b)
}

func (o *operation) okResp(req *http.Request) *http.Response {
	return answer(req, o.okStatus, http.Header{"Content-Type": {"application/json"}}, []byte(o.okBody))
}

// trickle is a body that yields one byte a second until the request's
// context ends.
type trickle struct {
	ctx  context.Context
	left int
}

func (b *trickle) Read(p []byte) (int, error) {
	if b.left == 0 {
		return 0, io.EOF
	}
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-b.ctx.Done():
		return 0, b.ctx.Err()
	case <-t.C:
	}
	b.left--
	p[0] = ' '
	return 1, nil
}

func (b *trickle) Close() error { return nil }

// timedFault is a fault whose outcome depends on time: Retry-After, backoff,
// attempt timeouts and deadlines, checked exactly on the fake clock.
type timedFault struct {
	name string
	// policy and attemptTimeout replace the defaults of timedPolicy.
	policy         *transport.RetryPolicy
	attemptTimeout time.Duration
	deadline       time.Duration // 0: 30 s
	respond        func(o *operation, n int, req *http.Request) (*http.Response, error)
	want           func(o *operation) outcome
	// The call must end within [minElapsed, maxElapsed] of fake time.
	minElapsed, maxElapsed time.Duration
	// noDeadline: the call's context is context.Background(), so only the
	// transport's default call timeout bounds it.
	noDeadline bool
	// lastAnswer: errors.As must still find the service's *ResponseError
	// with this status in the error; 0: not checked.
	lastAnswer int
}

// timedPolicy: at most 3 attempts, backoff up to 100 ms then 200 ms, a
// Retry-After honoured up to 5 s.
func timedPolicy() transport.RetryPolicy {
	return transport.RetryPolicy{MaxAttempts: 3, BaseDelay: 100 * time.Millisecond, MaxBackoff: time.Second,
		MaxRetryAfter: 5 * time.Second}
}

// jitterMax is the most backoff two retries of timedPolicy can wait.
const jitterMax = 300 * time.Millisecond

func timedFaults() []timedFault {
	var out []timedFault
	// Retry-After in every form, with 429 (throttling) and 503.
	type ra struct {
		name     string
		value    func() string
		min, max time.Duration
	}
	forms := []ra{
		{"seconds", func() string { return "2" }, 4 * time.Second, 4 * time.Second},
		{"HTTP-date", func() string { return time.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat) }, 6 * time.Second, 6 * time.Second},
		{"asctime date", func() string { return time.Now().Add(3 * time.Second).UTC().Format(time.ANSIC) }, 6 * time.Second, 6 * time.Second},
		{"negative", func() string { return "-7" }, 0, jitterMax},
		{"date in the past", func() string { return time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat) }, 0, jitterMax},
		{"an hour (capped at MaxRetryAfter)", func() string { return "3600" }, 10 * time.Second, 10 * time.Second},
		// Past a day, or past int64, a Retry-After is absurd: ignored.
		{"overflowing number (ignored)", func() string { return "1000000000000000000000000000000" }, 0, jitterMax},
		{"far-future date (ignored)", func() string { return "Fri, 31 Dec 9999 23:59:59 GMT" }, 0, jitterMax},
		{"malformed number", func() string { return "1.5" }, 0, jitterMax},
		{"malformed text", func() string { return "soon" }, 0, jitterMax},
		{"malformed date", func() string { return "Mon, 32 Foo 2000 25:61:61 GMT" }, 0, jitterMax},
	}
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		for _, f := range forms {
			out = append(out, timedFault{
				name: strconv.Itoa(status) + " Retry-After " + f.name,
				respond: func(o *operation, _ int, req *http.Request) (*http.Response, error) {
					return o.errResp(req, status, codeFor(o, status), f.value()), nil
				},
				want: func(o *operation) outcome {
					return outcome{Kind: "response", Attempts: 3, Status: status, Code: codeFor(o, status)}
				},
				minElapsed: f.min, maxElapsed: f.max,
			})
		}
	}
	storm := transport.RetryPolicy{MaxAttempts: 1000, BaseDelay: 100 * time.Millisecond, MaxBackoff: time.Second,
		MaxRetryAfter: 5 * time.Second}
	out = append(out,
		timedFault{
			name: "Retry-After longer than the time left", deadline: 4 * time.Second,
			respond: func(o *operation, _ int, req *http.Request) (*http.Response, error) {
				return o.errResp(req, 503, o.unavailableCode, "5"), nil
			},
			// The retry could not happen in time: the answer is reported at once.
			want: func(o *operation) outcome {
				return outcome{Kind: "response", Attempts: 1, Status: 503, Code: o.unavailableCode}
			},
		},
		timedFault{
			name: "503 storm longer than the deadline (Retry-After 1)", policy: &storm, deadline: 5 * time.Second,
			respond: func(o *operation, _ int, req *http.Request) (*http.Response, error) {
				return o.errResp(req, 503, o.unavailableCode, "1"), nil
			},
			// Attempts at 0, 1, 2, 3 and 4 s; a wait to 5 s would meet the deadline.
			want: func(o *operation) outcome {
				return outcome{Kind: "response", Attempts: 5, Status: 503, Code: o.unavailableCode}
			},
			minElapsed: 4 * time.Second, maxElapsed: 4 * time.Second,
		},
		timedFault{
			name: "503 storm longer than the deadline (backoff)", policy: &storm, deadline: 5 * time.Second,
			respond: func(o *operation, _ int, req *http.Request) (*http.Response, error) {
				return o.errResp(req, 503, o.unavailableCode, ""), nil
			},
			want:       nil, // checked by stormOutcome: the attempt count depends on jitter
			maxElapsed: 5 * time.Second,
		},
		timedFault{
			name: "throttling code with its documented status",
			respond: func(o *operation, _ int, req *http.Request) (*http.Response, error) {
				return o.errResp(req, o.throttleStatus, o.throttleCode, ""), nil
			},
			want: func(o *operation) outcome {
				return outcome{Kind: "response", Attempts: 3, Status: o.throttleStatus, Code: o.throttleCode}
			},
			maxElapsed: jitterMax,
		},
		timedFault{
			name: "throttled twice, then success",
			respond: func(o *operation, n int, req *http.Request) (*http.Response, error) {
				if n < 3 {
					return o.errResp(req, o.throttleStatus, o.throttleCode, ""), nil
				}
				return o.okResp(req), nil
			},
			want:       func(o *operation) outcome { return outcome{Kind: "ok", Attempts: 3, Status: o.okStatus} },
			maxElapsed: jitterMax,
		},
		timedFault{
			name: "client error with the same status is not retried",
			respond: func(o *operation, _ int, req *http.Request) (*http.Response, error) {
				return o.errResp(req, o.throttleStatus, invalidCode(o), "1"), nil
			},
			want: func(o *operation) outcome {
				return outcome{Kind: "response", Attempts: 1, Status: o.throttleStatus, Code: invalidCode(o)}
			},
		},
		timedFault{
			name: "body trickles one byte a second", attemptTimeout: 3 * time.Second,
			respond: func(o *operation, _ int, req *http.Request) (*http.Response, error) {
				r := o.okResp(req)
				r.ContentLength = 100
				r.Body = &trickle{ctx: req.Context(), left: 100}
				return r, nil
			},
			want:       func(*operation) outcome { return outcome{Kind: "send", Attempts: 3} },
			minElapsed: 9 * time.Second, maxElapsed: 9*time.Second + jitterMax,
		},
		timedFault{
			name: "headers never come", attemptTimeout: 3 * time.Second,
			respond: func(_ *operation, _ int, req *http.Request) (*http.Response, error) {
				<-req.Context().Done()
				return nil, req.Context().Err()
			},
			want:       func(*operation) outcome { return outcome{Kind: "send", Attempts: 3} },
			minElapsed: 9 * time.Second, maxElapsed: 9*time.Second + jitterMax,
		},
		timedFault{
			name: "body trickles, no deadline and no attempt timeout", noDeadline: true,
			respond: func(o *operation, _ int, req *http.Request) (*http.Response, error) {
				r := o.okResp(req)
				r.ContentLength = -1
				r.Body = &trickle{ctx: req.Context(), left: 1 << 20}
				return r, nil
			},
			// 12 days at one byte a second; the default call timeout ends it.
			want:       func(*operation) outcome { return outcome{Kind: "canceled", Attempts: 1} },
			minElapsed: transport.DefaultCallTimeout, maxElapsed: transport.DefaultCallTimeout,
		},
		timedFault{
			name: "headers never come, no attempt timeout", deadline: 5 * time.Second,
			respond: func(_ *operation, _ int, req *http.Request) (*http.Response, error) {
				<-req.Context().Done()
				return nil, req.Context().Err()
			},
			want:       func(*operation) outcome { return outcome{Kind: "canceled", Attempts: 1} },
			minElapsed: 5 * time.Second, maxElapsed: 5 * time.Second,
		},
		timedFault{
			name: "503, then headers never come until the deadline", deadline: 5 * time.Second,
			respond: func(o *operation, n int, req *http.Request) (*http.Response, error) {
				if n == 1 {
					return o.errResp(req, 503, o.unavailableCode, ""), nil
				}
				<-req.Context().Done()
				return nil, req.Context().Err()
			},
			// The deadline cuts the second attempt: the 503 is not lost.
			want:       func(*operation) outcome { return outcome{Kind: "canceled", Attempts: 2} },
			minElapsed: 5 * time.Second, maxElapsed: 5 * time.Second, lastAnswer: 503,
		},
	)
	return out
}

// codeFor is the code an operation's service sends with status.
func codeFor(o *operation, status int) string {
	if status == http.StatusTooManyRequests {
		return o.throttleCode
	}
	return o.unavailableCode
}

// invalidCode is a documented client-error code sent with the same status
// as the service's throttling, which must not be retried.
func invalidCode(o *operation) string {
	switch o.name {
	case "route53profiles":
		return "ValidationException"
	case "customerprofiles":
		return "BadRequestException"
	case "identitycenter":
		return "APIGW.0302" // access denied, sent with 403 by the gateway; here with 429's status
	}
	return "DNS.1802" // policy denied, 403 like DNS.0014
}

// TestTimedFaults runs every operation against Retry-After in every form,
// 503 storms, throttling codes with unusual statuses, a body that trickles
// one byte a second and headers that never come, on synctest's fake clock:
// attempt counts and elapsed time are checked exactly, with no real sleep.
func TestTimedFaults(t *testing.T) {
	t.Parallel()
	for _, f := range timedFaults() {
		for _, o := range operations() {
			t.Run(f.name+"/"+o.col, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) { runTimedFault(t, f, o) })
				figures.fault("2 timed faults (synctest, fake clock)", f.name, o.col)
			})
		}
	}
}

func runTimedFault(t *testing.T, f timedFault, o *operation) {
	doer := &scripted{respond: func(n int, req *http.Request) (*http.Response, error) { return f.respond(o, n, req) }}
	p := timedPolicy()
	if f.policy != nil {
		p = *f.policy
	}
	c, err := o.client("https://127.0.0.1:1"+string(o.svc),
		transport.Settings{HTTPClient: doer, Retry: p, AttemptTimeout: f.attemptTimeout})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	deadline := f.deadline
	if deadline == 0 {
		deadline = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	if f.noDeadline {
		ctx, deadline = context.Background(), transport.DefaultCallTimeout
	}
	start := time.Now()
	_, meta, err := c.call(ctx, o.input(0))
	elapsed := time.Since(start)
	got := classify(t, meta, err)

	if f.want == nil {
		// A storm without Retry-After: it ends at the deadline, with the
		// service's answer or the deadline error, never later.
		if got.Kind != "response" && !(got.Kind == "canceled" && errors.Is(err, context.DeadlineExceeded)) {
			t.Errorf("outcome = %+v (%v), want the 503 or the deadline", got, err)
		}
		if got.Attempts < 2 || got.Attempts > p.MaxAttempts || got.Attempts != doer.attempts() {
			t.Errorf("attempts = %d, doer saw %d", got.Attempts, doer.attempts())
		}
	} else {
		if d := cmp.Diff(f.want(o), got); d != "" {
			t.Errorf("outcome mismatch (-want +got):\n%s\nerror: %v", d, err)
		}
		if want := f.want(o).Attempts; doer.attempts() != want {
			t.Errorf("doer saw %d attempts, want %d", doer.attempts(), want)
		}
	}
	if f.noDeadline && !errors.Is(err, transport.ErrCallTimeout) {
		t.Errorf("error %v, want transport.ErrCallTimeout", err)
	}
	var re *transport.ResponseError
	if f.lastAnswer != 0 && (!errors.As(err, &re) || re.StatusCode != f.lastAnswer || !errors.Is(err, context.DeadlineExceeded)) {
		t.Errorf("error %v: want the deadline and, through errors.As, the service's last answer (%d)", err, f.lastAnswer)
	}
	if elapsed < f.minElapsed || elapsed > f.maxElapsed {
		t.Errorf("call took %v of fake time, want %v to %v", elapsed, f.minElapsed, f.maxElapsed)
	}
	if elapsed > deadline {
		t.Errorf("call took %v, past its %v deadline", elapsed, deadline)
	}
	checkErrorText(t, err)
}
