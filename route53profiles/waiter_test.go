package route53profiles_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// The waiter tests run the client against the emulator. Inside a synctest
// bubble they talk through a fakecloud.LocalDoer (no sockets), so the
// waits are fake time and the tests can assert them exactly; the loopback
// tests at the end run the same over real HTTP with short delays.

// emulatorClient returns a client of cloud's Route 53 Profiles through a
// LocalDoer, signing with the emulator's main key.
func emulatorClient(t *testing.T, cloud *fakecloud.Cloud, opts ...route53profiles.Option) *route53profiles.Client {
	t.Helper()
	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    "http://fakecloud.invalid" + string(fakecloud.Route53Profiles),
		Credentials: signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, ""),
		Settings:    transport.Settings{HTTPClient: fakecloud.LocalDoer{Cloud: cloud}},
	}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// requestCounts is how many requests of each operation the emulator saw.
func requestCounts(cloud *fakecloud.Cloud) map[string]int {
	return map[string]int{
		"disassociate": cloud.Requests(fakecloud.OpDisassociateProfile),
		"list":         cloud.Requests(fakecloud.OpListProfileAssociations),
		"get":          cloud.Requests(fakecloud.OpGetProfileAssociation),
	}
}

func disassociateSeed(t *testing.T, c *route53profiles.Client) {
	t.Helper()
	out, err := c.DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID})
	if err != nil || out.ProfileAssociation.Status != route53profiles.ProfileStatusDeleting {
		t.Fatalf("DisassociateProfile: %+v, %v", out, err)
	}
}

func TestWaitProfileDisassociated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		reads       int // emulator reads that still see DELETING
		wopts       transport.WaitOptions
		wantPolls   int
		minElapsed  time.Duration
		maxElapsed  time.Duration
		faultInject int // throttled list requests, retried by the transport
	}{
		// Polls at 0, 2 s, then 2 s + [2 s, 4 s]: the defaults.
		{name: "defaults", reads: 2, wantPolls: 3, minElapsed: 4 * time.Second, maxElapsed: 6 * time.Second},
		{name: "gone at the first poll", reads: 0, wantPolls: 1},
		{name: "fixed delay", reads: 3, wopts: transport.WaitOptions{MinDelay: 10 * time.Second, MaxDelay: 10 * time.Second},
			wantPolls: 4, minElapsed: 30 * time.Second, maxElapsed: 30 * time.Second},
		// Two throttled polls are retried by the transport (backoff at most
		// 1 s, then 2 s) without ending the wait.
		{name: "throttled polls", reads: 1, faultInject: 2, wantPolls: 2, minElapsed: 2 * time.Second, maxElapsed: 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				cloud := fakecloud.New(fakecloud.WithProfileDeletionReads(tt.reads))
				c := emulatorClient(t, cloud)
				disassociateSeed(t, c)
				if tt.faultInject > 0 {
					cloud.Inject(fakecloud.OpListProfileAssociations, fakecloud.Fault{Kind: fakecloud.Throttle, Count: tt.faultInject})
				}
				begin := time.Now()
				if err := c.WaitProfileDisassociated(t.Context(), fakecloud.R53ProfileID, fakecloud.R53VPCID, tt.wopts); err != nil {
					t.Fatal(err)
				}
				if d := time.Since(begin); d < tt.minElapsed || d > tt.maxElapsed {
					t.Errorf("waited %v, want %v to %v", d, tt.minElapsed, tt.maxElapsed)
				}
				want := map[string]int{"disassociate": 1, "list": tt.wantPolls + tt.faultInject, "get": 0}
				if diff := cmp.Diff(want, requestCounts(cloud)); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
				if ok, _ := cloud.ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID); ok {
					t.Error("association still exists")
				}
			})
		})
	}
}

func TestWaitProfileDisassociatedEnds(t *testing.T) {
	t.Parallel()
	type result struct {
		LastState string
		Polls     int
		Waited    time.Duration
	}
	tests := []struct {
		name    string
		status  string // set on the seeded association; "" leaves it COMPLETE
		message string
		timeout time.Duration
		creds   [2]string
		wantErr error  // errors.Is target; nil: success
		wantMsg string // in the error string
		want    result
	}{
		{name: "DELETED is done", status: "DELETED"},
		{name: "FAILED fails at once", status: "FAILED", message: "Failed to delete\x1b[31m",
			wantErr: route53profiles.ErrAssociationFailed, wantMsg: `association "` + fakecloud.R53AssociationID + `": "Failed to delete\x1b[31m"`,
			want: result{"FAILED", 1, 0}},
		// Nobody removes it: COMPLETE is "not yet" until the deadline.
		// Polls at 0, 2, then pauses of 2 to 30 s; the one that would
		// pass the deadline is not made.
		{name: "COMPLETE until the deadline", timeout: time.Minute, wantErr: transport.ErrWaitDeadline, want: result{LastState: "COMPLETE"}},
		{name: "CREATING until the deadline", status: "CREATING", timeout: 10 * time.Second, wantErr: transport.ErrWaitDeadline,
			want: result{LastState: "CREATING"}},
		{name: "poll fails", creds: [2]string{fakecloud.AWSDeniedAccessKeyID, fakecloud.AWSDeniedSecretKey},
			wantErr: transport.ErrAccessDenied, want: result{"", 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				cloud := fakecloud.New()
				if tt.status != "" {
					cloud.SetProfileAssociationStatus(fakecloud.R53ProfileID, fakecloud.R53VPCID, tt.status, tt.message)
				}
				var opts []route53profiles.Option
				if tt.creds[0] != "" {
					opts = append(opts, func(o *route53profiles.Options) {
						o.Credentials = signer.StaticAWSCredentials(tt.creds[0], tt.creds[1], "")
					})
				}
				c := emulatorClient(t, cloud, opts...)
				ctx := t.Context()
				if tt.timeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.timeout)
					defer cancel()
				}
				err := c.WaitProfileDisassociated(ctx, fakecloud.R53ProfileID, fakecloud.R53VPCID, transport.WaitOptions{})
				if tt.wantErr == nil {
					if err != nil {
						t.Fatal(err)
					}
					return
				}
				var we *transport.WaitError
				if !errors.As(err, &we) || !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want a WaitError for %v", err, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantMsg) || strings.ContainsAny(err.Error(), "\x1b\n") {
					t.Errorf("error %q, want it to contain %q and no control characters", err, tt.wantMsg)
				}
				got := result{we.LastState, we.Polls, we.Waited}
				if tt.want.Polls == 0 { // a deadline: the count depends on the jitter
					got.Polls, got.Waited = 0, 0
					if we.Polls < 3 || we.Waited > tt.timeout {
						t.Errorf("%d polls in %v, want at least 3 within %v", we.Polls, we.Waited, tt.timeout)
					}
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("WaitError (-want +got):\n%s", diff)
				}
				if n := cloud.Requests(fakecloud.OpDisassociateProfile); n != 0 {
					t.Errorf("the waiter sent %d disassociations", n)
				}
			})
		})
	}
}

func TestWaitProfileDisassociatedBadInput(t *testing.T) {
	t.Parallel()
	cloud := fakecloud.New()
	c := emulatorClient(t, cloud)
	for _, ids := range [][2]string{{"", "vpc-1"}, {"rp-1", ""}, {"..", "vpc-1"}, {"rp-1", strings.Repeat("v", 65)}} {
		err := c.WaitProfileDisassociated(t.Context(), ids[0], ids[1], transport.WaitOptions{})
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), "WaitProfileDisassociated") {
			t.Errorf("%q: error = %v, want a ValidationError naming the waiter", ids, err)
		}
		_, err = c.DisassociateAndWait(t.Context(), ids[0], ids[1], transport.WaitOptions{})
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), "DisassociateAndWait") {
			t.Errorf("%q: error = %v, want a ValidationError naming DisassociateAndWait", ids, err)
		}
	}
	if diff := cmp.Diff(map[string]int{"disassociate": 0, "list": 0, "get": 0}, requestCounts(cloud)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestDisassociateAndWait(t *testing.T) {
	t.Parallel()
	seedWith := func(status route53profiles.ProfileStatus) *route53profiles.ProfileAssociation {
		return &route53profiles.ProfileAssociation{ID: fakecloud.R53AssociationID, ProfileID: fakecloud.R53ProfileID,
			ResourceID: fakecloud.R53VPCID, Status: status}
	}
	tests := []struct {
		name       string
		status     string // set on the seeded association; "" leaves it COMPLETE
		resourceID string // "" means the seeded R53VPCID
		want       *route53profiles.DisassociateAndWaitOutput
		wantReqs   map[string]int
	}{
		{name: "COMPLETE: disassociate, then wait",
			want:     &route53profiles.DisassociateAndWaitOutput{Disassociated: true, ProfileAssociation: seedWith(route53profiles.ProfileStatusComplete)},
			wantReqs: map[string]int{"disassociate": 1, "list": 1 + 3, "get": 0}},
		{name: "FAILED: disassociate, then wait", status: "FAILED",
			want:     &route53profiles.DisassociateAndWaitOutput{Disassociated: true, ProfileAssociation: seedWith(route53profiles.ProfileStatusFailed)},
			wantReqs: map[string]int{"disassociate": 1, "list": 1 + 3, "get": 0}},
		// The first look counts as a read of the DELETING association.
		{name: "DELETING: wait only", status: "DELETING",
			want:     &route53profiles.DisassociateAndWaitOutput{ProfileAssociation: seedWith(route53profiles.ProfileStatusDeleting)},
			wantReqs: map[string]int{"disassociate": 0, "list": 1 + 2, "get": 0}},
		{name: "DELETED: already gone", status: "DELETED",
			want:     &route53profiles.DisassociateAndWaitOutput{AlreadyGone: true, ProfileAssociation: seedWith(route53profiles.ProfileStatusDeleted)},
			wantReqs: map[string]int{"disassociate": 0, "list": 1, "get": 0}},
		{name: "no association: already gone", resourceID: "vpc-unknown",
			want:     &route53profiles.DisassociateAndWaitOutput{AlreadyGone: true},
			wantReqs: map[string]int{"disassociate": 0, "list": 1, "get": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				cloud := fakecloud.New()
				if tt.status != "" {
					cloud.SetProfileAssociationStatus(fakecloud.R53ProfileID, fakecloud.R53VPCID, tt.status, "")
				}
				resourceID := fakecloud.R53VPCID
				if tt.resourceID != "" {
					resourceID = tt.resourceID
				}
				out, err := emulatorClient(t, cloud).DisassociateAndWait(t.Context(), fakecloud.R53ProfileID, resourceID, transport.WaitOptions{})
				if err != nil {
					t.Fatal(err)
				}
				opt := cmp.FilterPath(func(p cmp.Path) bool {
					n := p.Last().String()
					return n == ".Name" || n == ".OwnerID" || n == ".StatusMessage" || n == ".CreationTime" || n == ".ModificationTime"
				}, cmp.Ignore())
				if diff := cmp.Diff(tt.want, out, opt); diff != "" {
					t.Errorf("output (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantReqs, requestCounts(cloud)); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
				// Only DELETING moves on by itself; the others stay as set.
				wantExists := tt.resourceID != "" || tt.status == "DELETED"
				if ok, _ := cloud.ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID); ok != wantExists {
					t.Errorf("seeded association exists: %v", ok)
				}
			})
		})
	}
}

// The association vanishes between the look and DisassociateProfile: the
// not-found answer means it is gone, even with Idempotent off, and nothing
// more is sent.
func TestDisassociateAndWaitVanished(t *testing.T) {
	t.Parallel()
	srv := newServer(t,
		reply{status: 200, body: `{"ProfileAssociations":[{"Id":"a","ProfileId":"rp-1","ResourceId":"vpc-1","Status":"COMPLETE"}]}`},
		notFound,
	)
	out, err := srv.client(t).DisassociateAndWait(t.Context(), "rp-1", "vpc-1", transport.WaitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &route53profiles.DisassociateAndWaitOutput{AlreadyGone: true,
		ProfileAssociation: &route53profiles.ProfileAssociation{ID: "a", ProfileID: "rp-1", ResourceID: "vpc-1", Status: route53profiles.ProfileStatusComplete}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	var methods []string
	for _, r := range srv.requests() {
		methods = append(methods, r.method)
	}
	if diff := cmp.Diff([]string{"GET", "DELETE"}, methods); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// An association of another pair in the answer (a service that ignored
// the filter) is not taken for the one waited for.
func TestDisassociateAndWaitChecksIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 200, body: `{"ProfileAssociations":[` +
		`{"Id":"x","ProfileId":"rp-1","ResourceId":"vpc-2","Status":"COMPLETE"},` +
		`{"Id":"y","ProfileId":"rp-2","ResourceId":"vpc-1","Status":"COMPLETE"}]}`})
	out, err := srv.client(t).DisassociateAndWait(t.Context(), "rp-1", "vpc-1", transport.WaitOptions{})
	if err != nil || !out.AlreadyGone || srv.hits() != 1 {
		t.Errorf("got %+v, %v after %d hits; want AlreadyGone after 1", out, err, srv.hits())
	}
}

func TestDisassociateAndWaitErrors(t *testing.T) {
	t.Parallel()
	t.Run("wait fails: the output says what was done", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			cloud := fakecloud.New(fakecloud.WithProfileDeletionReads(1000))
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			out, err := emulatorClient(t, cloud).DisassociateAndWait(ctx, fakecloud.R53ProfileID, fakecloud.R53VPCID, transport.WaitOptions{})
			var we *transport.WaitError
			if !errors.As(err, &we) || we.LastState != "DELETING" {
				t.Fatalf("error = %v, want a WaitError in state DELETING", err)
			}
			if out == nil || !out.Disassociated || out.AlreadyGone {
				t.Errorf("output = %+v, want Disassociated", out)
			}
		})
	})
	t.Run("look fails", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, reply{status: 400, body: `{"__type":"AccessDeniedException"}`})
		out, err := srv.client(t).DisassociateAndWait(t.Context(), "rp-1", "vpc-1", transport.WaitOptions{})
		if out != nil || !errors.Is(err, transport.ErrAccessDenied) || srv.hits() != 1 {
			t.Errorf("got %+v, %v after %d hits; want access denied after 1", out, err, srv.hits())
		}
	})
	t.Run("disassociate fails", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t,
			reply{status: 200, body: `{"ProfileAssociations":[{"Id":"a","ProfileId":"rp-1","ResourceId":"vpc-1","Status":"COMPLETE"}]}`},
			reply{status: 400, body: `{"__type":"LimitExceededException"}`},
		)
		out, err := srv.client(t).DisassociateAndWait(t.Context(), "rp-1", "vpc-1", transport.WaitOptions{})
		if out != nil || !errors.Is(err, transport.ErrQuotaExceeded) || srv.hits() != 2 {
			t.Errorf("got %+v, %v after %d hits; want quota exceeded after 2", out, err, srv.hits())
		}
	})
}

// countingDoer counts the requests it passes to the emulator.
type countingDoer struct {
	inner transport.Doer
	n     *atomic.Int32
}

func (d countingDoer) Do(r *http.Request) (*http.Response, error) {
	d.n.Add(1)
	return d.inner.Do(r)
}

// Per-call options reach every call DisassociateAndWait makes, and do not
// change the client's options.
func TestDisassociateAndWaitPerCallOptions(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		cloud := fakecloud.New()
		c := emulatorClient(t, cloud)
		var n atomic.Int32
		opt := func(o *route53profiles.Options) { o.HTTPClient = countingDoer{inner: o.HTTPClient, n: &n} }
		if _, err := c.DisassociateAndWait(t.Context(), fakecloud.R53ProfileID, fakecloud.R53VPCID, transport.WaitOptions{}, opt); err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, v := range requestCounts(cloud) {
			total += v
		}
		if int(n.Load()) != total || total != 5 {
			t.Errorf("wrapped Doer saw %d requests, emulator %d; want 5 each", n.Load(), total)
		}
		if c.Options().Idempotent {
			t.Error("the client's Idempotent was changed")
		}
	})
}

// Over loopback HTTP against the emulator, with short delays.
func TestDisassociateAndWaitLoopback(t *testing.T) {
	t.Parallel()
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.Endpoint(fakecloud.Route53Profiles),
		Credentials: signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, ""),
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	wopts := transport.WaitOptions{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

	out, err := c.DisassociateAndWait(ctx, fakecloud.R53ProfileID, fakecloud.R53VPCID, wopts)
	if err != nil || !out.Disassociated || out.ProfileAssociation.ID != fakecloud.R53AssociationID {
		t.Fatalf("DisassociateAndWait: %+v, %v", out, err)
	}
	_, err = c.GetProfileAssociation(ctx, &route53profiles.GetProfileAssociationInput{ProfileAssociationID: fakecloud.R53AssociationID})
	if !errors.Is(err, transport.ErrNotFound) {
		t.Errorf("GetProfileAssociation after the wait: %v, want not found", err)
	}
	// Again: nothing left to do.
	out, err = c.DisassociateAndWait(ctx, fakecloud.R53ProfileID, fakecloud.R53VPCID, wopts)
	if err != nil || !out.AlreadyGone {
		t.Errorf("second DisassociateAndWait: %+v, %v", out, err)
	}
	// DisassociateProfile, then the waiter, on the other association.
	if _, err := c.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID2}); err != nil {
		t.Fatal(err)
	}
	if err := c.WaitProfileDisassociated(ctx, fakecloud.R53ProfileID, fakecloud.R53VPCID2, wopts); err != nil {
		t.Fatal(err)
	}
	var left []string
	for a, err := range c.ListProfileAssociationsAll(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		left = append(left, a.ID)
	}
	if len(left) != 0 {
		t.Errorf("associations left: %v", left)
	}
	// Idempotent: a repeated disassociation is a success.
	d, err := c.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID2},
		func(o *route53profiles.Options) { o.Idempotent = true })
	if err != nil || !d.AlreadyGone || d.Metadata.StatusCode != 400 || d.Metadata.RequestID == "" {
		t.Errorf("idempotent repeat: %+v, %v", d, err)
	}
}
