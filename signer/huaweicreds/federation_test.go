package huaweicreds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func fedStart(t *testing.T, idToken string) (*fakecloud.Cloud, *FederationProvider, *iamClock, string) {
	t.Helper()
	clk := &iamClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	cloud := fakecloud.New(fakecloud.WithClock(clk.Now))
	srv := cloud.Start()
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "id-token")
	require.NoError(t, os.WriteFile(file, []byte(idToken+"\n"), 0o600))
	p, err := NewFederationProvider(FederationConfig{IdPID: fakecloud.HuaweiIdPID, IDTokenFile: file,
		Endpoint: srv.Endpoint(fakecloud.HuaweiIAM), ProjectID: "proj-1", Settings: iamTestSettings(), Now: clk.Now})
	require.NoError(t, err)
	return cloud, p, clk, file
}

func TestFederationProvider(t *testing.T) {
	t.Parallel()
	cloud, p, clk, _ := fedStart(t, fakecloud.IDTokenValue)
	first, err := p.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	if first.AccessKey == "" || first.SecretKey == "" || first.SecurityToken == "" || first.Source != SourceFederation ||
		first.ProjectID != "proj-1" || !first.Expires.After(clk.Now()) {
		t.Fatalf("keys = %v", first)
	}
	again, err := p.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	clk.Set(first.Expires)
	next, err := p.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	if again.AccessKey != first.AccessKey || next.AccessKey == first.AccessKey {
		t.Errorf("keys %s, %s, %s: want cached then refreshed", first.AccessKey, again.AccessKey, next.AccessKey)
	}
	got := []int{cloud.Requests(fakecloud.OpCreateTokenWithIDToken), cloud.Requests(fakecloud.OpCreateTemporaryAccessKey)}
	if diff := cmp.Diff([]int{2, 2}, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	iamAssertNoSecret(t, p, first.SecretKey, first.SecurityToken, fakecloud.IDTokenValue)
}

// A refused ID token is a 401 whose error holds neither the token nor the
// file's content; the file is read again, so a fixed file works next time.
func TestFederationRefusedAndReread(t *testing.T) {
	t.Parallel()
	_, p, _, file := fedStart(t, fakecloud.ExpiredIDTokenValue)
	_, err := p.RetrieveHuawei(t.Context())
	if !errors.Is(err, transport.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), fakecloud.ExpiredIDTokenValue) {
		t.Errorf("error leaks the ID token: %v", err)
	}
	require.NoError(t, os.WriteFile(file, []byte(fakecloud.IDTokenValue), 0o600))
	if _, err := p.RetrieveHuawei(t.Context()); err != nil {
		t.Errorf("after the file was fixed: %v", err)
	}
}

func TestFederationConfigErrors(t *testing.T) {
	for _, cfg := range []FederationConfig{{IDTokenFile: "f"}, {IdPID: "i"}, {IdPID: "i\n", IDTokenFile: "f"}} {
		if _, err := NewFederationProvider(cfg); err == nil {
			t.Errorf("NewFederationProvider(%+v): want an error", cfg)
		}
	}
	t.Setenv(EnvIdPID, "")
	if _, err := FederationConfigFromEnv(); !errors.Is(err, signer.ErrNoCredentials) {
		t.Errorf("unset idp: %v", err)
	}
	t.Setenv(EnvIdPID, "idp")
	t.Setenv(EnvIDTokenFile, "/f")
	got, err := FederationConfigFromEnv()
	require.NoError(t, err)
	if got.IdPID != "idp" || got.IDTokenFile != "/f" {
		t.Errorf("FederationConfigFromEnv = %+v", got)
	}
	var p *FederationProvider
	if _, err := p.RetrieveHuawei(t.Context()); err == nil {
		t.Error("nil provider: want an error")
	}
}

// 256 callers of a source with nothing cached share one request to it.
func TestSourcesOneRequestForManyCallers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		start func(t *testing.T) (*fakecloud.Cloud, signer.HuaweiCredentialsProvider)
		op    string
	}{
		{"federation", func(t *testing.T) (*fakecloud.Cloud, signer.HuaweiCredentialsProvider) {
			cloud, p, _, _ := fedStart(t, fakecloud.IDTokenValue)
			return cloud, p
		}, fakecloud.OpCreateTokenWithIDToken},
		{"pod identity", func(t *testing.T) (*fakecloud.Cloud, signer.HuaweiCredentialsProvider) {
			cloud, p, _, _ := podStart(t, fakecloud.PodIdentityToken)
			return cloud, p
		}, fakecloud.OpPodIdentityGetCredentials},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cloud, p := tc.start(t)
			wantOneKey(t, retrieveConcurrently(t, p, 256))
			if n := cloud.Requests(tc.op); n != 1 {
				t.Errorf("%s requests = %d, want 1", tc.op, n)
			}
		})
	}
}
