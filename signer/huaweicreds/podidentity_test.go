package huaweicreds

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func podStart(t *testing.T, token string) (*fakecloud.Cloud, *PodIdentityProvider, *iamClock, string) {
	t.Helper()
	clk := &iamClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	cloud := fakecloud.New(fakecloud.WithClock(clk.Now))
	srv := cloud.StartAt(fakecloud.HuaweiPodIdentity)
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(file, []byte(token+"\n"), 0o600))
	p, err := NewPodIdentityProvider(PodIdentityConfig{URI: srv.URL + fakecloud.PodIdentityPath, TokenFile: file,
		Settings: iamTestSettings(), Now: clk.Now})
	require.NoError(t, err)
	return cloud, p, clk, file
}

func TestPodIdentityProvider(t *testing.T) {
	t.Parallel()
	cloud, p, clk, file := podStart(t, fakecloud.PodIdentityToken)
	first, err := p.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	if first.AccessKey == "" || first.SecretKey == "" || first.SecurityToken == "" || first.Source != SourcePodIdentity ||
		first.Expires.Sub(clk.Now()).Round(time.Second) != fakecloud.DefaultPodIdentityCredentialLifetime {
		t.Fatalf("keys = %v", first)
	}
	// The token file is read again at each refresh: a rotated token that
	// the agent refuses fails the refresh once the keys have expired.
	require.NoError(t, os.WriteFile(file, []byte("rotated-but-wrong-SECRETTOKEN"), 0o600))
	clk.Set(clk.Now().Add(time.Hour))
	_, err = p.RetrieveHuawei(t.Context())
	if !errors.Is(err, transport.ErrAccessDenied) && !strings.Contains(err.Error(), "403") {
		t.Errorf("refused token: err = %v, want a 403", err)
	}
	if strings.Contains(err.Error(), "SECRETTOKEN") {
		t.Errorf("error leaks the token: %v", err)
	}
	require.NoError(t, os.WriteFile(file, []byte(fakecloud.PodIdentityToken), 0o600))
	next, err := p.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	if next.AccessKey == first.AccessKey {
		t.Error("expired keys were not refreshed")
	}
	if n := cloud.Requests(fakecloud.OpPodIdentityGetCredentials); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
	iamAssertNoSecret(t, p, first.SecretKey, fakecloud.PodIdentityToken)
}

func TestPodIdentityErrors(t *testing.T) {
	_, p, _, file := podStart(t, fakecloud.PodIdentityToken)
	require.NoError(t, os.WriteFile(file, []byte(" \n"), 0o600))
	if _, err := p.RetrieveHuawei(t.Context()); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty token file: %v", err)
	}
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := p.RetrieveHuawei(nil); err == nil { //nolint:staticcheck
		t.Error("nil ctx: want an error")
	}
	t.Setenv(EnvPodIdentityURI, "")
	if _, err := PodIdentityConfigFromEnv(); !errors.Is(err, signer.ErrNoCredentials) || !strings.Contains(err.Error(), EnvPodIdentityURI) {
		t.Errorf("unset URI: %v", err)
	}
	t.Setenv(EnvPodIdentityURI, "http://127.0.0.1:1/x")
	t.Setenv(EnvPodIdentityTokenFile, "")
	if _, err := PodIdentityConfigFromEnv(); !errors.Is(err, signer.ErrNoCredentials) || !strings.Contains(err.Error(), EnvPodIdentityTokenFile) {
		t.Errorf("unset token file: %v", err)
	}
	if _, err := NewPodIdentityProvider(PodIdentityConfig{URI: "::", TokenFile: "x"}); err == nil {
		t.Error("bad URI: want an error")
	}
}
