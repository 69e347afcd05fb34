package signer

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
)

// TestSortStable checks sortStable against slices.SortStableFunc on lists
// below and above smallSort, with many equal keys so that stability shows.
func TestSortStable(t *testing.T) {
	t.Parallel()
	type item struct{ key, seq int }
	byKey := func(a, b item) int { return cmp.Compare(a.key, b.key) }
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 12, smallSort, smallSort + 1, 2*smallSort + 7, 1000} {
		for round := range 5 {
			s := make([]item, n)
			for i := range s {
				s[i] = item{key: r.IntN(n/3 + 1), seq: i}
			}
			if round == 0 {
				slices.SortFunc(s, func(a, b item) int { return -byKey(a, b) }) // reversed
			}
			want := slices.Clone(s)
			slices.SortStableFunc(want, byKey)
			sortStable(s, byKey)
			if d := gocmp.Diff(want, s, gocmp.AllowUnexported(item{})); d != "" {
				t.Fatalf("n=%d round %d (-want +got):\n%s", n, round, d)
			}
		}
	}
}

// TestSortStableSmallDoesNotAllocate guards the reason sortStable exists:
// sorting a request's few headers allocates nothing.
func TestSortStableSmallDoesNotAllocate(t *testing.T) {
	var arr [16]int
	allocs := testing.AllocsPerRun(100, func() {
		s := arr[:0]
		for i := range 16 {
			s = append(s, (i*7)%16)
		}
		sortStable(s, cmp.Compare[int])
	})
	if allocs != 0 {
		t.Errorf("sorting 16 elements allocates %v times, want 0", allocs)
	}
}
