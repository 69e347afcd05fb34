package huaweicreds

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
)

// envTestVars is what signer.OpenStackEnv would read from a typical OTC
// openrc file.
func envTestVars() signer.OpenStackEnvironment {
	return signer.OpenStackEnvironment{
		AuthURL:     "https://iam.eu-de.otc.t-systems.com/v3/",
		Username:    "alice",
		Password:    iamTestPassword,
		DomainName:  "OTC-EU-DE-00000000001000000001",
		ProjectName: "eu-de_project",
		RegionName:  "eu-de",
		AuthToken:   iamTestToken,
		AccessKey:   "AKENV",
		SecretKey:   iamTestSK,
	}
}

func TestPasswordConfigFromEnv(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		change  func(*signer.OpenStackEnvironment)
		want    PasswordConfig
		wantErr string
	}{
		"otc with project name": {
			change: func(*signer.OpenStackEnvironment) {},
			want: PasswordConfig{Endpoint: "https://iam.eu-de.otc.t-systems.com", Region: "eu-de", OTC: true,
				UserName: "alice", Password: iamTestPassword, DomainName: "OTC-EU-DE-00000000001000000001", ProjectName: "eu-de_project"},
		},
		"project id wins": {
			change: func(e *signer.OpenStackEnvironment) { e.ProjectID = "0123" },
			want: PasswordConfig{Endpoint: "https://iam.eu-de.otc.t-systems.com", Region: "eu-de", OTC: true,
				UserName: "alice", Password: iamTestPassword, DomainName: "OTC-EU-DE-00000000001000000001", ProjectID: "0123"},
		},
		"huawei, region as project": {
			change: func(e *signer.OpenStackEnvironment) {
				e.AuthURL = "https://iam.cn-north-4.myhuaweicloud.com/v3"
				e.RegionName = "cn-north-4"
				e.ProjectName = ""
			},
			want: PasswordConfig{Endpoint: "https://iam.cn-north-4.myhuaweicloud.com", Region: "cn-north-4",
				UserName: "alice", Password: iamTestPassword, DomainName: "OTC-EU-DE-00000000001000000001"},
		},
		"no auth url": {change: func(e *signer.OpenStackEnvironment) { e.AuthURL = "" }, wantErr: "OS_AUTH_URL is not set"},
		"no user":     {change: func(e *signer.OpenStackEnvironment) { e.Username = "" }, wantErr: "OS_USERNAME is not set"},
		"no password": {change: func(e *signer.OpenStackEnvironment) { e.Password = "" }, wantErr: "OS_PASSWORD is not set"},
		"no domain":   {change: func(e *signer.OpenStackEnvironment) { e.DomainName = "" }, wantErr: "OS_DOMAIN_NAME is not set"},
		"no project": {change: func(e *signer.OpenStackEnvironment) { e.ProjectName, e.RegionName = "", "" },
			wantErr: "none of the environment variables OS_PROJECT_ID, OS_PROJECT_NAME or OS_REGION_NAME is set"},
		"bad auth url": {change: func(e *signer.OpenStackEnvironment) { e.AuthURL = "iam.eu-de" },
			wantErr: "PasswordConfig.Endpoint"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := envTestVars()
			tc.change(&env)
			got, err := PasswordConfigFromEnv(env)
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
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(PasswordConfig{}, "Settings")); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPasswordConfigFromEnvMissingIsNoCredentials(t *testing.T) {
	t.Parallel()
	_, err := PasswordConfigFromEnv(signer.OpenStackEnvironment{})
	if !errors.Is(err, signer.ErrNoCredentials) || !strings.Contains(err.Error(), "OS_AUTH_URL") {
		t.Errorf("error %v, want ErrNoCredentials naming OS_AUTH_URL", err)
	}
}
