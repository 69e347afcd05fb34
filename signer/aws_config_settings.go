package signer

import "strings"

// AWSSettings is what aws-sdk-go-v2 (config v1.33.19 and the service
// packages generated with it) configures one service client with from the
// environment and the selected profile. Options set in code should win over
// every field; an empty field means "not configured".
type AWSSettings struct {
	// ServiceID is the SDK's service ID the settings are for, such as
	// "Route53Profiles", "Customer Profiles", "STS", "SSO", "SSO OIDC" or
	// "Signin".
	ServiceID string

	// Region is AWS_REGION, else AWS_DEFAULT_REGION, else the profile's
	// region. RegionSource names where it came from ("AWS_REGION",
	// "profile dev"); empty when no region is configured.
	Region, RegionSource string

	// BaseEndpoint replaces the endpoint the rules would build. The order is
	// the SDK's:
	//
	//  1. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (else the profile's
	//     ignore_configured_endpoint_urls = true): none of the below.
	//  2. AWS_ENDPOINT_URL_<SERVICE> (the service ID upper-cased, spaces to
	//     "_": AWS_ENDPOINT_URL_ROUTE53PROFILES, AWS_ENDPOINT_URL_SSO_OIDC).
	//  3. When AWS_ENDPOINT_URL is present in the environment (even empty)
	//     and AWS_ENDPOINT_URL_<SERVICE> is absent: AWS_ENDPOINT_URL if
	//     non-empty, else the profile's endpoint_url; the services section is
	//     skipped.
	//  4. The profile's services section: "services = name" points at
	//     [services name], whose key for the service (lower-cased, spaces to
	//     "_": route53profiles, customer_profiles, sso_oidc) has an indented
	//     endpoint_url. An empty endpoint_url there counts as set.
	//  5. AWS_ENDPOINT_URL, else the profile's endpoint_url.
	//
	// The clients the credential chain builds (STS, SSO, SSO OIDC, Signin)
	// are created before the SDK resolves the endpoint of step 3 and 5, so
	// for them only steps 1, 2 and 4 apply: see AWSCredentialPlan.
	// BaseEndpointSource names the variable or section used; it is empty
	// when none is configured.
	BaseEndpoint, BaseEndpointSource string

	// UseFIPS and UseDualStack are AWS_USE_FIPS_ENDPOINT and
	// AWS_USE_DUALSTACK_ENDPOINT (true or false in any case; anything else
	// fails LoadAWSConfig), else the profile's use_fips_endpoint and
	// use_dualstack_endpoint (true in any case; anything else is false).
	UseFIPS, UseDualStack bool

	// MaxAttempts is AWS_MAX_ATTEMPTS, else the profile's max_attempts; 0
	// when neither is set or either is 0. Negative values are passed on.
	MaxAttempts int

	// RetryMode is AWS_RETRY_MODE, else the profile's retry_mode:
	// "standard", "adaptive" or "".
	RetryMode string

	// CABundle is the path in AWS_CA_BUNDLE, else the profile's ca_bundle.
	// The SDK reads the file while loading and fails when it cannot read it
	// or it holds no PEM certificate; whoever applies the setting should do
	// the same.
	CABundle string
}

// Settings returns the settings of the service client with the SDK service
// ID serviceID, from the environment (read now, as each SDK client reads
// its endpoint variables when it is created) and the selected profile.
func (c *AWSConfig) Settings(serviceID string) AWSSettings {
	return c.settings(serviceID, false)
}

// settings builds AWSSettings. credentialClient leaves out the endpoints
// the SDK resolves only after its credential chain is built.
func (c *AWSConfig) settings(serviceID string, credentialClient bool) AWSSettings {
	p := c.profileOrEmpty()
	s := AWSSettings{ServiceID: serviceID, RetryMode: awsFirst(c.env.retryMode, p.retryMode),
		CABundle: awsFirst(c.env.caBundle, p.caBundle), MaxAttempts: c.env.maxAttempts}
	switch {
	case c.env.region != "":
		s.Region, s.RegionSource = c.env.region, c.env.regionVar
	case p.region != "":
		s.Region, s.RegionSource = p.region, "profile "+p.name
	}
	if v := awsFirstBool(c.env.useFIPS, p.useFIPS); v != nil {
		s.UseFIPS = *v
	}
	if v := awsFirstBool(c.env.useDualStack, p.useDualStack); v != nil {
		s.UseDualStack = *v
	}
	if s.MaxAttempts == 0 {
		s.MaxAttempts = p.maxAttempts
	}
	s.BaseEndpoint, s.BaseEndpointSource = c.baseEndpoint(p, serviceID, credentialClient)
	return s
}

// baseEndpoint follows the order documented on AWSSettings.BaseEndpoint.
func (c *AWSConfig) baseEndpoint(p *awsProfile, serviceID string, credentialClient bool) (url, source string) {
	if v := awsFirstBool(c.env.ignoreEndpoints, p.ignoreEndpoints); v != nil && *v {
		return "", ""
	}
	if !credentialClient {
		// The SDK's aws.Config.BaseEndpoint.
		switch {
		case c.env.endpointURL != "":
			url, source = c.env.endpointURL, awsEnvEndpointURL
		case p.endpointURL != "":
			url, source = p.endpointURL, "profile "+p.name+" "+awsKeyEndpointURL
		}
	}
	envName := awsEnvEndpointURL + "_" + strings.ReplaceAll(strings.ToUpper(serviceID), " ", "_")
	_, global := c.lookupEnv(awsEnvEndpointURL)
	v, specific := c.lookupEnv(envName)
	if global && !specific {
		return url, source
	}
	if v != "" {
		return v, envName
	}
	if svc, ok := p.services[strings.ReplaceAll(strings.ToLower(serviceID), " ", "_")]; ok {
		if v, ok := svc[awsKeyEndpointURL]; ok {
			return v, "services " + p.servicesName
		}
	}
	return url, source
}
