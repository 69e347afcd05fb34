package cloudsyaml

import (
	"errors"
	"net/url"
	"strings"
)

// Validate checks that the settings describe one way to authenticate, by
// the rules gophertelekomcloud v0.9.8 applies when it builds its token
// request (auth_options.go ToTokenV3CreateMap and ToTokenV3ScopeMap), and a
// few it leaves to fail later. It returns nil or every problem found, each
// a *FieldError naming the field and the rule (errors.As finds the first);
// no error quotes a value.
//
//   - AuthURL is required, an http or https URL with a host and no
//     "{region_name}" left in it.
//   - AuthType is empty or contains "password", "token" or "aksk".
//     (gophertelekomcloud treats any other as empty without AK/SK.)
//   - Password method: Password, and exactly one of Username and UserID;
//     Username needs exactly one of DomainName and DomainID; a ProjectName
//     without ProjectID needs a domain to look the project up in.
//   - Token method: Token (an AuthType of "token" without one).
//   - AK/SK method: AccessKey and SecretKey.
//   - Agency: AgencyName and AgencyDomainName together (gophertelekomcloud
//     ignores one without the other); DelegatedProject only with them.
//   - No control character in any value but Password and SecretKey (the
//     others go into URLs, headers and host names).
func (c Cloud) Validate() error {
	var errs []error
	fail := func(field, rule string) {
		errs = append(errs, &FieldError{Cloud: c.Name, Field: field, Rule: rule})
	}
	checkAuthURL(c.AuthURL, fail)
	switch t := explicitType(c.AuthType); t {
	case "", "password", "token", "aksk":
	default:
		fail("AuthType", `must be empty or contain "password", "token" or "aksk"`)
	}
	switch c.Method() {
	case MethodPassword:
		c.checkPassword(fail)
	case MethodToken:
		// Method is token only when Token is set.
	case MethodAKSK:
		if c.AccessKey == "" {
			fail("AccessKey", "is required for AK/SK authentication")
		}
		if c.SecretKey == "" {
			fail("SecretKey", "is required for AK/SK authentication")
		}
	}
	if explicitType(c.AuthType) == "token" && c.Token == "" {
		fail("Token", `is required when AuthType selects "token"`)
	}
	switch {
	case c.AgencyName != "" && c.AgencyDomainName == "":
		fail("AgencyDomainName", "is required with AgencyName")
	case c.AgencyName == "" && c.AgencyDomainName != "":
		fail("AgencyName", "is required with AgencyDomainName")
	case c.AgencyName == "" && c.DelegatedProject != "":
		fail("DelegatedProject", "is set without AgencyName and AgencyDomainName")
	}
	for _, v := range [...]struct{ field, val string }{
		{"AuthType", c.AuthType}, {"Username", c.Username}, {"UserID", c.UserID},
		{"DomainName", c.DomainName}, {"DomainID", c.DomainID},
		{"ProjectName", c.ProjectName}, {"ProjectID", c.ProjectID}, {"Token", c.Token},
		{"AccessKey", c.AccessKey}, {"SecurityToken", c.SecurityToken},
		{"AgencyName", c.AgencyName}, {"AgencyDomainName", c.AgencyDomainName},
		{"DelegatedProject", c.DelegatedProject}, {"Region", c.Region}, {"Interface", c.Interface},
		{"CACert", c.CACert}, {"ClientCert", c.ClientCert}, {"ClientKey", c.ClientKey},
	} {
		if hasControl(v.val) {
			fail(v.field, "must not contain control characters")
		}
	}
	return errors.Join(errs...)
}

func (c Cloud) checkPassword(fail func(field, rule string)) {
	if c.Password == "" {
		fail("Password", "is required for password authentication (or set Token, or AccessKey and SecretKey)")
	}
	switch {
	case c.Username == "" && c.UserID == "":
		fail("Username", "or UserID is required for password authentication")
	case c.Username != "" && c.UserID != "":
		fail("UserID", "must not be set with Username; set one")
	case c.Username != "" && c.DomainName == "" && c.DomainID == "":
		fail("DomainName", "or DomainID is required with Username")
	case c.Username != "" && c.DomainName != "" && c.DomainID != "":
		fail("DomainID", "must not be set with DomainName when authenticating by Username; set one")
	case c.ProjectName != "" && c.ProjectID == "" && c.DomainName == "" && c.DomainID == "":
		fail("DomainName", "or DomainID is required to scope the token by ProjectName")
	}
}

func checkAuthURL(s string, fail func(field, rule string)) {
	if s == "" {
		fail("AuthURL", "is required")
		return
	}
	if strings.Contains(s, regionPlaceholder) {
		fail("AuthURL", "still contains "+regionPlaceholder+": set Region")
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		fail("AuthURL", "must be an http or https URL with a host")
	}
}

// hasControl reports an ASCII control character or DEL.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
