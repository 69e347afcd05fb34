package signer

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// awsContainerHost is the ECS container credentials endpoint used with
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI.
const awsContainerHost = "http://169.254.170.2"

// AWSContainerStep is the ECS or EKS Pod Identity container credentials
// endpoint, from the environment as aws-sdk-go-v2's config (v1.33.19) reads
// it: GET URL with "Authorization: <token>" when a token is set.
//
// Every rendering redacts AuthToken.
type AWSContainerStep struct {
	// URL is http://169.254.170.2 followed by
	// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, else
	// AWS_CONTAINER_CREDENTIALS_FULL_URI.
	URL string
	// AuthToken is AWS_CONTAINER_AUTHORIZATION_TOKEN.
	AuthToken string
	// AuthTokenFile is AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: when set,
	// the token is read from it (unmodified) at every request and replaces
	// AuthToken.
	AuthTokenFile string
	// ResolveHost is set for a full URI with scheme http and a host name:
	// before the first request the host must be resolved and every address
	// must be a loopback address, 169.254.170.2, 169.254.170.23 or
	// fd00:ec2::23, as the SDK checks while loading. (An http URI with an IP
	// address is checked here; https and the relative URI are not checked.)
	ResolveHost bool
}

// ContainerCredentials returns the container endpoint the environment
// configures, or nil when neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
// nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set. A full URI that is not a
// URL, has no host, or is http to an address other than those the SDK
// allows is an *AWSConfigError.
func (c *AWSConfig) ContainerCredentials() (*AWSContainerStep, error) {
	tokenFile, _ := c.lookupEnv(awsEnvContainerAuthTokenFile)
	step := &AWSContainerStep{AuthToken: c.env.containerAuthToken, AuthTokenFile: tokenFile}
	switch {
	case c.env.containerRelativeURI != "":
		step.URL = awsContainerHost + c.env.containerRelativeURI
	case c.env.containerFullURI != "":
		step.URL = c.env.containerFullURI
		u, err := url.Parse(step.URL)
		if err != nil {
			return nil, awsEnvError(awsEnvContainerFullURI, "is not a valid URL")
		}
		host := u.Hostname()
		switch {
		case host == "":
			return nil, awsEnvError(awsEnvContainerFullURI, "has no host")
		case u.Scheme != "http":
		case net.ParseIP(host) == nil:
			step.ResolveHost = true
		case !AWSContainerAddressAllowed(net.ParseIP(host)):
			return nil, awsEnvError(awsEnvContainerFullURI,
				"with http must name a loopback or ECS/EKS container address")
		}
	default:
		return nil, nil
	}
	return step, nil
}

// AWSContainerAddressAllowed reports whether an http container credentials
// endpoint may be at ip: a loopback address, the ECS address 169.254.170.2
// or the EKS Pod Identity addresses 169.254.170.23 and fd00:ec2::23.
func AWSContainerAddressAllowed(ip net.IP) bool {
	return ip.IsLoopback() || ip.Equal(net.IPv4(169, 254, 170, 2)) || ip.Equal(net.IPv4(169, 254, 170, 23)) ||
		ip.Equal(net.ParseIP("fd00:ec2::23"))
}

// String renders the step with the token redacted.
func (s AWSContainerStep) String() string {
	return "{URL:" + s.URL + " AuthToken:" + mask(s.AuthToken) + " AuthTokenFile:" + s.AuthTokenFile +
		" ResolveHost:" + strconv.FormatBool(s.ResolveHost) + "}"
}

// GoString renders the step as Go syntax with the token redacted.
func (s AWSContainerStep) GoString() string {
	return "signer.AWSContainerStep{URL:" + strconv.Quote(s.URL) + ", AuthToken:" + strconv.Quote(mask(s.AuthToken)) +
		", AuthTokenFile:" + strconv.Quote(s.AuthTokenFile) + ", ResolveHost:" + strconv.FormatBool(s.ResolveHost) + "}"
}

// Format implements fmt.Formatter so that no verb prints the token.
func (s AWSContainerStep) Format(f fmt.State, verb rune) { awsFormatProvider(f, verb, s) }

// LogValue implements slog.LogValuer with the token redacted.
func (s AWSContainerStep) LogValue() slog.Value {
	return slog.GroupValue(slog.String("url", s.URL), slog.String("auth_token", mask(s.AuthToken)),
		slog.String("auth_token_file", s.AuthTokenFile), slog.Bool("resolve_host", s.ResolveHost))
}

// MarshalJSON encodes the step with the token redacted.
func (s AWSContainerStep) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		URL           string
		AuthToken     string `json:",omitempty"`
		AuthTokenFile string `json:",omitempty"`
		ResolveHost   bool
	}{s.URL, mask(s.AuthToken), s.AuthTokenFile, s.ResolveHost})
}

// ssoStep is the SDK's resolveSSOCredentials with its
// validateSSOConfiguration.
func (c *AWSConfig) ssoStep(p *awsProfile) (*AWSSSOStep, error) {
	step := &AWSSSOStep{AccountID: p.ssoAccountID, RoleName: p.ssoRoleName}
	var missing []string
	cacheKey, regionSource := "", "profile "+p.name
	if s := p.ssoSession; s != nil {
		if s.region == "" {
			missing = append(missing, awsKeySSORegion)
		}
		if s.startURL == "" {
			missing = append(missing, awsKeySSOStartURL)
		}
		if len(missing) > 0 {
			return nil, awsProfileError(p.name, strings.Join(missing, ", "),
				"missing from [sso-session "+strings.TrimSpace(s.name)+"]")
		}
		for _, k := range [][3]string{{awsKeySSORegion, p.ssoRegion, s.region}, {awsKeySSOStartURL, p.ssoStartURL, s.startURL}} {
			if k[1] != "" && k[1] != k[2] {
				return nil, awsProfileError(p.name, k[0], "must match the "+k[0]+" of [sso-session "+strings.TrimSpace(s.name)+"]")
			}
		}
		step.SessionName, step.StartURL, step.Region, cacheKey = s.name, s.startURL, s.region, s.name
		regionSource = "sso-session " + strings.TrimSpace(s.name)
		for _, scope := range strings.Split(s.scopes, ",") {
			if scope = strings.TrimSpace(scope); scope != "" {
				step.RegistrationScopes = append(step.RegistrationScopes, scope)
			}
		}
	} else {
		for _, k := range [][2]string{{awsKeySSORegion, p.ssoRegion}, {awsKeySSOStartURL, p.ssoStartURL},
			{awsKeySSOAccountID, p.ssoAccountID}, {awsKeySSORoleName, p.ssoRoleName}} {
			if k[1] == "" {
				missing = append(missing, k[0])
			}
		}
		if len(missing) > 0 {
			return nil, awsProfileError(p.name, strings.Join(missing, ", "), "missing: the profile is configured for SSO")
		}
		step.StartURL, step.Region, cacheKey = p.ssoStartURL, p.ssoRegion, p.ssoStartURL
	}
	if c.home == "" {
		return nil, awsProfileError(p.name, awsKeySSOSession, "cannot locate the home directory for the SSO token cache")
	}
	sum := sha1.Sum([]byte(cacheKey))
	step.TokenCacheFile = filepath.Join(c.home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	step.Portal = c.settings("SSO", true)
	step.Portal.Region, step.Portal.RegionSource = step.Region, regionSource
	if step.SessionName != "" {
		step.OIDC = c.settings("SSO OIDC", true)
		step.OIDC.Region, step.OIDC.RegionSource = step.Region, regionSource
	}
	return step, nil
}

// loginStep is the SDK's resolveLoginCredentials.
func (c *AWSConfig) loginStep(p *awsProfile) (*AWSLoginStep, error) {
	dir, _ := c.lookupEnv(awsEnvLoginCacheDirectory)
	if dir == "" {
		if c.home == "" {
			return nil, awsProfileError(p.name, awsKeyLoginSession, "cannot locate the home directory for the login cache")
		}
		dir = filepath.Join(c.home, ".aws", "login", "cache")
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(p.loginSession)))
	return &AWSLoginStep{Session: p.loginSession, CacheFile: filepath.Join(dir, hex.EncodeToString(sum[:])+".json"),
		UnrestrictedFilePermissions: c.env.unrestrictedFiles, Signin: c.settings("Signin", true)}, nil
}
