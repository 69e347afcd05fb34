package signer

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// TestLoadAWSConfigProfiles pins profile selection and section naming:
// which profile is used, when a missing one is an error, and which sections
// of each file are profiles.
func TestLoadAWSConfigProfiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        cfgInput
		want      string // the access key of the profile found, or "" for none
		wantFound bool
		wantErr   string
	}{
		{name: "default", in: cfgInput{credentials: "[default]\n" + cfgKeys("AKIDDEF")}, want: "AKIDDEF", wantFound: true},
		{
			name: "AWS_PROFILE beats AWS_DEFAULT_PROFILE",
			in:   cfgInput{credentials: "[a]\n" + cfgKeys("AKIDA") + "[b]\n" + cfgKeys("AKIDB"), env: map[string]string{"AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"}},
			want: "AKIDA", wantFound: true,
		},
		{
			name: "AWS_DEFAULT_PROFILE",
			in:   cfgInput{credentials: "[a]\n" + cfgKeys("AKIDA") + "[b]\n" + cfgKeys("AKIDB"), env: map[string]string{"AWS_DEFAULT_PROFILE": "b"}},
			want: "AKIDB", wantFound: true,
		},
		{
			name: "code beats AWS_PROFILE",
			in:   cfgInput{credentials: "[a]\n" + cfgKeys("AKIDA") + "[b]\n" + cfgKeys("AKIDB"), env: map[string]string{"AWS_PROFILE": "a"}, profile: "b"},
			want: "AKIDB", wantFound: true,
		},
		{
			name:    "a missing profile named by AWS_PROFILE",
			in:      cfgInput{credentials: "[default]\n" + cfgKeys("AKIDDEF"), env: map[string]string{"AWS_PROFILE": "nope"}},
			wantErr: "aws config profile nope: AWS_PROFILE: profile not found in the shared config or credentials file",
		},
		{
			name:    "a missing profile named in code",
			in:      cfgInput{profile: "nope"},
			wantErr: "aws config profile nope: profile not found in the shared config or credentials file",
		},
		{
			name: "a missing profile named by AWS_DEFAULT_PROFILE counts as empty",
			in:   cfgInput{credentials: "[default]\n" + cfgKeys("AKIDDEF"), env: map[string]string{"AWS_DEFAULT_PROFILE": "nope"}},
		},
		{
			name: "[profile default] beats [default] in the config file",
			in:   cfgInput{config: "[default]\n" + cfgKeys("AKIDBARE") + "[profile default]\n" + cfgKeys("AKIDPREFIXED")},
			want: "AKIDPREFIXED", wantFound: true,
		},
		{
			name: "[profile x] beats a bare [x] that sorts after it",
			in:   cfgInput{config: "[x]\n" + cfgKeys("AKIDBARE") + "[profile x]\n" + cfgKeys("AKIDPREFIXED"), env: map[string]string{"AWS_PROFILE": "x"}},
			want: "AKIDPREFIXED", wantFound: true,
		},
		{
			name:    "a bare section other than default is not a profile in the config file",
			in:      cfgInput{config: "[dev]\n" + cfgKeys("AKIDDEV"), env: map[string]string{"AWS_PROFILE": "dev"}},
			wantErr: "aws config profile dev: AWS_PROFILE: profile not found in the shared config or credentials file",
		},
		{
			name: "[Default] is kept by the config file but is not default",
			in:   cfgInput{config: "[Default]\n" + cfgKeys("AKIDUPPER"), env: map[string]string{"AWS_PROFILE": "Default"}},
			want: "AKIDUPPER", wantFound: true,
		},
		{
			name:    "[profile x] is not a profile in the credentials file",
			in:      cfgInput{credentials: "[profile x]\n" + cfgKeys("AKIDX"), env: map[string]string{"AWS_PROFILE": "x"}},
			wantErr: "aws config profile x: AWS_PROFILE: profile not found in the shared config or credentials file",
		},
		{
			name: "[profile profile x] is profile \"profile x\" and takes [profile x] away, as the SDK's sorted walk does",
			in:   cfgInput{config: "[profile x]\n" + cfgKeys("AKIDX") + "[profile profile x]\n" + cfgKeys("AKIDPP"), env: map[string]string{"AWS_PROFILE": "profile x"}},
			want: "AKIDPP", wantFound: true,
		},
		{
			name: "AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, used verbatim",
			in: cfgInput{config: "[default]\n" + cfgKeys("AKIDHOME"), files: map[string]string{"~/c": "[default]\n" + cfgKeys("AKIDENVFILE")},
				env: map[string]string{"AWS_CONFIG_FILE": "~/c", "AWS_SHARED_CREDENTIALS_FILE": "/nowhere"}},
			want: "AKIDENVFILE", wantFound: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := cfgLoad(tc.in)
			if !cfgCheckErr(t, err, tc.wantErr) {
				return
			}
			got := ""
			if c.top != nil {
				got = c.top.creds.AccessKeyID
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("profile's access key (-want +got):\n%s", diff)
			}
			if c.ProfileFound != tc.wantFound {
				t.Errorf("ProfileFound = %v, want %v", c.ProfileFound, tc.wantFound)
			}
		})
	}
}

// TestLoadAWSConfigRefusals covers the values LoadAWSConfig refuses as the
// SDK refuses them while loading, and checks the messages quote no value.
func TestLoadAWSConfigRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      cfgInput
		wantErr string
	}{
		{name: "environment boolean", in: cfgInput{env: map[string]string{"AWS_USE_FIPS_ENDPOINT": v4TestSecret}},
			wantErr: "aws config: AWS_USE_FIPS_ENDPOINT: must be true or false"},
		{name: "environment boolean detach does not use", in: cfgInput{env: map[string]string{"AWS_S3_USE_ARN_REGION": "1"}},
			wantErr: "aws config: AWS_S3_USE_ARN_REGION: must be true or false"},
		{name: "the first refused variable in the SDK's order", in: cfgInput{env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "no", "AWS_DISABLE_REQUEST_COMPRESSION": "no"}},
			wantErr: "aws config: AWS_DISABLE_REQUEST_COMPRESSION: must be true or false"},
		{name: "AWS_MAX_ATTEMPTS", in: cfgInput{env: map[string]string{"AWS_MAX_ATTEMPTS": "0x3"}},
			wantErr: "aws config: AWS_MAX_ATTEMPTS: must be a decimal integer"},
		{name: "AWS_RETRY_MODE is case-sensitive", in: cfgInput{env: map[string]string{"AWS_RETRY_MODE": "Standard"}},
			wantErr: "aws config: AWS_RETRY_MODE: must be standard or adaptive"},
		{name: "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", in: cfgInput{env: map[string]string{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "v6"}},
			wantErr: "aws config: AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: must be IPv4 or IPv6"},
		{name: "AWS_DEFAULTS_MODE", in: cfgInput{env: map[string]string{"AWS_DEFAULTS_MODE": "fast"}},
			wantErr: "aws config: AWS_DEFAULTS_MODE: must be auto, cross-region, in-region, legacy, mobile or standard"},
		{name: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", in: cfgInput{env: map[string]string{"AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES": "10485761"}},
			wantErr: "aws config: AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: must be an integer from 0 to 10485760"},
		{name: "AWS_ACCOUNT_ID_ENDPOINT_MODE is case-sensitive", in: cfgInput{env: map[string]string{"AWS_ACCOUNT_ID_ENDPOINT_MODE": "Required"}},
			wantErr: "aws config: AWS_ACCOUNT_ID_ENDPOINT_MODE: must be preferred, required or disabled"},
		{name: "AWS_RESPONSE_CHECKSUM_VALIDATION", in: cfgInput{env: map[string]string{"AWS_RESPONSE_CHECKSUM_VALIDATION": "always"}},
			wantErr: "aws config: AWS_RESPONSE_CHECKSUM_VALIDATION: must be when_supported or when_required"},
		{name: "AWS_RESTRICT_FILE_PERMISSIONS", in: cfgInput{env: map[string]string{"AWS_RESTRICT_FILE_PERMISSIONS": "0600"}},
			wantErr: "aws config: AWS_RESTRICT_FILE_PERMISSIONS: must be user_read_write or unrestricted"},
		{name: "profile max_attempts", in: cfgInput{config: "[default]\nmax_attempts = " + v4TestSecret + "\n"},
			wantErr: "aws config profile default: max_attempts: must be an integer"},
		{name: "profile retry_mode, even empty", in: cfgInput{config: "[default]\nretry_mode =\n"},
			wantErr: "aws config profile default: retry_mode: must be standard or adaptive"},
		{name: "profile endpoint mode", in: cfgInput{config: "[default]\nec2_metadata_service_endpoint_mode = both\n"},
			wantErr: "aws config profile default: ec2_metadata_service_endpoint_mode: must be IPv4 or IPv6"},
		{name: "profile disable_request_compression is case-sensitive", in: cfgInput{config: "[default]\ndisable_request_compression = True\n"},
			wantErr: "aws config profile default: disable_request_compression: must be true or false (lower case)"},
		{name: "a source profile's values are checked too",
			in:      cfgInput{config: "[default]\nrole_arn = R\nsource_profile = b\n[profile b]\ndefaults_mode = fast\n" + cfgKeys("AK")},
			wantErr: "aws config profile b: defaults_mode: must be auto, cross-region, in-region, legacy, mobile or standard"},
		{name: "a profile that is not selected is not checked", in: cfgInput{config: "[profile other]\nmax_attempts = x\n"}},
		{name: "the chain is bounded", in: cfgInput{config: cfgLongChain(awsMaxProfileChain + 1)},
			wantErr: "aws config profile p64: source_profile: source_profile chain is longer than 64 profiles"},
		{name: "a chain at the bound is fine", in: cfgInput{config: cfgLongChain(awsMaxProfileChain)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := cfgLoad(tc.in)
			cfgCheckErr(t, err, tc.wantErr)
		})
	}
}

// cfgLongChain is a config file whose default profile is the head of a
// source_profile chain of n profiles, the last with keys.
func cfgLongChain(n int) string {
	var b strings.Builder
	b.WriteString("[default]\nrole_arn = R\nsource_profile = p1\n")
	for i := 1; i < n-1; i++ {
		b.WriteString("[profile p" + strconv.Itoa(i) + "]\nrole_arn = R\nsource_profile = p" + strconv.Itoa(i+1) + "\n")
	}
	b.WriteString("[profile p" + strconv.Itoa(n-1) + "]\n" + cfgKeys("AKIDLAST"))
	return b.String()
}

// TestLoadAWSConfigFiles reads real files: the default paths under the
// home directory, missing files, unreadable and oversized ones.
func TestLoadAWSConfigFiles(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".aws"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[default]\nregion = eu-west-1\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".aws", "credentials"), []byte("[default]\n"+cfgKeys("AKIDHOME")), 0o600))
	big := filepath.Join(home, "big")
	require.NoError(t, os.WriteFile(big, []byte("[default]\n"+strings.Repeat("#", AWSConfigMaxFileSize)), 0o600))
	atLimit := filepath.Join(home, "at-limit")
	require.NoError(t, os.WriteFile(atLimit, []byte("[default]\nregion = ap-east-1\n#"+strings.Repeat("#", AWSConfigMaxFileSize-30)), 0o600))
	homeFn := func() (string, error) { return home, nil }

	tests := []struct {
		name       string
		src        AWSConfigSource
		wantRegion string
		wantAK     string
		wantFiles  [2]string
		wantErr    string
	}{
		{
			name: "defaults under the home directory", src: AWSConfigSource{HomeDir: homeFn},
			wantRegion: "eu-west-1", wantAK: "AKIDHOME",
			wantFiles: [2]string{filepath.Join(home, ".aws", "config"), filepath.Join(home, ".aws", "credentials")},
		},
		{
			name: "missing files are empty", src: AWSConfigSource{HomeDir: homeFn, ConfigFile: filepath.Join(home, "none"), CredentialsFile: filepath.Join(home, "x", "none")},
			wantFiles: [2]string{filepath.Join(home, "none"), filepath.Join(home, "x", "none")},
		},
		{
			name: "unknown home directory: no default files", src: AWSConfigSource{HomeDir: func() (string, error) { return "", errors.New("no home") }},
		},
		{
			name: "a file at the size limit", src: AWSConfigSource{HomeDir: homeFn, ConfigFile: atLimit},
			wantRegion: "ap-east-1", wantAK: "AKIDHOME", wantFiles: [2]string{atLimit, filepath.Join(home, ".aws", "credentials")},
		},
		{
			name: "a directory is unreadable", src: AWSConfigSource{HomeDir: homeFn, CredentialsFile: home},
			wantErr: "aws config file " + home + ": cannot read: read: is a directory",
		},
		{
			name: "an oversized file", src: AWSConfigSource{HomeDir: homeFn, ConfigFile: big},
			wantErr: "aws config file " + big + ": larger than 1 MiB",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.src.LookupEnv = v4Env(nil)
			c, err := LoadAWSConfig(tc.src)
			if !cfgCheckErr(t, err, tc.wantErr) {
				return
			}
			plan, err := c.CredentialPlan()
			require.NoError(t, err)
			ak := ""
			if plan.Base.Static != nil {
				ak = plan.Base.Static.Credentials.AccessKeyID
			}
			got := struct {
				Region, AK string
				Files      [2]string
			}{c.Settings("STS").Region, ak, [2]string{c.ConfigFile, c.CredentialsFile}}
			want := struct {
				Region, AK string
				Files      [2]string
			}{tc.wantRegion, tc.wantAK, tc.wantFiles}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadAWSConfigProcessEnvironment uses the process environment and
// os.UserHomeDir, as a program would, so it cannot be parallel.
func TestLoadAWSConfigProcessEnvironment(t *testing.T) {
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".aws"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".aws", "config"), []byte("[profile ci]\nregion = sa-east-1\n"+cfgKeys("AKIDCI")), 0o600))
	t.Setenv("HOME", home)
	t.Setenv("AWS_PROFILE", "ci")
	for _, name := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"} {
		t.Setenv(name, "")
	}
	c, err := LoadAWSConfig(AWSConfigSource{})
	require.NoError(t, err)
	plan, err := c.CredentialPlan()
	require.NoError(t, err)
	got := []string{c.Settings("Route53Profiles").Region, plan.Base.Static.Credentials.AccessKeyID}
	if diff := cmp.Diff([]string{"sa-east-1", "AKIDCI"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
