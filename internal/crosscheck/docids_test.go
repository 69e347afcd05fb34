package crosscheck

import (
	"errors"
	"fmt"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// servicePackages are the packages whose inputs docs show.
var servicePackages = []string{"route53profiles", "customerprofiles", "identitycenter", "privatedns"}

// docID is one use of IDs in a doc: an input literal with its string
// fields, a call with its leading string arguments, or a bare token that
// looks like an Identity Center ID.
type docID struct {
	where  string            // file:line
	kind   string            // "pkg.Type" for a literal, "pkg.Method" for a call, "token" for a bare ID
	fields map[string]string // literal fields; for a call "0", "1", ...; for a token the field it is
	// refused is the output of the example the ID is in when that output
	// shows a validation error ("invalid input: ..."): the example shows an
	// invalid ID on purpose, and the validation must refuse it as shown.
	refused string
}

var (
	litStart = regexp.MustCompile(`\b(route53profiles|customerprofiles|identitycenter|privatedns)\.(\w+Input|RouterRef)\{`)
	litField = regexp.MustCompile(`\b(\w+):\s*("(?:[^"\\\n]|\\.)*")`)
	callArgs = regexp.MustCompile(`\.(DisassociateAndWait|WaitProfileDisassociated|WaitRouterDisassociated|WaitRouterActive|ReplaceRouter)` +
		`\(\s*[\w.()]+\s*,((?:\s*"(?:[^"\\\n]|\\.)*"\s*,)+)`)
	strLit = regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"`)
	// An Identity Center instance or application instance ID anywhere in
	// the text (a flag's example, prose): "ins-" not preceded by "app-".
	icToken = regexp.MustCompile(`(?:^|[^\w-])(app-ins-|ins-)([\w*]+(?:-[\w*]+)*)`)
)

// extractIDs finds the IDs in text, read from file (a path relative to the
// repository, which also says which package a call belongs to).
func extractIDs(file, text string) []docID {
	line := func(off int) string { return file + ":" + strconv.Itoa(1+strings.Count(text[:off], "\n")) }
	var out []docID
	for _, m := range litStart.FindAllStringSubmatchIndex(text, -1) {
		body := braced(text[m[1]:])
		d := docID{where: line(m[0]), kind: text[m[2]:m[3]] + "." + text[m[4]:m[5]], fields: map[string]string{}}
		for _, f := range litField.FindAllStringSubmatch(body, -1) {
			if v, err := strconv.Unquote(f[2]); err == nil {
				d.fields[f[1]] = v
			}
		}
		out = append(out, d)
	}
	for _, m := range callArgs.FindAllStringSubmatchIndex(text, -1) {
		method := text[m[2]:m[3]]
		d := docID{where: line(m[0]), fields: map[string]string{}}
		for i, lit := range strLit.FindAllString(text[m[4]:m[5]], -1) {
			v, _ := strconv.Unquote(lit)
			d.fields[strconv.Itoa(i)] = v
		}
		d.kind = callPackage(file, method, len(d.fields)) + "." + method
		out = append(out, d)
	}
	for _, m := range icToken.FindAllStringSubmatchIndex(text, -1) {
		field := "InstanceID"
		if text[m[2]:m[3]] == "app-ins-" {
			field = "ApplicationInstanceID"
		}
		out = append(out, docID{where: line(m[2]), kind: "token", fields: map[string]string{field: text[m[2]:m[5]]}})
	}
	return out
}

// braced returns s up to the brace that closes the one just before it.
func braced(s string) string {
	depth := 1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				return s[:i]
			}
		}
	}
	return s
}

// callPackage says whose method a call is: the package of the file's
// directory when it is a service package or its example command, else what
// the method and its number of leading string arguments say
// (DisassociateAndWait takes two IDs in route53profiles, three in
// privatedns).
func callPackage(file, method string, literals int) string {
	for _, p := range servicePackages {
		if strings.HasPrefix(file, p+"/") || strings.HasPrefix(file, "examples/"+p+"/") {
			return p
		}
	}
	if method == "WaitProfileDisassociated" || method == "DisassociateAndWait" && literals < 3 {
		return "route53profiles"
	}
	return "privatedns"
}

// checkID runs d through its package's validation, with valid values for
// the fields d does not give, and returns the validation error, if any. It
// returns an error for a literal or call the test does not know, so that a
// new kind of example cannot go unchecked.
func checkID(c *clients, d docID) (*transport.ValidationError, error) {
	set := func(in any) error {
		v := reflect.ValueOf(in).Elem()
		for name, val := range d.fields {
			f := v.FieldByName(name)
			if !f.IsValid() || f.Kind() != reflect.String {
				return unknownField(d.kind + " has no string field " + name)
			}
			f.SetString(val)
		}
		return nil
	}
	arg := func(i int, def string) string {
		if v, ok := d.fields[strconv.Itoa(i)]; ok {
			return v
		}
		return def
	}
	var err error
	switch d.kind {
	case "route53profiles.DisassociateProfileInput":
		in := &route53profiles.DisassociateProfileInput{ProfileID: r53Profile, ResourceID: r53VPC}
		if err = set(in); err == nil {
			_, err = c.r53.DisassociateProfile(ctx, in)
		}
	case "route53profiles.GetProfileAssociationInput":
		in := &route53profiles.GetProfileAssociationInput{ProfileAssociationID: r53Assoc}
		if err = set(in); err == nil {
			_, err = c.r53.GetProfileAssociation(ctx, in)
		}
	case "route53profiles.ListProfileAssociationsInput":
		in := &route53profiles.ListProfileAssociationsInput{}
		if err = set(in); err == nil {
			_, err = c.r53.ListProfileAssociations(ctx, in)
		}
	case "route53profiles.DisassociateAndWait", "route53profiles.WaitProfileDisassociated":
		err = c.r53.WaitProfileDisassociated(ctx, arg(0, r53Profile), arg(1, r53VPC), transport.WaitOptions{})
	case "customerprofiles.DeleteProfileObjectInput":
		in := &customerprofiles.DeleteProfileObjectInput{DomainName: cpDomain, ObjectTypeName: cpType, ProfileID: cpProfile, ProfileObjectUniqueKey: cpKey}
		if err = set(in); err == nil {
			_, err = c.cp.DeleteProfileObject(ctx, in)
		}
	case "identitycenter.DeleteProfileInput", "token":
		in := &identitycenter.DeleteProfileInput{InstanceID: icInstance, ApplicationInstanceID: icApp, ProfileID: icProfile}
		if err = set(in); err == nil {
			_, err = c.ic.DeleteProfile(ctx, in)
		}
	case "privatedns.DisassociateRouterInput", "privatedns.AssociateRouterInput":
		in := &privatedns.DisassociateRouterInput{ZoneID: dnsZone, RouterID: dnsRouter}
		if err = set(in); err == nil {
			_, err = c.dns.DisassociateRouter(ctx, in)
		}
	case "privatedns.ShowPrivateZoneInput":
		in := &privatedns.ShowPrivateZoneInput{ZoneID: dnsZone}
		if err = set(in); err == nil {
			_, err = c.dns.ShowPrivateZone(ctx, in)
		}
	case "privatedns.RouterRef":
		in := &privatedns.RouterRef{ID: dnsRouter}
		if err = set(in); err == nil {
			_, err = c.dns.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{ZoneID: dnsZone, RouterID: in.ID, RouterRegion: in.Region})
		}
	case "privatedns.DisassociateAndWait":
		_, err = c.dns.DisassociateAndWait(ctx, arg(0, dnsZone), arg(1, dnsRouter), arg(2, ""), privatedns.RouterWaitOptions{})
	case "privatedns.WaitRouterDisassociated", "privatedns.WaitRouterActive", "privatedns.ReplaceRouter":
		// ReplaceRouter's leading string is the zone; its VPCs are
		// RouterRef literals, checked on their own.
		err = c.dns.WaitRouterDisassociated(ctx, arg(0, dnsZone), arg(1, dnsRouter), privatedns.RouterWaitOptions{})
	default:
		return nil, fmt.Errorf("the test does not know %s: teach checkID to validate it", d.kind)
	}
	c.rec.requests()
	var ve *transport.ValidationError
	if errors.As(err, &ve) {
		return ve, nil
	}
	var ue unknownField
	if errors.As(err, &ue) {
		return nil, err
	}
	return nil, nil
}

// unknownField is a literal's field the input type does not have.
type unknownField string

func (e unknownField) Error() string { return string(e) }

// docFiles lists the files whose IDs are documentation: every Markdown
// file, the non-test Go files (doc comments, usage text) and examples of
// the public packages and of examples/. Tests and internal/ hold invalid
// IDs on purpose.
func docFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(repoRoot, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repoRoot, path)
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			if strings.HasPrefix(e.Name(), ".") && rel != "." || e.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".md"):
		case !strings.HasSuffix(name, ".go") || strings.HasPrefix(rel, "internal/"):
			return nil
		case strings.HasSuffix(name, "_test.go") && !strings.HasPrefix(name, "example"):
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestDocIDs runs every ID that a package's doc comments and examples, the
// example commands and the READMEs show through that package's
// validation: an example a reader copies must be valid.
func TestDocIDs(t *testing.T) {
	t.Parallel()
	c := newClients(t, nil)
	found := map[string]int{}
	for _, file := range docFiles(t) {
		text, err := os.ReadFile(filepath.Join(repoRoot, file))
		if err != nil {
			t.Fatal(err)
		}
		ids := extractIDs(file, string(text))
		if strings.HasSuffix(file, "_test.go") {
			markRefused(t, file, string(text), ids)
		}
		for _, d := range ids {
			ve, err := checkID(c, d)
			switch {
			case d.refused != "" && d.kind == "token":
				// Part of a literal the example shows refused, checked whole.
			case err != nil:
				t.Errorf("%s: %v", d.where, err)
			case d.refused == "" && ve != nil:
				t.Errorf("%s: %s %q: %v", d.where, d.kind, d.fields, ve)
			case d.refused != "" && (ve == nil || !strings.Contains(d.refused, ve.Error())):
				t.Errorf("%s: %s %q: validation gives %v; the example's output shows %q", d.where, d.kind, d.fields, ve, d.refused)
			}
			found[file]++
		}
	}
	// The extraction must see the examples it is meant to check.
	for _, file := range []string{"README.md", "route53profiles/doc.go", "customerprofiles/doc.go", "identitycenter/doc.go",
		"privatedns/doc.go", "route53profiles/example_test.go", "identitycenter/example_test.go",
		"privatedns/example_waiter_test.go", "examples/identitycenter/main.go"} {
		if found[file] == 0 {
			t.Errorf("no ID found in %s: the extraction missed its examples", file)
		}
	}
}

// TestDocIDsCatchesInvalidIDs feeds the extraction and the check docs with
// invalid IDs of each form, which must all be caught.
func TestDocIDsCatchesInvalidIDs(t *testing.T) {
	t.Parallel()
	c := newClients(t, nil)
	doc := `//	_, err = c.DeleteProfile(ctx, &identitycenter.DeleteProfileInput{
//		InstanceID:            "ins-2c1e0000000000f3c6",
//	})
go run ./examples/identitycenter -instance-id ins-2c1e0000000000f3c6 -application-instance-id app-ins-` + "\u00a0" + `x
out, err := c.DisassociateAndWait(ctx, "` + strings.Repeat("r", 65) + `", "vpc-1", wopts)
_, err := c.ReplaceRouter(ctx, "..", privatedns.RouterRef{ID: "", Region: "` + strings.Repeat("e", 256) + `"}, privatedns.RouterRef{ID: "b"}, w)
in := &customerprofiles.DeleteProfileObjectInput{DomainName: "dom ain"}
in := &privatedns.NewInput{ZoneID: "z"}
`
	ids := extractIDs("README.md", doc)
	var bad int
	for _, d := range ids {
		if ve, err := checkID(c, d); ve != nil || err != nil {
			bad++
		}
	}
	// The literal, the flag's instance ID (twice: literal and token), the
	// long profile ID, the ".." zone, the RouterRef, the domain name and
	// the unknown input type; the app-ins token cut at the no-break space
	// is valid.
	if want := 8; bad != want {
		t.Errorf("%d of %d extracted uses caught, want %d: %+v", bad, len(ids), want, ids)
	}
}

// markRefused sets refused on the IDs of ids that sit in an example whose
// output shows a validation error.
func markRefused(t *testing.T, file, text string, ids []docID) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, text, parser.ParseComments)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	for _, ex := range doc.Examples(f) {
		if !strings.Contains(ex.Output, "invalid input: ") {
			continue
		}
		from, to := fset.Position(ex.Code.Pos()).Line, fset.Position(ex.Code.End()).Line
		for i := range ids {
			_, l, _ := strings.Cut(ids[i].where, ":")
			if n, _ := strconv.Atoi(l); from <= n && n <= to {
				ids[i].refused = ex.Output
			}
		}
	}
}
