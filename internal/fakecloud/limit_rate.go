package fakecloud

import (
	"math"
	"time"
)

// LimitRate makes the Cloud throttle operation op (one of the Op*
// constants) the way a service's API quota does: requests within rps
// requests per second, with bursts of up to burst (less than 1 means 1),
// are served; the others get the service's throttling error with its
// status (Route 53 Profiles 400 ThrottlingException, Customer Profiles 429
// ThrottlingException, Identity Center and IAM 429 APIGW.0308, DNS 403
// DNS.0014; see [Throttle]) and do not use up the quota.
//
// The rate is a token bucket measured on the emulator clock ([WithClock];
// time.Now by default, which is the fake clock inside a testing/synctest
// bubble), starting full. An rps of zero or less (or not a number) removes
// the limit. A request an injected [Fault] applies to is not counted
// against the rate. The limit, like the options of [New], stays in force
// across [Cloud.Reset].
func (c *Cloud) LimitRate(op string, rps float64, burst int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !(rps > 0) || math.IsInf(rps, 1) {
		delete(c.limits, op)
		return
	}
	if c.limits == nil {
		c.limits = map[string]*rateBucket{}
	}
	b := float64(max(burst, 1))
	c.limits[op] = &rateBucket{rate: rps, burst: b, tokens: b}
}

// rateBucket is one operation's token bucket. Cloud.mu guards it.
type rateBucket struct {
	rate, burst, tokens float64
	last                time.Time // when tokens was brought up to date; zero: never
}

// overRate reports whether a request for op at now exceeds op's limit, and
// otherwise takes its token. c.mu must be held.
func (c *Cloud) overRate(op string, now time.Time) bool {
	b := c.limits[op]
	if b == nil {
		return false
	}
	if !b.last.IsZero() {
		if d := now.Sub(b.last).Seconds(); d > 0 {
			b.tokens = min(b.burst, b.tokens+d*b.rate)
		}
	}
	if b.last.IsZero() || now.After(b.last) {
		b.last = now
	}
	if b.tokens < 1 {
		return true
	}
	b.tokens--
	return false
}
