package huaweicreds

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
)

// gatedDoer serves requests with the emulator's metadata handler, without
// a socket, once gate is closed; until then a request waits (or ends with
// its context). entered is closed when the first request arrives.
type gatedDoer struct {
	h       http.Handler
	gate    chan struct{}
	entered chan struct{}
	sent    atomic.Int32
	once    sync.Once
}

func newGatedDoer(cloud *fakecloud.Cloud) *gatedDoer {
	return &gatedDoer{h: cloud.RootHandler(fakecloud.HuaweiMetadata), gate: make(chan struct{}), entered: make(chan struct{})}
}

func (d *gatedDoer) Do(r *http.Request) (*http.Response, error) {
	d.sent.Add(1)
	d.once.Do(func() { close(d.entered) })
	select {
	case <-d.gate:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	rec := httptest.NewRecorder()
	d.h.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// within returns what ch delivers, failing the test if it is still blocked
// after a generous bound (a watchdog, not a wait: it passes at once when
// the code is right).
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still blocked while the resolution is in flight", what)
	}
	var zero T
	return zero
}

type chainResult struct {
	creds signer.HuaweiCredentials
	err   error
}

func retrieveAsync(ch *Chain, ctx context.Context) <-chan chainResult {
	out := make(chan chainResult, 1)
	go func() {
		c, err := ch.RetrieveHuawei(ctx)
		out <- chainResult{c, err}
	}()
	return out
}

// While the first caller's resolution is stuck at the metadata service, a
// waiter whose context is cancelled returns at once, String answers, and
// the first caller's own cancellation does not fail the resolution for the
// caller still waiting: one request to the source, whose keys it gets.
func TestChainWaitersLeaveOnTheirOwnContext(t *testing.T) {
	cloud, _, cfg, _ := chainEnv(t, fakecloud.ECSMetadataConfig{})
	d := newGatedDoer(cloud)
	var release sync.Once
	open := func() { release.Do(func() { close(d.gate) }) }
	t.Cleanup(open)
	cfg.Settings.HTTPClient = d
	cfg.Settings.AttemptTimeout = time.Hour // the gate, not the attempt bound, holds the request
	ch := BasicChain(cfg)

	ctx1, cancel1 := context.WithCancel(context.Background())
	defer cancel1()
	first := retrieveAsync(ch, ctx1)
	within(t, d.entered, "the first caller's request")

	ctx2, cancel2 := context.WithCancel(context.Background())
	waiter := retrieveAsync(ch, ctx2)
	patient := retrieveAsync(ch, context.Background())
	cancel2()
	if r := within(t, waiter, "a cancelled waiter"); !errors.Is(r.err, context.Canceled) {
		t.Errorf("cancelled waiter: err = %v, want context.Canceled", r.err)
	}

	str := make(chan string, 1)
	go func() { str <- ch.String() }()
	if s := within(t, str, "String"); s != "huaweicreds.Chain(basic)" {
		t.Errorf("String = %q during the resolution", s)
	}

	cancel1()
	if r := within(t, first, "the cancelled first caller"); !errors.Is(r.err, context.Canceled) {
		t.Errorf("first caller: err = %v, want context.Canceled", r.err)
	}

	open()
	r := within(t, patient, "the patient waiter")
	require.NoError(t, r.err)
	if !strings.HasPrefix(r.creds.Source, SourceECSMetadata) {
		t.Errorf("Source = %q, want %s", r.creds.Source, SourceECSMetadata)
	}
	if n := cloud.Requests(fakecloud.OpMetadataGetSecurityKey); n != 1 {
		t.Errorf("securitykey requests = %d, want 1", n)
	}
	if s := ch.String(); !strings.Contains(s, "using ") {
		t.Errorf("String = %q after the resolution, want the chosen source", s)
	}
}

// 256 first callers all wait for one resolution at the same time (the
// bubble proves every one of them is blocked before the source answers),
// and the source gets one request.
func TestChainOneResolutionForConcurrentFirstCallers(t *testing.T) {
	cloud, _, cfg, _ := chainEnv(t, fakecloud.ECSMetadataConfig{})
	synctest.Test(t, func(t *testing.T) {
		d := newGatedDoer(cloud)
		cfg.Settings.HTTPClient = d
		cfg.Settings.AttemptTimeout = time.Hour
		ch := GlobalChain(cfg)
		const n = 256
		var returned atomic.Int32
		var wg sync.WaitGroup
		keys := make([]string, n)
		for i := range keys {
			wg.Go(func() {
				defer returned.Add(1)
				c, err := ch.RetrieveHuawei(t.Context())
				if err != nil {
					t.Error(err)
					return
				}
				keys[i] = c.AccessKey
			})
		}
		synctest.Wait()
		if got, sent := returned.Load(), d.sent.Load(); got != 0 || sent != 1 {
			t.Fatalf("before the source answered: %d callers returned, %d requests sent; want 0 and 1", got, sent)
		}
		close(d.gate)
		wg.Wait()
		wantOneKey(t, keys)
		if n := cloud.Requests(fakecloud.OpMetadataGetSecurityKey); n != 1 {
			t.Errorf("securitykey requests = %d, want 1", n)
		}
	})
}

// A resolution nobody bounds (the first caller's context has no deadline)
// still ends at ResolveTimeout, with an error saying so, and the next call
// resolves again.
func TestChainResolutionIsBounded(t *testing.T) {
	cloud, _, cfg, _ := chainEnv(t, fakecloud.ECSMetadataConfig{})
	synctest.Test(t, func(t *testing.T) {
		d := newGatedDoer(cloud)
		cfg.Settings.HTTPClient = d
		cfg.Settings.AttemptTimeout = time.Hour
		cfg.ResolveTimeout = 30 * time.Second
		ch := BasicChain(cfg)
		start := time.Now()
		_, err := ch.RetrieveHuawei(context.Background())
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "took longer than 30s") {
			t.Fatalf("err = %v, want the resolution's deadline", err)
		}
		if got := time.Since(start); got != 30*time.Second {
			t.Errorf("gave up after %v, want 30s", got)
		}
		close(d.gate)
		c, err := ch.RetrieveHuawei(context.Background())
		require.NoError(t, err)
		if !strings.HasPrefix(c.Source, SourceECSMetadata) {
			t.Errorf("retry: Source = %q, want %s", c.Source, SourceECSMetadata)
		}
	})
}
