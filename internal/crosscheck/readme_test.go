package crosscheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func readFile(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// section returns the README's section under "## title", up to the next
// "## " heading, with its whitespace runs made single spaces so that
// phrases match across line breaks.
func section(t *testing.T, readme, title string) string {
	t.Helper()
	_, s, ok := strings.Cut(readme, "\n## "+title+"\n")
	if !ok {
		t.Fatalf("README.md has no section %q", title)
	}
	s, _, _ = strings.Cut(s, "\n## ")
	return s
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestREADMEInstall runs the README's install commands, as written, in a
// new module that imports detach, with the module proxy off (detach is not
// published), and builds it: the steps the README gives must work.
func TestREADMEInstall(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a module with the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	sec := section(t, readFile(t, "README.md"), "Install")
	if !strings.Contains(oneLine(sec), "not published yet") {
		t.Errorf("the Install section does not say that detach is not published yet")
	}
	m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(sec)
	if m == nil {
		t.Fatal("the Install section has no sh block")
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mod := filepath.Join(dir, "yours")
	if err := os.Mkdir(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	// "with this repository at ../detach"
	if err := os.Symlink(root, filepath.Join(dir, "detach")); err != nil {
		t.Skipf("cannot link the repository beside the module: %v", err)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/yours\n\ngo 1.25\n")
	write("main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/detach-go/detach/route53profiles\"\n)\n\n"+
		"func main() { fmt.Println(route53profiles.New) }\n")
	env := append(os.Environ(), "GOPROXY=off", "GOSUMDB=off", "GOFLAGS=-mod=mod", "GOWORK=off")
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir, cmd.Env = mod, env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	ran := 0
	for _, l := range strings.Split(m[1], "\n") {
		l, _, _ = strings.Cut(l, "#")
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if f[0] != "go" {
			t.Fatalf("the Install block runs %q, which this test does not know", l)
		}
		run(f[1:]...)
		ran++
	}
	if ran == 0 {
		t.Fatal("the Install block runs no command")
	}
	run("build", "./...")
	gomod, _ := os.ReadFile(filepath.Join(mod, "go.mod"))
	if !strings.Contains(string(gomod), "github.com/detach-go/detach v0.0.0-00010101000000-000000000000") {
		t.Errorf("go.mod after the steps does not require the version the README names:\n%s", gomod)
	}
}

// ciPhrases maps each step of .ci/run (by the start of its name) to what
// the README's CI paragraph calls it.
var ciPhrases = map[string]string{
	"gofmt":                  "gofmt",
	"dependencies":           "the dependency checks",
	"go vet":                 "`go vet`",
	"staticcheck":            "staticcheck",
	"go test ./...":          "`go test ./...`",
	"go test -race ./...":    "`go test -race ./...`",
	"internal/sdkcompare":    "the sdkcompare module's",
	"footprint":              "the footprint check",
	"go run ./examples/tour": "the tour",
}

// TestREADMECISteps: the README's list of what CI runs names every step of
// .ci/run, and the check for the SigV4 suite that comes first.
func TestREADMECISteps(t *testing.T) {
	t.Parallel()
	ci := readFile(t, ".ci/run")
	readme := oneLine(readFile(t, "README.md"))
	_, para, ok := strings.Cut(readme, "CI (`.ci/run`)")
	if !ok {
		t.Fatal("README.md has no paragraph on CI (`.ci/run`)")
	}
	para, _, _ = strings.Cut(para, "## ")
	steps := regexp.MustCompile(`(?m)^step "([^"]+)"`).FindAllStringSubmatch(ci, -1)
	if len(steps) < 9 {
		t.Fatalf("found %d steps in .ci/run", len(steps))
	}
	for _, s := range steps {
		var phrase, longest string // the longest prefix wins
		for prefix, p := range ciPhrases {
			if strings.HasPrefix(s[1], prefix) && len(prefix) > len(longest) {
				phrase, longest = p, prefix
			}
		}
		switch {
		case phrase == "":
			t.Errorf(".ci/run step %q: the test does not know it; name it in the README's CI paragraph and in ciPhrases", s[1])
		case !strings.Contains(para, phrase):
			t.Errorf(".ci/run step %q: the README's CI paragraph does not mention %s", s[1], phrase)
		}
	}
	if !strings.Contains(ci, "aws-sigv4-test-suite") || !strings.Contains(ci, "exit 1") {
		t.Errorf(".ci/run no longer fails without the SigV4 suite; the README says it does")
	}
	if !strings.Contains(para, "SigV4 suite") {
		t.Errorf("the README's CI paragraph does not say CI checks for the SigV4 suite")
	}
}

// TestREADMESigV4Suite: the README says where the SigV4 suite is read from
// (the path the test uses), that CI always runs it, and that a fresh clone
// skips it with a notice.
func TestREADMESigV4Suite(t *testing.T) {
	t.Parallel()
	test := readFile(t, "signer/sigv4_suite_test.go")
	m := regexp.MustCompile(`v4SuiteDir = "\.\./\.\./(shared/vectors/[^"]+)"`).FindStringSubmatch(test)
	if m == nil {
		t.Fatal("signer/sigv4_suite_test.go no longer declares v4SuiteDir as ../../shared/vectors/...")
	}
	readme := oneLine(readFile(t, "README.md"))
	for _, want := range []string{"../" + m[1], "CI has it and always runs it", "`.ci/run` fails when it is missing",
		"skips that one test and prints a NOTICE"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README.md does not say %q", want)
		}
	}
}

// TestREADMERequestID: where a request ID comes from is documented, in the
// README's Errors section and on ResponseError.RequestID.
func TestREADMERequestID(t *testing.T) {
	t.Parallel()
	errs := oneLine(section(t, readFile(t, "README.md"), "Errors"))
	field := regexp.MustCompile(`(?s)((?:\t// [^\n]*\n)+)\tRequestID string`).FindStringSubmatch(readFile(t, "transport/errors.go"))
	if field == nil {
		t.Fatal("transport/errors.go: no documented RequestID field")
	}
	doc := oneLine(strings.ReplaceAll(field[1], "//", ""))
	for _, want := range []string{"X-Amzn-RequestId", "else the x-amz-request-id", "X-Request-Id", "request_id"} {
		if !strings.Contains(doc, want) {
			t.Errorf("ResponseError.RequestID's doc %q does not mention %q", doc, want)
		}
	}
	for _, want := range []string{"`X-Amzn-RequestId` header, else `x-amz-request-id`", "`X-Request-Id`", "`request_id`"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the README's Errors section does not say %q", want)
		}
	}
}

// TestREADMEIdempotency: the README and Identity Center's doc say that only
// Identity Center's own 404 counts as already gone.
func TestREADMEIdempotency(t *testing.T) {
	t.Parallel()
	sec := oneLine(section(t, readFile(t, "README.md"), "Cleaning up safely"))
	for _, want := range []string{"`IIC.`", "A bare 404 from a proxy or a wrong base path"} {
		if !strings.Contains(sec, want) {
			t.Errorf("the README's Cleaning up safely section does not say %q", want)
		}
	}
	for _, file := range []string{"identitycenter/doc.go", "identitycenter/api_DeleteProfile.go", "identitycenter/client.go"} {
		if !strings.Contains(readFile(t, file), "IIC.") {
			t.Errorf("%s does not say which 404 counts as gone (an IIC. code)", file)
		}
	}
}
