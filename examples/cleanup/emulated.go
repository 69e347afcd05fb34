package main

import (
	"context"
	"fmt"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// emulatedEnvironment starts the emulator, seeds it and builds the clients
// exactly as a program would, with the emulator's endpoints and keys.
func emulatedEnvironment(cfg config) (*environment, error) {
	cloud := fakecloud.New()
	// The services' quotas, below what eight workers would send unpaced.
	for _, op := range []string{fakecloud.OpDisassociateProfile, fakecloud.OpListProfileAssociations,
		fakecloud.OpDisassociateRouter, fakecloud.OpShowPrivateZone} {
		cloud.LimitRate(op, 15, 5)
	}
	srv := cloud.Start()
	limiters, err := newLimiters(cfg.rps)
	if err != nil {
		srv.Close()
		return nil, err
	}
	retry := transport.RetryPolicy{BaseDelay: 50 * time.Millisecond, MaxAttempts: 5}
	profiles, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.Endpoint(fakecloud.Route53Profiles),
		Credentials: signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, ""),
		Settings:    transport.Settings{Limiter: limiters["Route 53 Profiles"], Retry: retry},
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	dns, err := privatedns.New(privatedns.Options{
		Cloud:    privatedns.HuaweiCloud,
		Region:   fakecloud.HuaweiRegion,
		Endpoint: srv.Endpoint(fakecloud.HuaweiDNS),
		Credentials: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{
			AccessKey: fakecloud.HuaweiAK, SecretKey: fakecloud.HuaweiSK, ProjectID: fakecloud.HuaweiProjectID}),
		Settings: transport.Settings{Limiter: limiters["DNS"], Retry: retry},
	})
	if err != nil {
		srv.Close()
		return nil, err
	}
	items, err := seed(cloud, profiles)
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &environment{
		profiles: profiles, dns: dns, items: items, limiters: limiters,
		wait:  transport.WaitOptions{MinDelay: 100 * time.Millisecond, MaxDelay: 400 * time.Millisecond},
		close: srv.Close,
	}, nil
}

// seed fills the emulator and lists the work, each item with the outcome
// the documentation promises.
func seed(cloud *fakecloud.Cloud, profiles *route53profiles.Client) ([]item, error) {
	var items []item
	for i := range 16 {
		vpc := fmt.Sprintf("vpc-0cleanup%08d", i)
		cloud.AddProfileAssociation("rp-cleanup", vpc)
		items = append(items, item{kind: "profile", id: "rp-cleanup", vpc: vpc, expect: outRemoved})
	}
	// Two associations another job already started removing: they are
	// waited for, not disassociated again.
	for i := range 2 {
		vpc := fmt.Sprintf("vpc-0removing%07d", i)
		cloud.AddProfileAssociation("rp-cleanup", vpc)
		in := &route53profiles.DisassociateProfileInput{ProfileID: "rp-cleanup", ResourceID: vpc}
		if _, err := profiles.DisassociateProfile(context.Background(), in); err != nil {
			return nil, err
		}
		items = append(items, item{kind: "profile", id: "rp-cleanup", vpc: vpc, expect: outWaited})
	}
	// Two that are gone already: a retried cleanup must not fail on them.
	for i := range 2 {
		items = append(items, item{kind: "profile", id: "rp-cleanup", vpc: fmt.Sprintf("vpc-0gone%011d", i), expect: outAlreadyGone})
	}
	// Four zones of three VPCs: two of each go, the third stays.
	for z := range 4 {
		zone := fmt.Sprintf("ff80808%025d", z)
		var routers []fakecloud.Router
		for v := range 3 {
			routers = append(routers, fakecloud.Router{ID: fmt.Sprintf("%08d-0000-4000-8000-%012d", z, v)})
		}
		cloud.AddZone(fakecloud.Huawei, zone, routers...)
		for _, r := range routers[:2] {
			items = append(items, item{kind: "zone", id: zone, vpc: r.ID, expect: outRemoved})
		}
	}
	// A zone with one VPC: a private zone keeps at least one, so DNS
	// refuses (DNS.0706) and the VPC is reported as kept.
	const single, lastVPC = "ff808080000000000000000000000099", "00000099-0000-4000-8000-000000000000"
	cloud.AddZone(fakecloud.Huawei, single, fakecloud.Router{ID: lastVPC})
	items = append(items, item{kind: "zone", id: single, vpc: lastVPC, expect: outLastVPC})
	return items, nil
}
