package sdkcompare

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer/huaweicreds"
)

const (
	authURL = "https://iam.eu-de.otc.t-systems.com/v3"
	// authPassword is the emulator's OTC user in clouds.yaml, with the
	// project of region eu-de by name.
	authPassword = `
clouds:
  otc:
    auth:
      auth_url: ` + authURL + `
      username: ` + fakecloud.OTCUserName + `
      password: ` + fakecloud.OTCPassword + `
      user_domain_name: ` + fakecloud.OTCDomainName + `
      project_name: ` + fakecloud.OTCRegion + `
    region_name: ` + fakecloud.OTCRegion + `
`
	// authKeys is the emulator's OTC key pair with its domain's ID and
	// the project's ID.
	authKeys = `
clouds:
  keys:
    auth:
      auth_url: ` + authURL + `
      ak: ` + fakecloud.OTCAK + `
      sk: ` + fakecloud.OTCSK + `
      domain_id: ` + fakecloud.OTCDomainID + `
      project_id: ` + fakecloud.OTCProjectID + `
    region_name: ` + fakecloud.OTCRegion + `
`
	// authAgency is the emulator's OTC agency, in clouds.yaml's keys.
	authAgency = `      target_agency_name: ` + fakecloud.OTCAgencyName + `
      target_domain_id: ` + fakecloud.OTCAgencyDomainName + `
      target_project_name: ` + fakecloud.OTCRegion + `
`
)

// withAuth adds lines to the auth block of the first cloud of a clouds.yaml.
func withAuth(yaml, lines string) string {
	return strings.Replace(yaml, "    region_name:", lines+"    region_name:", 1)
}

// authEnv is a password setup in OS_* variables, plus extra pairs.
func authEnv(extra ...string) map[string]string {
	m := map[string]string{
		"OS_AUTH_URL": authURL, "OS_USERNAME": fakecloud.OTCUserName, "OS_PASSWORD": fakecloud.OTCPassword,
		"OS_USER_DOMAIN_NAME": fakecloud.OTCDomainName, "OS_PROJECT_NAME": fakecloud.OTCRegion,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// authScenario is one comparison of the requests to IAM. Without why, both
// sides send the same requests (or both fail). With why, fix turns
// gophertelekomcloud's requests into detach's and must change them; the
// difference is listed in README.md.
type authScenario struct {
	name  string
	files map[string]string // as cloudsScenario's; $TOKEN is a token the emulator issued
	env   map[string]string
	arg   string

	sdkErr, oursErr string

	why string
	fix func([]iamCall) []iamCall
}

var authScenarios = []authScenario{
	{
		name:  "password, project by name, user domain by name",
		files: map[string]string{"$WORK/clouds.yaml": authPassword},
		env:   map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name:  "password, project by ID",
		files: map[string]string{"$WORK/clouds.yaml": strings.Replace(authPassword, "project_name: "+fakecloud.OTCRegion, "project_id: "+fakecloud.OTCProjectID, 1)},
		env:   map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name:  "password, domain by ID",
		files: map[string]string{"$WORK/clouds.yaml": strings.Replace(authPassword, "user_domain_name: "+fakecloud.OTCDomainName, "domain_id: "+fakecloud.OTCDomainID, 1)},
		env:   map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name: "token",
		env:  map[string]string{"OS_AUTH_URL": authURL, "OS_TOKEN": "$TOKEN", "OS_PROJECT_ID": fakecloud.OTCProjectID},
		why:  "gophertelekomcloud first validates a given token (GET /v3/auth/tokens); detach uses it as it is, and a 401 from the service is the check",
		fix:  dropTokenCheck,
	},
	{
		name:  "AK/SK with domain and project IDs",
		files: map[string]string{"$WORK/clouds.yaml": authKeys},
		env:   map[string]string{"OS_CLOUD": "keys"},
	},
	{
		name:  "AK/SK with a project name",
		files: map[string]string{"$WORK/clouds.yaml": strings.Replace(authKeys, "project_id: "+fakecloud.OTCProjectID, "project_name: "+fakecloud.OTCRegion2, 1)},
		env:   map[string]string{"OS_CLOUD": "keys"},
	},
	{
		name:  "AK/SK with a domain name",
		files: map[string]string{"$WORK/clouds.yaml": strings.Replace(authKeys, "domain_id: "+fakecloud.OTCDomainID, "domain_name: "+fakecloud.OTCDomainName, 1)},
		env:   map[string]string{"OS_CLOUD": "keys"},
		why: "gophertelekomcloud looks the domain's ID up at once (GET /v3/auth/domains?name=) to send X-Domain-Id; detach's keys carry the project ID, " +
			"and a client that needs the domain ID (identitycenter) looks it up when it first needs it",
		fix: func(calls []iamCall) []iamCall {
			return slices.DeleteFunc(calls, func(c iamCall) bool { return c.Path == "/v3/auth/domains" })
		},
	},
	{
		name:  "password with an agency in clouds.yaml",
		files: map[string]string{"$WORK/clouds.yaml": withAuth(authPassword, authAgency)},
		env:   map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name: "password with an agency from the variables, scoped to the agency's domain",
		env:  authEnv("OS_AGENCY_NAME", fakecloud.OTCAgencyName, "OS_AGENCY_DOMAIN_NAME", fakecloud.OTCAgencyDomainName),
	},
	{
		name: "token with an agency",
		env: map[string]string{"OS_AUTH_URL": authURL, "OS_TOKEN": "$TOKEN", "OS_AGENCY_NAME": fakecloud.OTCAgencyName,
			"OS_AGENCY_DOMAIN_NAME": fakecloud.OTCAgencyDomainName, "OS_DELEGATED_PROJECT": fakecloud.OTCRegion},
	},
	{
		name:  "AK/SK with an agency, the caller's domain by ID",
		files: map[string]string{"$WORK/clouds.yaml": withAuth(authKeys, authAgency)},
		env:   map[string]string{"OS_CLOUD": "keys"},
	},
	{
		name: "AK/SK with an agency, the caller's domain by name, no delegated project",
		files: map[string]string{"$WORK/clouds.yaml": withAuth(strings.Replace(authKeys, "domain_id: "+fakecloud.OTCDomainID,
			"domain_name: "+fakecloud.OTCDomainName, 1), strings.Replace(authAgency, "      target_project_name: "+fakecloud.OTCRegion+"\n", "", 1))},
		env: map[string]string{"OS_CLOUD": "keys"},
	},
	{
		name: "temporary keys (security_token) with an agency",
		files: map[string]string{"$WORK/clouds.yaml": withAuth(strings.NewReplacer("ak: "+fakecloud.OTCAK, "ak: $AK",
			"sk: "+fakecloud.OTCSK, "sk: $SK\n      security_token: $ST").Replace(authKeys), authAgency)},
		env: map[string]string{"OS_CLOUD": "keys"},
	},
	{
		name: "secure.yaml fills the password and loses to clouds.yaml",
		files: map[string]string{
			"$WORK/clouds.yaml": strings.Replace(authPassword, "      password: "+fakecloud.OTCPassword+"\n", "", 1),
			"$HOME/.config/openstack/secure.yaml": "clouds: {otc: {auth: {password: " + fakecloud.OTCPassword +
				", username: mallory}}}",
		},
		env: map[string]string{"OS_CLOUD": "otc"},
	},
	{
		name: "OS_CLOUD picks one of two clouds",
		files: map[string]string{"$WORK/clouds.yaml": authPassword + strings.TrimPrefix(authKeys, "\nclouds:\n"),
			"$OTHER/unused": ""},
		env: map[string]string{"OS_CLOUD": "keys"},
	},
	{
		name:  "the variables fill what clouds.yaml leaves out",
		files: map[string]string{"$WORK/clouds.yaml": strings.Replace(authPassword, "      project_name: "+fakecloud.OTCRegion+"\n", "", 1)},
		env:   authEnv("OS_CLOUD", "otc", "OS_PROJECT_ID", fakecloud.OTCProjectID2, "OS_USERNAME", "mallory"),
	},
	{
		name: "the otc profile: the auth URL from the region",
		files: map[string]string{"$WORK/clouds.yaml": `
clouds:
  prod:
    profile: otc
    auth: {username: ` + fakecloud.OTCUserName + `, password: ` + fakecloud.OTCPassword + `, domain_name: ` +
			fakecloud.OTCDomainName + `, project_name: ` + fakecloud.OTCRegion2 + `}
`},
		env: map[string]string{"OS_CLOUD": "prod"},
	},
	{
		name: "the variables alone, AK/SK with an agency",
		env: map[string]string{"OS_AUTH_URL": authURL, "OS_ACCESS_KEY": fakecloud.OTCAK, "OS_SECRET_KEY": fakecloud.OTCSK,
			"OS_DOMAIN_ID": fakecloud.OTCDomainID, "OS_AGENCY_NAME": fakecloud.OTCAgencyName,
			"OS_AGENCY_DOMAIN_NAME": fakecloud.OTCAgencyDomainName, "OS_DELEGATED_PROJECT": fakecloud.OTCRegion},
	},
	{
		name:    "a wrong password: both are refused after the same request",
		files:   map[string]string{"$WORK/clouds.yaml": strings.Replace(authPassword, "password: "+fakecloud.OTCPassword, "password: wrong", 1)},
		env:     map[string]string{"OS_CLOUD": "otc"},
		sdkErr:  "401",
		oursErr: "401",
	},
	{
		name: "AK/SK with an agency but no domain: both refuse, detach before any request",
		files: map[string]string{"$WORK/clouds.yaml": withAuth(strings.Replace(authKeys, "      domain_id: "+fakecloud.OTCDomainID+"\n", "", 1),
			authAgency)},
		env:     map[string]string{"OS_CLOUD": "keys"},
		sdkErr:  "must config domain name",
		oursErr: "Cloud.DomainName",
	},
}

func TestOTCAuthRequestsAgainstGophertelekomcloud(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns two processes per scenario")
	}
	same, differ := 0, 0
	for _, sc := range authScenarios {
		t.Run(sc.name, func(t *testing.T) {
			cloud := fakecloud.New()
			srv := cloud.StartAt(fakecloud.OTCIAM)
			t.Cleanup(srv.Close)
			ts, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{Endpoint: srv.URL, OTC: true,
				UserName: fakecloud.OTCUserName, Password: fakecloud.OTCPassword, DomainName: fakecloud.OTCDomainName,
				ProjectID: fakecloud.OTCProjectID})
			if err != nil {
				t.Fatal(err)
			}
			tok, err := ts.Token(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			keys := temporaryKeys(t, srv.URL, tok.Value)
			dirs, env := writeScenario(t, sc.files, sc.env, map[string]string{"$TOKEN": tok.Value,
				"$AK": keys.Access, "$SK": keys.Secret, "$ST": keys.SecurityToken})
			env[authAddrEnv] = strings.TrimPrefix(srv.URL, "http://")
			if sc.arg != "" {
				env["SDKCOMPARE_CLOUD_ARG"] = sc.arg
			}
			var results [2]authChildResult
			var calls [2][]iamCall
			for i, side := range []string{"sdk", "ours"} {
				cloud.ClearServiceRequests()
				results[i] = runAuthChild(t, side, dirs["$WORK"], dirs["$HOME"], env)
				calls[i] = iamCalls(cloud.ServiceRequests(), tok.Value, keys.Access)
			}
			sdk, ours := results[0], results[1]
			errorsAsExpected(t, sdk.Err, ours.Err, sc.sdkErr, sc.oursErr)
			if len(ours.Hosts) > 0 && !cmp.Equal(sdk.Hosts, ours.Hosts) {
				t.Errorf("hosts: gophertelekomcloud %q, detach %q", sdk.Hosts, ours.Hosts)
			}
			want, _ := normalizeSDK(calls[0])
			if sc.fix != nil {
				orig := want
				want = sc.fix(want)
				if cmp.Equal(want, orig) {
					t.Errorf("the documented difference does not show: the fix changes nothing")
				}
			}
			if d := cmp.Diff(want, calls[1]); d != "" {
				t.Errorf("detach's IAM requests differ from gophertelekomcloud's (-want +detach):\n%s", d)
			}
			countScenario(t, sc.why, &same, &differ)
		})
	}
	t.Logf("%d scenarios send the same requests, %d differ as documented", same, differ)
}

// dropTokenCheck removes gophertelekomcloud's validation of the given
// token.
func dropTokenCheck(calls []iamCall) []iamCall {
	return slices.DeleteFunc(calls, func(c iamCall) bool {
		return c.Method == "GET" && c.Path == "/v3/auth/tokens" && c.SubjectToken == "given"
	})
}

// tempKeys are temporary keys as IAM gives them.
type tempKeys struct {
	Access, Secret string
	SecurityToken  string `json:"securitytoken"`
}

// temporaryKeys gets temporary keys of the emulator's OTC user for token
// (POST /v3.0/OS-CREDENTIAL/securitytokens, "token" method), for the
// scenarios that put them in clouds.yaml.
func temporaryKeys(t *testing.T, iam, token string) tempKeys {
	t.Helper()
	body := `{"auth":{"identity":{"methods":["token"],"token":{"id":"` + token + `"}}}}`
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, iam+"/v3.0/OS-CREDENTIAL/securitytokens", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct{ Credential tempKeys }
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("temporary keys: status %d, %v", resp.StatusCode, err)
	}
	return doc.Credential
}
