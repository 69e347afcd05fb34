package cloudsyaml

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest clouds.yaml, secure.yaml or clouds-public.yaml
// Load reads (1 MiB); a larger file is a FileError. Real files hold a few
// clouds in a few kilobytes.
const MaxFileSize = 1 << 20

// candidates lists where gophertelekomcloud v0.9.8 looks for a file of the
// given base name ("clouds", "secure" or "clouds-public"), in order: the
// file named by the variable, if set, then each directory with the suffixes
// .yaml, .yml and .json (JSON is read as YAML, of which it is a subset).
func candidates(explicit string, dirs []string, base string) []string {
	var list []string
	if explicit != "" {
		list = append(list, explicit)
	}
	for _, d := range dirs {
		for _, ext := range [...]string{".yaml", ".yml", ".json"} {
			list = append(list, filepath.Join(d, base+ext))
		}
	}
	return list
}

// firstExisting returns the first path that exists. As in gophertelekomcloud
// (selectExisting), a path that cannot be stat'ed, for whatever reason,
// counts as absent, and so does the file named by OS_CLIENT_CONFIG_FILE and
// its kin: they are only put first in the list.
func firstExisting(paths []string) string {
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// readFile reads at most MaxFileSize bytes of path. It reads rather than
// stats the size, so that a named pipe or /dev/fd path (a shell's process
// substitution) works too.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &FileError{Path: path, Reason: "cannot be opened", Err: pathless(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &FileError{Path: path, Reason: "cannot be read", Err: pathless(err)}
	}
	if len(data) > MaxFileSize {
		return nil, &FileError{Path: path, Reason: fmt.Sprintf("is larger than %d bytes", MaxFileSize)}
	}
	return data, nil
}

// pathless drops the *PathError wrapper, whose path the FileError already
// names, keeping the cause (errors.Is(err, fs.ErrPermission) still works).
func pathless(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// yamlLine finds the "line N" that yaml.v3 puts in its messages.
var yamlLine = regexp.MustCompile(`line ([0-9]+)`)

// decode unmarshals a file's bytes into v. yaml.v3 limits what a document
// can cost: alias expansion beyond a ratio of the nodes decoded ("excessive
// aliasing") and nesting beyond 10,000 levels are errors, and the targets
// here are flat structs, so an alias bomb is never expanded into them. Its
// messages quote the offending value (a password, say), so the FileError
// keeps only the line number and a fixed reason.
func decode(path string, data []byte, v any) (err error) {
	defer func() {
		// yaml.v3 turns its own failures into errors; anything else it
		// panics with is a bug in it, which must not take the caller down.
		if r := recover(); r != nil {
			err = &FileError{Path: path, Reason: "could not be parsed as YAML"}
		}
	}()
	yerr := yaml.Unmarshal(data, v)
	if yerr == nil {
		return nil
	}
	fe := &FileError{Path: path, Reason: "is not valid YAML"}
	var te *yaml.TypeError
	msg := yerr.Error()
	switch {
	case errors.As(yerr, &te):
		fe.Reason = "has a value of the wrong type (such as a list where text belongs) or a key given twice"
		if len(te.Errors) > 0 {
			msg = te.Errors[0]
		}
	case strings.Contains(msg, "excessive aliasing"):
		fe.Reason = "uses too many YAML aliases"
	case strings.Contains(msg, "exceeded max depth"):
		fe.Reason = "is nested too deeply"
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		fe.Line, _ = strconv.Atoi(m[1])
	}
	return fe
}

// readYAML reads and decodes one file.
func readYAML(path string, v any) error {
	data, err := readFile(path)
	if err != nil {
		return err
	}
	return decode(path, data, v)
}

// loadClouds reads clouds.yaml or secure.yaml; an empty file, or one without
// a clouds key, has no clouds.
func loadClouds(path string) (map[string]rawCloud, error) {
	var f cloudsFile
	err := readYAML(path, &f)
	return f.Clouds, err
}

// loadVendor reads clouds-public.yaml, whose clouds are under public-clouds.
func loadVendor(path string) (map[string]rawCloud, error) {
	var f vendorFile
	err := readYAML(path, &f)
	return f.Clouds, err
}
