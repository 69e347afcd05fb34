package sdkcompare

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// maxReported is how many mismatches are printed in full; the rest are
// only counted, so one systematic bug does not bury the log.
const maxReported = 5

// tally counts compared, mismatched and skipped cases of one comparison and
// prints the first mismatches in full.
type tally struct {
	t          *testing.T
	compared   int
	mismatches int
	skipped    map[string]int // reason -> count
}

func newTally(t *testing.T) *tally { return &tally{t: t, skipped: map[string]int{}} }

// mismatch records a disagreement; the case and both outputs are printed.
func (ty *tally) mismatch(c fmt.Stringer, detail string) {
	ty.t.Helper()
	ty.mismatches++
	if ty.mismatches <= maxReported {
		ty.t.Errorf("MISMATCH\n%s\n%s", c, detail)
	}
}

// skip records a case left out of this comparison for a documented reason.
func (ty *tally) skip(reason string) { ty.skipped[reason]++ }

// finish fails when fewer than want cases were compared, and logs the
// counts that README.md quotes.
func (ty *tally) finish(name string, want int) {
	ty.t.Helper()
	var b strings.Builder
	for _, r := range slices.Sorted(maps.Keys(ty.skipped)) {
		fmt.Fprintf(&b, " skipped[%s]=%d", r, ty.skipped[r])
	}
	ty.t.Logf("%s: seed=%d compared=%d mismatches=%d%s", name, *flagSeed, ty.compared, ty.mismatches, b.String())
	if ty.mismatches > maxReported {
		ty.t.Errorf("%d mismatches in total (first %d shown)", ty.mismatches, maxReported)
	}
	if ty.compared < want {
		ty.t.Errorf("compared %d cases, want at least %d", ty.compared, want)
	}
}

// formatHeader renders a header map in sorted key order, values quoted, so
// odd spacing and case stay visible.
func formatHeader(b *strings.Builder, h map[string][]string) {
	for _, k := range slices.Sorted(maps.Keys(h)) {
		fmt.Fprintf(b, "  %q: %q\n", k, h[k])
	}
}
