package sdkcompare

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	"github.com/aws/aws-sdk-go-v2/service/route53profiles"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/signer"
)

// cfgScenario is one environment and pair of shared files, given both to
// aws-sdk-go-v2's config.LoadDefaultConfig and to detach's LoadAWSConfig.
// In env and the files, {dir} is the scenario's directory (also HOME) and
// {container} the URL of a local container credentials endpoint.
type cfgScenario struct {
	name                string
	config, credentials string
	env                 map[string]string
	profile             string            // chosen in code: WithSharedConfigProfile
	files               map[string]string // more files under {dir}
	// ssoToken, when set, is written as the SSO token cache file at the path
	// detach's plan computes; the SDK finds it only if it computes the same.
	ssoToken bool
	// loginToken, the same for the login_session cache.
	loginToken bool
	// noRetrieve skips fetching credentials, for endpoints the test cannot
	// serve (the fixed ECS address); the plan's kind is compared instead.
	noRetrieve bool
	// laterFailure names why detach fails only when the plan is executed
	// where the SDK fails while loading.
	laterFailure string
}

// The fake credentials the fake services hand out.
const (
	cfgSecret     = "fake/secret+EXAMPLEKEY0000000000000000000"
	cfgFakeExpiry = "2099-01-01T00:00:00Z"
)

func cfgScenarios() []cfgScenario {
	keys := func(ak string) string {
		return "aws_access_key_id = " + ak + "\naws_secret_access_key = " + cfgSecret + "\n"
	}
	services := "services = local\nendpoint_url = http://profile.example\n" +
		"[services local]\nroute53profiles =\n  endpoint_url = http://r53p.example\ncustomer_profiles =\n  endpoint_url = http://cp.example\n" +
		"sts =\n  endpoint_url = http://sts-section.example\n"
	return []cfgScenario{
		{name: "nothing: IMDS", env: map[string]string{}},
		{name: "environment keys and region", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": cfgSecret,
			"AWS_SESSION_TOKEN": "envtoken", "AWS_REGION": "eu-west-1"}, credentials: "[default]\n" + keys("AKIDFILE")},
		{name: "old environment key names", env: map[string]string{"AWS_ACCESS_KEY": "AKIDOLD", "AWS_SECRET_KEY": cfgSecret, "AWS_DEFAULT_REGION": "us-west-2"}},
		{name: "half an environment pair", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV"}, credentials: "[default]\n" + keys("AKIDFILE")},
		{name: "AWS_PROFILE, files merged", env: map[string]string{"AWS_PROFILE": "dev"},
			config:      "[profile dev]\nregion = ap-south-1\n" + keys("AKIDCONFIG") + "max_attempts = 6\n",
			credentials: "[dev]\n" + keys("AKIDCREDS") + "aws_session_token = credstoken\n"},
		{name: "AWS_DEFAULT_PROFILE", env: map[string]string{"AWS_DEFAULT_PROFILE": "b"}, credentials: "[a]\n" + keys("AKIDA") + "[b]\n" + keys("AKIDB")},
		{name: "missing AWS_PROFILE", env: map[string]string{"AWS_PROFILE": "nope"}, credentials: "[default]\n" + keys("AKID")},
		{name: "missing AWS_DEFAULT_PROFILE", env: map[string]string{"AWS_DEFAULT_PROFILE": "nope"}, credentials: "[default]\n" + keys("AKID")},
		{name: "profile in code skips environment keys", profile: "ci",
			env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": cfgSecret}, credentials: "[ci]\n" + keys("AKIDCI")},
		{name: "[profile default] beats [default]; bare sections ignored",
			config: "[default]\nregion = us-east-1\n[profile default]\nregion = eu-north-1\n" + keys("AKIDPD") + "[dev]\nregion = x\n"},
		{name: "role chain with options", env: map[string]string{"AWS_PROFILE": "a", "AWS_REGION": "us-east-2"},
			config: "[profile a]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = b\nexternal_id = ext-a\nrole_session_name = sess-a\nduration_seconds = 3600\n" +
				"[profile b]\nrole_arn = arn:aws:iam::222222222222:role/b\nsource_profile = c\nduration_seconds = 959\n[profile c]\n" + keys("AKIDC")},
		{name: "self-referencing role", env: map[string]string{"AWS_REGION": "us-east-1"},
			credentials: "[default]\nrole_arn = arn:aws:iam::1:role/self\nsource_profile = default\n" + keys("AKIDSELF")},
		{name: "loop without credentials", env: map[string]string{"AWS_PROFILE": "a"},
			config: "[profile a]\nrole_arn = A\nsource_profile = b\n[profile b]\nrole_arn = B\nsource_profile = a\n"},
		{name: "loop back to a profile with keys", env: map[string]string{"AWS_PROFILE": "a", "AWS_REGION": "us-east-1"},
			config: "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n" + keys("AKIDA") + "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n"},
		{name: "source profile with keys and a role", env: map[string]string{"AWS_PROFILE": "top", "AWS_REGION": "us-east-1"},
			config: "[profile top]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = mid\n[profile mid]\nrole_arn = arn:aws:iam::1:role/mid\n" + keys("AKIDMID")},
		{name: "credential_source Environment, profile in code", profile: "p",
			env:    map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": cfgSecret, "AWS_REGION": "us-east-1"},
			config: "[profile p]\nrole_arn = arn:aws:iam::1:role/p\ncredential_source = Environment\n"},
		{name: "credential_source Environment without keys", env: map[string]string{"AWS_REGION": "us-east-1"},
			config: "[default]\nrole_arn = arn:aws:iam::1:role/p\ncredential_source = Environment\n"},
		{name: "credential_source Ec2InstanceMetadata", env: map[string]string{"AWS_REGION": "us-east-1"},
			config: "[default]\nrole_arn = arn:aws:iam::1:role/imds\ncredential_source = Ec2InstanceMetadata\n"},
		{name: "credential_source EcsContainer, full URI", env: map[string]string{"AWS_REGION": "us-east-1",
			"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ctoken"},
			config: "[default]\nrole_arn = arn:aws:iam::1:role/ecs\ncredential_source = EcsContainer\n"},
		{name: "credential_source unknown", config: "[default]\nrole_arn = R\ncredential_source = Ec2Metadata\n"},
		{name: "source_profile without role_arn", config: "[default]\nsource_profile = b\n[profile b]\n" + keys("AKIDB")},
		{name: "two credential types", config: "[default]\nrole_arn = R\ncredential_source = Environment\ncredential_process = echo\n"},
		{name: "partial keys", credentials: "[default]\naws_access_key_id = AKID\n"},
		{name: "partial keys forgiven by the credentials file", config: "[default]\naws_access_key_id = AKID\n", credentials: "[default]\nregion = eu-west-3\n"},
		{name: "environment web identity", env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "{dir}/token",
			"AWS_ROLE_ARN": "arn:aws:iam::1:role/irsa", "AWS_ROLE_SESSION_NAME": "pod", "AWS_REGION": "eu-central-1"},
			files: map[string]string{"token": "header.payload.signature\n"}},
		{name: "environment web identity without a role", env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "{dir}/token"},
			files: map[string]string{"token": "t"}},
		{name: "web identity as a source profile", env: map[string]string{"AWS_REGION": "eu-central-1"},
			config: "[default]\nrole_arn = arn:aws:iam::1:role/top\nsource_profile = w\n" +
				"[profile w]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = {dir}/token\n",
			files: map[string]string{"token": "jwt"}},
		{name: "sso_session", ssoToken: true, env: map[string]string{"AWS_REGION": "us-east-1"},
			config: "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n" +
				"[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"},
		{name: "legacy SSO with a role", ssoToken: true, env: map[string]string{"AWS_REGION": "us-east-1"},
			config: "[default]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = us-west-2\nsso_account_id = 1\nsso_role_name = R\n" +
				"role_arn = arn:aws:iam::1:role/after-sso\n"},
		{name: "sso_session without its section", config: "[default]\nsso_session = corp\n"},
		{name: "legacy SSO incomplete", config: "[default]\nsso_start_url = https://x/start\n"},
		{name: "login_session", loginToken: true, env: map[string]string{"AWS_LOGIN_CACHE_DIRECTORY": "{dir}/login"},
			config: "[default]\nlogin_session = arn:aws:iam::1:user/me\nregion = us-east-1\n"},
		{name: "credential_process with a role", env: map[string]string{"AWS_REGION": "us-east-1"},
			config: "[default]\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"AKIDPROCESS\",\"SecretAccessKey\":\"" + cfgSecret + "\"}'\n" +
				"role_arn = arn:aws:iam::1:role/after-process\n"},
		{name: "container relative URI", noRetrieve: true, env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/creds"}},
		{name: "container full URI", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}/full",
			"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{dir}/ctoken", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored"},
			files: map[string]string{"ctoken": "file-token"}},
		{name: "container full URI not allowed", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.9.8.7/creds"}},
		{name: "IMDS disabled", env: map[string]string{"AWS_EC2_METADATA_DISABLED": "TRUE"}},
		{name: "IMDS IPv6", env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv6"}},
		{name: "IMDS IPv6 and the profile's endpoint", env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"},
			config: "[default]\nec2_metadata_service_endpoint = http://imds.example:1338\n"},
		{name: "endpoints: service variable and services section", config: "[default]\n" + services,
			env: map[string]string{"AWS_ENDPOINT_URL_ROUTE53PROFILES": "http://r53p-env.example"}},
		{name: "endpoints: empty AWS_ENDPOINT_URL skips the services section", config: "[default]\n" + services,
			env: map[string]string{"AWS_ENDPOINT_URL": ""}},
		{name: "endpoints: AWS_ENDPOINT_URL", config: "[default]\n" + services, env: map[string]string{"AWS_ENDPOINT_URL": "http://global.example"}},
		{name: "endpoints: ignored", config: "[default]\n" + services + "ignore_configured_endpoint_urls = true\n"},
		{name: "endpoints: credentials file endpoint_url dropped", config: "[default]\nregion = us-east-1\n", credentials: "[default]\nendpoint_url = http://x.example\n"},
		{name: "STS with AWS_ENDPOINT_URL: the credential chain's STS ignores it", env: map[string]string{"AWS_ENDPOINT_URL": "http://global.example", "AWS_REGION": "us-east-1"},
			config: "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = k\nendpoint_url = http://profile.example\n[profile k]\n" + keys("AKIDK")},
		{name: "STS from the services section", env: map[string]string{"AWS_REGION": "us-east-1"},
			config: "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = k\n" + services + "[profile k]\n" + keys("AKIDK")},
		{name: "STS from AWS_ENDPOINT_URL_STS, region from the selected profile only",
			env: map[string]string{"AWS_ENDPOINT_URL_STS": "http://sts-env.example", "AWS_PROFILE": "top"},
			config: "[profile top]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = k\nregion = eu-south-1\n" + services +
				"[profile k]\nregion = ap-east-1\n" + keys("AKIDK")},
		{name: "FIPS, dual-stack, max attempts", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true", "AWS_MAX_ATTEMPTS": "9"},
			config: "[default]\nuse_dualstack_endpoint = TRUE\nuse_fips_endpoint = false\nmax_attempts = 2\nregion = us-east-1\n"},
		{name: "profile booleans are lenient", config: "[default]\nuse_dualstack_endpoint = yes\nuse_fips_endpoint = True\nmax_attempts = 0x5\n"},
		{name: "environment boolean refused", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "yes"}},
		{name: "profile max_attempts refused", config: "[default]\nmax_attempts = many\n"},
		{name: "profile retry_mode refused", config: "[default]\nretry_mode = Standard\n"},
		{name: "mfa_serial", env: map[string]string{"AWS_REGION": "us-east-1"}, laterFailure: "detach plans mfa_serial; executing it is refused",
			config: "[default]\nrole_arn = arn:aws:iam::1:role/mfa\nsource_profile = k\nmfa_serial = arn:aws:iam::1:mfa/me\n[profile k]\n" + keys("AKIDK")},
		{name: "INI quirks: colon, quotes, comments, sub-property promotion",
			config: "[ default ] ; c\nregion: \"ca-central-1\"\n  max_attempts = 4 # c\naws_access_key_id = 'AKIDQ'\naws_secret_access_key = " + cfgSecret + " #x\n"},
	}
}

// TestAWSConfigAgainstSDK loads each scenario with both and compares what
// each resolved: whether it fails, the region, both services' endpoint,
// FIPS, dual-stack and max attempts, and the credentials, fetched through
// fake STS, SSO, IMDS and container endpoints that record every request.
// The SDK reads the process environment, so this test sets it and cannot
// run in parallel.
func TestAWSConfigAgainstSDK(t *testing.T) {
	rec := &cfgRecorder{}
	wire := &cfgWire{rec: rec}
	container := httptest.NewServer(rec)
	defer container.Close()
	compared, chains := 0, 0
	for _, sc := range cfgScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			rec.reset()
			wire.take()
			dir := t.TempDir()
			expand := strings.NewReplacer("{dir}", dir, "{container}", container.URL).Replace
			cfgClearEnv(t)
			t.Setenv("HOME", dir)
			t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
			t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
			for k, v := range sc.env {
				t.Setenv(k, expand(v))
			}
			cfgWrite(t, filepath.Join(dir, "config"), expand(sc.config))
			cfgWrite(t, filepath.Join(dir, "credentials"), expand(sc.credentials))
			for name, data := range sc.files {
				cfgWrite(t, filepath.Join(dir, name), expand(data))
			}

			dc, dErr := signer.LoadAWSConfig(signer.AWSConfigSource{Profile: sc.profile})
			var plan *signer.AWSCredentialPlan
			if dErr == nil {
				plan, dErr = dc.CredentialPlan()
			}
			if plan != nil {
				cfgWriteTokens(t, sc, plan)
			}
			opts := []func(*config.LoadOptions) error{config.WithHTTPClient(wire)}
			if sc.profile != "" {
				opts = append(opts, config.WithSharedConfigProfile(sc.profile))
			}
			cfg, sErr := config.LoadDefaultConfig(context.Background(), opts...)

			if sc.laterFailure != "" {
				if sErr == nil || dErr != nil {
					t.Fatalf("%s: want the SDK to fail while loading and detach to plan: SDK %v, detach %v", sc.laterFailure, sErr, dErr)
				}
				if _, fails := cfgModel(plan); !fails {
					t.Fatalf("%s: executing detach's plan would not fail", sc.laterFailure)
				}
				if _, _, _, newErr, _ := cfgDetachChain(t, sc, wire, container.URL); newErr == nil {
					t.Fatalf("%s: awscreds.NewDefaultChain accepted it", sc.laterFailure)
				}
				chains++
				compared++
				return
			}
			if (sErr != nil) != (dErr != nil) {
				t.Fatalf("load: SDK error %v, detach error %v", sErr, dErr)
			}
			if sErr != nil {
				t.Logf("both refuse: SDK %v; detach %v", sErr, dErr)
				if _, _, _, _, err := cfgDetachChain(t, sc, wire, container.URL); err == nil {
					t.Fatalf("awscreds.NewDefaultChain gave credentials where the SDK refuses to load")
				}
				chains++
				compared++
				return
			}
			cfgCompareSettings(t, cfg, dc)
			cfgCompareEndpoints(t, cfg)
			if sc.noRetrieve {
				want := map[signer.AWSCredentialKind]string{signer.AWSKindContainer: "*endpointcreds.Provider"}[plan.Base.Kind]
				if got := cfgProviderType(cfg); want == "" || got != want {
					t.Errorf("provider: SDK %s, detach plan %s", got, plan.Base.Kind)
				}
				if _, _, _, newErr, _ := cfgDetachChain(t, sc, wire, container.URL); newErr != nil {
					t.Errorf("awscreds.NewDefaultChain: %v", newErr)
				}
				chains++
				compared++
				return
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			sCreds, sErr := cfg.Credentials.Retrieve(ctx)
			sEvents, sWire := rec.take(), wire.take()
			cfgCompareChain(t, sc, wire, container.URL, sCreds, sErr, sEvents, sWire)
			chains++
			want, fails := cfgModel(plan)
			t.Logf("plan: %s\nSDK requests: %q, error %v", plan, sEvents, sErr)
			if (sErr != nil) != fails {
				t.Fatalf("retrieve: SDK error %v; detach plan fails: %v (plan %s)", sErr, fails, plan)
			}
			if !fails {
				got := cfgOutcome{Events: sEvents, AK: sCreds.AccessKeyID, Secret: sCreds.SecretAccessKey, Token: sCreds.SessionToken}
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Errorf("plan %s\ndetach's plan (-) against the SDK (+):\n%s", plan, diff)
				}
				cfgHarnessDetects(t, plan, got)
			}
			compared++
		})
	}
	if n := len(cfgScenarios()); compared != n {
		t.Errorf("compared %d of %d scenarios", compared, n)
	}
	if n := len(cfgScenarios()); chains != n {
		t.Errorf("compared awscreds.NewDefaultChain in %d of %d scenarios", chains, n)
	}
	t.Logf("shared config scenarios: %d compared, %d with awscreds.NewDefaultChain", compared, chains)
}

// cfgHarnessDetects checks that the comparison would notice a plan that
// differs from the SDK's choice: another base, another role, another order.
func cfgHarnessDetects(t *testing.T, plan *signer.AWSCredentialPlan, sdk cfgOutcome) {
	t.Helper()
	var changed []signer.AWSCredentialPlan
	if n := len(plan.AssumeRoles); n > 0 {
		p := *plan
		p.AssumeRoles = slices.Clone(plan.AssumeRoles)
		p.AssumeRoles[n-1].RoleARN += "x"
		changed = append(changed, p)
		p.AssumeRoles = plan.AssumeRoles[:n-1]
		changed = append(changed, p)
		if n > 1 {
			p.AssumeRoles = slices.Clone(plan.AssumeRoles)
			slices.Reverse(p.AssumeRoles)
			changed = append(changed, p)
		}
	}
	p := *plan
	p.Base = signer.AWSCredentialStep{Kind: signer.AWSKindIMDS, IMDS: &signer.AWSIMDSConfig{Endpoint: "http://elsewhere"}}
	changed = append(changed, p)
	for _, p := range changed {
		if m, fails := cfgModel(&p); !fails && gocmp.Equal(m, sdk) {
			t.Errorf("the comparison does not notice the changed plan %s", &p)
		}
	}
}

// cfgCompareSettings compares the region and both services' settings.
func cfgCompareSettings(t *testing.T, cfg aws.Config, dc *signer.AWSConfig) {
	t.Helper()
	type settings struct {
		Region, Endpoint string
		FIPS, DualStack  bool
		MaxAttempts      int
	}
	r53 := route53profiles.NewFromConfig(cfg).Options()
	cp := customerprofiles.NewFromConfig(cfg).Options()
	sdk := []settings{
		{cfg.Region, aws.ToString(r53.BaseEndpoint), r53.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled,
			r53.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled, cfg.RetryMaxAttempts},
		{cfg.Region, aws.ToString(cp.BaseEndpoint), cp.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled,
			cp.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled, cfg.RetryMaxAttempts},
	}
	var ours []settings
	for _, id := range []string{route53profiles.ServiceID, customerprofiles.ServiceID} {
		s := dc.Settings(id)
		ours = append(ours, settings{s.Region, s.BaseEndpoint, s.UseFIPS, s.UseDualStack, s.MaxAttempts})
	}
	if diff := gocmp.Diff(sdk, ours); diff != "" {
		t.Errorf("settings (-SDK +detach):\n%s", diff)
	}
}

// cfgOutcome is what fetching credentials did: the requests to the fake
// services, in order, and the credentials obtained.
type cfgOutcome struct {
	Events            []string
	AK, Secret, Token string
}

// cfgModel is what executing detach's plan must do, as the network sources
// are to execute it: the requests each step sends and the credentials that
// come out, given the fake services' answers. fails is set when executing
// must fail before any request.
func cfgModel(plan *signer.AWSCredentialPlan) (out cfgOutcome, fails bool) {
	b := plan.Base
	switch b.Kind {
	case signer.AWSKindEnvironment, signer.AWSKindProfile:
		cr := b.Static.Credentials
		if cr.AccessKeyID == "" || cr.SecretAccessKey == "" {
			return out, true
		}
		out.AK, out.Secret, out.Token = cr.AccessKeyID, cr.SecretAccessKey, cr.SessionToken
	case signer.AWSKindWebIdentity:
		host, ok := cfgSTSHost(plan.STS)
		if !ok {
			return out, true
		}
		token, err := os.ReadFile(b.WebIdentity.TokenFile)
		if err != nil {
			return out, true
		}
		out.Events = append(out.Events, cfgSTSEvent(host, "AssumeRoleWithWebIdentity", b.WebIdentity.RoleARN, b.WebIdentity.RoleSessionName, "", "", string(token), ""))
		out.AK, out.Secret, out.Token = cfgFakeCreds(b.WebIdentity.RoleARN)
	case signer.AWSKindSSO:
		var cache struct{ AccessToken string }
		data, err := os.ReadFile(b.SSO.TokenCacheFile)
		if err != nil || json.Unmarshal(data, &cache) != nil {
			return out, true
		}
		host := "portal.sso." + b.SSO.Region + ".amazonaws.com"
		if b.SSO.Portal.BaseEndpoint != "" {
			host = cfgHost(b.SSO.Portal.BaseEndpoint)
		}
		out.Events = append(out.Events, "SSO "+host+" account="+b.SSO.AccountID+" role="+b.SSO.RoleName+" bearer="+cache.AccessToken)
		out.AK, out.Secret, out.Token = cfgFakeCreds("sso:" + b.SSO.AccountID + ":" + b.SSO.RoleName)
	case signer.AWSKindLogin:
		out.AK, out.Secret, out.Token = "AKIDLOGIN", cfgSecret, "logintoken"
	case signer.AWSKindProcess:
		out.AK, out.Secret = "AKIDPROCESS", cfgSecret // what the scenario's command prints
	case signer.AWSKindContainer:
		token := b.Container.AuthToken
		if b.Container.AuthTokenFile != "" {
			data, err := os.ReadFile(b.Container.AuthTokenFile)
			if err != nil {
				return out, true
			}
			token = string(data)
		}
		out.Events = append(out.Events, "container "+cfgHost(b.Container.URL)+" "+strings.TrimPrefix(b.Container.URL, "http://"+cfgHost(b.Container.URL))+" authorization="+token)
		out.AK, out.Secret, out.Token = cfgFakeCreds("container")
	case signer.AWSKindIMDS:
		if b.IMDS.Disabled {
			return out, true
		}
		host := cfgHost(b.IMDS.EndpointURL())
		out.Events = append(out.Events, "IMDS "+host+" PUT /latest/api/token", "IMDS "+host+" GET /latest/meta-data/iam/security-credentials/",
			"IMDS "+host+" GET /latest/meta-data/iam/security-credentials/fake-role")
		out.AK, out.Secret, out.Token = cfgFakeCreds("imds")
	default:
		return out, true
	}
	for _, ar := range plan.AssumeRoles {
		host, ok := cfgSTSHost(plan.STS)
		if !ok || ar.MFASerial != "" {
			return out, true
		}
		duration := 900
		if ar.Duration != 0 {
			duration = int(ar.Duration / time.Second)
		}
		out.Events = append(out.Events, cfgSTSEvent(host, "AssumeRole", ar.RoleARN, ar.RoleSessionName, ar.ExternalID, fmt.Sprint(duration), "", out.AK))
		out.AK, out.Secret, out.Token = cfgFakeCreds(ar.RoleARN)
	}
	return out, false
}

// cfgSTSHost is the host the STS client of the plan sends to; false when it
// cannot build one (no region).
func cfgSTSHost(s signer.AWSSettings) (string, bool) {
	if s.BaseEndpoint != "" {
		return cfgHost(s.BaseEndpoint), true
	}
	if s.Region == "" {
		return "", false
	}
	return "sts." + s.Region + ".amazonaws.com", true
}

func cfgHost(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Host
}

// cfgSTSEvent renders one STS request; an empty session name stands for
// the SDK's generated one.
func cfgSTSEvent(host, action, role, session, external, duration, token, by string) string {
	if session == "" {
		session = "<generated>"
	}
	return fmt.Sprintf("STS %s %s role=%s session=%s external=%s duration=%s token=%q by=%s", host, action, role, session, external, duration, token, by)
}

// cfgFakeCreds are the credentials the fake services issue for a role.
func cfgFakeCreds(role string) (ak, secret, token string) {
	clean := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return -1
	}, role)
	return "ASIA" + clean, "secret-" + clean, "token-" + clean
}

// cfgRecorder is the SDK's HTTP client and the container endpoint: it
// records every request and answers as STS, the SSO portal, IMDS or the
// container endpoint would.
type cfgRecorder struct {
	mu     sync.Mutex
	events []string
}

func (r *cfgRecorder) reset()       { r.mu.Lock(); r.events = nil; r.mu.Unlock() }
func (r *cfgRecorder) add(e string) { r.mu.Lock(); r.events = append(r.events, e); r.mu.Unlock() }
func (r *cfgRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.events
	r.events = nil
	return e
}

// ServeHTTP is the container endpoint.
func (r *cfgRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.add("container " + req.Host + " " + req.URL.Path + " authorization=" + req.Header.Get("Authorization"))
	ak, secret, token := cfgFakeCreds("container")
	json.NewEncoder(w).Encode(map[string]string{"AccessKeyId": ak, "SecretAccessKey": secret, "Token": token, "Expiration": cfgFakeExpiry})
}

// Do is the SDK's HTTP client.
func (r *cfgRecorder) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	reply := func(status int, contentType, s string, header ...string) (*http.Response, error) {
		h := http.Header{"Content-Type": {contentType}, "X-Amzn-Requestid": {"req-1"}}
		for i := 0; i+1 < len(header); i += 2 {
			h.Set(header[i], header[i+1])
		}
		return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(s)), Request: req}, nil
	}
	host, path := req.URL.Host, req.URL.Path
	switch {
	case path == "/latest/api/token":
		r.add("IMDS " + host + " " + req.Method + " " + path)
		return reply(200, "text/plain", "imds-token", "X-Aws-Ec2-Metadata-Token-Ttl-Seconds", "21600")
	case path == "/latest/meta-data/iam/security-credentials/":
		r.add("IMDS " + host + " " + req.Method + " " + path)
		return reply(200, "text/plain", "fake-role\n")
	case path == "/latest/meta-data/iam/security-credentials/fake-role":
		r.add("IMDS " + host + " " + req.Method + " " + path)
		ak, secret, token := cfgFakeCreds("imds")
		js, _ := json.Marshal(map[string]string{"Code": "Success", "AccessKeyId": ak, "SecretAccessKey": secret, "Token": token, "Expiration": cfgFakeExpiry})
		return reply(200, "application/json", string(js))
	case path == "/federation/credentials":
		q := req.URL.Query()
		r.add("SSO " + host + " account=" + q.Get("account_id") + " role=" + q.Get("role_name") + " bearer=" + req.Header.Get("X-Amz-Sso_bearer_token"))
		ak, secret, token := cfgFakeCreds("sso:" + q.Get("account_id") + ":" + q.Get("role_name"))
		js, _ := json.Marshal(map[string]any{"roleCredentials": map[string]any{"accessKeyId": ak, "secretAccessKey": secret,
			"sessionToken": token, "expiration": time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()}})
		return reply(200, "application/json", string(js))
	case req.Method == http.MethodPost && (path == "/" || path == ""):
		form, _ := url.ParseQuery(string(body))
		action := form.Get("Action")
		session := form.Get("RoleSessionName")
		if strings.HasPrefix(session, "aws-go-sdk-") || action == "AssumeRoleWithWebIdentity" && strings.Trim(session, "0123456789") == "" {
			session = ""
		}
		by := ""
		if _, cred, ok := strings.Cut(req.Header.Get("Authorization"), "Credential="); ok {
			by, _, _ = strings.Cut(cred, "/")
		}
		r.add(cfgSTSEvent(host, action, form.Get("RoleArn"), session, form.Get("ExternalId"), form.Get("DurationSeconds"), form.Get("WebIdentityToken"), by))
		ak, secret, token := cfgFakeCreds(form.Get("RoleArn"))
		xml := "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + action + "Result><Credentials>" +
			"<AccessKeyId>" + ak + "</AccessKeyId><SecretAccessKey>" + secret + "</SecretAccessKey><SessionToken>" + token + "</SessionToken>" +
			"<Expiration>" + cfgFakeExpiry + "</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>" +
			"<AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser></" + action + "Result></" + action + "Response>"
		return reply(200, "text/xml", xml)
	}
	r.add("unexpected " + req.Method + " " + req.URL.String())
	return reply(404, "text/plain", "not found")
}

// cfgWriteTokens writes the SSO and login caches at the paths detach's plan
// names.
func cfgWriteTokens(t *testing.T, sc cfgScenario, plan *signer.AWSCredentialPlan) {
	t.Helper()
	if sc.ssoToken && plan.Base.SSO != nil {
		cfgWrite(t, plan.Base.SSO.TokenCacheFile, `{"accessToken":"sso-access-token","expiresAt":"`+cfgFakeExpiry+`"}`)
	}
	if sc.loginToken && plan.Base.Login != nil {
		cfgWrite(t, plan.Base.Login.CacheFile, `{"accessToken":{"accessKeyId":"AKIDLOGIN","secretAccessKey":"`+cfgSecret+
			`","sessionToken":"logintoken","accountId":"1","expiresAt":"`+cfgFakeExpiry+`"},"refreshToken":"r","clientId":"c","dpopKey":"k"}`)
	}
}

// cfgProviderType names the provider inside the SDK's credentials cache.
func cfgProviderType(cfg aws.Config) string {
	if c, ok := cfg.Credentials.(*aws.CredentialsCache); ok {
		for _, p := range []aws.CredentialsProvider{&endpointcreds.Provider{}} {
			if c.IsCredentialsProvider(p) {
				return fmt.Sprintf("%T", p)
			}
		}
	}
	return fmt.Sprintf("%T", cfg.Credentials)
}

func cfgWrite(t *testing.T, path, data string) {
	t.Helper()
	if data == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// cfgClearEnv unsets every AWS_ variable for the test.
func cfgClearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "AWS_") {
			t.Setenv(name, "")
			if err := os.Unsetenv(name); err != nil {
				t.Fatal(err)
			}
		}
	}
}
