package e2e

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// allDNSAuth returns every authentication mode of privatedns.
func allDNSAuth() []dnsAuth {
	return []dnsAuth{huaweiPasswordToken, huaweiAKSK, otcAKSK, otcPasswordToken}
}

func routerStatus(t *testing.T, c *fakecloud.Cloud, p fakecloud.Provider, zoneID, routerID string) string {
	t.Helper()
	routers, ok := c.Zone(p, zoneID)
	if !ok {
		t.Fatalf("zone %s does not exist", zoneID)
	}
	for _, r := range routers {
		if r.ID == routerID {
			return r.Status
		}
	}
	return "absent"
}

func TestPrivateDNSDisassociateRouter(t *testing.T) {
	t.Parallel()
	for _, a := range allDNSAuth() {
		t.Run(a.String(), func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			rec := newRecorder(t)
			c := newPrivateDNS(t, srv, a, transport.Settings{HTTPClient: rec})
			zone, vpc, vpc2 := a.seed()

			out, err := c.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{ZoneID: zone, RouterID: vpc})
			if err != nil {
				t.Fatal(err)
			}
			want := &privatedns.DisassociateRouterOutput{
				RouterID:     vpc,
				RouterRegion: a.region(),
				Status:       privatedns.RouterStatusPendingDelete,
				Metadata:     transport.Metadata{StatusCode: 202, Attempts: 1},
			}
			if diff := cmp.Diff(want, out, cmpopts.IgnoreFields(transport.Metadata{}, "RequestID")); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if !huaweiRequestID.MatchString(out.Metadata.RequestID) {
				t.Errorf("request ID %q is not the emulator's", out.Metadata.RequestID)
			}
			cl := srv.Cloud()
			if got := routerStatus(t, cl, a.provider(), zone, vpc); got != fakecloud.RouterPendingDelete {
				t.Errorf("router status %s, want %s", got, fakecloud.RouterPendingDelete)
			}
			if got := routerStatus(t, cl, a.provider(), zone, vpc2); got != fakecloud.RouterActive {
				t.Errorf("the other router is %s, want %s", got, fakecloud.RouterActive)
			}

			// One IAM call (a token, or the project ID), then the call itself.
			prefix, iamPath, dnsPath := "/huaweicloud", "/iam/v3/projects", "/dns/v2/zones/"+zone+"/disassociaterouter"
			if a.otc() {
				prefix = "/otc"
			}
			var wantAttempts []attempt
			switch a {
			case huaweiPasswordToken, otcPasswordToken:
				iamPath = "/iam/v3/auth/tokens"
				wantAttempts = []attempt{{"POST", prefix + iamPath, 201, "none"}, {"POST", prefix + dnsPath, 202, "token"}}
			case huaweiAKSK:
				wantAttempts = []attempt{{"GET", prefix + iamPath, 200, "huawei-aksk"}, {"POST", prefix + dnsPath, 202, "huawei-aksk"}}
			case otcAKSK:
				wantAttempts = []attempt{{"GET", prefix + iamPath, 200, "otc-aksk"}, {"POST", prefix + dnsPath, 202, "otc-aksk"}}
			}
			if diff := cmp.Diff(wantAttempts, rec.attempts()); diff != "" {
				t.Errorf("attempts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrivateDNSErrors(t *testing.T) {
	t.Parallel()
	type errCase struct {
		name         string
		zone, router string // empty zone: the mode's zone with two VPCs
		want         wantError
	}
	cases := func(a dnsAuth) []errCase {
		single, singleVPC := fakecloud.HuaweiSingleZoneID, fakecloud.HuaweiSingleVPCID
		if a.otc() {
			single, singleVPC = fakecloud.OTCSingleZoneID, fakecloud.OTCSingleVPCID
		}
		return []errCase{
			{"last VPC", single, singleVPC,
				wantError{code: privatedns.CodeLastVPC, status: 403, sentinel: transport.ErrConflict, attempts: 1}},
			{"VPC not associated", "", "00000000-0000-4000-8000-000000000000",
				wantError{code: privatedns.CodeVPCNotAssociated, status: 400, sentinel: transport.ErrNotFound, attempts: 1}},
			{"no such zone", "ff8080825b8fc86c0000000000000000", singleVPC,
				wantError{code: privatedns.CodeZoneNotFound, status: 404, sentinel: transport.ErrNotFound, attempts: 1}},
		}
	}
	for _, a := range allDNSAuth() {
		for _, tt := range cases(a) {
			t.Run(a.String()+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				srv := start(t)
				c := newPrivateDNS(t, srv, a, transport.Settings{})
				zone, _, _ := a.seed()
				if tt.zone != "" {
					zone = tt.zone
				}
				_, err := c.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{ZoneID: zone, RouterID: tt.router})
				tt.want.service, tt.want.operation = privatedns.ServiceID, "DisassociateRouter"
				checkResponseError(t, err, tt.want)
				if n := srv.Cloud().Requests(fakecloud.OpDisassociateRouter); n != 1 {
					t.Errorf("%d requests, want 1 (not retried)", n)
				}
			})
		}
	}
}

func TestPrivateDNSNoPermission(t *testing.T) {
	t.Parallel()
	srv := start(t)
	c, err := privatedns.New(privatedns.Options{
		Cloud:       privatedns.HuaweiCloud,
		Region:      fakecloud.HuaweiRegion,
		Endpoint:    srv.Endpoint(fakecloud.HuaweiDNS),
		Credentials: huaweiKeys(fakecloud.HuaweiNoPermAK, fakecloud.HuaweiNoPermSK),
		ProjectID:   fakecloud.HuaweiProjectID,
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{
		ZoneID: fakecloud.HuaweiZoneID, RouterID: fakecloud.HuaweiVPCID,
	})
	checkResponseError(t, err, wantError{service: privatedns.ServiceID, operation: "DisassociateRouter",
		code: privatedns.CodePolicyDenied, status: 403, sentinel: transport.ErrAccessDenied, attempts: 1})
}

// TestPrivateDNSForeignToken checks that a static token of one cloud is
// refused by the other, and that a static token is not "refreshed".
func TestPrivateDNSForeignToken(t *testing.T) {
	t.Parallel()
	srv := start(t)
	ts, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint: srv.Endpoint(fakecloud.OTCIAM), OTC: true, Region: fakecloud.OTCRegion,
		UserName: fakecloud.OTCUserName, Password: fakecloud.OTCPassword, DomainName: fakecloud.OTCDomainName,
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
		TokenSource: signer.StaticToken(tok.Value),
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{
		ZoneID: fakecloud.HuaweiZoneID, RouterID: fakecloud.HuaweiVPCID,
	})
	checkResponseError(t, err, wantError{service: privatedns.ServiceID, operation: "DisassociateRouter",
		code: privatedns.CodeGatewayUnauthorized, status: 401, sentinel: transport.ErrUnauthorized, attempts: 1})
	if n := srv.Cloud().TokensIssued(); n != 1 {
		t.Errorf("%d tokens issued, want 1", n)
	}
}
