package reliability

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// clock is a settable clock: real time plus an offset.
type clock struct{ off atomic.Int64 }

func (c *clock) Now() time.Time          { return time.Now().Add(time.Duration(c.off.Load())) }
func (c *clock) advance(d time.Duration) { c.off.Add(int64(d)) }

// hookDoer calls after with each response (or error) before handing it on.
type hookDoer struct {
	next  transport.Doer
	after func(req *http.Request, resp *http.Response, err error)
}

func (h hookDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := h.next.Do(req)
	h.after(req, resp, err)
	return resp, err
}

// tokenSetup is an emulated cloud with a DNS client using IAM password
// tokens, both on one settable clock.
type tokenSetup struct {
	clk    *clock
	cloud  *fakecloud.Cloud
	srv    *fakecloud.Server
	source *huaweicreds.PasswordTokenSource
	hc     *http.Client
}

// dns returns a DNS client authenticating with the setup's token source
// and sending through doer (nil: the setup's HTTP client).
func (s *tokenSetup) dns(t *testing.T, doer transport.Doer) *opClient {
	t.Helper()
	if doer == nil {
		doer = s.hc
	}
	c, err := newPrivateDNS(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: fakecloud.HuaweiRegion,
		Endpoint: s.srv.Endpoint(fakecloud.HuaweiDNS), TokenSource: s.source,
		Settings: transport.Settings{HTTPClient: doer, Retry: fastRetry(), AttemptTimeout: time.Second}})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c
}

// tokenCounts is what the emulator counted of a token scenario.
type tokenCounts struct {
	CreateToken, DisassociateRouter, TokensIssued int
}

func (s *tokenSetup) counts() tokenCounts {
	return tokenCounts{s.cloud.Requests(fakecloud.OpCreateToken), s.cloud.Requests(fakecloud.OpDisassociateRouter),
		s.cloud.TokensIssued()}
}

// dnsInput is the seeded DNS association.
func dnsInput() *privatedns.DisassociateRouterInput {
	return &privatedns.DisassociateRouterInput{ZoneID: fakecloud.HuaweiZoneID, RouterID: fakecloud.HuaweiVPCID}
}

// TestTokenExpiresBetweenAttempts: the first attempt meets a 503; before the
// retry the token expires. Judged by the service, the retry gets 401, the
// token is refreshed once and the request replayed; judged by the source's
// own clock, the retry fetches a new token first.
func TestTokenExpiresBetweenAttempts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, label  string
		sourceClock  bool
		wantAttempts int
		want         tokenCounts
	}{
		{"service rejects the expired token", "401 from DNS", false, 3, tokenCounts{CreateToken: 2, DisassociateRouter: 3, TokensIssued: 2}},
		{"source sees it expire", "source's clock", true, 2, tokenCounts{CreateToken: 2, DisassociateRouter: 2, TokensIssued: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []signer.CachedTokenOption
			clk := &clock{}
			if tc.sourceClock {
				opts = append(opts, signer.WithTokenClock(clk.Now))
			}
			s := newTokenSetup(t, clk, opts...)
			s.cloud.Inject(fakecloud.OpDisassociateRouter, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503})
			var expired atomic.Bool
			doer := hookDoer{next: s.hc, after: func(req *http.Request, resp *http.Response, _ error) {
				if resp != nil && resp.StatusCode == 503 && expired.CompareAndSwap(false, true) {
					clk.advance(fakecloud.DefaultTokenTTL + time.Hour)
				}
			}}
			_, meta, err := s.dns(t, doer).call(context.Background(), dnsInput())
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if meta.Attempts != tc.wantAttempts {
				t.Errorf("attempts = %d, want %d", meta.Attempts, tc.wantAttempts)
			}
			if d := cmp.Diff(tc.want, s.counts()); d != "" {
				t.Errorf("emulator counts (-want +got):\n%s", d)
			}
			figures.fault("3 tokens and IAM (fakecloud)", "token expires between attempts: "+tc.label, opPrivateDNS().col)
		})
	}
}

// newTokenSetup starts an emulator on clk and a token source for its IAM.
func newTokenSetup(t *testing.T, clk *clock, sourceOpts ...signer.CachedTokenOption) *tokenSetup {
	t.Helper()
	s := &tokenSetup{clk: clk, hc: newHTTPClient(t)}
	s.cloud = fakecloud.New(fakecloud.WithClock(clk.Now))
	s.srv = s.cloud.Start()
	t.Cleanup(s.srv.Close)
	src, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint: s.srv.Endpoint(fakecloud.HuaweiIAM), Region: fakecloud.HuaweiRegion,
		UserName: fakecloud.HuaweiUserName, Password: fakecloud.HuaweiPassword, DomainName: fakecloud.HuaweiDomainName,
		Settings: transport.Settings{HTTPClient: s.hc, Retry: fastRetry(), AttemptTimeout: time.Second},
	}, append([]signer.CachedTokenOption{signer.WithTokenFetchTimeout(2 * time.Second)}, sourceOpts...)...)
	if err != nil {
		t.Fatalf("token source: %v", err)
	}
	s.source = src
	return s
}

// TestIAMFailsWhileTokenNeeded: when IAM cannot give a token, the call
// fails with a typed error naming IAM's failure, within IAM's retry policy
// and the caller's deadline, and DNS never gets a request.
func TestIAMFailsWhileTokenNeeded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		refused  bool          // IAM's address refuses connections
		hang     bool          // IAM never answers
		inject   bool          // IAM answers 503
		deadline time.Duration // the caller's
		want     string        // outcome kind
		wantIAM  int           // CreateToken requests
	}{
		{name: "IAM answers 503", inject: true, deadline: 10 * time.Second, want: "auth", wantIAM: 3},
		{name: "IAM refuses connections", refused: true, deadline: 10 * time.Second, want: "auth"},
		{name: "IAM never answers, caller deadline", hang: true, deadline: 300 * time.Millisecond, want: "canceled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			iam := ""
			switch {
			case tc.refused:
				iam = refusedURL(t)
			case tc.hang:
				iam = newLoopback(t, func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }).URL()
			}
			s := newTokenSetup(t, &clock{})
			if iam != "" {
				src, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
					Endpoint: iam, Region: fakecloud.HuaweiRegion, UserName: "u", Password: fakecloud.HuaweiPassword,
					DomainName: "d", Settings: transport.Settings{HTTPClient: s.hc, Retry: fastRetry()},
				}, signer.WithTokenFetchTimeout(400*time.Millisecond))
				if err != nil {
					t.Fatalf("token source: %v", err)
				}
				s.source = src
			}
			if tc.inject {
				s.cloud.Inject(fakecloud.OpCreateToken, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503, Count: 100})
			}
			ctx, cancel := context.WithTimeout(context.Background(), tc.deadline)
			defer cancel()
			start := time.Now()
			_, meta, err := s.dns(t, nil).call(ctx, dnsInput())
			elapsed := time.Since(start)
			got := classify(t, meta, err)
			if got.Kind != tc.want {
				t.Errorf("outcome = %+v (%v), want %s", got, err, tc.want)
			}
			if tc.want == "canceled" && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v is not context.DeadlineExceeded", err)
			}
			if n := s.cloud.Requests(fakecloud.OpDisassociateRouter); n != 0 {
				t.Errorf("DNS got %d requests without a token", n)
			}
			if n := s.cloud.Requests(fakecloud.OpCreateToken); n != tc.wantIAM {
				t.Errorf("IAM got %d token requests, want %d", n, tc.wantIAM)
			}
			if elapsed > tc.deadline+time.Second {
				t.Errorf("call took %v, deadline %v", elapsed, tc.deadline)
			}
			checkErrorText(t, err)
			figures.fault("3 tokens and IAM (fakecloud)", "IAM fails while a token is needed", opPrivateDNS().col)
		})
	}
}

// TestTokenRefreshFails: the token expires, DNS answers 401, and IAM fails
// the refresh: the call ends with IAM's error after one DNS request.
func TestTokenRefreshFails(t *testing.T) {
	t.Parallel()
	clk := &clock{}
	s := newTokenSetup(t, clk)
	c := s.dns(t, nil)
	if _, _, err := c.call(context.Background(), dnsInput()); err != nil {
		t.Fatalf("first call: %v", err)
	}
	clk.advance(fakecloud.DefaultTokenTTL + time.Hour)
	s.cloud.Inject(fakecloud.OpCreateToken, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503, Count: 100})
	in := &privatedns.DisassociateRouterInput{ZoneID: fakecloud.HuaweiZoneID, RouterID: fakecloud.HuaweiVPCID2}
	_, meta, err := c.call(context.Background(), in)
	if got := classify(t, meta, err); got.Kind != "auth" {
		t.Errorf("outcome = %+v (%v), want auth", got, err)
	}
	want := tokenCounts{CreateToken: 1 + 3, DisassociateRouter: 2, TokensIssued: 1}
	if d := cmp.Diff(want, s.counts()); d != "" {
		t.Errorf("emulator counts (-want +got):\n%s", d)
	}
	figures.fault("3 tokens and IAM (fakecloud)", "token refresh fails after a 401", opPrivateDNS().col)
}

// TestIAMLookupFails: access keys without a project or domain ID make the
// client ask IAM; when IAM fails, the call fails with its typed error and
// the service gets nothing.
func TestIAMLookupFails(t *testing.T) {
	t.Parallel()
	hwKeys := signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: fakecloud.HuaweiAK, SecretKey: fakecloud.HuaweiSK})
	tests := []struct {
		name, op, lookup string
		client           func(srv *fakecloud.Server, s transport.Settings) (*opClient, error)
		in               any
	}{
		{"privatedns project ID", fakecloud.OpDisassociateRouter, fakecloud.OpListProjects,
			func(srv *fakecloud.Server, s transport.Settings) (*opClient, error) {
				o := privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: fakecloud.HuaweiRegion,
					Endpoint: srv.Endpoint(fakecloud.HuaweiDNS), IAMEndpoint: srv.Endpoint(fakecloud.HuaweiIAM),
					Credentials: hwKeys, Settings: s}
				privatedns.WithProjectIDFromIAM()(&o)
				return newPrivateDNS(o)
			}, dnsInput()},
		{"identitycenter domain ID", fakecloud.OpDeleteProfile, fakecloud.OpListAuthDomains,
			func(srv *fakecloud.Server, s transport.Settings) (*opClient, error) {
				return newIdentityCenter(srv.Endpoint(fakecloud.IdentityCenter), hwKeys, "", srv.Endpoint(fakecloud.HuaweiIAM), s, "")
			}, opIdentityCenter().input(0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cloud := fakecloud.New()
			srv := cloud.Start()
			t.Cleanup(srv.Close)
			cloud.Inject(tc.lookup, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503, Count: 100})
			c, err := tc.client(srv, transport.Settings{HTTPClient: newHTTPClient(t), Retry: fastRetry(), AttemptTimeout: time.Second})
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			_, meta, err := c.call(context.Background(), tc.in)
			if got := classify(t, meta, err); got.Kind != "auth" {
				t.Errorf("outcome = %+v (%v), want auth", got, err)
			}
			if n := cloud.Requests(tc.op); n != 0 {
				t.Errorf("the service got %d requests", n)
			}
			if n := cloud.Requests(tc.lookup); n != 3 {
				t.Errorf("IAM got %d lookups, want 3 (its retry policy)", n)
			}
			// The failed lookup is not cached: the next call asks again.
			_, _, _ = c.call(context.Background(), tc.in)
			if n := cloud.Requests(tc.lookup); n != 6 {
				t.Errorf("IAM got %d lookups after a second call, want 6", n)
			}
			checkErrorText(t, err)
			figures.fault("3 tokens and IAM (fakecloud)", "IAM lookup fails (AK/SK without an ID)", map[string]string{
				fakecloud.OpDisassociateRouter: opPrivateDNS().col, fakecloud.OpDeleteProfile: opIdentityCenter().col}[tc.op])
		})
	}
}
