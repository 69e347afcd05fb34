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
)

// chainEnv clears every variable the chain reads, points the profile file
// at a missing file, and starts the fakes: IAM and pod identity on one
// server, the metadata service (at its root) on another.
func chainEnv(t *testing.T, md fakecloud.ECSMetadataConfig) (*fakecloud.Cloud, *fakecloud.Server, ChainConfig, string) {
	t.Helper()
	for _, v := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
		"HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_DOMAIN_ID", EnvIdPID, EnvIDTokenFile, EnvPodIdentityURI, EnvPodIdentityTokenFile,
		EnvIAMEndpoint} {
		t.Setenv(v, "")
	}
	dir := t.TempDir()
	t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", filepath.Join(dir, "absent"))
	clk := &iamClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	cloud := fakecloud.New(fakecloud.WithClock(clk.Now))
	cloud.SetECSMetadata(md)
	srv := cloud.Start()
	t.Cleanup(srv.Close)
	mdSrv := cloud.StartAt(fakecloud.HuaweiMetadata)
	t.Cleanup(mdSrv.Close)
	return cloud, srv, ChainConfig{MetadataEndpoint: mdSrv.URL, IAMEndpoint: srv.Endpoint(fakecloud.HuaweiIAM),
		Settings: iamTestSettings(), Now: clk.Now}, dir
}

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

func TestChainPicksSourcesInOrder(t *testing.T) {
	absent := fakecloud.ECSMetadataConfig{Absent: true}
	tests := []struct {
		name       string
		md         fakecloud.ECSMetadataConfig
		setup      func(t *testing.T, srv *fakecloud.Server, dir string)
		global     bool
		wantSource string
		wantIDs    [2]string // project, domain
	}{
		{name: "env keys win over everything, basic keeps the project only", setup: func(t *testing.T, _ *fakecloud.Server, dir string) {
			t.Setenv("HUAWEICLOUD_SDK_AK", "AKENV")
			t.Setenv("HUAWEICLOUD_SDK_SK", "sk-env")
			t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", "p-env")
			t.Setenv("HUAWEICLOUD_SDK_DOMAIN_ID", "d-env")
			t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", writeFile(t, filepath.Join(dir, "c"), "[basic]\nak=AKP\nsk=skp\n"))
		}, wantSource: "env", wantIDs: [2]string{"p-env", ""}},
		{name: "global keeps the domain only", global: true, setup: func(t *testing.T, _ *fakecloud.Server, _ string) {
			t.Setenv("HUAWEICLOUD_SDK_AK", "AKENV")
			t.Setenv("HUAWEICLOUD_SDK_SK", "sk-env")
			t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", "p-env")
			t.Setenv("HUAWEICLOUD_SDK_DOMAIN_ID", "d-env")
		}, wantSource: "env", wantIDs: [2]string{"", "d-env"}},
		{name: "env federation wins over env keys", setup: func(t *testing.T, _ *fakecloud.Server, dir string) {
			t.Setenv("HUAWEICLOUD_SDK_AK", "AKENV")
			t.Setenv("HUAWEICLOUD_SDK_SK", "sk-env")
			t.Setenv(EnvIdPID, fakecloud.HuaweiIdPID)
			t.Setenv(EnvIDTokenFile, writeFile(t, filepath.Join(dir, "idt"), fakecloud.IDTokenValue))
		}, wantSource: SourceFederation},
		{name: "profile keys", setup: func(t *testing.T, _ *fakecloud.Server, dir string) {
			t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", writeFile(t, filepath.Join(dir, "c"), "[basic]\nak=AKP\nsk=skp\nproject_id=p-prof\n"))
		}, wantSource: "profile", wantIDs: [2]string{"p-prof", ""}},
		{name: "profile federation", global: true, setup: func(t *testing.T, srv *fakecloud.Server, dir string) {
			idt := writeFile(t, filepath.Join(dir, "idt"), fakecloud.IDTokenValue)
			t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", writeFile(t, filepath.Join(dir, "c"),
				"[global]\nidp_id="+fakecloud.HuaweiIdPID+"\nid_token_file="+idt+"\ndomain_id=d-prof\niam_endpoint="+srv.Endpoint(fakecloud.HuaweiIAM)+"\n"))
		}, wantSource: SourceFederation, wantIDs: [2]string{"", "d-prof"}},
		{name: "ECS metadata", setup: func(*testing.T, *fakecloud.Server, string) {}, wantSource: SourceECSMetadata},
		{name: "pod identity when there is no metadata service", md: absent, setup: func(t *testing.T, srv *fakecloud.Server, dir string) {
			t.Setenv(EnvPodIdentityURI, srv.Endpoint(fakecloud.HuaweiPodIdentity)+fakecloud.PodIdentityPath)
			t.Setenv(EnvPodIdentityTokenFile, writeFile(t, filepath.Join(dir, "pod"), fakecloud.PodIdentityToken))
		}, wantSource: SourcePodIdentity},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, srv, cfg, dir := chainEnv(t, tc.md)
			tc.setup(t, srv, dir)
			ch := BasicChain(cfg)
			if tc.global {
				ch = GlobalChain(cfg)
			}
			got, err := ch.RetrieveHuawei(t.Context())
			require.NoError(t, err)
			if !strings.HasPrefix(got.Source, tc.wantSource) {
				t.Errorf("Source = %q, want %q...", got.Source, tc.wantSource)
			}
			if diff := cmp.Diff(tc.wantIDs, [2]string{got.ProjectID, got.DomainID}); diff != "" {
				t.Errorf("[project, domain] (-want +got):\n%s", diff)
			}
			again, err := ch.RetrieveHuawei(t.Context())
			require.NoError(t, err)
			if again.AccessKey != got.AccessKey {
				t.Errorf("second call: %s, first %s", again.AccessKey, got.AccessKey)
			}
			iamAssertNoSecret(t, ch, got.SecretKey)
		})
	}
}

func TestChainNothingFound(t *testing.T) {
	_, _, cfg, _ := chainEnv(t, fakecloud.ECSMetadataConfig{NoAgency: true})
	_, err := BasicChain(cfg).RetrieveHuawei(t.Context())
	if !errors.Is(err, signer.ErrNoCredentials) {
		t.Fatalf("err = %v, want ErrNoCredentials", err)
	}
	for _, want := range []string{"environment: ", "HUAWEICLOUD_SDK_AK", "profile file: ", "does not exist", "ECS metadata: ", "no agency",
		"CCE pod identity: ", EnvPodIdentityURI} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := BasicChain(cfg).RetrieveHuawei(nil); err == nil { //nolint:staticcheck
		t.Error("nil ctx: want an error")
	}
}

// A configured federation is the chain's choice even when it fails, as in
// huaweicloud-sdk-go-v3, whose env and profile providers choose it before
// any request: the chain reports the failure and does not move on to the
// profile's keys or the metadata service (another identity).
func TestChainFederationFailureIsFinal(t *testing.T) {
	tests := []struct {
		name    string
		idToken string // the ID token file's content; "" leaves no file
		fault   bool   // IAM answers 500 to the ID token exchange
		errHas  string
	}{
		{name: "missing ID token file", errHas: "ID token file"},
		{name: "ID token refused", idToken: fakecloud.ExpiredIDTokenValue, errHas: "401"},
		{name: "IAM fails", idToken: fakecloud.IDTokenValue, fault: true, errHas: "500"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cloud, _, cfg, dir := chainEnv(t, fakecloud.ECSMetadataConfig{})
			cfg.Settings.Retry.MaxAttempts = 1
			idt := filepath.Join(dir, "idt")
			if tc.idToken != "" {
				writeFile(t, idt, tc.idToken)
			}
			if tc.fault {
				cloud.Inject(fakecloud.OpCreateTokenWithIDToken, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 500})
			}
			t.Setenv(EnvIdPID, fakecloud.HuaweiIdPID)
			t.Setenv(EnvIDTokenFile, idt)
			t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", writeFile(t, filepath.Join(dir, "c"), "[basic]\nak=AKP\nsk=skp\n"))
			_, err := BasicChain(cfg).RetrieveHuawei(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.errHas) || !strings.Contains(err.Error(), "environment's federation") {
				t.Fatalf("err = %v, want the federation's error saying %q", err, tc.errHas)
			}
			if errors.Is(err, signer.ErrNoCredentials) {
				t.Errorf("err wraps ErrNoCredentials: %v", err)
			}
			if n := cloud.Requests(fakecloud.OpMetadataGetSecurityKey); n != 0 {
				t.Errorf("metadata asked %d times after the federation failed", n)
			}
		})
	}
}

// Without an endpoint in the profile or the config, federation goes to
// HUAWEICLOUD_SDK_IAM_ENDPOINT, reached by HTTPS when it names no scheme.
func TestChainFederationIAMEndpointFromEnv(t *testing.T) {
	cloud, _, cfg, dir := chainEnv(t, fakecloud.ECSMetadataConfig{Absent: true})
	tlsIAM := cloud.StartTLSAt(fakecloud.HuaweiIAM)
	t.Cleanup(tlsIAM.Close)
	cfg.IAMEndpoint = ""
	cfg.Settings.HTTPClient = tlsIAM.Client()
	t.Setenv(EnvIAMEndpoint, strings.TrimPrefix(tlsIAM.URL, "https://"))
	t.Setenv(EnvIdPID, fakecloud.HuaweiIdPID)
	t.Setenv(EnvIDTokenFile, writeFile(t, filepath.Join(dir, "idt"), fakecloud.IDTokenValue))
	got, err := GlobalChain(cfg).RetrieveHuawei(t.Context())
	require.NoError(t, err)
	issued := cloud.IssuedHuaweiCredentials()
	require.Len(t, issued, 1)
	if got.AccessKey != issued[0].AccessKey || got.Source != SourceFederation {
		t.Errorf("got %s from %q, want the issued %s", got.AccessKey, got.Source, issued[0].AccessKey)
	}
}
