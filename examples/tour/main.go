// Command tour runs detach's four disassociate and delete operations (one per
// package) against fakecloud, an emulator of the four services that runs
// inside the process: no network, no account, no credentials.
// examples/cleanup shows the helpers that look, disassociate and wait.
//
//	go run ./examples/tour
//
// It calls the public API exactly as a program would: Route 53 Profiles and
// Customer Profiles signed with SigV4, Huawei Cloud IAM Identity Center
// signed with an access key pair, Huawei Cloud DNS with a token obtained
// from IAM with a password, and Open Telekom Cloud DNS with a token given as
// is. It then shows a throttled call that succeeds on its retry, a
// documented error handled with errors.Is and errors.As, and a listing
// signed with credentials awscreds.NewDefaultChain obtained from STS for a
// web identity token, as on EKS with IRSA, and a DNS zone read with
// temporary keys Huawei Cloud IAM issued for an OIDC ID token
// (huaweicreds federation, as in CI).
//
// It prints what it runs in one line (so many calls of so many operations),
// then one line per call (operation, authentication, result, HTTP status,
// request ID, attempts), and exits 0 when every call behaved as the
// documentation says; otherwise it says what differed and exits 1.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

// run starts the emulator, makes every call of the tour and writes the
// report to w. It returns an error when a call did not behave as documented.
func run(w io.Writer) error {
	srv := fakecloud.New().Start()
	defer srv.Close()

	// The whole tour takes well under a second; the deadline only keeps a
	// broken build from hanging.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t, err := newTour(srv)
	if err != nil {
		return err
	}
	defer t.close()
	return report(w, srv.URL, t.calls(ctx))
}

// report writes the table of rows, then what differed, if anything. It
// returns an error when a row has a problem.
func report(w io.Writer, url string, rows []row) error {
	fmt.Fprintf(w, "%s against fakecloud at %s\n\n", summary(rows), url)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OPERATION\tAUTH\tRESULT\tHTTP\tREQUEST ID\tATTEMPTS")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", r.operation, r.auth, r.result, status(r.status), orDash(r.requestID), r.attempts)
	}
	tw.Flush()
	fmt.Fprintln(w)

	failed := 0
	for _, r := range rows {
		if r.problem != "" {
			failed++
			fmt.Fprintf(w, "DIFFERS: %s: %s\n", r.operation, r.problem)
		}
	}
	if failed > 0 {
		return errors.New(strconv.Itoa(failed) + " of " + strconv.Itoa(len(rows)) + " calls did not behave as documented")
	}
	fmt.Fprintf(w, "all %d calls behaved as documented\n", len(rows))
	return nil
}

// summary says in one line what the rows ran: "detach tour: 10 calls of 6
// operations (route53profiles DisassociateProfile, ...)", counting an
// operation run on two clouds ("privatedns DisassociateRouter (OTC)") once.
func summary(rows []row) string {
	var ops []string
	for _, r := range rows {
		op, _, _ := strings.Cut(r.operation, " (")
		if !slices.Contains(ops, op) {
			ops = append(ops, op)
		}
	}
	return fmt.Sprintf("detach tour: %d calls of %d operations (%s)", len(rows), len(ops), strings.Join(ops, ", "))
}

func status(code int) string {
	if code == 0 {
		return "-"
	}
	return strconv.Itoa(code)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
