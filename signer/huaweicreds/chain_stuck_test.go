package huaweicreds

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
)

// retrieveResult is one RetrieveHuawei's answer, with when it came.
type retrieveResult struct {
	creds signer.HuaweiCredentials
	err   error
	after time.Duration
}

// goRetrieve calls ch.RetrieveHuawei with context.Background() on its own
// goroutine, timing it from start.
func goRetrieve(ch *Chain, start time.Time) <-chan retrieveResult {
	out := make(chan retrieveResult, 1)
	go func() {
		c, err := ch.RetrieveHuawei(context.Background())
		out <- retrieveResult{c, err, time.Since(start)}
	}()
	return out
}

// stuckSource is a chain whose metadata source's clock, while stuck,
// blocks until free and then does what then does: a source that ignores
// its context (or panics) on the chain's goroutine, which the credential
// caches' own waits cannot shield. Requests go through d, open, so that
// no socket is in the bubble; build it inside the bubble.
type stuckSource struct {
	d       *gatedDoer
	stuck   atomic.Bool
	release chan struct{}
}

func newStuckSource(cloud *fakecloud.Cloud, cfg ChainConfig, then func()) (*stuckSource, ChainConfig) {
	s := &stuckSource{release: make(chan struct{})}
	s.d, cfg = gated(cloud, cfg)
	close(s.d.gate)
	s.stuck.Store(true)
	now := cfg.Now
	cfg.Now = func() time.Time {
		if s.stuck.Load() {
			<-s.release
			then()
		}
		return now()
	}
	return s, cfg
}

// free lets the stuck call go on; later calls are not held.
func (s *stuckSource) free() {
	s.stuck.Store(false)
	close(s.release)
}

// A source that ignores its context holds no caller past ResolveTimeout:
// the waiters give up at the deadline, a call while the abandoned
// resolution is still running fails at once without a request, that
// resolution's late result is ignored, and the first call after it returns
// resolves afresh.
func TestChainAbandonsAStuckResolution(t *testing.T) {
	cloud, _, cfg, _ := chainEnv(t, fakecloud.ECSMetadataConfig{})
	synctest.Test(t, func(t *testing.T) {
		src, cfg := newStuckSource(cloud, cfg, func() {})
		cfg.ResolveTimeout = 30 * time.Second
		ch := BasicChain(cfg)
		start := time.Now()

		first := goRetrieve(ch, start)
		synctest.Wait() // the source is stuck
		second := goRetrieve(ch, start)
		for i, r := range []retrieveResult{<-first, <-second} {
			if !errors.Is(r.err, context.DeadlineExceeded) || !strings.Contains(r.err.Error(), "took longer than 30s") {
				t.Errorf("waiter %d: err = %v, want the resolution's deadline", i, r.err)
			}
			if r.after != 30*time.Second {
				t.Errorf("waiter %d gave up after %v, want 30s", i, r.after)
			}
		}

		r := <-goRetrieve(ch, start)
		if !errors.Is(r.err, ErrResolutionStuck) || r.after != 30*time.Second {
			t.Errorf("call during the abandoned resolution: err = %v after %v, want ErrResolutionStuck at once", r.err, r.after)
		}
		if n := src.d.sent.Load(); n != 0 {
			t.Errorf("requests while stuck = %d, want 0", n)
		}

		src.free() // the stuck source goes on, and gets keys, too late
		synctest.Wait()
		if s := ch.String(); s != "huaweicreds.Chain(basic)" {
			t.Errorf("String = %q, want no source chosen from the abandoned resolution", s)
		}
		before := cloud.Requests(fakecloud.OpMetadataGetSecurityKey)
		r = <-goRetrieve(ch, start)
		require.NoError(t, r.err)
		if !strings.HasPrefix(r.creds.Source, SourceECSMetadata) {
			t.Errorf("fresh resolution: Source = %q, want %s", r.creds.Source, SourceECSMetadata)
		}
		if n := cloud.Requests(fakecloud.OpMetadataGetSecurityKey) - before; n != 1 {
			t.Errorf("fresh resolution: securitykey requests = %d, want 1", n)
		}
	})
}

// A source that panics while several callers wait (here the metadata
// source's clock, once every caller has joined) fails the resolution for
// each of them with an error, and the next call resolves again.
func TestChainRecoversAPanickingSource(t *testing.T) {
	cloud, _, cfg, _ := chainEnv(t, fakecloud.ECSMetadataConfig{})
	synctest.Test(t, func(t *testing.T) {
		src, cfg := newStuckSource(cloud, cfg, func() { panic("clock broken") })
		ch := BasicChain(cfg)
		start := time.Now()
		waiters := make([]<-chan retrieveResult, 3)
		for i := range waiters {
			waiters[i] = goRetrieve(ch, start)
		}
		synctest.Wait() // every caller waits for the one resolution
		src.free()
		var errs []string
		for _, w := range waiters {
			r := <-w
			if r.err == nil {
				t.Fatalf("a waiter got %v from a panicking source", r.creds)
			}
			errs = append(errs, r.err.Error())
		}
		want := "huaweicreds: resolving the basic chain panicked"
		if diff := cmp.Diff([]string{want, want, want}, errs); diff != "" {
			t.Errorf("waiters' errors (-want +got):\n%s", diff)
		}

		r := <-goRetrieve(ch, start)
		require.NoError(t, r.err)
		if !strings.HasPrefix(r.creds.Source, SourceECSMetadata) {
			t.Errorf("next call: Source = %q, want %s", r.creds.Source, SourceECSMetadata)
		}
	})
}
