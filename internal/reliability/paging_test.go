package reliability

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// pageOf is a ListProfileAssociations answer with n associations named
// after page and the given NextToken ("" ends the list).
func pageOf(req *http.Request, page, n int, next string) *http.Response {
	var body struct {
		ProfileAssociations []map[string]any
		NextToken           string `json:",omitempty"`
	}
	body.ProfileAssociations = []map[string]any{}
	for i := range n {
		body.ProfileAssociations = append(body.ProfileAssociations, map[string]any{
			"Id": "rpassoc-" + strconv.Itoa(page) + "-" + strconv.Itoa(i), "Status": "COMPLETE", "CreationTime": 1717171717.5})
	}
	body.NextToken = next
	b, _ := json.Marshal(body)
	return answer(req, http.StatusOK, http.Header{"Content-Type": {"application/json"}}, b)
}

// pageIDs are the IDs of the first item of pages 1 to n.
func pageIDs(n int) []string {
	var ids []string
	for p := 1; p <= n; p++ {
		ids = append(ids, "rpassoc-"+strconv.Itoa(p)+"-0")
	}
	return ids
}

// pagingCase is a server's way of paging, and what ListProfileAssociationsAll
// must make of it.
type pagingCase struct {
	name     string
	respond  func(page int, req *http.Request) *http.Response // page counts from 1
	latency  time.Duration                                    // per request, on the fake clock
	deadline time.Duration                                    // 0: none
	stopAt   int                                              // the consumer stops after this many items; 0: never
	// want is what the consumer sees: item IDs, then "error: <kind>" for
	// an error; requests how many pages were asked for (0: not checked).
	want     []string
	requests int
	// minRequests bounds requests from below when they depend on time.
	minRequests int
}

func pagingCases() []pagingCase {
	o := opListProfileAssociations()
	return []pagingCase{
		{name: "a page repeats the NextToken sent",
			respond: func(page int, req *http.Request) *http.Response { return pageOf(req, page, 1, "same-token") },
			want:    []string{"rpassoc-1-0", "rpassoc-2-0", "error: decode"}, requests: 2},
		{name: "the consumer stops while pages remain",
			respond: func(page int, req *http.Request) *http.Response { return pageOf(req, page, 2, "t"+strconv.Itoa(page)) },
			stopAt:  5, want: []string{"rpassoc-1-0", "rpassoc-1-1", "rpassoc-2-0", "rpassoc-2-1", "rpassoc-3-0"}, requests: 3},
		{name: "a later page fails",
			respond: func(page int, req *http.Request) *http.Response {
				if page == 2 {
					return o.errResp(req, http.StatusBadRequest, "InvalidNextTokenException", "")
				}
				return pageOf(req, page, 1, "t"+strconv.Itoa(page))
			},
			want: []string{"rpassoc-1-0", "error: response"}, requests: 2},
		{name: "a later page is not the documented JSON",
			respond: func(page int, req *http.Request) *http.Response {
				if page == 2 {
					return answer(req, http.StatusOK, nil, []byte(`{"ProfileAssociations":[{"CreationTime":"soon"}]}`))
				}
				return pageOf(req, page, 1, "t"+strconv.Itoa(page))
			},
			want: []string{"rpassoc-1-0", "error: decode"}, requests: 2},
		// Empty pages with ever new tokens: aws-sdk-go-v2's paginators
		// follow them until the context ends; detach stops at MaxPages.
		{name: "endless empty pages end at the page cap",
			respond: func(page int, req *http.Request) *http.Response { return pageOf(req, page, 0, "t"+strconv.Itoa(page)) },
			latency: 10 * time.Millisecond, deadline: time.Hour,
			want: []string{"error: pages"}, requests: transport.DefaultMaxPages},
		{name: "endless full pages end at the page cap, after every item",
			respond: func(page int, req *http.Request) *http.Response { return pageOf(req, page, 1, "t"+strconv.Itoa(page)) },
			want:    append(pageIDs(transport.DefaultMaxPages), "error: pages"), requests: transport.DefaultMaxPages},
	}
}

// TestListAllPaging drives ListProfileAssociationsAll against servers that
// page badly: the iterator yields every item once, at most one error and
// nothing after it, asks for no page the consumer does not need, and
// never pages forever on its own.
func TestListAllPaging(t *testing.T) {
	t.Parallel()
	for _, tc := range pagingCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { runPaging(t, tc) })
			figures.fault("8 paging (ListProfileAssociationsAll)", "paging: "+tc.name, opListProfileAssociations().col)
		})
	}
}

func runPaging(t *testing.T, tc pagingCase) {
	doer := &scripted{respond: func(n int, req *http.Request) (*http.Response, error) {
		if tc.latency > 0 {
			select {
			case <-req.Context().Done():
				return nil, req.Context().Err()
			case <-time.After(tc.latency):
			}
		}
		return tc.respond(n, req), nil
	}}
	c, err := route53profiles.New(route53profiles.Options{Region: "us-east-1", Endpoint: "https://r53p.test", Credentials: awsKeys(),
		Settings: transport.Settings{HTTPClient: doer, Retry: transport.RetryPolicy{MaxAttempts: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if tc.deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, tc.deadline)
		defer cancel()
	}
	start := time.Now()
	var got []string
	for a, err := range c.ListProfileAssociationsAll(ctx, nil) {
		if err != nil {
			got = append(got, "error: "+classify(t, transport.Metadata{}, err).Kind)
			checkErrorText(t, err)
			continue // the iterator must end by itself
		}
		got = append(got, a.ID)
		if tc.stopAt > 0 && len(got) == tc.stopAt {
			break
		}
	}
	if d := cmp.Diff(tc.want, got); d != "" {
		t.Errorf("the consumer saw (-want +got):\n%s", d)
	}
	n := doer.attempts()
	if tc.requests > 0 && n != tc.requests {
		t.Errorf("%d pages asked for, want %d", n, tc.requests)
	}
	if n < tc.minRequests {
		t.Errorf("%d pages asked for, want at least %d", n, tc.minRequests)
	}
	if tc.deadline > 0 && time.Since(start) > tc.deadline {
		t.Errorf("paging took %v, past its %v deadline", time.Since(start), tc.deadline)
	}
}
