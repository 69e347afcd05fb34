// Command privatedns removes a VPC from a private DNS zone
// (DisassociateRouter) on Huawei Cloud or Open Telekom Cloud with detach's
// privatedns package.
//
//	go run ./examples/privatedns -cloud otc -region eu-de \
//		-zone-id ff8080825b8fc86c015b94bc6f8712c3 -router-id f0791650-db3c-4c5a-9e6e-2ca5a6f4d4a4
//
// Authentication is read from the environment, the first that is set of: an
// IAM token (OS_AUTH_TOKEN), an IAM user and password (OS_USERNAME,
// OS_PASSWORD, ...: a token is obtained and refreshed), an OpenStack-style
// access key (OS_ACCESS_KEY, OS_SECRET_KEY) or a Huawei SDK access key
// (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK). Run it with -h for the details.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

const usageText = `usage: privatedns -cloud huawei|otc -zone-id ID -router-id ID [flags]

Removes a VPC from a private DNS zone (DNS DisassociateRouter) on Huawei
Cloud or Open Telekom Cloud. A zone must keep one VPC: removing the last one
fails with DNS.0706.

Flags:
%s
Environment, the first authentication that is set wins:
  OS_AUTH_TOKEN
        an IAM token scoped to the zone's project, sent as is.
  OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME, OS_AUTH_URL
        an IAM user: a project-scoped token is obtained from OS_AUTH_URL
        (e.g. https://iam.eu-de.otc.t-systems.com/v3) and refreshed when it
        expires. The project is OS_PROJECT_ID, else OS_PROJECT_NAME, else
        the one named after the region.
  OS_ACCESS_KEY, OS_SECRET_KEY
        an access key pair; the project is -project-id or OS_PROJECT_ID,
        else looked up with IAM (at -iam-endpoint, else OS_AUTH_URL, else
        the region's IAM host).
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN
        an access key pair (and the security token of temporary keys); the
        project is -project-id or HUAWEICLOUD_SDK_PROJECT_ID, else looked up
        with IAM.
  OS_REGION_NAME
        the region, when -region is not given.

Exit status: 0 when the VPC is being disassociated, 1 when the call failed,
2 for a usage error or missing credentials.
`

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags say.
type config struct {
	cloud                    privatedns.Cloud
	region, zoneID, routerID string
	routerRegion, projectID  string
	endpoint, iamEndpoint    string
	timeout                  time.Duration
	logger                   *slog.Logger
}

// run is the command; tests call it with their own arguments and writers.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, code, ok := parseFlags(args, stderr)
	if !ok {
		return code
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	opts := privatedns.Options{
		Cloud:       cfg.cloud,
		Region:      cfg.region,
		Endpoint:    cfg.endpoint,
		ProjectID:   cfg.projectID,
		IAMEndpoint: cfg.iamEndpoint,
	}
	if cfg.logger != nil { // -debug; a nil *slog.Logger would be a non-nil Logger
		opts.Logger = cfg.logger
	}
	auth, err := chooseAuth(ctx, &opts)
	if err != nil {
		fmt.Fprintln(stderr, "privatedns:", err)
		return exitUsage
	}
	var newOpts []privatedns.Option
	if opts.Region != "" {
		// Access keys without a project ID get the one named after the
		// region from IAM; keys with one, and tokens, send no lookup.
		newOpts = append(newOpts, privatedns.WithProjectIDFromIAM())
	}
	c, err := privatedns.New(opts, newOpts...)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}

	out, err := c.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{
		ZoneID:       cfg.zoneID,
		RouterID:     cfg.routerID,
		RouterRegion: cfg.routerRegion,
	})
	if err != nil {
		return reportError(stderr, err)
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "auth\t%s\n", auth)
	fmt.Fprintf(tw, "router\t%s\n", out.RouterID)
	fmt.Fprintf(tw, "router region\t%s\n", out.RouterRegion)
	fmt.Fprintf(tw, "status\t%s\n", out.Status)
	printMetadata(tw, out.Metadata)
	tw.Flush()
	return exitOK
}

// parseFlags reads the flags. When ok is false the command ends with code.
func parseFlags(args []string, stderr io.Writer) (cfg config, code int, ok bool) {
	fs := flag.NewFlagSet("privatedns", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cloud := fs.String("cloud", "", "`huawei` (Huawei Cloud) or otc (Open Telekom Cloud) (required)")
	fs.StringVar(&cfg.region, "region", "", "the `region`, e.g. cn-north-4 or eu-de; default OS_REGION_NAME")
	fs.StringVar(&cfg.zoneID, "zone-id", "", "the private zone's `ID` (required)")
	fs.StringVar(&cfg.routerID, "router-id", "", "the VPC's `ID` (required)")
	fs.StringVar(&cfg.routerRegion, "router-region", "", "the VPC's `region`; default the region of the project")
	fs.StringVar(&cfg.projectID, "project-id", "", "the zone's project `ID`; saves the IAM lookup with access keys")
	fs.StringVar(&cfg.endpoint, "endpoint", "", "send to this base `URL` instead of the region's DNS host")
	fs.StringVar(&cfg.iamEndpoint, "iam-endpoint", "", "look the project ID up at this base `URL` (access keys only)")
	fs.DurationVar(&cfg.timeout, "timeout", time.Minute, "give up after this `duration`, retries included")
	debug := fs.Bool("debug", false, "log every attempt (redacted) to stderr, IAM calls included")
	fs.Usage = func() { fmt.Fprintf(fs.Output(), usageText, flagDefaults(fs)) }

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, exitOK, false
		}
		return cfg, exitUsage, false
	}
	switch {
	case fs.NArg() > 0:
		return cfg, usageError(fs, "unexpected argument "+fs.Arg(0)), false
	case *cloud == "":
		return cfg, usageError(fs, "-cloud is required: huawei or otc"), false
	case *cloud == "huawei":
		cfg.cloud = privatedns.HuaweiCloud
	case *cloud == "otc":
		cfg.cloud = privatedns.OpenTelekomCloud
	default:
		return cfg, usageError(fs, "-cloud must be huawei or otc, not "+*cloud), false
	}
	switch {
	case cfg.zoneID == "":
		return cfg, usageError(fs, "-zone-id is required"), false
	case cfg.routerID == "":
		return cfg, usageError(fs, "-router-id is required"), false
	}
	if cfg.region == "" {
		cfg.region = os.Getenv("OS_REGION_NAME")
	}
	if *debug {
		cfg.logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return cfg, exitOK, true
}

// chooseAuth sets o.TokenSource or o.Credentials from the first
// authentication the environment offers and describes it. The error says
// exactly what is missing.
func chooseAuth(ctx context.Context, o *privatedns.Options) (string, error) {
	env := signer.OpenStackEnv()
	switch {
	case env.AuthToken != "":
		ts, err := env.Token()
		if err != nil {
			return "", err
		}
		o.TokenSource = ts
		if o.ProjectID == "" {
			o.ProjectID = env.ProjectID // also sent as X-Project-Id
		}
		return "OS_AUTH_TOKEN (token)", nil

	case env.Username != "" || env.Password != "":
		if env.RegionName == "" {
			env.RegionName = o.Region // names the project when none is given
		}
		cfg, err := huaweicreds.PasswordConfigFromEnv(env)
		if err != nil {
			return "", err
		}
		cfg.OTC = cfg.OTC || o.Cloud == privatedns.OpenTelekomCloud
		cfg.Logger = o.Logger
		ts, err := huaweicreds.NewPasswordTokenSource(cfg)
		if err != nil {
			return "", err
		}
		o.TokenSource = ts
		if o.ProjectID == "" {
			o.ProjectID = env.ProjectID
		}
		return "OS_USERNAME and OS_PASSWORD (IAM token)", nil

	case env.AccessKey != "" || env.SecretKey != "":
		creds, err := env.Credentials()
		if err != nil {
			return "", err
		}
		o.Credentials = creds
		if o.IAMEndpoint == "" && env.AuthURL != "" {
			o.IAMEndpoint = strings.TrimSuffix(strings.TrimSuffix(env.AuthURL, "/"), "/v3")
		}
		return "OS_ACCESS_KEY and OS_SECRET_KEY (AK/SK)", nil

	case os.Getenv("HUAWEICLOUD_SDK_AK") != "" || os.Getenv("HUAWEICLOUD_SDK_SK") != "":
		creds := signer.HuaweiCredentialsFromEnv()
		if _, err := creds.RetrieveHuawei(ctx); err != nil {
			return "", err
		}
		o.Credentials = creds
		return "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (AK/SK)", nil
	}
	return "", errors.New("no credentials: set one of\n" +
		"  OS_AUTH_TOKEN (an IAM token),\n" +
		"  OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME and OS_AUTH_URL (an IAM user),\n" +
		"  OS_ACCESS_KEY and OS_SECRET_KEY, or\n" +
		"  HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (access keys)")
}

func printMetadata(w io.Writer, md transport.Metadata) {
	fmt.Fprintf(w, "request id\t%s\n", md.RequestID)
	fmt.Fprintf(w, "http status\t%d\n", md.StatusCode)
	fmt.Fprintf(w, "attempts\t%d\n", md.Attempts)
}

// reportError explains a failed call (the service's code and request ID
// when it answered, and what the common answers mean) and returns the exit
// code: input the client refused before sending is a usage error.
func reportError(w io.Writer, err error) int {
	fmt.Fprintln(w, "privatedns:", err)
	var ve *transport.ValidationError
	if errors.As(err, &ve) {
		return exitUsage
	}
	var re *transport.ResponseError
	if errors.As(err, &re) {
		fmt.Fprintf(w, "code %s, http status %d, request id %s, attempts %d\n", re.ErrorCode(), re.StatusCode, re.RequestID, re.Attempts)
	}
	var ae *transport.AuthError
	switch {
	case errors.As(err, &ae):
		fmt.Fprintln(w, "getting a token or the project ID from IAM failed; check the credentials, or give -project-id")
	case re != nil && (re.Code == privatedns.CodeLastVPC || re.Code == privatedns.CodeOnlyNormalVPC):
		fmt.Fprintln(w, "a zone must keep one working VPC: associate another VPC first")
	case errors.Is(err, transport.ErrNotFound):
		fmt.Fprintln(w, "the VPC is not associated with the zone, or there is no such zone: nothing to do")
	case errors.Is(err, transport.ErrConflict):
		fmt.Fprintln(w, "the zone or the association is changing: try again once it is ACTIVE")
	case errors.Is(err, transport.ErrUnauthorized):
		fmt.Fprintln(w, "the token or the keys were refused")
	case errors.Is(err, transport.ErrAccessDenied):
		fmt.Fprintln(w, "the credentials may not call dns:zone:disassociateRouter in this project")
	}
	return exitFailed
}

func usageError(fs *flag.FlagSet, msg string) int {
	fmt.Fprintln(fs.Output(), "privatedns:", msg)
	fs.Usage()
	return exitUsage
}

// flagDefaults returns what fs.PrintDefaults would print.
func flagDefaults(fs *flag.FlagSet) string {
	var b strings.Builder
	out := fs.Output()
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(out)
	return b.String()
}
