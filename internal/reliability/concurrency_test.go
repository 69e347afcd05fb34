package reliability

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// poolClient is an HTTP client that keeps enough idle connections for a
// crowd of callers, as detach's default client does.
func poolClient(t *testing.T) *http.Client {
	hc := newHTTPClient(t)
	hc.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
	return hc
}

// TestConcurrentCalls: 256 goroutines call each operation on one client,
// each for its own resource. Run under -race: no data race, every call
// succeeds with the output of its own input, and the emulator shows every
// resource removed, with one request per call.
func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	const callers = 256
	for _, o := range operations() {
		t.Run(o.col, func(t *testing.T) {
			t.Parallel()
			cloud := fakecloud.New()
			srv := cloud.Start()
			t.Cleanup(srv.Close)
			for i := 1; i <= callers; i++ {
				o.seed(cloud, i)
			}
			c, err := o.client(srv.Endpoint(o.svc), transport.Settings{HTTPClient: poolClient(t), Retry: fastRetry(),
				AttemptTimeout: 10 * time.Second})
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := make(chan struct{})
			errs := make([]error, callers+1)
			var wg sync.WaitGroup
			for i := 1; i <= callers; i++ {
				wg.Go(func() {
					<-start
					in := o.input(i)
					out, _, err := c.call(ctx, in)
					if err == nil {
						err = o.check(in, out)
					}
					errs[i] = err
				})
			}
			close(start)
			wg.Wait()
			failed := 0
			for i := 1; i <= callers; i++ {
				if errs[i] != nil {
					failed++
					if failed <= 3 {
						t.Errorf("caller %d: %v", i, errs[i])
					}
				} else if !o.done(cloud, i) {
					failed++
					t.Errorf("caller %d succeeded but its resource is still there", i)
				}
			}
			if n := cloud.Requests(o.op); n != callers {
				t.Errorf("emulator saw %d requests for %d calls", n, callers)
			}
			figures.calls("concurrent calls on one client ("+o.label()+")", callers)
			figures.loss("concurrent calls failed or wrong", failed)
		})
	}
}

// TestTokenRefreshSingleFlight: 100 callers need a token at once, on a cold
// start, after the service rejects the expired token with 401, and after
// the source's own clock says it expired. Each time exactly one request
// reaches IAM and every call succeeds.
func TestTokenRefreshSingleFlight(t *testing.T) {
	t.Parallel()
	const callers = 100
	tests := []struct {
		name        string
		sourceClock bool // the source judges expiry on the emulator's clock
	}{
		{"service rejects the expired token", false},
		{"source sees it expire", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := &clock{}
			var opts []signer.CachedTokenOption
			if tc.sourceClock {
				opts = append(opts, signer.WithTokenClock(clk.Now))
			}
			s := newTokenSetup(t, clk, opts...)
			op := opPrivateDNS()
			for i := 1; i <= 2*callers; i++ {
				op.seed(s.cloud, i)
			}
			c, err := newPrivateDNS(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: fakecloud.HuaweiRegion,
				Endpoint: s.srv.Endpoint(fakecloud.HuaweiDNS), TokenSource: s.source,
				Settings: transport.Settings{HTTPClient: poolClient(t), Retry: fastRetry(), AttemptTimeout: 10 * time.Second}})
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			// A slow IAM makes every caller arrive while the fetch is in flight.
			s.cloud.Inject(fakecloud.OpCreateToken, fakecloud.Fault{Kind: fakecloud.Slow, Delay: 100 * time.Millisecond, Count: 10})
			crowd := func(first int) int {
				var failed atomic.Int64
				start := make(chan struct{})
				var wg sync.WaitGroup
				for i := first; i < first+callers; i++ {
					wg.Go(func() {
						<-start
						ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
						defer cancel()
						if _, _, err := c.call(ctx, op.input(i)); err != nil {
							if failed.Add(1) <= 3 {
								t.Errorf("caller %d: %v", i, err)
							}
						}
					})
				}
				close(start)
				wg.Wait()
				figures.calls("concurrent callers needing one token (crowds of 100)", callers)
				return int(failed.Load())
			}

			failed := crowd(1)
			if n := s.cloud.Requests(fakecloud.OpCreateToken); n != 1 {
				t.Errorf("cold start: IAM got %d token requests from %d callers, want 1", n, callers)
			}
			clk.advance(fakecloud.DefaultTokenTTL + time.Minute)
			failed += crowd(1 + callers)
			if n := s.cloud.Requests(fakecloud.OpCreateToken); n != 2 {
				t.Errorf("after expiry: IAM got %d token requests in all, want 2", n)
			}
			figures.loss("extra IAM token requests under concurrency", max(0, s.cloud.Requests(fakecloud.OpCreateToken)-2))
			figures.loss("concurrent calls failed or wrong", failed)
		})
	}
}
