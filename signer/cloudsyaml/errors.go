package cloudsyaml

import (
	"errors"
	"strconv"
	"strings"
)

// ErrCloudNotFound is wrapped by the error Load returns when the cloud named
// by Options.Cloud or OS_CLOUD is in no clouds.yaml it found (or no
// clouds.yaml was found). gophertelekomcloud quietly falls back to the
// OS_* variables alone in that case; detach refuses, because the variables
// may belong to another account.
var ErrCloudNotFound = errors.New("cloud not found")

// FileError reports a clouds.yaml, secure.yaml or clouds-public.yaml that
// exists but cannot be used: unreadable, larger than MaxFileSize, not YAML,
// or with a value of the wrong type. It names the file and, where known, the
// line; it never quotes the file's content, which may hold passwords.
type FileError struct {
	Path   string // the file
	Line   int    // the first line at fault; 0: unknown or the whole file
	Reason string // what is wrong, e.g. "is not valid YAML"
	Err    error  // the underlying I/O error, if any (never a YAML error: those quote content)
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString("cloudsyaml: ")
	b.WriteString(e.Path)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the I/O error, so errors.Is(err, fs.ErrPermission) works.
func (e *FileError) Unwrap() error { return e.Err }

// FieldError reports a setting of the resolved cloud that breaks a rule
// (Validate's errors). Field is the Cloud field; the message also names the
// clouds.yaml key and the OS_* variable it comes from. It never quotes a
// value.
type FieldError struct {
	Cloud string // the cloud's name; "" for the OS_* variables alone
	Field string // the Cloud field, e.g. "AuthURL"
	Rule  string // what the value must be, e.g. "is required"
}

func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("cloudsyaml: ")
	if e.Cloud != "" {
		b.WriteString("cloud ")
		b.WriteString(strconv.Quote(e.Cloud))
	} else {
		b.WriteString("OS_* environment")
	}
	b.WriteString(": ")
	b.WriteString(e.Field)
	if src, ok := fieldSources[e.Field]; ok {
		b.WriteString(" (")
		b.WriteString(src)
		b.WriteString(")")
	}
	b.WriteString(" ")
	b.WriteString(e.Rule)
	return b.String()
}

// fieldSources says, for each Cloud field, where a user sets it.
var fieldSources = map[string]string{
	"AuthType":         "auth_type, OS_AUTH_TYPE",
	"AuthURL":          "auth.auth_url, OS_AUTH_URL",
	"Username":         "auth.username, OS_USERNAME",
	"UserID":           "auth.user_id, OS_USER_ID",
	"Password":         "auth.password, OS_PASSWORD",
	"DomainName":       "auth.user_domain_name, auth.project_domain_name, auth.domain_name, OS_DOMAIN_NAME",
	"DomainID":         "auth.user_domain_id, auth.project_domain_id, auth.domain_id, OS_DOMAIN_ID",
	"ProjectName":      "auth.project_name, OS_PROJECT_NAME",
	"ProjectID":        "auth.project_id, OS_PROJECT_ID",
	"Token":            "auth.token, OS_TOKEN",
	"AccessKey":        "auth.ak, OS_ACCESS_KEY",
	"SecretKey":        "auth.sk, OS_SECRET_KEY",
	"SecurityToken":    "auth.security_token, OS_SECURITY_TOKEN",
	"AgencyName":       "auth.target_agency_name, OS_AGENCY_NAME",
	"AgencyDomainName": "auth.target_domain_id, OS_AGENCY_DOMAIN_NAME",
	"DelegatedProject": "auth.target_project_name, OS_DELEGATED_PROJECT",
	"Region":           "region_name, OS_REGION_NAME",
	"Interface":        "endpoint_type, interface, OS_ENDPOINT_TYPE",
	"CACert":           "cacert, OS_CA_CERT",
	"ClientCert":       "cert, OS_CLIENT_CERT",
	"ClientKey":        "key, OS_CLIENT_KEY",
}
