package signer

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// FuzzAWSCredentialPlan loads fuzzed config and credentials files under
// fuzzed environment switches and resolves the plan and settings: nothing
// panics, the chain stays within its bound, and neither errors nor
// renderings show a secret, unless the fuzzer copied the secret into a
// place that is not secret (a profile name, say).
func FuzzAWSCredentialPlan(f *testing.F) {
	f.Add("[default]\nrole_arn = R\nsource_profile = b\n[profile b]\n"+cfgKeys("AK")+"aws_session_token = "+v4TestToken+"\n",
		"[b]\n"+cfgKeys("AK2"), uint16(0))
	f.Add("[profile a]\nrole_arn = A\nsource_profile = b\n[profile b]\nrole_arn = B\nsource_profile = a\n", "", uint16(1))
	f.Add("[default]\nsso_session = s\nservices = x\n[sso-session s]\nsso_region = r\nsso_start_url = u\n[services x]\nsts =\n  endpoint_url = e\n",
		"[default]\naws_access_key_id = A\n", uint16(0xffff))
	f.Add("[default]\ncredential_source = EcsContainer\nrole_arn = R\nduration_seconds = 9223372037\n", "", uint16(4))
	f.Add("[default]\nlogin_session = l\ncredential_process = p\nmax_attempts = x\n", "[default]\n"+cfgKeys(v4TestSecret), uint16(8))
	f.Fuzz(func(t *testing.T, config, credentials string, switches uint16) {
		env := map[string]string{}
		// Each bit sets one variable, so the fuzzer explores the chain's order.
		vars := [][2]string{
			{"AWS_ACCESS_KEY_ID", "AKIDENV"}, {"AWS_SECRET_ACCESS_KEY", v4TestSecret}, {"AWS_SESSION_TOKEN", v4TestToken},
			{"AWS_PROFILE", "b"}, {"AWS_WEB_IDENTITY_TOKEN_FILE", "/t"}, {"AWS_ROLE_ARN", "R"},
			{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c"}, {"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://h/c"},
			{"AWS_CONTAINER_AUTHORIZATION_TOKEN", v4TestToken}, {"AWS_ENDPOINT_URL", "http://e"},
			{"AWS_USE_FIPS_ENDPOINT", "maybe"}, {"AWS_EC2_METADATA_DISABLED", "true"}, {"AWS_DEFAULT_PROFILE", "a"},
		}
		for i, v := range vars {
			if switches&(1<<i) != 0 {
				env[v[0]] = v[1]
			}
		}
		profile := ""
		if switches&(1<<15) != 0 {
			profile = "a"
		}
		c, err := cfgLoad(cfgInput{config: config, credentials: credentials, env: env, profile: profile})
		var outs []string
		if err == nil {
			var plan *AWSCredentialPlan
			plan, err = c.CredentialPlan()
			if plan != nil {
				if len(plan.AssumeRoles) > awsMaxProfileChain {
					t.Fatalf("%d AssumeRole steps", len(plan.AssumeRoles))
				}
				js, jerr := json.Marshal(plan)
				if jerr != nil {
					t.Fatalf("plan does not encode: %v", jerr)
				}
				outs = append(outs, string(js), plan.String())
				for _, verb := range []string{"%v", "%+v", "%#v", "%d", "%x"} {
					outs = append(outs, fmt.Sprintf(verb, plan), fmt.Sprintf(verb, *plan))
				}
			}
			for _, id := range []string{"STS", "Route53Profiles", "Customer Profiles"} {
				outs = append(outs, fmt.Sprintf("%#v", c.Settings(id)))
			}
			outs = append(outs, fmt.Sprintf("%v %+v %#v %x", c, c, *c, c))
		}
		if err != nil {
			outs = append(outs, err.Error())
		}
		for _, secret := range []string{v4TestSecret, v4TestToken} {
			if fuzzSecretElsewhere(config, secret) || fuzzSecretElsewhere(credentials, secret) {
				continue
			}
			for _, out := range outs {
				if strings.Contains(out, secret) {
					t.Fatalf("%q shows a secret", out)
				}
			}
		}
	})
}

// fuzzSecretElsewhere reports whether data holds secret anywhere but as the
// value of aws_secret_access_key or aws_session_token.
func fuzzSecretElsewhere(data, secret string) bool {
	sections, _ := awsParseINI([]byte(data), "f")
	asSecret := 0
	for _, s := range sections {
		for k, v := range s.values {
			if k == awsKeySecretAccessKey || k == awsKeySessionToken {
				asSecret += strings.Count(v.str, secret)
			}
		}
	}
	return strings.Count(data, secret) > asSecret
}
