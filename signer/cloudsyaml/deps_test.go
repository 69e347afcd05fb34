package cloudsyaml

import (
	"os/exec"
	"strings"
	"testing"
)

const (
	yamlPkg = "go.yaml.in/yaml/v3"
	thisPkg = "github.com/detach-go/detach/signer/cloudsyaml"
)

// TestOnlyThisPackageLinksYAML reads the module's real import graph (go
// list, without tests: testify pulls the YAML parser into every test
// binary) and checks the promise of the package doc: only this package
// imports the parser, and a package that links it does so through this
// one. So privatedns, signer and the examples, which do not import
// cloudsyaml, do not link YAML.
func TestOnlyThisPackageLinksYAML(t *testing.T) {
	t.Parallel()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH: cannot read the import graph")
	}
	cmd := exec.Command(gobin, "list", "-f", "{{.ImportPath}} {{join .Imports \",\"}} {{join .Deps \",\"}}", "github.com/detach-go/detach/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, " ")
		if len(f) != 3 {
			t.Fatalf("go list line %q: want three fields", line)
		}
		pkg, imports, deps := f[0], strings.Split(f[1], ","), strings.Split(f[2], ",")
		checked++
		if pkg == thisPkg {
			if !contains(imports, yamlPkg) {
				t.Errorf("%s does not import %s: is the graph read right?", pkg, yamlPkg)
			}
			continue
		}
		if contains(imports, yamlPkg) {
			t.Errorf("%s imports %s; only %s may", pkg, yamlPkg, thisPkg)
		}
		if contains(deps, yamlPkg) && !contains(deps, thisPkg) {
			t.Errorf("%s links %s without importing %s", pkg, yamlPkg, thisPkg)
		}
	}
	// The module has dozens of packages; a handful means go list saw
	// something else.
	if checked < 10 {
		t.Errorf("go list listed %d packages; want the whole module", checked)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
