package fakecloud

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// r53pRead sends a signed GET to Route 53 Profiles; escapedPath and
// rawQuery are sent as given.
func r53pRead(t *testing.T, srv *Server, now time.Time, creds awsCreds, escapedPath, rawQuery string) response {
	t.Helper()
	p := escapedPath
	if rawQuery != "" {
		p += "?" + rawQuery
	}
	req := newRequest(t, srv, Route53Profiles, http.MethodGet, p, nil)
	return do(t, srv, signAWS(t, req, nil, creds, "route53profiles", "us-east-1", now))
}

func r53pDisassociate(t *testing.T, srv *Server, now time.Time, profileID, resourceID string) response {
	t.Helper()
	req := newRequest(t, srv, Route53Profiles, http.MethodDelete, r53pPath(url.PathEscape(profileID), url.PathEscape(resourceID)), nil)
	return do(t, srv, signAWS(t, req, nil, awsMain, "route53profiles", "us-east-1", now))
}

// seededAssociation is the first seeded association as the service sends it
// at t0 (created three days earlier).
func seededAssociation(id, resourceID, name string) map[string]any {
	return map[string]any{
		"CreationTime": json.Number("1735527845.678"), "ModificationTime": json.Number("1735527845.678"),
		"Id": id, "Name": name, "OwnerId": AWSAccountID,
		"ProfileId": R53ProfileID, "ResourceId": resourceID,
		"Status": "COMPLETE", "StatusMessage": "Created Profile Association",
	}
}

func TestGetProfileAssociation(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	resp := r53pRead(t, srv, clk.Now(), awsMain, "/profileassociation/"+R53AssociationID, "")
	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.status, resp.body)
	}
	want := map[string]any{"ProfileAssociation": seededAssociation(R53AssociationID, R53VPCID, "fakecloud-association-1")}
	if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	checkAWSHeaders(t, resp, clk.Now())
	if n := c.Requests(OpGetProfileAssociation); n != 1 {
		t.Errorf("Requests = %d, want 1", n)
	}

	// An escaped "/" is part of the ID.
	c.AddProfileAssociation("rp-x", "vpc/1")
	var id string
	for a, err := range listAll(t, srv, clk.Now(), "resourceId=vpc%2F1") {
		mustOK(t, err)
		id = a["Id"].(string)
	}
	resp = r53pRead(t, srv, clk.Now(), awsMain, "/profileassociation/"+url.PathEscape(id), "")
	if resp.status != http.StatusOK || resp.jsonBody(t)["ProfileAssociation"].(map[string]any)["ResourceId"] != "vpc/1" {
		t.Errorf("escaped lookup: status %d, body %s", resp.status, resp.body)
	}
}

func TestGetProfileAssociationErrors(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 65)
	tests := []struct {
		name  string
		path  string
		creds awsCreds
		want  awsErr
	}{
		{"unknown", "/profileassociation/rpassoc-unknown", awsMain, awsErr{400, "ResourceNotFoundException", "ResourceNotFoundException",
			"The profile association rpassoc-unknown doesn't exist."}},
		{"too long", "/profileassociation/" + long, awsMain, awsErr{400, "ValidationException", "ValidationException",
			"1 validation error detected: Value '" + long + "' at 'profileAssociationId' failed to satisfy constraint: Member must have length between 1 and 64"}},
		{"empty", "/profileassociation/", awsMain, awsErr{400, "ValidationException", "ValidationException",
			"1 validation error detected: Value '' at 'profileAssociationId' failed to satisfy constraint: Member must have length between 1 and 64"}},
		{"denied", "/profileassociation/" + R53AssociationID, awsDenied, awsErr{400, "AccessDeniedException", "AccessDeniedException",
			"User: arn:aws:iam::123456789012:user/fakecloud-denied is not authorized to perform: route53profiles:GetProfileAssociation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv, clk := start(t)
			resp := r53pRead(t, srv, clk.Now(), tt.creds, tt.path, "")
			if diff := cmp.Diff(tt.want, decodeAWSError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// listPage is one ListProfileAssociations answer.
type listPage struct {
	Status int
	IDs    []string
	Next   string
}

func readListPage(t *testing.T, resp response) listPage {
	t.Helper()
	p := listPage{Status: resp.status}
	var body struct {
		NextToken           string
		ProfileAssociations []struct{ Id, Status string }
	}
	if err := json.Unmarshal(resp.body, &body); err != nil {
		t.Fatalf("body %s: %v", resp.body, err)
	}
	for _, a := range body.ProfileAssociations {
		p.IDs = append(p.IDs, a.Id+" "+a.Status)
	}
	p.Next = body.NextToken
	return p
}

// listAll pages through ListProfileAssociations with the given query.
func listAll(t *testing.T, srv *Server, now time.Time, query string) func(func(map[string]any, error) bool) {
	return func(yield func(map[string]any, error) bool) {
		next := ""
		for {
			q := query
			if next != "" {
				q += "&nextToken=" + url.QueryEscape(next)
			}
			resp := r53pRead(t, srv, now, awsMain, "/profileassociations", strings.TrimPrefix(q, "&"))
			if resp.status != http.StatusOK {
				t.Fatalf("status %d, body %s", resp.status, resp.body)
			}
			var body struct {
				NextToken           string
				ProfileAssociations []map[string]any
			}
			mustOK(t, json.Unmarshal(resp.body, &body))
			for _, a := range body.ProfileAssociations {
				if !yield(a, nil) {
					return
				}
			}
			if next = body.NextToken; next == "" {
				return
			}
		}
	}
}

func TestListProfileAssociations(t *testing.T) {
	t.Parallel()
	_, srv, clk := start(t)
	// The seed, in the order of the IDs.
	resp := r53pRead(t, srv, clk.Now(), awsMain, "/profileassociations", "")
	want := map[string]any{"ProfileAssociations": []any{
		seededAssociation(R53AssociationID, R53VPCID, "fakecloud-association-1"),
		seededAssociation(R53AssociationID2, R53VPCID2, "fakecloud-association-2"),
	}}
	if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	checkAWSHeaders(t, resp, clk.Now())

	tests := []struct {
		query string
		want  listPage
	}{
		{"profileId=" + R53ProfileID, listPage{200, []string{R53AssociationID + " COMPLETE", R53AssociationID2 + " COMPLETE"}, ""}},
		{"resourceId=" + R53VPCID2, listPage{200, []string{R53AssociationID2 + " COMPLETE"}, ""}},
		{"profileId=" + R53ProfileID + "&resourceId=" + R53VPCID, listPage{200, []string{R53AssociationID + " COMPLETE"}, ""}},
		{"profileId=rp-other", listPage{200, nil, ""}},
		{"profileId=rp-other&resourceId=" + R53VPCID, listPage{200, nil, ""}},
		{"maxResults=100", listPage{200, []string{R53AssociationID + " COMPLETE", R53AssociationID2 + " COMPLETE"}, ""}},
		{"maxResults=2", listPage{200, []string{R53AssociationID + " COMPLETE", R53AssociationID2 + " COMPLETE"}, ""}},
		{"maxResults=1", listPage{200, []string{R53AssociationID + " COMPLETE"}, encodeListToken(R53AssociationID)}},
		{"maxResults=1&nextToken=" + url.QueryEscape(encodeListToken(R53AssociationID)), listPage{200, []string{R53AssociationID2 + " COMPLETE"}, ""}},
		{"nextToken=" + url.QueryEscape(encodeListToken(R53AssociationID2)), listPage{200, nil, ""}},
	}
	for _, tt := range tests {
		got := readListPage(t, r53pRead(t, srv, clk.Now(), awsMain, "/profileassociations", tt.query))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.query, diff)
		}
	}
}

func TestListProfileAssociationsPaging(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	for i := range 5 {
		c.AddProfileAssociation("rp-paged", "vpc-"+string(rune('a'+i)))
	}
	var got []string
	pages := 0
	next := ""
	for {
		q := "profileId=rp-paged&maxResults=2"
		if next != "" {
			q += "&nextToken=" + url.QueryEscape(next)
		}
		p := readListPage(t, r53pRead(t, srv, clk.Now(), awsMain, "/profileassociations", q))
		pages++
		got = append(got, p.IDs...)
		if next = p.Next; next == "" {
			break
		}
	}
	if pages != 3 || len(got) != 5 {
		t.Errorf("%d pages, %d associations (%v); want 3 and 5", pages, len(got), got)
	}
}

func TestListProfileAssociationsErrors(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("b", 65)
	const head = "1 validation error detected: Value '"
	tests := []struct {
		name  string
		query string
		creds awsCreds
		want  awsErr
	}{
		{"maxResults 0", "maxResults=0", awsMain, awsErr{400, "ValidationException", "ValidationException",
			head + "0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"}},
		{"maxResults 101", "maxResults=101", awsMain, awsErr{400, "ValidationException", "ValidationException",
			head + "101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"}},
		{"maxResults text", "maxResults=ten", awsMain, awsErr{400, "ValidationException", "ValidationException",
			head + "ten' at 'maxResults' failed to satisfy constraint: Member must be an integer"}},
		{"empty profileId", "profileId=", awsMain, awsErr{400, "ValidationException", "ValidationException",
			head + "' at 'profileId' failed to satisfy constraint: Member must have length between 1 and 64"}},
		{"long resourceId", "resourceId=" + long, awsMain, awsErr{400, "ValidationException", "ValidationException",
			head + long + "' at 'resourceId' failed to satisfy constraint: Member must have length between 1 and 64"}},
		{"foreign token", "nextToken=abc", awsMain, awsErr{400, "InvalidNextTokenException", "InvalidNextTokenException",
			"The NextToken provided is not valid."}},
		{"token not base64", "nextToken=fakecloud1.%21%21", awsMain, awsErr{400, "InvalidNextTokenException", "InvalidNextTokenException",
			"The NextToken provided is not valid."}},
		{"empty token", "nextToken=", awsMain, awsErr{400, "InvalidNextTokenException", "InvalidNextTokenException",
			"The NextToken provided is not valid."}},
		{"bad escape", "profileId=%zz", awsMain, awsErr{400, "ValidationException", "ValidationException",
			"the query string is not a valid percent-encoding"}},
		{"denied", "", awsDenied, awsErr{400, "AccessDeniedException", "AccessDeniedException",
			"User: arn:aws:iam::123456789012:user/fakecloud-denied is not authorized to perform: route53profiles:ListProfileAssociations"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv, clk := start(t)
			resp := r53pRead(t, srv, clk.Now(), tt.creds, "/profileassociations", tt.query)
			if diff := cmp.Diff(tt.want, decodeAWSError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProfileDeletionAdvancesOnReads: a disassociated association is
// DELETING for N reads, Get or List, then gone; reads that do not list it
// do not count, and a getter is not a read.
func TestProfileDeletionAdvancesOnReads(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, DefaultProfileDeletionReads, 4} {
		t.Run("reads "+string(rune('0'+n)), func(t *testing.T) {
			t.Parallel()
			opts := []Option{WithProfileDeletionReads(n)}
			if n == DefaultProfileDeletionReads {
				opts = nil // the default
			}
			c, srv, clk := start(t, opts...)
			if resp := r53pDisassociate(t, srv, clk.Now(), R53ProfileID, R53VPCID); resp.status != 200 {
				t.Fatalf("disassociate: %d %s", resp.status, resp.body)
			}
			// Reads of the other association do not count.
			for range 3 {
				r53pRead(t, srv, clk.Now(), awsMain, "/profileassociations", "resourceId="+R53VPCID2)
			}
			if ok, status := c.ProfileAssociation(R53ProfileID, R53VPCID); !ok || status != "DELETING" {
				t.Fatalf("after reads of another: %v %q", ok, status)
			}
			var seen []string
			for i := range n + 1 {
				var resp response
				if i%2 == 0 {
					resp = r53pRead(t, srv, clk.Now(), awsMain, "/profileassociation/"+R53AssociationID, "")
				} else {
					resp = r53pRead(t, srv, clk.Now(), awsMain, "/profileassociations", "profileId="+R53ProfileID+"&resourceId="+R53VPCID)
				}
				seen = append(seen, readState(t, resp))
				// A repeated disassociation neither fails nor restarts the count.
				if i == 0 && n > 0 {
					if resp := r53pDisassociate(t, srv, clk.Now(), R53ProfileID, R53VPCID); resp.status != 200 {
						t.Fatalf("second disassociate: %d %s", resp.status, resp.body)
					}
				}
			}
			want := make([]string, n, n+1)
			for i := range want {
				want[i] = "DELETING"
			}
			want = append(want, "gone")
			if diff := cmp.Diff(want, seen); diff != "" {
				t.Errorf("states seen (-want +got):\n%s", diff)
			}
			if ok, _ := c.ProfileAssociation(R53ProfileID, R53VPCID); ok {
				t.Error("the association still exists")
			}
			resp := r53pDisassociate(t, srv, clk.Now(), R53ProfileID, R53VPCID)
			if got := decodeAWSError(t, resp).Type; got != "ResourceNotFoundException" {
				t.Errorf("disassociate after removal: %s, want ResourceNotFoundException", got)
			}
			if ok, status := c.ProfileAssociation(R53ProfileID, R53VPCID2); !ok || status != "COMPLETE" {
				t.Errorf("other association: %v %q", ok, status)
			}
		})
	}
}

// readState is the status a Get or a filtered List shows, or "gone".
func readState(t *testing.T, resp response) string {
	t.Helper()
	if resp.status != http.StatusOK {
		if e := decodeAWSError(t, resp); e.Type == "ResourceNotFoundException" {
			return "gone"
		}
		t.Fatalf("status %d, body %s", resp.status, resp.body)
	}
	m := resp.jsonBody(t)
	if a, ok := m["ProfileAssociation"].(map[string]any); ok {
		return a["Status"].(string)
	}
	list, _ := m["ProfileAssociations"].([]any)
	if len(list) == 0 {
		return "gone"
	}
	return list[0].(map[string]any)["Status"].(string)
}

func TestSetProfileAssociationStatus(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t, WithProfileDeletionReads(1))
	if c.SetProfileAssociationStatus(R53ProfileID, "vpc-none", "FAILED", "x") {
		t.Error("set the status of an association that does not exist")
	}
	clk.Advance(time.Minute)
	if !c.SetProfileAssociationStatus(R53ProfileID, R53VPCID, "FAILED", "Failed to delete") {
		t.Fatal("association not found")
	}
	resp := r53pRead(t, srv, clk.Now(), awsMain, "/profileassociation/"+R53AssociationID, "")
	a := resp.jsonBody(t)["ProfileAssociation"].(map[string]any)
	got := []any{a["Status"], a["StatusMessage"], a["ModificationTime"]}
	if diff := cmp.Diff([]any{"FAILED", "Failed to delete", json.Number("1735787105.678")}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// DELETING set by hand is removed like one set by DisassociateProfile.
	c.SetProfileAssociationStatus(R53ProfileID, R53VPCID, "DELETING", "someone else")
	for i, want := range []string{"DELETING", "gone"} {
		if got := readState(t, r53pRead(t, srv, clk.Now(), awsMain, "/profileassociation/"+R53AssociationID, "")); got != want {
			t.Errorf("read %d: %s, want %s", i+1, got, want)
		}
	}
}

func TestLimitRate(t *testing.T) {
	t.Parallel()
	want := map[Service]faultAnswer{
		Route53Profiles:  {400, "ThrottlingException", ""},
		CustomerProfiles: {429, "ThrottlingException", ""},
		IdentityCenter:   {429, "APIGW.0308", ""},
		HuaweiDNS:        {403, "DNS.0014", ""},
		OTCIAM:           {429, "APIGW.0308", ""},
	}
	for svc, oc := range opCases() {
		t.Run(string(svc), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			c.LimitRate(oc.op, 2, 2) // 2 per second, bursts of 2
			// The burst, then throttling, all at one instant.
			var statuses []int
			for range 3 {
				statuses = append(statuses, do(t, srv, oc.build(t, srv, clk.Now())).status)
			}
			if statuses[0] != oc.success || statuses[2] == oc.success {
				t.Errorf("statuses %v, want %d first and a throttle third", statuses, oc.success)
			}
			resp := do(t, srv, oc.build(t, srv, clk.Now()))
			if diff := cmp.Diff(want[svc], readFaultAnswer(t, resp)); diff != "" {
				t.Errorf("throttled answer (-want +got):\n%s", diff)
			}
			// Half a second earns one token: one request passes, the next not.
			clk.Advance(500 * time.Millisecond)
			if got := readFaultAnswer(t, do(t, srv, oc.build(t, srv, clk.Now()))); got == want[svc] {
				t.Errorf("after 0.5 s still throttled")
			}
			if got := readFaultAnswer(t, do(t, srv, oc.build(t, srv, clk.Now()))); got != want[svc] {
				t.Errorf("second request after 0.5 s: %+v, want throttled", got)
			}
			if n := c.Requests(oc.op); n != 6 {
				t.Errorf("Requests = %d, want 6 (throttled requests count)", n)
			}
			// An injected fault is not counted against the rate, and
			// removing the limit ends throttling.
			clk.Advance(time.Second) // 2 tokens
			c.Inject(oc.op, Fault{Kind: ServerError, Count: 3})
			for range 3 {
				do(t, srv, oc.build(t, srv, clk.Now()))
			}
			if got := readFaultAnswer(t, do(t, srv, oc.build(t, srv, clk.Now()))); got == want[svc] {
				t.Errorf("faulted requests used up the tokens")
			}
			c.LimitRate(oc.op, 0, 0)
			for range 5 {
				if got := readFaultAnswer(t, do(t, srv, oc.build(t, srv, clk.Now()))); got == want[svc] {
					t.Fatalf("throttled after the limit was removed")
				}
			}
		})
	}
}

// TestLimitRateBurstAndOtherOps: the bucket starts full, burst < 1 means
// one, a limit applies to its operation only, and Reset keeps it.
func TestLimitRateBurstAndOtherOps(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	c.LimitRate(OpGetProfileAssociation, 1, 0)
	get := func() int {
		return r53pRead(t, srv, clk.Now(), awsMain, "/profileassociation/"+R53AssociationID, "").status
	}
	list := func() int { return r53pRead(t, srv, clk.Now(), awsMain, "/profileassociations", "").status }
	got := []int{get(), get(), list(), list(), list()}
	if diff := cmp.Diff([]int{200, 400, 200, 200, 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	c.Reset()
	clk.Advance(time.Second)
	if got := []int{get(), get()}; !cmp.Equal(got, []int{200, 400}) {
		t.Errorf("after Reset: %v, want [200 400]", got)
	}
}
