package cloudsyaml

import "strings"

// rawAuth is the auth section of a cloud entry, with the keys
// gophertelekomcloud v0.9.8 reads (openstack/loader.go, AuthInfo). The
// agency keys are OTC's: target_domain_id holds the agency's domain NAME.
// default_domain is read by gophertelekomcloud but never used, so it is not
// here; nor is a TOTP passcode, which its merge drops.
type rawAuth struct {
	AuthURL           string `yaml:"auth_url"`
	Token             string `yaml:"token"`
	Username          string `yaml:"username"`
	UserID            string `yaml:"user_id"`
	Password          string `yaml:"password"`
	ProjectName       string `yaml:"project_name"`
	ProjectID         string `yaml:"project_id"`
	UserDomainName    string `yaml:"user_domain_name"`
	UserDomainID      string `yaml:"user_domain_id"`
	ProjectDomainName string `yaml:"project_domain_name"`
	ProjectDomainID   string `yaml:"project_domain_id"`
	DomainName        string `yaml:"domain_name"`
	DomainID          string `yaml:"domain_id"`
	AccessKey         string `yaml:"ak"`
	SecretKey         string `yaml:"sk"`
	SecurityToken     string `yaml:"security_token"`
	AgencyName        string `yaml:"target_agency_name"`
	AgencyDomainName  string `yaml:"target_domain_id"`
	DelegatedProject  string `yaml:"target_project_name"`
}

// rawCloud is one entry of clouds.yaml, secure.yaml or clouds-public.yaml
// (gophertelekomcloud's Cloud). Keys detach has no use for (regions, the API
// versions) are not decoded, so a malformed one does not stop a load.
type rawCloud struct {
	Cloud        string  `yaml:"cloud"`
	Profile      string  `yaml:"profile"`
	AuthType     string  `yaml:"auth_type"`
	Auth         rawAuth `yaml:"auth"`
	RegionName   string  `yaml:"region_name"`
	EndpointType string  `yaml:"endpoint_type"`
	Interface    string  `yaml:"interface"`
	Verify       *bool   `yaml:"verify"`
	CACert       string  `yaml:"cacert"`
	ClientCert   string  `yaml:"cert"`
	ClientKey    string  `yaml:"key"`
}

// cloudsFile is clouds.yaml or secure.yaml; vendorFile is clouds-public.yaml.
type cloudsFile struct {
	Clouds map[string]rawCloud `yaml:"clouds"`
}

type vendorFile struct {
	Clouds map[string]rawCloud `yaml:"public-clouds"`
}

// strs lists the string settings in a fixed order, so that two clouds can
// be merged field by field without naming every field twice.
func (c *rawCloud) strs() []*string {
	a := &c.Auth
	return []*string{
		&c.Cloud, &c.Profile, &c.AuthType, &c.RegionName, &c.EndpointType, &c.Interface,
		&c.CACert, &c.ClientCert, &c.ClientKey,
		&a.AuthURL, &a.Token, &a.Username, &a.UserID, &a.Password, &a.ProjectName, &a.ProjectID,
		&a.UserDomainName, &a.UserDomainID, &a.ProjectDomainName, &a.ProjectDomainID,
		&a.DomainName, &a.DomainID, &a.AccessKey, &a.SecretKey, &a.SecurityToken,
		&a.AgencyName, &a.AgencyDomainName, &a.DelegatedProject,
	}
}

// fill merges fallback into c as gophertelekomcloud's mergeClouds does
// (utils.MergeInterfaces over the JSON of both): every value c has wins, and
// fallback fills only what c leaves empty. An empty value counts as unset,
// and so does verify: false (a Go zero value), so only a true verify
// survives a merge against a fallback that has one.
func (c *rawCloud) fill(fallback rawCloud) {
	dst, src := c.strs(), fallback.strs()
	for i, p := range dst {
		if *p == "" {
			*p = *src[i]
		}
	}
	if (c.Verify == nil || !*c.Verify) && fallback.Verify != nil {
		v := *fallback.Verify
		c.Verify = &v
	}
}

// regionFromProject is gophertelekomcloud's rule for a cloud without a
// region: the project name (else the delegated project) up to its first
// "_", since OTC project names look like "eu-de_myproject".
func regionFromProject(projectName, delegatedProject string) string {
	name := projectName
	if name == "" {
		name = delegatedProject
	}
	region, _, _ := strings.Cut(name, "_")
	return region
}
