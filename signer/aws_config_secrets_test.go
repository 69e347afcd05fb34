package signer

import (
	"encoding/json"
	"net"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestAWSContainerCredentials pins the container URI rules of the SDK's
// resolveLocalHTTPCredProvider.
func TestAWSContainerCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		env     map[string]string
		want    *AWSContainerStep
		wantErr string
	}{
		{name: "none", env: map[string]string{"AWS_CONTAINER_AUTHORIZATION_TOKEN": v4TestToken}},
		{name: "relative URI is appended as it is", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "v2?x=1"},
			want: &AWSContainerStep{URL: "http://169.254.170.2v2?x=1"}},
		{name: "http loopback", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:8080/creds"},
			want: &AWSContainerStep{URL: "http://127.0.0.1:8080/creds"}},
		{name: "http EKS Pod Identity IPv6", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://[fd00:ec2::23]/v1/credentials"},
			want: &AWSContainerStep{URL: "http://[fd00:ec2::23]/v1/credentials"}},
		{name: "http EKS Pod Identity IPv4", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials"},
			want: &AWSContainerStep{URL: "http://169.254.170.23/v1/credentials"}},
		{name: "http host name: resolve before use", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://localhost/creds"},
			want: &AWSContainerStep{URL: "http://localhost/creds", ResolveHost: true}},
		{name: "https to any host", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://10.1.2.3/creds"},
			want: &AWSContainerStep{URL: "https://10.1.2.3/creds"}},
		{name: "http elsewhere", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.1.2.3/creds"},
			wantErr: "aws config: AWS_CONTAINER_CREDENTIALS_FULL_URI: with http must name a loopback or ECS/EKS container address"},
		{name: "no host", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "/creds"},
			wantErr: "aws config: AWS_CONTAINER_CREDENTIALS_FULL_URI: has no host"},
		{name: "not a URL", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://[::1/" + v4TestSecret},
			wantErr: "aws config: AWS_CONTAINER_CREDENTIALS_FULL_URI: is not a valid URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := cfgLoad(cfgInput{env: tc.env})
			require.NoError(t, err)
			got, err := c.ContainerCredentials()
			if cfgCheckErr(t, err, tc.wantErr) {
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
	for ip, want := range map[string]bool{"127.0.0.2": true, "::1": true, "::ffff:127.0.0.1": true, "169.254.170.2": true,
		"169.254.170.23": true, "fd00:ec2::23": true, "169.254.169.254": false, "fd00:ec2::254": false, "10.0.0.1": false} {
		if got := AWSContainerAddressAllowed(net.ParseIP(ip)); got != want {
			t.Errorf("AWSContainerAddressAllowed(%s) = %v, want %v", ip, got, want)
		}
	}
}

// TestAWSConfigRedacted renders the configuration, a plan holding static
// keys and one holding a container token every way a program might, and
// checks that no secret appears.
func TestAWSConfigRedacted(t *testing.T) {
	t.Parallel()
	env := map[string]string{"AWS_ACCESS_KEY_ID": v4TestAK, "AWS_SECRET_ACCESS_KEY": v4TestSecret, "AWS_SESSION_TOKEN": v4TestToken,
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": v4TestToken}
	c, err := cfgLoad(cfgInput{env: env, config: "[default]\n" + cfgKeys(v4TestAK) + "aws_session_token = " + v4TestToken + "\n"})
	require.NoError(t, err)
	envPlan, err := c.CredentialPlan()
	require.NoError(t, err)
	c2, err := cfgLoad(cfgInput{env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": v4TestToken}})
	require.NoError(t, err)
	containerPlan, err := c2.CredentialPlan()
	require.NoError(t, err)
	require.Equal(t, AWSKindContainer, containerPlan.Base.Kind)

	values := map[string]any{
		"config": c, "config value": *c, "env plan": envPlan, "env plan value": *envPlan,
		"container plan": containerPlan, "container step": *containerPlan.Base.Container,
		"base step": containerPlan.Base, "nested": struct{ P *AWSCredentialPlan }{containerPlan},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := json.Marshal(v)
			require.NoError(t, err)
			outs := renderEveryWay(v)
			for _, out := range outs {
				v4AssertNoSecret(t, out, nil)
			}
		})
	}
}

// TestAWSCredentialPlanString checks the one-line summaries.
func TestAWSCredentialPlanString(t *testing.T) {
	t.Parallel()
	tests := map[string]cfgInput{
		"environment keys": {env: map[string]string{"AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": v4TestSecret}},
		"static keys (profile b) -> assume role arn:aws:iam::1:role/a (profile default)": {
			config: "[default]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n[profile b]\n" + cfgKeys("AK")},
		"credential_process (profile default)": {config: "[default]\ncredential_process = /bin/p " + v4TestSecret + "\n"},
		"EC2 instance metadata at http://[fd00:ec2::254] (disabled) (profile default)": {
			env: map[string]string{"AWS_EC2_METADATA_DISABLED": "true", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"}},
		"SSO role r in account 1 (sso-session s) (profile default)": {
			config: "[default]\nsso_session = s\nsso_account_id = 1\nsso_role_name = r\n[sso-session s]\nsso_region = x\nsso_start_url = y\n"},
		"web identity for role R with token file /t":                  {env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "/t", "AWS_ROLE_ARN": "R"}},
		"container endpoint http://169.254.170.2/c (profile default)": {env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/c"}},
		"login session l (profile default)":                           {config: "[default]\nlogin_session = l\n"},
	}
	for want, in := range tests {
		c, err := cfgLoad(in)
		require.NoError(t, err)
		plan, err := c.CredentialPlan()
		require.NoError(t, err)
		if diff := cmp.Diff(want, plan.String()); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	}
}
