package signer

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
)

// AWSConfigSource says where LoadAWSConfig looks. The zero value reads the
// process environment and the user's home directory, as aws-sdk-go-v2's
// config.LoadDefaultConfig does without options.
type AWSConfigSource struct {
	// LookupEnv reads an environment variable; nil means os.LookupEnv. An
	// empty value counts as unset, except where the SDK itself tells an
	// empty variable from an absent one (AWS_ENDPOINT_URL, see AWSSettings).
	LookupEnv func(string) (string, bool)

	// HomeDir returns the home directory, for the default file paths and the
	// SSO and login token caches; nil means os.UserHomeDir. When it fails,
	// the default files are not read (the SDK would read ".aws/config"
	// relative to the working directory) and SSO and login profiles fail.
	HomeDir func() (string, error)

	// Profile selects a profile in code, as config.WithSharedConfigProfile
	// does: it beats AWS_PROFILE, it must exist, and the credential chain
	// starts at the profile, skipping the environment's keys and web
	// identity.
	Profile string

	// ConfigFile and CredentialsFile, when set, replace AWS_CONFIG_FILE and
	// AWS_SHARED_CREDENTIALS_FILE and the defaults ~/.aws/config and
	// ~/.aws/credentials, as config.WithSharedConfigFiles and
	// WithSharedCredentialsFiles do with one file each.
	ConfigFile, CredentialsFile string
}

// AWSConfig is the environment and the AWS shared config and credentials
// files, loaded once by LoadAWSConfig: the selected profile (with its
// source_profile chain, sso-session and services sections), and what the
// environment says. CredentialPlan turns it into the credential chain and
// Settings into one service client's settings.
//
// It does not change after loading and is safe for concurrent use. It holds
// the secrets it read (keys, tokens), so every rendering (fmt verbs, slog,
// JSON) shows only the exported fields below.
type AWSConfig struct {
	Profile         string // the selected profile: AWSConfigSource.Profile, AWS_PROFILE, AWS_DEFAULT_PROFILE or "default"
	ProfileFound    bool   // whether the files have it; a missing profile that was not named counts as empty
	ConfigFile      string // the shared config file read ("" when there was none to read)
	CredentialsFile string // the shared credentials file read ("" when there was none to read)

	// IMDS is the EC2 instance metadata settings, for the IMDS credentials
	// step and for anyone else who asks the instance metadata service.
	IMDS AWSIMDSConfig

	lookupEnv   func(string) (string, bool)
	home        string // "" when unknown
	codeProfile bool   // AWSConfigSource.Profile was set
	env         awsEnvConfig
	top         *awsProfile // the selected profile; nil when not found
}

// AWSIMDSConfig is how the EC2 instance metadata service (IMDS) is reached,
// from the environment first and then the selected profile, as
// aws-sdk-go-v2's imds.NewFromConfig reads it (feature/ec2/imds v1.20.9).
type AWSIMDSConfig struct {
	// Disabled is AWS_EC2_METADATA_DISABLED=true (any case): every call to
	// IMDS must fail without traffic.
	Disabled bool
	// Endpoint is AWS_EC2_METADATA_SERVICE_ENDPOINT, else the profile's
	// ec2_metadata_service_endpoint; empty means the EndpointMode default.
	Endpoint string
	// EndpointMode is "IPv4", "IPv6" or "" (IPv4), from
	// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE, else
	// ec2_metadata_service_endpoint_mode.
	EndpointMode string
	// V1Disabled is AWS_EC2_METADATA_V1_DISABLED, else
	// ec2_metadata_v1_disabled: when the IMDSv2 token request fails, fail
	// instead of falling back to IMDSv1.
	V1Disabled bool
}

// EndpointURL is the base URL to send IMDS requests to: Endpoint, else
// http://[fd00:ec2::254] in IPv6 mode, else http://169.254.169.254.
func (c AWSIMDSConfig) EndpointURL() string {
	switch {
	case c.Endpoint != "":
		return c.Endpoint
	case c.EndpointMode == "IPv6":
		return "http://[fd00:ec2::254]"
	}
	return "http://169.254.169.254"
}

// LoadAWSConfig reads the environment and the AWS shared config and
// credentials files as aws-sdk-go-v2's config.LoadDefaultConfig (config
// v1.33.19) reads them, and refuses what it refuses while loading, with an
// *AWSConfigError:
//
//   - Files: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (or the
//     source's fields), else ~/.aws/config and ~/.aws/credentials. A missing
//     file is empty; an unreadable one, or one larger than
//     AWSConfigMaxFileSize, is an error naming it. In the config file,
//     [profile X] and [default] are profiles (bare [X] is ignored); in the
//     credentials file, [X] is. For a profile in both, the credentials
//     file's complete key pair and its role, region, SSO, process and
//     endpoint-mode keys win; its other keys are dropped, as the SDK drops
//     them.
//   - Profile: AWSConfigSource.Profile, AWS_PROFILE, AWS_DEFAULT_PROFILE,
//     "default". A missing profile is an error only when the source or
//     AWS_PROFILE named it; otherwise it counts as empty.
//   - The profile and its source_profile chain are checked as the SDK
//     checks them: one credential type per profile, role_arn where
//     source_profile, credential_source or web_identity_token_file need it,
//     source profiles that exist and have credentials, the sso-session
//     section a profile names, only one of the key pair, and the values that
//     must be numbers or fixed words.
//   - Environment values that must be true or false (AWS_USE_FIPS_ENDPOINT
//     and the like), numbers (AWS_MAX_ATTEMPTS) or fixed words are checked.
//
// It reads nothing else and calls nothing: the credentials are planned by
// CredentialPlan and fetched by whoever executes the plan.
func LoadAWSConfig(src AWSConfigSource) (*AWSConfig, error) {
	return loadAWSConfig(src, awsReadConfigFile)
}

// loadAWSConfig is LoadAWSConfig with the file reader as a parameter, for
// tests that keep files in memory.
func loadAWSConfig(src AWSConfigSource, readFile func(string) ([]byte, error)) (*AWSConfig, error) {
	lookup := src.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	get := func(name string) string { v, _ := lookup(name); return v }
	env, err := loadAWSEnv(get)
	if err != nil {
		return nil, err
	}
	homeDir := src.HomeDir
	if homeDir == nil {
		homeDir = os.UserHomeDir
	}
	home, err := homeDir()
	if err != nil {
		home = ""
	}
	c := &AWSConfig{lookupEnv: lookup, home: home, codeProfile: src.Profile != "", env: env}

	c.Profile = awsFirst(src.Profile, env.profile, "default")
	c.ConfigFile = awsFirst(src.ConfigFile, env.configFile, awsHomePath(home, "config"))
	c.CredentialsFile = awsFirst(src.CredentialsFile, env.credentials, awsHomePath(home, "credentials"))

	sections, err := awsLoadSections(c.ConfigFile, c.CredentialsFile, readFile)
	if err != nil {
		return nil, err
	}
	loader := &awsProfileLoader{sections: sections, seen: map[string]bool{}}
	c.top, err = loader.load(c.Profile)
	if _, missing := err.(*errAWSProfileNotFound); missing {
		if c.codeProfile || get(awsEnvProfile) != "" {
			key := awsEnvProfile
			if c.codeProfile {
				key = ""
			}
			return nil, &AWSConfigError{Profile: c.Profile, Key: key, Rule: "profile not found in the shared config or credentials file"}
		}
		err = nil
	}
	if err != nil {
		return nil, err
	}
	c.ProfileFound = c.top != nil
	c.IMDS = c.imdsConfig()
	return c, nil
}

// awsLoadSections reads, parses and merges the two files; an empty path is
// skipped.
func awsLoadSections(configFile, credentialsFile string, readFile func(string) ([]byte, error)) (awsINIFile, error) {
	load := func(path string) (awsINIFile, error) {
		out := awsINIFile{}
		if path == "" {
			return out, nil
		}
		data, err := readFile(path)
		if err != nil {
			return nil, err
		}
		parsed, _ := awsParseINI(data, path)
		awsMergeSections(out, parsed)
		return out, nil
	}
	config, err := load(configFile)
	if err != nil {
		return nil, err
	}
	credentials, err := load(credentialsFile)
	if err != nil {
		return nil, err
	}
	config = awsConfigSections(config)
	awsMergeSections(config, awsCredentialsSections(credentials))
	return config, nil
}

func (c *AWSConfig) imdsConfig() AWSIMDSConfig {
	p := c.profileOrEmpty()
	out := AWSIMDSConfig{
		Disabled:     c.env.imdsDisabled,
		Endpoint:     awsFirst(c.env.imdsEndpoint, p.imdsEndpoint),
		EndpointMode: awsFirst(c.env.imdsMode, p.imdsMode),
	}
	if v := awsFirstBool(c.env.imdsV1Disabled, p.imdsV1Disabled); v != nil {
		out.V1Disabled = *v
	}
	return out
}

// profileOrEmpty is the selected profile, or an empty one when the files do
// not have it (the SDK's empty SharedConfig).
func (c *AWSConfig) profileOrEmpty() *awsProfile {
	if c.top == nil {
		return &awsProfile{name: c.Profile}
	}
	return c.top
}

// awsHomePath is ~/.aws/name, or "" when the home directory is unknown.
func awsHomePath(home, name string) string {
	if home == "" {
		return ""
	}
	return filepath.Join(home, ".aws", name)
}

// awsFirst returns the first non-empty value.
func awsFirst(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// awsFirstBool returns the first value that is set.
func awsFirstBool(values ...*bool) *bool {
	for _, v := range values {
		if v != nil {
			return v
		}
	}
	return nil
}

// String renders the exported fields; the secrets the configuration holds
// are never shown. The renderings have value receivers so that a copy of
// the struct is as safe to print as a pointer to it.
func (c AWSConfig) String() string {
	return "AWSConfig{Profile:" + c.Profile + " ProfileFound:" + strconv.FormatBool(c.ProfileFound) +
		" ConfigFile:" + c.ConfigFile + " CredentialsFile:" + c.CredentialsFile + "}"
}

// GoString is String: the unexported state is not rendered.
func (c AWSConfig) GoString() string { return c.String() }

// Format implements fmt.Formatter with String for every verb.
func (c AWSConfig) Format(f fmt.State, verb rune) { formatSafe(f, verb, c.String()) }

// LogValue implements slog.LogValuer with the exported fields.
func (c AWSConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON encodes the exported fields only.
func (c AWSConfig) MarshalJSON() ([]byte, error) {
	type exported struct {
		Profile         string
		ProfileFound    bool
		ConfigFile      string
		CredentialsFile string
		IMDS            AWSIMDSConfig
	}
	return json.Marshal(exported{c.Profile, c.ProfileFound, c.ConfigFile, c.CredentialsFile, c.IMDS})
}
