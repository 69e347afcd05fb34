// Command customerprofiles deletes one object (such as a contact record)
// from an Amazon Connect customer profile (DeleteProfileObject) with
// detach's customerprofiles package.
//
//	go run ./examples/customerprofiles -domain ExampleDomain -object-type CTR \
//		-profile-id db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60 -object-key MTIzNDU2Nzg5MA==
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

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const usageText = `usage: customerprofiles -domain NAME -object-type NAME -profile-id ID -object-key KEY [flags]

Deletes one object from a customer profile
(Amazon Connect Customer Profiles DeleteProfileObject).

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

Exit status: 0 when the object is deleted, 1 when the call failed, 2 for a
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
	fs := flag.NewFlagSet("customerprofiles", flag.ContinueOnError)
	fs.SetOutput(stderr)
	domain := fs.String("domain", "", "the Customer Profiles domain `name` (required)")
	objectType := fs.String("object-type", "", "the object's type `name`, e.g. CTR (required)")
	profileID := fs.String("profile-id", "", "the profile's `ID`, 32 lower-case hex digits (required)")
	objectKey := fs.String("object-key", "", "the object's unique `key`, as ListProfileObjects returns it (required)")
	region := fs.String("region", "", "the AWS `region`; default AWS_REGION, then AWS_DEFAULT_REGION")
	endpoint := fs.String("endpoint", "", "send to this base `URL` instead of https://profile.{region}.amazonaws.com")
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
	case *domain == "":
		return usageError(fs, "-domain is required")
	case *objectType == "":
		return usageError(fs, "-object-type is required")
	case *profileID == "":
		return usageError(fs, "-profile-id is required")
	case *objectKey == "":
		return usageError(fs, "-object-key is required")
	}
	if *region == "" {
		*region = firstEnv("AWS_REGION", "AWS_DEFAULT_REGION")
	}
	if *region == "" {
		fmt.Fprintln(stderr, "customerprofiles: no region: set AWS_REGION (e.g. export AWS_REGION=us-east-1) or give -region")
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
		fmt.Fprintln(stderr, "customerprofiles: no usable AWS credentials:", err)
		fmt.Fprintln(stderr, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys),")
		fmt.Fprintln(stderr, "or put the keys in ~/.aws/credentials and select the profile with AWS_PROFILE")
		return exitUsage
	}

	opts := customerprofiles.Options{Region: *region, Endpoint: *endpoint, Credentials: creds}
	if *debug {
		opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c, err := customerprofiles.New(opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}

	out, err := c.DeleteProfileObject(ctx, &customerprofiles.DeleteProfileObjectInput{
		DomainName:             *domain,
		ObjectTypeName:         *objectType,
		ProfileID:              *profileID,
		ProfileObjectUniqueKey: *objectKey,
	})
	if err != nil {
		return reportError(stderr, err)
	}

	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "message\t%s\n", out.Message)
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
	fmt.Fprintln(w, "customerprofiles:", err)
	var ve *transport.ValidationError
	if errors.As(err, &ve) {
		return exitUsage
	}
	var re *transport.ResponseError
	if errors.As(err, &re) {
		fmt.Fprintf(w, "code %s, http status %d, request id %s, attempts %d\n", re.ErrorCode(), re.StatusCode, re.RequestID, re.Attempts)
		if errors.Is(err, transport.ErrNotFound) && re.Attempts > 1 {
			// The operation is not idempotent: a retry after a lost
			// response finds nothing.
			fmt.Fprintln(w, "the call was retried: an earlier attempt may have deleted the object")
			return exitFailed
		}
	}
	switch {
	case errors.Is(err, transport.ErrNotFound):
		fmt.Fprintln(w, "no such domain, profile or object: nothing to delete")
	case errors.Is(err, transport.ErrAccessDenied):
		fmt.Fprintln(w, "the credentials may not call profile:DeleteProfileObject")
	case errors.Is(err, transport.ErrInvalidInput):
		fmt.Fprintln(w, "check -domain, -object-type, -profile-id and -object-key")
	}
	return exitFailed
}

func usageError(fs *flag.FlagSet, msg string) int {
	fmt.Fprintln(fs.Output(), "customerprofiles:", msg)
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
