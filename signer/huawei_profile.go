package signer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Settings of the Huawei profile file, named as huaweicloud-sdk-go-v3
// (v0.1.207, core/auth/provider/profile_provider.go) names them.
const (
	hwEnvCredentialsFile = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"
)

// The two sections of the profile file: HuaweiProfileBasic for
// project-level services (DNS, ...), whose keys carry project_id;
// HuaweiProfileGlobal for global services (IAM Identity Center, ...), whose
// keys carry domain_id. They are the SDK's credential types.
const (
	HuaweiProfileBasic  = "basic"
	HuaweiProfileGlobal = "global"
)

// HuaweiProfile is one section of the Huawei profile file.
//
// Credentials holds the keys (AccessKey, SecretKey, SecurityToken) and, as
// the SDK takes them, ProjectID from project_id in the basic section or
// DomainID from domain_id in the global section (never both). When the
// section names an identity provider and an ID token file, the profile is
// federated: Credentials has no keys and [HuaweiProfile.Federated] is true;
// the SDK then ignores ak and sk, and so does this.
//
// Printing a HuaweiProfile is safe: Credentials renders its secrets
// redacted, and the other fields are not secret (IDTokenFile is a path).
type HuaweiProfile struct {
	Credentials HuaweiCredentials
	IAMEndpoint string // iam_endpoint: overrides the IAM endpoint of federation
	IdPID       string // idp_id
	IDTokenFile string // id_token_file
	File        string // the file read
}

// Federated reports whether the profile names an identity provider and an
// ID token file, which take the place of keys.
func (p HuaweiProfile) Federated() bool { return p.IdPID != "" && p.IDTokenFile != "" }

// HuaweiProfileFile returns the profile file's path:
// HUAWEICLOUD_SDK_CREDENTIALS_FILE when set, else
// ~/.huaweicloud/credentials.
func HuaweiProfileFile() (string, error) {
	if p := os.Getenv(hwEnvCredentialsFile); p != "" {
		return p, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("signer: huawei profile file: no home directory and %s is not set: %w", hwEnvCredentialsFile, ErrNoCredentials)
	}
	return filepath.Join(home, ".huaweicloud", "credentials"), nil
}

// LoadHuaweiProfile reads the section (HuaweiProfileBasic or
// HuaweiProfileGlobal) of the profile file that HuaweiProfileFile names. It
// reads only the local file.
//
// Errors: a missing file, a missing or empty section, or a section with
// neither ak and sk nor idp_id and id_token_file wraps ErrNoCredentials, so
// a chain goes on to its next source (the SDK's chain does the same). A file
// that cannot be parsed, or a section name other than basic and global, is
// an error that does not wrap it. No error holds a value from the file.
func LoadHuaweiProfile(section string) (HuaweiProfile, error) {
	if section != HuaweiProfileBasic && section != HuaweiProfileGlobal {
		return HuaweiProfile{}, &ValidationError{Field: "section", Rule: `must be "basic" or "global"`}
	}
	path, err := HuaweiProfileFile()
	if err != nil {
		return HuaweiProfile{}, err
	}
	data, err := hwReadProfile(path)
	if err != nil {
		return HuaweiProfile{}, err
	}
	file, err := hwParseINI(data)
	if err != nil {
		return HuaweiProfile{}, fmt.Errorf("signer: huawei profile file %s: %w", path, err)
	}
	s := file[section]
	p := HuaweiProfile{IAMEndpoint: s["iam_endpoint"], File: path}
	c := &p.Credentials
	c.Source = "profile " + path + " [" + section + "]"
	if section == HuaweiProfileBasic {
		c.ProjectID = s["project_id"]
	} else {
		c.DomainID = s["domain_id"]
	}
	// The SDK's fillCommonAttrs: federation first, then the keys.
	switch {
	case s["idp_id"] != "" && s["id_token_file"] != "":
		p.IdPID, p.IDTokenFile = s["idp_id"], s["id_token_file"]
	case s["ak"] != "" && s["sk"] != "":
		c.AccessKey, c.SecretKey, c.SecurityToken = s["ak"], s["sk"], s["security_token"]
		if err := hwCheckCredentials(*c); err != nil {
			return HuaweiProfile{}, fmt.Errorf("signer: huawei profile file %s [%s]: %w", path, section, err)
		}
	default:
		return HuaweiProfile{}, fmt.Errorf("signer: huawei profile file %s has no [%s] section with ak and sk or idp_id and id_token_file: %w",
			path, section, ErrNoCredentials)
	}
	return p, nil
}

// hwReadProfile reads the file, of at most AWSConfigMaxFileSize bytes (the
// bound the AWS files share).
func hwReadProfile(path string) ([]byte, error) {
	data, err := awsReadFileBounded(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("signer: huawei profile file %s does not exist: %w", path, ErrNoCredentials)
	}
	if err != nil {
		return nil, fmt.Errorf("signer: huawei profile file %s: %w", path, err)
	}
	return data, nil
}

// HuaweiCredentialsFromProfile returns a provider that reads the section
// (HuaweiProfileBasic or HuaweiProfileGlobal) of the profile file each time
// credentials are retrieved, as LoadHuaweiProfile describes, and returns its
// keys. A federated section is an error wrapping ErrFederatedProfile: the
// token exchange calls IAM, which signer does not; use
// huaweicreds.FromProfile, which handles both. Source is "profile <path>
// [<section>]".
func HuaweiCredentialsFromProfile(section string) HuaweiCredentialsProvider {
	return hwProfileProvider{section: section}
}

// ErrFederatedProfile is wrapped by HuaweiCredentialsFromProfile's error
// when the section is federated (idp_id and id_token_file).
var ErrFederatedProfile = errors.New("the profile is federated (idp_id and id_token_file); its keys come from IAM")

type hwProfileProvider struct{ section string }

func (p hwProfileProvider) RetrieveHuawei(ctx context.Context) (HuaweiCredentials, error) {
	if err := checkContext(ctx); err != nil {
		return HuaweiCredentials{}, err
	}
	prof, err := LoadHuaweiProfile(p.section)
	if err != nil {
		return HuaweiCredentials{}, err
	}
	if prof.Federated() {
		return HuaweiCredentials{}, fmt.Errorf("signer: huawei profile file %s [%s]: %w", prof.File, p.section, ErrFederatedProfile)
	}
	return prof.Credentials, nil
}

func (p hwProfileProvider) String() string { return "HuaweiCredentialsFromProfile(" + p.section + ")" }
