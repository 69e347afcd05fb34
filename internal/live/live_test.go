//go:build live

package live

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// need returns the values of the variables, or skips the test naming the
// ones that are not set.
func need(t *testing.T, names ...string) []string {
	t.Helper()
	vals := make([]string, len(names))
	var missing []string
	for i, n := range names {
		if vals[i] = os.Getenv(n); vals[i] == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		t.Skipf("set %s to run this test (see go doc ./internal/live)", strings.Join(missing, ", "))
	}
	return vals
}

func liveContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// settings logs to the test output when DETACH_LIVE_DEBUG is set.
func settings(t *testing.T) transport.Settings {
	if os.Getenv("DETACH_LIVE_DEBUG") == "" {
		return transport.Settings{}
	}
	return transport.Settings{Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))}
}

func awsCredentials(t *testing.T) (signer.AWSCredentialsProvider, string) {
	t.Helper()
	region := need(t, "AWS_REGION")[0]
	creds := signer.DefaultAWSCredentials()
	if _, err := creds.RetrieveAWS(liveContext(t)); errors.Is(err, signer.ErrNoCredentials) {
		t.Skipf("no AWS credentials (%v): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE", err)
	} else if err != nil {
		t.Fatal(err)
	}
	return creds, region
}

func huaweiCredentials(t *testing.T) signer.HuaweiCredentialsProvider {
	t.Helper()
	need(t, "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK")
	return signer.HuaweiCredentialsFromEnv()
}

// checkProbe checks the answer to a call with IDs that do not exist: the
// service must have accepted the authentication and refused the IDs.
func checkProbe(t *testing.T, err error) {
	t.Helper()
	var re *transport.ResponseError
	switch {
	case err == nil:
		t.Fatal("a call with IDs that do not exist succeeded")
	case !errors.As(err, &re):
		t.Fatalf("no answer from the service: %v", err)
	case errors.Is(err, transport.ErrUnauthorized):
		t.Fatalf("authentication refused: %v", err)
	case re.RequestID == "":
		t.Errorf("the error has no request ID: %v", err)
	}
	if !errors.Is(err, transport.ErrNotFound) && !errors.Is(err, transport.ErrInvalidInput) {
		// Access denied is possible for a caller without the permission:
		// the signature was still accepted.
		t.Logf("answer is neither not found nor invalid input: %v", err)
	}
	t.Logf("probe answered as expected: %v", err)
}

func TestRoute53Profiles(t *testing.T) {
	creds, region := awsCredentials(t)
	c, err := route53profiles.New(route53profiles.Options{Region: region, Credentials: creds, Settings: settings(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("probe", func(t *testing.T) {
		_, err := c.DisassociateProfile(liveContext(t), &route53profiles.DisassociateProfileInput{
			ProfileID: "rp-0000000000000000", ResourceID: "vpc-00000000000000000",
		})
		checkProbe(t, err)
	})
	t.Run("disassociate", func(t *testing.T) {
		ids := need(t, "DETACH_LIVE_R53_PROFILE_ID", "DETACH_LIVE_R53_VPC_ID")
		out, err := c.DisassociateProfile(liveContext(t), &route53profiles.DisassociateProfileInput{ProfileID: ids[0], ResourceID: ids[1]})
		if err != nil {
			t.Fatal(err)
		}
		a := out.ProfileAssociation
		if a == nil || a.ProfileID != ids[0] || a.ResourceID != ids[1] || a.Status == "" {
			t.Errorf("association = %+v, want the one of %s and %s with a status", a, ids[0], ids[1])
		}
		if out.Metadata.RequestID == "" || out.Metadata.StatusCode != 200 {
			t.Errorf("metadata = %+v", out.Metadata)
		}
		t.Logf("association %+v, metadata %+v", a, out.Metadata)
	})
}

func TestCustomerProfiles(t *testing.T) {
	creds, region := awsCredentials(t)
	c, err := customerprofiles.New(customerprofiles.Options{Region: region, Credentials: creds, Settings: settings(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("probe", func(t *testing.T) {
		_, err := c.DeleteProfileObject(liveContext(t), &customerprofiles.DeleteProfileObjectInput{
			DomainName: "detach-live-probe-no-such-domain", ObjectTypeName: "CTR",
			ProfileID: "00000000000000000000000000000000", ProfileObjectUniqueKey: "bm8tc3VjaC1vYmplY3Q=",
		})
		checkProbe(t, err)
	})
	t.Run("delete", func(t *testing.T) {
		ids := need(t, "DETACH_LIVE_CP_DOMAIN", "DETACH_LIVE_CP_OBJECT_TYPE", "DETACH_LIVE_CP_PROFILE_ID", "DETACH_LIVE_CP_OBJECT_KEY")
		out, err := c.DeleteProfileObject(liveContext(t), &customerprofiles.DeleteProfileObjectInput{
			DomainName: ids[0], ObjectTypeName: ids[1], ProfileID: ids[2], ProfileObjectUniqueKey: ids[3],
		})
		if err != nil {
			t.Fatal(err)
		}
		if out.Metadata.RequestID == "" || out.Metadata.StatusCode != 200 {
			t.Errorf("metadata = %+v", out.Metadata)
		}
		t.Logf("message %q, metadata %+v", out.Message, out.Metadata)
	})
}

func TestIdentityCenter(t *testing.T) {
	creds := huaweiCredentials(t)
	c, err := identitycenter.New(identitycenter.Options{Credentials: creds, Settings: settings(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("probe", func(t *testing.T) {
		_, err := c.DeleteProfile(liveContext(t), &identitycenter.DeleteProfileInput{
			InstanceID: "ins-0000000000000000", ApplicationInstanceID: "app-ins-0000000000000000", ProfileID: "0000000000000000",
		})
		checkProbe(t, err)
	})
	t.Run("delete", func(t *testing.T) {
		ids := need(t, "DETACH_LIVE_IC_INSTANCE_ID", "DETACH_LIVE_IC_APP_INSTANCE_ID", "DETACH_LIVE_IC_PROFILE_ID")
		out, err := c.DeleteProfile(liveContext(t), &identitycenter.DeleteProfileInput{
			InstanceID: ids[0], ApplicationInstanceID: ids[1], ProfileID: ids[2],
		})
		if err != nil {
			t.Fatal(err)
		}
		if out.Metadata.RequestID == "" {
			t.Errorf("metadata = %+v", out.Metadata)
		}
		t.Logf("metadata %+v", out.Metadata)
	})
}

func TestHuaweiDNS(t *testing.T) {
	creds := huaweiCredentials(t)
	region := need(t, "DETACH_LIVE_HUAWEI_REGION")[0]
	c, err := privatedns.New(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: region, Credentials: creds, Settings: settings(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("probe", func(t *testing.T) {
		_, err := c.DisassociateRouter(liveContext(t), &privatedns.DisassociateRouterInput{
			ZoneID: "ff8080820000000000000000000000ff", RouterID: "00000000-0000-4000-8000-000000000000",
		})
		checkProbe(t, err)
	})
	t.Run("disassociate", func(t *testing.T) {
		ids := need(t, "DETACH_LIVE_HUAWEI_ZONE_ID", "DETACH_LIVE_HUAWEI_ROUTER_ID")
		disassociate(t, c, ids[0], ids[1])
	})
}

// otcAuth lists the OTC authentications the environment offers, token
// first.
func otcAuth(t *testing.T) map[string]func(*privatedns.Options) {
	env := signer.OpenStackEnv()
	modes := map[string]func(*privatedns.Options){}
	if ts, err := env.Token(); err == nil {
		modes["token"] = func(o *privatedns.Options) { o.TokenSource = ts }
	}
	if cfg, err := huaweicreds.PasswordConfigFromEnv(env); err == nil {
		cfg.OTC = true
		ts, err := huaweicreds.NewPasswordTokenSource(cfg)
		if err != nil {
			t.Fatal(err)
		}
		modes["password"] = func(o *privatedns.Options) { o.TokenSource = ts }
	} else if env.Username != "" {
		t.Errorf("OS_USERNAME is set but the password configuration is not complete: %v", err)
	}
	if creds, err := env.Credentials(); err == nil {
		modes["access key"] = func(o *privatedns.Options) { o.Credentials = creds }
	}
	if len(modes) == 0 {
		t.Skip("set OS_AUTH_TOKEN, or OS_AUTH_URL, OS_USERNAME, OS_PASSWORD and OS_DOMAIN_NAME, or OS_ACCESS_KEY and OS_SECRET_KEY")
	}
	return modes
}

func TestOTCDNS(t *testing.T) {
	region := need(t, "OS_REGION_NAME")[0]
	modes := otcAuth(t)
	newClient := func(t *testing.T, set func(*privatedns.Options)) *privatedns.Client {
		o := privatedns.Options{Cloud: privatedns.OpenTelekomCloud, Region: region, Settings: settings(t)}
		set(&o)
		c, err := privatedns.New(o)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for name, set := range modes {
		t.Run("probe with "+name, func(t *testing.T) {
			_, err := newClient(t, set).DisassociateRouter(liveContext(t), &privatedns.DisassociateRouterInput{
				ZoneID: "ff8080820000000000000000000000ff", RouterID: "00000000-0000-4000-8000-000000000000",
			})
			checkProbe(t, err)
		})
	}
	t.Run("disassociate", func(t *testing.T) {
		ids := need(t, "DETACH_LIVE_OTC_ZONE_ID", "DETACH_LIVE_OTC_ROUTER_ID")
		for _, name := range []string{"token", "password", "access key"} {
			if set, ok := modes[name]; ok {
				t.Logf("authenticating with %s", name)
				disassociate(t, newClient(t, set), ids[0], ids[1])
				return
			}
		}
	})
}

func disassociate(t *testing.T, c *privatedns.Client, zoneID, routerID string) {
	t.Helper()
	out, err := c.DisassociateRouter(liveContext(t), &privatedns.DisassociateRouterInput{ZoneID: zoneID, RouterID: routerID})
	if errors.Is(err, transport.ErrConflict) {
		t.Fatalf("refused, probably the zone's last VPC: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if out.RouterID != "" && out.RouterID != routerID {
		t.Errorf("router %q in the answer, want %q", out.RouterID, routerID)
	}
	if out.Metadata.RequestID == "" || out.Metadata.StatusCode/100 != 2 {
		t.Errorf("metadata = %+v", out.Metadata)
	}
	t.Logf("router %s (%s): %s; metadata %+v", out.RouterID, out.RouterRegion, out.Status, out.Metadata)
}
