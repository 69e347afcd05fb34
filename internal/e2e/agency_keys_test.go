package e2e

import (
	"testing"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer/cloudsyaml"
	"github.com/detach-go/detach/transport"
)

// TestPrivateDNSAgencyKeys disassociates a VPC from a zone of OTC's
// delegating domain with the temporary keys an AK/SK cloud with an agency
// gets (cloudsyaml.NewSources, huaweicreds.AgencyKeysProvider): the DNS
// call is signed with the agency's keys and carries the delegated
// project's ID, which the emulator checks against the zone's owner.
func TestPrivateDNSAgencyKeys(t *testing.T) {
	t.Parallel()
	srv := start(t)
	s, err := cloudsyaml.NewSources(cloudsyaml.Cloud{AuthURL: srv.Endpoint(fakecloud.OTCIAM) + "/v3",
		AccessKey: fakecloud.OTCAK, SecretKey: fakecloud.OTCSK, DomainID: fakecloud.OTCDomainID, Region: fakecloud.OTCRegion,
		AgencyName: fakecloud.OTCAgencyName, AgencyDomainName: fakecloud.OTCAgencyDomainName,
		DelegatedProject: fakecloud.OTCRegion}, transport.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := privatedns.New(privatedns.Options{Cloud: privatedns.OpenTelekomCloud, Region: fakecloud.OTCRegion,
		Endpoint: srv.Endpoint(fakecloud.OTCDNS), Credentials: s.Credentials})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{
		ZoneID: fakecloud.OTCAgencyZoneID, RouterID: fakecloud.OTCAgencyVPCID2,
	}); err != nil {
		t.Fatal(err)
	}
	if got := routerStatus(t, srv.Cloud(), fakecloud.OTC, fakecloud.OTCAgencyZoneID, fakecloud.OTCAgencyVPCID2); got == "ACTIVE" {
		t.Errorf("router status %s after the disassociation", got)
	}
	issued := srv.Cloud().IssuedHuaweiCredentials()
	reqs := srv.Cloud().ServiceRequests()
	if len(issued) != 1 || len(reqs) == 0 || reqs[len(reqs)-1].AccessKey != issued[0].AccessKey ||
		reqs[len(reqs)-1].Header.Get("X-Project-Id") != fakecloud.OTCAgencyProjectID {
		t.Errorf("the DNS call was not made with the agency's keys in the delegated project")
	}

	// The caller's own keys cannot reach the delegating domain's zone.
	own, err := privatedns.New(privatedns.Options{Cloud: privatedns.OpenTelekomCloud, Region: fakecloud.OTCRegion,
		Endpoint: srv.Endpoint(fakecloud.OTCDNS), Credentials: huaweiKeys(fakecloud.OTCAK, fakecloud.OTCSK), ProjectID: fakecloud.OTCProjectID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := own.DisassociateRouter(testContext(t), &privatedns.DisassociateRouterInput{
		ZoneID: fakecloud.OTCAgencyZoneID, RouterID: fakecloud.OTCAgencyVPCID,
	}); err == nil {
		t.Error("the caller's own keys disassociated a router of the delegating domain")
	}
}
