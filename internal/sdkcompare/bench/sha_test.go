package bench

import (
	"crypto/sha256"
	"strconv"
	"testing"
)

// BenchmarkSHA256 times SHA-256 over messages of 1 to 8 blocks (64 bytes
// each, padding included), in the same run as the calls. A signature needs a
// fixed number of blocks (PERFORMANCE.md counts them for each request), so
// this gives the least time any client that signs must add to raw's: the
// floor the signed calls are measured against. Names are blocks=<n>.
func BenchmarkSHA256(b *testing.B) {
	for _, n := range []int{1, 2, 4, 8} {
		// 9 bytes of each message's last block go to padding and length.
		msg := make([]byte, n*64-9)
		b.Run("blocks="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				sha256Sink = sha256.Sum256(msg)
			}
		})
	}
}

// sha256Sink keeps the compiler from dropping the sums.
var sha256Sink [sha256.Size]byte
