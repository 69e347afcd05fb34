package sdkcompare

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
)

// hwcScenario is one row of the matrix. Values of env and files may name
// {dir} (the scenario's directory), {iam_http} and {iam_tls} (the
// emulator's IAM over plain http, for a profile's iam_endpoint, and over
// TLS) and {pod} (the pod identity URI). Every side also gets HOME={dir}/home and
// HUAWEICLOUD_SDK_IAM_ENDPOINT naming the emulator's IAM over TLS.
type hwcScenario struct {
	name   string
	global bool
	env    map[string]string
	files  map[string]string // path under {dir} → content; content "<dir>" makes a directory
	setup  func(c *fakecloud.Cloud)
	offECS bool          // the metadata address refuses connections
	adv    time.Duration // detach retrieves again after moving its clock this far
	want   string        // the source chosen; "" when both fail
	// A deliberate difference: readme is the phrase of README.md's entry
	// for it, ours what detach does given what the SDK did. The raw views
	// must differ (the difference shows) and ours(SDK) must equal detach's.
	readme string
	ours   func(sdk hwcView) hwcView
}

// The phrases of README.md's entries for the deliberate differences.
const (
	hwcContentTypeDifference = "securitytokens without Content-Type"
	hwcRetryDifference       = "IAM's 5xx during federation"
	hwcMarginDifference      = "less than 40 minutes left"
	hwcLookupDifference      = "looked up again for new keys"
)

// Fixtures.
const (
	hwcKeys     = "HUAWEICLOUD_SDK_AK"
	hwcSecret   = "HUAWEICLOUD_SDK_SK"
	hwcToken    = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
	hwcProject  = "HUAWEICLOUD_SDK_PROJECT_ID"
	hwcDomain   = "HUAWEICLOUD_SDK_DOMAIN_ID"
	hwcIdP      = "HUAWEICLOUD_SDK_IDP_ID"
	hwcIDToken  = "HUAWEICLOUD_SDK_ID_TOKEN_FILE"
	hwcProfile  = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
	hwcPodURI   = "HC_CONTAINER_CREDENTIALS_FULL_URI"
	hwcPodToken = "HC_CONTAINER_AUTHORIZATION_TOKEN_FILE"

	hwcProfileKeys = "[basic]\nak = " + fakecloud.HuaweiAK + "\nsk = " + fakecloud.HuaweiSK + "\nproject_id = " + fakecloud.HuaweiProjectID +
		"\n[global]\nak = " + fakecloud.HuaweiAK + "\nsk = " + fakecloud.HuaweiSK + "\ndomain_id = " + fakecloud.HuaweiDomainID + "\n"
)

// Environments used by several scenarios.
var (
	hwcEnvKeys = map[string]string{hwcKeys: fakecloud.HuaweiTempAK, hwcSecret: fakecloud.HuaweiTempSK,
		hwcToken: fakecloud.HuaweiSecurityToken}
	hwcEnvFed = map[string]string{hwcIdP: fakecloud.HuaweiIdPID, hwcIDToken: "{dir}/env_id_token"}
	hwcEnvPod = map[string]string{hwcPodURI: "{pod}", hwcPodToken: "{dir}/pod_token"}
	hwcFiles  = map[string]string{"env_id_token": fakecloud.IDTokenValue + "\n", "pod_token": fakecloud.PodIdentityToken + "\n",
		"profile_id_token": fakecloud.IDTokenValue}
)

// with merges maps, later ones winning.
func with(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func hwcScenarios() []hwcScenario {
	profileAt := func(content string) map[string]string {
		return with(hwcFiles, map[string]string{"credentials": content})
	}
	profileEnv := map[string]string{hwcProfile: "{dir}/credentials"}
	fedProfile := func(section, extra string) string {
		return "[" + section + "]\nidp_id = " + fakecloud.HuaweiIdPID + "\nid_token_file = {dir}/profile_id_token\n" + extra
	}
	noAgency := func(c *fakecloud.Cloud) { c.SetECSMetadata(fakecloud.ECSMetadataConfig{NoAgency: true}) }
	return []hwcScenario{
		// The environment.
		{name: "env keys with project", env: with(hwcEnvKeys, map[string]string{hwcProject: fakecloud.HuaweiProjectID}), want: "env"},
		{name: "env keys, project looked up", env: map[string]string{hwcKeys: fakecloud.HuaweiAK, hwcSecret: fakecloud.HuaweiSK}, want: "env"},
		{name: "env keys with security token, project looked up", env: hwcEnvKeys, want: "env"},
		{name: "global: env keys with domain", global: true,
			env: with(hwcEnvKeys, map[string]string{hwcDomain: fakecloud.HuaweiDomainID, hwcProject: "ignored"}), want: "env"},
		{name: "global: env keys, domain looked up", global: true, env: hwcEnvKeys, want: "env"},
		{name: "env federation with project", env: with(hwcEnvFed, map[string]string{hwcProject: fakecloud.HuaweiProjectID}),
			files: hwcFiles, want: "env federation"},
		{name: "env federation, project looked up", env: hwcEnvFed, files: hwcFiles, want: "env federation"},
		{name: "global: env federation, domain looked up", global: true, env: hwcEnvFed, files: hwcFiles, want: "env federation"},
		{name: "env federation beats env keys", env: with(hwcEnvKeys, hwcEnvFed), files: hwcFiles, want: "env federation"},
		{name: "env IdP without token file: the keys", env: with(hwcEnvKeys, map[string]string{hwcIdP: fakecloud.HuaweiIdPID}), want: "env"},

		// Partial environments fall through.
		{name: "env token file without IdP falls to the profile", env: with(profileEnv, map[string]string{hwcIDToken: "{dir}/env_id_token"}),
			files: profileAt(hwcProfileKeys), want: "profile"},
		{name: "env AK without SK falls to the profile", env: with(profileEnv, map[string]string{hwcKeys: fakecloud.HuaweiAK}),
			files: profileAt(hwcProfileKeys), want: "profile"},
		{name: "env security token alone falls to metadata", env: map[string]string{hwcToken: fakecloud.HuaweiSecurityToken}, want: "metadata"},

		// The profile file.
		{name: "profile [basic] keys", env: profileEnv, files: profileAt(hwcProfileKeys), want: "profile"},
		{name: "global: profile [global] keys", global: true, env: profileEnv, files: profileAt(hwcProfileKeys), want: "profile"},
		{name: "profile keys with security token, project looked up", env: profileEnv,
			files: profileAt("[basic]\nak = " + fakecloud.HuaweiTempAK + "\nsk = " + fakecloud.HuaweiTempSK +
				"\nsecurity_token = " + fakecloud.HuaweiSecurityToken + "\n"), want: "profile"},
		{name: "profile at ~/.huaweicloud/credentials", files: map[string]string{"home/.huaweicloud/credentials": hwcProfileKeys},
			want: "profile"},
		{name: "global: profile federation at its iam_endpoint", global: true, env: profileEnv,
			files: profileAt(fedProfile("global", "iam_endpoint = {iam_http}\ndomain_id = "+fakecloud.HuaweiDomainID+"\n")),
			want:  "profile federation"},
		{name: "profile federation at HUAWEICLOUD_SDK_IAM_ENDPOINT, project looked up", env: profileEnv,
			files: profileAt(fedProfile("basic", "")), want: "profile federation"},
		{name: "profile federation beats its keys", env: profileEnv,
			files: profileAt(fedProfile("basic", "ak = "+fakecloud.HuaweiAK+"\nsk = "+fakecloud.HuaweiSK+"\nproject_id = "+fakecloud.HuaweiProjectID+"\n")),
			want:  "profile federation"},
		{name: "env beats the profile", env: with(profileEnv, hwcEnvKeys), files: profileAt(hwcProfileKeys), want: "env"},
		{name: "profile without the chain's section falls to metadata", env: profileEnv,
			files: profileAt("[global]\nak = " + fakecloud.HuaweiAK + "\nsk = " + fakecloud.HuaweiSK + "\n"), want: "metadata"},
		{name: "missing profile falls to metadata", env: profileEnv, want: "metadata"},
		{name: "unreadable profile (a directory) falls to metadata", env: profileEnv, files: map[string]string{"credentials": "<dir>"},
			want: "metadata"},
		{name: "profile beats metadata and pod identity", env: with(profileEnv, hwcEnvPod), files: profileAt(hwcProfileKeys), want: "profile"},

		// ECS metadata and CCE pod identity.
		{name: "metadata with session token, project looked up", want: "metadata"},
		{name: "global: metadata, domain looked up", global: true, want: "metadata"},
		{name: "metadata without token API", setup: func(c *fakecloud.Cloud) {
			c.SetECSMetadata(fakecloud.ECSMetadataConfig{NoTokenAPI: true})
		}, want: "metadata"},
		{name: "metadata beats pod identity", env: hwcEnvPod, files: hwcFiles, want: "metadata"},
		{name: "metadata without agency falls to pod identity", env: hwcEnvPod, files: hwcFiles, setup: noAgency, want: "pod identity"},
		{name: "metadata 500 falls to pod identity", env: hwcEnvPod, files: hwcFiles, setup: func(c *fakecloud.Cloud) {
			c.Inject(fakecloud.OpMetadataGetSecurityKey, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 500})
		}, want: "pod identity"},
		{name: "off ECS: pod identity", env: hwcEnvPod, files: hwcFiles, offECS: true, want: "pod identity"},
		{name: "global: off ECS: pod identity", global: true, env: hwcEnvPod, files: hwcFiles, offECS: true, want: "pod identity"},
		{name: "off ECS, nothing else: both fail", offECS: true},
		{name: "metadata without agency, nothing else: both fail", setup: noAgency},
		{name: "pod identity token refused: both fail", env: hwcEnvPod, offECS: true,
			files: map[string]string{"pod_token": "another-token"}},
		{name: "pod identity token file missing: both fail", env: hwcEnvPod, offECS: true},

		// Federation failures: the configured federation is chosen and its
		// failure is final, whatever comes after it.
		{name: "env federation, ID token file missing, profile keys unused", env: with(profileEnv, hwcEnvFed),
			files: map[string]string{"credentials": hwcProfileKeys}},
		{name: "env federation, ID token empty", env: hwcEnvFed, files: map[string]string{"env_id_token": "\n"}},
		{name: "env federation, ID token expired (401)", env: hwcEnvFed,
			files: map[string]string{"env_id_token": fakecloud.ExpiredIDTokenValue}},
		{name: "profile federation, securitytokens refused (401)", env: profileEnv, files: profileAt(fedProfile("basic", "")),
			setup: func(c *fakecloud.Cloud) {
				c.Inject(fakecloud.OpCreateTemporaryAccessKey, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 401})
			}},
		{name: "global: profile federation, ID token file missing", global: true, env: profileEnv,
			files: map[string]string{"credentials": fedProfile("global", "")}},
		{name: "env federation, IAM 401 to securitytokens", env: hwcEnvFed, files: hwcFiles, setup: func(c *fakecloud.Cloud) {
			c.Inject(fakecloud.OpCreateTemporaryAccessKey, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 401})
		}},
		{name: "env federation, IAM 500: detach retries", env: hwcEnvFed, files: hwcFiles, setup: func(c *fakecloud.Cloud) {
			c.Inject(fakecloud.OpCreateTokenWithIDToken, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 500, Count: 5})
		}, readme: hwcRetryDifference, ours: func(sdk hwcView) hwcView { return hwcPick(sdk, 0, 0, 0) }},
		{name: "profile federation, securitytokens 503 once: detach retries and gets keys", env: profileEnv,
			files: profileAt(fedProfile("basic", "project_id = "+fakecloud.HuaweiProjectID+"\n")), setup: func(c *fakecloud.Cloud) {
				c.Inject(fakecloud.OpCreateTemporaryAccessKey, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503})
			}, readme: hwcRetryDifference, ours: func(sdk hwcView) hwcView {
				v := hwcPick(sdk, 0, 1, 1)
				v.Result = hwcResult{Source: "profile federation", AK: "issued#1.ak", SK: "issued#1.sk", Token: "issued#1.token",
					Project: fakecloud.HuaweiProjectID}
				return v
			}},

		// Expiry and refresh.
		{name: "metadata keys with 30 minutes left", setup: func(c *fakecloud.Cloud) {
			c.SetECSMetadata(fakecloud.ECSMetadataConfig{CredentialLifetime: 30 * time.Minute})
		}, want: "metadata", readme: hwcMarginDifference, ours: func(sdk hwcView) hwcView {
			// The SDK: keys #1 chosen, #2 for the lookup, #3 for the call.
			v := hwcRename(hwcPick(sdk, 0, 1, 3), "#2", "#1")
			return hwcRename(v, "#3", "#1")
		}},
		{name: "global: pod identity keys with 30 minutes left", global: true, env: hwcEnvPod, files: hwcFiles, offECS: true,
			setup: func(c *fakecloud.Cloud) {
				c.SetPodIdentity(fakecloud.PodIdentityConfig{Token: fakecloud.PodIdentityToken, CredentialLifetime: 30 * time.Minute})
			}, want: "pod identity", readme: hwcMarginDifference, ours: func(sdk hwcView) hwcView {
				return hwcRename(hwcRename(hwcPick(sdk, 0, 2), "#2", "#1"), "#3", "#1")
			}},
		{name: "metadata keys due for refresh: detach refreshes", adv: 56 * time.Minute, want: "metadata", readme: hwcLookupDifference,
			ours: func(sdk hwcView) hwcView {
				// After the SDK's requests, new keys and their lookup.
				v := hwcPick(sdk, 0, 1, 2, 1, 2)
				next := hwcRename(hwcPick(v, 3, 4), "#1", "#2")
				v.Requests = append(v.Requests[:3], next.Requests...)
				v.Result = hwcRename(v, "#1", "#2").Result
				return v
			}},
		{name: "global: env federation keys near their 6 hours: detach federates again", global: true, env: hwcEnvFed, files: hwcFiles,
			adv: 6*time.Hour - 4*time.Minute, want: "env federation", readme: hwcLookupDifference, ours: func(sdk hwcView) hwcView {
				v := hwcPick(sdk, 0, 1, 2, 0, 1, 2)
				next := hwcRename(hwcPick(v, 3, 4, 5), "#1", "#2")
				v.Requests = append(v.Requests[:3], next.Requests...)
				v.Result = hwcRename(v, "#1", "#2").Result
				return v
			}},

		// More of the metadata service.
		{name: "metadata demands a token it cannot give: pod identity", env: hwcEnvPod, files: hwcFiles, setup: func(c *fakecloud.Cloud) {
			c.SetECSMetadata(fakecloud.ECSMetadataConfig{NoTokenAPI: true, RequireToken: true})
		}, want: "pod identity"},
		{name: "metadata token API 503: keys without a token", setup: func(c *fakecloud.Cloud) {
			c.Inject(fakecloud.OpMetadataGetToken, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503})
		}, want: "metadata"},
		{name: "metadata token API 500 falls to pod identity", env: hwcEnvPod, files: hwcFiles, setup: func(c *fakecloud.Cloud) {
			c.Inject(fakecloud.OpMetadataGetToken, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 500})
		}, want: "pod identity"},
		{name: "env project ID does not scope metadata keys", env: map[string]string{hwcProject: fakecloud.HuaweiProjectID2},
			want: "metadata"},
		{name: "pod identity token file is a directory: both fail", env: hwcEnvPod, offECS: true,
			files: map[string]string{"pod_token": "<dir>"}},

		// More of the environment and the profile.
		{name: "global: env federation with domain", global: true, files: hwcFiles,
			env: with(hwcEnvFed, map[string]string{hwcDomain: fakecloud.HuaweiDomainID}), want: "env federation"},
		{name: "env federation, HUAWEICLOUD_SDK_IAM_ENDPOINT with https://", files: hwcFiles,
			env: with(hwcEnvFed, map[string]string{"HUAWEICLOUD_SDK_IAM_ENDPOINT": "{iam_tls}"}), want: "env federation"},
		{name: "profile idp_id without id_token_file: its keys", env: profileEnv,
			files: profileAt("[basic]\nidp_id = " + fakecloud.HuaweiIdPID + "\nak = " + fakecloud.HuaweiAK + "\nsk = " + fakecloud.HuaweiSK + "\n"),
			want:  "profile"},
		{name: "profile ak without sk falls to metadata", env: profileEnv, files: profileAt("[basic]\nak = " + fakecloud.HuaweiAK + "\n"),
			want: "metadata"},
		{name: "CREDENTIALS_FILE names a missing file: home's profile unused", env: profileEnv,
			files: map[string]string{"home/.huaweicloud/credentials": hwcProfileKeys}, want: "metadata"},
	}
}

func TestHuaweiChainMatrix(t *testing.T) {
	c := fakecloud.New()
	md := c.StartAt(fakecloud.HuaweiMetadata)
	t.Cleanup(md.Close)
	iamTLS := c.StartTLSAt(fakecloud.HuaweiIAM)
	t.Cleanup(iamTLS.Close)
	iamHTTP := c.StartAt(fakecloud.HuaweiIAM)
	t.Cleanup(iamHTTP.Close)
	pod := c.Start()
	t.Cleanup(pod.Close)
	refusing := hwcRefusingAddr(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}

	scenarios := hwcScenarios()
	securityTokensSeen := false
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			dir := t.TempDir()
			repl := strings.NewReplacer("{dir}", dir, "{iam_http}", iamHTTP.URL, "{iam_tls}", iamTLS.URL,
				"{pod}", pod.Endpoint(fakecloud.HuaweiPodIdentity)+fakecloud.PodIdentityPath)
			for name, content := range sc.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				if content == "<dir>" {
					err = os.Mkdir(p, 0o700)
				} else {
					err = os.WriteFile(p, []byte(repl.Replace(content)), 0o600)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			env := map[string]string{"HOME": filepath.Join(dir, "home"),
				"HUAWEICLOUD_SDK_IAM_ENDPOINT": strings.TrimPrefix(iamTLS.URL, "https://"),
				hwcMetadata:                    strings.TrimPrefix(md.URL, "http://"), hwcLookup: iamTLS.URL}
			if sc.offECS {
				env[hwcMetadata] = refusing
			}
			if sc.global {
				env[hwcGlobal] = "1"
			}
			if sc.adv > 0 {
				env[hwcAdvance] = sc.adv.String()
			}
			for k, v := range sc.env {
				env[k] = repl.Replace(v)
			}
			views := map[string]hwcView{}
			for _, side := range []string{"sdk", "detach"} {
				c.Reset()
				if sc.setup != nil {
					sc.setup(c)
				}
				env[hwcSide] = side
				r := hwcRunChild(t, env)
				views[side] = newHWCLabeler(c.IssuedHuaweiCredentials()).view(r, c.ServiceRequests())
			}
			sdk, ours := views["sdk"], views["detach"]
			if hwcSecurityTokensContentType(&sdk) {
				securityTokensSeen = true
			}
			if got := sdk.Result.Source; got != sc.want {
				t.Errorf("the SDK chose %q (err %q), the scenario expects %q", got, sdk.Result.Err, sc.want)
			}
			if sc.ours == nil {
				if diff := gocmp.Diff(sdk, ours); diff != "" {
					t.Errorf("(-SDK +detach):\n%s", diff)
				}
				return
			}
			if gocmp.Equal(sdk, ours) {
				t.Errorf("the deliberate difference %q does not show", sc.readme)
			}
			if diff := gocmp.Diff(sc.ours(sdk), ours); diff != "" {
				t.Errorf("detach, against the SDK with the deliberate difference applied (-want +detach):\n%s", diff)
			}
			if !strings.Contains(string(readme), sc.readme) {
				t.Errorf("README.md does not name the deliberate difference %q", sc.readme)
			}
		})
	}
	if !securityTokensSeen || !strings.Contains(string(readme), hwcContentTypeDifference) {
		t.Errorf("the securitytokens Content-Type difference did not show, or README.md does not name it (%q)", hwcContentTypeDifference)
	}
	if len(scenarios) < 30 {
		t.Errorf("%d scenarios, the matrix needs at least 30", len(scenarios))
	}
}
