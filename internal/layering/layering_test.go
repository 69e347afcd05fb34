package layering

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// module is the module path of detach (go.mod).
const module = "github.com/detach-go/detach"

// knownServices must all be found; more are picked up as they are added.
var knownServices = []string{"route53profiles", "customerprofiles", "identitycenter", "privatedns"}

// pkg is what the rules need of `go list -json`: the direct imports and all
// dependencies of a package's non-test files.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// rel is a module package's path below the module ("signer/huaweicreds"),
// or "" for a package outside the module.
func rel(importPath string) string {
	r, ok := strings.CutPrefix(importPath, module+"/")
	if !ok {
		return ""
	}
	return r
}

// isStd reports whether p is a standard library package: its first element
// has no dot, as every module path's has.
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// isService reports whether r (a module-relative path) is a service: a
// package directly under the module root other than the ground floor.
func isService(r string) bool {
	return r != "" && !strings.Contains(r, "/") && r != "signer" && r != "transport"
}

// under reports whether r is dir or a package below it.
func under(r, dir string) bool { return r == dir || strings.HasPrefix(r, dir+"/") }

// rule is one house rule: packages it applies to must not import what it
// forbids, directly or, with deps, through any other package.
type rule struct {
	name      string
	appliesTo func(r string) bool
	forbids   func(from, imported string) bool
	deps      bool
}

var rules = []rule{
	{
		name:      "signer imports only the standard library",
		appliesTo: func(r string) bool { return r == "signer" },
		forbids:   func(_, p string) bool { return !isStd(p) },
		deps:      true,
	},
	{
		name:      "transport imports neither signer nor a service",
		appliesTo: func(r string) bool { return r == "transport" },
		forbids:   func(_, p string) bool { return under(rel(p), "signer") || isService(rel(p)) },
		deps:      true,
	},
	{
		name:      "credential sources under signer/ import no service",
		appliesTo: func(r string) bool { return strings.HasPrefix(r, "signer/") },
		forbids:   func(_, p string) bool { return isService(rel(p)) },
		deps:      true,
	},
	{
		name:      "no service imports another",
		appliesTo: isService,
		forbids:   func(from, p string) bool { return isService(rel(p)) && rel(p) != from },
		deps:      true,
	},
	{
		name: "only examples and tests import internal/fakecloud",
		appliesTo: func(r string) bool {
			return !under(r, "examples") && !under(r, "internal/fakecloud")
		},
		forbids: func(_, p string) bool { return under(rel(p), "internal/fakecloud") },
	},
	{
		name:      "only signer/cloudsyaml imports YAML",
		appliesTo: func(r string) bool { return r != "signer/cloudsyaml" },
		forbids: func(_, p string) bool {
			return strings.HasPrefix(p, "go.yaml.in/yaml/") || strings.HasPrefix(p, "gopkg.in/yaml.")
		},
	},
}

func TestLayering(t *testing.T) {
	pkgs := listPackages(t)
	checkTheGraphIsSeen(t, pkgs)
	for _, rl := range rules {
		t.Run(rl.name, func(t *testing.T) {
			var broken []string
			for _, p := range pkgs {
				from := rel(p.ImportPath)
				if !rl.appliesTo(from) {
					continue
				}
				imported := p.Imports
				if rl.deps {
					imported = p.Deps
				}
				for _, q := range imported {
					switch {
					case !rl.forbids(from, q):
					case slices.Contains(p.Imports, q):
						broken = append(broken, p.ImportPath+" imports "+q)
					default:
						broken = append(broken, p.ImportPath+" depends on "+q+" through another package")
					}
				}
			}
			if len(broken) > 0 {
				t.Errorf("the layering is broken (%d imports):\n\t%s", len(broken), strings.Join(broken, "\n\t"))
			}
		})
	}
}

// checkTheGraphIsSeen stops the test when the listing misses what it must
// contain, so that no rule can pass on an empty or partial graph.
func checkTheGraphIsSeen(t *testing.T, pkgs []pkg) {
	t.Helper()
	byRel := map[string]pkg{}
	for _, p := range pkgs {
		byRel[rel(p.ImportPath)] = p
	}
	for _, r := range append([]string{"signer", "transport", "signer/huaweicreds", "internal/fakecloud", "examples/tour"}, knownServices...) {
		if _, ok := byRel[r]; !ok {
			t.Fatalf("go list did not report %s/%s; the rules would check nothing", module, r)
		}
	}
	for _, edge := range [][2]string{
		{"examples/tour", "internal/fakecloud"},
		{"privatedns", "signer/huaweicreds"},
		{"signer/huaweicreds", "transport"},
	} {
		if !slices.Contains(byRel[edge[0]].Imports, module+"/"+edge[1]) {
			t.Fatalf("go list does not show %s importing %s; the rules would check nothing", edge[0], edge[1])
		}
	}
}

// listPackages runs `go list -json ./...` at the module root: the packages
// of this module (internal/sdkcompare is a module of its own), as built,
// tests excluded.
func listPackages(t *testing.T) []pkg {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	recordSources(t, root)
	var stderr bytes.Buffer
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", "./...")
	cmd.Dir = root
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// recordSources looks at every Go source and go.mod below root. go test
// caches a passing result and replays it while the files the test opened or
// looked at are unchanged; it cannot see what the go list child process
// read, so without this a new import would be met with the cached pass.
func recordSources(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata"):
			return filepath.SkipDir
		case !d.IsDir() && (strings.HasSuffix(path, ".go") || d.Name() == "go.mod"):
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatalf("walk the sources: %v", err)
	}
}
