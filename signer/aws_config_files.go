package signer

import (
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
)

// AWSConfigMaxFileSize bounds each shared config or credentials file
// LoadAWSConfig and AWSSharedCredentials read: a larger file is an error.
const AWSConfigMaxFileSize = 1 << 20

// errAWSFileTooLarge is a shared config or credentials file over
// AWSConfigMaxFileSize.
var errAWSFileTooLarge = errors.New("larger than " + strconv.Itoa(AWSConfigMaxFileSize>>20) + " MiB")

// awsReadFileBounded reads a file of at most AWSConfigMaxFileSize bytes.
func awsReadFileBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, AWSConfigMaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > AWSConfigMaxFileSize {
		return nil, errAWSFileTooLarge
	}
	return data, nil
}

// awsReadConfigFile reads a shared config or credentials file for
// LoadAWSConfig. A file that does not exist reads as empty (nil, nil).
// Other failures are errors naming the file but not quoting it.
//
// aws-sdk-go-v2 treats a file it cannot open (permission denied, for
// example) as empty too; detach reports it, because silently falling
// through to another identity hides the mistake.
func awsReadConfigFile(path string) ([]byte, error) {
	data, err := awsReadFileBounded(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err == errAWSFileTooLarge:
		return nil, &AWSConfigError{File: path, Rule: err.Error()}
	case err != nil:
		return nil, &AWSConfigError{File: path, Rule: "cannot read", Err: awsPathlessError(err)}
	}
	return data, nil
}

// awsConfigSections turns a parsed config file into profiles the way the
// SDK's processConfigSections does: "[profile X]" becomes X and replaces a
// bare [X]; [default] (any case), [sso-session ...] and [services ...] are
// kept; other bare sections are dropped. The SDK walks the names in sorted
// order, which decides odd cases such as "[profile profile x]"; so does
// this.
func awsConfigSections(in awsINIFile) awsINIFile {
	skip := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(in)) {
		if skip[name] {
			continue
		}
		switch {
		case strings.HasPrefix(name, "profile "):
			s := in[name]
			if s == nil {
				continue
			}
			delete(in, name)
			s.name = strings.TrimPrefix(name, "profile ")
			in[s.name] = s
			skip[s.name] = true
		case strings.HasPrefix(name, "sso-session "), strings.HasPrefix(name, "services "),
			strings.EqualFold(name, "default"):
		default:
			delete(in, name)
		}
	}
	return in
}

// awsCredentialsSections drops "[profile X]" sections from a parsed
// credentials file, where the prefix is not allowed; every other section
// is kept by its name.
func awsCredentialsSections(in awsINIFile) awsINIFile {
	for name := range in {
		if strings.HasPrefix(name, "profile ") {
			delete(in, name)
		}
	}
	return in
}

// awsMergeKeys are the keys the SDK's mergeSections copies from the
// credentials file into a profile the config file also has; any other key
// of the credentials file's section is dropped.
var awsMergeKeys = []string{
	awsKeyRoleARN, awsKeySourceProfile, awsKeyCredentialSource, awsKeyExternalID, awsKeyMFASerial,
	awsKeyRoleSessionName, awsKeyRegion, "endpoint_discovery_enabled", awsKeyCredentialProcess,
	awsKeyWebIdentityTokenFile, "s3_use_arn_region", "s3_disable_multiregion_access_points",
	awsKeyIMDSEndpointMode, awsKeyIMDSEndpoint, awsKeyIMDSV1Disabled, awsKeyUseDualStack, awsKeyUseFIPS,
	"defaults_mode", awsKeyRetryMode, awsKeyCABundle, awsKeyDurationSeconds, awsKeyMaxAttempts,
	awsKeySSOSession, awsKeySSOAccountID, awsKeySSORegion, awsKeySSORoleName, awsKeySSOStartURL,
	"auth_scheme_preference", awsKeyLoginSession,
}

// awsMergeSections merges src into dst as the SDK's mergeSections does:
// a section only in src is taken whole; for one in both, src's complete key
// pair (and its session token) and the awsMergeKeys override dst, and src's
// partial-credentials state replaces dst's.
func awsMergeSections(dst, src awsINIFile) {
	for name, s := range src {
		s.partial = s.has(awsKeyAccessKeyID) != s.has(awsKeySecretAccessKey)
		d := dst[name]
		if d == nil {
			dst[name] = s
			continue
		}
		d.partial = s.partial
		keys := awsMergeKeys
		if s.has(awsKeyAccessKeyID) && s.has(awsKeySecretAccessKey) {
			keys = append([]string{awsKeyAccessKeyID, awsKeySecretAccessKey, awsKeySessionToken}, keys...)
		}
		for _, k := range keys {
			if s.has(k) {
				// Copied as a string: the SDK drops sub-properties here.
				d.values[k] = awsINIValue{str: s.str(k)}
				d.file[k] = s.file[k]
			}
		}
	}
}
