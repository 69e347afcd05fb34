package cloudsyaml

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// billionLaughs is the classic alias bomb: nine levels of nine aliases, a
// billion strings if expanded, in under a kilobyte. where says where the
// last anchor is used.
func billionLaughs(where string) string {
	var b strings.Builder
	b.WriteString(`a: &a ["pw-FILE","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	for c := 'b'; c <= 'i'; c++ {
		prev := string(c - 1)
		fmt.Fprintf(&b, "%c: &%c [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n", c, c, prev, prev, prev, prev, prev, prev, prev, prev, prev)
	}
	b.WriteString(where)
	return b.String()
}

// TestLimits feeds Load documents built to exhaust a parser; each must end
// at once with a FileError that names the file and quotes nothing.
func TestLimits(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"alias bomb as the clouds":     billionLaughs("clouds: *i\n"),
		"alias bomb as a cloud":        billionLaughs("clouds: {otc: *i}\n"),
		"alias bomb as a value":        billionLaughs("clouds: {otc: {auth: {password: *i}}}\n"),
		"alias bomb under a known key": billionLaughs("clouds: {otc: {auth: *i}}\n"),
		"deep flow nesting":            "clouds: " + strings.Repeat("[", 20000),
		"deep block nesting":           "clouds:\n" + strings.Repeat("- ", 20000) + "x\n",
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tr := newTree(t)
			tr.write(t, map[string]string{"$WORK/clouds.yaml": doc})
			start := time.Now()
			_, err := Load(tr.options("otc", nil))
			// Generous: a bomb that were expanded would take hours.
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("Load took %v", d)
			}
			var fe *FileError
			require.True(t, errors.As(err, &fe), "Load error %v (%T), want a *FileError", err, err)
			require.Equal(t, filepath.Join(tr.work, "clouds.yaml"), fe.Path)
			noSecrets(t, "error", err.Error())
		})
	}
}

// TestDecodeAliasLimit checks yaml.v3's own limit, which the typed targets
// of Load never reach: expanded into a generic value, the bomb is refused
// as excessive aliasing, and decode reports it without content.
func TestDecodeAliasLimit(t *testing.T) {
	t.Parallel()
	var v any
	start := time.Now()
	err := decode("bomb.yaml", []byte(billionLaughs("j: *i\n")), &v)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("decode took %v", d)
	}
	var fe *FileError
	require.True(t, errors.As(err, &fe), "decode error %v, want a *FileError", err)
	if fe.Reason != "uses too many YAML aliases" {
		t.Errorf("Reason = %q, want the alias limit", fe.Reason)
	}
	noSecrets(t, "error", err.Error())

	err = decode("deep.yaml", []byte("x: "+strings.Repeat("{", 20000)), &v)
	require.True(t, errors.As(err, &fe), "decode error %v, want a *FileError", err)
	if fe.Reason != "is nested too deeply" {
		t.Errorf("Reason = %q, want the depth limit", fe.Reason)
	}
}

// TestFileErrorUnwraps: an unreadable file's error keeps its cause (here
// a directory where the file should be), without repeating the path.
func TestFileErrorUnwraps(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	tr.write(t, map[string]string{"$WORK/clouds.yaml/": ""})
	_, err := Load(tr.options("otc", nil))
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		t.Fatalf("Load error %v, want it to unwrap to the system error", err)
	}
	var pe *os.PathError
	if errors.As(err, &pe) || strings.Count(err.Error(), tr.work) != 1 {
		t.Errorf("Load error %v: want the path named once", err)
	}
}
