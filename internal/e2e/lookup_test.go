package e2e

import (
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/transport"
)

// TestIdentityCenterDomainIDLookedUpOnce makes many calls, at once, with a
// client given no domain ID: IAM is asked once and the answer serves all.
func TestIdentityCenterDomainIDLookedUpOnce(t *testing.T) {
	t.Parallel()
	srv := start(t)
	cl := srv.Cloud()
	const calls = 8
	for i := range calls {
		cl.AddApplicationProfile(fakecloud.ICInstanceID, fakecloud.ICApplicationInstanceID, "profile-"+strconv.Itoa(i))
	}
	c := newIdentityCenter(t, srv, huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), "", transport.Settings{})
	ctx := testContext(t)

	var wg sync.WaitGroup
	errs := make([]error, calls)
	for i := range calls {
		wg.Go(func() { _, errs[i] = c.DeleteProfile(ctx, icInput("profile-"+strconv.Itoa(i))) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("call %d: %v", i, err)
		}
		if cl.ApplicationProfile(fakecloud.ICInstanceID, fakecloud.ICApplicationInstanceID, "profile-"+strconv.Itoa(i)) {
			t.Errorf("profile-%d still exists", i)
		}
	}
	// A later call uses the cached ID too.
	if _, err := c.DeleteProfile(ctx, icInput(fakecloud.ICProfileID)); err != nil {
		t.Fatal(err)
	}
	if n := cl.Requests(fakecloud.OpListAuthDomains); n != 1 {
		t.Errorf("%d domain ID lookups, want 1", n)
	}
	if n := cl.Requests(fakecloud.OpDeleteProfile); n != calls+1 {
		t.Errorf("%d DeleteProfile requests, want %d", n, calls+1)
	}
}

// TestPrivateDNSProjectIDLookedUpOnce does the same for the project ID of
// access keys, on both clouds.
func TestPrivateDNSProjectIDLookedUpOnce(t *testing.T) {
	t.Parallel()
	for _, a := range []dnsAuth{huaweiAKSK, otcAKSK} {
		t.Run(a.String(), func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			cl := srv.Cloud()
			const calls = 6
			zone, vpcs := tokenZone(cl, a.provider(), calls+1)
			c := newPrivateDNS(t, srv, a, transport.Settings{})
			ctx := testContext(t)

			var wg sync.WaitGroup
			errs := make([]error, calls)
			for i := range calls {
				wg.Go(func() {
					_, errs[i] = c.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{ZoneID: zone, RouterID: vpcs[i]})
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("call %d: %v", i, err)
				}
			}
			if n := cl.Requests(fakecloud.OpListProjects); n != 1 {
				t.Errorf("%d project ID lookups, want 1", n)
			}
		})
	}
}

// TestLookupRetriedThenCached checks that the lookup itself is retried
// like any call, and that a failed lookup is not cached.
func TestLookupRetriedThenCached(t *testing.T) {
	t.Parallel()
	srv := start(t)
	cl := srv.Cloud()
	cl.Inject(fakecloud.OpListAuthDomains, fakecloud.Fault{Kind: fakecloud.Throttle})
	c := newIdentityCenter(t, srv, huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), "", fastRetry(newRecorder(t)))

	out, err := c.DeleteProfile(testContext(t), icInput(fakecloud.ICProfileID))
	if err != nil {
		t.Fatal(err)
	}
	if out.Metadata.Attempts != 1 {
		t.Errorf("DeleteProfile: %d attempts, want 1 (the lookup's retry is its own)", out.Metadata.Attempts)
	}
	if n := cl.Requests(fakecloud.OpListAuthDomains); n != 2 {
		t.Errorf("%d domain ID lookups, want 2 (throttled, then retried)", n)
	}
}

// TestLookupFailure checks that a failed lookup is reported as an
// authorization error of the operation, sends nothing to the service, and
// is tried again by the next call.
func TestLookupFailure(t *testing.T) {
	t.Parallel()
	srv := start(t)
	cl := srv.Cloud()
	s := fastRetry(newRecorder(t))
	s.Retry.MaxAttempts = 1
	cl.Inject(fakecloud.OpListAuthDomains, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503})
	c := newIdentityCenter(t, srv, huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), "", s)

	_, err := c.DeleteProfile(testContext(t), icInput(fakecloud.ICProfileID))
	var ae *transport.AuthError
	var re *transport.ResponseError
	if !errors.As(err, &ae) || !errors.As(err, &re) || re.StatusCode != 503 {
		t.Fatalf("error = %v, want an AuthError wrapping IAM's 503", err)
	}
	if n := cl.Requests(fakecloud.OpDeleteProfile); n != 0 {
		t.Errorf("%d DeleteProfile requests after a failed lookup, want 0", n)
	}

	if _, err := c.DeleteProfile(testContext(t), icInput(fakecloud.ICProfileID)); err != nil {
		t.Fatalf("second call: %v", err)
	}
	if n := cl.Requests(fakecloud.OpListAuthDomains); n != 2 {
		t.Errorf("%d domain ID lookups, want 2 (the failure was not cached)", n)
	}
}
