package fakecloud

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"time"
)

// FaultKind says what an injected [Fault] does to a request.
type FaultKind int

// The fault kinds.
const (
	// Throttle answers with the service's own throttling error:
	// Route 53 Profiles 400 ThrottlingException, Customer Profiles 429
	// ThrottlingException, Identity Center and IAM 429 APIGW.0308, DNS 403
	// DNS.0014; for the credential hosts STS 400 Throttling, the SSO portal
	// 429 TooManyRequestsException, SSO OIDC 400 SlowDownException, IMDS
	// and the container endpoint 429.
	Throttle FaultKind = iota + 1
	// ServerError answers with Fault.Status (default 503) and the service's
	// error body for that status (DNS: 409 is DNS.0021, the lock conflict).
	ServerError
	// Reset closes the connection without any response, with a TCP reset
	// where the connection allows it. The client sees a transport error.
	Reset
	// Slow waits Fault.Delay, then serves the request normally. The wait ends
	// early when the request's context does, and then nothing is written.
	Slow
)

// String returns the kind's name.
func (k FaultKind) String() string {
	switch k {
	case Throttle:
		return "Throttle"
	case ServerError:
		return "ServerError"
	case Reset:
		return "Reset"
	case Slow:
		return "Slow"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault makes the next requests for one operation fail. See [Cloud.Inject].
type Fault struct {
	Kind FaultKind
	// Count is how many requests the fault applies to; zero or less means one.
	Count int
	// RetryAfter, when positive, is sent as a Retry-After header (whole
	// seconds, rounded up) with Throttle and ServerError answers.
	RetryAfter time.Duration
	// Status is the HTTP status of a ServerError answer; zero means 503.
	Status int
	// Delay is waited before the fault acts, whatever its kind; for Slow it
	// is the whole point. The wait uses real timers (testing/synctest makes
	// them instant) and ends when the request's context ends.
	Delay time.Duration
}

// Inject queues f for operation op (one of the Op* constants). Faults apply
// in the order they were injected, each to the next f.Count requests for op
// that the Cloud routes, before those requests are authenticated. A request a
// fault applied to still counts in [Cloud.Requests].
//
// A Reset on a reused keep-alive connection can make Go's http.Transport
// replay the request by itself if the method is GET, HEAD, OPTIONS or TRACE:
// one client call then meets the fault twice.
func (c *Cloud) Inject(op string, f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.faults[op] = append(c.faults[op], f)
}

// takeFault returns the fault that applies to the next request for op and
// uses one of its counts. c.mu must be held.
func (c *Cloud) takeFault(op string) (Fault, bool) {
	q := c.faults[op]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0]
	if q[0].Count--; q[0].Count == 0 {
		q = q[1:]
	}
	if len(q) == 0 {
		delete(c.faults, op)
	} else {
		c.faults[op] = q
	}
	return f, true
}

// applyFault acts out f on k. It returns true when the request should then be
// served normally (Slow, or an unknown kind), false when a response (or
// none, for Reset or an ended context) has been decided.
func (c *Cloud) applyFault(k *call, f Fault) bool {
	if f.Delay > 0 && !wait(k.r.Context(), f.Delay) {
		return false
	}
	switch f.Kind {
	case Throttle:
		setRetryAfter(k, f.RetryAfter)
		k.throttled()
	case ServerError:
		setRetryAfter(k, f.RetryAfter)
		status := f.Status
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		k.serverError(status)
	case Reset:
		resetConnection(k.w)
	default:
		return true
	}
	return false
}

// wait blocks for d or until ctx ends; it reports whether d elapsed.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func setRetryAfter(k *call, d time.Duration) {
	if d <= 0 {
		return
	}
	secs := (d + time.Second - 1) / time.Second
	k.w.Header().Set("Retry-After", strconv.FormatInt(int64(secs), 10))
}

// resetConnection drops the connection under w without writing a response.
// On a TCP connection it sets SO_LINGER to 0 so that closing sends RST: the
// client sees "connection reset by peer" rather than a clean EOF. Where the
// connection cannot be hijacked (HTTP/2, httptest.ResponseRecorder) it
// panics with http.ErrAbortHandler, which net/http servers take as "abort
// this response" without logging a stack.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // best effort: without it the client sees EOF, still a failure
	}
	conn.Close()
}

// throttled answers with the service's throttling error.
func (k *call) throttled() {
	if k.host != "" {
		k.hostThrottled()
		return
	}
	switch k.svc {
	case Route53Profiles:
		// Route 53 Profiles errors carry no httpError trait: Smithy's
		// default for a client error is 400 (aws.md §1.2).
		k.awsError(http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
	case CustomerProfiles:
		k.awsError(http.StatusTooManyRequests, "ThrottlingException", "Rate exceeded")
	case HuaweiDNS, OTCDNS:
		k.dnsError(http.StatusForbidden, "DNS.0014", "Request forbidden by flow control.")
	case HuaweiMetadata, HuaweiPodIdentity:
		k.credentialServiceError(http.StatusTooManyRequests)
	default:
		k.apigwError(http.StatusTooManyRequests, "APIGW.0308",
			"The throttling threshold has been reached: policy user over ratelimit,limit:100,time:1 minute")
	}
}

// serverError answers with status and the service's error body for it.
func (k *call) serverError(status int) {
	if k.host != "" {
		k.hostServerError(status)
		return
	}
	switch k.svc {
	case Route53Profiles:
		// Route 53 Profiles models no server error; these are the AWS
		// common errors for 500 and 503.
		if status == http.StatusServiceUnavailable {
			k.awsError(status, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
			return
		}
		k.awsError(status, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.")
	case CustomerProfiles:
		k.awsError(status, "InternalServerException", "An internal error occurred.")
	case HuaweiDNS, OTCDNS:
		switch status {
		case http.StatusConflict:
			k.dnsError(status, "DNS.0021", "Could not acquire the lock, please try again later.")
		case http.StatusInternalServerError:
			k.dnsError(status, "DNS.0001", "Internal error.")
		default:
			k.dnsError(status, "DNS.0000", "The system is busy. Try again later.")
		}
	case HuaweiIAM, OTCIAM:
		if k.isIAMV30() {
			k.iamV30Error(status)
			return
		}
		k.keystoneError(status, "The service is temporarily unavailable.")
	case HuaweiMetadata, HuaweiPodIdentity:
		k.credentialServiceError(status)
	default:
		// APIGW.0601 is the documented 500; APIGW.0201 covers the
		// documented 502 and 504 and is used for any other status too.
		switch status {
		case http.StatusInternalServerError:
			k.apigwError(status, "APIGW.0601", "Internal server error")
		case http.StatusGatewayTimeout:
			k.apigwError(status, "APIGW.0201", "Backend timeout")
		default:
			k.apigwError(status, "APIGW.0201", "Backend unavailable")
		}
	}
}
