package signer

// smallSort is the length up to which sortStable uses insertion sort.
const smallSort = 48

// sortStable sorts s stably by cmp, without allocating for up to smallSort
// elements. The signers sort a request's headers and query pairs, a handful
// each, which insertion sort does fastest (slices.SortFunc also uses it
// below 12 elements); a longer list is merge sorted, so that no request
// makes signing quadratic.
//
// It replaces slices.SortFunc and slices.SortStableFunc, whose generic
// sorting code is compiled anew for each element type: kilobytes of every
// binary that links the signers, for lists of a few elements. Nothing here
// goes through an interface, so the callers' stack arrays stay on the stack.
func sortStable[T any](s []T, cmp func(a, b T) int) {
	if len(s) <= smallSort {
		for i := 1; i < len(s); i++ {
			for j := i; j > 0 && cmp(s[j-1], s[j]) > 0; j-- {
				s[j-1], s[j] = s[j], s[j-1]
			}
		}
		return
	}
	// Bottom-up merge sort, alternating between s and a buffer; on equal
	// elements the left run's comes first, which keeps it stable.
	src, dst := s, make([]T, len(s))
	for width := 1; width < len(s); width *= 2 {
		for lo := 0; lo < len(s); lo += 2 * width {
			mid, hi := min(lo+width, len(s)), min(lo+2*width, len(s))
			i, j, k := lo, mid, lo
			for ; i < mid && j < hi; k++ {
				if cmp(src[j], src[i]) < 0 {
					dst[k] = src[j]
					j++
				} else {
					dst[k] = src[i]
					i++
				}
			}
			k += copy(dst[k:], src[i:mid])
			copy(dst[k:], src[j:hi])
		}
		src, dst = dst, src
	}
	if &src[0] != &s[0] {
		copy(s, src)
	}
}
