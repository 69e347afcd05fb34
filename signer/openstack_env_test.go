package signer

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// Secrets of the environment tests, distinctive so that a leak is easy to
// find in any rendering.
const (
	osTestPassword = "pa$$w0rd-SECRET-OS"
	osTestToken    = "MIIToken-SECRET-OS"
	osTestSK       = "SK-SECRET-OS"
)

func osTestEnv() map[string]string {
	return map[string]string{
		"OS_AUTH_URL":     "https://iam.eu-de.otc.t-systems.com/v3/",
		"OS_USERNAME":     "alice",
		"OS_PASSWORD":     osTestPassword,
		"OS_DOMAIN_NAME":  "OTC-EU-DE-00000000001000000001",
		"OS_PROJECT_NAME": "eu-de_project",
		"OS_REGION_NAME":  "eu-de",
		"OS_AUTH_TOKEN":   osTestToken,
		"OS_ACCESS_KEY":   "AKENV",
		"OS_SECRET_KEY":   osTestSK,
	}
}

func osEnvFrom(m map[string]string) OpenStackEnvironment {
	return openStackEnvFrom(func(k string) string { return m[k] })
}

func TestOpenStackEnvMissingIsNoCredentials(t *testing.T) {
	t.Parallel()
	e := osEnvFrom(nil)
	_, errToken := e.Token()
	_, errKeys := e.Credentials()
	for i, err := range []error{errToken, errKeys} {
		if !errors.Is(err, ErrNoCredentials) {
			t.Errorf("error %d = %v, want ErrNoCredentials", i, err)
		}
	}
	if !strings.Contains(errToken.Error(), "OS_AUTH_TOKEN") || !strings.Contains(errKeys.Error(), "OS_ACCESS_KEY") {
		t.Errorf("errors do not name the variable: %v; %v", errToken, errKeys)
	}
	m := osTestEnv()
	delete(m, "OS_SECRET_KEY")
	if _, err := osEnvFrom(m).Credentials(); err == nil || !strings.Contains(err.Error(), "OS_SECRET_KEY") {
		t.Errorf("missing secret key: %v", err)
	}
}

func TestOpenStackEnvTokenAndKeys(t *testing.T) {
	t.Parallel()
	m := osTestEnv()
	m["OS_PROJECT_ID"] = "proj-env"
	e := osEnvFrom(m)
	ts, err := e.Token()
	require.NoError(t, err)
	tok, err := ts.Token(t.Context())
	require.NoError(t, err)
	if tok.Value != osTestToken {
		t.Errorf("token %v", tok)
	}
	p, err := e.Credentials()
	require.NoError(t, err)
	got, err := p.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	want := HuaweiCredentials{AccessKey: "AKENV", SecretKey: osTestSK, ProjectID: "proj-env", Source: "env"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
}

// Not parallel: it sets the process environment.
func TestOpenStackEnvReadsEnvironment(t *testing.T) {
	for k, v := range osTestEnv() {
		t.Setenv(k, v)
	}
	t.Setenv("OS_PROJECT_ID", "")
	if diff := cmp.Diff(osEnvFrom(osTestEnv()), OpenStackEnv()); diff != "" {
		t.Errorf("OpenStackEnv (-want +got):\n%s", diff)
	}
}
