package e2e

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// The clients below are configured as a program would configure them, with
// the emulator's endpoints and fake credentials.

func awsKeys() signer.AWSCredentialsProvider {
	return signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, "")
}

func huaweiKeys(ak, sk string) signer.HuaweiCredentialsProvider {
	return signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: ak, SecretKey: sk})
}

func newRoute53Profiles(t *testing.T, srv *fakecloud.Server, creds signer.AWSCredentialsProvider, s transport.Settings) *route53profiles.Client {
	t.Helper()
	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.Endpoint(fakecloud.Route53Profiles),
		Credentials: creds,
		Settings:    s,
	})
	require.NoError(t, err)
	return c
}

func newCustomerProfiles(t *testing.T, srv *fakecloud.Server, creds signer.AWSCredentialsProvider, s transport.Settings) *customerprofiles.Client {
	t.Helper()
	c, err := customerprofiles.New(customerprofiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.Endpoint(fakecloud.CustomerProfiles),
		Credentials: creds,
		Settings:    s,
	})
	require.NoError(t, err)
	return c
}

// newIdentityCenter returns a client that finds its domain ID with IAM
// unless domainID is given.
func newIdentityCenter(t *testing.T, srv *fakecloud.Server, creds signer.HuaweiCredentialsProvider, domainID string, s transport.Settings) *identitycenter.Client {
	t.Helper()
	c, err := identitycenter.New(identitycenter.Options{
		Endpoint:    srv.Endpoint(fakecloud.IdentityCenter),
		IAMEndpoint: srv.Endpoint(fakecloud.HuaweiIAM),
		Credentials: creds,
		DomainID:    domainID,
		Settings:    s,
	})
	require.NoError(t, err)
	return c
}

// dnsAuth is one way to authenticate to DNS.
type dnsAuth int

const (
	huaweiPasswordToken dnsAuth = iota // IAM token from a password, Huawei Cloud
	huaweiAKSK                         // Huawei AK/SK, project looked up with IAM
	otcAKSK                            // OTC AK/SK, project looked up with IAM
	otcPasswordToken                   // IAM token from a password, OTC
)

func (a dnsAuth) String() string {
	return [...]string{"Huawei IAM token", "Huawei AK/SK", "OTC AK/SK", "OTC IAM token"}[a]
}

func (a dnsAuth) otc() bool { return a == otcAKSK || a == otcPasswordToken }

// provider is the emulator's cloud the mode talks to.
func (a dnsAuth) provider() fakecloud.Provider {
	if a.otc() {
		return fakecloud.OTC
	}
	return fakecloud.Huawei
}

// seed returns the seeded zone of the mode's cloud with two VPCs, and
// those VPCs.
func (a dnsAuth) seed() (zone, vpc, vpc2 string) {
	if a.otc() {
		return fakecloud.OTCZoneID, fakecloud.OTCVPCID, fakecloud.OTCVPCID2
	}
	return fakecloud.HuaweiZoneID, fakecloud.HuaweiVPCID, fakecloud.HuaweiVPCID2
}

func (a dnsAuth) region() string {
	if a.otc() {
		return fakecloud.OTCRegion
	}
	return fakecloud.HuaweiRegion
}

// newPrivateDNS returns a client authenticating as a says. The IAM calls
// (token, project lookup) use s as well, so a recorder in s sees them.
func newPrivateDNS(t *testing.T, srv *fakecloud.Server, a dnsAuth, s transport.Settings, tokenOpts ...signer.CachedTokenOption) *privatedns.Client {
	t.Helper()
	o := privatedns.Options{Region: a.region(), Settings: s}
	iam := fakecloud.HuaweiIAM
	o.Cloud, o.Endpoint = privatedns.HuaweiCloud, srv.Endpoint(fakecloud.HuaweiDNS)
	if a.otc() {
		iam = fakecloud.OTCIAM
		o.Cloud, o.Endpoint = privatedns.OpenTelekomCloud, srv.Endpoint(fakecloud.OTCDNS)
	}
	switch a {
	case huaweiPasswordToken, otcPasswordToken:
		cfg := huaweicreds.PasswordConfig{
			Endpoint: srv.Endpoint(iam), Region: a.region(), OTC: a.otc(),
			UserName: fakecloud.HuaweiUserName, Password: fakecloud.HuaweiPassword, DomainName: fakecloud.HuaweiDomainName,
			Settings: s,
		}
		if a.otc() {
			cfg.UserName, cfg.Password, cfg.DomainName = fakecloud.OTCUserName, fakecloud.OTCPassword, fakecloud.OTCDomainName
		}
		ts, err := huaweicreds.NewPasswordTokenSource(cfg, tokenOpts...)
		require.NoError(t, err)
		o.TokenSource = ts
	case huaweiAKSK:
		o.Credentials, o.IAMEndpoint = huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), srv.Endpoint(iam)
	case otcAKSK:
		o.Credentials, o.IAMEndpoint = huaweiKeys(fakecloud.OTCAK, fakecloud.OTCSK), srv.Endpoint(iam)
	}
	// The keys carry no project ID: it is asked of IAM.
	c, err := privatedns.New(o, privatedns.WithProjectIDFromIAM())
	require.NoError(t, err)
	return c
}
