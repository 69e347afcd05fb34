package reliability

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// TestGoroutineLeaks counts goroutines before and after calls that succeed,
// calls cancelled mid-request and mid-backoff, attempts that time out,
// token fetches and IAM lookups whose callers gave up, and waiters
// cancelled between polls and during one; once the test's HTTP clients
// close their idle connections and the servers stop, the count must be
// back where it was.
//
// It is not parallel, so no other test's goroutines come and go meanwhile.
func TestGoroutineLeaks(t *testing.T) {
	before := settledGoroutines(0, time.Second)
	calls := 0
	func() {
		cloud := fakecloud.New()
		srv := cloud.Start()
		defer srv.Close()
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections()
		s := transport.Settings{HTTPClient: hc, Retry: fastRetry(), AttemptTimeout: 5 * time.Second}

		for _, o := range operations() {
			c, err := o.client(srv.Endpoint(o.svc), s)
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			run := func(what string, ctx context.Context, wantKind string, mods ...func(*transport.Settings)) {
				t.Helper()
				calls++
				_, meta, err := c.call(ctx, o.input(0), mods...)
				if got := classify(t, meta, err); got.Kind != wantKind {
					t.Errorf("%s %s: outcome %+v (%v), want %s", o.name, what, got, err, wantKind)
				}
			}
			bg := context.Background()

			// Cancelled while the server holds the request.
			cloud.Inject(o.op, fakecloud.Fault{Kind: fakecloud.Slow, Delay: 5 * time.Second})
			ctx, cancel := context.WithCancel(bg)
			time.AfterFunc(30*time.Millisecond, cancel)
			run("cancelled mid-request", ctx, "canceled")

			// Every attempt times out.
			cloud.Inject(o.op, fakecloud.Fault{Kind: fakecloud.Slow, Delay: 5 * time.Second, Count: 3})
			run("attempt timeouts", bg, "send", func(s *transport.Settings) { s.AttemptTimeout = 30 * time.Millisecond })

			// Cancelled while waiting out a Retry-After.
			cloud.Inject(o.op, fakecloud.Fault{Kind: fakecloud.Throttle, RetryAfter: 2 * time.Second})
			ctx, cancel = context.WithCancel(bg)
			time.AfterFunc(100*time.Millisecond, cancel)
			run("cancelled mid-backoff", ctx, "canceled", func(s *transport.Settings) { s.Retry.MaxRetryAfter = 2 * time.Second })

			// Deadline shorter than the attempt.
			cloud.Inject(o.op, fakecloud.Fault{Kind: fakecloud.Slow, Delay: 5 * time.Second})
			ctx, cancel = context.WithTimeout(bg, 30*time.Millisecond)
			run("deadline", ctx, "canceled")
			cancel()

			// And finally a success, on the same client.
			run("success", bg, "ok")
		}

		// A token fetch and an IAM lookup whose callers gave up: they run on
		// for the others, bounded by their own timeouts, then end.
		cloud.Inject(fakecloud.OpCreateToken, fakecloud.Fault{Kind: fakecloud.Slow, Delay: 300 * time.Millisecond})
		src, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
			Endpoint: srv.Endpoint(fakecloud.HuaweiIAM), Region: fakecloud.HuaweiRegion, UserName: fakecloud.HuaweiUserName,
			Password: fakecloud.HuaweiPassword, DomainName: fakecloud.HuaweiDomainName, Settings: s})
		if err != nil {
			t.Fatalf("token source: %v", err)
		}
		dns, err := newPrivateDNS(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: fakecloud.HuaweiRegion,
			Endpoint: srv.Endpoint(fakecloud.HuaweiDNS), TokenSource: src, Settings: s})
		if err != nil {
			t.Fatalf("new client: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
		_, _, err = dns.call(ctx, dnsInput())
		cancel()
		calls++
		if got := classify(t, transport.Metadata{}, err); got.Kind != "canceled" {
			t.Errorf("abandoned token fetch: outcome %+v (%v)", got, err)
		}

		cloud.Inject(fakecloud.OpListAuthDomains, fakecloud.Fault{Kind: fakecloud.Slow, Delay: 300 * time.Millisecond})
		ic, err := newIdentityCenter(srv.Endpoint(fakecloud.IdentityCenter), signer.StaticHuaweiCredentials(signer.HuaweiCredentials{
			AccessKey: fakecloud.HuaweiAK, SecretKey: fakecloud.HuaweiSK}), "", srv.Endpoint(fakecloud.HuaweiIAM), s, "")
		if err != nil {
			t.Fatalf("new client: %v", err)
		}
		ctx, cancel = context.WithTimeout(context.Background(), 30*time.Millisecond)
		_, _, err = ic.call(ctx, opIdentityCenter().input(0))
		cancel()
		calls++
		if got := classify(t, transport.Metadata{}, err); got.Kind != "canceled" {
			t.Errorf("abandoned IAM lookup: outcome %+v (%v)", got, err)
		}
		// srv.Close waits for the abandoned fetch and lookup to be answered.

		// Every waiter, cancelled between two polls and while the server
		// holds a poll (or the first look), over real connections.
		for _, w := range waiters() {
			for _, held := range []bool{false, true} {
				wcloud := pendingCloud()
				if w.prepare != nil {
					w.prepare(wcloud)
				}
				if held {
					wcloud.Inject(w.pollOp, fakecloud.Fault{Kind: fakecloud.Slow, Delay: 5 * time.Second})
				}
				wsrv := wcloud.Start()
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(150*time.Millisecond, cancel)
				err := w.run(ctx, wsrv.Endpoint, s, transport.WaitOptions{MinDelay: time.Second})
				cancel()
				calls++
				if !errors.Is(err, context.Canceled) {
					t.Errorf("%s cancelled (poll held: %v): %v, want context.Canceled", w.name, held, err)
				}
				wsrv.Close()
			}
		}
	}()

	after := settledGoroutines(before, 5*time.Second)
	leaked := max(0, after-before)
	t.Logf("goroutines before %d, after %d, over %d calls", before, after, calls)
	figures.loss("goroutines left behind", leaked)
	figures.calls("calls made while counting goroutines", calls)
	if leaked > 0 {
		var b strings.Builder
		pprof.Lookup("goroutine").WriteTo(&b, 1)
		t.Errorf("%d goroutines left behind:\n%s", leaked, b.String())
	}
}

// settledGoroutines waits up to limit for the goroutine count to drop to
// target (0: until it stops changing) and returns it.
func settledGoroutines(target int, limit time.Duration) int {
	deadline := time.Now().Add(limit)
	last := -1
	for {
		runtime.GC()
		n := runtime.NumGoroutine()
		if (target > 0 && n <= target) || (target == 0 && n == last) || time.Now().After(deadline) {
			return n
		}
		last = n
		time.Sleep(20 * time.Millisecond)
	}
}
