package privatedns

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// Tests of the waiters and the helpers built on them against the emulator:
// on fake time (testing/synctest, with fakecloud.LocalDoer serving requests
// in memory, since a bubble allows no sockets) and over loopback.

// emuAuth is one authentication mode against the emulator.
type emuAuth struct {
	name     string
	provider fakecloud.Provider
	token    bool
}

func emuAuths() []emuAuth {
	return []emuAuth{
		{"huawei aksk", fakecloud.Huawei, false}, {"huawei token", fakecloud.Huawei, true},
		{"otc aksk", fakecloud.OTC, false}, {"otc token", fakecloud.OTC, true},
	}
}

// emuSeed is the emulator's seeded data of one cloud.
type emuSeed struct {
	region, zone, vpc1, vpc2, single, singleVPC string
}

func (a emuAuth) seed() emuSeed {
	if a.provider == fakecloud.OTC {
		return emuSeed{fakecloud.OTCRegion, fakecloud.OTCZoneID, fakecloud.OTCVPCID, fakecloud.OTCVPCID2,
			fakecloud.OTCSingleZoneID, fakecloud.OTCSingleVPCID}
	}
	return emuSeed{fakecloud.HuaweiRegion, fakecloud.HuaweiZoneID, fakecloud.HuaweiVPCID, fakecloud.HuaweiVPCID2,
		fakecloud.HuaweiSingleZoneID, fakecloud.HuaweiSingleVPCID}
}

// client returns a Client of the emulator at base (a loopback server's
// URL, or any URL with a LocalDoer) authenticating as a says.
func (a emuAuth) client(t *testing.T, base string, doer transport.Doer) *Client {
	t.Helper()
	dns, iam := fakecloud.HuaweiDNS, fakecloud.HuaweiIAM
	o := Options{Cloud: HuaweiCloud, Region: fakecloud.HuaweiRegion}
	user, pw, domain := fakecloud.HuaweiUserName, fakecloud.HuaweiPassword, fakecloud.HuaweiDomainName
	ak, sk, project := fakecloud.HuaweiAK, fakecloud.HuaweiSK, fakecloud.HuaweiProjectID
	if a.provider == fakecloud.OTC {
		dns, iam = fakecloud.OTCDNS, fakecloud.OTCIAM
		o.Cloud, o.Region = OpenTelekomCloud, fakecloud.OTCRegion
		user, pw, domain = fakecloud.OTCUserName, fakecloud.OTCPassword, fakecloud.OTCDomainName
		ak, sk, project = fakecloud.OTCAK, fakecloud.OTCSK, fakecloud.OTCProjectID
	}
	o.Endpoint, o.HTTPClient = base+string(dns), doer
	if a.token {
		ts, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
			Endpoint: base + string(iam), Region: o.Region, OTC: a.provider == fakecloud.OTC,
			UserName: user, Password: pw, DomainName: domain, Settings: transport.Settings{HTTPClient: doer},
		})
		require.NoError(t, err)
		o.TokenSource = ts
	} else {
		o.Credentials, o.ProjectID = signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: ak, SecretKey: sk}), project
	}
	c, err := New(o)
	require.NoError(t, err)
	return c
}

// trail records the DNS requests a client sends, as "METHOD last-segment",
// and can run a hook on each before it is served.
type trail struct {
	next transport.Doer
	mu   sync.Mutex
	reqs []string
	hook func(r *http.Request)
}

func (d *trail) Do(r *http.Request) (*http.Response, error) {
	if strings.Contains(r.URL.Path, "/dns/") {
		p := r.URL.Path
		d.mu.Lock()
		d.reqs = append(d.reqs, r.Method+" "+p[strings.LastIndex(p, "/")+1:])
		hook := d.hook
		d.mu.Unlock()
		if hook != nil {
			hook(r)
		}
	}
	return d.next.Do(r)
}

func (d *trail) requests() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.reqs...)
}

const emuBase = "http://fakecloud.invalid"

// emulated runs f in a synctest bubble with a new emulator served in memory.
func emulated(t *testing.T, f func(t *testing.T, cloud *fakecloud.Cloud, d *trail), opts ...fakecloud.Option) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		cloud := fakecloud.New(opts...)
		f(t, cloud, &trail{next: fakecloud.LocalDoer{Cloud: cloud}})
	})
}

// fast pauses exactly one second between polls.
var fast = RouterWaitOptions{WaitOptions: oneSecond}

func routersOf(t *testing.T, cloud *fakecloud.Cloud, p fakecloud.Provider, zone string) []fakecloud.Router {
	t.Helper()
	r, ok := cloud.Zone(p, zone)
	if !ok {
		t.Fatalf("zone %s does not exist", zone)
	}
	return r
}

func TestEmulatorDisassociateAndWait(t *testing.T) {
	t.Parallel()
	for _, a := range emuAuths() {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			emulated(t, func(t *testing.T, cloud *fakecloud.Cloud, d *trail) {
				s := a.seed()
				c := a.client(t, emuBase, d)
				start := time.Now()
				out, err := c.DisassociateAndWait(t.Context(), s.zone, s.vpc1, "", fast)
				require.NoError(t, err)
				if out.AlreadyGone || out.Disassociated == nil || out.Disassociated.Status != RouterStatusPendingDelete ||
					out.Metadata.StatusCode != 200 || out.Metadata.RequestID == "" {
					t.Errorf("output %+v, %+v", out, out.Disassociated)
				}
				// The look, the disassociation, then two reads that see
				// PENDING_DELETE and the one that sees it gone.
				want := []string{"GET " + s.zone, "POST disassociaterouter", "GET " + s.zone, "GET " + s.zone, "GET " + s.zone}
				if diff := cmp.Diff(want, d.requests()); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
				if got := time.Since(start); got != 2*time.Second {
					t.Errorf("waited %v, want 2s", got)
				}
				wantRouters := []fakecloud.Router{{ID: s.vpc2, Region: s.region, Status: fakecloud.RouterActive}}
				if diff := cmp.Diff(wantRouters, routersOf(t, cloud, a.provider, s.zone)); diff != "" {
					t.Errorf("routers (-want +got):\n%s", diff)
				}

				// Again: nothing to do, nothing sent but the look.
				out, err = c.DisassociateAndWait(t.Context(), s.zone, s.vpc1, s.region, fast)
				require.NoError(t, err)
				if !out.AlreadyGone || out.Disassociated != nil {
					t.Errorf("second run: %+v", out)
				}
				if n := cloud.Requests(fakecloud.OpDisassociateRouter); n != 1 {
					t.Errorf("%d disassociations sent, want 1", n)
				}

				// The last VPC cannot go: the error surfaces, and nothing waits.
				_, err = c.DisassociateAndWait(t.Context(), s.zone, s.vpc2, "", fast)
				var re *transport.ResponseError
				if !errors.As(err, &re) || re.Code != CodeLastVPC || !errors.Is(err, transport.ErrConflict) {
					t.Errorf("last VPC: %v", err)
				}
				// A zone that does not exist is an error at the look.
				_, err = c.DisassociateAndWait(t.Context(), "ff8080825b8fc86c0000000000000000", s.vpc2, "", fast)
				if !errors.As(err, &re) || re.Code != CodeZoneNotFound {
					t.Errorf("unknown zone: %v", err)
				}
			})
		})
	}
}

// A disassociation someone else started is waited for, not sent again.
func TestEmulatorDisassociateAndWaitAlreadyPending(t *testing.T) {
	t.Parallel()
	emulated(t, func(t *testing.T, cloud *fakecloud.Cloud, d *trail) {
		a := emuAuths()[0]
		s := a.seed()
		cloud.SetRouterStatus(a.provider, s.zone, s.vpc1, fakecloud.RouterPendingDelete)
		out, err := a.client(t, emuBase, d).DisassociateAndWait(t.Context(), s.zone, s.vpc1, "", fast)
		require.NoError(t, err)
		if out.AlreadyGone || out.Disassociated != nil {
			t.Errorf("output %+v", out)
		}
		// The look is a read too: it and the first poll see PENDING_DELETE.
		want := []string{"GET " + s.zone, "GET " + s.zone, "GET " + s.zone}
		if diff := cmp.Diff(want, d.requests()); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
	}, fakecloud.WithRouterTransitionReads(2))
}

// Region given: a VPC associated in another region is not the one named,
// so it is not there to disassociate.
func TestEmulatorDisassociateAndWaitRegion(t *testing.T) {
	t.Parallel()
	emulated(t, func(t *testing.T, cloud *fakecloud.Cloud, d *trail) {
		a := emuAuths()[0]
		s := a.seed()
		out, err := a.client(t, emuBase, d).DisassociateAndWait(t.Context(), s.zone, s.vpc1, fakecloud.HuaweiRegion2, fast)
		require.NoError(t, err)
		if !out.AlreadyGone || cloud.Requests(fakecloud.OpDisassociateRouter) != 0 {
			t.Errorf("output %+v after %d disassociations", out, cloud.Requests(fakecloud.OpDisassociateRouter))
		}
	})
}

func TestEmulatorWaiters(t *testing.T) {
	t.Parallel()
	const newVPC = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
	tests := map[string]struct {
		opts  []fakecloud.Option
		setup func(t *testing.T, cloud *fakecloud.Cloud, c *Client, s emuSeed)
		wait  func(ctx context.Context, c *Client, s emuSeed) error
		polls int   // ShowPrivateZone requests the emulator saw
		cause error // nil: success
	}{
		"disassociated after 2 pending reads": {
			setup: func(t *testing.T, _ *fakecloud.Cloud, c *Client, s emuSeed) {
				_, err := c.DisassociateRouter(t.Context(), &DisassociateRouterInput{ZoneID: s.zone, RouterID: s.vpc1})
				require.NoError(t, err)
			},
			wait: func(ctx context.Context, c *Client, s emuSeed) error {
				return c.WaitRouterDisassociated(ctx, s.zone, s.vpc1, fast)
			},
			polls: 3,
		},
		"disassociated after 5 pending reads": {
			opts: []fakecloud.Option{fakecloud.WithRouterTransitionReads(5)},
			setup: func(t *testing.T, _ *fakecloud.Cloud, c *Client, s emuSeed) {
				_, err := c.DisassociateRouter(t.Context(), &DisassociateRouterInput{ZoneID: s.zone, RouterID: s.vpc1})
				require.NoError(t, err)
			},
			wait: func(ctx context.Context, c *Client, s emuSeed) error {
				return c.WaitRouterDisassociated(ctx, s.zone, s.vpc1, fast)
			},
			polls: 6,
		},
		"active after associate": {
			setup: func(t *testing.T, _ *fakecloud.Cloud, c *Client, s emuSeed) {
				_, err := c.AssociateRouter(t.Context(), &AssociateRouterInput{ZoneID: s.zone, RouterID: newVPC})
				require.NoError(t, err)
			},
			wait: func(ctx context.Context, c *Client, s emuSeed) error {
				return c.WaitRouterActive(ctx, s.zone, newVPC, fast)
			},
			polls: 3,
		},
		"throttled polls are retried": {
			setup: func(t *testing.T, cloud *fakecloud.Cloud, c *Client, s emuSeed) {
				_, err := c.DisassociateRouter(t.Context(), &DisassociateRouterInput{ZoneID: s.zone, RouterID: s.vpc1})
				require.NoError(t, err)
				cloud.Inject(fakecloud.OpShowPrivateZone, fakecloud.Fault{Kind: fakecloud.Throttle, Count: 2})
			},
			wait: func(ctx context.Context, c *Client, s emuSeed) error {
				return c.WaitRouterDisassociated(ctx, s.zone, s.vpc1, fast)
			},
			polls: 5,
		},
		"zone deleted while waiting": {
			setup: func(t *testing.T, cloud *fakecloud.Cloud, c *Client, s emuSeed) {
				cloud.SetRouterStatus(fakecloud.Huawei, s.zone, s.vpc1, fakecloud.RouterPendingDelete)
				cloud.SetRouterStatus(fakecloud.OTC, s.zone, s.vpc1, fakecloud.RouterPendingDelete)
				time.AfterFunc(1500*time.Millisecond, func() {
					cloud.DeleteZone(fakecloud.Huawei, s.zone)
					cloud.DeleteZone(fakecloud.OTC, s.zone)
				})
			},
			opts: []fakecloud.Option{fakecloud.WithRouterTransitionReads(100)},
			wait: func(ctx context.Context, c *Client, s emuSeed) error {
				return c.WaitRouterDisassociated(ctx, s.zone, s.vpc1, fast)
			},
			polls: 3,
		},
		"ERROR persists": {
			setup: func(t *testing.T, cloud *fakecloud.Cloud, c *Client, s emuSeed) {
				cloud.SetRouterStatus(fakecloud.Huawei, s.zone, s.vpc1, fakecloud.RouterError)
				cloud.SetRouterStatus(fakecloud.OTC, s.zone, s.vpc1, fakecloud.RouterError)
			},
			wait: func(ctx context.Context, c *Client, s emuSeed) error {
				return c.WaitRouterDisassociated(ctx, s.zone, s.vpc1, fast)
			},
			polls: 4, cause: ErrRouterFailed,
		},
		"nobody disassociates": {
			wait: func(ctx context.Context, c *Client, s emuSeed) error {
				return c.WaitRouterDisassociated(ctx, s.zone, s.vpc1, fast)
			},
			polls: 4, cause: ErrRouterNotDisassociating,
		},
		"nobody associates": {
			wait: func(ctx context.Context, c *Client, s emuSeed) error {
				return c.WaitRouterActive(ctx, s.zone, newVPC, fast)
			},
			polls: 4, cause: ErrRouterNotAssociated,
		},
	}
	for _, a := range emuAuths() {
		for name, tc := range tests {
			t.Run(a.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				emulated(t, func(t *testing.T, cloud *fakecloud.Cloud, d *trail) {
					s := a.seed()
					c := a.client(t, emuBase, d)
					if tc.setup != nil {
						tc.setup(t, cloud, c, s)
					}
					err := tc.wait(t.Context(), c, s)
					if tc.cause == nil && err != nil || tc.cause != nil && !errors.Is(err, tc.cause) {
						t.Errorf("error %v, want %v", err, tc.cause)
					}
					if n := cloud.Requests(fakecloud.OpShowPrivateZone); n != tc.polls {
						t.Errorf("%d ShowPrivateZone requests, want %d", n, tc.polls)
					}
					// Waiters never change anything.
					if n := cloud.Requests(fakecloud.OpDisassociateRouter) + cloud.Requests(fakecloud.OpAssociateRouter); n > 1 {
						t.Errorf("%d changes sent, want at most the setup's", n)
					}
				}, tc.opts...)
			})
		}
	}
}

func TestEmulatorReplaceRouter(t *testing.T) {
	t.Parallel()
	const newVPC = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
	for _, a := range emuAuths() {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			emulated(t, func(t *testing.T, cloud *fakecloud.Cloud, d *trail) {
				s := a.seed()
				c := a.client(t, emuBase, d)
				// The zone's only VPC cannot simply be disassociated.
				_, err := c.DisassociateRouter(t.Context(), &DisassociateRouterInput{ZoneID: s.single, RouterID: s.singleVPC})
				require.ErrorIs(t, err, transport.ErrConflict)

				out, err := c.ReplaceRouter(t.Context(), s.single, RouterRef{ID: s.singleVPC}, RouterRef{ID: newVPC, Region: s.region}, fast)
				require.NoError(t, err)
				if out.Associated == nil || out.Associated.Status != RouterStatusPendingCreate ||
					out.Disassociated == nil || out.Disassociated.AlreadyGone || out.Disassociated.Disassociated.Status != RouterStatusPendingDelete {
					t.Errorf("output %+v", out)
				}
				get := "GET " + s.single
				want := []string{"POST disassociaterouter", // refused above
					"POST associaterouter", get, get, get, // PENDING_CREATE twice, then ACTIVE
					get, "POST disassociaterouter", get, get, get} // look, disassociate, wait
				if diff := cmp.Diff(want, d.requests()); diff != "" {
					t.Errorf("requests (-want +got):\n%s", diff)
				}
				wantRouters := []fakecloud.Router{{ID: newVPC, Region: s.region, Status: fakecloud.RouterActive}}
				if diff := cmp.Diff(wantRouters, routersOf(t, cloud, a.provider, s.single)); diff != "" {
					t.Errorf("routers (-want +got):\n%s", diff)
				}

				// Again: the new VPC is already associated, the old one gone.
				out, err = c.ReplaceRouter(t.Context(), s.single, RouterRef{ID: s.singleVPC}, RouterRef{ID: newVPC, Region: s.region}, fast)
				require.NoError(t, err)
				if out.Associated != nil || !out.Disassociated.AlreadyGone {
					t.Errorf("second run: %+v, %+v", out, out.Disassociated)
				}
			})
		})
	}
}

func TestEmulatorReplaceRouterFailures(t *testing.T) {
	t.Parallel()
	const newVPC = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
	a := emuAuths()[0]
	s := a.seed()
	tests := map[string]struct {
		newID  string
		setup  func(cloud *fakecloud.Cloud, d *trail)
		step   ReplaceStep
		router string
		cause  error  // errors.Is target
		code   string // the service's code, when the step failed on an answer
	}{
		"unknown new VPC": {newID: fakecloud.UnknownVPCID, step: StepAssociate, router: fakecloud.UnknownVPCID,
			cause: transport.ErrNotFound, code: "DNS.0711"},
		"new VPC in ERROR": {
			setup: func(cloud *fakecloud.Cloud, _ *trail) {
				cloud.AddZone(fakecloud.Huawei, s.single, fakecloud.Router{ID: s.singleVPC}, fakecloud.Router{ID: newVPC, Status: fakecloud.RouterError})
			},
			step: StepWaitActive, router: newVPC, cause: ErrRouterFailed},
		"zone updating": {
			setup: func(cloud *fakecloud.Cloud, _ *trail) {
				cloud.SetZoneStatus(fakecloud.Huawei, s.single, fakecloud.ZonePendingUpdate)
			},
			step: StepAssociate, router: newVPC, code: "DNS.0209"},
		"disassociation fails": {
			setup: func(cloud *fakecloud.Cloud, _ *trail) {
				cloud.Inject(fakecloud.OpDisassociateRouter, fakecloud.Fault{Kind: fakecloud.ServerError, Count: 3})
			},
			step: StepDisassociate, router: s.singleVPC, code: "DNS.0000"},
		"wait for removal fails": {
			setup: func(cloud *fakecloud.Cloud, d *trail) {
				d.hook = func(r *http.Request) {
					if strings.HasSuffix(r.URL.Path, "/disassociaterouter") {
						cloud.Inject(fakecloud.OpShowPrivateZone, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 500, Count: 100})
					}
				}
			},
			step: StepWaitRemoved, router: s.singleVPC, code: "DNS.0001"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			emulated(t, func(t *testing.T, cloud *fakecloud.Cloud, d *trail) {
				if tc.setup != nil {
					tc.setup(cloud, d)
				}
				newID := newVPC
				if tc.newID != "" {
					newID = tc.newID
				}
				before := routersOf(t, cloud, a.provider, s.single)
				out, err := a.client(t, emuBase, d).ReplaceRouter(t.Context(), s.single, RouterRef{ID: s.singleVPC}, RouterRef{ID: newID}, fast)
				var rre *ReplaceRouterError
				if out != nil || !errors.As(err, &rre) || rre.Step != tc.step || rre.RouterID != tc.router {
					t.Fatalf("got %+v, %v; want a ReplaceRouterError at step %s for %s", out, err, tc.step, tc.router)
				}
				if tc.cause != nil && !errors.Is(err, tc.cause) {
					t.Errorf("error %v does not match %v", err, tc.cause)
				}
				var we *transport.WaitError
				if isWait := errors.As(err, &we); isWait != (tc.step == StepWaitActive || tc.step == StepWaitRemoved) {
					t.Errorf("error %v: WaitError %v at step %s", err, isWait, tc.step)
				}
				var re *transport.ResponseError
				if tc.code != "" && (!errors.As(err, &re) || re.Code != tc.code) {
					t.Errorf("error %v does not carry the answer %s", err, tc.code)
				}
				if !strings.HasPrefix(err.Error(), "DNS ReplaceRouter: step "+string(tc.step)+` (VPC "`+tc.router+`"): `) {
					t.Errorf("error %q does not name the step and VPC", err)
				}
				if tc.step == StepAssociate || tc.step == StepWaitActive {
					// The old VPC stays, so the zone keeps serving it.
					if diff := cmp.Diff(before, routersOf(t, cloud, a.provider, s.single)); diff != "" {
						t.Errorf("routers changed (-before +after):\n%s", diff)
					}
					if n := cloud.Requests(fakecloud.OpDisassociateRouter); n != 0 {
						t.Errorf("%d disassociations sent after step %s failed", n, tc.step)
					}
				}
			})
		})
	}
}

func TestReplaceRouterBadInput(t *testing.T) {
	t.Parallel()
	d := &scriptDoer{t: t, states: []string{"ACTIVE"}}
	c := scriptClient(t, d)
	for _, tc := range []struct {
		zone           string
		oldRef, newRef RouterRef
		want           string
	}{
		{"", RouterRef{ID: "a"}, RouterRef{ID: "b"}, "ZoneID is required"},
		{"..", RouterRef{ID: "a"}, RouterRef{ID: "b"}, `ZoneID must not be "." or ".."`},
		{"z", RouterRef{}, RouterRef{ID: "b"}, "Old.ID is required"},
		{"z", RouterRef{ID: "a"}, RouterRef{}, "New.ID is required"},
		{"z", RouterRef{ID: "a", Region: strings.Repeat("e", 256)}, RouterRef{ID: "b"}, "Old.Region must be 1 to 255 characters"},
		{"z", RouterRef{ID: "a"}, RouterRef{ID: strings.Repeat("b", 256)}, "New.ID must be 1 to 255 characters"},
		{strings.Repeat("z", 256), RouterRef{ID: "a"}, RouterRef{ID: "b"}, "ZoneID must be 1 to 255 characters"},
		{"z", RouterRef{ID: "a"}, RouterRef{ID: "b", Region: "\xff"}, "New.Region must be valid UTF-8"},
		{"z", RouterRef{ID: "a", Region: "eu-de"}, RouterRef{ID: "a", Region: "eu-nl"}, "New.ID must differ from Old.ID"},
	} {
		_, err := c.ReplaceRouter(t.Context(), tc.zone, tc.oldRef, tc.newRef, fast)
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "ReplaceRouter") {
			t.Errorf("%+v: error %v, want a ValidationError containing %q", tc, err, tc.want)
		}
	}
	for _, tc := range []struct{ zone, router, region, want string }{
		{"", "a", "", "ZoneID is required"},
		{"z", "", "", "RouterID is required"},
		{"z", "a", "\xff", "RouterRegion must be valid UTF-8"},
		{"z", strings.Repeat("a", 256), "", "RouterID must be 1 to 255 characters"},
	} {
		_, err := c.DisassociateAndWait(t.Context(), tc.zone, tc.router, tc.region, fast)
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "DisassociateAndWait") {
			t.Errorf("%+v: error %v, want a ValidationError containing %q", tc, err, tc.want)
		}
	}
	if n := d.count(); n != 0 {
		t.Errorf("bad input caused %d requests", n)
	}
}

// TestLoopbackReplaceRouter runs the helpers end to end over a real
// loopback connection, with short pauses between polls.
func TestLoopbackReplaceRouter(t *testing.T) {
	t.Parallel()
	const newVPC = "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c9d"
	short := RouterWaitOptions{WaitOptions: transport.WaitOptions{MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}}
	for _, a := range emuAuths() {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			srv := fakecloud.New(fakecloud.WithRouterTransitionReads(3)).Start()
			t.Cleanup(srv.Close)
			cloud, s := srv.Cloud(), a.seed()
			c := a.client(t, srv.URL, srv.Client())
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()

			if _, err := c.ReplaceRouter(ctx, s.single, RouterRef{ID: s.singleVPC}, RouterRef{ID: newVPC}, short); err != nil {
				t.Fatal(err)
			}
			want := []fakecloud.Router{{ID: newVPC, Region: s.region, Status: fakecloud.RouterActive}}
			if diff := cmp.Diff(want, routersOf(t, cloud, a.provider, s.single)); diff != "" {
				t.Errorf("routers of the single zone (-want +got):\n%s", diff)
			}
			out, err := c.DisassociateAndWait(ctx, s.zone, s.vpc2, "", short)
			if err != nil || out.AlreadyGone {
				t.Fatalf("DisassociateAndWait: %+v, %v", out, err)
			}
			z, err := c.ShowPrivateZone(ctx, &ShowPrivateZoneInput{ZoneID: s.zone})
			require.NoError(t, err)
			wantZone := []Router{{RouterID: s.vpc1, RouterRegion: s.region, Status: RouterStatusActive}}
			if diff := cmp.Diff(wantZone, z.Routers); diff != "" || z.ID != s.zone || z.ZoneType != "private" || z.CreatedAt.IsZero() {
				t.Errorf("zone %+v; routers (-want +got):\n%s", z, diff)
			}
			// 3 pending reads each time: associate, wait 4; look, disassociate, wait 4; again.
			if n := cloud.Requests(fakecloud.OpShowPrivateZone); n != 4+1+4+1+4+1 {
				t.Errorf("%d ShowPrivateZone requests", n)
			}
		})
	}
}
