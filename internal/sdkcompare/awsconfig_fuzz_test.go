package sdkcompare

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/signer"
)

// FuzzAWSSharedConfigAgainstSDK gives fuzzed config and credentials files
// to aws-sdk-go-v2's config.LoadSharedConfigProfile and to detach's
// LoadAWSConfig (no environment), for the profile "default": both fail or
// both load; a profile missing for one is missing for the other; and the
// region, Route 53 Profiles' endpoint, FIPS, dual-stack, max attempts and
// the shape of the credential chain (base kind, its key or command or
// role, the AssumeRole ARNs in order) agree. The chain is read off the
// SDK's SharedConfig with the switch of its resolveCredsFromProfile.
//
// Inputs on which the SDK panics (a property whose value is a lone quote
// character) are skipped.
func FuzzAWSSharedConfigAgainstSDK(f *testing.F) {
	for _, sc := range cfgScenarios() {
		if !strings.Contains(sc.config+sc.credentials, "{") {
			f.Add(sc.config, sc.credentials)
		}
	}
	f.Add("[default]\n  region = x\nregion\n  = y\n[ profile  a b ]\n", "[a b]\nk=v\n")
	f.Add("[default]\nservices = s\n[services s]\nroute53profiles =\n  endpoint_url = http://e # c\n  endpoint_url = http://f\n", "")
	f.Add("[profile default]\nrole_arn = r\nsource_profile = default\naws_access_key_id = A\n", "[default]\naws_secret_access_key = S\n")
	f.Fuzz(func(t *testing.T, configData, credentialsData string) {
		dir := t.TempDir()
		configFile, credentialsFile := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
		if os.WriteFile(configFile, []byte(configData), 0o600) != nil || os.WriteFile(credentialsFile, []byte(credentialsData), 0o600) != nil {
			t.Skip("cannot write the files")
		}
		sc, sErr, panicked := cfgSDKShared(configFile, credentialsFile)
		if panicked {
			t.Skip("aws-sdk-go-v2 panics on this input")
		}
		dc, dErr := signer.LoadAWSConfig(signer.AWSConfigSource{
			LookupEnv: func(string) (string, bool) { return "", false },
			HomeDir:   func() (string, error) { return dir, nil }, ConfigFile: configFile, CredentialsFile: credentialsFile,
		})
		// A type assertion, not errors.As, as the SDK's own check: a missing
		// source profile wraps this error and is a failure.
		_, sdkMissing := sErr.(config.SharedConfigProfileNotExistError)
		if sdkMissing {
			sErr = nil
		}
		if (sErr != nil) != (dErr != nil) {
			t.Fatalf("load: SDK error %v, detach error %v", sErr, dErr)
		}
		if sErr != nil {
			return
		}
		if sdkMissing == dc.ProfileFound {
			t.Fatalf("profile found: SDK %v, detach %v", !sdkMissing, dc.ProfileFound)
		}
		set := dc.Settings("Route53Profiles")
		sdkEndpoint := sc.BaseEndpoint
		if svc, ok := sc.Services.ServiceValues["route53profiles"]; ok {
			if v, ok := svc["endpoint_url"]; ok {
				sdkEndpoint = v
			}
		}
		if sc.IgnoreConfiguredEndpoints != nil && *sc.IgnoreConfiguredEndpoints {
			sdkEndpoint = ""
		}
		type settings struct {
			Region, Endpoint string
			FIPS, DualStack  bool
			MaxAttempts      int
		}
		sdkSet := settings{sc.Region, sdkEndpoint, sc.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled,
			sc.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled, sc.RetryMaxAttempts}
		if diff := gocmp.Diff(sdkSet, settings{set.Region, set.BaseEndpoint, set.UseFIPS, set.UseDualStack, set.MaxAttempts}); diff != "" {
			t.Fatalf("settings (-SDK +detach):\n%s", diff)
		}
		plan, err := dc.CredentialPlan()
		if err != nil {
			return // a refusal of the chain; the scenario test compares those with LoadDefaultConfig
		}
		if diff := gocmp.Diff(cfgSDKChain(&sc), cfgPlanChain(plan)); diff != "" {
			t.Fatalf("credential chain (-SDK +detach):\n%s", diff)
		}
	})
}

// cfgSDKShared runs the SDK's loader, reporting a panic instead of dying.
func cfgSDKShared(configFile, credentialsFile string) (sc config.SharedConfig, err error, panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	sc, err = config.LoadSharedConfigProfile(context.Background(), "default", func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles, o.CredentialsFiles = []string{configFile}, []string{credentialsFile}
	})
	return sc, err, false
}

// cfgChain is the shape of a credential chain without an environment.
type cfgChain struct {
	Kind  string
	What  string // static key, command, web identity role, SSO start URL or login session
	Roles []string
}

// cfgSDKChain reads the chain off the SDK's SharedConfig as its
// resolveCredsFromProfile would build it (no environment: no container).
func cfgSDKChain(sc *config.SharedConfig) cfgChain {
	var c cfgChain
	switch {
	case sc.Source != nil:
		c = cfgSDKChain(sc.Source)
	case sc.Credentials.HasKeys():
		c = cfgChain{Kind: "profile", What: sc.Credentials.AccessKeyID}
	case sc.CredentialSource == "Ec2InstanceMetadata":
		c = cfgChain{Kind: "imds"}
	case sc.CredentialSource != "":
		c = cfgChain{Kind: "credential_source " + sc.CredentialSource} // Environment; others are refused
	case sc.WebIdentityTokenFile != "":
		return cfgChain{Kind: "web_identity", What: sc.RoleARN + " " + sc.WebIdentityTokenFile}
	case sc.SSOSessionName != "" || sc.SSORegion != "" || sc.SSOAccountID != "" || sc.SSOStartURL != "" || sc.SSORoleName != "":
		c = cfgChain{Kind: "sso", What: sc.SSOStartURL}
		if sc.SSOSession != nil {
			c.What = sc.SSOSession.SSOStartURL
		}
	case sc.LoginSession != "":
		c = cfgChain{Kind: "login", What: sc.LoginSession}
	case sc.CredentialProcess != "":
		c = cfgChain{Kind: "process", What: sc.CredentialProcess}
	default:
		c = cfgChain{Kind: "imds"}
	}
	if sc.RoleARN != "" {
		c.Roles = append(c.Roles, sc.RoleARN)
	}
	return c
}

// cfgPlanChain is the same shape read off detach's plan.
func cfgPlanChain(p *signer.AWSCredentialPlan) cfgChain {
	b := p.Base
	c := cfgChain{Kind: string(b.Kind)}
	switch {
	case b.Kind == signer.AWSKindProfile:
		c.What = b.Static.Credentials.AccessKeyID
	case b.Kind == signer.AWSKindEnvironment:
		c.Kind = "credential_source Environment"
	case b.WebIdentity != nil:
		c.What = b.WebIdentity.RoleARN + " " + b.WebIdentity.TokenFile
	case b.SSO != nil:
		c.What = b.SSO.StartURL
	case b.Login != nil:
		c.What = b.Login.Session
	case b.Process != nil:
		c.What = b.Process.Command
	}
	for _, ar := range p.AssumeRoles {
		c.Roles = append(c.Roles, ar.RoleARN)
	}
	return c
}
