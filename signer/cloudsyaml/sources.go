package cloudsyaml

import (
	"errors"
	"net/url"
	"strings"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// Sources are the credentials a Cloud describes, ready for a client:
// exactly one of Credentials (AK/SK clouds, for AK/SK signing) and Tokens
// (password and token clouds, for token auth) is set. The adapter lives
// here, not in huaweicreds, so that only programs that read clouds.yaml
// link the YAML parser.
type Sources struct {
	Credentials signer.HuaweiCredentialsProvider
	Tokens      signer.TokenSource
}

// NewSources turns c into credential sources, making no request:
//
//   - MethodAKSK: the keys, with ProjectID or DomainID, as static
//     credentials (Source "clouds.yaml <name>"); with ProjectName but no
//     ProjectID, wrapped in huaweicreds.ProjectIDFromIAM for that name.
//   - MethodToken: the token as it is (signer.StaticToken).
//   - MethodPassword: a huaweicreds.PasswordTokenSource on AuthURL (less a
//     trailing "/v3"; a host under ".otc.t-systems.com" is OTC), scoped to
//     ProjectID or ProjectName. It needs Username and DomainName or
//     DomainID.
//
// When AgencyName and AgencyDomainName are set, the token (password or
// token cloud) becomes the caller of a huaweicreds.AgencyTokenSource for
// AgencyDomainName's AgencyName, scoped to DelegatedProject (or the
// domain), as gophertelekomcloud does. For an AK/SK cloud the keys become
// the caller of a huaweicreds.AgencyKeysProvider: temporary keys of the
// agency, carrying DelegatedProject's ID (or the agency domain's), which
// needs DomainID or DomainName, the caller's domain. An AK/SK cloud
// without AuthURL asks the IAM host of its Region for the project ID or
// the agency's keys; with neither, that is a *transport.ValidationError
// for Cloud.AuthURL. Settings are used for IAM. Errors name the missing field and never hold a secret.
func NewSources(c Cloud, settings transport.Settings) (Sources, error) {
	agency := c.AgencyName != "" && c.AgencyDomainName != ""
	if c.Method() == MethodAKSK {
		src := "clouds.yaml"
		if c.Name != "" {
			src += " " + c.Name
		}
		keys := signer.StaticHuaweiCredentials(signer.HuaweiCredentials{
			AccessKey: c.AccessKey, SecretKey: c.SecretKey, SecurityToken: c.SecurityToken,
			ProjectID: c.ProjectID, DomainID: c.DomainID, Source: src,
		})
		if agency {
			return agencyKeys(c, keys, settings)
		}
		if c.ProjectID == "" && c.ProjectName != "" {
			return projectByName(c, keys, settings)
		}
		return Sources{Credentials: keys}, nil
	}
	endpoint, otc, err := iamEndpoint(c.AuthURL)
	if err != nil {
		return Sources{}, err
	}
	var tokens signer.TokenSource
	if c.Method() == MethodToken {
		tokens = signer.StaticToken(c.Token)
	} else {
		switch {
		case c.Username == "":
			return Sources{}, errors.New("cloudsyaml: a password cloud needs username (user IDs are not supported here)")
		case c.DomainName == "" && c.DomainID == "":
			return Sources{}, errors.New("cloudsyaml: a password cloud needs user_domain_name, domain_name or domain_id")
		}
		cfg := huaweicreds.PasswordConfig{Endpoint: endpoint, Region: c.Region, OTC: otc,
			UserName: c.Username, Password: c.Password, DomainName: c.DomainName, DomainID: c.DomainID, Settings: settings}
		if c.ProjectID != "" {
			cfg.ProjectID = c.ProjectID
		} else {
			cfg.ProjectName = c.ProjectName
		}
		if agency && cfg.ProjectID == "" && cfg.ProjectName == "" && cfg.Region == "" {
			// The caller's own token needs a scope too; the domain's
			// default project is named after the region.
			return Sources{}, errors.New("cloudsyaml: a password cloud needs a project or region_name")
		}
		if tokens, err = huaweicreds.NewPasswordTokenSource(cfg); err != nil {
			return Sources{}, err
		}
	}
	if agency {
		if tokens, err = huaweicreds.NewAgencyTokenSource(huaweicreds.AgencyConfig{
			Endpoint: endpoint, Region: c.Region, OTC: otc, Caller: tokens,
			DomainName: c.AgencyDomainName, AgencyName: c.AgencyName, ProjectName: c.DelegatedProject,
			Settings: settings,
		}); err != nil {
			return Sources{}, err
		}
	}
	return Sources{Tokens: tokens}, nil
}

// agencyKeys is the agency of an AK/SK cloud: temporary keys from IAM,
// as gophertelekomcloud v0.9.8 gets them (huaweicreds.AgencyKeysProvider).
// IAM needs the caller's domain ID, given or looked up by name, so a
// cloud with neither is refused here, as the SDK refuses it ("must config
// domain name"), but before any request.
func agencyKeys(c Cloud, caller signer.HuaweiCredentialsProvider, settings transport.Settings) (Sources, error) {
	if c.DomainID == "" && c.DomainName == "" {
		return Sources{}, &transport.ValidationError{Field: "Cloud.DomainName",
			Rule: "or DomainID is required to assume an agency with AK/SK (IAM wants the caller's domain)"}
	}
	endpoint, otc, err := keysIAMEndpoint(c)
	if err != nil {
		return Sources{}, err
	}
	p, err := huaweicreds.NewAgencyKeysProvider(huaweicreds.AgencyKeysConfig{
		Endpoint: endpoint, Region: c.Region, OTC: otc, Caller: caller, CallerDomainName: c.DomainName,
		DomainName: c.AgencyDomainName, AgencyName: c.AgencyName, ProjectName: c.DelegatedProject,
		Settings: settings,
	})
	if err != nil {
		return Sources{}, err
	}
	return Sources{Credentials: p}, nil
}

// projectByName is an AK/SK cloud with a project named, not identified:
// the keys get the ID of that project from IAM, asked once
// (huaweicreds.ProjectIDFromIAM), as gophertelekomcloud v0.9.8 asks
// (GET /v3/projects?name=). Without it a client would look up the
// region's default project, which is another project when the name is
// e.g. "eu-de_myproject".
func projectByName(c Cloud, keys signer.HuaweiCredentialsProvider, settings transport.Settings) (Sources, error) {
	endpoint, otc, err := keysIAMEndpoint(c)
	if err != nil {
		return Sources{}, err
	}
	r, err := huaweicreds.ProjectIDFromIAM(keys, huaweicreds.LookupConfig{Endpoint: endpoint, Region: c.Region, OTC: otc,
		ProjectName: c.ProjectName, Settings: settings})
	if err != nil {
		return Sources{}, err
	}
	return Sources{Credentials: r}, nil
}

// otcRegions are Open Telekom Cloud's regions, whose IAM hosts are under
// otc.t-systems.com (huaweiendpoint.IAM); Huawei Cloud has no region of
// these names.
var otcRegions = map[string]bool{"eu-de": true, "eu-nl": true, "eu-ch2": true}

// keysIAMEndpoint is where an AK/SK cloud's keys ask IAM (a project's ID,
// an agency's keys): AuthURL's host when it is set. Without auth_url, an
// empty endpoint, so that huaweicreds uses the IAM host of Region (OTC's
// for eu-de, eu-nl and eu-ch2, else Huawei Cloud's), since such a cloud
// worked with static keys before the lookups were added, and its keys
// sign requests to the region anyway. gophertelekomcloud v0.9.8 refuses
// every cloud without auth_url (openstack/loader.go AuthOptionsFromInfo,
// golangsdk.ErrMissingInput{Argument: "auth_url"}); here only one with
// neither auth_url nor region_name is refused, as nothing names an IAM
// host then, before any request.
func keysIAMEndpoint(c Cloud) (string, bool, error) {
	if c.AuthURL != "" {
		return iamEndpoint(c.AuthURL)
	}
	if c.Region == "" {
		return "", false, &transport.ValidationError{Field: "Cloud.AuthURL",
			Rule: "or Cloud.Region is required to ask IAM for a project ID or agency keys (auth_url or region_name)"}
	}
	return "", otcRegions[c.Region], nil
}

// iamEndpoint is AuthURL without a trailing "/v3" (the token paths hold it),
// and whether it is OTC's.
func iamEndpoint(authURL string) (string, bool, error) {
	if authURL == "" {
		return "", false, errors.New("cloudsyaml: the cloud has no auth_url")
	}
	endpoint := strings.TrimSuffix(strings.TrimSuffix(authURL, "/"), "/v3")
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", false, errors.New("cloudsyaml: auth_url is not a valid URL")
	}
	return endpoint, strings.HasSuffix(u.Hostname(), ".otc.t-systems.com"), nil
}
