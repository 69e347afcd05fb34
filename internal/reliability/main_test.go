package reliability

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

var writeFigures = flag.Bool("figures", false, "write the figures summary to testdata/figures.txt")

// figures collects what the suites exercised, for the summary TestMain
// prints. It is the package's only shared state, and test-only: the suites
// are separate top-level tests and fuzz targets, so one process-wide tally is
// the only place they can all report to.
var figures = newLedger()

// ledger is a tally safe for concurrent use.
type ledger struct {
	mu         sync.Mutex
	faults     map[string]map[string]int // group → fault kind → operation column: checked outcomes
	groups     []string                  // in the order first seen
	badInputs  map[string]int            // operation column or waiter → invalid inputs rejected with no request
	oddInputs  map[string]int            // operation column → valid but odd values that addressed exactly the named resource
	optionBad  int                       // options and credentials with CR/LF or control characters rejected
	fuzz       map[string]int            // fuzz target → executions in this process
	concurrent map[string]int            // what → calls made (concurrently, or scanned)
	lost       map[string]int            // what was lost or leaked → how much (0 is the promise)
}

func newLedger() *ledger {
	return &ledger{
		faults: map[string]map[string]int{}, badInputs: map[string]int{}, oddInputs: map[string]int{},
		fuzz: map[string]int{}, concurrent: map[string]int{}, lost: map[string]int{},
	}
}

// fault records one checked outcome of a fault kind (in a group of kinds)
// for an operation.
func (l *ledger) fault(group, kind, op string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.faults[group] == nil {
		l.faults[group] = map[string]int{}
		l.groups = append(l.groups, group)
	}
	l.faults[group][kind+"\x00"+op]++
}

func (l *ledger) badInput(op string, odd bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if odd {
		l.oddInputs[op]++
	} else {
		l.badInputs[op]++
	}
}

func (l *ledger) badOption() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.optionBad++
}

func (l *ledger) fuzzed(target string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fuzz[target]++
}

func (l *ledger) calls(what string, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.concurrent[what] += n
}

// loss records n units of what was lost or leaked; tests record their
// measurement even when it is zero, so the summary shows what was measured.
func (l *ledger) loss(what string, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lost[what] += n
}

// opColumns are the summary's columns, in the order of operations(), and
// what each stands for.
func opColumns() (cols, labels []string) {
	for _, o := range operations() {
		cols = append(cols, o.col)
		labels = append(labels, o.label())
	}
	return cols, labels
}

// ordered returns the keys of m: first those of first that m has, in
// order, then the others, sorted.
func ordered[V any](first []string, m map[string]V) []string {
	var keys []string
	for _, k := range first {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(first, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func (l *ledger) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	cols, labels := opColumns()
	var b strings.Builder
	b.WriteString("detach reliability figures\n\noperations (columns):\n")
	for i, c := range cols {
		fmt.Fprintf(&b, "  %-9s %s\n", c, labels[i])
	}
	fmt.Fprintf(&b, "\n%-52s", "fault kind")
	for _, c := range cols {
		fmt.Fprintf(&b, " %9s", c)
	}
	b.WriteString("\n")
	kinds, cells, total := 0, 0, 0
	slices.Sort(l.groups)
	for _, g := range l.groups {
		byKind := map[string]map[string]int{}
		for key, n := range l.faults[g] {
			kind, op, _ := strings.Cut(key, "\x00")
			if byKind[kind] == nil {
				byKind[kind] = map[string]int{}
			}
			byKind[kind][op] += n
		}
		_, name, _ := strings.Cut(g, " ") // groups sort by a leading number
		b.WriteString("[" + name + "]\n")
		for _, k := range sortedKeys(byKind) {
			kinds++
			fmt.Fprintf(&b, "  %-50s", k)
			for _, c := range cols {
				n := byKind[k][c]
				if n > 0 {
					cells++
				}
				total += n
				fmt.Fprintf(&b, " %9d", n)
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "fault kinds: %d; kind × operation cells exercised: %d; outcomes checked: %d\n\n",
		kinds, cells, total)

	bad, odd := 0, 0
	seen := map[string]bool{}
	for k := range l.badInputs {
		seen[k] = true
	}
	for k := range l.oddInputs {
		seen[k] = true
	}
	for _, c := range ordered(cols, seen) {
		bad += l.badInputs[c]
		odd += l.oddInputs[c]
		fmt.Fprintf(&b, "bad inputs %-40s rejected %4d   odd-but-valid values addressed exactly %3d\n",
			c, l.badInputs[c], l.oddInputs[c])
	}
	fmt.Fprintf(&b, "bad inputs tried: %d rejected before any request, %d odd values checked on the wire, %d bad options\n\n",
		bad, odd, l.optionBad)

	fuzzTotal := 0
	for _, k := range sortedKeys(l.fuzz) {
		fuzzTotal += l.fuzz[k]
		fmt.Fprintf(&b, "fuzz %-40s %10d executions this run\n", k, l.fuzz[k])
	}
	fmt.Fprintf(&b, "fuzz executions this run: %d", fuzzTotal)
	if rec, err := os.ReadFile(filepath.Join("testdata", "fuzz-executions.txt")); err == nil {
		b.WriteString("; recorded -fuzz runs (testdata/fuzz-executions.txt):\n")
		b.Write(rec)
	} else {
		b.WriteString("\n")
	}
	b.WriteString("\n")

	for _, k := range sortedKeys(l.concurrent) {
		fmt.Fprintf(&b, "calls: %-74s %6d\n", k, l.concurrent[k])
	}
	b.WriteString("\nlost or leaked (must all be 0):\n")
	for _, k := range sortedKeys(l.lost) {
		fmt.Fprintf(&b, "  %-71s %d\n", k, l.lost[k])
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	s := figures.summary()
	if testing.Verbose() || *writeFigures {
		fmt.Print("\n" + s)
	}
	if *writeFigures {
		if err := os.WriteFile(filepath.Join("testdata", "figures.txt"), []byte(s), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "write figures:", err)
			code = 1
		}
	}
	os.Exit(code)
}
