package signer

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The in-memory home directory of the configuration tests.
const cfgHome = "/home/u"

var (
	cfgConfigPath = filepath.Join(cfgHome, ".aws", "config")
	cfgCredsPath  = filepath.Join(cfgHome, ".aws", "credentials")
)

// cfgInput is one configuration scenario: files by path, the environment,
// and a profile chosen in code.
type cfgInput struct {
	config, credentials string            // the default files' contents; "" is a missing file
	files               map[string]string // more files by path
	env                 map[string]string
	profile             string
}

// cfgLoad runs LoadAWSConfig over in memory files.
func cfgLoad(in cfgInput) (*AWSConfig, error) {
	files := map[string]string{}
	for p, d := range in.files {
		files[p] = d
	}
	if in.config != "" {
		files[cfgConfigPath] = in.config
	}
	if in.credentials != "" {
		files[cfgCredsPath] = in.credentials
	}
	src := AWSConfigSource{LookupEnv: v4Env(in.env), HomeDir: func() (string, error) { return cfgHome, nil }, Profile: in.profile}
	return loadAWSConfig(src, func(path string) ([]byte, error) {
		d, ok := files[path]
		if !ok {
			return nil, nil
		}
		return []byte(d), nil
	})
}

// cfgKeys is a profile body with static keys whose access key is ak.
func cfgKeys(ak string) string {
	return "aws_access_key_id = " + ak + "\naws_secret_access_key = " + v4TestSecret + "\n"
}

// cfgCreds are the static credentials cfgKeys(ak) yields for profile in file.
func cfgCreds(ak, profile, file string) AWSCredentials {
	return AWSCredentials{AccessKeyID: ak, SecretAccessKey: v4TestSecret, Source: "profile " + profile + " in " + file}
}

func cfgStatic(profile string, c AWSCredentials) AWSCredentialStep {
	return AWSCredentialStep{Kind: AWSKindProfile, Profile: profile, Static: &AWSStaticStep{Credentials: c}}
}

func cfgIMDS(profile string) AWSCredentialStep {
	return AWSCredentialStep{Kind: AWSKindIMDS, Profile: profile, IMDS: &AWSIMDSConfig{}}
}

func cfgRole(profile, arn string) AWSAssumeRoleStep {
	return AWSAssumeRoleStep{Profile: profile, RoleARN: arn}
}

func cfgPlan(profile string, base AWSCredentialStep, roles ...AWSAssumeRoleStep) *AWSCredentialPlan {
	return &AWSCredentialPlan{Profile: profile, Base: base, AssumeRoles: roles}
}

// cfgPlanOpts compare plans without the clients' settings, which the
// settings tests cover.
var cfgPlanOpts = cmp.Options{
	cmpopts.IgnoreFields(AWSCredentialPlan{}, "STS"),
	cmpopts.IgnoreFields(AWSSSOStep{}, "Portal", "OIDC"),
	cmpopts.IgnoreFields(AWSLoginStep{}, "Signin"),
}

// cfgCheckErr checks err against want ("" for none) and that it is an
// *AWSConfigError without secrets.
func cfgCheckErr(t *testing.T, err error, want string) bool {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return true
	}
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
	if _, ok := err.(*AWSConfigError); !ok {
		t.Errorf("error is %T, want *AWSConfigError", err)
	}
	v4AssertNoSecret(t, err.Error(), nil)
	return false
}
