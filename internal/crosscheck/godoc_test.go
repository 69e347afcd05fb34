package crosscheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var sentence = regexp.MustCompile(`[^.!?]*[.!?]`)

// repeatedSentences returns the sentences of a doc comment's prose (code
// blocks, which are indented, left out) that it says more than once.
func repeatedSentences(text string) []string {
	var prose []string
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "\t") && !strings.HasPrefix(l, "  ") {
			prose = append(prose, l)
		}
	}
	seen := map[string]bool{}
	var twice []string
	for _, s := range sentence.FindAllString(strings.Join(prose, " "), -1) {
		s = strings.Join(strings.Fields(s), " ")
		if len(strings.Fields(s)) < 3 {
			continue // "e.g." and the like
		}
		if seen[s] {
			twice = append(twice, s)
		}
		seen[s] = true
	}
	return twice
}

// TestNoDoubledSentences: no doc comment in the repository, of a package,
// a declaration or a struct field, says the same sentence twice (as `go doc
// ./route53profiles` once said "It is safe for concurrent use." twice).
func TestNoDoubledSentences(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	checked := 0
	check := func(file string, cg *ast.CommentGroup) {
		if cg == nil {
			return
		}
		checked++
		for _, s := range repeatedSentences(cg.Text()) {
			t.Errorf("%s: the doc comment says twice %q", fset.Position(cg.Pos()), s)
		}
	}
	err := filepath.WalkDir(repoRoot, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			if strings.HasPrefix(e.Name(), ".") && path != repoRoot || e.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		check(path, f.Doc)
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.GenDecl:
				check(path, n.Doc)
			case *ast.FuncDecl:
				check(path, n.Doc)
			case *ast.TypeSpec:
				check(path, n.Doc)
			case *ast.ValueSpec:
				check(path, n.Doc)
			case *ast.Field:
				check(path, n.Doc)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 500 {
		t.Errorf("only %d doc comments checked: the walk missed the packages", checked)
	}
}

func TestRepeatedSentences(t *testing.T) {
	t.Parallel()
	got := repeatedSentences("Client calls X. It is safe for concurrent use. It is safe\nfor concurrent use.\n\n\tc.New(x). c.New(x).\n")
	if diff := cmp.Diff([]string{"It is safe for concurrent use."}, got); diff != "" {
		t.Errorf("repeatedSentences (-want +got):\n%s", diff)
	}
}
