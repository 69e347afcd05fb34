package huaweicreds

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
)

// mdStart serves the fake metadata service at its root, with a settable
// clock shared by the fake and the provider.
func mdStart(t *testing.T, cfg fakecloud.ECSMetadataConfig) (*fakecloud.Cloud, *MetadataProvider, *iamClock) {
	t.Helper()
	clk := &iamClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	cloud := fakecloud.New(fakecloud.WithClock(clk.Now))
	cloud.SetECSMetadata(cfg)
	srv := cloud.StartAt(fakecloud.HuaweiMetadata)
	t.Cleanup(srv.Close)
	p, err := NewMetadataProvider(MetadataConfig{Endpoint: srv.URL, Settings: iamTestSettings(), Now: clk.Now})
	require.NoError(t, err)
	return cloud, p, clk
}

func TestMetadataProvider(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                     string
		cfg                      fakecloud.ECSMetadataConfig
		wantTokens, wantKeys     int // requests after two fetches an hour apart
		wantNoCredentials, error bool
	}{
		{name: "session token, then the key", cfg: fakecloud.ECSMetadataConfig{RequireToken: true}, wantTokens: 1, wantKeys: 2},
		{name: "no token API: keys without a token, no second token request", cfg: fakecloud.ECSMetadataConfig{NoTokenAPI: true}, wantTokens: 1, wantKeys: 2},
		{name: "no agency", cfg: fakecloud.ECSMetadataConfig{NoAgency: true}, wantNoCredentials: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cloud, p, clk := mdStart(t, tc.cfg)
			first, err := p.RetrieveHuawei(t.Context())
			if tc.wantNoCredentials {
				if !errors.Is(err, signer.ErrNoCredentials) {
					t.Fatalf("err = %v, want ErrNoCredentials", err)
				}
				return
			}
			require.NoError(t, err)
			if first.AccessKey == "" || first.SecretKey == "" || first.SecurityToken == "" || first.Source != SourceECSMetadata {
				t.Fatalf("keys = %v", first)
			}
			if want := clk.Now().Add(fakecloud.DefaultMetadataCredentialLifetime); !first.Expires.Equal(want.Truncate(time.Millisecond)) && !first.Expires.Equal(want) {
				t.Errorf("Expires = %v, want %v", first.Expires, want)
			}
			again, err := p.RetrieveHuawei(t.Context())
			require.NoError(t, err)
			if again.AccessKey != first.AccessKey {
				t.Errorf("second call fetched again: %s then %s", first.AccessKey, again.AccessKey)
			}
			clk.Set(clk.Now().Add(time.Hour))
			next, err := p.RetrieveHuawei(t.Context())
			require.NoError(t, err)
			if next.AccessKey == first.AccessKey {
				t.Errorf("expired keys were not refreshed")
			}
			got := []int{cloud.Requests(fakecloud.OpMetadataGetToken), cloud.Requests(fakecloud.OpMetadataGetSecurityKey)}
			if diff := cmp.Diff([]int{tc.wantTokens, tc.wantKeys}, got); diff != "" {
				t.Errorf("requests [token, securitykey] (-want +got):\n%s", diff)
			}
			iamAssertNoSecret(t, p, first.SecretKey, first.SecurityToken)
		})
	}
}

// 256 callers after the keys expired share one request to the service.
func TestMetadataProviderOneRequestForManyCallers(t *testing.T) {
	t.Parallel()
	cloud, p, clk := mdStart(t, fakecloud.ECSMetadataConfig{})
	_, err := p.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	clk.Set(clk.Now().Add(2 * time.Hour))
	keys := retrieveConcurrently(t, p, 256)
	if n := cloud.Requests(fakecloud.OpMetadataGetSecurityKey); n != 2 {
		t.Errorf("securitykey requests = %d, want 2 (one per refresh)", n)
	}
	wantOneKey(t, keys)
}

func TestMetadataProviderErrors(t *testing.T) {
	t.Parallel()
	_, p, _ := mdStart(t, fakecloud.ECSMetadataConfig{Absent: true})
	if _, err := p.RetrieveHuawei(t.Context()); err == nil {
		t.Error("absent service: want an error")
	}
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := p.RetrieveHuawei(nil); err == nil { //nolint:staticcheck
		t.Error("nil ctx: want an error")
	}
	if _, err := NewMetadataProvider(MetadataConfig{Endpoint: "not a url"}); err == nil {
		t.Error("bad endpoint: want an error")
	}
}
