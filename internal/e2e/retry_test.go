package e2e

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// operation is one operation of the library, called with the seeded IDs
// through a client built with the given settings.
type operation struct {
	name string
	op   string // the emulator's operation name
	// pathSuffix picks the operation's exchanges out of a recorder's.
	pathSuffix string
	// throttled is the status of the service's throttling answer; ok of
	// its success.
	throttled, ok int
	call          func(ctx context.Context, t *testing.T, srv *fakecloud.Server, s transport.Settings) (transport.Metadata, error)
}

func operations() []operation {
	ops := []operation{
		{
			name: "route53profiles", op: fakecloud.OpDisassociateProfile, pathSuffix: fakecloud.R53VPCID,
			throttled: 400, ok: 200,
			call: func(ctx context.Context, t *testing.T, srv *fakecloud.Server, s transport.Settings) (transport.Metadata, error) {
				out, err := newRoute53Profiles(t, srv, awsKeys(), s).DisassociateProfile(ctx,
					&route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID})
				if err != nil {
					return transport.Metadata{}, err
				}
				return out.Metadata, nil
			},
		},
		{
			name: "customerprofiles", op: fakecloud.OpDeleteProfileObject, pathSuffix: "/objects/delete",
			throttled: 429, ok: 200,
			call: func(ctx context.Context, t *testing.T, srv *fakecloud.Server, s transport.Settings) (transport.Metadata, error) {
				out, err := newCustomerProfiles(t, srv, awsKeys(), s).DeleteProfileObject(ctx, cpInput(fakecloud.CPObjectKey))
				if err != nil {
					return transport.Metadata{}, err
				}
				return out.Metadata, nil
			},
		},
		{
			name: "identitycenter", op: fakecloud.OpDeleteProfile, pathSuffix: fakecloud.ICProfileID,
			throttled: 429, ok: 200,
			call: func(ctx context.Context, t *testing.T, srv *fakecloud.Server, s transport.Settings) (transport.Metadata, error) {
				c := newIdentityCenter(t, srv, huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), "", s)
				out, err := c.DeleteProfile(ctx, icInput(fakecloud.ICProfileID))
				if err != nil {
					return transport.Metadata{}, err
				}
				return out.Metadata, nil
			},
		},
	}
	for _, a := range allDNSAuth() {
		ops = append(ops, operation{
			name: "privatedns " + a.String(), op: fakecloud.OpDisassociateRouter, pathSuffix: "/disassociaterouter",
			throttled: 403, ok: 202, // DNS.0014, DNS's flow control
			call: func(ctx context.Context, t *testing.T, srv *fakecloud.Server, s transport.Settings) (transport.Metadata, error) {
				zone, vpc, _ := a.seed()
				out, err := newPrivateDNS(t, srv, a, s).DisassociateRouter(ctx,
					&privatedns.DisassociateRouterInput{ZoneID: zone, RouterID: vpc})
				if err != nil {
					return transport.Metadata{}, err
				}
				return out.Metadata, nil
			},
		})
	}
	return ops
}

// TestFaultThenSuccess makes the first attempt of every operation fail in
// a way the transport retries, and checks that the second attempt succeeds.
func TestFaultThenSuccess(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name  string
		fault fakecloud.Fault
		// first is the status of the faulted attempt: the operation's
		// throttling status, a fixed status, or 0 for no response.
		first func(operation) int
	}{
		{"throttled", fakecloud.Fault{Kind: fakecloud.Throttle}, func(o operation) int { return o.throttled }},
		{"connection reset", fakecloud.Fault{Kind: fakecloud.Reset}, func(operation) int { return 0 }},
		{"service unavailable", fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503}, func(operation) int { return 503 }},
		{"internal error", fakecloud.Fault{Kind: fakecloud.ServerError, Status: 500}, func(operation) int { return 500 }},
	}
	for _, o := range operations() {
		for _, f := range faults {
			t.Run(o.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				srv := start(t)
				srv.Cloud().Inject(o.op, f.fault)
				rec := newRecorder(t)

				md, err := o.call(testContext(t), t, srv, fastRetry(rec))
				if err != nil {
					t.Fatal(err)
				}
				if md.Attempts != 2 || md.StatusCode != o.ok {
					t.Errorf("metadata %+v, want status %d after 2 attempts", md, o.ok)
				}
				if n := srv.Cloud().Requests(o.op); n != 2 {
					t.Errorf("the emulator saw %d requests, want 2", n)
				}
				if diff := cmp.Diff([]int{f.first(o), o.ok}, rec.statuses(o.pathSuffix)); diff != "" {
					t.Errorf("attempt statuses (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestThrottledUntilAttemptsRunOut checks that throttling is retried up to
// MaxAttempts and then reported as transport.ErrThrottled.
func TestThrottledUntilAttemptsRunOut(t *testing.T) {
	t.Parallel()
	for _, o := range operations() {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			srv.Cloud().Inject(o.op, fakecloud.Fault{Kind: fakecloud.Throttle, Count: transport.DefaultMaxAttempts})
			rec := newRecorder(t)

			_, err := o.call(testContext(t), t, srv, fastRetry(rec))
			var re *transport.ResponseError
			if !errors.Is(err, transport.ErrThrottled) || !errors.As(err, &re) {
				t.Fatalf("error = %v, want a throttling ResponseError", err)
			}
			if re.Attempts != transport.DefaultMaxAttempts || re.StatusCode != o.throttled {
				t.Errorf("status %d after %d attempts, want %d after %d", re.StatusCode, re.Attempts,
					o.throttled, transport.DefaultMaxAttempts)
			}
			if n := srv.Cloud().Requests(o.op); n != transport.DefaultMaxAttempts {
				t.Errorf("the emulator saw %d requests, want %d", n, transport.DefaultMaxAttempts)
			}
		})
	}
}

// TestResetWithoutRetries checks that a connection failure is a
// *transport.SendError when retries are off.
func TestResetWithoutRetries(t *testing.T) {
	t.Parallel()
	for _, o := range operations() {
		t.Run(o.name, func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			srv.Cloud().Inject(o.op, fakecloud.Fault{Kind: fakecloud.Reset})
			s := fastRetry(newRecorder(t))
			s.Retry.MaxAttempts = 1

			_, err := o.call(testContext(t), t, srv, s)
			var se *transport.SendError
			if !errors.As(err, &se) || se.Attempts != 1 {
				t.Fatalf("error = %v, want a SendError after 1 attempt", err)
			}
			if n := srv.Cloud().Requests(o.op); n != 1 {
				t.Errorf("the emulator saw %d requests, want 1", n)
			}
		})
	}
}
