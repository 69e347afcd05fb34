package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/sigverify"
)

// Modes, the mode= key: one goroutine, or b.RunParallel (GOMAXPROCS
// goroutines sharing one client).
const (
	modeSeq = "seq"
	modePar = "par"
)

// BenchmarkCall times one call of each operation with each client, in both
// network settings, sequentially and in parallel. Names are
// op=<operation>/net=<memory|loopback>/mode=<seq|par>/client=<raw|detach|sdk>,
// so `benchstat -col /client` sets the clients side by side, raw first.
func BenchmarkCall(b *testing.B) {
	for _, name := range opNames {
		for _, network := range []string{netMemory, netLoopback} {
			for _, mode := range []string{modeSeq, modePar} {
				for _, kind := range clientKinds {
					if kind == clientSDK && name == opDNSToken {
						continue // the SDK has no token mode
					}
					b.Run("op="+name+"/net="+network+"/mode="+mode+"/client="+kind, func(b *testing.B) {
						benchCall(b, name, network, mode, kind)
					})
				}
			}
		}
	}
}

func benchCall(b *testing.B, name, network, mode, kind string) {
	o := newOp(b, name)
	tg := newTarget(b, o, network)
	c, ok := newCall(b, o, kind, tg)
	if !ok {
		b.Skip("no such client")
	}
	ctx := context.Background()
	// One call before timing: it opens the connection and fills whatever
	// the client caches, as in a long-running program.
	if err := c(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	if mode == modeSeq {
		for b.Loop() {
			if err := c(ctx); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := c(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// checkingTransport checks each request fully before memoryTransport answers
// it: the signature verifies (or the token is the one configured) and the
// body is the operation's, as JSON values. The benchmarks check only the
// request line; this test makes sure every client they time sends the real
// request.
type checkingTransport struct {
	op    *op
	inner http.RoundTripper
	mu    sync.Mutex
	errs  []error
}

func (t *checkingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	if err := t.check(r, body); err != nil {
		t.mu.Lock()
		t.errs = append(t.errs, err)
		t.mu.Unlock()
	}
	return t.inner.RoundTrip(r)
}

func (t *checkingTransport) check(r *http.Request, body []byte) error {
	v := r.Clone(r.Context())
	if v.Host == "" {
		v.Host = v.URL.Host
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	switch t.op.name {
	case opR53P, opCP:
		secret := func(ak string) (string, bool) { return awsSecretKey, ak == awsAccessKey }
		if _, err := sigverify.SigV4(v, hash, secret, time.Now(), 0); err != nil {
			return fmt.Errorf("sigv4: %w", err)
		}
	case opIC, opDNSAKSK:
		secret := func(ak string) (string, bool) { return hwSecretKey, ak == hwAccessKey }
		id, err := sigverify.Huawei(v, hash, secret, time.Now(), 0)
		if err != nil {
			return fmt.Errorf("huawei ak/sk: %w", err)
		}
		if want := (sigverify.HuaweiIdentity{AccessKey: hwAccessKey, ProjectID: hwProjectID, Time: id.Time}); t.op.name == opDNSAKSK && id != want {
			return fmt.Errorf("signed for %v, want %v", id, want)
		}
		if want := (sigverify.HuaweiIdentity{AccessKey: hwAccessKey, DomainID: hwDomainID, Time: id.Time}); t.op.name == opIC && id != want {
			return fmt.Errorf("signed for %v, want %v", id, want)
		}
	case opDNSToken:
		if got := r.Header.Get("X-Auth-Token"); got != hwToken {
			return errors.New("X-Auth-Token is not the configured token")
		}
	}
	if t.op.reqBody == "" {
		if len(body) > 0 {
			return fmt.Errorf("body %q, want none", body)
		}
		return nil
	}
	var got, want any
	if err := json.Unmarshal(body, &got); err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	if err := json.Unmarshal([]byte(t.op.reqBody), &want); err != nil {
		return err
	}
	if d := cmp.Diff(want, got); d != "" {
		return fmt.Errorf("body differs (-want +got):\n%s", d)
	}
	return nil
}

// TestCallers runs every benchmarked call once in each setting: it must
// succeed, and in memory its request must carry a valid signature and the
// operation's body. The canned answer headers, shared by all calls, must be
// left as they were.
func TestCallers(t *testing.T) {
	t.Parallel()
	for _, name := range opNames {
		for _, network := range []string{netMemory, netLoopback} {
			for _, kind := range clientKinds {
				t.Run(name+"/"+network+"/"+kind, func(t *testing.T) {
					t.Parallel()
					o := newOp(t, name)
					pristine := o.header.Clone()
					tg := newTarget(t, o, network)
					var ct *checkingTransport
					if network == netMemory {
						ct = &checkingTransport{op: o, inner: tg.rt}
						tg = target{endpoint: tg.endpoint, client: &http.Client{Transport: ct}, rt: ct}
					}
					c, ok := newCall(t, o, kind, tg)
					if !ok {
						t.Skip("no such client")
					}
					for range 2 {
						if err := c(context.Background()); err != nil {
							t.Fatal(err)
						}
					}
					if ct != nil {
						if len(ct.errs) > 0 {
							t.Fatal(errors.Join(ct.errs...))
						}
					}
					if d := cmp.Diff(pristine, o.header); d != "" {
						t.Errorf("the client changed the shared answer headers (-before +after):\n%s", d)
					}
				})
			}
		}
	}
}

// TestTransportsRejectOtherRequests checks that the benchmarks cannot time
// a client that sends the wrong request: a call made for one operation, sent
// to another's service, fails in both settings.
func TestTransportsRejectOtherRequests(t *testing.T) {
	t.Parallel()
	for _, network := range []string{netMemory, netLoopback} {
		for _, kind := range clientKinds {
			t.Run(network+"/"+kind, func(t *testing.T) {
				t.Parallel()
				tg := newTarget(t, newOp(t, opDNSAKSK), network)
				c, _ := newCall(t, newOp(t, opR53P), kind, tg)
				if err := c(context.Background()); err == nil {
					t.Error("a DisassociateProfile call succeeded against the DNS answer")
				}
			})
		}
	}
}
