package signer

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// iniFlat renders parsed sections as section -> key -> value, with a
// sub-property as "key.sub", for comparison.
func iniFlat(f awsINIFile) map[string]map[string]string {
	out := map[string]map[string]string{}
	for name, s := range f {
		m := map[string]string{}
		for k, v := range s.values {
			if v.sub == nil {
				m[k] = v.str
				continue
			}
			m[k] = ""
			for sk, sv := range v.sub {
				m[k+"."+sk] = sv
			}
		}
		out[name] = m
	}
	return out
}

type iniWant = map[string]map[string]string

// TestAWSParseINI follows aws-sdk-go-v2's config/internal/ini rules (see
// aws_ini.go); each case names the rule it pins.
func TestAWSParseINI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		data        string
		want        iniWant
		wantIgnored []int
	}{
		{
			name: "spacing, comments, case and CRLF",
			data: "; top comment\r\n  [ default ]  # trailing\r\n\tAWS_Access_Key_ID=AK  \r\naws_secret_access_key :  S/K+=  ; note\r\n\r\n#x = y\r\n   ; indented comment\n",
			want: iniWant{"default": {"aws_access_key_id": "AK", "aws_secret_access_key": "S/K+="}},
		},
		{
			name: "repeated sections merge, last key wins",
			data: "[p]\na = 1\nb = 2\n[q]\na = 9\n[p]\na = 3\n",
			want: iniWant{"p": {"a": "3", "b": "2"}, "q": {"a": "9"}},
		},
		{
			name: "sub-properties nest under an empty value and keep their comments",
			data: "[services s]\nsts =\n  endpoint_url = http://x # kept\n  Region = 'r'\nfoo = bar\n",
			want: iniWant{"services s": {"sts": "", "sts.endpoint_url": "http://x # kept", "sts.region": "r", "foo": "bar"}},
		},
		{
			name: "a sub-property after a non-empty value is promoted, comment cut",
			data: "[p]\na = 1\n  b = 2 # c\n",
			want: iniWant{"p": {"a": "1", "b": "2"}},
		},
		{
			name: "a promoted sub-property keeps quotes that a comment hid",
			data: "[p]\na = 1\n  b = \"x\" # c\n",
			want: iniWant{"p": {"a": "1", "b": `"x"`}},
		},
		{
			name: "continuations append to a non-empty value, untrimmed on the right",
			data: "[p]\ncredential_process = /bin/x\n  --flag y # not a comment\r\n\t--z\n",
			want: iniWant{"p": {"credential_process": "/bin/x\n--flag y # not a comment\r\n--z"}},
		},
		{
			name: "continuations after an empty value or a sub-property block are dropped",
			data: "[p]\nk =\n  cont\ns =\n  a = 1\n  more\n",
			want: iniWant{"p": {"k": "", "s": "", "s.a": "1"}},
		},
		{
			name: "a continuation follows the promoted sub-property",
			data: "[p]\na = 1\n  b = 2\n  tail\n",
			want: iniWant{"p": {"a": "1", "b": "2\ntail"}},
		},
		{
			name: "comment characters need a blank before them",
			data: "[p]\nk = a#b;c\nm = a\t#c\n",
			want: iniWant{"p": {"k": "a#b;c", "m": "a"}},
		},
		{
			name: "one pair of quotes is removed",
			data: "[p]\nd = \"x y\"\ns = 'x'\nm = \"x'\nq = \"\ne = \"\"\nn = \"\"\"\"\n",
			want: iniWant{"p": {"d": "x y", "s": "x", "m": `"x'`, "q": `"`, "e": "", "n": `""`}},
		},
		{
			name: "separator is the first of = and :",
			data: "[p]\nurl = http://x:1\na:b=c\n",
			want: iniWant{"p": {"url": "http://x:1", "a": "b=c"}},
		},
		{
			name: "section type and name split at the first blank run",
			data: "[ profile   dev  team ]\nk=v\n[profile]\n[sso-session\tcorp]\n",
			want: iniWant{"profile dev  team": {"k": "v"}, "profile": {}, "sso-session corp": {}},
		},
		{
			name: "keys before any section and in an empty-named one are ignored",
			data: "k = v\n[]\nk = v\n[p]\nK = V\n",
			want: iniWant{"": {}, "p": {"k": "V"}},
		},
		{
			name: "an empty key is kept",
			data: "[p]\n= v\n",
			want: iniWant{"p": {"": "v"}},
		},
		{
			name:        "unrecognised lines are skipped and reported",
			data:        "[p]\na = 1\nthis is a secret\n[bad\n[p] x\n[a#b]\n",
			want:        iniWant{"p": {"a": "1"}},
			wantIgnored: []int{3, 4, 5, 6},
		},
		{
			name:        "a byte-order mark hides the first header, as in the SDK",
			data:        "\xef\xbb\xbf[default]\nk = v\n[q]\nk = w\n",
			want:        iniWant{"q": {"k": "w"}},
			wantIgnored: []int{1},
		},
		{name: "empty file", data: "", want: iniWant{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ignored := awsParseINI([]byte(tc.data), "f")
			if diff := cmp.Diff(tc.want, iniFlat(got)); diff != "" {
				t.Errorf("sections (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantIgnored, ignored); diff != "" {
				t.Errorf("ignored lines (-want +got):\n%s", diff)
			}
			for name, s := range got {
				if s.name != name {
					t.Errorf("section %q is named %q", name, s.name)
				}
				for k := range s.values {
					if s.file[k] != "f" {
						t.Errorf("section %q key %q: file %q, want f", name, k, s.file[k])
					}
				}
			}
		})
	}
}

// FuzzAWSParseINI: any input parses without panicking; reported lines are
// in the file and in order; sections are stored under their own names and
// keys are lower-case.
func FuzzAWSParseINI(f *testing.F) {
	f.Add([]byte(v4CredentialsFile))
	f.Add([]byte("[services s]\nsts =\n  endpoint_url = x\n  cont\n"))
	f.Add([]byte("[p\nsecret"))
	f.Add([]byte("\xef\xbb\xbf[default]\r\nk:v ;c\r\n  more\r\n"))
	f.Add([]byte("[p]\nq = \"\n[ a  b ]\n= \n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sections, ignored := awsParseINI(data, "f")
		lines := strings.Count(string(data), "\n") + 1
		if !slices.IsSorted(ignored) || len(ignored) > 0 && (ignored[0] < 1 || ignored[len(ignored)-1] > lines) {
			t.Fatalf("ignored lines %v outside 1..%d", ignored, lines)
		}
		for name, s := range sections {
			if s.name != name {
				t.Fatalf("section %q is named %q", name, s.name)
			}
			for k := range s.values {
				if strings.ToLower(k) != k {
					t.Fatalf("key %q is not lower-case", k)
				}
			}
		}
	})
}
