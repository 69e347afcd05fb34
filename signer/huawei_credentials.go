package signer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"
)

// HuaweiCredentials is an access key pair for Huawei Cloud or Open Telekom
// Cloud, with the optional security token of temporary keys and the project
// or domain the requests act on.
//
// SecretKey and SecurityToken are never rendered: fmt (every verb), slog and
// encoding/json print "[redacted]" instead (an empty value stays empty, so a
// missing token is still visible).
type HuaweiCredentials struct {
	AccessKey     string // AK
	SecretKey     string // SK, secret
	SecurityToken string // X-Security-Token of temporary keys, secret; empty for permanent keys

	// ProjectID is sent as X-Project-Id (project-level services such as DNS);
	// DomainID as X-Domain-Id (global services such as IAM Identity Center).
	// Empty values are not sent.
	ProjectID string
	DomainID  string

	Expires time.Time // when temporary keys stop working; zero: never
	Source  string    // where the credentials came from, for diagnostics
}

// redactedString is the rendering shared by String, GoString and Format.
func (c HuaweiCredentials) redactedString() string {
	// One concatenation, not a strings.Builder: the same string from a
	// fifth of the code.
	return "signer.HuaweiCredentials{AccessKey:" + c.AccessKey + " SecretKey:" + mask(c.SecretKey) +
		" SecurityToken:" + mask(c.SecurityToken) + " ProjectID:" + c.ProjectID + " DomainID:" + c.DomainID +
		" Expires:" + hwFormatTime(c.Expires) + " Source:" + c.Source + "}"
}

// hwFormatTime renders an expiry; the zero time means "never".
func hwFormatTime(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

// String returns the credentials with the secrets redacted.
func (c HuaweiCredentials) String() string { return c.redactedString() }

// GoString returns the credentials with the secrets redacted.
func (c HuaweiCredentials) GoString() string { return c.redactedString() }

// Format writes the redacted rendering for every verb, so that %d or %x
// cannot reach the raw fields.
func (c HuaweiCredentials) Format(f fmt.State, verb rune) {
	formatSafe(f, verb, c.redactedString())
}

// LogValue renders the credentials for log/slog with the secrets redacted.
func (c HuaweiCredentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key", c.AccessKey),
		slog.String("secret_key", mask(c.SecretKey)),
		slog.String("security_token", mask(c.SecurityToken)),
		slog.String("project_id", c.ProjectID),
		slog.String("domain_id", c.DomainID),
		slog.String("expires", hwFormatTime(c.Expires)),
		slog.String("source", c.Source),
	)
}

// MarshalJSON encodes the credentials with the secrets redacted; it is meant
// for diagnostics, the JSON cannot be turned back into usable credentials.
func (c HuaweiCredentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		AccessKey     string
		SecretKey     string
		SecurityToken string
		ProjectID     string
		DomainID      string
		Expires       time.Time
		Source        string
	}{c.AccessKey, mask(c.SecretKey), mask(c.SecurityToken), c.ProjectID, c.DomainID, c.Expires, c.Source})
}

// hwCheckCredentials validates credentials before they are used to sign.
// A missing key wraps ErrNoCredentials.
func hwCheckCredentials(c HuaweiCredentials) error {
	if c.AccessKey == "" {
		return fmt.Errorf("signer: huawei access key is empty: %w", ErrNoCredentials)
	}
	if c.SecretKey == "" {
		return fmt.Errorf("signer: huawei secret key is empty: %w", ErrNoCredentials)
	}
	// The access key is written into the Authorization header, where ',', '/'
	// and '=' delimit the parameters; real AKs are upper-case alphanumerics.
	for i := 0; i < len(c.AccessKey); i++ {
		if ch := c.AccessKey[i]; ch <= ' ' || ch >= 0x7f || ch == ',' || ch == '/' || ch == '=' {
			return errors.New("signer: huawei access key must be printable ASCII without space, ',', '/' or '='")
		}
	}
	if err := hwCheckHeaderValue("huawei security token", c.SecurityToken); err != nil {
		return err
	}
	if err := hwCheckHeaderValue("huawei project ID", c.ProjectID); err != nil {
		return err
	}
	return hwCheckHeaderValue("huawei domain ID", c.DomainID)
}

// HuaweiCredentialsProvider supplies Huawei Cloud / OTC credentials. It is
// called once per request attempt, so implementations that fetch remotely
// should cache.
type HuaweiCredentialsProvider interface {
	RetrieveHuawei(ctx context.Context) (HuaweiCredentials, error)
}

// StaticHuaweiCredentials returns a provider that always returns c. The access
// key and secret key are checked when the credentials are retrieved: an empty
// one is an error wrapping ErrNoCredentials. Source is set to "static" when
// empty.
func StaticHuaweiCredentials(c HuaweiCredentials) HuaweiCredentialsProvider {
	if c.Source == "" {
		c.Source = "static"
	}
	// A pointer, so a provider kept in an unexported field of a user's
	// struct prints as an address, never as its fields.
	return &hwStaticProvider{creds: c}
}

// hwStaticProvider holds credentials; it renders them redacted, because a
// provider is easily printed as a field of an options struct.
type hwStaticProvider struct{ creds HuaweiCredentials }

func (p hwStaticProvider) RetrieveHuawei(ctx context.Context) (HuaweiCredentials, error) {
	if err := checkContext(ctx); err != nil {
		return HuaweiCredentials{}, err
	}
	if err := hwCheckCredentials(p.creds); err != nil {
		return HuaweiCredentials{}, err
	}
	return p.creds, nil
}

func (p hwStaticProvider) String() string {
	return "StaticHuaweiCredentials(" + p.creds.redactedString() + ")"
}
func (p hwStaticProvider) GoString() string { return p.String() }
func (p hwStaticProvider) Format(f fmt.State, verb rune) {
	formatSafe(f, verb, p.String())
}
func (p hwStaticProvider) LogValue() slog.Value         { return p.creds.LogValue() }
func (p hwStaticProvider) MarshalJSON() ([]byte, error) { return p.creds.MarshalJSON() }

// Environment variables read by HuaweiCredentialsFromEnv; the names are those
// of huaweicloud-sdk-go-v3 (core/auth/provider/env_provider.go).
const (
	hwEnvAK            = "HUAWEICLOUD_SDK_AK"
	hwEnvSK            = "HUAWEICLOUD_SDK_SK"
	hwEnvSecurityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
	hwEnvProjectID     = "HUAWEICLOUD_SDK_PROJECT_ID"
	hwEnvDomainID      = "HUAWEICLOUD_SDK_DOMAIN_ID"
)

// HuaweiCredentialsFromEnv returns a provider that reads the environment each
// time credentials are retrieved: HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK,
// HUAWEICLOUD_SDK_SECURITY_TOKEN, HUAWEICLOUD_SDK_PROJECT_ID and
// HUAWEICLOUD_SDK_DOMAIN_ID (the Huawei v3 SDK's names). A missing AK or SK is
// an error that names the variable and wraps ErrNoCredentials. Source is "env".
func HuaweiCredentialsFromEnv() HuaweiCredentialsProvider { return hwEnvProvider{} }

type hwEnvProvider struct{}

func (hwEnvProvider) RetrieveHuawei(ctx context.Context) (HuaweiCredentials, error) {
	if err := checkContext(ctx); err != nil {
		return HuaweiCredentials{}, err
	}
	c := HuaweiCredentials{
		AccessKey:     os.Getenv(hwEnvAK),
		SecretKey:     os.Getenv(hwEnvSK),
		SecurityToken: os.Getenv(hwEnvSecurityToken),
		ProjectID:     os.Getenv(hwEnvProjectID),
		DomainID:      os.Getenv(hwEnvDomainID),
		Source:        "env",
	}
	if c.AccessKey == "" {
		return HuaweiCredentials{}, fmt.Errorf("signer: environment variable %s is not set: %w", hwEnvAK, ErrNoCredentials)
	}
	if c.SecretKey == "" {
		return HuaweiCredentials{}, fmt.Errorf("signer: environment variable %s is not set: %w", hwEnvSK, ErrNoCredentials)
	}
	if err := hwCheckCredentials(c); err != nil {
		return HuaweiCredentials{}, err
	}
	return c, nil
}

func (hwEnvProvider) String() string { return "HuaweiCredentialsFromEnv()" }
