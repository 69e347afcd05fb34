package awscreds

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestReadCacheFileBounds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	big := filepath.Join(dir, "big.json")
	require.NoError(t, os.WriteFile(big, []byte(`{"accessToken":"`+strings.Repeat("a", maxCacheFile)+`"}`), 0o600))
	tests := map[string]struct {
		path string
		want string
	}{
		"larger than 1 MiB": {big, "larger than 1 MiB"},
		"a directory":       {dir, "is a directory"},
		"missing":           {filepath.Join(dir, "none"), "no such file"},
	}
	for name, tc := range tests {
		_, err := readCacheFile(tc.path)
		var pe *fs.PathError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want a PathError with %q", name, err, tc.want)
		}
	}
}

// A rewrite that cannot finish leaves the old file as it was and no
// temporary file behind.
func TestCacheFileWriteFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"accessToken":"old"}`), 0o600))
	c, err := readCacheFile(path)
	require.NoError(t, err)
	c.set("accessToken", "new")
	// A directory where the temporary file would go makes the create fail.
	require.NoError(t, os.Mkdir(path+".tmp-"+"1748779200000000000", 0o700))
	if err := c.write(t0); err == nil {
		t.Fatal("write succeeded over a directory")
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	if string(b) != `{"accessToken":"old"}` {
		t.Errorf("the old file changed: %s", b)
	}
}
