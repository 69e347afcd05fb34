package awsclient

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

var testService = Service{Pkg: "route53profiles", SigningName: "route53profiles", EndpointPrefix: "route53profiles",
	Transport: transport.Service{ID: "Route53Profiles", Protocol: transport.AWSRestJSON}}

// testCredentials are static keys for the tests that need a client built;
// Build requires some.
var testCredentials = signer.StaticAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")

// cleanEnv points the shared files at an empty home directory and clears
// every variable the tests set, so that the machine's configuration does
// not leak in; it returns the home directory.
func cleanEnv(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE",
		"AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ROUTE53PROFILES", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
		"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_MAX_ATTEMPTS", "AWS_CA_BUNDLE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	return home
}

// buildShared loads the shared configuration from the process environment,
// as a program that sets Options.SharedConfig does, and builds p with it.
// A loading error is returned as Build would prefix it.
func buildShared(p *Params) (*transport.Client, Description, error) {
	cfg, err := signer.LoadAWSConfig(signer.AWSConfigSource{})
	if err != nil {
		return nil, Description{}, errors.New(testService.Pkg + ": " + err.Error())
	}
	p.Shared = cfg
	if p.Credentials == nil {
		p.Credentials = testCredentials
	}
	return Build(testService, p)
}

// TestBuildWithoutSharedConfig: without SharedConfig only the region comes
// from the environment; the profile's settings and AWS_ENDPOINT_URL are
// not read.
func TestBuildWithoutSharedConfig(t *testing.T) {
	home := cleanEnv(t)
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".aws"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[default]\nregion = us-east-2\nmax_attempts = 7\n"), 0o600))
	t.Setenv("AWS_DEFAULT_REGION", "eu-west-3")
	t.Setenv("AWS_ENDPOINT_URL", "http://configured.example")
	p := Params{Credentials: testCredentials}
	_, desc, err := Build(testService, &p)
	require.NoError(t, err)
	if diff := cmp.Diff([]any{"eu-west-3", "https://route53profiles.eu-west-3.amazonaws.com", 0},
		[]any{p.Region, desc.Endpoint(), p.Settings.Retry.MaxAttempts}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestBuildFromConfiguration(t *testing.T) {
	type got struct {
		Region, Endpoint      string
		UseFIPS, UseDualStack bool
		MaxAttempts           int
	}
	tests := []struct {
		name   string
		env    map[string]string
		config string
		params Params
		want   got
	}{
		{name: "AWS_REGION", env: map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2"},
			want: got{Region: "eu-west-1", Endpoint: "https://route53profiles.eu-west-1.amazonaws.com"}},
		{name: "AWS_DEFAULT_REGION", env: map[string]string{"AWS_DEFAULT_REGION": "us-west-2"},
			want: got{Region: "us-west-2", Endpoint: "https://route53profiles.us-west-2.amazonaws.com"}},
		{name: "profile region, FIPS, dual-stack and max_attempts", env: map[string]string{"AWS_PROFILE": "dev"},
			config: "[profile dev]\nregion = us-east-2\nuse_fips_endpoint = true\nuse_dualstack_endpoint = true\nmax_attempts = 7\n",
			want:   got{Region: "us-east-2", Endpoint: "https://route53profiles-fips.us-east-2.api.aws", UseFIPS: true, UseDualStack: true, MaxAttempts: 7}},
		{name: "environment beats profile", env: map[string]string{"AWS_REGION": "eu-north-1", "AWS_MAX_ATTEMPTS": "2", "AWS_USE_FIPS_ENDPOINT": "false"},
			config: "[default]\nregion = us-east-2\nuse_fips_endpoint = true\nmax_attempts = 7\n",
			want:   got{Region: "eu-north-1", Endpoint: "https://route53profiles.eu-north-1.amazonaws.com", MaxAttempts: 2}},
		{name: "AWS_ENDPOINT_URL_ROUTE53PROFILES beats AWS_ENDPOINT_URL",
			env:  map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://all.example", "AWS_ENDPOINT_URL_ROUTE53PROFILES": "http://r53p.example"},
			want: got{Region: "us-east-1", Endpoint: "http://r53p.example"}},
		{name: "AWS_ENDPOINT_URL", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://all.example"},
			want: got{Region: "us-east-1", Endpoint: "http://all.example"}},
		{name: "services section beats endpoint_url", env: map[string]string{"AWS_REGION": "us-east-1"},
			config: "[default]\nendpoint_url = http://profile.example\nservices = local\n[services local]\nroute53profiles =\n  endpoint_url = http://section.example\n",
			want:   got{Region: "us-east-1", Endpoint: "http://section.example"}},
		{name: "endpoint_url", env: map[string]string{"AWS_REGION": "us-east-1"}, config: "[default]\nendpoint_url = http://profile.example\n",
			want: got{Region: "us-east-1", Endpoint: "http://profile.example"}},
		{name: "ignored endpoints", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://all.example", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"},
			want: got{Region: "us-east-1", Endpoint: "https://route53profiles.us-east-1.amazonaws.com"}},
		{name: "configured FIPS is dropped with a configured endpoint",
			env:  map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://all.example", "AWS_USE_FIPS_ENDPOINT": "true"},
			want: got{Region: "us-east-1", Endpoint: "http://all.example"}},
		{name: "code wins", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://all.example", "AWS_MAX_ATTEMPTS": "9",
			"AWS_USE_DUALSTACK_ENDPOINT": "true"},
			params: Params{Region: "ap-south-1", Endpoint: "http://code.example", Settings: transport.Settings{Retry: transport.RetryPolicy{MaxAttempts: 1}}},
			want:   got{Region: "ap-south-1", Endpoint: "http://code.example", MaxAttempts: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := cleanEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			require.NoError(t, os.MkdirAll(filepath.Join(home, ".aws"), 0o700))
			require.NoError(t, os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(tt.config), 0o600))
			p := tt.params
			_, desc, err := buildShared(&p)
			require.NoError(t, err)
			g := got{Region: p.Region, Endpoint: desc.Endpoint(), UseFIPS: p.UseFIPS, UseDualStack: p.UseDualStack, MaxAttempts: p.Settings.Retry.MaxAttempts}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuildConfigurationErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{name: "missing AWS_PROFILE", env: map[string]string{"AWS_PROFILE": "nope"}, want: "AWS_PROFILE"},
		{name: "AWS_MAX_ATTEMPTS not a number", env: map[string]string{"AWS_MAX_ATTEMPTS": "many"}, want: "AWS_MAX_ATTEMPTS"},
		{name: "CA bundle missing", env: map[string]string{"AWS_CA_BUNDLE": "{dir}/none.pem"}, want: "cannot be read"},
		{name: "CA bundle not PEM", env: map[string]string{"AWS_CA_BUNDLE": "{dir}/bad.pem"}, want: "holds no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := cleanEnv(t)
			t.Setenv("AWS_REGION", "us-east-1")
			require.NoError(t, os.WriteFile(filepath.Join(home, "bad.pem"), []byte("not a certificate"), 0o600))
			for k, v := range tt.env {
				t.Setenv(k, strings.ReplaceAll(v, "{dir}", home))
			}
			_, _, err := buildShared(&Params{})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "route53profiles: ") {
				t.Fatalf("Build error = %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

// TestBuildCABundle: the client built for AWS_CA_BUNDLE trusts that
// bundle's certificate, and only it.
func TestBuildCABundle(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	home := cleanEnv(t)
	bundle := filepath.Join(home, "ca.pem")
	cert, err := x509.ParseCertificate(srv.TLS.Certificates[0].Certificate[0])
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(bundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600))
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CA_BUNDLE", bundle)
	p := Params{}
	_, _, err = buildShared(&p)
	require.NoError(t, err)
	require.NotNil(t, p.Settings.HTTPClient)
	get := func(url string) error {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
		require.NoError(t, err)
		resp, err := p.Settings.HTTPClient.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := get(srv.URL); err != nil {
		t.Errorf("the bundle's server was refused: %v", err)
	}
	// The default client does not trust the test server: the bundle is
	// what makes the call above succeed.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	if resp, err := transport.DefaultHTTPClient().Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the default client trusts the test server; the check above proves nothing")
	}

	// A client set in code wins: the bundle is not applied.
	mine := &http.Client{}
	p = Params{Settings: transport.Settings{HTTPClient: mine}}
	_, _, err = buildShared(&p)
	require.NoError(t, err)
	if p.Settings.HTTPClient != mine {
		t.Error("the CA bundle replaced the HTTP client set in code")
	}
}
