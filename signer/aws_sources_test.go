package signer

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// v4Env is a fake environment for the providers' lookupEnv.
func v4Env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestAWSCredentialsFromEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		env          map[string]string
		want         AWSCredentials
		wantErr      string
		wantNotFound bool
	}{
		{
			name: "keys and token",
			env:  map[string]string{"AWS_ACCESS_KEY_ID": v4TestAK, "AWS_SECRET_ACCESS_KEY": v4TestSecret, "AWS_SESSION_TOKEN": v4TestToken},
			want: AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, SessionToken: v4TestToken, Source: "environment"},
		},
		{
			name: "keys only",
			env:  map[string]string{"AWS_ACCESS_KEY_ID": v4TestAK, "AWS_SECRET_ACCESS_KEY": v4TestSecret},
			want: AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, Source: "environment"},
		},
		{name: "nothing", env: map[string]string{"AWS_SESSION_TOKEN": v4TestToken},
			wantErr: "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", wantNotFound: true},
		{name: "empty values count as unset", env: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
			wantErr: "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", wantNotFound: true},
		{name: "secret missing", env: map[string]string{"AWS_ACCESS_KEY_ID": v4TestAK},
			wantErr: "environment: AWS_SECRET_ACCESS_KEY is not set but AWS_ACCESS_KEY_ID is"},
		{name: "access key missing", env: map[string]string{"AWS_SECRET_ACCESS_KEY": v4TestSecret},
			wantErr: "environment: AWS_ACCESS_KEY_ID is not set but AWS_SECRET_ACCESS_KEY is"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := &awsEnvProvider{lookupEnv: v4Env(tc.env)}
			got, err := p.RetrieveAWS(context.Background())
			v4CheckRetrieve(t, got, err, tc.want, tc.wantErr, tc.wantNotFound)
		})
	}
}

// v4CheckRetrieve compares a provider's result with the expectation.
func v4CheckRetrieve(t *testing.T, got AWSCredentials, err error, want AWSCredentials, wantErr string, wantNotFound bool) {
	t.Helper()
	if wantErr == "" {
		require.NoError(t, err)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("credentials (-want +got):\n%s", diff)
		}
		return
	}
	if err == nil || err.Error() != wantErr {
		t.Fatalf("error = %v, want %q", err, wantErr)
	}
	if errors.Is(err, ErrNoCredentials) != wantNotFound {
		t.Errorf("errors.Is(err, ErrNoCredentials) = %v, want %v", !wantNotFound, wantNotFound)
	}
	v4AssertNoSecret(t, err.Error(), nil)
}

const v4CredentialsFile = `# shared credentials
[default]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY

[dev]
aws_access_key_id=AKIDDEV
aws_secret_access_key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
aws_session_token = IQoJb3JpZ2luX2VjEXAMPLETOKENvalue/with+base64==

[half]
aws_access_key_id = AKIDHALF

[half-secret]
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY

[role]
role_arn = arn:aws:iam::123456789012:role/r
source_profile = default
`

func TestAWSSharedCredentials(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".aws"), 0o700))
	homeFile := filepath.Join(home, ".aws", "credentials")
	require.NoError(t, os.WriteFile(homeFile, []byte(v4CredentialsFile), 0o600))
	other := filepath.Join(home, "other.ini")
	require.NoError(t, os.WriteFile(other, []byte("[default]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = "+v4TestSecret+"\n"), 0o600))
	bom := filepath.Join(home, "bom.ini")
	require.NoError(t, os.WriteFile(bom, []byte("\xef\xbb\xbf[default]\r\naws_access_key_id = AKIDBOM\r\naws_secret_access_key = "+v4TestSecret+"\r\n"), 0o600))
	malformed := filepath.Join(home, "bad.ini")
	require.NoError(t, os.WriteFile(malformed, []byte("[default]\naws_access_key_id = AK\n"+v4TestSecret+"\n"), 0o600))
	missing := filepath.Join(home, "missing")

	src := func(file, profile string) string { return "shared credentials file " + file + " [" + profile + "]" }
	tests := []struct {
		name          string
		file, profile string
		env           map[string]string
		noHome        bool
		want          AWSCredentials
		wantErr       string
		wantNotFound  bool
	}{
		{
			name: "home default",
			want: AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, Source: src(homeFile, "default")},
		},
		{
			name: "AWS_PROFILE", env: map[string]string{"AWS_PROFILE": "dev"},
			want: AWSCredentials{AccessKeyID: "AKIDDEV", SecretAccessKey: v4TestSecret, SessionToken: v4TestToken, Source: src(homeFile, "dev")},
		},
		{
			name: "explicit profile beats AWS_PROFILE", profile: "default", env: map[string]string{"AWS_PROFILE": "dev"},
			want: AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, Source: src(homeFile, "default")},
		},
		{
			name: "AWS_SHARED_CREDENTIALS_FILE", env: map[string]string{"AWS_SHARED_CREDENTIALS_FILE": other},
			want: AWSCredentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: v4TestSecret, Source: src(other, "default")},
		},
		{
			name: "explicit file beats the variable", file: homeFile, env: map[string]string{"AWS_SHARED_CREDENTIALS_FILE": other},
			want: AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, Source: src(homeFile, "default")},
		},
		{
			name: "tilde expanded", file: "~/other.ini",
			want: AWSCredentials{AccessKeyID: "AKIDOTHER", SecretAccessKey: v4TestSecret, Source: src(other, "default")},
		},
		{
			name: "byte-order mark and CRLF", file: bom,
			want: AWSCredentials{AccessKeyID: "AKIDBOM", SecretAccessKey: v4TestSecret, Source: src(bom, "default")},
		},
		{name: "missing file", file: missing, wantErr: src(missing, "default") + ": file does not exist", wantNotFound: true},
		{name: "missing profile", profile: "nope", wantErr: src(homeFile, "nope") + ": profile not found", wantNotFound: true},
		{
			name: "role profile", profile: "role", wantNotFound: true,
			wantErr: src(homeFile, "role") + ": profile has no aws_access_key_id and aws_secret_access_key (role, SSO and process profiles are not supported)",
		},
		{name: "secret missing", profile: "half", wantErr: src(homeFile, "half") + ": aws_secret_access_key is missing (aws_access_key_id is set)"},
		{name: "access key missing", profile: "half-secret", wantErr: src(homeFile, "half-secret") + ": aws_access_key_id is missing (aws_secret_access_key is set)"},
		{name: "malformed", file: malformed, wantErr: src(malformed, "default") + `: malformed: line 3: expected "[name]" or "key = value"`},
		{name: "no home", noHome: true, wantErr: "shared credentials file: cannot locate the home directory", wantNotFound: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := AWSSharedCredentials(tc.file, tc.profile).(*awsSharedProvider)
			p.lookupEnv = v4Env(tc.env)
			p.userHomeDir = func() (string, error) {
				if tc.noHome {
					return "", errors.New("$HOME is not defined")
				}
				return home, nil
			}
			got, err := p.RetrieveAWS(context.Background())
			v4CheckRetrieve(t, got, err, tc.want, tc.wantErr, tc.wantNotFound)
		})
	}
}

// TestAWSSharedCredentialsCache checks that a successful read is cached and
// that a failed one is retried.
func TestAWSSharedCredentialsCache(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "credentials")
	p := AWSSharedCredentials(file, "default").(*awsSharedProvider)
	p.lookupEnv = v4Env(nil)
	reads := 0
	p.readFile = func(name string) ([]byte, error) { reads++; return os.ReadFile(name) }
	ctx := context.Background()

	if _, err := p.RetrieveAWS(ctx); !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("before the file exists: error = %v, want ErrNoCredentials", err)
	}
	require.NoError(t, os.WriteFile(file, []byte("[default]\naws_access_key_id=A\naws_secret_access_key=S\n"), 0o600))
	first, err := p.RetrieveAWS(ctx)
	require.NoError(t, err)
	require.NoError(t, os.Remove(file))
	second, err := p.RetrieveAWS(ctx)
	require.NoError(t, err)
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("cached credentials differ (-first +second):\n%s", diff)
	}
	if reads != 2 {
		t.Errorf("file read %d times, want 2 (one failure, one success, then cached)", reads)
	}
}

func TestAWSSharedCredentialsReadError(t *testing.T) {
	t.Parallel()
	p := AWSSharedCredentials("/etc/aws/credentials", "default").(*awsSharedProvider)
	p.lookupEnv = v4Env(nil)
	p.readFile = func(name string) ([]byte, error) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	_, err := p.RetrieveAWS(context.Background())
	want := "shared credentials file /etc/aws/credentials [default]: cannot read file: open: permission denied"
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v, want %q", err, want)
	}
	if errors.Is(err, ErrNoCredentials) || !errors.Is(err, fs.ErrPermission) {
		t.Errorf("error %v: want fs.ErrPermission and not ErrNoCredentials", err)
	}
}

// TestDefaultAWSCredentials runs the default chain against the process
// environment, so it cannot be parallel.
func TestDefaultAWSCredentials(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "credentials")
	require.NoError(t, os.WriteFile(file, []byte("[ci]\naws_access_key_id = AKIDFILE\naws_secret_access_key = "+v4TestSecret+"\n"), 0o600))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", file)
	t.Setenv("AWS_PROFILE", "ci")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")

	got, err := DefaultAWSCredentials().RetrieveAWS(context.Background())
	require.NoError(t, err)
	if diff := cmp.Diff("AKIDFILE", got.AccessKeyID); diff != "" {
		t.Errorf("from the file (-want +got):\n%s", diff)
	}

	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", v4TestSecret)
	got, err = DefaultAWSCredentials().RetrieveAWS(context.Background())
	require.NoError(t, err)
	if diff := cmp.Diff("environment", got.Source); diff != "" {
		t.Errorf("environment first (-want +got):\n%s", diff)
	}

	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_PROFILE", "absent")
	_, err = DefaultAWSCredentials().RetrieveAWS(context.Background())
	if !errors.Is(err, ErrNoCredentials) || !strings.Contains(err.Error(), "environment: ") ||
		!strings.Contains(err.Error(), "shared credentials file "+file+" [absent]: profile not found") {
		t.Errorf("error = %v, want ErrNoCredentials naming both sources", err)
	}
}
