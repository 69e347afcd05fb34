package cloudsyaml

import (
	"errors"
	"strings"
	"testing"

	"github.com/detach-go/detach/signer"
	"github.com/google/go-cmp/cmp"
)

const (
	iamEUDE = "https://iam.eu-de.otc.t-systems.com/v3"
	account = "OTC-EU-DE-00000000001"

	// otcYAML is a typical clouds.yaml with a password cloud.
	otcYAML = `
clouds:
  otc:
    auth:
      auth_url: ` + iamEUDE + `
      username: alice
      password: pw-FILE
      user_domain_name: ` + account + `
      project_name: eu-de_proj
    region_name: eu-de
`
)

// alice is what otcYAML's cloud "otc" resolves to, read from file.
func alice(file string) Cloud {
	return Cloud{
		Name: "otc", Files: Files{Clouds: file},
		AuthURL: iamEUDE, Username: "alice", Password: "pw-FILE", DomainName: account,
		ProjectName: "eu-de_proj", Region: "eu-de",
	}
}

func with(c Cloud, f func(*Cloud)) Cloud { f(&c); return c }

// envAlice is a complete password setup in OS_* variables.
var envAlice = map[string]string{
	"OS_AUTH_URL": iamEUDE, "OS_USERNAME": "env-user", "OS_PASSWORD": "pw-ENV",
	"OS_DOMAIN_NAME": account, "OS_PROJECT_NAME": "eu-de_envproj",
}

type loadCase struct {
	name  string
	files map[string]string // path (with placeholders) -> content
	env   map[string]string
	cloud string // Options.Cloud
	want  Cloud  // Files paths with placeholders

	errIs    error  // errors.Is target
	errFile  string // a *FileError for this path (placeholders allowed)
	errLine  int    // and this line (0: not checked)
	errField string // a *FieldError for this field
}

func merge(a, b map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range a {
		m[k] = v
	}
	for k, v := range b {
		m[k] = v
	}
	return m
}

var searchCases = []loadCase{
	{
		name:  "working directory",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML},
		env:   map[string]string{"OS_CLOUD": "otc"},
		want:  alice("$WORK/clouds.yaml"),
	},
	{
		name:  "home .config/openstack, .yml",
		files: map[string]string{"$HOME/.config/openstack/clouds.yml": otcYAML},
		env:   map[string]string{"OS_CLOUD": "otc"},
		want:  alice("$HOME/.config/openstack/clouds.yml"),
	},
	{
		name: "system directory, JSON read as YAML",
		files: map[string]string{"$SYS/clouds.json": `{"clouds": {"otc": {"region_name": "eu-de", "auth": {
			"auth_url": "` + iamEUDE + `", "username": "alice", "password": "pw-FILE",
			"user_domain_name": "` + account + `", "project_name": "eu-de_proj"}}}}`},
		env:  map[string]string{"OS_CLOUD": "otc"},
		want: alice("$SYS/clouds.json"),
	},
	{
		name: "working directory before home before system",
		files: map[string]string{
			"$WORK/clouds.yaml":                   otcYAML,
			"$HOME/.config/openstack/clouds.yaml": strings.ReplaceAll(otcYAML, "alice", "bob"),
			"$SYS/clouds.yaml":                    strings.ReplaceAll(otcYAML, "alice", "carol"),
		},
		env:  map[string]string{"OS_CLOUD": "otc"},
		want: alice("$WORK/clouds.yaml"),
	},
	{
		name: "home before system",
		files: map[string]string{
			"$HOME/.config/openstack/clouds.yaml": otcYAML,
			"$SYS/clouds.yaml":                    strings.ReplaceAll(otcYAML, "alice", "carol"),
		},
		env:  map[string]string{"OS_CLOUD": "otc"},
		want: alice("$HOME/.config/openstack/clouds.yaml"),
	},
	{
		name: ".yaml before .yml before .json in one directory",
		files: map[string]string{
			"$WORK/clouds.yaml": otcYAML,
			"$WORK/clouds.yml":  strings.ReplaceAll(otcYAML, "alice", "bob"),
			"$WORK/clouds.json": `{}`,
		},
		env:  map[string]string{"OS_CLOUD": "otc"},
		want: alice("$WORK/clouds.yaml"),
	},
	{
		name: "OS_CLIENT_CONFIG_FILE before the search",
		files: map[string]string{
			"$OTHER/mine.yaml":  otcYAML,
			"$WORK/clouds.yaml": strings.ReplaceAll(otcYAML, "alice", "bob"),
		},
		env:  map[string]string{"OS_CLOUD": "otc", "OS_CLIENT_CONFIG_FILE": "$OTHER/mine.yaml"},
		want: alice("$OTHER/mine.yaml"),
	},
	{
		name: "a relative OS_CLIENT_CONFIG_FILE is relative to the working directory",
		files: map[string]string{
			"$WORK/conf/mine.yaml": otcYAML,
			"$WORK/clouds.yaml":    strings.ReplaceAll(otcYAML, "alice", "bob"),
		},
		env:  map[string]string{"OS_CLOUD": "otc", "OS_CLIENT_CONFIG_FILE": "conf/mine.yaml"},
		want: alice("$WORK/conf/mine.yaml"),
	},
	{
		name:  "OS_CLIENT_CONFIG_FILE naming a missing file falls through to the search",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML},
		env:   map[string]string{"OS_CLOUD": "otc", "OS_CLIENT_CONFIG_FILE": "$OTHER/missing.yaml"},
		want:  alice("$WORK/clouds.yaml"),
	},
	{
		name:  "Options.Cloud beats OS_CLOUD",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML + "  other:\n    auth: {auth_url: https://x.example/v3}\n"},
		env:   map[string]string{"OS_CLOUD": "other"},
		cloud: "otc",
		want:  alice("$WORK/clouds.yaml"),
	},
}

var mergeCases = []loadCase{
	{
		name: "secure.yaml fills the gaps of clouds.yaml and loses where both are set",
		files: map[string]string{
			"$WORK/clouds.yaml": strings.ReplaceAll(otcYAML, "      password: pw-FILE\n", ""),
			"$HOME/.config/openstack/secure.yaml": `
clouds:
  otc:
    auth:
      password: pw-SECURE
      username: mallory
`,
		},
		env: map[string]string{"OS_CLOUD": "otc"},
		want: with(alice("$WORK/clouds.yaml"), func(c *Cloud) {
			c.Password = "pw-SECURE"
			c.Files.Secure = "$HOME/.config/openstack/secure.yaml"
		}),
	},
	{
		name: "OS_CLIENT_SECURE_FILE, found independently of clouds.yaml",
		files: map[string]string{
			"$SYS/clouds.yaml":   strings.ReplaceAll(otcYAML, "      password: pw-FILE\n", ""),
			"$WORK/secure.yaml":  "clouds: {otc: {auth: {password: wrong}}}",
			"$OTHER/secret.yaml": "clouds: {otc: {auth: {password: pw-SECURE}}}",
		},
		env: map[string]string{"OS_CLOUD": "otc", "OS_CLIENT_SECURE_FILE": "$OTHER/secret.yaml"},
		want: with(alice("$SYS/clouds.yaml"), func(c *Cloud) {
			c.Password = "pw-SECURE"
			c.Files.Secure = "$OTHER/secret.yaml"
		}),
	},
	{
		name: "a cloud only in secure.yaml is ignored",
		files: map[string]string{
			"$WORK/clouds.yaml": otcYAML,
			"$WORK/secure.yaml": "clouds: {ghost: {auth: {auth_url: " + iamEUDE + ", token: tok-FILE}}}",
		},
		env:   map[string]string{"OS_CLOUD": "ghost"},
		errIs: ErrCloudNotFound,
	},
	{
		name:  "clouds.yaml beats the variables, field by field; the variables fill the gaps",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML},
		env: merge(envAlice, map[string]string{
			"OS_CLOUD": "otc", "OS_REGION_NAME": "eu-nl", "OS_PROJECT_ID": "env-project-id",
			"OS_INTERFACE": "internal",
		}),
		want: with(alice("$WORK/clouds.yaml"), func(c *Cloud) {
			c.ProjectID = "env-project-id"
			c.Interface = "internal"
		}),
	},
	{
		name: "the variables complete a partial entry",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  otc:
    auth:
      auth_url: ` + iamEUDE + `
      username: alice
`},
		env: map[string]string{
			"OS_CLOUD": "otc", "OS_PASSWORD": "pw-ENV", "OS_USER_DOMAIN_NAME": account,
			"OS_TENANT_NAME": "eu-de_proj",
		},
		want: with(alice("$WORK/clouds.yaml"), func(c *Cloud) { c.Password = "pw-ENV" }),
	},
	{
		name: "the built-in otc profile, chosen by profile",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  prod:
    profile: otc
    auth: {username: alice, password: pw-FILE, domain_name: ` + account + `, project_name: eu-nl_test}
`},
		env: map[string]string{"OS_CLOUD": "prod"},
		want: Cloud{
			Name: "prod", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: "https://iam.eu-nl.otc.t-systems.com/v3", Username: "alice", Password: "pw-FILE",
			DomainName: account, ProjectName: "eu-nl_test", Region: "eu-nl", Interface: "public",
		},
	},
	{
		name: "the built-in otc profile, chosen by the cloud key; region_name fills the placeholder",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  prod:
    cloud: otc
    region_name: eu-de
    auth: {ak: AKFILE, sk: sk-FILE, project_id: pid}
`},
		env: map[string]string{"OS_CLOUD": "prod"},
		want: Cloud{
			Name: "prod", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: iamEUDE, AccessKey: "AKFILE", SecretKey: "sk-FILE", ProjectID: "pid",
			Region: "eu-de", Interface: "public",
		},
	},
	{
		name: "clouds-public.yaml replaces the built-in profile",
		files: map[string]string{
			"$WORK/clouds.yaml": `
clouds:
  prod:
    profile: swiss
    auth: {token: tok-FILE}
    region_name: eu-ch2
`,
			"$HOME/.config/openstack/clouds-public.yaml": `
public-clouds:
  swiss:
    auth: {auth_url: "https://iam-pub.{region_name}.sc.otc.t-systems.com/v3"}
    interface: public
`,
		},
		env: map[string]string{"OS_CLOUD": "prod"},
		want: Cloud{
			Name: "prod", Files: Files{Clouds: "$WORK/clouds.yaml", Vendor: "$HOME/.config/openstack/clouds-public.yaml"},
			AuthURL: "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3", Token: "tok-FILE", Region: "eu-ch2", Interface: "public",
		},
	},
	{
		name: "with a clouds-public.yaml, the built-in otc profile is gone",
		files: map[string]string{
			"$WORK/clouds.yaml":  "clouds: {prod: {profile: otc, auth: {token: tok-FILE}, region_name: eu-de}}",
			"$OTHER/vendor.yaml": "public-clouds: {}",
		},
		env:      map[string]string{"OS_CLOUD": "prod", "OS_CLIENT_VENDOR_FILE": "$OTHER/vendor.yaml"},
		errField: "AuthURL",
	},
	{
		name: "the placeholder without a region",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds: {prod: {profile: otc, auth: {token: tok-FILE}}}
`},
		env:      map[string]string{"OS_CLOUD": "prod"},
		errField: "AuthURL",
	},
	{
		name: "the region from the project name, up to the first underscore",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds: {prod: {profile: otc, auth: {token: tok-FILE, project_name: eu-nl_a_b}}}
`},
		env: map[string]string{"OS_CLOUD": "prod"},
		want: Cloud{
			Name: "prod", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: "https://iam.eu-nl.otc.t-systems.com/v3", Token: "tok-FILE", ProjectName: "eu-nl_a_b",
			Region: "eu-nl", Interface: "public",
		},
	},
	{
		name: "a region derived from OS_PROJECT_NAME fills an empty region_name first (as gophertelekomcloud)",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds: {prod: {auth: {auth_url: ` + iamEUDE + `, token: tok-FILE, project_name: eu-nl_file}}}
`},
		env: map[string]string{"OS_CLOUD": "prod", "OS_PROJECT_NAME": "eu-de_env"},
		want: Cloud{
			Name: "prod", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: iamEUDE, Token: "tok-FILE", ProjectName: "eu-nl_file", Region: "eu-de",
		},
	},
	{
		name: "other top-level and cloud keys are ignored, whatever their shape",
		files: map[string]string{"$WORK/clouds.yaml": "cache: {expiration: {server: 5}}\nclient: [1, 2]\n" +
			strings.Replace(otcYAML, "    region_name: eu-de\n", "    region_name: eu-de\n    regions: [{name: eu-de, values: {}}]\n    identity_api_version: [3]\n", 1)},
		env:  map[string]string{"OS_CLOUD": "otc"},
		want: alice("$WORK/clouds.yaml"),
	},
	{
		name: "numbers and other scalars are read as the text written",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  "42":
    auth: {auth_url: ` + iamEUDE + `, user_id: 0123, password: 1.50, project_id: 0x1F}
`},
		env: map[string]string{"OS_CLOUD": "42"},
		want: Cloud{
			Name: "42", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: iamEUDE, UserID: "0123", Password: "1.50", ProjectID: "0x1F", Region: "",
		},
	},
}

var selectCases = []loadCase{
	{
		name:  "no cloud named: the variables alone, even with a one-cloud clouds.yaml",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML},
		env:   envAlice,
		want: Cloud{
			AuthURL: iamEUDE, Username: "env-user", Password: "pw-ENV", DomainName: account,
			ProjectName: "eu-de_envproj", Region: "eu-de",
		},
	},
	{
		name:  "no cloud named, no credential variable: not configured",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML},
		env:   map[string]string{"OS_REGION_NAME": "eu-de"},
		errIs: signer.ErrNoCredentials,
	},
	{
		name:  "a named cloud missing from clouds.yaml",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML},
		env:   merge(envAlice, map[string]string{"OS_CLOUD": "prod"}),
		errIs: ErrCloudNotFound,
	},
	{
		name:  "a named cloud and no clouds.yaml anywhere",
		env:   merge(envAlice, map[string]string{"OS_CLOUD": "otc"}),
		errIs: ErrCloudNotFound,
	},
	{
		name:  "an empty clouds.yaml",
		files: map[string]string{"$WORK/clouds.yaml": ""},
		env:   map[string]string{"OS_CLOUD": "otc"},
		errIs: ErrCloudNotFound,
	},
	{
		name:  "naming the variables' cloud (envvars)",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML},
		env:   merge(envAlice, map[string]string{"OS_CLOUD": "envvars"}),
		want: Cloud{
			Name: "envvars", AuthURL: iamEUDE, Username: "env-user", Password: "pw-ENV", DomainName: account,
			ProjectName: "eu-de_envproj", Region: "eu-de",
		},
	},
	{
		name:  "OS_CLOUD_NAME renames the variables' cloud",
		files: map[string]string{"$WORK/clouds.yaml": otcYAML},
		env:   merge(envAlice, map[string]string{"OS_CLOUD": "mine", "OS_CLOUD_NAME": "mine"}),
		want: Cloud{
			Name: "mine", AuthURL: iamEUDE, Username: "env-user", Password: "pw-ENV", DomainName: account,
			ProjectName: "eu-de_envproj", Region: "eu-de",
		},
	},
}

var envCases = []loadCase{
	{
		name: "AK/SK from the variables, with every alias",
		env: map[string]string{
			"OS_AUTH_URL": iamEUDE, "OS_AK": "AKENV", "OS_ACCESS_KEY_SECRET": "sk-ENV",
			"OS_AKSK_SECURITY_TOKEN": "st-ENV", "OS_TENANT_ID": "pid", "OS_REGION_ID": "eu-de",
		},
		want: Cloud{
			AuthURL: iamEUDE, AccessKey: "AKENV", SecretKey: "sk-ENV", SecurityToken: "st-ENV",
			ProjectID: "pid", Region: "eu-de",
		},
	},
	{
		name: "the first name of a list wins",
		env: map[string]string{
			"OS_AUTH_URL": iamEUDE, "OS_ACCESS_KEY": "AK1", "OS_ACCESS_KEY_ID": "AK2", "OS_AK": "AK3",
			"OS_SECRET_KEY": "sk-ENV", "OS_SK": "other", "OS_PROJECT_ID": "p1", "OS_TENANT_ID": "p2",
		},
		want: Cloud{AuthURL: iamEUDE, AccessKey: "AK1", SecretKey: "sk-ENV", ProjectID: "p1"},
	},
	{
		name: "AWS_* variables are not read (gophertelekomcloud reads them first)",
		env: map[string]string{
			"OS_AUTH_URL": iamEUDE, "AWS_ACCESS_KEY_ID": "AKIAAWS", "AWS_ACCESS_SECRET_KEY": "aws-secret",
			"AWS_SECURITY_TOKEN": "aws-token", "OS_ACCESS_KEY": "AKOTC", "OS_SECRET_KEY": "sk-ENV",
		},
		want: Cloud{AuthURL: iamEUDE, AccessKey: "AKOTC", SecretKey: "sk-ENV"},
	},
	{
		name: "OS_TOKEN_ID; OS_AUTH_TOKEN is not read",
		env:  map[string]string{"OS_AUTH_URL": iamEUDE, "OS_TOKEN_ID": "tok-ENV", "OS_AUTH_TOKEN": "unused"},
		want: Cloud{AuthURL: iamEUDE, Token: "tok-ENV"},
	},
	{
		name: "an agency from the variables; the region from the delegated project",
		env: merge(envAlice, map[string]string{
			"OS_PROJECT_NAME": "", "OS_AGENCY_NAME": "ops", "OS_AGENCY_DOMAIN_NAME": "OTC-EU-DE-00000000002",
			"OS_DELEGATED_PROJECT": "eu-nl_shared",
		}),
		want: Cloud{
			AuthURL: iamEUDE, Username: "env-user", Password: "pw-ENV", DomainName: account,
			AgencyName: "ops", AgencyDomainName: "OTC-EU-DE-00000000002", DelegatedProject: "eu-nl_shared", Region: "eu-nl",
		},
	},
	{
		name: "the legacy agency names; OS_TARGET_DOMAIN_NAME does not name the delegated project",
		env: merge(envAlice, map[string]string{
			"OS_TARGET_AGENCY_NAME": "ops", "OS_TARGET_DOMAIN_NAME": "OTC-EU-DE-00000000002",
		}),
		want: Cloud{
			AuthURL: iamEUDE, Username: "env-user", Password: "pw-ENV", DomainName: account,
			ProjectName: "eu-de_envproj", AgencyName: "ops", AgencyDomainName: "OTC-EU-DE-00000000002", Region: "eu-de",
		},
	},
	{
		name:     "an agency name without its domain",
		env:      merge(envAlice, map[string]string{"OS_AGENCY_NAME": "ops"}),
		errField: "AgencyDomainName",
	},
	{
		name: "user ID and the user-domain variable as a domain fallback",
		env: map[string]string{
			"OS_AUTH_URL": iamEUDE, "OS_USER_ID": "uid", "OS_PASSWORD": "pw-ENV",
			"OS_USER_DOMAIN_ID": "did", "OS_PROJECT_NAME": "eu-de",
		},
		want: Cloud{AuthURL: iamEUDE, UserID: "uid", Password: "pw-ENV", DomainID: "did", ProjectName: "eu-de", Region: "eu-de"},
	},
	{
		name: "OS_INSECURE=true turns verification off",
		env:  map[string]string{"OS_AUTH_URL": iamEUDE, "OS_TOKEN": "tok-ENV", "OS_INSECURE": "true", "OS_CA_CERT_FILE": "/ca.pem"},
		want: Cloud{AuthURL: iamEUDE, Token: "tok-ENV", Insecure: true, CACert: "/ca.pem"},
	},
	{
		name: "OS_INSECURE=TRUE does not (gophertelekomcloud compares exactly)",
		env:  map[string]string{"OS_AUTH_URL": iamEUDE, "OS_TOKEN": "tok-ENV", "OS_INSECURE": "TRUE"},
		want: Cloud{AuthURL: iamEUDE, Token: "tok-ENV"},
	},
}

var fileAuthCases = []loadCase{
	{
		name: "domain: the user's beats the project's beats domain_*; user_domain_id is a domain ID",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth:
      auth_url: ` + iamEUDE + `
      user_id: uid
      password: pw-FILE
      project_name: eu-de
      domain_name: d-name
      domain_id: d-id
      project_domain_name: pd-name
      project_domain_id: pd-id
      user_domain_id: ud-id
`},
		env: map[string]string{"OS_CLOUD": "a"},
		want: Cloud{
			Name: "a", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: iamEUDE, UserID: "uid", Password: "pw-FILE", DomainName: "pd-name", DomainID: "ud-id",
			ProjectName: "eu-de", Region: "eu-de",
		},
	},
	{
		name: "project_domain_* only apply with a project",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth: {auth_url: ` + iamEUDE + `, username: u, password: pw-FILE, domain_name: d-name, project_domain_name: pd-name}
`},
		env: map[string]string{"OS_CLOUD": "a"},
		want: Cloud{
			Name: "a", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: iamEUDE, Username: "u", Password: "pw-FILE", DomainName: "d-name",
		},
	},
	{
		name: "auth_type aksk clears the user, password and domain",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth_type: aksk
    auth: {auth_url: ` + iamEUDE + `, username: u, password: pw-FILE, domain_name: d, ak: AKFILE, sk: sk-FILE, security_token: st-FILE, project_name: eu-de}
`},
		env: map[string]string{"OS_CLOUD": "a"},
		want: Cloud{
			Name: "a", Files: Files{Clouds: "$WORK/clouds.yaml"}, AuthType: "aksk",
			AuthURL: iamEUDE, AccessKey: "AKFILE", SecretKey: "sk-FILE", SecurityToken: "st-FILE",
			ProjectName: "eu-de", Region: "eu-de",
		},
	},
	{
		name: "auth_type v3token selects the token and clears the user",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth_type: v3token
    auth: {auth_url: ` + iamEUDE + `, username: u, password: pw-FILE, token: tok-FILE, ak: AKFILE}
`},
		env: map[string]string{"OS_CLOUD": "a"},
		want: Cloud{
			Name: "a", Files: Files{Clouds: "$WORK/clouds.yaml"}, AuthType: "v3token",
			AuthURL: iamEUDE, Token: "tok-FILE", AccessKey: "AKFILE",
		},
	},
	{
		name: "an agency in clouds.yaml, with OTC's key names",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a:
    auth:
      auth_url: ` + iamEUDE + `
      token: tok-FILE
      target_agency_name: ops
      target_domain_id: OTC-EU-DE-00000000002
      target_project_name: eu-de_shared
`},
		env: map[string]string{"OS_CLOUD": "a"},
		want: Cloud{
			Name: "a", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: iamEUDE, Token: "tok-FILE", AgencyName: "ops", AgencyDomainName: "OTC-EU-DE-00000000002",
			DelegatedProject: "eu-de_shared", Region: "eu-de",
		},
	},
	{
		name: "verify: false in a file does not turn verification off; endpoint_type beats interface",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a: {verify: false, cacert: /ca.pem, endpoint_type: admin, interface: internal, auth: {auth_url: ` + iamEUDE + `, token: tok-FILE}}
`},
		env: map[string]string{"OS_CLOUD": "a"},
		want: Cloud{
			Name: "a", Files: Files{Clouds: "$WORK/clouds.yaml"},
			AuthURL: iamEUDE, Token: "tok-FILE", CACert: "/ca.pem", Interface: "admin",
		},
	},
	{
		name: "verify: true in a file beats OS_INSECURE",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  a: {verify: yes, auth: {auth_url: ` + iamEUDE + `, token: tok-FILE}}
`},
		env: map[string]string{"OS_CLOUD": "a", "OS_INSECURE": "1"},
		want: Cloud{
			Name: "a", Files: Files{Clouds: "$WORK/clouds.yaml"}, AuthURL: iamEUDE, Token: "tok-FILE",
		},
	},
}

var badFileCases = []loadCase{
	{
		name:    "a half-written clouds.yaml",
		files:   map[string]string{"$WORK/clouds.yaml": "clouds:\n  otc:\n    auth:\n      password: \"pw-FILE\n"},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$WORK/clouds.yaml",
		errLine: 4, // where the unterminated string starts
	},
	{
		name:    "a value of the wrong type",
		files:   map[string]string{"$WORK/clouds.yaml": "clouds:\n  otc:\n    auth:\n      password: [pw-FILE]\n"},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$WORK/clouds.yaml",
		errLine: 4,
	},
	{
		name:    "verify that is not a boolean",
		files:   map[string]string{"$WORK/clouds.yaml": "clouds:\n  otc:\n    verify: pw-FILE\n"},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$WORK/clouds.yaml",
		errLine: 3,
	},
	{
		name:    "a key given twice",
		files:   map[string]string{"$WORK/clouds.yaml": "clouds:\n  otc:\n    auth: {password: pw-FILE, password: pw-SECURE}\n"},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$WORK/clouds.yaml",
		errLine: 3,
	},
	{
		name:    "a list at the top",
		files:   map[string]string{"$WORK/clouds.yaml": "- pw-FILE\n"},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$WORK/clouds.yaml",
		errLine: 1,
	},
	{
		name:    "an unknown anchor",
		files:   map[string]string{"$WORK/clouds.yaml": "clouds:\n  otc: *pw-FILE\n"},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$WORK/clouds.yaml",
	},
	{
		name:    "larger than MaxFileSize",
		files:   map[string]string{"$WORK/clouds.yaml": otcYAML + "#" + strings.Repeat("x", MaxFileSize)},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$WORK/clouds.yaml",
	},
	{
		name:    "a directory named clouds.yaml",
		files:   map[string]string{"$WORK/clouds.yaml/": ""},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$WORK/clouds.yaml",
	},
	{
		name: "a broken secure.yaml",
		files: map[string]string{
			"$WORK/clouds.yaml":                   otcYAML,
			"$HOME/.config/openstack/secure.yaml": "clouds: {otc: {auth: {password: 'pw-SECURE}}}",
		},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$HOME/.config/openstack/secure.yaml",
	},
	{
		name: "a broken clouds-public.yaml",
		files: map[string]string{
			"$WORK/clouds.yaml":       otcYAML,
			"$SYS/clouds-public.yaml": "public-clouds: [",
		},
		env:     map[string]string{"OS_CLOUD": "otc"},
		errFile: "$SYS/clouds-public.yaml",
	},
	{
		name:  "a broken clouds.yaml is not read without a named cloud",
		files: map[string]string{"$WORK/clouds.yaml": "clouds: ["},
		env:   map[string]string{"OS_AUTH_URL": iamEUDE, "OS_TOKEN": "tok-ENV"},
		want:  Cloud{AuthURL: iamEUDE, Token: "tok-ENV"},
	},
}

func TestLoad(t *testing.T) {
	t.Parallel()
	groups := map[string][]loadCase{
		"search": searchCases, "merge": mergeCases, "select": selectCases,
		"env": envCases, "file auth": fileAuthCases, "bad files": badFileCases,
	}
	for group, cases := range groups {
		for _, tc := range cases {
			t.Run(group+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				tr := newTree(t)
				tr.write(t, tc.files)
				got, err := Load(tr.options(tc.cloud, tc.env))
				if err != nil {
					noSecrets(t, "error", err.Error())
				}
				wantErr := tc.errIs != nil || tc.errFile != "" || tc.errField != ""
				if !wantErr {
					if err != nil {
						t.Fatalf("Load: %v", err)
					}
					want := tc.want
					want.Files = Files{Clouds: tr.expand(want.Files.Clouds), Secure: tr.expand(want.Files.Secure), Vendor: tr.expand(want.Files.Vendor)}
					if d := cmp.Diff(want, got); d != "" {
						t.Errorf("Load (-want +got):\n%s", d)
					}
					return
				}
				if err == nil {
					t.Fatalf("Load = %v, want an error", got)
				}
				if d := cmp.Diff(Cloud{}, got); d != "" {
					t.Errorf("Load returned a cloud with its error (-want +got):\n%s", d)
				}
				if tc.errIs != nil && !errors.Is(err, tc.errIs) {
					t.Errorf("Load error %v, want errors.Is %v", err, tc.errIs)
				}
				if tc.errFile != "" {
					var fe *FileError
					if !errors.As(err, &fe) {
						t.Fatalf("Load error %v (%T), want a *FileError", err, err)
					}
					if fe.Path != tr.expand(tc.errFile) || (tc.errLine != 0 && fe.Line != tc.errLine) {
						t.Errorf("FileError at %s:%d, want %s:%d", fe.Path, fe.Line, tr.expand(tc.errFile), tc.errLine)
					}
				}
				if tc.errField != "" {
					var fe *FieldError
					if !errors.As(err, &fe) || fe.Field != tc.errField {
						t.Errorf("Load error %v, want a *FieldError for %s", err, tc.errField)
					}
				}
			})
		}
	}
}

// TestLoadDuplicateEnvCloud: a file cloud named like the variables' cloud
// is refused, as gophertelekomcloud refuses it.
func TestLoadDuplicateEnvCloud(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	tr.write(t, map[string]string{"$WORK/clouds.yaml": strings.Replace(otcYAML, "otc:", "envvars:", 1)})
	_, err := Load(tr.options("envvars", envAlice))
	if err == nil || !strings.Contains(err.Error(), `defines a cloud named "envvars"`) {
		t.Fatalf("Load error = %v, want the duplicate name refused", err)
	}
}
