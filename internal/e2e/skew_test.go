package e2e

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// skewedSettings returns settings whose signing clock is off by skew.
func skewedSettings(rec *recorder, skew time.Duration) transport.Settings {
	s := fastRetry(rec)
	s.Now = func() time.Time { return time.Now().Add(skew) }
	return s
}

// TestAWSClockSkew signs with a clock 10 minutes off. The emulator, like
// AWS, refuses a signature more than 5 minutes from its time with 403
// InvalidSignatureException and its Date header; the transport learns the
// offset from that Date, signs again and succeeds on the second attempt.
// The next call on the same client is signed right the first time.
func TestAWSClockSkew(t *testing.T) {
	t.Parallel()
	type call func(t *testing.T, srv *fakecloud.Server, s transport.Settings) (first, second transport.Metadata)
	services := []struct {
		name   string
		op     string
		suffix string
		call   call
	}{
		{"route53profiles", fakecloud.OpDisassociateProfile, "/resourceid/",
			func(t *testing.T, srv *fakecloud.Server, s transport.Settings) (first, second transport.Metadata) {
				c := newRoute53Profiles(t, srv, awsKeys(), s)
				for i, vpc := range []string{fakecloud.R53VPCID, fakecloud.R53VPCID2} {
					out, err := c.DisassociateProfile(testContext(t),
						&route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: vpc})
					if err != nil {
						t.Fatalf("call %d: %v", i+1, err)
					}
					first, second = second, out.Metadata
				}
				return first, second
			}},
		{"customerprofiles", fakecloud.OpDeleteProfileObject, "/objects/delete",
			func(t *testing.T, srv *fakecloud.Server, s transport.Settings) (first, second transport.Metadata) {
				c := newCustomerProfiles(t, srv, awsKeys(), s)
				for i, key := range []string{fakecloud.CPObjectKey, fakecloud.CPObjectKey2} {
					out, err := c.DeleteProfileObject(testContext(t), cpInput(key))
					if err != nil {
						t.Fatalf("call %d: %v", i+1, err)
					}
					first, second = second, out.Metadata
				}
				return first, second
			}},
	}
	for _, svc := range services {
		for _, skew := range []time.Duration{-10 * time.Minute, 10 * time.Minute} {
			t.Run(svc.name+"/"+skew.String(), func(t *testing.T) {
				t.Parallel()
				srv := start(t)
				rec := newRecorder(t)
				first, second := svc.call(t, srv, skewedSettings(rec, skew))
				if first.Attempts != 2 || first.StatusCode != 200 {
					t.Errorf("first call: status %d after %d attempts, want 200 after 2", first.StatusCode, first.Attempts)
				}
				if second.Attempts != 1 {
					t.Errorf("second call: %d attempts, want 1 (the offset is remembered)", second.Attempts)
				}
				if n := srv.Cloud().Requests(svc.op); n != 3 {
					t.Errorf("the emulator saw %d requests, want 3", n)
				}
				if diff := cmp.Diff([]int{403, 200, 200}, rec.statuses("")); diff != "" {
					t.Errorf("exchange statuses (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestHuaweiClockSkew does the same for Huawei AK/SK: the emulator, like
// the API gateway, refuses an X-Sdk-Date more than 15 minutes away with
// 401 APIGW.0301 and its Date header. The IAM lookup of the domain ID has
// its own client, which corrects its clock the same way.
func TestHuaweiClockSkew(t *testing.T) {
	t.Parallel()
	const skew = -20 * time.Minute

	t.Run("identitycenter, domain ID given", func(t *testing.T) {
		t.Parallel()
		srv := start(t)
		rec := newRecorder(t)
		c := newIdentityCenter(t, srv, huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), fakecloud.HuaweiDomainID, skewedSettings(rec, skew))
		out, err := c.DeleteProfile(testContext(t), icInput(fakecloud.ICProfileID))
		if err != nil {
			t.Fatal(err)
		}
		if out.Metadata.Attempts != 2 {
			t.Errorf("%d attempts, want 2", out.Metadata.Attempts)
		}
		if diff := cmp.Diff([]int{401, 200}, rec.statuses("")); diff != "" {
			t.Errorf("exchange statuses (-want +got):\n%s", diff)
		}
	})

	t.Run("identitycenter, domain ID from IAM", func(t *testing.T) {
		t.Parallel()
		srv := start(t)
		rec := newRecorder(t)
		c := newIdentityCenter(t, srv, huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), "", skewedSettings(rec, skew))
		out, err := c.DeleteProfile(testContext(t), &identitycenter.DeleteProfileInput{
			InstanceID: fakecloud.ICInstanceID, ApplicationInstanceID: fakecloud.ICApplicationInstanceID, ProfileID: fakecloud.ICProfileID,
		})
		if err != nil {
			t.Fatal(err)
		}
		if out.Metadata.Attempts != 2 {
			t.Errorf("%d attempts, want 2", out.Metadata.Attempts)
		}
		if diff := cmp.Diff([]int{401, 200}, rec.statuses("/v3/auth/domains")); diff != "" {
			t.Errorf("IAM exchange statuses (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]int{401, 200}, rec.statuses(fakecloud.ICProfileID)); diff != "" {
			t.Errorf("Identity Center exchange statuses (-want +got):\n%s", diff)
		}
	})

	for _, a := range []dnsAuth{huaweiAKSK, otcAKSK} {
		t.Run("privatedns "+a.String(), func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			rec := newRecorder(t)
			c := newPrivateDNS(t, srv, a, skewedSettings(rec, skew))
			zone, vpc, _ := a.seed()
			out, err := c.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{ZoneID: zone, RouterID: vpc})
			if err != nil {
				t.Fatal(err)
			}
			if out.Metadata.Attempts != 2 {
				t.Errorf("%d attempts, want 2", out.Metadata.Attempts)
			}
			if diff := cmp.Diff([]int{401, 200}, rec.statuses("/v3/projects")); diff != "" {
				t.Errorf("IAM exchange statuses (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]int{401, 202}, rec.statuses("/disassociaterouter")); diff != "" {
				t.Errorf("DNS exchange statuses (-want +got):\n%s", diff)
			}
		})
	}
}
