package cloudsyaml

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/detach-go/detach/signer"
)

// AuthMethod is how a cloud authenticates to IAM.
type AuthMethod string

const (
	// MethodPassword: a user name (with its domain) or user ID, and a
	// password, exchanged for a token (POST /v3/auth/tokens, "password").
	MethodPassword AuthMethod = "password"
	// MethodToken: a token obtained elsewhere, used as it is.
	MethodToken AuthMethod = "token"
	// MethodAKSK: an access key pair (with a security token for temporary
	// keys) that signs each request.
	MethodAKSK AuthMethod = "aksk"
)

// Files names the files a cloud was read from; "" where none was used.
type Files struct {
	Clouds string // clouds.yaml (or .yml, .json)
	Secure string // secure.yaml, whose values fill the gaps of clouds.yaml
	Vendor string // clouds-public.yaml; "" also when the built-in "otc" profile was used
}

// Cloud is one cloud's resolved settings: the clouds.yaml entry, filled from
// secure.yaml, its vendor profile and the OS_* variables, with the region
// and auth URL completed, as Load returns it. It makes no request; a token
// source takes it from here.
//
// The domain is one pair, as in gophertelekomcloud, used for the user and
// for a project named by name: Open Telekom Cloud users and projects live in
// the account's domain.
//
// Password, Token, SecretKey and SecurityToken are never rendered: fmt
// (every verb), slog and encoding/json print "[redacted]" instead, and no
// error quotes them (or any other value).
type Cloud struct {
	// Name is the clouds.yaml entry; "" when the OS_* variables alone were used.
	Name  string
	Files Files

	// AuthType is auth_type as written (OS_AUTH_TYPE): empty, or a name
	// containing "password", "token" or "aksk". See Method.
	AuthType string
	// AuthURL is the IAM (Keystone v3) URL, e.g.
	// https://iam.eu-de.otc.t-systems.com/v3, with any {region_name}
	// replaced by Region.
	AuthURL string

	Username string // the IAM user's name; with it, one of DomainName and DomainID
	UserID   string // or the user's ID, which needs no domain
	Password string // secret

	// DomainName or DomainID is the account's domain: user_domain_* if a
	// user is set, else project_domain_* if a project is set, else
	// domain_*, each from clouds.yaml before the variables.
	DomainName string
	DomainID   string

	// ProjectID or ProjectName scopes the token; the ID wins when both are
	// set. Neither: the token is scoped to the domain (or unscoped).
	ProjectName string
	ProjectID   string

	Token string // secret; a pre-issued token (auth.token, OS_TOKEN)

	AccessKey     string // access key ID (auth.ak, OS_ACCESS_KEY)
	SecretKey     string // secret
	SecurityToken string // secret; with temporary keys

	// AgencyName and AgencyDomainName, set together, ask for a token of
	// another domain through the agency (IAM's assume_role), scoped to
	// DelegatedProject, or to AgencyDomainName's domain without one.
	AgencyName       string
	AgencyDomainName string
	DelegatedProject string

	// Region is region_name (OS_REGION_NAME), else the project name (or the
	// delegated project) up to its first "_".
	Region string
	// Interface is endpoint_type, else interface ("public" for the "otc"
	// profile).
	Interface string

	// Insecure is true when TLS verification is off: OS_INSECURE=1 or
	// true, unless clouds.yaml says "verify: true". As in gophertelekomcloud,
	// "verify: false" in a file does not turn it off (see the package doc).
	Insecure   bool
	CACert     string // path of a CA bundle (cacert, OS_CA_CERT)
	ClientCert string // path of a client certificate (cert, OS_CLIENT_CERT)
	ClientKey  string // path of its key (key, OS_CLIENT_KEY)
}

// explicitType is gophertelekomcloud's getAuthType: an auth_type containing
// "token", "password" or "aksk" (checked in that order) selects that
// method; anything else is kept as it is.
func explicitType(t string) string {
	for _, m := range [...]string{"token", "password", "aksk"} {
		if strings.Contains(t, m) {
			return m
		}
	}
	return t
}

// Method returns how the cloud authenticates, as gophertelekomcloud v0.9.8
// decides (AuthOptionsFromInfo, then openstack.v3auth): AK/SK when
// AuthType selects it, or when AuthType is empty and AccessKey is set;
// otherwise a token when Token is set (whatever AuthType says); otherwise a
// password.
func (c Cloud) Method() AuthMethod {
	t := explicitType(c.AuthType)
	switch {
	case t == "aksk" || (t == "" && c.AccessKey != ""):
		return MethodAKSK
	case c.Token != "":
		return MethodToken
	}
	return MethodPassword
}

// fields lists the settings in their rendering order; secret ones are
// masked.
func (c Cloud) fields() []slog.Attr {
	return []slog.Attr{
		slog.String("Name", c.Name),
		slog.String("CloudsFile", c.Files.Clouds),
		slog.String("SecureFile", c.Files.Secure),
		slog.String("VendorFile", c.Files.Vendor),
		slog.String("AuthType", c.AuthType),
		slog.String("AuthURL", c.AuthURL),
		slog.String("Username", c.Username),
		slog.String("UserID", c.UserID),
		slog.String("Password", signer.Redact(c.Password)),
		slog.String("DomainName", c.DomainName),
		slog.String("DomainID", c.DomainID),
		slog.String("ProjectName", c.ProjectName),
		slog.String("ProjectID", c.ProjectID),
		slog.String("Token", signer.Redact(c.Token)),
		slog.String("AccessKey", c.AccessKey),
		slog.String("SecretKey", signer.Redact(c.SecretKey)),
		slog.String("SecurityToken", signer.Redact(c.SecurityToken)),
		slog.String("AgencyName", c.AgencyName),
		slog.String("AgencyDomainName", c.AgencyDomainName),
		slog.String("DelegatedProject", c.DelegatedProject),
		slog.String("Region", c.Region),
		slog.String("Interface", c.Interface),
		slog.Bool("Insecure", c.Insecure),
		slog.String("CACert", c.CACert),
		slog.String("ClientCert", c.ClientCert),
		slog.String("ClientKey", c.ClientKey),
	}
}

func (c Cloud) redactedString() string {
	var b strings.Builder
	b.WriteString("cloudsyaml.Cloud{")
	for i, a := range c.fields() {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Key)
		b.WriteByte(':')
		b.WriteString(a.Value.String())
	}
	b.WriteByte('}')
	return b.String()
}

// String returns the settings with the secrets redacted.
func (c Cloud) String() string { return c.redactedString() }

// GoString returns the settings with the secrets redacted.
func (c Cloud) GoString() string { return c.redactedString() }

// Format writes the redacted rendering for every fmt verb.
func (c Cloud) Format(f fmt.State, verb rune) { signer.FormatRedacted(f, verb, c.redactedString()) }

// LogValue renders the settings for log/slog with the secrets redacted.
func (c Cloud) LogValue() slog.Value { return slog.GroupValue(c.fields()...) }

// MarshalJSON encodes the settings, with the secrets redacted, as one flat
// object with the field names of String; it is meant for diagnostics.
func (c Cloud) MarshalJSON() ([]byte, error) {
	var b []byte
	b = append(b, '{')
	for i, a := range c.fields() {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, a.Key)
		b = append(b, ':')
		v, err := json.Marshal(a.Value.Any())
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, '}'), nil
}
