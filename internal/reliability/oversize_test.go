package reliability

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/detach-go/detach/transport"
)

// TestOversizedSuccessBody sends each operation a 2xx body far over the
// client's limit, declared or streamed, and checks that the client refuses
// it without reading it whole: the server manages to write only what the
// sockets buffer, and the process allocates a small fraction of the body.
//
// It is not parallel, so that runtime.MemStats measures this test alone.
func TestOversizedSuccessBody(t *testing.T) {
	const (
		bodySize = 256 << 20 // what a hostile server would send
		maxWrite = 32 << 20  // loopback socket buffers hold a few MiB at most
		maxAlloc = 16 << 20  // the limit is 1 MiB; reading it costs a few
	)
	for _, declared := range []bool{true, false} {
		name := "streamed"
		if declared {
			name = "Content-Length declared"
		}
		for _, o := range operations() {
			t.Run(name+"/"+o.col, func(t *testing.T) {
				var written atomic.Int64
				srv := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
					if declared {
						w.Header().Set("Content-Length", strconv.Itoa(bodySize))
					}
					w.WriteHeader(o.okStatus)
					stream(w, r, bodySize, &written)
				})
				c, err := o.client(srv.URL()+string(o.svc), transport.Settings{HTTPClient: newHTTPClient(t),
					Retry: fastRetry(), AttemptTimeout: 5 * time.Second})
				if err != nil {
					t.Fatalf("new client: %v", err)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()

				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				_, meta, err := c.call(ctx, o.input(0))
				runtime.ReadMemStats(&after)

				if !errors.Is(err, transport.ErrResponseTooLarge) {
					t.Fatalf("error = %v, want transport.ErrResponseTooLarge", err)
				}
				if got := classify(t, meta, err); got.Kind != "decode" || got.Status != o.okStatus {
					t.Errorf("outcome = %+v, want a decode error with status %d", got, o.okStatus)
				}
				if n := srv.hits.Load(); n != 1 {
					t.Errorf("server saw %d requests, want 1 (an oversized body is not retried)", n)
				}
				// Let the server notice the closed connection.
				srv.srv.CloseClientConnections()
				allocated := after.TotalAlloc - before.TotalAlloc
				w := written.Load()
				t.Logf("server wrote %d MiB of %d MiB; client process allocated %d KiB", w>>20, bodySize>>20, allocated>>10)
				if w > maxWrite {
					t.Errorf("server wrote %d bytes: the client read far past its limit", w)
				}
				if allocated > maxAlloc {
					t.Errorf("the call allocated %d bytes for a body limited to %d", allocated, transport.DefaultMaxResponseBytes)
				}
				over := 0
				if w > maxWrite || allocated > maxAlloc {
					over = 1
				}
				figures.loss("oversized bodies read whole", over)
				figures.fault("1 socket faults (loopback servers)", "2xx body over the limit, "+name, o.col)
			})
		}
	}
}
