package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/transport"
)

// The outcomes an item can have.
const (
	outRemoved     = "removed"           // disassociated, then waited until gone
	outWaited      = "waited"            // was already being removed: only waited
	outAlreadyGone = "already gone"      // nothing to do
	outLastVPC     = "kept: last VPC"    // DNS.0706: a zone keeps at least one VPC
	outFailed      = "failed"            // anything else
	outAny         = "removed or waited" // what a live item is expected to end as
)

// item is one association to remove.
type item struct {
	kind   string // "profile" or "zone"
	id     string // Profile ID or zone ID
	vpc    string // the VPC's ID
	expect string // the outcome the run expects (emulator) or outAny (live)
}

func (it item) String() string { return it.kind + " " + it.id + " / " + it.vpc }

type result struct {
	item    item
	outcome string
	err     error
	took    time.Duration
}

// ok reports whether the item ended as expected.
func (r result) ok() bool {
	if r.item.expect == outAny {
		return r.outcome == outRemoved || r.outcome == outWaited || r.outcome == outAlreadyGone
	}
	return r.outcome == r.item.expect
}

// cleanUp removes every item with at most workers calls in flight.
func cleanUp(ctx context.Context, env *environment, workers int) []result {
	jobs := make(chan item)
	out := make([]result, 0, len(env.items))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for it := range jobs {
				r := remove(ctx, env, it)
				mu.Lock()
				out = append(out, r)
				mu.Unlock()
			}
		})
	}
	for _, it := range env.items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
	return out
}

// remove takes one item to gone: DisassociateAndWait looks first, never
// sends a second disassociate for one already being removed, and counts
// "already gone" as done.
func remove(ctx context.Context, env *environment, it item) result {
	start := time.Now()
	r := result{item: it}
	switch it.kind {
	case "profile":
		out, err := env.profiles.DisassociateAndWait(ctx, it.id, it.vpc, env.wait)
		switch {
		case err != nil:
			r.outcome, r.err = outFailed, err
		case out.AlreadyGone:
			r.outcome = outAlreadyGone
		case out.Disassociated:
			r.outcome = outRemoved
		default:
			r.outcome = outWaited
		}
	case "zone":
		out, err := env.dns.DisassociateAndWait(ctx, it.id, it.vpc, "", privatedns.RouterWaitOptions{WaitOptions: env.wait})
		var re *transport.ResponseError
		switch {
		case errors.As(err, &re) && re.Code == privatedns.CodeLastVPC:
			r.outcome = outLastVPC
		case err != nil:
			r.outcome, r.err = outFailed, err
		case out.AlreadyGone:
			r.outcome = outAlreadyGone
		case out.Disassociated != nil:
			r.outcome = outRemoved
		default:
			r.outcome = outWaited
		}
	}
	r.took = time.Since(start)
	return r
}

// report prints one line per item and a summary; it returns the exit status.
func report(w io.Writer, results []result, took time.Duration, env *environment) int {
	sort.Slice(results, func(i, j int) bool { return results[i].item.String() < results[j].item.String() })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ITEM\tOUTCOME\tTOOK\tAS EXPECTED")
	counts := map[string]int{}
	bad := 0
	for _, r := range results {
		counts[r.outcome]++
		mark := "yes"
		if !r.ok() {
			mark = "NO, expected " + r.item.expect
			bad++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.item, r.outcome, r.took.Round(time.Millisecond), mark)
	}
	tw.Flush()
	var parts []string
	for _, o := range []string{outRemoved, outWaited, outAlreadyGone, outLastVPC, outFailed} {
		if counts[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
		}
	}
	fmt.Fprintf(w, "\n%d items in %s: %s\n", len(results), took.Round(time.Millisecond), strings.Join(parts, ", "))
	for _, name := range []string{"Route 53 Profiles", "DNS"} {
		fmt.Fprintf(w, "%s limiter settled at %.1f requests per second\n", name, env.limiters[name].Rate())
	}
	for _, r := range results {
		if r.err != nil {
			fmt.Fprintf(w, "%s: %v\n", r.item, r.err)
		}
	}
	if bad > 0 {
		fmt.Fprintf(w, "%d items did not end as expected\n", bad)
		return 1
	}
	fmt.Fprintln(w, "every item ended as expected")
	return 0
}
