package huaweicreds

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/detach-go/detach/signer"
)

// PasswordConfigFromEnv returns the PasswordConfig that the OpenStack-style
// variables describe, for NewPasswordTokenSource; env usually comes from
// [signer.OpenStackEnv]. It needs OS_AUTH_URL, OS_USERNAME, OS_PASSWORD,
// OS_DOMAIN_NAME and one of OS_PROJECT_ID, OS_PROJECT_NAME or
// OS_REGION_NAME (whose default project is named after the region); a
// missing one is an error naming it and wrapping [signer.ErrNoCredentials].
// OS_PROJECT_ID wins over OS_PROJECT_NAME. A trailing "/v3" of OS_AUTH_URL
// is dropped, since the token path includes it; a host under
// ".otc.t-systems.com" sets OTC. The config's Settings are left zero.
func PasswordConfigFromEnv(env signer.OpenStackEnvironment) (PasswordConfig, error) {
	switch {
	case env.AuthURL == "":
		return PasswordConfig{}, envMissing("OS_AUTH_URL")
	case env.Username == "":
		return PasswordConfig{}, envMissing("OS_USERNAME")
	case env.Password == "":
		return PasswordConfig{}, envMissing("OS_PASSWORD")
	case env.DomainName == "":
		return PasswordConfig{}, envMissing("OS_DOMAIN_NAME")
	case env.ProjectID == "" && env.ProjectName == "" && env.RegionName == "":
		return PasswordConfig{}, fmt.Errorf("huaweicreds: none of the environment variables OS_PROJECT_ID, OS_PROJECT_NAME or OS_REGION_NAME is set: %w",
			signer.ErrNoCredentials)
	}
	endpoint := strings.TrimSuffix(strings.TrimSuffix(env.AuthURL, "/"), "/v3")
	u, err := url.Parse(endpoint)
	if err != nil {
		return PasswordConfig{}, errors.New("huaweicreds: environment variable OS_AUTH_URL is not a valid URL")
	}
	c := PasswordConfig{
		Endpoint:   endpoint,
		Region:     env.RegionName,
		OTC:        strings.HasSuffix(u.Hostname(), ".otc.t-systems.com"),
		UserName:   env.Username,
		Password:   env.Password,
		DomainName: env.DomainName,
	}
	if env.ProjectID != "" {
		c.ProjectID = env.ProjectID
	} else {
		c.ProjectName = env.ProjectName
	}
	if _, err := c.validate(); err != nil {
		return PasswordConfig{}, fmt.Errorf("%w (from the OS_* environment variables)", err)
	}
	return c, nil
}

// envMissing is the error for an unset variable; it wraps
// signer.ErrNoCredentials, as the signer's own environment readers do.
func envMissing(name string) error {
	return fmt.Errorf("huaweicreds: environment variable %s is not set: %w", name, signer.ErrNoCredentials)
}
