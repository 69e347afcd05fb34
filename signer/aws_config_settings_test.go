package signer

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAWSSettings pins the precedence of each setting, the endpoint order
// of aws-sdk-go-v2's configured endpoints (with the early return of
// AWS_ENDPOINT_URL), and the service IDs' spellings.
func TestAWSSettings(t *testing.T) {
	t.Parallel()
	services := "[default]\nservices = local\nendpoint_url = http://profile\n" +
		"[services local]\nroute53profiles =\n  endpoint_url = http://r53p-section\n" +
		"customer_profiles =\n  endpoint_url = http://cp-section\nsts =\n  endpoint_url = http://sts-section\n"
	tests := []struct {
		name    string
		in      cfgInput
		service string
		want    AWSSettings
	}{
		{name: "nothing configured", service: "Route53Profiles", want: AWSSettings{}},
		{
			name: "AWS_REGION beats AWS_DEFAULT_REGION and the profile", service: "STS",
			in:   cfgInput{config: "[default]\nregion = eu-west-1\n", env: map[string]string{"AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-2"}},
			want: AWSSettings{Region: "us-east-2", RegionSource: "AWS_REGION"},
		},
		{
			name: "AWS_DEFAULT_REGION", service: "STS",
			in:   cfgInput{config: "[default]\nregion = eu-west-1\n", env: map[string]string{"AWS_REGION": "", "AWS_DEFAULT_REGION": "us-west-2"}},
			want: AWSSettings{Region: "us-west-2", RegionSource: "AWS_DEFAULT_REGION"},
		},
		{
			name: "profile region (the selected profile's, not its source's)", service: "STS",
			in: cfgInput{config: "[profile dev]\nregion = eu-west-1\nrole_arn = R\nsource_profile = b\n[profile b]\nregion = ap-south-1\n" + cfgKeys("AK"),
				env: map[string]string{"AWS_PROFILE": "dev"}},
			want: AWSSettings{Region: "eu-west-1", RegionSource: "profile dev"},
		},
		{
			name: "the credentials file's region counts", service: "STS",
			in:   cfgInput{config: "[default]\nregion = eu-west-1\n", credentials: "[default]\nregion = eu-north-1\n"},
			want: AWSSettings{Region: "eu-north-1", RegionSource: "profile default"},
		},
		{
			name: "environment booleans beat the profile", service: "STS",
			in: cfgInput{config: "[default]\nuse_fips_endpoint = true\nuse_dualstack_endpoint = false\n",
				env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "FALSE", "AWS_USE_DUALSTACK_ENDPOINT": "True"}},
			want: AWSSettings{UseDualStack: true},
		},
		{
			name: "profile booleans are lenient", service: "STS",
			in:   cfgInput{config: "[default]\nuse_fips_endpoint = TRUE\nuse_dualstack_endpoint = yes\n"},
			want: AWSSettings{UseFIPS: true},
		},
		{
			name: "max attempts, retry mode and CA bundle from the environment", service: "STS",
			in: cfgInput{config: "[default]\nmax_attempts = 7\nretry_mode = standard\nca_bundle = /profile.pem\n",
				env: map[string]string{"AWS_MAX_ATTEMPTS": "5", "AWS_RETRY_MODE": "adaptive", "AWS_CA_BUNDLE": "/env.pem"}},
			want: AWSSettings{MaxAttempts: 5, RetryMode: "adaptive", CABundle: "/env.pem"},
		},
		{
			name: "AWS_MAX_ATTEMPTS=0 counts as unset; profile integers take a base prefix", service: "STS",
			in:   cfgInput{config: "[default]\nmax_attempts = 0x0A\nretry_mode = standard\nca_bundle = /profile.pem\n", env: map[string]string{"AWS_MAX_ATTEMPTS": "0"}},
			want: AWSSettings{MaxAttempts: 10, RetryMode: "standard", CABundle: "/profile.pem"},
		},

		// Endpoints.
		{
			name: "AWS_ENDPOINT_URL_<SERVICE> first", service: "Route53Profiles",
			in:   cfgInput{config: services, env: map[string]string{"AWS_ENDPOINT_URL_ROUTE53PROFILES": "http://r53p-env", "AWS_ENDPOINT_URL": "http://global"}},
			want: AWSSettings{BaseEndpoint: "http://r53p-env", BaseEndpointSource: "AWS_ENDPOINT_URL_ROUTE53PROFILES"},
		},
		{
			name: "AWS_ENDPOINT_URL skips the services section", service: "Route53Profiles",
			in:   cfgInput{config: services, env: map[string]string{"AWS_ENDPOINT_URL": "http://global"}},
			want: AWSSettings{BaseEndpoint: "http://global", BaseEndpointSource: "AWS_ENDPOINT_URL"},
		},
		{
			name: "an empty AWS_ENDPOINT_URL still skips the services section", service: "Route53Profiles",
			in:   cfgInput{config: services, env: map[string]string{"AWS_ENDPOINT_URL": ""}},
			want: AWSSettings{BaseEndpoint: "http://profile", BaseEndpointSource: "profile default endpoint_url"},
		},
		{
			name: "an empty AWS_ENDPOINT_URL_<SERVICE> brings the services section back", service: "Route53Profiles",
			in:   cfgInput{config: services, env: map[string]string{"AWS_ENDPOINT_URL": "http://global", "AWS_ENDPOINT_URL_ROUTE53PROFILES": ""}},
			want: AWSSettings{BaseEndpoint: "http://r53p-section", BaseEndpointSource: "services local"},
		},
		{
			name: "services section beats the profile's endpoint_url", service: "Route53Profiles",
			in:   cfgInput{config: services},
			want: AWSSettings{BaseEndpoint: "http://r53p-section", BaseEndpointSource: "services local"},
		},
		{
			name: "Customer Profiles: spaces become underscores", service: "Customer Profiles",
			in:   cfgInput{config: services},
			want: AWSSettings{BaseEndpoint: "http://cp-section", BaseEndpointSource: "services local"},
		},
		{
			name: "Customer Profiles: its environment variable", service: "Customer Profiles",
			in:   cfgInput{config: services, env: map[string]string{"AWS_ENDPOINT_URL_CUSTOMER_PROFILES": "http://cp-env"}},
			want: AWSSettings{BaseEndpoint: "http://cp-env", BaseEndpointSource: "AWS_ENDPOINT_URL_CUSTOMER_PROFILES"},
		},
		{
			name: "a service without an entry falls back to the profile's endpoint_url", service: "SSO OIDC",
			in:   cfgInput{config: services},
			want: AWSSettings{BaseEndpoint: "http://profile", BaseEndpointSource: "profile default endpoint_url"},
		},
		{
			name: "an empty endpoint_url in the services section counts", service: "STS",
			in:   cfgInput{config: "[default]\nservices = s\nendpoint_url = http://profile\n[services s]\nsts =\n  endpoint_url =\n"},
			want: AWSSettings{BaseEndpointSource: "services s"},
		},
		{
			name: "a services section that does not exist is ignored", service: "STS",
			in:   cfgInput{config: "[default]\nservices = nope\nendpoint_url = http://profile\n"},
			want: AWSSettings{BaseEndpoint: "http://profile", BaseEndpointSource: "profile default endpoint_url"},
		},
		{
			name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", service: "Route53Profiles",
			in:   cfgInput{config: services, env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE", "AWS_ENDPOINT_URL_ROUTE53PROFILES": "http://x"}},
			want: AWSSettings{},
		},
		{
			name: "ignore_configured_endpoint_urls in the profile", service: "Route53Profiles",
			in:   cfgInput{config: services + "[default]\nignore_configured_endpoint_urls = true\n", env: map[string]string{"AWS_ENDPOINT_URL": "http://g"}},
			want: AWSSettings{},
		},
		{
			name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false beats the profile", service: "Route53Profiles",
			in:   cfgInput{config: services + "[default]\nignore_configured_endpoint_urls = true\n", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"}},
			want: AWSSettings{BaseEndpoint: "http://r53p-section", BaseEndpointSource: "services local"},
		},
		{
			name: "the credentials file's endpoint_url is dropped for a profile the config file has", service: "STS",
			in:   cfgInput{config: "[default]\nregion = us-east-1\n", credentials: "[default]\nendpoint_url = http://creds\n"},
			want: AWSSettings{Region: "us-east-1", RegionSource: "profile default"},
		},
		{
			name: "and kept for a profile only the credentials file has", service: "STS",
			in:   cfgInput{credentials: "[default]\nendpoint_url = http://creds\n"},
			want: AWSSettings{BaseEndpoint: "http://creds", BaseEndpointSource: "profile default endpoint_url"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := cfgLoad(tc.in)
			cfgCheckErr(t, err, "")
			tc.want.ServiceID = tc.service
			if diff := cmp.Diff(tc.want, c.Settings(tc.service)); diff != "" {
				t.Errorf("settings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAWSCredentialClientSettings checks the settings the plan carries for
// the clients the credential chain builds: the SDK creates them before it
// resolves AWS_ENDPOINT_URL and the profile's endpoint_url, so only the
// service's own variable and the services section reach them.
func TestAWSCredentialClientSettings(t *testing.T) {
	t.Parallel()
	config := "[default]\nregion = us-west-2\nuse_fips_endpoint = true\nendpoint_url = http://profile\nservices = s\nmax_attempts = 4\n" +
		"sso_session = corp\nsso_account_id = 1\nsso_role_name = r\n" +
		"[services s]\nsso =\n  endpoint_url = http://sso-section\n" +
		"[sso-session corp]\nsso_region = eu-central-1\nsso_start_url = https://corp/start\n"
	c, err := cfgLoad(cfgInput{config: config, env: map[string]string{
		"AWS_ENDPOINT_URL": "http://global", "AWS_ENDPOINT_URL_SSO_OIDC": "http://oidc-env", "AWS_ENDPOINT_URL_SSO": ""}})
	cfgCheckErr(t, err, "")
	plan, err := c.CredentialPlan()
	cfgCheckErr(t, err, "")
	base := AWSSettings{Region: "us-west-2", RegionSource: "profile default", UseFIPS: true, MaxAttempts: 4}
	want := struct{ STS, Portal, OIDC, Signin AWSSettings }{STS: base, Portal: base, OIDC: base}
	want.STS.ServiceID = "STS"
	want.Portal.ServiceID, want.Portal.Region, want.Portal.RegionSource = "SSO", "eu-central-1", "sso-session corp"
	want.Portal.BaseEndpoint, want.Portal.BaseEndpointSource = "http://sso-section", "services s"
	want.OIDC.ServiceID, want.OIDC.Region, want.OIDC.RegionSource = "SSO OIDC", "eu-central-1", "sso-session corp"
	want.OIDC.BaseEndpoint, want.OIDC.BaseEndpointSource = "http://oidc-env", "AWS_ENDPOINT_URL_SSO_OIDC"
	got := struct{ STS, Portal, OIDC, Signin AWSSettings }{STS: plan.STS, Portal: plan.Base.SSO.Portal, OIDC: plan.Base.SSO.OIDC}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("client settings (-want +got):\n%s", diff)
	}
	// The same configuration gives an ordinary client AWS_ENDPOINT_URL.
	if diff := cmp.Diff("http://global", c.Settings("STS").BaseEndpoint); diff != "" {
		t.Errorf("service STS endpoint (-want +got):\n%s", diff)
	}

	c, err = cfgLoad(cfgInput{config: "[default]\nlogin_session = s\nregion = eu-west-3\n", env: map[string]string{"AWS_ENDPOINT_URL_SIGNIN": "http://signin"}})
	cfgCheckErr(t, err, "")
	plan, err = c.CredentialPlan()
	cfgCheckErr(t, err, "")
	wantSignin := AWSSettings{ServiceID: "Signin", Region: "eu-west-3", RegionSource: "profile default",
		BaseEndpoint: "http://signin", BaseEndpointSource: "AWS_ENDPOINT_URL_SIGNIN"}
	if diff := cmp.Diff(wantSignin, plan.Base.Login.Signin); diff != "" {
		t.Errorf("signin settings (-want +got):\n%s", diff)
	}
}
