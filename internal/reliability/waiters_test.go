package reliability

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// The waiters and the helpers built on them, driven against the emulator
// with their polls answered by storms, throttling, a server that holds the
// request, or a resource that stays pending: whatever happens, a waiter
// ends within its context's deadline with a *transport.WaitError that
// names the last state it saw, and leaves no goroutine behind.

// waiter is one waiting helper, with the emulator state it starts from.
type waiter struct {
	name   string // package and function
	col    string // the figures column of the operation it polls
	pollOp string // the operation it polls (fakecloud's name)
	// state is what its polls see while the resource is pending.
	state string
	// reads is how many requests for pollOp answer normally before the
	// first poll that sees state has been answered: the polls, and the
	// first look of the helpers that look before they act.
	reads int
	// prepare puts the emulator's resource where the waiter starts from.
	prepare func(c *fakecloud.Cloud)
	// run waits, sending to endpoint(service) with settings s.
	run func(ctx context.Context, endpoint func(fakecloud.Service) string, s transport.Settings, wo transport.WaitOptions) error
	// check verifies what the error says beyond the WaitError; nil: nothing.
	check func(err error) error
}

// pendingCloud is an emulator whose removals and associations stay pending
// for as many reads as any test makes.
func pendingCloud() *fakecloud.Cloud {
	return fakecloud.New(fakecloud.WithProfileDeletionReads(1<<30), fakecloud.WithRouterTransitionReads(1<<30))
}

func r53Client(endpoint func(fakecloud.Service) string, s transport.Settings) (*route53profiles.Client, error) {
	return route53profiles.New(route53profiles.Options{Region: "us-east-1", Endpoint: endpoint(fakecloud.Route53Profiles),
		Credentials: awsKeys(), Settings: s})
}

func dnsClient(endpoint func(fakecloud.Service) string, s transport.Settings) (*privatedns.Client, error) {
	return privatedns.New(dnsOptions(endpoint(fakecloud.HuaweiDNS), func(o *privatedns.Options) { o.Settings = s }))
}

func waiters() []waiter {
	r53 := func(name string, reads int, prepare func(*fakecloud.Cloud),
		wait func(ctx context.Context, c *route53profiles.Client, wo transport.WaitOptions) error) waiter {
		return waiter{name: "route53profiles " + name, col: opListProfileAssociations().col, pollOp: fakecloud.OpListProfileAssociations,
			state: string(route53profiles.ProfileStatusDeleting), reads: reads, prepare: prepare,
			run: func(ctx context.Context, ep func(fakecloud.Service) string, s transport.Settings, wo transport.WaitOptions) error {
				c, err := r53Client(ep, s)
				if err != nil {
					return err
				}
				return wait(ctx, c, wo)
			}}
	}
	dns := func(name, state string, reads int, prepare func(*fakecloud.Cloud),
		wait func(ctx context.Context, c *privatedns.Client, wo privatedns.RouterWaitOptions) error) waiter {
		return waiter{name: "privatedns " + name, col: opShowPrivateZone().col, pollOp: fakecloud.OpShowPrivateZone,
			state: state, reads: reads, prepare: prepare,
			run: func(ctx context.Context, ep func(fakecloud.Service) string, s transport.Settings, wo transport.WaitOptions) error {
				c, err := dnsClient(ep, s)
				if err != nil {
					return err
				}
				return wait(ctx, c, privatedns.RouterWaitOptions{WaitOptions: wo})
			}}
	}
	setRouter := func(status string) func(*fakecloud.Cloud) {
		return func(c *fakecloud.Cloud) {
			c.SetRouterStatus(fakecloud.Huawei, fakecloud.HuaweiZoneID, fakecloud.HuaweiVPCID, status)
		}
	}
	replace := dns("ReplaceRouter", fakecloud.RouterPendingCreate, 1, nil,
		func(ctx context.Context, c *privatedns.Client, wo privatedns.RouterWaitOptions) error {
			_, err := c.ReplaceRouter(ctx, fakecloud.HuaweiSingleZoneID, privatedns.RouterRef{ID: fakecloud.HuaweiSingleVPCID},
				privatedns.RouterRef{ID: assocVPCID}, wo)
			return err
		})
	replace.check = func(err error) error {
		var re *privatedns.ReplaceRouterError
		if !errors.As(err, &re) || re.Step != privatedns.StepWaitActive || re.RouterID != assocVPCID {
			return fmt.Errorf("error %v is not a ReplaceRouterError of step %s for the new VPC", err, privatedns.StepWaitActive)
		}
		return nil
	}
	return []waiter{
		r53("WaitProfileDisassociated", 1,
			func(c *fakecloud.Cloud) {
				c.SetProfileAssociationStatus(fakecloud.R53ProfileID, fakecloud.R53VPCID, "DELETING", "Deleting Profile Association")
			},
			func(ctx context.Context, c *route53profiles.Client, wo transport.WaitOptions) error {
				return c.WaitProfileDisassociated(ctx, fakecloud.R53ProfileID, fakecloud.R53VPCID, wo)
			}),
		// The look, then DisassociateProfile, then the polls.
		r53("DisassociateAndWait", 2, nil,
			func(ctx context.Context, c *route53profiles.Client, wo transport.WaitOptions) error {
				_, err := c.DisassociateAndWait(ctx, fakecloud.R53ProfileID, fakecloud.R53VPCID, wo)
				return err
			}),
		dns("WaitRouterDisassociated", fakecloud.RouterPendingDelete, 1, setRouter(fakecloud.RouterPendingDelete),
			func(ctx context.Context, c *privatedns.Client, wo privatedns.RouterWaitOptions) error {
				return c.WaitRouterDisassociated(ctx, fakecloud.HuaweiZoneID, fakecloud.HuaweiVPCID, wo)
			}),
		dns("WaitRouterActive", fakecloud.RouterPendingCreate, 1, setRouter(fakecloud.RouterPendingCreate),
			func(ctx context.Context, c *privatedns.Client, wo privatedns.RouterWaitOptions) error {
				return c.WaitRouterActive(ctx, fakecloud.HuaweiZoneID, fakecloud.HuaweiVPCID, wo)
			}),
		// The look, then DisassociateRouter, then the polls.
		dns("DisassociateAndWait", fakecloud.RouterPendingDelete, 2, nil,
			func(ctx context.Context, c *privatedns.Client, wo privatedns.RouterWaitOptions) error {
				_, err := c.DisassociateAndWait(ctx, fakecloud.HuaweiZoneID, fakecloud.HuaweiVPCID, "", wo)
				return err
			}),
		// AssociateRouter, then WaitRouterActive's polls of the new VPC.
		replace,
	}
}

// afterReads is a Doer that serves requests from a Cloud and, once the
// Cloud has answered reads requests for op, makes every later request for
// op meet fault (the emulator's own storm), or, with hold, holds every
// later poll as a server that never answers would: the request ends only
// with its context, with the context's error.
type afterReads struct {
	cloud *fakecloud.Cloud
	op    string
	reads int
	fault *fakecloud.Fault // nil: none
	hold  bool

	mu      sync.Mutex
	started bool
}

func (d *afterReads) Do(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	started := d.started
	d.mu.Unlock()
	// The polls are the only GET requests a waiter sends.
	if started && d.hold && r.Method == http.MethodGet {
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	resp, err := fakecloud.LocalDoer{Cloud: d.cloud}.Do(r)
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.started && d.cloud.Requests(d.op) >= d.reads {
		d.started = true
		if d.fault != nil {
			d.cloud.Inject(d.op, *d.fault)
		}
	}
	return resp, err
}

// localEndpoint is the endpoint of a service served through a LocalDoer.
func localEndpoint(svc fakecloud.Service) string { return "http://fakecloud.invalid" + string(svc) }

// waitScenario is one way a waiter's polls go wrong, and what the waiter
// must end with.
type waitScenario struct {
	name     string
	policy   transport.RetryPolicy
	deadline time.Duration
	cancelAt time.Duration // > 0: the context is cancelled then
	// setup returns the Doer the client sends through.
	setup func(c *fakecloud.Cloud, w waiter) transport.Doer
	// cause checks what the WaitError unwraps to, given the fault's
	// status and code for the polled operation.
	cause func(err error, o *operation) error
	// minPollRequests is how many requests for the polled operation the
	// emulator (or the holding Doer) must have seen at least, and
	// maxPollRequests at most (0: no bound).
	minPollRequests, maxPollRequests func(w waiter) int
}

// untilDeadline is a retry policy that retries a poll as long as the
// context allows.
func untilDeadline() transport.RetryPolicy {
	return transport.RetryPolicy{MaxAttempts: 1000, BaseDelay: 100 * time.Millisecond, MaxBackoff: time.Second, MaxRetryAfter: 5 * time.Second}
}

// responseCause accepts a WaitError whose cause is the fault's answer.
func responseCause(status func(o *operation) (int, string)) func(error, *operation) error {
	return func(err error, o *operation) error {
		st, code := status(o)
		var re *transport.ResponseError
		if !errors.As(err, &re) || re.StatusCode != st || (code != "" && re.Code != code) {
			return fmt.Errorf("error %v does not end with the poll's %d %s", err, st, code)
		}
		return nil
	}
}

// deadlineCause accepts a WaitError that ended with the deadline: the
// context's error, the waiter's ErrWaitDeadline, or the poll's last answer
// when its next retry could not happen in time.
func deadlineCause(status func(o *operation) (int, string)) func(error, *operation) error {
	return func(err error, o *operation) error {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, transport.ErrWaitDeadline) {
			return nil
		}
		if status != nil {
			return responseCause(status)(err, o)
		}
		return fmt.Errorf("error %v is not the deadline's", err)
	}
}

func unavailable(*operation) (int, string) { return http.StatusServiceUnavailable, "" }
func throttled(o *operation) (int, string) { return o.throttleStatus, o.throttleCode }

func waitScenarios() []waitScenario {
	storm := func(c *fakecloud.Cloud, w waiter) transport.Doer {
		return &afterReads{cloud: c, op: w.pollOp, reads: w.reads,
			fault: &fakecloud.Fault{Kind: fakecloud.ServerError, Status: http.StatusServiceUnavailable, Count: 1 << 30}}
	}
	// The emulator's quota for the polled operation allows the first reads
	// requests and then nothing for an hour.
	quota := func(c *fakecloud.Cloud, w waiter) transport.Doer {
		c.LimitRate(w.pollOp, 1.0/3600, w.reads)
		return fakecloud.LocalDoer{Cloud: c}
	}
	plain := func(c *fakecloud.Cloud, _ waiter) transport.Doer { return fakecloud.LocalDoer{Cloud: c} }
	hold := func(c *fakecloud.Cloud, w waiter) transport.Doer {
		return &afterReads{cloud: c, op: w.pollOp, reads: w.reads, hold: true}
	}
	exactly3 := func(w waiter) int { return w.reads + 3 }
	moreThan3 := func(w waiter) int { return w.reads + 4 }
	canceled := func(err error, _ *operation) error {
		if !errors.Is(err, context.Canceled) {
			return fmt.Errorf("error %v is not context.Canceled", err)
		}
		return nil
	}
	return []waitScenario{
		{name: "503 storm, 3 attempts per poll", policy: timedPolicy(), deadline: time.Minute, setup: storm,
			cause: responseCause(unavailable), minPollRequests: exactly3, maxPollRequests: exactly3},
		{name: "503 storm, retried until the deadline", policy: untilDeadline(), deadline: time.Minute, setup: storm,
			cause: deadlineCause(unavailable), minPollRequests: moreThan3},
		{name: "throttled, 3 attempts per poll", policy: timedPolicy(), deadline: time.Minute, setup: quota,
			cause: responseCause(throttled), minPollRequests: exactly3, maxPollRequests: exactly3},
		{name: "throttled, retried until the deadline", policy: untilDeadline(), deadline: time.Minute, setup: quota,
			cause: deadlineCause(throttled), minPollRequests: moreThan3},
		{name: "resource stays pending past the deadline", policy: timedPolicy(), deadline: 30 * time.Second, setup: plain,
			cause: deadlineCause(nil), minPollRequests: moreThan3},
		{name: "cancelled between polls", policy: timedPolicy(), deadline: time.Minute, cancelAt: 5500 * time.Millisecond,
			setup: plain, cause: canceled, minPollRequests: func(w waiter) int { return w.reads + 1 }},
		// Regression: transport.Poll joined the context's error and the
		// poll's with errors.Join, and the WaitError's text spanned two
		// lines.
		{name: "cancelled while the server holds a poll", policy: timedPolicy(), deadline: time.Minute, cancelAt: 5500 * time.Millisecond,
			setup: hold, cause: canceled, minPollRequests: func(w waiter) int { return w.reads }},
	}
}

// TestWaiters runs every waiter through every scenario on synctest's fake
// clock: it must end within its deadline (exactly at a cancellation), with
// a *transport.WaitError naming the pending state its polls saw, caused by
// what went wrong. synctest.Test fails if any goroutine the waiter started
// is still blocked when the test ends.
func TestWaiters(t *testing.T) {
	t.Parallel()
	ops := map[string]*operation{}
	for _, o := range operations() {
		ops[o.op] = o
	}
	for _, sc := range waitScenarios() {
		for _, w := range waiters() {
			t.Run(sc.name+"/"+w.name, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) { runWaitScenario(t, sc, w, ops[w.pollOp]) })
				figures.fault("5 waiters (fakecloud, fake clock; column: the operation polled)", "waiter: "+sc.name, w.col)
			})
		}
	}
}

func runWaitScenario(t *testing.T, sc waitScenario, w waiter, polled *operation) {
	cloud := pendingCloud()
	if w.prepare != nil {
		w.prepare(cloud)
	}
	doer := sc.setup(cloud, w)
	ctx, cancel := context.WithTimeout(context.Background(), sc.deadline)
	defer cancel()
	if sc.cancelAt > 0 {
		time.AfterFunc(sc.cancelAt, cancel)
	}
	start := time.Now()
	err := w.run(ctx, localEndpoint, transport.Settings{HTTPClient: doer, Retry: sc.policy},
		transport.WaitOptions{MinDelay: 2 * time.Second, MaxDelay: 10 * time.Second})
	elapsed := time.Since(start)

	var we *transport.WaitError
	if !errors.As(err, &we) {
		t.Fatalf("error %v (%T) is not a *transport.WaitError", err, err)
	}
	if we.LastState != w.state || !strings.Contains(err.Error(), "last state "+w.state) {
		t.Errorf("last state %q, error %q; want %s named", we.LastState, err, w.state)
	}
	if we.Polls < 2 && sc.cancelAt == 0 {
		t.Errorf("%d polls, want the one that saw %s and at least one more", we.Polls, w.state)
	}
	if err := sc.cause(err, polled); err != nil {
		t.Error(err)
	}
	if w.check != nil {
		if err := w.check(err); err != nil {
			t.Error(err)
		}
	}
	switch {
	case sc.cancelAt > 0 && elapsed != sc.cancelAt:
		t.Errorf("the wait ended %v after it started, want exactly %v, when it was cancelled", elapsed, sc.cancelAt)
	case elapsed > sc.deadline || we.Waited > sc.deadline:
		t.Errorf("the wait took %v (it says %v), past its %v deadline", elapsed, we.Waited, sc.deadline)
	}
	n := cloud.Requests(w.pollOp)
	if sc.minPollRequests != nil && n < sc.minPollRequests(w) {
		t.Errorf("the emulator saw %d requests for %s, want at least %d", n, w.pollOp, sc.minPollRequests(w))
	}
	if sc.maxPollRequests != nil && n > sc.maxPollRequests(w) {
		t.Errorf("the emulator saw %d requests for %s, want at most %d", n, w.pollOp, sc.maxPollRequests(w))
	}
	checkErrorText(t, err)
}
