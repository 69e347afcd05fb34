package cloudsyaml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// testSecrets are the secret values the tests put in files and variables;
// no error and no rendering may contain one.
var testSecrets = []string{"pw-FILE", "pw-SECURE", "pw-ENV", "sk-FILE", "sk-ENV", "tok-FILE", "tok-ENV", "st-FILE", "st-ENV"}

// tree is a scratch file system with the four places Load looks:
// $WORK (the working directory), $HOME (whose .config/openstack is
// searched), $SYS (in place of /etc/openstack) and $OTHER (for files named
// by variables).
type tree struct{ work, home, sys, other string }

func newTree(t *testing.T) tree {
	root := t.TempDir()
	tr := tree{
		work:  filepath.Join(root, "work"),
		home:  filepath.Join(root, "home"),
		sys:   filepath.Join(root, "etc-openstack"),
		other: filepath.Join(root, "other"),
	}
	for _, d := range []string{tr.work, tr.home, tr.sys, tr.other} {
		require.NoError(t, os.MkdirAll(d, 0o755))
	}
	return tr
}

// expand replaces the placeholders with the tree's directories.
func (tr tree) expand(s string) string {
	return strings.NewReplacer(
		"$WORK", tr.work,
		"$HOME", tr.home,
		"$SYS", tr.sys,
		"$OTHER", tr.other,
	).Replace(s)
}

// write creates each file (a name ending in "/" makes a directory).
func (tr tree) write(t *testing.T, files map[string]string) {
	for name, content := range files {
		p := tr.expand(name)
		if strings.HasSuffix(p, "/") {
			require.NoError(t, os.MkdirAll(p, 0o755))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	}
}

// options returns Options reading env (placeholders expanded) and the tree.
func (tr tree) options(cloud string, env map[string]string) Options {
	vars := map[string]string{}
	for k, v := range env {
		vars[k] = tr.expand(v)
	}
	return Options{
		Cloud:     cloud,
		Getenv:    func(k string) string { return vars[k] },
		WorkDir:   tr.work,
		HomeDir:   tr.home,
		SystemDir: tr.sys,
	}
}

// noSecrets fails the test if s holds one of testSecrets.
func noSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range testSecrets {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaks %q: %s", what, secret, s)
		}
	}
}
