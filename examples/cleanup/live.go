package main

import (
	"errors"
	"os"
	"time"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// liveEnvironment builds clients for the real clouds from the environment.
func liveEnvironment(cfg config) (*environment, error) {
	if len(cfg.profileVPCs) == 0 && len(cfg.zoneVPCs) == 0 {
		return nil, errors.New("-live needs at least one -profile-vpc or -zone-vpc")
	}
	limiters, err := newLimiters(cfg.rps)
	if err != nil {
		return nil, err
	}
	env := &environment{limiters: limiters, close: func() {},
		wait: transport.WaitOptions{MinDelay: 2 * time.Second, MaxDelay: 30 * time.Second}}
	if len(cfg.profileVPCs) > 0 {
		env.profiles, err = route53profiles.New(route53profiles.Options{
			Region:   cfg.region, // empty: AWS_REGION
			Settings: transport.Settings{Limiter: limiters["Route 53 Profiles"]},
		})
		if err != nil {
			return nil, err
		}
		for _, p := range cfg.profileVPCs {
			env.items = append(env.items, item{kind: "profile", id: p[0], vpc: p[1], expect: outAny})
		}
	}
	if len(cfg.zoneVPCs) > 0 {
		o := privatedns.Options{Region: cfg.dnsRegion, Settings: transport.Settings{Limiter: limiters["DNS"]}}
		switch cfg.dnsCloud {
		case "huawei":
			o.Cloud = privatedns.HuaweiCloud
		case "otc":
			o.Cloud = privatedns.OpenTelekomCloud
		default:
			return nil, errors.New("-dns-cloud must be huawei or otc")
		}
		switch {
		case os.Getenv("OS_AUTH_TOKEN") != "":
			o.TokenSource = signer.StaticToken(os.Getenv("OS_AUTH_TOKEN"))
		case o.Cloud == privatedns.OpenTelekomCloud:
			if o.Credentials, err = signer.OpenStackEnv().Credentials(); err != nil {
				return nil, errors.New("set OS_AUTH_TOKEN, or OS_ACCESS_KEY and OS_SECRET_KEY: " + err.Error())
			}
		default:
			o.Credentials = signer.HuaweiCredentialsFromEnv()
		}
		// Keys without a project ID get the one named -dns-region from IAM.
		if env.dns, err = privatedns.New(o, privatedns.WithProjectIDFromIAM()); err != nil {
			return nil, err
		}
		for _, p := range cfg.zoneVPCs {
			env.items = append(env.items, item{kind: "zone", id: p[0], vpc: p[1], expect: outAny})
		}
	}
	return env, nil
}
