// Command identitycenter deletes the association (a "profile") between a
// Huawei Cloud IAM Identity Center application instance and its users or
// groups (DeleteProfile) with detach's identitycenter package.
//
//	go run ./examples/identitycenter -instance-id ins-2c1e00000000f3c6 \
//		-application-instance-id app-ins-0123456789abcdef -profile-id 0123456789abcdef
//
// Credentials are an access key pair from HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK. The account's domain ID comes from -domain-id or
// HUAWEICLOUD_SDK_DOMAIN_ID; without either, the client asks IAM for it once.
// -endpoint and -iam-endpoint send the calls elsewhere, for example to an
// emulator. Run it with -h for the details.
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

	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const usageText = `usage: identitycenter -instance-id ID -application-instance-id ID -profile-id ID [flags]

Deletes the association between an application instance and its users or
groups (Huawei Cloud IAM Identity Center DeleteProfile). Only the
organization's management account or a delegated administrator may call it.

Flags:
%s
Environment:
  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK
        the access key pair (required).
  HUAWEICLOUD_SDK_SECURITY_TOKEN
        the security token of temporary keys.
  HUAWEICLOUD_SDK_DOMAIN_ID
        the account's domain ID, when -domain-id is not given. Without
        either, it is looked up once with IAM (GET /v3/auth/domains).

Exit status: 0 when the profile is deleted, 1 when the call failed, 2 for a
usage error or missing credentials.
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

// run is the command; tests call it with their own arguments and writers.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("identitycenter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	instanceID := fs.String("instance-id", "", "the Identity Center instance `ID`, 20 characters, e.g. ins-2c1e00000000f3c6 (required)")
	appID := fs.String("application-instance-id", "", "the application instance `ID`, starting with app-ins- (required)")
	profileID := fs.String("profile-id", "", "the `ID` of the profile to delete (required)")
	domainID := fs.String("domain-id", "", "the account's domain `ID`; default HUAWEICLOUD_SDK_DOMAIN_ID, else asked of IAM")
	endpoint := fs.String("endpoint", "", "send to this base `URL` instead of "+identitycenter.DefaultEndpoint)
	iamEndpoint := fs.String("iam-endpoint", "", "look the domain ID up at this base `URL` instead of "+identitycenter.DefaultIAMEndpoint)
	timeout := fs.Duration("timeout", time.Minute, "give up after this `duration`, retries included")
	debug := fs.Bool("debug", false, "log every attempt (redacted) to stderr")
	fs.Usage = func() { fmt.Fprintf(fs.Output(), usageText, flagDefaults(fs)) }

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return usageError(fs, "unexpected argument "+fs.Arg(0))
	case *instanceID == "":
		return usageError(fs, "-instance-id is required")
	case *appID == "":
		return usageError(fs, "-application-instance-id is required")
	case *profileID == "":
		return usageError(fs, "-profile-id is required")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	// Read the keys now, to say exactly what to set; the client would
	// otherwise report the same error when signing.
	creds := signer.HuaweiCredentialsFromEnv()
	if _, err := creds.RetrieveHuawei(ctx); err != nil {
		fmt.Fprintln(stderr, "identitycenter: no usable Huawei Cloud credentials:", err)
		fmt.Fprintln(stderr, "set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys)")
		return exitUsage
	}

	opts := identitycenter.Options{
		Endpoint:    *endpoint,
		IAMEndpoint: *iamEndpoint,
		Credentials: creds,
		DomainID:    *domainID, // empty: the credentials' HUAWEICLOUD_SDK_DOMAIN_ID, else IAM
	}
	if *debug {
		// The domain ID lookup logs through the same logger.
		opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c, err := identitycenter.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}

	out, err := c.DeleteProfile(ctx, &identitycenter.DeleteProfileInput{
		InstanceID:            *instanceID,
		ApplicationInstanceID: *appID,
		ProfileID:             *profileID,
	})
	if err != nil {
		return reportError(stderr, err)
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "deleted\tprofile %s of %s\n", *profileID, *appID)
	printMetadata(tw, out.Metadata)
	tw.Flush()
	return exitOK
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
	fmt.Fprintln(w, "identitycenter:", err)
	var ve *transport.ValidationError
	if errors.As(err, &ve) {
		return exitUsage
	}
	var re *transport.ResponseError
	if errors.As(err, &re) {
		fmt.Fprintf(w, "code %s, http status %d, request id %s, attempts %d\n", re.ErrorCode(), re.StatusCode, re.RequestID, re.Attempts)
		if re.EncodedAuthorizationMessage != "" {
			fmt.Fprintln(w, "encoded authorization message (decode it with IAM to see which policy denied):")
			fmt.Fprintln(w, re.EncodedAuthorizationMessage)
		}
	}
	var ae *transport.AuthError
	switch {
	case errors.As(err, &ae):
		fmt.Fprintln(w, "signing failed; if the domain ID lookup failed, give -domain-id or HUAWEICLOUD_SDK_DOMAIN_ID")
	case errors.Is(err, transport.ErrNotFound):
		fmt.Fprintln(w, "no such instance, application instance or profile: nothing to delete")
	case errors.Is(err, transport.ErrAccessDenied):
		fmt.Fprintln(w, "the credentials may not call IdentityCenter:application:deleteProfile")
	case errors.Is(err, transport.ErrUnauthorized):
		fmt.Fprintln(w, "the keys, the security token or the domain ID were refused")
	}
	return exitFailed
}

func usageError(fs *flag.FlagSet, msg string) int {
	fmt.Fprintln(fs.Output(), "identitycenter:", msg)
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
