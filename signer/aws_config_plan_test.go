package signer

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestAWSCredentialPlan runs the chain of aws-sdk-go-v2's
// resolveCredentialChain over file and environment combinations: each case
// pins one rule of the order, the profile switch, source_profile chains or
// the AssumeRole layers.
func TestAWSCredentialPlan(t *testing.T) {
	t.Parallel()
	envKeys := map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": v4TestSecret,
		"AWS_SESSION_TOKEN": v4TestToken, "AWS_ACCOUNT_ID": "111122223333"}
	envCreds := AWSCredentials{AccessKeyID: "AKIDENV", SecretAccessKey: v4TestSecret, SessionToken: v4TestToken, Source: "environment"}
	envStep := AWSCredentialStep{Kind: AWSKindEnvironment, Static: &AWSStaticStep{Credentials: envCreds, AccountID: "111122223333"}}
	defaultKeys := "[default]\n" + cfgKeys("AKIDDEFAULT")
	tests := []struct {
		name    string
		in      cfgInput
		want    *AWSCredentialPlan
		wantErr string
	}{
		// The order of the chain.
		{name: "nothing configured: IMDS", want: cfgPlan("default", cfgIMDS("default"))},
		{
			name: "environment keys with token and account",
			in:   cfgInput{env: envKeys, credentials: defaultKeys},
			want: cfgPlan("default", envStep),
		},
		{
			name: "fallback names AWS_ACCESS_KEY and AWS_SECRET_KEY",
			in:   cfgInput{env: map[string]string{"AWS_ACCESS_KEY": "AKIDOLD", "AWS_SECRET_KEY": v4TestSecret, "AWS_ACCESS_KEY_ID": ""}},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindEnvironment, Static: &AWSStaticStep{
				Credentials: AWSCredentials{AccessKeyID: "AKIDOLD", SecretAccessKey: v4TestSecret, Source: "environment"}}}),
		},
		{
			name: "half an environment key pair is ignored, so is its token",
			in:   cfgInput{env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SESSION_TOKEN": v4TestToken}, credentials: defaultKeys},
			want: cfgPlan("default", cfgStatic("default", cfgCreds("AKIDDEFAULT", "default", cfgCredsPath))),
		},
		{
			name: "environment keys beat web identity",
			in:   cfgInput{env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": v4TestSecret, "AWS_WEB_IDENTITY_TOKEN_FILE": "/t"}},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindEnvironment, Static: &AWSStaticStep{
				Credentials: AWSCredentials{AccessKeyID: "AKIDENV", SecretAccessKey: v4TestSecret, Source: "environment"}}}),
		},
		{
			name: "environment web identity beats the profile",
			in: cfgInput{env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/irsa",
				"AWS_ROLE_SESSION_NAME": "pod"}, credentials: defaultKeys},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindWebIdentity, WebIdentity: &AWSWebIdentityStep{
				TokenFile: "/var/run/token", RoleARN: "arn:aws:iam::1:role/irsa", RoleSessionName: "pod"}}),
		},
		{
			name:    "environment web identity needs AWS_ROLE_ARN",
			in:      cfgInput{env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"}},
			wantErr: "aws config: AWS_ROLE_ARN: must be set with AWS_WEB_IDENTITY_TOKEN_FILE",
		},
		{
			name: "a profile chosen in code skips the environment",
			in:   cfgInput{env: envKeys, credentials: "[ci]\n" + cfgKeys("AKIDCI"), profile: "ci"},
			want: cfgPlan("ci", cfgStatic("ci", cfgCreds("AKIDCI", "ci", cfgCredsPath))),
		},

		// Static keys and the merge of the two files.
		{
			name: "keys in the config file's [default]",
			in:   cfgInput{config: defaultKeys},
			want: cfgPlan("default", cfgStatic("default", cfgCreds("AKIDDEFAULT", "default", cfgConfigPath))),
		},
		{
			name: "the credentials file's keys beat the config file's",
			in:   cfgInput{config: "[profile dev]\n" + cfgKeys("AKIDCONFIG"), credentials: "[dev]\n" + cfgKeys("AKIDCREDS"), env: map[string]string{"AWS_PROFILE": "dev"}},
			want: cfgPlan("dev", cfgStatic("dev", cfgCreds("AKIDCREDS", "dev", cfgCredsPath))),
		},
		{
			name: "session token and account ID",
			in:   cfgInput{credentials: "[default]\n" + cfgKeys("AKID") + "aws_session_token = " + v4TestToken + "\naws_account_id = 123456789012\n"},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindProfile, Profile: "default", Static: &AWSStaticStep{
				Credentials: AWSCredentials{AccessKeyID: "AKID", SecretAccessKey: v4TestSecret, SessionToken: v4TestToken,
					Source: "profile default in " + cfgCredsPath}, AccountID: "123456789012"}}),
		},
		{
			name:    "partial keys in the credentials file",
			in:      cfgInput{credentials: "[default]\naws_access_key_id = AKID\n"},
			wantErr: "aws config profile default: aws_access_key_id: aws_access_key_id and aws_secret_access_key must be set together (partial credentials)",
		},
		{
			name:    "an empty secret still counts as present: partial only when a key is absent",
			in:      cfgInput{credentials: "[default]\naws_access_key_id = AKID\naws_secret_access_key =\n"},
			want:    cfgPlan("default", cfgIMDS("default")),
			wantErr: "",
		},
		{
			name: "partial keys in the config file are forgiven when the credentials file has the profile",
			in:   cfgInput{config: "[default]\naws_access_key_id = AKID\n", credentials: "[default]\nregion = eu-west-1\n"},
			want: cfgPlan("default", cfgIMDS("default")),
		},

		// source_profile chains.
		{
			name: "role from a source profile's keys",
			in: cfgInput{config: "[profile dev]\nrole_arn = arn:aws:iam::1:role/dev\nsource_profile = base\nexternal_id = ext\nrole_session_name = me\n",
				credentials: "[base]\n" + cfgKeys("AKIDBASE"), env: map[string]string{"AWS_PROFILE": "dev"}},
			want: cfgPlan("dev", cfgStatic("base", cfgCreds("AKIDBASE", "base", cfgCredsPath)),
				AWSAssumeRoleStep{Profile: "dev", RoleARN: "arn:aws:iam::1:role/dev", ExternalID: "ext", RoleSessionName: "me"}),
		},
		{
			name: "two roles, innermost first",
			in: cfgInput{config: "[profile a]\nrole_arn = A\nsource_profile = b\n[profile b]\nrole_arn = B\nsource_profile = c\n[profile c]\n" + cfgKeys("AKIDC"),
				env: map[string]string{"AWS_PROFILE": "a"}},
			want: cfgPlan("a", cfgStatic("c", cfgCreds("AKIDC", "c", cfgConfigPath)), cfgRole("b", "B"), cfgRole("a", "A")),
		},
		{
			name: "a profile may be its own source: its keys, then its role",
			in:   cfgInput{credentials: "[default]\nrole_arn = R\nsource_profile = default\n" + cfgKeys("AKIDSELF")},
			want: cfgPlan("default", cfgStatic("default", cfgCreds("AKIDSELF", "default", cfgCredsPath)), cfgRole("default", "R")),
		},
		{
			name: "a loop back to a profile with keys uses its keys",
			in: cfgInput{config: "[profile a]\nrole_arn = A\nsource_profile = b\n" + cfgKeys("AKIDA") + "[profile b]\nrole_arn = B\nsource_profile = a\n",
				env: map[string]string{"AWS_PROFILE": "a"}},
			want: cfgPlan("a", cfgStatic("a", cfgCreds("AKIDA", "a", cfgConfigPath)), cfgRole("b", "B"), cfgRole("a", "A")),
		},
		{
			name: "a loop without credentials",
			in: cfgInput{config: "[profile a]\nrole_arn = A\nsource_profile = b\n[profile b]\nrole_arn = B\nsource_profile = c\n[profile c]\nrole_arn = C\nsource_profile = a\n",
				env: map[string]string{"AWS_PROFILE": "a"}},
			wantErr: "aws config profile c: source_profile: source_profile loops back to a, which has no credentials of its own (a -> b -> c -> a)",
		},
		{
			name: "a source profile with keys and a role assumes its role too",
			in: cfgInput{config: "[profile top]\nrole_arn = T\nsource_profile = mid\n[profile mid]\nrole_arn = M\n" + cfgKeys("AKIDMID"),
				env: map[string]string{"AWS_PROFILE": "top"}},
			want: cfgPlan("top", cfgStatic("mid", cfgCreds("AKIDMID", "mid", cfgConfigPath)), cfgRole("mid", "M"), cfgRole("top", "T")),
		},
		{
			name:    "missing source profile",
			in:      cfgInput{config: "[default]\nrole_arn = R\nsource_profile = nope\n"},
			wantErr: "aws config profile default: source_profile: source profile nope does not exist",
		},
		{
			name:    "source profile without credentials",
			in:      cfgInput{config: "[default]\nrole_arn = R\nsource_profile = empty\n[profile empty]\nregion = us-east-1\n"},
			wantErr: "aws config profile default: source_profile: source profile empty has no credentials",
		},
		{
			name:    "login_session does not make a source profile",
			in:      cfgInput{config: "[default]\nrole_arn = R\nsource_profile = l\n[profile l]\nlogin_session = arn:aws:iam::1:user/u\n"},
			wantErr: "aws config profile default: source_profile: source profile l has no credentials",
		},
		{
			name: "source_profile wins over the profile's own keys",
			in:   cfgInput{credentials: "[default]\nrole_arn = R\nsource_profile = b\n" + cfgKeys("AKIDOWN") + "[b]\n" + cfgKeys("AKIDB")},
			want: cfgPlan("default", cfgStatic("b", cfgCreds("AKIDB", "b", cfgCredsPath)), cfgRole("default", "R")),
		},

		// credential_source.
		{
			name: "credential_source Ec2InstanceMetadata",
			in:   cfgInput{config: "[default]\nrole_arn = R\ncredential_source = Ec2InstanceMetadata\n"},
			want: cfgPlan("default", cfgIMDS("default"), cfgRole("default", "R")),
		},
		{
			name: "credential_source Environment with keys, profile chosen in code",
			in:   cfgInput{config: "[profile p]\nrole_arn = R\ncredential_source = Environment\n", env: envKeys, profile: "p"},
			want: cfgPlan("p", AWSCredentialStep{Kind: AWSKindEnvironment, Profile: "p", Static: envStep.Static}, cfgRole("p", "R")),
		},
		{
			name: "credential_source Environment without keys: an empty step the executor refuses",
			in:   cfgInput{config: "[default]\nrole_arn = R\ncredential_source = Environment\n"},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindEnvironment, Profile: "default", Static: &AWSStaticStep{}}, cfgRole("default", "R")),
		},
		{
			name: "credential_source EcsContainer",
			in: cfgInput{config: "[default]\nrole_arn = R\ncredential_source = EcsContainer\n",
				env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/creds"}},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindContainer, Profile: "default",
				Container: &AWSContainerStep{URL: "http://169.254.170.2/v2/creds"}}, cfgRole("default", "R")),
		},
		{
			name:    "credential_source EcsContainer without a container URI",
			in:      cfgInput{config: "[default]\nrole_arn = R\ncredential_source = EcsContainer\n"},
			wantErr: "aws config profile default: credential_source: EcsContainer needs AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI",
		},
		{
			name:    "unknown credential_source (values are case-sensitive)",
			in:      cfgInput{config: "[default]\nrole_arn = R\ncredential_source = environment\n"},
			wantErr: "aws config profile default: credential_source: must be EcsContainer, Ec2InstanceMetadata or Environment",
		},
		{
			name:    "source_profile needs role_arn",
			in:      cfgInput{config: "[default]\nsource_profile = b\n[profile b]\n" + cfgKeys("AKIDB")},
			wantErr: "aws config profile default: source_profile: requires role_arn",
		},
		{
			name:    "credential_source needs role_arn",
			in:      cfgInput{config: "[default]\ncredential_source = Environment\n"},
			wantErr: "aws config profile default: credential_source: requires role_arn",
		},
		{
			name:    "web_identity_token_file needs role_arn",
			in:      cfgInput{config: "[default]\nweb_identity_token_file = /t\n"},
			wantErr: "aws config profile default: web_identity_token_file: requires role_arn",
		},
		{
			name:    "two credential types",
			in:      cfgInput{config: "[default]\nrole_arn = R\ncredential_source = Environment\ncredential_process = /bin/creds\n"},
			wantErr: "aws config profile default: only one of source_profile, credential_source, credential_process and web_identity_token_file may be set",
		},

		// Web identity, SSO, login, process, container and IMDS from a profile.
		{
			name: "web identity profile: its role_arn is not assumed again",
			in:   cfgInput{config: "[default]\nrole_arn = W\nweb_identity_token_file = /t\nrole_session_name = s\n"},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindWebIdentity, Profile: "default",
				WebIdentity: &AWSWebIdentityStep{TokenFile: "/t", RoleARN: "W", RoleSessionName: "s"}}),
		},
		{
			name: "web identity as a source profile",
			in:   cfgInput{config: "[default]\nrole_arn = T\nsource_profile = w\n[profile w]\nrole_arn = W\nweb_identity_token_file = /t\n"},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindWebIdentity, Profile: "w",
				WebIdentity: &AWSWebIdentityStep{TokenFile: "/t", RoleARN: "W"}}, cfgRole("default", "T")),
		},
		{
			name: "keys beat credential_process in the same profile",
			in:   cfgInput{config: "[default]\ncredential_process = /bin/creds\n" + cfgKeys("AKID")},
			want: cfgPlan("default", cfgStatic("default", cfgCreds("AKID", "default", cfgConfigPath))),
		},
		{
			name: "credential_process with a role",
			in:   cfgInput{config: "[default]\ncredential_process = /bin/creds --profile \"x y\"\nrole_arn = R\n"},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindProcess, Profile: "default",
				Process: &AWSProcessStep{Command: `/bin/creds --profile "x y"`}}, cfgRole("default", "R")),
		},
		{
			name: "login_session",
			in:   cfgInput{config: "[default]\nlogin_session = arn:aws:iam::0123456789012:user/Admin\n"},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindLogin, Profile: "default", Login: &AWSLoginStep{
				Session: "arn:aws:iam::0123456789012:user/Admin",
				// hex SHA-256 of the session, as logincreds computes it.
				CacheFile: cfgHome + "/.aws/login/cache/36db1d138ff460920374e4c3d8e01f53f9f73537e89c88d639f68393df0e2726.json"}}),
		},
		{
			name: "login_session with AWS_LOGIN_CACHE_DIRECTORY and unrestricted permissions",
			in: cfgInput{config: "[default]\nlogin_session = arn:aws:iam::0123456789012:user/Admin\n",
				env: map[string]string{"AWS_LOGIN_CACHE_DIRECTORY": "/cache", "AWS_RESTRICT_FILE_PERMISSIONS": "Unrestricted"}},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindLogin, Profile: "default", Login: &AWSLoginStep{
				Session:   "arn:aws:iam::0123456789012:user/Admin",
				CacheFile: "/cache/36db1d138ff460920374e4c3d8e01f53f9f73537e89c88d639f68393df0e2726.json", UnrestrictedFilePermissions: true}}),
		},
		{
			name: "sso beats login_session and credential_process",
			in: cfgInput{config: "[default]\nlogin_session = l\ncredential_process = p\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n" +
				"sso_account_id = 111122223333\nsso_role_name = Admin\n"},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindSSO, Profile: "default", SSO: &AWSSSOStep{
				StartURL: "https://x.awsapps.com/start", Region: "eu-west-1", AccountID: "111122223333", RoleName: "Admin",
				// hex SHA-1 of the start URL, as ssocreds computes it for the legacy form.
				TokenCacheFile: cfgHome + "/.aws/sso/cache/3947de8b16688092197fa616c34e01335f21d256.json"}}),
		},
		{
			name: "sso_session",
			in: cfgInput{config: "[default]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = us-east-1\n" +
				"[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\nsso_registration_scopes = sso:account:access, x ,\n"},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindSSO, Profile: "default", SSO: &AWSSSOStep{
				SessionName: "corp", StartURL: "https://corp.awsapps.com/start", Region: "eu-west-1", AccountID: "111122223333", RoleName: "Admin",
				RegistrationScopes: []string{"sso:account:access", "x"},
				// hex SHA-1 of "corp".
				TokenCacheFile: cfgHome + "/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"}}),
		},
		{
			name:    "sso_session without its section",
			in:      cfgInput{config: "[default]\nsso_session = corp\n"},
			wantErr: "aws config profile default: sso_session: no [sso-session corp] section",
		},
		{
			name:    "sso-session section without region and start URL",
			in:      cfgInput{config: "[default]\nsso_session = corp\n[sso-session corp]\n"},
			wantErr: "aws config profile default: sso_region, sso_start_url: missing from [sso-session corp]",
		},
		{
			name: "a profile's sso_region must match its session's",
			in: cfgInput{config: "[default]\nsso_session = corp\nsso_region = us-east-1\n" +
				"[sso-session corp]\nsso_region = eu-west-1\nsso_start_url = https://corp.awsapps.com/start\n"},
			wantErr: "aws config profile default: sso_region: must match the sso_region of [sso-session corp]",
		},
		{
			name:    "legacy SSO incomplete",
			in:      cfgInput{config: "[default]\nsso_start_url = https://x.awsapps.com/start\nsso_role_name = Admin\n"},
			wantErr: "aws config profile default: sso_region, sso_account_id: missing: the profile is configured for SSO",
		},
		{
			name: "container relative URI beats the full URI, with both tokens",
			in: cfgInput{env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://10.0.0.1/x",
				"AWS_CONTAINER_AUTHORIZATION_TOKEN": v4TestToken, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/var/run/token"}},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindContainer, Profile: "default", Container: &AWSContainerStep{
				URL: "http://169.254.170.2/creds", AuthToken: v4TestToken, AuthTokenFile: "/var/run/token"}}),
		},
		{
			name: "a profile's credential_process beats the container",
			in:   cfgInput{config: "[default]\ncredential_process = p\n", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/creds"}},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindProcess, Profile: "default", Process: &AWSProcessStep{Command: "p"}}),
		},
		{
			name: "IMDS settings from the environment and the profile",
			in: cfgInput{config: "[default]\nec2_metadata_service_endpoint = http://profile\nec2_metadata_service_endpoint_mode = ipv6\nec2_metadata_v1_disabled = TRUE\n",
				env: map[string]string{"AWS_EC2_METADATA_DISABLED": "True", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://[::1]:1338"}},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindIMDS, Profile: "default", IMDS: &AWSIMDSConfig{
				Disabled: true, Endpoint: "http://[::1]:1338", EndpointMode: "IPv6", V1Disabled: true}}),
		},
		{
			name: "IMDS environment mode and v1 switch beat the profile",
			in: cfgInput{config: "[default]\nec2_metadata_service_endpoint_mode = IPv6\nec2_metadata_v1_disabled = true\n",
				env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": " IPV4 ", "AWS_EC2_METADATA_V1_DISABLED": "false", "AWS_EC2_METADATA_DISABLED": "1"}},
			want: cfgPlan("default", AWSCredentialStep{Kind: AWSKindIMDS, Profile: "default", IMDS: &AWSIMDSConfig{EndpointMode: "IPv4"}}),
		},

		// AssumeRole options.
		{
			name: "duration_seconds counts above 15 whole minutes, in Go integer syntax",
			in: cfgInput{config: "[profile a]\nrole_arn = A\nsource_profile = b\nduration_seconds = 0x3c0\nmfa_serial = arn:aws:iam::1:mfa/u\n" +
				"[profile b]\nrole_arn = B\nsource_profile = c\nduration_seconds = 959\n" +
				"[profile c]\nrole_arn = C\nsource_profile = d\nduration_seconds = forever\n[profile d]\n" + cfgKeys("AKIDD"),
				env: map[string]string{"AWS_PROFILE": "a"}},
			want: cfgPlan("a", cfgStatic("d", cfgCreds("AKIDD", "d", cfgConfigPath)), cfgRole("c", "C"), cfgRole("b", "B"),
				AWSAssumeRoleStep{Profile: "a", RoleARN: "A", Duration: 960 * time.Second, MFASerial: "arn:aws:iam::1:mfa/u"}),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := cfgLoad(tc.in)
			if err == nil {
				var plan *AWSCredentialPlan
				plan, err = c.CredentialPlan()
				if err == nil {
					if diff := cmp.Diff(tc.want, plan, cfgPlanOpts); diff != "" {
						t.Errorf("plan (-want +got):\n%s", diff)
					}
				}
			}
			cfgCheckErr(t, err, tc.wantErr)
		})
	}
}
