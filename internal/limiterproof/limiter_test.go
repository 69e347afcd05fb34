package limiterproof

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// The scenario: Route 53 Profiles allows GetProfileAssociation at
// serviceRate requests per second (bursts of serviceBurst) and throttles
// the rest with 400 ThrottlingException. A number of goroutines (8, then
// 32) share one client and call it back to back for runFor, each request
// taking latency; the client retries throttled calls (3 attempts, backoff
// from 1 s) as it always does.
// Everything runs on fake time, so the half minute takes milliseconds and
// the counts are the same on any machine (up to the jitter of the retry
// backoff).
const (
	serviceRate  = 20.0
	serviceBurst = 5
	runFor       = 30 * time.Second
	latency      = 10 * time.Millisecond
	// settleAfter: throughput is judged over the last runFor-settleAfter,
	// once an adaptive limiter has found the service's rate.
	settleAfter = 10 * time.Second
)

// countingDoer counts the responses the emulator gives, by kind.
type countingDoer struct {
	inner              transport.Doer
	sent, throttled    atomic.Int64
	served             atomic.Int64 // answered 200
	throttledAfterWarm atomic.Int64
	sentAfterWarm      atomic.Int64
	warm               time.Time
}

func (d *countingDoer) Do(r *http.Request) (*http.Response, error) {
	resp, err := d.inner.Do(r)
	warm := time.Now().After(d.warm)
	d.sent.Add(1)
	if warm {
		d.sentAfterWarm.Add(1)
	}
	if err == nil && resp.StatusCode == http.StatusOK {
		d.served.Add(1)
	}
	if err == nil && resp.Header.Get("X-Amzn-ErrorType") == "ThrottlingException" {
		d.throttled.Add(1)
		if warm {
			d.throttledAfterWarm.Add(1)
		}
	}
	return resp, err
}

// result is one run's counts.
type result struct {
	name          string
	workers       int
	sent          int64 // HTTP requests, retries included
	served        int64 // answered 200
	throttled     int64 // answered ThrottlingException
	ok, failed    int64 // calls
	okSettled     int64 // calls that succeeded after settleAfter
	sentSettled   int64
	throttledSett int64
	finalRate     float64 // the limiter's rate at the end; 0: none
}

func (r result) throttledShare() float64 { return float64(r.throttled) / float64(max(r.sent, 1)) }
func (r result) settledShare() float64 {
	return float64(r.throttledSett) / float64(max(r.sentSettled, 1))
}
func (r result) okPerSecond() float64 { return float64(r.ok) / runFor.Seconds() }
func (r result) settledPerSecond() float64 {
	return float64(r.okSettled) / (runFor - settleAfter).Seconds()
}

// simulate runs the scenario with limiter (nil: none) inside a synctest
// bubble and returns the counts.
func simulate(t *testing.T, name string, workers int, newLimiter func() (*transport.Limiter, error)) result {
	t.Helper()
	res := result{name: name, workers: workers}
	synctest.Test(t, func(t *testing.T) {
		cloud := fakecloud.New() // its clock is time.Now: the bubble's fake clock
		cloud.LimitRate(fakecloud.OpGetProfileAssociation, serviceRate, serviceBurst)
		start := time.Now()
		doer := &countingDoer{inner: fakecloud.LocalDoer{Cloud: cloud, Latency: latency}, warm: start.Add(settleAfter)}
		var lim *transport.Limiter
		if newLimiter != nil {
			var err error
			if lim, err = newLimiter(); err != nil {
				t.Fatal(err)
			}
		}
		c, err := route53profiles.New(route53profiles.Options{
			Region:      "us-east-1",
			Endpoint:    "http://fakecloud.invalid" + string(fakecloud.Route53Profiles),
			Credentials: signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, ""),
			Settings:    transport.Settings{HTTPClient: doer, Limiter: lim},
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), runFor)
		defer cancel()
		in := &route53profiles.GetProfileAssociationInput{ProfileAssociationID: fakecloud.R53AssociationID}
		var ok, failed, okSettled atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for ctx.Err() == nil {
					_, err := c.GetProfileAssociation(ctx, in)
					switch {
					case err == nil:
						ok.Add(1)
						if time.Now().After(doer.warm) {
							okSettled.Add(1)
						}
					case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
						// The run is ending: a call may fail at once when
						// its next attempt could not start in time, and
						// looping on such failures would hold the fake
						// clock still.
						return
					default:
						failed.Add(1) // retries ran out while throttled
					}
				}
			})
		}
		wg.Wait()
		res.sent, res.throttled, res.served = doer.sent.Load(), doer.throttled.Load(), doer.served.Load()
		res.sentSettled, res.throttledSett = doer.sentAfterWarm.Load(), doer.throttledAfterWarm.Load()
		res.ok, res.failed, res.okSettled = ok.Load(), failed.Load(), okSettled.Load()
		if lim != nil {
			res.finalRate = lim.Rate()
		}
	})
	return res
}

func table(rs []result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "service limit %.0f req/s (burst %d), %v of fake time, latency %v; settled = after %v\n",
		serviceRate, serviceBurst, runFor, latency, settleAfter)
	fmt.Fprintf(&b, "%-22s %7s %7s %9s %8s %8s %7s %7s %7s %6s\n",
		"client", "workers", "sent", "throttled", "share", "settled", "ok/s", "settled", "failed", "rate")
	for _, r := range rs {
		rate := "-"
		if r.finalRate > 0 {
			rate = fmt.Sprintf("%.1f", r.finalRate)
		}
		fmt.Fprintf(&b, "%-22s %7d %7d %9d %7.1f%% %7.1f%% %7.1f %7.1f %7d %6s\n",
			r.name, r.workers, r.sent, r.throttled, 100*r.throttledShare(), 100*r.settledShare(),
			r.okPerSecond(), r.settledPerSecond(), r.failed, rate)
	}
	return b.String()
}

// TestLimiterUnderThrottling compares no limiter, fixed limiters and an
// adaptive one that starts five times too fast, with 8 and 32 workers.
// The adaptive limiter must cut the throttled share (to at most 30% of the
// unpaced run's) and the calls that fail after all their retries (to at most
// a tenth), and settle at a throughput close to the service's limit (70% to
// 110%), without being told the limit.
func TestLimiterUnderThrottling(t *testing.T) {
	t.Parallel()
	var all []result
	for _, workers := range []int{8, 32} {
		none := simulate(t, "no limiter", workers, nil)
		fixedHigh := simulate(t, "fixed 100/s", workers, func() (*transport.Limiter, error) { return transport.NewLimiter(100, 1) })
		fixedRight := simulate(t, "fixed 20/s", workers, func() (*transport.Limiter, error) { return transport.NewLimiter(serviceRate, 1) })
		adaptive := simulate(t, "adaptive, from 100/s", workers, func() (*transport.Limiter, error) {
			return transport.NewLimiter(100, 1, transport.Adaptive(0))
		})
		// For comparison only, not asserted: a ceiling nearer the limit
		// makes the adaptive steps smaller.
		adaptive30 := simulate(t, "adaptive, from 30/s", workers, func() (*transport.Limiter, error) {
			return transport.NewLimiter(30, 1, transport.Adaptive(0))
		})
		all = append(all, none, fixedHigh, fixedRight, adaptive, adaptive30)

		for _, r := range []result{none, fixedHigh, fixedRight, adaptive} {
			if r.ok == 0 || r.sent < r.ok {
				t.Fatalf("%s, %d workers: %d calls succeeded of %d requests", r.name, workers, r.ok, r.sent)
			}
			// The emulator never lets more through than its limit allows.
			if limit := serviceRate*runFor.Seconds() + serviceBurst; float64(r.served) > limit {
				t.Errorf("%s, %d workers: %d requests served, the emulator allows %v", r.name, workers, r.served, limit)
			}
		}
		// Of the unpaced share; measured: 0.12 to 0.15 with 8 workers,
		// 0.20 to 0.22 with 32.
		if got, limit := adaptive.throttledShare(), 0.3*none.throttledShare(); got > limit {
			t.Errorf("%d workers: adaptive %.1f%% throttled, want below 30%% of the unpaced %.1f%% (%.1f%%)",
				workers, 100*got, 100*none.throttledShare(), 100*limit)
		}
		// Measured: 18.5 calls/s with 8 workers, 15.8 with 32.
		if got := adaptive.settledPerSecond(); got < 0.7*serviceRate || got > 1.1*serviceRate {
			t.Errorf("%d workers: adaptive %.1f calls/s once settled, want 70%% to 110%% of the service's %v", workers, got, serviceRate)
		}
		if got := fixedRight.throttledShare(); got > 0.05 {
			t.Errorf("%d workers: fixed at the service's rate, %.1f%% throttled, want almost none", workers, 100*got)
		}
		if adaptive.failed*10 > none.failed { // measured: at most 0.02 of them
			t.Errorf("%d workers: adaptive %d failed calls, unpaced %d; want at most a tenth", workers, adaptive.failed, none.failed)
		}
	}
	t.Logf("\n%s", table(all))
	if none32 := all[5]; none32.throttledShare() < 0.7 {
		t.Errorf("32 unpaced workers were throttled only %.0f%% of the time: the scenario does not press the service", 100*none32.throttledShare())
	}
}

// BenchmarkLimitedCall measures what pacing costs one call when the
// limiter never has to wait: one GetProfileAssociation through the
// emulator in memory, without and with a limiter.
func BenchmarkLimitedCall(b *testing.B) {
	for _, withLimiter := range []bool{false, true} {
		b.Run(fmt.Sprintf("limiter=%v", withLimiter), func(b *testing.B) {
			cloud := fakecloud.New()
			s := transport.Settings{HTTPClient: fakecloud.LocalDoer{Cloud: cloud}}
			if withLimiter {
				lim, err := transport.NewLimiter(1e9, 1e6, transport.Adaptive(0))
				if err != nil {
					b.Fatal(err)
				}
				s.Limiter = lim
			}
			c, err := route53profiles.New(route53profiles.Options{
				Region:      "us-east-1",
				Endpoint:    "http://fakecloud.invalid" + string(fakecloud.Route53Profiles),
				Credentials: signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, ""),
				Settings:    s,
			})
			if err != nil {
				b.Fatal(err)
			}
			in := &route53profiles.GetProfileAssociationInput{ProfileAssociationID: fakecloud.R53AssociationID}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.GetProfileAssociation(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
