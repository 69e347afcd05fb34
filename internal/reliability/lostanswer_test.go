package reliability

import (
	"context"
	"net"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// loseFirstAnswer is a Doer that lets the emulator act on the first
// request and then loses its answer, as a connection reset after the
// service has acted does: the client sees a transport error and retries a
// request the service has already carried out.
type loseFirstAnswer struct {
	cloud *fakecloud.Cloud

	mu   sync.Mutex
	lost bool
}

func (d *loseFirstAnswer) Do(r *http.Request) (*http.Response, error) {
	resp, err := fakecloud.LocalDoer{Cloud: d.cloud}.Do(r)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err != nil || d.lost {
		return resp, err
	}
	d.lost = true
	resp.Body.Close()
	return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
}

// alreadyGone reports whether out says the resource was already gone.
func alreadyGone(out any) bool {
	switch o := out.(type) {
	case *route53profiles.DisassociateProfileOutput:
		return o.AlreadyGone
	case *customerprofiles.DeleteProfileObjectOutput:
		return o.AlreadyGone
	case *identitycenter.DeleteProfileOutput:
		return o.AlreadyGone
	case *privatedns.DisassociateRouterOutput:
		return o.AlreadyGone
	}
	return false
}

// lostAnswerWant is the documented outcome of a call whose first answer
// was lost after the service acted, with Options.Idempotent off and on,
// and whether an idempotent success reports AlreadyGone.
func lostAnswerWant(o *operation, idempotent bool) (outcome, bool) {
	ok := outcome{Kind: "ok", Attempts: 2, Status: o.okStatus}
	switch o.op {
	case fakecloud.OpDeleteProfileObject:
		if idempotent {
			return outcome{Kind: "ok", Attempts: 2, Status: http.StatusNotFound}, true
		}
		return outcome{Kind: "response", Attempts: 2, Status: http.StatusNotFound, Code: "ResourceNotFoundException"}, false
	case fakecloud.OpDeleteProfile:
		if idempotent {
			return outcome{Kind: "ok", Attempts: 2, Status: http.StatusNotFound}, true
		}
		return outcome{Kind: "response", Attempts: 2, Status: http.StatusNotFound, Code: fakecloud.ICCodeProfileNotFound}, false
	case fakecloud.OpDisassociateRouter:
		if idempotent {
			return outcome{Kind: "ok", Attempts: 2, Status: http.StatusBadRequest}, true
		}
		return outcome{Kind: "response", Attempts: 2, Status: http.StatusBadRequest, Code: "DNS.0707"}, false
	case fakecloud.OpAssociateRouter:
		// Not idempotent on the wire: the replay finds the VPC associated,
		// which its documentation says then means the association exists.
		return outcome{Kind: "response", Attempts: 2, Status: http.StatusBadRequest, Code: "DNS.0212"}, false
	}
	// DisassociateProfile answers a second call for a DELETING association
	// as the first (the model marks it idempotent); reads read again.
	return ok, false
}

// TestLostAnswer: for every operation, the first answer is lost after the
// service acted and the transport retries. The second answer decides the
// outcome: the documented one, with Options.Idempotent off and on, and the
// emulator shows the resource as the first request left it.
func TestLostAnswer(t *testing.T) {
	t.Parallel()
	for _, o := range operations() {
		for _, idempotent := range []bool{false, true} {
			name := map[bool]string{false: "Idempotent off", true: "Idempotent on"}[idempotent]
			t.Run(o.col+"/"+name, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) {
					cloud := pendingCloud()
					c, err := o.client(localEndpoint(o.svc), transport.Settings{HTTPClient: &loseFirstAnswer{cloud: cloud}, Retry: timedPolicy()})
					if err != nil {
						t.Fatalf("new client: %v", err)
					}
					call := func(ctx context.Context, in any) (any, transport.Metadata, error) { return c.call(ctx, in) }
					if idempotent {
						call = c.callIdempotent
					}
					in := o.input(0)
					out, meta, err := call(context.Background(), in)
					got := classify(t, meta, err)
					want, gone := lostAnswerWant(o, idempotent)
					if d := cmp.Diff(want, got); d != "" {
						t.Errorf("outcome mismatch (-want +got):\n%s\nerror: %v", d, err)
					}
					if err == nil && alreadyGone(out) != gone {
						t.Errorf("AlreadyGone = %v, want %v (output %+v)", alreadyGone(out), gone, out)
					}
					if err == nil && !gone {
						if err := o.check(in, out); err != nil {
							t.Error(err)
						}
					}
					if !o.done(cloud, 0) {
						t.Errorf("the emulator does not show what the first request did")
					}
					if n := cloud.Requests(o.op); n != 2 {
						t.Errorf("the emulator saw %d requests, want 2", n)
					}
					checkErrorText(t, err)
				})
				figures.fault("7 lost answers (fakecloud)", "answer lost after acting, "+name, o.col)
			})
		}
	}
}
