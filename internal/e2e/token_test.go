package e2e

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// tokenZone adds a zone with n VPCs to cloud p and returns its ID and the
// VPC IDs.
func tokenZone(c *fakecloud.Cloud, p fakecloud.Provider, n int) (string, []string) {
	const zone = "ff8080825b8fc86c0100000000000001"
	var routers []fakecloud.Router
	var ids []string
	for i := range n {
		id := "vpc-token-" + strconv.Itoa(i)
		routers = append(routers, fakecloud.Router{ID: id})
		ids = append(ids, id)
	}
	c.AddZone(p, zone, routers...)
	return zone, ids
}

// TestTokenRefreshAfterExpiry lets the emulator's clock pass the token's
// expiry between two calls. The client, whose own clock has not moved,
// still sends the cached token; DNS answers 401; the token source fetches
// one new token and the transport replays the call once. A token is not
// signed with the time, so even a service clock far from ours (the second
// case) costs no clock-skew retry.
func TestTokenRefreshAfterExpiry(t *testing.T) {
	t.Parallel()
	for _, a := range []dnsAuth{huaweiPasswordToken, otcPasswordToken} {
		for _, advance := range []time.Duration{2 * time.Minute, 30 * time.Minute} {
			t.Run(a.String()+"/"+advance.String(), func(t *testing.T) {
				t.Parallel()
				var clock adjustableClock
				srv := start(t, fakecloud.WithClock(clock.Now), fakecloud.WithTokenTTL(time.Minute))
				cl := srv.Cloud()
				zone, vpcs := tokenZone(cl, a.provider(), 4)
				rec := newRecorder(t)
				// The cache judges expiry by a clock that stands still, so only
				// the service can tell that the token has expired.
				frozen := time.Now()
				c := newPrivateDNS(t, srv, a, fastRetry(rec), signer.WithTokenClock(func() time.Time { return frozen }))
				call := func(vpc string) transport.Metadata {
					t.Helper()
					out, err := c.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{ZoneID: zone, RouterID: vpc})
					if err != nil {
						t.Fatalf("disassociate %s: %v", vpc, err)
					}
					return out.Metadata
				}

				if md := call(vpcs[0]); md.Attempts != 1 {
					t.Errorf("first call: %d attempts, want 1", md.Attempts)
				}
				clock.Advance(advance) // past the one-minute lifetime
				if md := call(vpcs[1]); md.Attempts != 2 || md.StatusCode != 202 {
					t.Errorf("call after expiry: status %d after %d attempts, want 202 after 2", md.StatusCode, md.Attempts)
				}
				if md := call(vpcs[2]); md.Attempts != 1 {
					t.Errorf("call with the new token: %d attempts, want 1", md.Attempts)
				}

				type counts struct{ TokensIssued, TokenRequests, DNSRequests int }
				want := counts{TokensIssued: 2, TokenRequests: 2, DNSRequests: 4}
				got := counts{cl.TokensIssued(), cl.Requests(fakecloud.OpCreateToken), cl.Requests(fakecloud.OpDisassociateRouter)}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("emulator counts (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]int{201, 202, 401, 201, 202, 202}, rec.statuses("")); diff != "" {
					t.Errorf("exchange statuses, IAM and DNS in order (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestTokenRefreshSharedByConcurrentCalls checks that calls rejected at
// the same time share one new token.
func TestTokenRefreshSharedByConcurrentCalls(t *testing.T) {
	t.Parallel()
	var clock adjustableClock
	srv := start(t, fakecloud.WithClock(clock.Now), fakecloud.WithTokenTTL(time.Minute))
	cl := srv.Cloud()
	const parallel = 6
	zone, vpcs := tokenZone(cl, fakecloud.Huawei, parallel+2)
	frozen := time.Now()
	c := newPrivateDNS(t, srv, huaweiPasswordToken, fastRetry(newRecorder(t)), signer.WithTokenClock(func() time.Time { return frozen }))
	ctx := testContext(t)

	if _, err := c.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{ZoneID: zone, RouterID: vpcs[0]}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)

	var wg sync.WaitGroup
	errs := make([]error, parallel)
	for i := range parallel {
		wg.Go(func() {
			_, errs[i] = c.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{ZoneID: zone, RouterID: vpcs[i+1]})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if n := cl.TokensIssued(); n != 2 {
		t.Errorf("%d tokens issued, want 2: one at the start, one shared refresh", n)
	}
}

// TestStaticTokenExpired checks that an expired static token fails with
// ErrUnauthorized at once: there is nothing to refresh it with.
func TestStaticTokenExpired(t *testing.T) {
	t.Parallel()
	var clock adjustableClock
	srv := start(t, fakecloud.WithClock(clock.Now), fakecloud.WithTokenTTL(time.Minute))
	ts, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint: srv.Endpoint(fakecloud.HuaweiIAM), Region: fakecloud.HuaweiRegion,
		UserName: fakecloud.HuaweiUserName, Password: fakecloud.HuaweiPassword, DomainName: fakecloud.HuaweiDomainName,
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ts.Token(testContext(t))
	if err != nil {
		t.Fatal(err)
	}
	c, err := privatedns.New(privatedns.Options{
		Cloud: privatedns.HuaweiCloud, Region: fakecloud.HuaweiRegion, Endpoint: srv.Endpoint(fakecloud.HuaweiDNS),
		TokenSource: signer.StaticToken(tok.Value), Settings: fastRetry(newRecorder(t)),
	})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Minute)
	_, err = c.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{
		ZoneID: fakecloud.HuaweiZoneID, RouterID: fakecloud.HuaweiVPCID,
	})
	checkResponseError(t, err, wantError{service: privatedns.ServiceID, operation: "DisassociateRouter",
		code: privatedns.CodeGatewayUnauthorized, status: 401, sentinel: transport.ErrUnauthorized, attempts: 1})
	if n := srv.Cloud().TokensIssued(); n != 1 {
		t.Errorf("%d tokens issued, want 1", n)
	}
}
