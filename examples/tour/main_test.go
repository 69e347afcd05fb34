package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/transport"
)

// reportLine is one row of the printed table, the request ID aside.
type reportLine struct {
	Operation, Auth, Result, HTTP, Attempts string
}

var (
	columns   = regexp.MustCompile(`\s{2,}`)
	awsReqID  = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	huaweiID  = regexp.MustCompile(`^[0-9a-f]{32}$`)
	tableHead = "OPERATION  AUTH  RESULT  HTTP  REQUEST ID  ATTEMPTS"
)

// parseTable returns the rows of the report's table and their request IDs.
func parseTable(t *testing.T, out string) ([]reportLine, []string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	start := -1
	for i, l := range lines {
		if columns.ReplaceAllString(strings.TrimSpace(l), "  ") == tableHead {
			start = i + 1
			break
		}
	}
	require.NotEqual(t, -1, start, "no table header in:\n%s", out)
	var rows []reportLine
	var ids []string
	for _, l := range lines[start:] {
		if strings.TrimSpace(l) == "" {
			break
		}
		f := columns.Split(strings.TrimSpace(l), -1)
		require.Len(t, f, 6, "row %q", l)
		rows = append(rows, reportLine{f[0], f[1], f[2], f[3], f[5]})
		ids = append(ids, f[4])
	}
	return rows, ids
}

func TestRun(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	rows, ids := parseTable(t, out.String())
	want := []reportLine{
		{"route53profiles DisassociateProfile", "SigV4", "association DELETING", "200", "1"},
		{"customerprofiles DeleteProfileObject", "SigV4", "object deleted", "200", "1"},
		{"identitycenter DeleteProfile", "AK/SK", "profile deleted", "200", "1"},
		{"privatedns DisassociateRouter (Huawei)", "IAM password token", "router PENDING_DELETE", "202", "1"},
		{"privatedns DisassociateRouter (OTC)", "static token", "router PENDING_DELETE", "202", "1"},
		{"route53profiles DisassociateProfile", "SigV4", "throttled, retried: DELETING", "200", "2"},
		{"privatedns DisassociateRouter (Huawei)", "IAM password token", "DNS.0706 (ErrConflict): last VPC kept", "403", "1"},
		{"customerprofiles DeleteProfileObject", "SigV4", "ResourceNotFoundException (ErrNotFound): already gone", "404", "1"},
		{"route53profiles ListProfileAssociations", "web identity (STS)", "2 associations listed", "200", "1"},
		{"privatedns ShowPrivateZone (Huawei)", "OIDC federation (IAM)", "zone ACTIVE, 2 routers", "200", "1"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("report rows (-want +got):\n%s\nreport:\n%s", diff, out.String())
	}
	for i, id := range ids {
		re := huaweiID
		if strings.HasPrefix(rows[i].Operation, "route53profiles") || strings.HasPrefix(rows[i].Operation, "customerprofiles") {
			re = awsReqID
		}
		if !re.MatchString(id) {
			t.Errorf("row %d (%s): request ID %q does not match %v", i, rows[i].Operation, id, re)
		}
	}
	wantHead := "detach tour: 10 calls of 6 operations (route53profiles DisassociateProfile, customerprofiles DeleteProfileObject, " +
		"identitycenter DeleteProfile, privatedns DisassociateRouter, route53profiles ListProfileAssociations, privatedns ShowPrivateZone) " +
		"against fakecloud at "
	if !strings.HasPrefix(out.String(), wantHead) {
		t.Errorf("first line does not say what the tour runs; want it to start %q:\n%s", wantHead, out.String())
	}
	if !strings.Contains(out.String(), "\nall 10 calls behaved as documented\n") {
		t.Errorf("no success line in:\n%s", out.String())
	}
	if strings.Contains(out.String(), "DIFFERS") {
		t.Errorf("a difference was reported:\n%s", out.String())
	}
}

// TestCallsChangeState checks that the tour's calls really changed the
// emulator's state, and that the throttled call reached it twice.
func TestCallsChangeState(t *testing.T) {
	t.Parallel()
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	tr, err := newTour(srv)
	require.NoError(t, err)
	t.Cleanup(tr.close)
	for _, r := range tr.calls(t.Context()) {
		if r.problem != "" {
			t.Errorf("%s: %s", r.operation, r.problem)
		}
	}
	c := srv.Cloud()

	type state struct {
		R53VPC1, R53VPC2         string
		CPObject, ICProfile      bool
		HuaweiRouter, OTCRouter  string
		HuaweiSingleRouter       string
		R53Requests, DNSRequests int
		TokensIssued             int
		DomainLookups            int
		WebIdentityExchanges     int
		WebIdentityKeyUsed       bool
		IDTokenExchanges         int
		FederatedKeysIssued      int
		ProjectLookups           int
		FederatedKeyUsed         bool
	}
	var got state
	_, got.R53VPC1 = c.ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID)
	_, got.R53VPC2 = c.ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID2)
	got.CPObject = c.ProfileObject(fakecloud.CPDomainName, fakecloud.CPObjectTypeName, fakecloud.CPProfileID, fakecloud.CPObjectKey)
	got.ICProfile = c.ApplicationProfile(fakecloud.ICInstanceID, fakecloud.ICApplicationInstanceID, fakecloud.ICProfileID)
	got.HuaweiRouter = routerStatus(t, c, fakecloud.Huawei, fakecloud.HuaweiZoneID, fakecloud.HuaweiVPCID)
	got.OTCRouter = routerStatus(t, c, fakecloud.OTC, fakecloud.OTCZoneID, fakecloud.OTCVPCID)
	got.HuaweiSingleRouter = routerStatus(t, c, fakecloud.Huawei, fakecloud.HuaweiSingleZoneID, fakecloud.HuaweiSingleVPCID)
	got.R53Requests = c.Requests(fakecloud.OpDisassociateProfile)
	got.DNSRequests = c.Requests(fakecloud.OpDisassociateRouter)
	got.TokensIssued = c.TokensIssued()
	got.DomainLookups = c.Requests(fakecloud.OpListAuthDomains)
	got.WebIdentityExchanges = c.Requests(fakecloud.OpAssumeRoleWithWebIdentity)
	got.IDTokenExchanges = c.Requests(fakecloud.OpCreateTokenWithIDToken)
	got.FederatedKeysIssued = c.Requests(fakecloud.OpCreateTemporaryAccessKey)
	got.ProjectLookups = c.Requests(fakecloud.OpListProjects)
	for _, sr := range c.ServiceRequests() {
		for _, ic := range c.IssuedCredentials() {
			got.WebIdentityKeyUsed = got.WebIdentityKeyUsed || (ic.Op == fakecloud.OpAssumeRoleWithWebIdentity && sr.AccessKey == ic.AccessKeyID)
		}
		for _, ic := range c.IssuedHuaweiCredentials() {
			got.FederatedKeyUsed = got.FederatedKeyUsed || (sr.Service == fakecloud.HuaweiDNS && sr.AccessKey == ic.AccessKey)
		}
	}

	want := state{
		R53VPC1: "DELETING", R53VPC2: "DELETING",
		CPObject: false, ICProfile: false,
		HuaweiRouter: fakecloud.RouterPendingDelete, OTCRouter: fakecloud.RouterPendingDelete,
		HuaweiSingleRouter: fakecloud.RouterActive, // DNS.0706 left it alone
		R53Requests:        3,                      // one call, then a throttled call and its retry
		DNSRequests:        3,
		TokensIssued:       3, // one per cloud's password, one unscoped for the ID token
		DomainLookups:      1,
		// The listing was signed with the key STS issued for the token.
		WebIdentityExchanges: 1,
		WebIdentityKeyUsed:   true,
		// The zone was read with the keys IAM issued for the ID token, in
		// the project IAM named for them.
		IDTokenExchanges:    1,
		FederatedKeysIssued: 1,
		ProjectLookups:      1,
		FederatedKeyUsed:    true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("emulator state after the tour (-want +got):\n%s", diff)
	}
}

func routerStatus(t *testing.T, c *fakecloud.Cloud, p fakecloud.Provider, zoneID, routerID string) string {
	t.Helper()
	routers, ok := c.Zone(p, zoneID)
	require.True(t, ok, "zone %s missing", zoneID)
	for _, r := range routers {
		if r.ID == routerID {
			return r.Status
		}
	}
	return "absent"
}

func TestReportDifferences(t *testing.T) {
	t.Parallel()
	rows := []row{
		succeeded("op one", "SigV4", "fine", transport.Metadata{StatusCode: 200, RequestID: "r1", Attempts: 1}),
		{operation: "op two", auth: "token", result: "error", problem: "HTTP 500 after 3 attempts, want 202 after 1"},
	}
	var out bytes.Buffer
	err := report(&out, "http://127.0.0.1:1", rows)
	if err == nil || err.Error() != "1 of 2 calls did not behave as documented" {
		t.Errorf("report error = %v, want 1 of 2 calls did not behave as documented", err)
	}
	got, ids := parseTable(t, out.String())
	want := []reportLine{
		{"op one", "SigV4", "fine", "200", "1"},
		{"op two", "token", "error", "-", "0"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"r1", "-"}, ids); diff != "" {
		t.Errorf("request IDs (-want +got):\n%s", diff)
	}
	if !strings.Contains(out.String(), "DIFFERS: op two: HTTP 500 after 3 attempts, want 202 after 1\n") {
		t.Errorf("the difference is not reported:\n%s", out.String())
	}
	if strings.Contains(out.String(), "behaved as documented\n") {
		t.Errorf("success claimed despite a difference:\n%s", out.String())
	}
}

func TestRowWantKeepsFirstProblem(t *testing.T) {
	t.Parallel()
	var r row
	r.want(true, "not recorded")
	r.want(false, "first %d", 1)
	r.want(false, "second")
	if r.problem != "first 1" {
		t.Errorf("problem = %q, want %q", r.problem, "first 1")
	}
}

// TestREADME checks what the repository's README says of the tour against
// what it runs: its sample table has the rows run prints (request IDs
// aside, which change), and its one-line description of the command gives
// the numbers of calls and operations that the tour's own first line gives.
func TestREADME(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	rows, _ := parseTable(t, out.String())

	// The README's sample: the table without the request ID column.
	text := string(readme)
	start := strings.Index(text, "\nOPERATION ")
	require.NotEqual(t, -1, start, "no sample table in README.md")
	sample := text[start+1:]
	sample = sample[:strings.Index(sample, "```")]
	var got []reportLine
	for _, l := range strings.Split(strings.TrimSpace(sample), "\n")[1:] {
		f := columns.Split(strings.TrimSpace(l), -1)
		require.Len(t, f, 5, "README sample row %q", l)
		got = append(got, reportLine{f[0], f[1], f[2], f[3], f[4]})
	}
	if diff := cmp.Diff(rows, got); diff != "" {
		t.Errorf("README sample table (-tour +README):\n%s", diff)
	}

	head, _, _ := strings.Cut(out.String(), "\n")
	m := regexp.MustCompile(`^detach tour: (\d+) calls of (\d+) operations `).FindStringSubmatch(head)
	require.NotNil(t, m, "first line %q", head)
	line := regexp.MustCompile(`(?m)^go run \./examples/tour +# (.*)$`).FindStringSubmatch(text)
	require.NotNil(t, line, "README.md has no commented `go run ./examples/tour` line")
	want := m[1] + " calls of the " + m[2] + " "
	if !strings.Contains(line[1], want) {
		t.Errorf("README says of the tour %q; want it to say %q, as the tour does", line[1], want+"...")
	}
}
