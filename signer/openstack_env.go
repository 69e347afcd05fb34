package signer

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
)

// The OpenStack-style variables of an openrc file, as Open Telekom Cloud
// documents them and gophertelekomcloud reads them.
const (
	osEnvAuthURL     = "OS_AUTH_URL"
	osEnvUsername    = "OS_USERNAME"
	osEnvPassword    = "OS_PASSWORD"
	osEnvDomainName  = "OS_DOMAIN_NAME"
	osEnvProjectName = "OS_PROJECT_NAME"
	osEnvProjectID   = "OS_PROJECT_ID"
	osEnvRegionName  = "OS_REGION_NAME"
	osEnvAuthToken   = "OS_AUTH_TOKEN"
	osEnvAccessKey   = "OS_ACCESS_KEY"
	osEnvSecretKey   = "OS_SECRET_KEY"
)

// OpenStackEnvironment holds the OpenStack-style environment variables that
// Open Telekom Cloud tools use, as read by OpenStackEnv; empty fields were
// not set. They give one of three kinds of authentication: a static token
// (Token), an access key pair (Credentials), or a user name and password,
// which signer/huaweicreds turns into an IAM token source
// (huaweicreds.PasswordConfigFromEnv): signer makes no network call.
//
// Password, AuthToken and SecretKey are never rendered: fmt (every verb),
// slog and encoding/json print "[redacted]" instead.
type OpenStackEnvironment struct {
	AuthURL     string // OS_AUTH_URL, e.g. https://iam.eu-de.otc.t-systems.com/v3
	Username    string // OS_USERNAME
	Password    string // OS_PASSWORD, secret
	DomainName  string // OS_DOMAIN_NAME, the account
	ProjectName string // OS_PROJECT_NAME
	ProjectID   string // OS_PROJECT_ID
	RegionName  string // OS_REGION_NAME
	AuthToken   string // OS_AUTH_TOKEN, secret
	AccessKey   string // OS_ACCESS_KEY
	SecretKey   string // OS_SECRET_KEY, secret
}

// OpenStackEnv reads the OpenStack-style variables (OS_AUTH_URL,
// OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME, OS_PROJECT_NAME, OS_PROJECT_ID,
// OS_REGION_NAME, OS_AUTH_TOKEN, OS_ACCESS_KEY, OS_SECRET_KEY) and returns
// what is set. It never fails; the methods of the result say what is missing.
func OpenStackEnv() OpenStackEnvironment { return openStackEnvFrom(os.Getenv) }

func openStackEnvFrom(get func(string) string) OpenStackEnvironment {
	return OpenStackEnvironment{
		AuthURL:     get(osEnvAuthURL),
		Username:    get(osEnvUsername),
		Password:    get(osEnvPassword),
		DomainName:  get(osEnvDomainName),
		ProjectName: get(osEnvProjectName),
		ProjectID:   get(osEnvProjectID),
		RegionName:  get(osEnvRegionName),
		AuthToken:   get(osEnvAuthToken),
		AccessKey:   get(osEnvAccessKey),
		SecretKey:   get(osEnvSecretKey),
	}
}

func osMissing(name string) error {
	return fmt.Errorf("signer: environment variable %s is not set: %w", name, ErrNoCredentials)
}

// Token returns OS_AUTH_TOKEN as a static token source, or an error naming
// the variable (wrapping ErrNoCredentials) when it is not set. A static token
// cannot be refreshed: once it expires, calls fail with 401.
func (e OpenStackEnvironment) Token() (TokenSource, error) {
	if e.AuthToken == "" {
		return nil, osMissing(osEnvAuthToken)
	}
	return StaticToken(e.AuthToken), nil
}

// Credentials returns OS_ACCESS_KEY and OS_SECRET_KEY as static access keys,
// with OS_PROJECT_ID as their ProjectID, or an error naming the missing
// variable (wrapping ErrNoCredentials). Source is "env".
func (e OpenStackEnvironment) Credentials() (HuaweiCredentialsProvider, error) {
	switch {
	case e.AccessKey == "":
		return nil, osMissing(osEnvAccessKey)
	case e.SecretKey == "":
		return nil, osMissing(osEnvSecretKey)
	}
	c := HuaweiCredentials{AccessKey: e.AccessKey, SecretKey: e.SecretKey, ProjectID: e.ProjectID, Source: "env"}
	if err := hwCheckCredentials(c); err != nil {
		return nil, err
	}
	return StaticHuaweiCredentials(c), nil
}

func (e OpenStackEnvironment) redactedString() string {
	var b strings.Builder
	b.WriteString("signer.OpenStackEnvironment{AuthURL:")
	b.WriteString(e.AuthURL)
	b.WriteString(" Username:")
	b.WriteString(e.Username)
	b.WriteString(" Password:")
	b.WriteString(mask(e.Password))
	b.WriteString(" DomainName:")
	b.WriteString(e.DomainName)
	b.WriteString(" ProjectName:")
	b.WriteString(e.ProjectName)
	b.WriteString(" ProjectID:")
	b.WriteString(e.ProjectID)
	b.WriteString(" RegionName:")
	b.WriteString(e.RegionName)
	b.WriteString(" AuthToken:")
	b.WriteString(mask(e.AuthToken))
	b.WriteString(" AccessKey:")
	b.WriteString(e.AccessKey)
	b.WriteString(" SecretKey:")
	b.WriteString(mask(e.SecretKey))
	b.WriteString("}")
	return b.String()
}

// String returns the variables with the secrets redacted.
func (e OpenStackEnvironment) String() string { return e.redactedString() }

// GoString returns the variables with the secrets redacted.
func (e OpenStackEnvironment) GoString() string { return e.redactedString() }

// Format writes the redacted rendering for every verb.
func (e OpenStackEnvironment) Format(f fmt.State, verb rune) {
	formatSafe(f, verb, e.redactedString())
}

// LogValue renders the variables for log/slog with the secrets redacted.
func (e OpenStackEnvironment) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("auth_url", e.AuthURL),
		slog.String("username", e.Username),
		slog.String("password", mask(e.Password)),
		slog.String("domain_name", e.DomainName),
		slog.String("project_name", e.ProjectName),
		slog.String("project_id", e.ProjectID),
		slog.String("region_name", e.RegionName),
		slog.String("auth_token", mask(e.AuthToken)),
		slog.String("access_key", e.AccessKey),
		slog.String("secret_key", mask(e.SecretKey)),
	)
}

// MarshalJSON encodes the variables with the secrets redacted.
func (e OpenStackEnvironment) MarshalJSON() ([]byte, error) {
	type plain OpenStackEnvironment // no methods: no recursion
	p := plain(e)
	p.Password, p.AuthToken, p.SecretKey = mask(e.Password), mask(e.AuthToken), mask(e.SecretKey)
	return json.Marshal(p)
}
