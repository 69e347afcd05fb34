// Command route53profiles removes the association between an Amazon Route 53
// Profile and a VPC (DisassociateProfile) with detach's route53profiles
// package.
//
//	go run ./examples/route53profiles -profile-id rp-4987774726example -resource-id vpc-0af3b96b3example
//
// Credentials come from signer.DefaultAWSCredentials (the AWS_ACCESS_KEY_ID
// family of variables, then the shared credentials file; for roles, SSO or
// instance credentials a program passes awscreds.NewDefaultChain instead),
// the region from -region,
// AWS_REGION or AWS_DEFAULT_REGION. -endpoint sends the call elsewhere, for
// example to a VPC interface endpoint or an emulator. Run it with -h for the
// details.
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

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const usageText = `usage: route53profiles -profile-id ID -resource-id ID [flags]

Removes the association between a Route 53 Profile and a VPC
(Route 53 Profiles DisassociateProfile).

Flags:
%s
Environment:
  AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
        the access key (AWS_SESSION_TOKEN for temporary keys only). Without
        them, the keys of profile AWS_PROFILE (default "default") in the
        shared credentials file AWS_SHARED_CREDENTIALS_FILE (default
        ~/.aws/credentials).
  AWS_REGION, AWS_DEFAULT_REGION
        the region, when -region is not given.

Exit status: 0 when the association is being deleted, 1 when the call
failed, 2 for a usage error or missing credentials.
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
	fs := flag.NewFlagSet("route53profiles", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profileID := fs.String("profile-id", "", "the Profile's `ID`, e.g. rp-4987774726example (required)")
	resourceID := fs.String("resource-id", "", "the VPC's `ID`, e.g. vpc-0af3b96b3example (required)")
	region := fs.String("region", "", "the AWS `region`; default AWS_REGION, then AWS_DEFAULT_REGION")
	endpoint := fs.String("endpoint", "", "send to this base `URL` instead of https://route53profiles.{region}.amazonaws.com")
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
	case *profileID == "":
		return usageError(fs, "-profile-id is required")
	case *resourceID == "":
		return usageError(fs, "-resource-id is required")
	}
	if *region == "" {
		*region = firstEnv("AWS_REGION", "AWS_DEFAULT_REGION")
	}
	if *region == "" {
		fmt.Fprintln(stderr, "route53profiles: no region: set AWS_REGION (e.g. export AWS_REGION=us-east-1) or give -region")
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	// Ask the chain now, to say exactly what to set; the client would
	// otherwise report the same error after building the request.
	creds := signer.DefaultAWSCredentials()
	if _, err := creds.RetrieveAWS(ctx); err != nil {
		fmt.Fprintln(stderr, "route53profiles: no usable AWS credentials:", err)
		fmt.Fprintln(stderr, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys),")
		fmt.Fprintln(stderr, "or put the keys in ~/.aws/credentials and select the profile with AWS_PROFILE")
		return exitUsage
	}

	opts := route53profiles.Options{Region: *region, Endpoint: *endpoint, Credentials: creds}
	if *debug {
		opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c, err := route53profiles.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}

	out, err := c.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{
		ProfileID:  *profileID,
		ResourceID: *resourceID,
	})
	if err != nil {
		return reportError(stderr, err)
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	if a := out.ProfileAssociation; a != nil {
		fmt.Fprintf(tw, "association\t%s\n", a.ID)
		fmt.Fprintf(tw, "name\t%s\n", a.Name)
		fmt.Fprintf(tw, "profile\t%s\n", a.ProfileID)
		fmt.Fprintf(tw, "resource\t%s\n", a.ResourceID)
		fmt.Fprintf(tw, "owner\t%s\n", a.OwnerID)
		fmt.Fprintf(tw, "status\t%s\n", a.Status)
		fmt.Fprintf(tw, "status message\t%s\n", a.StatusMessage)
		fmt.Fprintf(tw, "created\t%s\n", a.CreationTime.Format(time.RFC3339))
		fmt.Fprintf(tw, "modified\t%s\n", a.ModificationTime.Format(time.RFC3339))
	}
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
	fmt.Fprintln(w, "route53profiles:", err)
	var ve *transport.ValidationError
	if errors.As(err, &ve) {
		return exitUsage
	}
	var re *transport.ResponseError
	if errors.As(err, &re) {
		fmt.Fprintf(w, "code %s, http status %d, request id %s, attempts %d\n", re.ErrorCode(), re.StatusCode, re.RequestID, re.Attempts)
	}
	switch {
	case errors.Is(err, transport.ErrNotFound):
		fmt.Fprintln(w, "there is no such association: nothing to disassociate")
	case errors.Is(err, transport.ErrAccessDenied):
		fmt.Fprintln(w, "the credentials may not call route53profiles:DisassociateProfile")
	case errors.Is(err, transport.ErrInvalidInput):
		fmt.Fprintln(w, "check -profile-id and -resource-id")
	}
	return exitFailed
}

func usageError(fs *flag.FlagSet, msg string) int {
	fmt.Fprintln(fs.Output(), "route53profiles:", msg)
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

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}
