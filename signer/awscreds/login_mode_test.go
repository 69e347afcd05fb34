package awscreds

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
)

// umasked is the mode os.OpenFile gives a new file asked for with mode,
// under this process's umask.
func umasked(t *testing.T, mode fs.FileMode) fs.FileMode {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(t.TempDir(), "probe"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	require.NoError(t, err)
	info, err := f.Stat()
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return info.Mode().Perm()
}

// The refreshed login cache has the permissions aws-sdk-go-v2's logincreds
// leaves (credentials v1.21.1): those of the file when the refresh is
// written, or, when the file is gone by then, 0600, or 0666 less the umask
// with AWS_RESTRICT_FILE_PERMISSIONS=unrestricted.
func TestLoginRefreshFileMode(t *testing.T) {
	tests := []struct {
		name         string
		unrestricted bool
		// during runs while the sign-in service answers (on the server's
		// goroutine: it returns its error rather than stopping the test).
		during func(file string) error
		want   func(t *testing.T) fs.FileMode
	}{
		{name: "kept", during: func(string) error { return nil },
			want: func(*testing.T) fs.FileMode { return 0o640 }},
		{name: "kept as changed during the refresh", during: func(file string) error {
			return os.Chmod(file, 0o604)
		}, want: func(*testing.T) fs.FileMode { return 0o604 }},
		{name: "gone: restricted by default", during: func(file string) error {
			return os.Remove(file)
		}, want: func(*testing.T) fs.FileMode { return 0o600 }},
		{name: "gone: unrestricted", unrestricted: true, during: func(file string) error {
			return os.Remove(file)
		}, want: func(t *testing.T) fs.FileMode { return umasked(t, 0o666) }},
		{name: "existing file under unrestricted keeps its mode", unrestricted: true, during: func(string) error { return nil },
			want: func(*testing.T) fs.FileMode { return 0o640 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, pemKey := newDPoPKey(t)
			file := loginFile(t, loginMembers(pemKey, t0))
			require.NoError(t, os.Chmod(file, 0o640))
			srv := newFake(t, func(w http.ResponseWriter, r *http.Request, body string) {
				if err := tt.during(file); err != nil {
					t.Error(err)
				}
				signinOK(w, r, body)
			})
			p, err := NewLoginProvider(LoginConfig{TokenFile: file, Region: "us-east-1", Endpoint: srv.URL,
				Settings: fast(func() time.Time { return t0 }, nil), UnrestrictedFilePermissions: tt.unrestricted})
			require.NoError(t, err)
			got, err := p.RetrieveAWS(t.Context())
			require.NoError(t, err)
			if got.AccessKeyID != stsAK {
				t.Fatalf("AccessKeyID = %q, want the refreshed %q", got.AccessKeyID, stsAK)
			}
			info, err := os.Stat(file)
			require.NoError(t, err)
			if want := tt.want(t); info.Mode().Perm() != want {
				t.Errorf("mode = %v, want %v", info.Mode().Perm(), want)
			}
			if _, err := readCacheFile(file); err != nil {
				t.Errorf("the rewritten file does not read back: %v", err)
			}
		})
	}
}

// The default chain passes AWS_RESTRICT_FILE_PERMISSIONS on to the login
// provider it builds.
func TestDefaultChainLoginFileMode(t *testing.T) {
	for _, tt := range []struct {
		unrestricted bool
		want         fs.FileMode
	}{{false, 0o600}, {true, 0o666}} {
		plan := &signer.AWSCredentialPlan{Base: signer.AWSCredentialStep{Kind: signer.AWSKindLogin,
			Login: &signer.AWSLoginStep{CacheFile: "/cache/x.json", UnrestrictedFilePermissions: tt.unrestricted,
				Signin: signer.AWSSettings{Region: "us-east-1"}}}}
		p, err := stepProvider(plan, DefaultChainOptions{Login: LoginSource}, DefaultChainOptions{}.Settings)
		require.NoError(t, err)
		lp, ok := p.(*LoginProvider)
		require.True(t, ok, "%T", p)
		if lp.newMode != tt.want {
			t.Errorf("unrestricted=%t: new file mode %v, want %v", tt.unrestricted, lp.newMode, tt.want)
		}
	}
}
