package cloudsyaml

// envReader reads OS_* variables; first returns the first non-empty one of
// the names given without their prefix, as gophertelekomcloud's Env.GetEnv.
type envReader func(string) string

func (get envReader) first(names ...string) string {
	for _, n := range names {
		if v := get("OS_" + n); v != "" {
			return v
		}
	}
	return ""
}

// envCloud is the cloud the OS_* variables describe, built as
// gophertelekomcloud v0.9.8 builds it (openstack/loader.go cloudFromEnv
// over auth_env.go AuthOptionsFromEnv), with two deliberate differences:
//
//   - The AWS_ACCESS_KEY_ID, AWS_ACCESS_SECRET_KEY and AWS_SECURITY_TOKEN
//     variables, which gophertelekomcloud reads before OS_ACCESS_KEY and the
//     others, are not read: a program using detach for AWS too holds its AWS
//     keys there, and gophertelekomcloud would pair the AWS access key with
//     the OTC secret key (its secret-key name is misspelt, so it is never
//     the AWS one).
//   - OS_DELEGATED_PROJECT has no fallback: gophertelekomcloud falls back to
//     OS_TARGET_DOMAIN_NAME, the agency's domain, which would scope the
//     agency token to a project named after a domain.
func envCloud(get envReader) rawCloud {
	c := rawCloud{
		Cloud:        get.first("CLOUD"),
		Profile:      get.first("PROFILE"),
		AuthType:     get.first("AUTH_TYPE"),
		EndpointType: get.first("ENDPOINT_TYPE"),
		Interface:    get.first("INTERFACE"),
		CACert:       get.first("CA_CERT", "CA_CERT_FILE"),
		ClientCert:   get.first("CLIENT_CERT", "CLIENT_CERT_FILE"),
		ClientKey:    get.first("CLIENT_KEY", "CLIENT_KEY_FILE"),
		Auth: rawAuth{
			AuthURL:           get.first("AUTH_URL"),
			Token:             get.first("TOKEN", "TOKEN_ID"),
			Username:          get.first("USERNAME"),
			UserID:            get.first("USERID", "USER_ID"),
			Password:          get.first("PASSWORD"),
			ProjectName:       get.first("PROJECT_NAME", "TENANT_NAME"),
			ProjectID:         get.first("PROJECT_ID", "TENANT_ID"),
			UserDomainName:    get.first("USER_DOMAIN_NAME"),
			UserDomainID:      get.first("USER_DOMAIN_ID"),
			ProjectDomainName: get.first("PROJECT_DOMAIN_NAME"),
			ProjectDomainID:   get.first("PROJECT_DOMAIN_ID"),
			DomainName:        get.first("DOMAIN_NAME", "USER_DOMAIN_NAME", "PROJECT_DOMAIN_NAME"),
			DomainID:          get.first("DOMAIN_ID", "USER_DOMAIN_ID", "PROJECT_DOMAIN_ID"),
			AccessKey:         get.first("ACCESS_KEY", "ACCESS_KEY_ID", "AK"),
			SecretKey:         get.first("SECRET_KEY", "ACCESS_KEY_SECRET", "SK"),
			SecurityToken:     get.first("SECURITY_TOKEN", "AKSK_SECURITY_TOKEN", "ST"),
			AgencyName:        get.first("AGENCY_NAME", "TARGET_AGENCY_NAME"),
			AgencyDomainName:  get.first("AGENCY_DOMAIN_NAME", "TARGET_DOMAIN_NAME"),
			DelegatedProject:  get.first("DELEGATED_PROJECT"),
		},
	}
	// The region: OS_REGION_NAME, OS_REGION_ID, else (utils.GetRegion)
	// taken from the variables' own project name or delegated project.
	// Merged under a clouds.yaml entry, this derived region fills an empty
	// region_name before the entry's own project name is looked at, as in
	// gophertelekomcloud.
	c.RegionName = get.first("REGION_NAME", "REGION_ID")
	if c.RegionName == "" {
		c.RegionName = regionFromProject(c.Auth.ProjectName, c.Auth.DelegatedProject)
	}
	// Verification is on unless OS_INSECURE is exactly "1" or "true"; the
	// variables always say one or the other, so a clouds.yaml "verify: false"
	// (a zero value to the merge) never wins over them.
	verify := true
	if v := get.first("INSECURE"); v != "" {
		verify = v != "1" && v != "true"
	}
	c.Verify = &verify
	return c
}

// envHasCredentials reports whether the variables name anything to
// authenticate with; without a named cloud and without these, there is
// nothing to load.
func envHasCredentials(c rawCloud) bool {
	a := c.Auth
	for _, v := range []string{a.AuthURL, a.Token, a.Username, a.UserID, a.Password, a.AccessKey, a.SecretKey} {
		if v != "" {
			return true
		}
	}
	return false
}
