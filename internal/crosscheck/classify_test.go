package crosscheck

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// documentedCodes lists, for each package, its exported Code constants and
// the HTTP statuses its documentation gives each (Route 53 Profiles sends
// every error with 400; see each package's errors.go). TestDocumentedCodes
// holds the table to the source, so a new code cannot be left out.
var documentedCodes = map[string]map[string][]int{
	"route53profiles": {
		"AccessDeniedException": {400}, "InvalidNextTokenException": {400}, "InvalidParameterException": {400},
		"LimitExceededException": {400}, "ResourceNotFoundException": {400}, "ThrottlingException": {400},
		"ValidationException": {400},
	},
	"customerprofiles": {
		"AccessDeniedException": {403}, "BadRequestException": {400}, "InternalServerException": {500},
		"ResourceNotFoundException": {404}, "ThrottlingException": {429},
	},
	"identitycenter": {
		"APIGW.0301": {401}, "APIGW.0302": {403}, "APIGW.0308": {429},
	},
	"privatedns": {
		"DNS.0706": {403}, "DNS.0709": {403}, "DNS.0707": {400}, "DNS.0708": {400}, "DNS.0212": {400, 409},
		"DNS.0704": {400}, "DNS.0705": {400}, "DNS.0701": {400}, "DNS.0711": {404}, "DNS.0710": {500},
		"DNS.0805": {400, 500}, "DNS.0301": {400}, "DNS.0302": {400, 404}, "DNS.0209": {400, 409, 500},
		"DNS.0213": {400}, "DNS.0002": {400}, "DNS.0005": {401}, "DNS.0013": {403}, "DNS.0014": {403},
		"DNS.0021": {409}, "DNS.0030": {403}, "DNS.0031": {403}, "DNS.1802": {403}, "DNS.0000": {500},
		"DNS.0001": {500}, "DNS.0003": {500}, "DNS.0012": {500}, "DNS.0015": {500},
		"APIGW.0301": {401}, "APIGW.0302": {403}, "APIGW.0308": {429},
	},
}

// exportedCodes reads the values of a package's exported Code* constants
// from its source.
func exportedCodes(t *testing.T, pkg string) []string {
	t.Helper()
	dir := filepath.Join(repoRoot, pkg)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	fset := token.NewFileSet()
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !n.IsExported() || !strings.HasPrefix(n.Name, "Code") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						codes = append(codes, v)
					}
				}
			}
		}
	}
	sort.Strings(codes)
	return codes
}

// TestDocumentedCodes: the table above lists exactly each package's
// exported codes.
func TestDocumentedCodes(t *testing.T) {
	t.Parallel()
	for _, pkg := range servicePackages {
		var table []string
		for code := range documentedCodes[pkg] {
			table = append(table, code)
		}
		sort.Strings(table)
		if diff := cmp.Diff(exportedCodes(t, pkg), table); diff != "" {
			t.Errorf("%s: documentedCodes differs from the package's Code constants (-source +table):\n%s", pkg, diff)
		}
	}
}

// kindOf is the Kind the package's client gives an answer with status and
// code, seen through its public API.
func kindOf(t *testing.T, pkg string, status int, code string) transport.Kind {
	t.Helper()
	body := `{"__type":"` + code + `","message":"crosscheck"}`
	if pkg == "identitycenter" || pkg == "privatedns" {
		body = `{"error_code":"` + code + `","error_msg":"crosscheck"}`
	}
	c := newClients(t, func(*http.Request) (int, string) { return status, body })
	var err error
	switch pkg {
	case "route53profiles":
		_, err = c.r53.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{ProfileID: r53Profile, ResourceID: r53VPC})
	case "customerprofiles":
		_, err = c.cp.DeleteProfileObject(ctx, &customerprofiles.DeleteProfileObjectInput{DomainName: cpDomain,
			ObjectTypeName: cpType, ProfileID: cpProfile, ProfileObjectUniqueKey: cpKey})
	case "identitycenter":
		_, err = c.ic.DeleteProfile(ctx, &identitycenter.DeleteProfileInput{InstanceID: icInstance,
			ApplicationInstanceID: icApp, ProfileID: icProfile})
	case "privatedns":
		_, err = c.dns.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{ZoneID: dnsZone, RouterID: dnsRouter})
	}
	var re *transport.ResponseError
	if !errors.As(err, &re) || re.Code != code || re.StatusCode != status {
		t.Fatalf("%s, %d %s: error %v, want the service's answer", pkg, status, code, err)
	}
	return re.Kind
}

// TestSharedCodesClassifyAlike: an error code means the same in every
// package that can meet it. AWS codes are names shared by every AWS service
// (a service may send a code another documents, LimitExceededException
// say), so every code of an AWS package is tried on both AWS packages;
// Huawei codes carry their service's prefix (DNS., IIC.), so only the codes
// two Huawei packages declare (the API gateway's) are compared. Each code is
// sent with every status a package documents for it, and every package must
// give it the same Kind: the same sentinel, and the same retry decision.
func TestSharedCodesClassifyAlike(t *testing.T) {
	t.Parallel()
	groups := [][]string{{"route53profiles", "customerprofiles"}, {"identitycenter", "privatedns"}}
	for gi, group := range groups {
		statuses := map[string][]int{}
		declared := map[string]int{}
		for _, pkg := range group {
			for code, st := range documentedCodes[pkg] {
				declared[code]++
				for _, s := range st {
					if !slices.Contains(statuses[code], s) {
						statuses[code] = append(statuses[code], s)
					}
				}
			}
		}
		for code, sts := range statuses {
			if gi == 1 && declared[code] < 2 {
				continue
			}
			for _, status := range sts {
				kinds := map[string]transport.Kind{}
				for _, pkg := range group {
					kinds[pkg] = kindOf(t, pkg, status, code)
				}
				if kinds[group[0]] != kinds[group[1]] {
					t.Errorf("%s with status %d: %s classifies it %v, %s %v", code, status,
						group[0], kinds[group[0]], group[1], kinds[group[1]])
				}
			}
		}
	}
}
