// Command footprint measures what making one call costs a program's build:
// it builds the same one-call program with raw net/http (a hand-written
// signature), with detach, with aws-sdk-go-v2 (with and without its config
// loader) and with huaweicloud-sdk-go-v3, each in a temporary module of its
// own, and prints binary sizes (-trimpath -ldflags='-s -w'), module counts
// (go list -m all, and the modules linked into the binary per go version -m)
// and the time to rebuild after main.go changes. Every program is then run
// against a local stand-in of the service, which checks its signature, so
// each one is known to make the call.
//
// Run it from internal/sdkcompare:
//
//	go run ./footprint          # every program, a minute or two
//	go run ./footprint -cold    # also a first build of each with an empty build cache
//	go run ./footprint -check   # raw and detach only, for CI
//
// It exits non-zero when a program fails to build or to make its call, when
// detach's binary is more than -limit KB over raw's, or when detach links a
// module other than itself and smithy-go.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
)

// allowedDetachDeps are the modules a program using detach may link besides
// detach itself: smithy-go, for its error interfaces.
var allowedDetachDeps = []string{"github.com/aws/smithy-go"}

func main() {
	check := flag.Bool("check", false, "build only the raw and detach programs (CI)")
	runs := flag.Int("runs", 0, "rebuilds timed per program, the median is shown (default 5, 3 with -check)")
	limit := flag.Int64("limit", 300, "largest allowed size of detach's binary over raw's, in KB")
	keep := flag.Bool("keep", false, "keep the temporary modules and print where they are")
	cold := flag.Bool("cold", false, "also time each program's first build with an empty build cache (slow)")
	flag.Parse()
	if *runs <= 0 {
		*runs = 5
		if *check {
			*runs = 3
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ok, err := footprint(ctx, os.Stdout, options{check: *check, runs: *runs, limit: *limit * 1000, keep: *keep, cold: *cold})
	if err != nil {
		fmt.Fprintln(os.Stderr, "footprint:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	check bool
	runs  int
	limit int64 // bytes
	keep  bool
	cold  bool
}

func footprint(ctx context.Context, w io.Writer, o options) (bool, error) {
	e, err := newEnv(ctx)
	if err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp("", "footprint-")
	if err != nil {
		return false, err
	}
	if o.keep {
		fmt.Fprintln(w, "modules in", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}
	srv := newServer()
	defer srv.Close()

	var results []result
	for _, p := range programs() {
		if o.check && !p.check {
			continue
		}
		fmt.Fprintf(os.Stderr, "building %s...\n", p.name)
		r, err := e.measure(ctx, p, filepath.Join(tmp, p.name), o.runs, o.cold)
		if err != nil {
			return false, fmt.Errorf("%s: %w", p.name, err)
		}
		r.ran = run(ctx, filepath.Join(tmp, p.name, p.name), srv.URL, p.want)
		results = append(results, r)
	}
	printTable(w, results, o.runs, o.cold)
	return verdict(w, results, o.limit), nil
}

// baseline returns the raw program's result of r's cloud.
func baseline(results []result, r result) (result, bool) {
	for _, b := range results {
		if b.prog.cloud == r.prog.cloud && b.prog.kind == kindRaw {
			return b, true
		}
	}
	return result{}, false
}

func printTable(w io.Writer, results []result, runs int, cold bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "program\tbinary KB\tover raw KB\tgo list -m all\tlinked modules\trebuild s\tover raw s\t"
	if cold {
		head += "cold build s\tover raw s\t"
	}
	fmt.Fprintln(tw, head+"call\t")
	for _, r := range results {
		overSize, overBuild, overCold := "", "", ""
		if b, ok := baseline(results, r); ok && r.prog.kind != kindRaw {
			overSize = fmt.Sprintf("%+d", (r.size-b.size)/1000)
			overBuild = fmt.Sprintf("%+.2f", (r.rebuild - b.rebuild).Seconds())
			overCold = fmt.Sprintf("%+.1f", (r.cold - b.cold).Seconds())
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%.2f\t%s\t", r.prog.name, r.size/1000, overSize,
			r.modules, len(r.linked), r.rebuild.Seconds(), overBuild)
		if cold {
			fmt.Fprintf(tw, "%.1f\t%s\t", r.cold.Seconds(), overCold)
		}
		call := "ok"
		if r.ran != nil {
			call = "FAILED"
		}
		fmt.Fprintf(tw, "%s\t\n", call)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nKB = 1000 bytes; rebuild: median of %d builds after changing main.go (warm build cache).\n", runs)
	if cold {
		fmt.Fprintln(w, "cold build: the first build with an empty build cache, standard library included (one build each).")
	}
	fmt.Fprintln(w, "linked modules (go version -m), less the program's own:")
	for _, r := range results {
		names := "none"
		if len(r.linked) > 0 {
			names = strings.Join(r.linked, " ")
		}
		fmt.Fprintf(w, "  %s: %s\n", r.prog.name, names)
	}
}

// verdict reports every failure and whether there was none.
func verdict(w io.Writer, results []result, limit int64) bool {
	ok := true
	fail := func(format string, args ...any) {
		ok = false
		fmt.Fprintf(w, "FAIL: "+format+"\n", args...)
	}
	for _, r := range results {
		if r.ran != nil {
			fail("%s did not make its call: %v", r.prog.name, r.ran)
		}
		if r.prog.kind != kindDetach {
			continue
		}
		allowed := limit
		if r.prog.limit > 0 {
			allowed = r.prog.limit
		}
		b, found := baseline(results, r)
		if found && r.size-b.size > allowed {
			fail("%s is %d KB over %s, more than the %d KB allowed", r.prog.name, (r.size-b.size)/1000, b.prog.name, allowed/1000)
		}
		for _, m := range r.linked {
			if m != detachPath && !slices.Contains(allowedDetachDeps, m) {
				fail("%s links %s; detach may link only %s", r.prog.name, m, strings.Join(allowedDetachDeps, ", "))
			}
		}
	}
	if ok {
		fmt.Fprintf(w, "ok: detach within %d KB of raw linking only %s\n", limit/1000, strings.Join(allowedDetachDeps, ", "))
	}
	return ok
}
