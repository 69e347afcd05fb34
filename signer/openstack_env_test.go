package signer

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

func iamTestEnv() map[string]string {
	return map[string]string{
		"OS_AUTH_URL":     "https://iam.eu-de.otc.t-systems.com/v3/",
		"OS_USERNAME":     "alice",
		"OS_PASSWORD":     iamTestPassword,
		"OS_DOMAIN_NAME":  "OTC-EU-DE-00000000001000000001",
		"OS_PROJECT_NAME": "eu-de_project",
		"OS_REGION_NAME":  "eu-de",
		"OS_AUTH_TOKEN":   iamTestToken,
		"OS_ACCESS_KEY":   "AKENV",
		"OS_SECRET_KEY":   iamTestSK,
	}
}

func iamEnvFrom(m map[string]string) OpenStackEnvironment {
	return openStackEnvFrom(func(k string) string { return m[k] })
}

func TestOpenStackEnvPasswordConfig(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		change  func(map[string]string)
		want    IAMPasswordConfig
		wantErr string
	}{
		"otc with project name": {
			change: func(map[string]string) {},
			want: IAMPasswordConfig{Endpoint: "https://iam.eu-de.otc.t-systems.com", Region: "eu-de", OTC: true,
				UserName: "alice", Password: iamTestPassword, DomainName: "OTC-EU-DE-00000000001000000001", ProjectName: "eu-de_project"},
		},
		"project id wins": {
			change: func(m map[string]string) { m["OS_PROJECT_ID"] = "0123" },
			want: IAMPasswordConfig{Endpoint: "https://iam.eu-de.otc.t-systems.com", Region: "eu-de", OTC: true,
				UserName: "alice", Password: iamTestPassword, DomainName: "OTC-EU-DE-00000000001000000001", ProjectID: "0123"},
		},
		"huawei, region as project": {
			change: func(m map[string]string) {
				m["OS_AUTH_URL"] = "https://iam.cn-north-4.myhuaweicloud.com/v3"
				m["OS_REGION_NAME"] = "cn-north-4"
				delete(m, "OS_PROJECT_NAME")
			},
			want: IAMPasswordConfig{Endpoint: "https://iam.cn-north-4.myhuaweicloud.com", Region: "cn-north-4",
				UserName: "alice", Password: iamTestPassword, DomainName: "OTC-EU-DE-00000000001000000001"},
		},
		"no auth url": {change: func(m map[string]string) { delete(m, "OS_AUTH_URL") }, wantErr: "OS_AUTH_URL is not set"},
		"no user":     {change: func(m map[string]string) { delete(m, "OS_USERNAME") }, wantErr: "OS_USERNAME is not set"},
		"no password": {change: func(m map[string]string) { delete(m, "OS_PASSWORD") }, wantErr: "OS_PASSWORD is not set"},
		"no domain":   {change: func(m map[string]string) { delete(m, "OS_DOMAIN_NAME") }, wantErr: "OS_DOMAIN_NAME is not set"},
		"no project": {change: func(m map[string]string) { delete(m, "OS_PROJECT_NAME"); delete(m, "OS_REGION_NAME") },
			wantErr: "none of the environment variables OS_PROJECT_ID, OS_PROJECT_NAME or OS_REGION_NAME is set"},
		"bad auth url": {change: func(m map[string]string) { m["OS_AUTH_URL"] = "iam.eu-de" },
			wantErr: "IAMPasswordConfig.Endpoint"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := iamTestEnv()
			tc.change(m)
			got, err := iamEnvFrom(m).PasswordConfig()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want it to contain %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "pa$$w0rd") {
					t.Errorf("error leaks the password: %v", err)
				}
				return
			}
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(IAMPasswordConfig{}, "Settings")); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOpenStackEnvMissingIsNoCredentials(t *testing.T) {
	t.Parallel()
	e := iamEnvFrom(nil)
	_, err1 := e.PasswordConfig()
	_, err2 := e.Token()
	_, err3 := e.Credentials()
	for i, err := range []error{err1, err2, err3} {
		if !errors.Is(err, ErrNoCredentials) {
			t.Errorf("error %d = %v, want ErrNoCredentials", i, err)
		}
	}
	if !strings.Contains(err2.Error(), "OS_AUTH_TOKEN") || !strings.Contains(err3.Error(), "OS_ACCESS_KEY") {
		t.Errorf("errors do not name the variable: %v; %v", err2, err3)
	}
	m := iamTestEnv()
	delete(m, "OS_SECRET_KEY")
	if _, err := iamEnvFrom(m).Credentials(); err == nil || !strings.Contains(err.Error(), "OS_SECRET_KEY") {
		t.Errorf("missing secret key: %v", err)
	}
}

func TestOpenStackEnvTokenAndKeys(t *testing.T) {
	t.Parallel()
	m := iamTestEnv()
	m["OS_PROJECT_ID"] = "proj-env"
	e := iamEnvFrom(m)
	ts, err := e.Token()
	require.NoError(t, err)
	tok, err := ts.Token(t.Context())
	require.NoError(t, err)
	if tok.Value != iamTestToken {
		t.Errorf("token %v", tok)
	}
	p, err := e.Credentials()
	require.NoError(t, err)
	got, err := p.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	want := HuaweiCredentials{AccessKey: "AKENV", SecretKey: iamTestSK, ProjectID: "proj-env", Source: "env"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
}

// Not parallel: it sets the process environment.
func TestOpenStackEnvReadsEnvironment(t *testing.T) {
	for k, v := range iamTestEnv() {
		t.Setenv(k, v)
	}
	t.Setenv("OS_PROJECT_ID", "")
	if diff := cmp.Diff(iamEnvFrom(iamTestEnv()), OpenStackEnv()); diff != "" {
		t.Errorf("OpenStackEnv (-want +got):\n%s", diff)
	}
}

func TestOpenStackEnvRedaction(t *testing.T) {
	t.Parallel()
	e := iamEnvFrom(iamTestEnv())
	iamAssertNoSecret(t, e, "pa$$w0rd", iamTestToken, iamTestSK)
	ts, err := e.Token()
	require.NoError(t, err)
	iamAssertNoSecret(t, ts, iamTestToken)
	if got := e.String(); !strings.Contains(got, "Username:alice") || !strings.Contains(got, "AccessKey:AKENV") {
		t.Errorf("String() = %s, want the non-secret fields", got)
	}
}
