package signer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// hwCacheProvider hands out keys "AK1", "AK2", ... that expire life after the
// fetch. A fetch blocks on gate when it is set; fail makes fetches fail.
type hwCacheProvider struct {
	life time.Duration
	n    atomic.Int32
	gate chan struct{}
	fail atomic.Bool
}

func (p *hwCacheProvider) RetrieveHuawei(ctx context.Context) (HuaweiCredentials, error) {
	i := p.n.Add(1)
	if p.gate != nil {
		select {
		case <-p.gate:
		case <-ctx.Done():
			return HuaweiCredentials{}, ctx.Err()
		}
	}
	if p.fail.Load() {
		return HuaweiCredentials{}, errors.New("metadata: http status 503")
	}
	return HuaweiCredentials{AccessKey: fmt.Sprintf("AK%d", i), SecretKey: fmt.Sprintf("sk-secret-%d", i),
		SecurityToken: fmt.Sprintf("st-secret-%d", i), Expires: time.Now().Add(p.life), Source: "test"}, nil
}

func hwNoJitter(c *HuaweiCredentialsCache) { c.random = func() float64 { return 0 } }

func TestHuaweiCredentialsCacheRefresh(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name               string
		at                 time.Duration
		fail               bool
		wantNow, wantAfter string
		wantErr            bool
	}{
		{name: "before the window", at: 54 * time.Minute, wantNow: "AK1", wantAfter: "AK1"},
		{name: "in the window: refreshed in the background", at: 55 * time.Minute, wantNow: "AK1", wantAfter: "AK2"},
		{name: "expired: waits", at: time.Hour, wantNow: "AK2", wantAfter: "AK2"},
		{name: "failed refresh keeps the valid keys", at: 56 * time.Minute, fail: true, wantNow: "AK1", wantAfter: "AK1"},
		{name: "failed refresh after expiry is an error", at: time.Hour, fail: true, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				p := &hwCacheProvider{life: time.Hour}
				c := NewHuaweiCredentialsCache(p, hwNoJitter)
				_, err := c.RetrieveHuawei(t.Context())
				require.NoError(t, err)
				p.fail.Store(tc.fail)
				time.Sleep(tc.at)
				got, err := c.RetrieveHuawei(t.Context())
				if tc.wantErr {
					if err == nil || strings.Contains(err.Error(), "secret") {
						t.Fatalf("RetrieveHuawei after expiry with a failing source = %v, %v; want an error without secrets", got, err)
					}
					return
				}
				require.NoError(t, err)
				synctest.Wait()
				after, err := c.RetrieveHuawei(t.Context())
				require.NoError(t, err)
				if diff := cmp.Diff([]string{tc.wantNow, tc.wantAfter}, []string{got.AccessKey, after.AccessKey}); diff != "" {
					t.Errorf("keys (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// 256 callers arriving during a refresh share one fetch.
func TestHuaweiCredentialsCacheSingleFlight(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		p := &hwCacheProvider{life: time.Hour, gate: make(chan struct{})}
		c := NewHuaweiCredentialsCache(p)
		var wg sync.WaitGroup
		keys := make([]string, 256)
		for i := range keys {
			wg.Go(func() {
				got, err := c.RetrieveHuawei(t.Context())
				if err == nil {
					keys[i] = got.AccessKey
				}
			})
		}
		synctest.Wait()
		close(p.gate)
		wg.Wait()
		if n := p.n.Load(); n != 1 {
			t.Errorf("fetches = %d, want 1", n)
		}
		for i, k := range keys {
			if k != "AK1" {
				t.Fatalf("caller %d got %q, want AK1", i, k)
			}
		}
	})
}

// Keys a provider returns already expired, or without an SK, are refused.
func TestHuaweiCredentialsCacheRejects(t *testing.T) {
	t.Parallel()
	bad := map[string]HuaweiCredentials{
		"expired": {AccessKey: "AK", SecretKey: "sk", Expires: time.Unix(1, 0), Source: "metadata"},
		"no sk":   {AccessKey: "AK", Source: "metadata"},
	}
	for name, creds := range bad {
		c := NewHuaweiCredentialsCache(StaticHuaweiCredentials(HuaweiCredentials{AccessKey: "x", SecretKey: "y"}))
		c.fetch = func(context.Context) (HuaweiCredentials, error) { return creds, nil }
		if got, err := c.RetrieveHuawei(t.Context()); err == nil {
			t.Errorf("%s: RetrieveHuawei = %v, want an error", name, got)
		}
	}
	var nilCache *HuaweiCredentialsCache
	if _, err := nilCache.RetrieveHuawei(t.Context()); err == nil {
		t.Error("nil cache: want an error")
	}
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := NewHuaweiCredentialsCache(&hwCacheProvider{}).RetrieveHuawei(nil); err == nil { //nolint:staticcheck
		t.Error("nil ctx: want an error")
	}
}

func TestHuaweiCredentialsCacheRendering(t *testing.T) {
	t.Parallel()
	c := NewHuaweiCredentialsCache(&hwCacheProvider{life: time.Hour})
	_, err := c.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	js, err := json.Marshal(c)
	require.NoError(t, err)
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("x", "cache", c)
	for _, s := range []string{fmt.Sprintf("%v %+v %#v %s %d %x", c, c, c, c, c, c), string(js), b.String()} {
		if strings.Contains(s, "-secret-") {
			t.Errorf("rendering leaks a secret: %s", s)
		}
		if !strings.Contains(s, "AK1") {
			t.Errorf("rendering lacks the access key: %s", s)
		}
	}
}
