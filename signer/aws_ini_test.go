package signer

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAWSParseINI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		data      string
		profile   string
		want      awsINIProfile
		wantFound bool
		wantErr   string
	}{
		{
			name: "spacing, comments, case and CRLF", profile: "default", wantFound: true,
			data: "\xef\xbb\xbf; top comment\r\n  [ default ]  # trailing\r\n\tAWS_Access_Key_ID=AK  \r\naws_secret_access_key :  S/K+=  ; note\r\n\r\n#x = y\r\n",
			want: awsINIProfile{"aws_access_key_id": "AK", "aws_secret_access_key": "S/K+="},
		},
		{
			name: "repeated sections merge, last key wins", profile: "p", wantFound: true,
			data: "[p]\na = 1\nb = 2\n[q]\na = 9\n[p]\na = 3\n",
			want: awsINIProfile{"a": "3", "b": "2"},
		},
		{
			name: "nested block skipped", profile: "p", wantFound: true,
			data: "[p]\ns3 =\n  max_concurrent_requests = 10\n  addressing_style = path\naws_access_key_id = AK\n",
			want: awsINIProfile{"s3": "", "aws_access_key_id": "AK"},
		},
		{
			name: "value with hash but no space kept", profile: "p", wantFound: true,
			data: "[p]\nk = a#b;c\n",
			want: awsINIProfile{"k": "a#b;c"},
		},
		{name: "profile absent", profile: "p", data: "[q]\na = 1\n"},
		{name: "empty file", profile: "p", data: ""},
		{name: "profile with no keys", profile: "p", data: "[p]\n", wantFound: true, want: awsINIProfile{}},
		{name: "garbage line", profile: "p", data: "[p]\na = 1\nthis is a secret\n", wantErr: `line 3: expected "[name]" or "key = value"`},
		{name: "unterminated section", profile: "p", data: "[p\n", wantErr: `line 1: section header must be "[name]"`},
		{name: "text after section", profile: "p", data: "[p] x\n", wantErr: `line 1: section header must be "[name]"`},
		{name: "empty section", profile: "p", data: "[ ]\n", wantErr: "line 1: section name is empty"},
		{name: "key outside section", profile: "p", data: "# c\na = 1\n", wantErr: "line 2: key outside any [section]"},
		{name: "empty key", profile: "p", data: "[p]\n = v\n", wantErr: "line 2: key is empty"},
		{name: "error in another profile", profile: "p", data: "[p]\na = 1\n[q]\nsecretline\n", wantErr: `line 4: expected "[name]" or "key = value"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, found, err := awsParseINI([]byte(tc.data), tc.profile)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if found != tc.wantFound {
				t.Errorf("found = %v, want %v", found, tc.wantFound)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("profile (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzAWSParseINI: any input parses or fails with a line-number error whose
// text is one of the fixed reasons, so no part of the file can leak.
func FuzzAWSParseINI(f *testing.F) {
	f.Add([]byte(v4CredentialsFile), "default")
	f.Add([]byte("[p]\ns3 =\n  x = 1\n"), "p")
	f.Add([]byte("[p\nsecret"), "p")
	f.Add([]byte("\xef\xbb\xbf[default]\r\nk:v ;c\r\n"), "default")
	reasons := []string{
		`section header must be "[name]"`, "section name is empty", `expected "[name]" or "key = value"`,
		"key is empty", "key outside any [section]",
	}
	f.Fuzz(func(t *testing.T, data []byte, profile string) {
		prof, found, err := awsParseINI(data, profile)
		if err != nil {
			var ie *awsINIError
			if !errors.As(err, &ie) || ie.line < 1 || ie.line > strings.Count(string(data), "\n")+1 {
				t.Fatalf("error %v is not a line error within the file", err)
			}
			if !slices.Contains(reasons, ie.reason) {
				t.Fatalf("unexpected reason %q", ie.reason)
			}
			return
		}
		if found != (prof != nil) {
			t.Fatalf("found = %v but profile = %v", found, prof)
		}
	})
}
