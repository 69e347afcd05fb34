// Command cleanup removes many associations the safe way: concurrently, with
// a client-side rate limiter, idempotently (what is already gone counts as
// done) and waiting until each one is really gone, so that the VPCs or
// Profiles can be deleted next.
//
//	go run ./examples/cleanup              # against the in-process emulator
//	go run ./examples/cleanup -live -profile-vpc rp-1:vpc-1 -zone-vpc ZONE:VPC ...
//
// Against the emulator it seeds Route 53 Profile associations and private DNS
// zones on Huawei Cloud, throttles both services at a modest rate, and
// removes them all: a few are already gone, a few already DELETING (never
// sent a second disassociate), and one VPC is the last of its zone, which DNS
// refuses (DNS.0706) and the summary reports as kept.
//
// Live, it takes AWS credentials from the default chain (AWS_REGION for the
// region) and DNS credentials from the environment: OS_AUTH_TOKEN, or the
// HUAWEICLOUD_SDK_AK/SK keys (Huawei Cloud), or OS_ACCESS_KEY/OS_SECRET_KEY
// (OTC). Exit status: 0 when every item ended as expected, 1 when one did
// not, 2 for usage errors.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// config is what the flags say.
type config struct {
	live        bool
	profileVPCs pairs // Route 53 Profile ID : VPC ID
	zoneVPCs    pairs // DNS zone ID : VPC ID
	region      string
	dnsCloud    string
	dnsRegion   string
	rps         float64
	workers     int
	timeout     time.Duration
}

func run(args []string, stdout, stderr io.Writer) int {
	var cfg config
	fs := flag.NewFlagSet("cleanup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&cfg.live, "live", false, "run against the real clouds instead of the in-process emulator")
	fs.Var(&cfg.profileVPCs, "profile-vpc", "a Route 53 Profile association to remove, as PROFILE_ID:VPC_ID (repeatable; -live)")
	fs.Var(&cfg.zoneVPCs, "zone-vpc", "a VPC to remove from a private DNS zone, as ZONE_ID:VPC_ID (repeatable; -live)")
	fs.StringVar(&cfg.region, "region", "", "AWS region (default AWS_REGION)")
	fs.StringVar(&cfg.dnsCloud, "dns-cloud", "huawei", "DNS cloud: huawei or otc")
	fs.StringVar(&cfg.dnsRegion, "dns-region", "", "DNS region, e.g. cn-north-4 or eu-de")
	fs.Float64Var(&cfg.rps, "rps", 20, "requests per second per service at most; the limiter adapts below it when throttled")
	fs.IntVar(&cfg.workers, "workers", 8, "calls in flight at once")
	fs.DurationVar(&cfg.timeout, "timeout", 10*time.Minute, "bound on the whole cleanup")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: cleanup [-live -profile-vpc PROFILE:VPC ... -zone-vpc ZONE:VPC ...] [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if cfg.workers < 1 || !(cfg.rps > 0) {
		fmt.Fprintln(stderr, "cleanup: -workers and -rps must be positive")
		return 2
	}

	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	var (
		env *environment
		err error
	)
	if cfg.live {
		env, err = liveEnvironment(cfg)
	} else {
		env, err = emulatedEnvironment(cfg)
	}
	if err != nil {
		fmt.Fprintln(stderr, "cleanup:", err)
		return 2
	}
	defer env.close()

	start := time.Now()
	results := cleanUp(ctx, env, cfg.workers)
	return report(stdout, results, time.Since(start), env)
}

// pairs is a repeatable flag of A:B values.
type pairs [][2]string

func (p *pairs) String() string { return fmt.Sprint(*p) }

func (p *pairs) Set(v string) error {
	a, b, ok := strings.Cut(v, ":")
	if !ok || a == "" || b == "" {
		return errors.New("want ID:VPC_ID")
	}
	*p = append(*p, [2]string{a, b})
	return nil
}

// environment is what the cleanup runs against: two clients and the work.
type environment struct {
	profiles *route53profiles.Client
	dns      *privatedns.Client
	items    []item
	wait     transport.WaitOptions
	limiters map[string]*transport.Limiter
	close    func()
}

// newLimiters builds one adaptive limiter per service: each service has its
// own quota, and every call of a service's client shares its limiter.
func newLimiters(rps float64) (map[string]*transport.Limiter, error) {
	out := map[string]*transport.Limiter{}
	for _, name := range []string{"Route 53 Profiles", "DNS"} {
		l, err := transport.NewLimiter(rps, 1, transport.Adaptive(0))
		if err != nil {
			return nil, err
		}
		out[name] = l
	}
	return out, nil
}
