package signer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Environment variables read by the AWS providers, as the AWS SDKs name them.
const (
	awsEnvAccessKeyID     = "AWS_ACCESS_KEY_ID"
	awsEnvSecretAccessKey = "AWS_SECRET_ACCESS_KEY"
	awsEnvSessionToken    = "AWS_SESSION_TOKEN"
	awsEnvCredentialsFile = "AWS_SHARED_CREDENTIALS_FILE"
	awsEnvProfile         = "AWS_PROFILE"
)

// DefaultAWSCredentials returns the chain the AWS SDKs start with, limited
// to static keys: the environment, then the shared credentials file
// ($AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile $AWS_PROFILE
// or "default"). Roles, SSO, process credentials and instance metadata are
// not supported.
func DefaultAWSCredentials() AWSCredentialsProvider {
	return AWSCredentialsChain(AWSCredentialsFromEnv(), AWSSharedCredentials("", ""))
}

// AWSCredentialsFromEnv returns a provider reading AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and the optional AWS_SESSION_TOKEN each time it is
// asked (Source "environment"). An empty variable counts as unset. Neither
// key set is an error wrapping ErrNoCredentials; only one set is an error
// naming the missing variable.
func AWSCredentialsFromEnv() AWSCredentialsProvider {
	return &awsEnvProvider{lookupEnv: os.LookupEnv}
}

type awsEnvProvider struct {
	lookupEnv func(string) (string, bool) // os.LookupEnv; replaced in tests
}

func (p *awsEnvProvider) RetrieveAWS(ctx context.Context) (AWSCredentials, error) {
	if err := checkContext(ctx); err != nil {
		return AWSCredentials{}, err
	}
	get := func(name string) string { v, _ := p.lookupEnv(name); return v }
	ak, sk := get(awsEnvAccessKeyID), get(awsEnvSecretAccessKey)
	switch {
	case ak == "" && sk == "":
		return AWSCredentials{}, &awsSourceError{source: "environment",
			reason: awsEnvAccessKeyID + " and " + awsEnvSecretAccessKey + " are not set", err: ErrNoCredentials}
	case ak == "":
		return AWSCredentials{}, &awsSourceError{source: "environment",
			reason: awsEnvAccessKeyID + " is not set but " + awsEnvSecretAccessKey + " is"}
	case sk == "":
		return AWSCredentials{}, &awsSourceError{source: "environment",
			reason: awsEnvSecretAccessKey + " is not set but " + awsEnvAccessKeyID + " is"}
	}
	return AWSCredentials{AccessKeyID: ak, SecretAccessKey: sk, SessionToken: get(awsEnvSessionToken),
		Source: "environment"}, nil
}

func (p *awsEnvProvider) String() string { return "AWSCredentialsFromEnv" }

// AWSSharedCredentials returns a provider reading static keys
// (aws_access_key_id, aws_secret_access_key, optional aws_session_token)
// from profile of the shared credentials file, parsed as LoadAWSConfig
// parses it (aws-sdk-go-v2's reading), except that a line it cannot read is
// an error here rather than skipped.
//
// An empty file means $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials
// (a leading "~/" is expanded, as botocore does); an empty profile means
// $AWS_PROFILE, else "default". Both are resolved at the first retrieval.
// A missing file or profile, or a profile without keys (a role or SSO
// profile), is an error wrapping ErrNoCredentials. A profile with only one of
// the key pair, a malformed file, or one larger than AWSConfigMaxFileSize, is
// an error naming the key or the line number (never the line, which may hold
// a secret).
//
// The credentials are read once and cached for the provider's life; a
// failed read is retried on the next call.
func AWSSharedCredentials(file, profile string) AWSCredentialsProvider {
	return &awsSharedProvider{
		file: file, profile: profile,
		lookupEnv: os.LookupEnv, userHomeDir: os.UserHomeDir, readFile: awsReadFileBounded,
	}
}

type awsSharedProvider struct {
	file, profile string

	// The process environment and file system; replaced in tests.
	lookupEnv   func(string) (string, bool)
	userHomeDir func() (string, error)
	readFile    func(string) ([]byte, error)

	mu     sync.Mutex
	cached *AWSCredentials // set after the first successful read
}

func (p *awsSharedProvider) RetrieveAWS(ctx context.Context) (AWSCredentials, error) {
	if err := checkContext(ctx); err != nil {
		return AWSCredentials{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cached != nil {
		return *p.cached, nil
	}
	if err := ctx.Err(); err != nil {
		return AWSCredentials{}, err
	}
	c, err := p.read()
	if err != nil {
		return AWSCredentials{}, err
	}
	p.cached = &c
	return c, nil
}

// read resolves the file and profile and loads the credentials.
func (p *awsSharedProvider) read() (AWSCredentials, error) {
	file, profile := p.file, p.profile
	if file == "" {
		file, _ = p.lookupEnv(awsEnvCredentialsFile)
	}
	if file == "" || file == "~" || strings.HasPrefix(file, "~/") {
		home, err := p.userHomeDir()
		if err != nil || home == "" {
			return AWSCredentials{}, &awsSourceError{source: "shared credentials file",
				reason: "cannot locate the home directory", err: ErrNoCredentials}
		}
		if file == "" {
			file = filepath.Join(home, ".aws", "credentials")
		} else {
			file = filepath.Join(home, strings.TrimPrefix(file[1:], "/"))
		}
	}
	if profile == "" {
		profile, _ = p.lookupEnv(awsEnvProfile)
	}
	if profile == "" {
		profile = "default"
	}
	source := "shared credentials file " + file + " [" + profile + "]"

	data, err := p.readFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return AWSCredentials{}, &awsSourceError{source: source, reason: "file does not exist", err: ErrNoCredentials}
	case err != nil:
		return AWSCredentials{}, &awsSourceError{source: source, reason: "cannot read file", err: awsPathlessError(err)}
	}
	// A leading byte-order mark (Windows editors write one) has always been
	// accepted here; the SDK's reading, which LoadAWSConfig keeps, does not.
	sections, ignored := awsParseINI(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), file)
	if len(ignored) > 0 {
		// The SDK skips such lines; this provider has always refused them,
		// as botocore does.
		return AWSCredentials{}, &awsSourceError{source: source, reason: "malformed",
			err: &awsINIError{line: ignored[0], reason: `expected "[name]" or "key = value"`}}
	}
	prof := awsCredentialsSections(sections)[profile]
	if prof == nil {
		return AWSCredentials{}, &awsSourceError{source: source, reason: "profile not found", err: ErrNoCredentials}
	}
	ak, sk := prof.str(awsKeyAccessKeyID), prof.str(awsKeySecretAccessKey)
	switch {
	case ak == "" && sk == "":
		return AWSCredentials{}, &awsSourceError{source: source,
			reason: "profile has no aws_access_key_id and aws_secret_access_key (role, SSO and process profiles are not supported)",
			err:    ErrNoCredentials}
	case ak == "":
		return AWSCredentials{}, &awsSourceError{source: source, reason: "aws_access_key_id is missing (aws_secret_access_key is set)"}
	case sk == "":
		return AWSCredentials{}, &awsSourceError{source: source, reason: "aws_secret_access_key is missing (aws_access_key_id is set)"}
	}
	return AWSCredentials{AccessKeyID: ak, SecretAccessKey: sk, SessionToken: prof.str(awsKeySessionToken), Source: source}, nil
}

// awsPathlessError keeps the cause of an I/O error without repeating the
// path, which the source name already carries.
func awsPathlessError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

func (p *awsSharedProvider) String() string {
	file, profile := p.file, p.profile
	if file == "" {
		file = "(default file)"
	}
	if profile == "" {
		profile = "(default profile)"
	}
	return "AWSSharedCredentials(" + file + " [" + profile + "])"
}

// The shared provider caches credentials in an unexported field: these
// renderings keep fmt's reflection away from it.
func (p *awsSharedProvider) GoString() string              { return p.String() }
func (p *awsSharedProvider) Format(f fmt.State, verb rune) { awsFormatProvider(f, verb, p) }
func (p *awsSharedProvider) LogValue() slog.Value          { return slog.StringValue(p.String()) }
func (p *awsSharedProvider) MarshalJSON() ([]byte, error)  { return json.Marshal(p.String()) }
