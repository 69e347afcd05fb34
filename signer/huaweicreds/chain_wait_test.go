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
	"github.com/detach-go/detach/internal/waitfor"
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

// gated returns cfg with its requests sent through a new gatedDoer, which
// alone holds them: the attempt bound is far away.
func gated(cloud *fakecloud.Cloud, cfg ChainConfig) (*gatedDoer, ChainConfig) {
	d := &gatedDoer{h: cloud.RootHandler(fakecloud.HuaweiMetadata), gate: make(chan struct{}), entered: make(chan struct{})}
	cfg.Settings.HTTPClient = d
	cfg.Settings.AttemptTimeout = time.Hour
	return d, cfg
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

// While the first caller's resolution is stuck at the metadata service, a
// waiter whose context is cancelled returns at once, String answers, and
// the first caller's own cancellation does not fail the resolution for the
// caller still waiting: one request to the source, whose keys it gets.
func TestChainWaitersLeaveOnTheirOwnContext(t *testing.T) {
	cloud, _, cfg, _ := chainEnv(t, fakecloud.ECSMetadataConfig{})
	d, cfg := gated(cloud, cfg)
	var release sync.Once
	open := func() { release.Do(func() { close(d.gate) }) }
	t.Cleanup(open)
	ch := BasicChain(cfg)

	ctx1, cancel1 := context.WithCancel(context.Background())
	defer cancel1()
	first := waitfor.Go(func() (signer.HuaweiCredentials, error) { return ch.RetrieveHuawei(ctx1) })
	waitfor.Within(t, d.entered, "the first caller's request")

	ctx2, cancel2 := context.WithCancel(context.Background())
	waiter := waitfor.Go(func() (signer.HuaweiCredentials, error) { return ch.RetrieveHuawei(ctx2) })
	patient := waitfor.Go(func() (signer.HuaweiCredentials, error) { return ch.RetrieveHuawei(context.Background()) })
	cancel2()
	if r := waitfor.Within(t, waiter, "a cancelled waiter"); !errors.Is(r.Err, context.Canceled) {
		t.Errorf("cancelled waiter: err = %v, want context.Canceled", r.Err)
	}

	str := waitfor.Go(func() (string, error) { return ch.String(), nil })
	if s := waitfor.Within(t, str, "String").Value; s != "huaweicreds.Chain(basic)" {
		t.Errorf("String = %q during the resolution", s)
	}

	cancel1()
	if r := waitfor.Within(t, first, "the cancelled first caller"); !errors.Is(r.Err, context.Canceled) {
		t.Errorf("first caller: err = %v, want context.Canceled", r.Err)
	}

	open()
	r := waitfor.Within(t, patient, "the patient waiter")
	require.NoError(t, r.Err)
	if !strings.HasPrefix(r.Value.Source, SourceECSMetadata) {
		t.Errorf("Source = %q, want %s", r.Value.Source, SourceECSMetadata)
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
		d, cfg := gated(cloud, cfg)
		ch := GlobalChain(cfg)
		done := make(chan []string)
		go func() { done <- retrieveConcurrently(t, ch, 256) }()
		synctest.Wait()
		select {
		case <-done:
			t.Fatal("the callers returned before the source answered")
		default:
		}
		if sent := d.sent.Load(); sent != 1 {
			t.Fatalf("%d requests sent before the source answered, want 1", sent)
		}
		close(d.gate)
		keys := <-done
		wantOneKey(t, keys)
		if n := cloud.Requests(fakecloud.OpMetadataGetSecurityKey); n != 1 {
			t.Errorf("securitykey requests = %d, want 1", n)
		}
	})
}

// A resolution nobody bounds (the first caller's context has no deadline)
// still ends at ResolveTimeout, with an error saying so, and the next call
// (once the abandoned resolution has returned) resolves again.
func TestChainResolutionIsBounded(t *testing.T) {
	cloud, _, cfg, _ := chainEnv(t, fakecloud.ECSMetadataConfig{})
	synctest.Test(t, func(t *testing.T) {
		d, cfg := gated(cloud, cfg)
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
		// This source heeds its context, so the abandoned resolution
		// unwinds at once; until it has, a call would fail with
		// ErrResolutionStuck.
		synctest.Wait()
		close(d.gate)
		c, err := ch.RetrieveHuawei(context.Background())
		require.NoError(t, err)
		if !strings.HasPrefix(c.Source, SourceECSMetadata) {
			t.Errorf("retry: Source = %q, want %s", c.Source, SourceECSMetadata)
		}
	})
}
