package signer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestHwParseINI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want hwINI
	}{
		{name: "sections and keys", in: "[basic]\nak = AK1\nsk=SK1\n[global]\nak: AK2\n",
			want: hwINI{"basic": {"ak": "AK1", "sk": "SK1"}, "global": {"ak": "AK2"}}},
		{name: "comments, blanks, indentation, CRLF", in: "\uFEFF# c\r\n; c\r\n\r\n  [basic]\r\n  ak = AK1\r\n",
			want: hwINI{"basic": {"ak": "AK1"}}},
		{name: "inline comments cut at the first # or ;", in: "[basic]\nak = AK1 # c\nsk = a#b\nproject_id = p;q\n",
			want: hwINI{"basic": {"ak": "AK1", "sk": "a", "project_id": "p"}}},
		{name: "surrounding quotes", in: "[basic]\nak = \"AK1\"\nsk = 'S K'\nx = \"a\"b\"\n",
			want: hwINI{"basic": {"ak": "AK1", "sk": "S K", "x": `"a"b"`}}},
		{name: "backquoted and triple-quoted values are verbatim", in: "[basic]\nsk = `a#b;c`\nak = \"\"\"x#y\"\"\"\n",
			want: hwINI{"basic": {"sk": "a#b;c", "ak": "x#y"}}},
		{name: "section names are not trimmed and are case-sensitive", in: "[ basic ]\nak=1\n[Basic]\nak=2\n[basic] trailing\nak=3\n",
			want: hwINI{" basic ": {"ak": "1"}, "Basic": {"ak": "2"}, "basic": {"ak": "3"}}},
		{name: "repeated section merges, last key wins", in: "[basic]\nak=1\nsk=s\n[global]\n[basic]\nak=2\n",
			want: hwINI{"basic": {"ak": "2", "sk": "s"}}},
		{name: "keys before a section go to DEFAULT", in: "ak=1\n[basic]\n",
			want: hwINI{"DEFAULT": {"ak": "1"}}},
		{name: "a ':' after the '=' stays in the value", in: "[basic]\niam_endpoint = https://iam.example:443\n",
			want: hwINI{"basic": {"iam_endpoint": "https://iam.example:443"}}},
	}
	for _, tc := range tests {
		got, err := hwParseINI([]byte(tc.in))
		require.NoError(t, err, tc.name)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	for _, bad := range []string{"[basic\n", "[]\n", "[basic]\nak\n", "[basic]\n= v\n", "[basic]\nak = `open\n", "[basic]\nak = a\\\n", "[basic]\n\"ak\" = 1\n"} {
		if got, err := hwParseINI([]byte(bad + "sk = SECRETVALUE\n")); err == nil || strings.Contains(err.Error(), "SECRETVALUE") {
			t.Errorf("hwParseINI(%q) = %v, %v; want an error without the file's text", bad, got, err)
		}
	}
}

// Whichever of '=' and ':' comes first splits the line, as in ini.v1.
func TestHwParseINIDelimiterOrder(t *testing.T) {
	t.Parallel()
	got, err := hwParseINI([]byte("[basic]\nk: v=w\n"))
	require.NoError(t, err)
	if diff := cmp.Diff(hwINI{"basic": {"k": "v=w"}}, got); diff != "" {
		t.Error(diff)
	}
}

func FuzzHwParseINI(f *testing.F) {
	f.Add("[basic]\nak = AK\nsk = `x`\n")
	f.Add("\uFEFF[global]\r\nidp_id = \"\"\"a\"\"\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		_, _ = hwParseINI([]byte(in)) // must not panic
	})
}

func writeHwProfile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credentials")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	t.Setenv(hwEnvCredentialsFile, path)
	return path
}

func TestLoadHuaweiProfile(t *testing.T) {
	const file = `[basic]
ak = AKB
sk = SKB-secret
security_token = ST-secret
project_id = proj
domain_id = dom-ignored
iam_endpoint = https=ignored

[global]
ak = AKG
sk = SKG-secret
domain_id = dom
project_id = proj-ignored
idp_id = idp
id_token_file = /var/run/token
iam_endpoint = iam.example
`
	path := writeHwProfile(t, file)
	tests := []struct {
		section string
		want    HuaweiProfile
	}{
		{HuaweiProfileBasic, HuaweiProfile{Credentials: HuaweiCredentials{AccessKey: "AKB", SecretKey: "SKB-secret",
			SecurityToken: "ST-secret", ProjectID: "proj", Source: "profile " + path + " [basic]"}, IAMEndpoint: "https=ignored", File: path}},
		{HuaweiProfileGlobal, HuaweiProfile{Credentials: HuaweiCredentials{DomainID: "dom", Source: "profile " + path + " [global]"},
			IAMEndpoint: "iam.example", IdPID: "idp", IDTokenFile: "/var/run/token", File: path}},
	}
	for _, tc := range tests {
		got, err := LoadHuaweiProfile(tc.section)
		require.NoError(t, err)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.section, diff)
		}
		if s := fmt.Sprintf("%v %+v %#v", got, got, got); strings.Contains(s, "-secret") {
			t.Errorf("%s: printing the profile leaks a secret: %s", tc.section, s)
		}
	}
	creds, err := HuaweiCredentialsFromProfile(HuaweiProfileBasic).RetrieveHuawei(t.Context())
	require.NoError(t, err)
	if creds.AccessKey != "AKB" {
		t.Errorf("basic provider: %v", creds)
	}
	if _, err := HuaweiCredentialsFromProfile(HuaweiProfileGlobal).RetrieveHuawei(t.Context()); !errors.Is(err, ErrFederatedProfile) {
		t.Errorf("global provider: %v, want ErrFederatedProfile", err)
	}
}

func TestLoadHuaweiProfileErrors(t *testing.T) {
	tests := []struct {
		name, file, section string
		noFile, noCreds     bool
	}{
		{name: "missing file", noFile: true, section: "basic", noCreds: true},
		{name: "missing section", file: "[global]\nak=A\nsk=S\n", section: "basic", noCreds: true},
		{name: "ak without sk", file: "[basic]\nak=A\n", section: "basic", noCreds: true},
		{name: "idp without token file", file: "[basic]\nidp_id=x\n", section: "basic", noCreds: true},
		{name: "unparseable file", file: "[basic]\nak=A\nsk SECRETVALUE\n", section: "basic"},
		{name: "bad section name", file: "[basic]\n", section: "Basic"},
		{name: "access key with a comma", file: "[basic]\nak=A,B\nsk=SECRETVALUE\n", section: "basic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.noFile {
				t.Setenv(hwEnvCredentialsFile, filepath.Join(t.TempDir(), "absent"))
			} else {
				writeHwProfile(t, tc.file)
			}
			_, err := LoadHuaweiProfile(tc.section)
			if err == nil || strings.Contains(err.Error(), "SECRETVALUE") {
				t.Fatalf("err = %v; want an error without secrets", err)
			}
			if got := errors.Is(err, ErrNoCredentials); got != tc.noCreds {
				t.Errorf("errors.Is(%v, ErrNoCredentials) = %v, want %v", err, got, tc.noCreds)
			}
		})
	}
	t.Run("default path", func(t *testing.T) {
		home := t.TempDir()
		t.Setenv("HOME", home)
		t.Setenv(hwEnvCredentialsFile, "")
		got, err := HuaweiProfileFile()
		require.NoError(t, err)
		if want := filepath.Join(home, ".huaweicloud", "credentials"); got != want {
			t.Errorf("HuaweiProfileFile() = %q, want %q", got, want)
		}
	})
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := HuaweiCredentialsFromProfile("basic").RetrieveHuawei(nil); err == nil { //nolint:staticcheck
		t.Error("nil ctx: want an error")
	}
}
