package sdkcompare

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	otcIAM     = "https://iam.eu-de.otc.t-systems.com/v3"
	otcAccount = "OTC-EU-DE-00000000001"

	// passwordCloud is a typical clouds.yaml: one password cloud, "otc".
	passwordCloud = `
clouds:
  otc:
    auth:
      auth_url: ` + otcIAM + `
      username: alice
      password: file-password
      user_domain_name: ` + otcAccount + `
      project_name: eu-de_proj
    region_name: eu-de
`
)

// osPassword is a complete password setup in OS_* variables.
func osPassword(extra ...string) map[string]string {
	m := map[string]string{
		"OS_AUTH_URL": otcIAM, "OS_USERNAME": "env-user", "OS_PASSWORD": "env-password",
		"OS_DOMAIN_NAME": otcAccount, "OS_PROJECT_NAME": "eu-de_envproj",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// writeScenario makes the directories $WORK, $HOME and $OTHER in a
// temporary directory, writes files there ("$WORK/clouds.yaml" -> content)
// and returns the directories and env, with the placeholders in paths,
// contents and values replaced by the directories and by repl's values.
func writeScenario(t *testing.T, files, env, repl map[string]string) (dirs, outEnv map[string]string) {
	t.Helper()
	root := t.TempDir()
	dirs = map[string]string{
		"$WORK": filepath.Join(root, "work"), "$HOME": filepath.Join(root, "home"), "$OTHER": filepath.Join(root, "other"),
	}
	expand := func(s string) string {
		for k, v := range dirs {
			s = strings.ReplaceAll(s, k, v)
		}
		for k, v := range repl {
			s = strings.ReplaceAll(s, k, v)
		}
		return s
	}
	for _, d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range files {
		p := expand(name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(expand(content)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	outEnv = map[string]string{}
	for k, v := range env {
		outEnv[k] = expand(v)
	}
	return dirs, outEnv
}

// errorsAsExpected reports whether gophertelekomcloud's and detach's
// errors are as a scenario wants: containing wantSDK and wantOurs, or
// none where those are empty. It reports the first mismatch on t.
func errorsAsExpected(t *testing.T, sdkErr, oursErr, wantSDK, wantOurs string) bool {
	t.Helper()
	switch {
	case wantSDK != "" && !strings.Contains(sdkErr, wantSDK):
		t.Errorf("gophertelekomcloud: error %q, want one containing %q", sdkErr, wantSDK)
	case wantSDK == "" && sdkErr != "":
		t.Errorf("gophertelekomcloud failed: %s", sdkErr)
	case wantOurs != "" && !strings.Contains(oursErr, wantOurs):
		t.Errorf("detach: error %q, want one containing %q", oursErr, wantOurs)
	case wantOurs == "" && oursErr != "":
		t.Errorf("detach failed: %s", oursErr)
	default:
		return true
	}
	return false
}

// countScenario counts a scenario as agreeing, or as differing for why
// (logged).
func countScenario(t *testing.T, why string, same, differ *int) {
	if why == "" {
		*same++
		return
	}
	*differ++
	t.Logf("deliberate difference: %s", why)
}

// cloudsScenario is one comparison. Without why, both sides must agree:
// the same view, or both fail (with the error texts given). With why, the
// difference is deliberate (the package doc of signer/cloudsyaml lists it)
// and oursFix or oursErr says exactly what detach gives instead; the test
// also checks that the difference is real.
type cloudsScenario struct {
	name  string
	files map[string]string // "$WORK/...", "$HOME/...", "$OTHER/..." -> content
	env   map[string]string // placeholders expanded
	arg   string            // the cloud's name given in code

	sdkErr  string // gophertelekomcloud fails with an error containing this
	oursErr string // detach fails with an error containing this

	why     string
	oursFix func(*authView) // turns gophertelekomcloud's view into detach's
}

var cloudsScenarios = []cloudsScenario{
	{
		name:  "clouds.yaml in the working directory",
		files: map[string]string{"$WORK/clouds.yaml": passwordCloud},
		env:   map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name:  "clouds.yml in ~/.config/openstack",
		files: map[string]string{"$HOME/.config/openstack/clouds.yml": passwordCloud},
		env:   map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name: "the working directory before ~/.config/openstack",
		files: map[string]string{
			"$WORK/clouds.yaml":                   passwordCloud,
			"$HOME/.config/openstack/clouds.yaml": strings.ReplaceAll(passwordCloud, "alice", "bob"),
		},
		env: map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name: "OS_CLIENT_CONFIG_FILE before the search",
		files: map[string]string{
			"$OTHER/mine.yaml":  passwordCloud,
			"$WORK/clouds.yaml": strings.ReplaceAll(passwordCloud, "alice", "bob"),
		},
		env: map[string]string{"OS_CLOUD": "otc", "OS_CLIENT_CONFIG_FILE": "$OTHER/mine.yaml"},
	},
	{
		name: "secure.yaml fills the gaps and loses where both are set",
		files: map[string]string{
			"$WORK/clouds.yaml":                   strings.ReplaceAll(passwordCloud, "      password: file-password\n", ""),
			"$HOME/.config/openstack/secure.yaml": "clouds: {otc: {auth: {password: secure-password, username: mallory}}}",
		},
		env: map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name: "OS_CLIENT_SECURE_FILE",
		files: map[string]string{
			"$WORK/clouds.yaml":   strings.ReplaceAll(passwordCloud, "      password: file-password\n", ""),
			"$OTHER/secrets.yaml": "clouds: {otc: {auth: {password: secure-password}}}",
		},
		env: map[string]string{"OS_CLOUD": "otc", "OS_CLIENT_SECURE_FILE": "$OTHER/secrets.yaml"},
	},
	{
		name:  "clouds.yaml beats the variables field by field; they fill its gaps",
		files: map[string]string{"$WORK/clouds.yaml": passwordCloud},
		env:   osPassword("OS_CLOUD", "otc", "OS_PROJECT_ID", "env-project-id", "OS_REGION_NAME", "eu-nl", "OS_INTERFACE", "internal"),
	},
	{
		name:  "without OS_CLOUD, the variables alone, though clouds.yaml has one cloud",
		files: map[string]string{"$WORK/clouds.yaml": passwordCloud},
		env:   osPassword(),
	},
	{
		name: "the cloud named in code beats OS_CLOUD",
		files: map[string]string{"$WORK/clouds.yaml": passwordCloud + `
  other:
    auth: {auth_url: https://iam.eu-nl.otc.t-systems.com/v3, token: other-token}
`},
		env: map[string]string{"OS_CLOUD": "other"},
		arg: "otc",
	},
	{
		name: "AK/SK from the variables, with aliases and OS_REGION_ID",
		env: map[string]string{
			"OS_AUTH_URL": otcIAM, "OS_AK": "AKENV", "OS_ACCESS_KEY_SECRET": "env-sk",
			"OS_AKSK_SECURITY_TOKEN": "env-st", "OS_TENANT_ID": "pid", "OS_REGION_ID": "eu-de",
		},
	},
	{
		name: "the built-in otc profile: auth URL from the region, region from the project",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  prod:
    profile: otc
    auth: {username: alice, password: file-password, domain_name: ` + otcAccount + `, project_name: eu-nl_test}
`},
		env: map[string]string{"OS_CLOUD": "prod"},
	},
	{
		name: "a clouds-public.yaml profile chosen by the cloud key",
		files: map[string]string{
			"$WORK/clouds.yaml": "clouds: {prod: {cloud: swiss, region_name: eu-ch2, auth: {token: file-token}}}",
			"$OTHER/vendor.yaml": `
public-clouds:
  swiss:
    auth: {auth_url: "https://iam-pub.{region_name}.sc.otc.t-systems.com/v3"}
    interface: public
`,
		},
		env: map[string]string{"OS_CLOUD": "prod", "OS_CLIENT_VENDOR_FILE": "$OTHER/vendor.yaml"},
	},
	{
		name: "auth_type aksk clears the user and domain; the security token is kept",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth_type: aksk
    auth: {auth_url: ` + otcIAM + `, username: u, password: p, domain_name: d, ak: AKFILE, sk: file-sk, security_token: file-st, project_name: eu-de}
`},
		env: map[string]string{"OS_CLOUD": "a"},
	},
	{
		name: "an access key without auth_type selects AK/SK",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a: {auth: {auth_url: ` + otcIAM + `, ak: AKFILE, sk: file-sk, domain_name: d, project_id: pid}}
`},
		env: map[string]string{"OS_CLOUD": "a"},
	},
	{
		name: "auth_type v3token: the token, the user cleared",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth_type: v3token
    auth: {auth_url: ` + otcIAM + `, username: u, password: p, token: file-token, project_name: eu-de}
`},
		env: map[string]string{"OS_CLOUD": "a"},
	},
	{
		name: "an agency in clouds.yaml (target_agency_name, target_domain_id, target_project_name)",
		files: map[string]string{"$WORK/clouds.yaml": strings.Replace(passwordCloud, "    region_name: eu-de\n", `      target_agency_name: ops
      target_domain_id: OTC-EU-DE-00000000002
      target_project_name: eu-nl_shared
`, 1)},
		env: map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name: "an agency from the variables, current and legacy names; region from the delegated project",
		env: map[string]string{
			"OS_AUTH_URL": otcIAM, "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_DOMAIN_NAME": otcAccount,
			"OS_TARGET_AGENCY_NAME": "ops", "OS_AGENCY_DOMAIN_NAME": "OTC-EU-DE-00000000002", "OS_DELEGATED_PROJECT": "eu-nl_shared",
		},
	},
	{
		name: "the domain: the user's name beats the project's beats domain_name",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth: {auth_url: ` + otcIAM + `, username: u, password: p, project_name: eu-de, domain_name: dn, project_domain_name: pdn, user_domain_name: udn}
`},
		env: map[string]string{"OS_CLOUD": "a"},
	},
	{
		name: "the variables' domain and tenant fallbacks",
		env: map[string]string{
			"OS_AUTH_URL": otcIAM, "OS_USER_ID": "uid", "OS_PASSWORD": "p",
			"OS_PROJECT_DOMAIN_NAME": otcAccount, "OS_TENANT_NAME": "eu-de_t", "OS_TOKEN_ID": "",
		},
	},
	{
		name: "a region derived from OS_PROJECT_NAME fills the entry's empty region_name first",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds: {a: {auth: {auth_url: ` + otcIAM + `, token: file-token, project_name: eu-nl_file}}}
`},
		env: map[string]string{"OS_CLOUD": "a", "OS_PROJECT_NAME": "eu-de_env"},
	},
	{
		name: "verify: false in clouds.yaml does not turn verification off",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds: {a: {verify: false, auth: {auth_url: ` + otcIAM + `, token: file-token}}}
`},
		env: map[string]string{"OS_CLOUD": "a"},
	},
	{
		name:  "OS_INSECURE=1 under a named cloud turns it off",
		files: map[string]string{"$WORK/clouds.yaml": passwordCloud},
		env:   map[string]string{"OS_CLOUD": "otc", "OS_INSECURE": "1"},
	},
	{
		name:    "the region placeholder without a region: both refuse",
		files:   map[string]string{"$WORK/clouds.yaml": "clouds: {a: {profile: otc, auth: {token: file-token}}}"},
		env:     map[string]string{"OS_CLOUD": "a"},
		sdkErr:  "region placeholder found",
		oursErr: "AuthURL",
	},

	// Deliberate differences.
	{
		name:    "OS_CLOUD names a cloud that is not in clouds.yaml",
		files:   map[string]string{"$WORK/clouds.yaml": passwordCloud},
		env:     osPassword("OS_CLOUD", "prod"),
		why:     "gophertelekomcloud silently uses the variables alone; they may belong to another account",
		oursErr: "cloud not found",
	},
	{
		name: "user_domain_id and project_domain_id",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth: {auth_url: ` + otcIAM + `, user_id: uid, password: p, project_id: real-project, user_domain_id: udid}
`},
		env: map[string]string{"OS_CLOUD": "a"},
		why: "gophertelekomcloud writes user_domain_id into the project ID (scoping the token to a project whose ID is a domain's); detach reads it as the domain ID",
		oursFix: func(v *authView) {
			v.ProjectID, v.DomainID = "real-project", "udid"
		},
	},
	{
		name: "AWS_ACCESS_KEY_ID beside OS_ACCESS_KEY",
		env: map[string]string{
			"OS_AUTH_URL": otcIAM, "AWS_ACCESS_KEY_ID": "AKIAAWSKEY", "OS_ACCESS_KEY": "AKOTC", "OS_SECRET_KEY": "otc-sk",
			"OS_PROJECT_ID": "pid",
		},
		why:     "gophertelekomcloud reads the AWS key first and would pair it with the OTC secret; detach leaves AWS_* to AWS",
		oursFix: func(v *authView) { v.AccessKey = "AKOTC" },
	},
	{
		name: "OS_TARGET_DOMAIN_NAME without OS_DELEGATED_PROJECT",
		env: map[string]string{
			"OS_AUTH_URL": otcIAM, "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_DOMAIN_NAME": otcAccount, "OS_PROJECT_NAME": "eu-de",
			"OS_AGENCY_NAME": "ops", "OS_TARGET_DOMAIN_NAME": "OTC-EU-DE-00000000002",
		},
		why:     "gophertelekomcloud also takes the agency's domain as the delegated project (a project named after a domain)",
		oursFix: func(v *authView) { v.Delegated = "" },
	},
	{
		name:    "a half-written clouds.yaml",
		files:   map[string]string{"$WORK/clouds.yaml": "clouds:\n  otc:\n    auth:\n      password: \"file-pass\n"},
		env:     map[string]string{"OS_CLOUD": "otc"},
		why:     "gophertelekomcloud dereferences the nil result of its failed load and panics",
		sdkErr:  "panic",
		oursErr: "is not valid YAML",
	},
	{
		name: "a broken secure.yaml",
		files: map[string]string{
			"$WORK/clouds.yaml": passwordCloud,
			"$WORK/secure.yaml": "clouds: {otc: {auth: {password: [oops]}}}",
		},
		env:     map[string]string{"OS_CLOUD": "otc"},
		why:     "gophertelekomcloud logs and ignores it",
		oursErr: "wrong type",
	},
	{
		name:    "an agency name without its domain",
		files:   map[string]string{"$WORK/clouds.yaml": strings.Replace(passwordCloud, "    region_name: eu-de\n", "      target_agency_name: ops\n    region_name: eu-de\n", 1)},
		env:     map[string]string{"OS_CLOUD": "otc"},
		why:     "gophertelekomcloud quietly authenticates without the agency",
		oursErr: "AgencyDomainName",
	},
	{
		name:    "OS_INSECURE=1 with no clouds.yaml at all",
		env:     map[string]string{"OS_AUTH_URL": otcIAM, "OS_TOKEN": "env-token", "OS_INSECURE": "1"},
		why:     "gophertelekomcloud's cloud of the variables alone (read with the prefix envvars_) says verify: true first, so OS_INSECURE is ignored only when no clouds.yaml exists",
		oursFix: func(v *authView) { v.Insecure = true },
	},
}

func TestCloudsYAMLAgainstGophertelekomcloud(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process per scenario")
	}
	if _, err := os.Stat("/etc/openstack"); err == nil {
		t.Logf("note: /etc/openstack exists; both sides read it")
	}
	same, differ := 0, 0
	for _, sc := range cloudsScenarios {
		t.Run(sc.name, func(t *testing.T) {
			dirs, env := writeScenario(t, sc.files, sc.env, nil)
			if sc.arg != "" {
				env["SDKCOMPARE_CLOUD_ARG"] = sc.arg
			}
			r := runChild(t, dirs["$WORK"], dirs["$HOME"], env)

			switch {
			case !errorsAsExpected(t, r.SDKErr, r.OursErr, sc.sdkErr, sc.oursErr):
			case sc.why == "" && (sc.sdkErr == "") != (sc.oursErr == ""):
				t.Errorf("scenario without a documented difference expects one side only to fail")
			case r.SDK != nil && r.Ours != nil:
				want := *r.SDK
				if sc.oursFix != nil {
					sc.oursFix(&want)
					if want == *r.SDK {
						t.Errorf("the documented difference does not show: detach's fix changes nothing")
					}
				}
				if d := cmp.Diff(want, *r.Ours); d != "" {
					t.Errorf("detach differs from gophertelekomcloud (-want +detach):\n%s", d)
				}
			}
			countScenario(t, sc.why, &same, &differ)
		})
	}
	t.Logf("%d scenarios agree, %d differ as documented", same, differ)
}
