package cloudsyaml

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary clouds.yaml and secure.yaml bytes to Load. It
// must not panic; it returns a valid cloud or one of its documented errors;
// and no error quotes the files: the seeds hide the marker S3CRET in secret
// values, and no error may show it.
func FuzzLoad(f *testing.F) {
	seeds := [][2]string{
		{otcYAML, ""},
		{"clouds: {c: {auth: {auth_url: https://iam.example/v3, token: S3CRET}}}", ""},
		{"clouds: {c: {profile: otc, auth: {username: u, domain_name: d, project_name: eu-de_p}}}", "clouds: {c: {auth: {password: S3CRET}}}"},
		{"clouds:\n  c:\n    auth_type: aksk\n    auth:\n      ak: AK\n      sk: S3CRET\n      security_token: S3CRET\n", ""},
		{"clouds: {c: {auth: {auth_url: \"https://iam.{region_name}.x/v3\", target_agency_name: a, target_domain_id: d, token: S3CRET}}}", ""},
		{"clouds: {c: {auth: {password: [S3CRET]}}}", ""},
		{"clouds: {c: {auth: {password: \"S3CRET", ""},
		{billionLaughs("clouds: {c: {auth: {password: *i}}}\n"), ""},
		{"clouds: {c: {verify: S3CRET}}", "clouds: {c: {verify: true}}"},
		{"{\"clouds\": {\"c\": {\"auth\": {\"token\": \"S3CRET\"}}}}", "\xff\xfe"},
		{"", ""},
	}
	for _, s := range seeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	dir := f.TempDir()
	cloudsPath := filepath.Join(dir, "clouds.yaml")
	securePath := filepath.Join(dir, "secure.yaml")
	env := map[string]string{
		"OS_CLOUD":              "c",
		"OS_CLIENT_CONFIG_FILE": cloudsPath,
		"OS_CLIENT_SECURE_FILE": securePath,
		"OS_CLIENT_VENDOR_FILE": filepath.Join(dir, "none.yaml"),
	}
	opts := Options{
		Getenv:    func(k string) string { return env[k] },
		WorkDir:   filepath.Join(dir, "none"),
		HomeDir:   filepath.Join(dir, "none"),
		SystemDir: filepath.Join(dir, "none"),
	}
	f.Fuzz(func(t *testing.T, clouds, secure []byte) {
		if err := os.WriteFile(cloudsPath, clouds, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(securePath, secure, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := Load(opts)
		if err == nil {
			if verr := c.Validate(); verr != nil {
				t.Fatalf("Load returned a cloud that does not validate: %v", verr)
			}
			if m := c.Method(); m != MethodPassword && m != MethodToken && m != MethodAKSK {
				t.Fatalf("Method = %q", m)
			}
			return
		}
		var fileErr *FileError
		var fieldErr *FieldError
		if !errors.As(err, &fileErr) && !errors.As(err, &fieldErr) && !errors.Is(err, ErrCloudNotFound) {
			t.Fatalf("Load error %v (%T) is none of the documented kinds", err, err)
		}
		if strings.Contains(strings.ReplaceAll(err.Error(), dir, ""), "S3CRET") {
			t.Fatalf("Load error quotes the file: %v", err)
		}
	})
}
