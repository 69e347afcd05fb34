package route53profiles_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// listBody is a page with the given association IDs (status COMPLETE) and
// NextToken.
func listBody(next string, ids ...string) string {
	var b strings.Builder
	b.WriteString(`{"ProfileAssociations":[`)
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Id":%q,"ProfileId":"rp-1","ResourceId":"vpc-%s","Status":"COMPLETE","CreationTime":1709338817.148}`, id, id)
	}
	b.WriteString(`]`)
	if next != "" {
		fmt.Fprintf(&b, `,"NextToken":%q`, next)
	}
	b.WriteString(`}`)
	return b.String()
}

func TestListProfileAssociationsRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *route53profiles.ListProfileAssociationsInput
		want string // RawQuery
	}{
		{"nil input", nil, ""},
		{"empty", &route53profiles.ListProfileAssociationsInput{}, ""},
		{"profile", &route53profiles.ListProfileAssociationsInput{ProfileID: "rp-1"}, "profileId=rp-1"},
		{"resource", &route53profiles.ListProfileAssociationsInput{ResourceID: "vpc-1"}, "resourceId=vpc-1"},
		{"all, sorted by key", &route53profiles.ListProfileAssociationsInput{ResourceID: "vpc-1", ProfileID: "rp-1", MaxResults: 100, NextToken: "tok"},
			"maxResults=100&nextToken=tok&profileId=rp-1&resourceId=vpc-1"},
		{"max only", &route53profiles.ListProfileAssociationsInput{MaxResults: 1}, "maxResults=1"},
		// Escaped as the SigV4 canonical query: space as %20, / and = and + escaped.
		{"token escaping", &route53profiles.ListProfileAssociationsInput{NextToken: "a b+c/d=="}, "nextToken=a%20b%2Bc%2Fd%3D%3D"},
		{"unicode and reserved", &route53profiles.ListProfileAssociationsInput{ProfileID: "ü&x=1", ResourceID: "arn:aws:ec2:r:1:vpc/v~._-"},
			"profileId=%C3%BC%26x%3D1&resourceId=arn%3Aaws%3Aec2%3Ar%3A1%3Avpc%2Fv~._-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 200, body: listBody("")})
			if _, err := srv.client(t).ListProfileAssociations(t.Context(), tt.in); err != nil {
				t.Fatal(err)
			}
			r := srv.requests()[0]
			wantURI := basePath + "/profileassociations"
			if tt.want != "" {
				wantURI += "?" + tt.want
			}
			got := map[string]any{"method": r.method, "requestURI": r.requestURI, "body": string(r.body),
				"contentType": r.header.Values("Content-Type"), "sigErr": errString(r.sigErr)}
			want := map[string]any{"method": "GET", "requestURI": wantURI, "body": "",
				"contentType": []string(nil), "sigErr": ""}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListProfileAssociationsOutput(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 200, body: listBody("next-1", "a", "b"), header: map[string]string{"X-Amzn-Requestid": "l-1"}})
	out, err := srv.client(t).ListProfileAssociations(t.Context(), &route53profiles.ListProfileAssociationsInput{ProfileID: "rp-1"})
	if err != nil {
		t.Fatal(err)
	}
	created := time.UnixMilli(1709338817148).UTC()
	want := &route53profiles.ListProfileAssociationsOutput{
		ProfileAssociations: []route53profiles.ProfileAssociation{
			{ID: "a", ProfileID: "rp-1", ResourceID: "vpc-a", Status: route53profiles.ProfileStatusComplete, CreationTime: created},
			{ID: "b", ProfileID: "rp-1", ResourceID: "vpc-b", Status: route53profiles.ProfileStatusComplete, CreationTime: created},
		},
		NextToken: "next-1",
		Metadata:  transport.Metadata{RequestID: "l-1", StatusCode: 200, Attempts: 1},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func TestListProfileAssociationsOutputShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		wantN      int
		wantNext   string
		wantErr    string
	}{
		{name: "empty body", body: ""},
		{name: "empty object", body: "{}"},
		{name: "empty list", body: `{"ProfileAssociations":[],"NextToken":null}`},
		{name: "null list", body: `{"ProfileAssociations":null}`},
		{name: "token only", body: `{"NextToken":"t"}`, wantNext: "t"},
		{name: "bad time in the second", body: `{"ProfileAssociations":[{},{"ModificationTime":"x"}]}`,
			wantErr: "field ProfileAssociations[1].ModificationTime: not epoch seconds as a JSON number"},
		{name: "list of strings", body: `{"ProfileAssociations":["a"]}`, wantErr: "unexpected JSON string"},
		{name: "token a number", body: `{"NextToken":5}`, wantErr: "field NextToken: unexpected JSON number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 200, body: tt.body, header: map[string]string{"X-Amzn-Requestid": "rid-l"}})
			out, err := srv.client(t).ListProfileAssociations(t.Context(), nil)
			if tt.wantErr != "" {
				var de *transport.DecodeError
				if !errors.As(err, &de) || de.RequestID != "rid-l" || !strings.Contains(de.Err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want a DecodeError with rid-l and %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(out.ProfileAssociations) != tt.wantN || out.NextToken != tt.wantNext {
				t.Errorf("got %d associations, NextToken %q; want %d, %q", len(out.ProfileAssociations), out.NextToken, tt.wantN, tt.wantNext)
			}
		})
	}
}

func TestListProfileAssociationsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code     string
		sentinel error
		retried  bool
	}{
		{route53profiles.CodeInvalidNextToken, transport.ErrInvalidInput, false},
		{route53profiles.CodeInvalidParameter, transport.ErrInvalidInput, false},
		{route53profiles.CodeValidation, transport.ErrInvalidInput, false},
		{route53profiles.CodeAccessDenied, transport.ErrAccessDenied, false},
		{route53profiles.CodeThrottling, transport.ErrThrottled, true},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 400, body: `{"__type":"com.amazonaws.route53profiles#` + tt.code + `","Message":"no"}`,
				header: map[string]string{"X-Amzn-Requestid": "err-l"}})
			_, err := srv.client(t).ListProfileAssociations(t.Context(), &route53profiles.ListProfileAssociationsInput{NextToken: "x"})
			var re *transport.ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("error = %v, want a ResponseError", err)
			}
			wantHits := 1
			if tt.retried {
				wantHits = transport.DefaultMaxAttempts
			}
			got := map[string]any{"code": re.Code, "message": re.Message, "requestID": re.RequestID, "hits": srv.hits(),
				"sentinel": errors.Is(err, tt.sentinel), "op": strings.Contains(err.Error(), "ListProfileAssociations")}
			want := map[string]any{"code": tt.code, "message": "no", "requestID": "err-l", "hits": wantHits,
				"sentinel": true, "op": true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListProfileAssociationsBadInput(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 65)
	tests := []struct {
		name        string
		in          route53profiles.ListProfileAssociationsInput
		field, rule string
	}{
		{"ProfileID too long", route53profiles.ListProfileAssociationsInput{ProfileID: long}, "ProfileID", "must be 1 to 64 characters"},
		{"ResourceID too long", route53profiles.ListProfileAssociationsInput{ResourceID: long}, "ResourceID", "must be 1 to 64 characters"},
		{"ProfileID control", route53profiles.ListProfileAssociationsInput{ProfileID: "rp\n"}, "ProfileID", "must not contain control characters"},
		{"ResourceID bad UTF-8", route53profiles.ListProfileAssociationsInput{ResourceID: "\xff"}, "ResourceID", "must be valid UTF-8"},
		{"MaxResults negative", route53profiles.ListProfileAssociationsInput{MaxResults: -1}, "MaxResults", "must be 1 to 100 (0 leaves it out)"},
		{"MaxResults 101", route53profiles.ListProfileAssociationsInput{MaxResults: 101}, "MaxResults", "must be 1 to 100 (0 leaves it out)"},
		{"NextToken 8193 bytes", route53profiles.ListProfileAssociationsInput{NextToken: strings.Repeat("t", 8193)}, "NextToken", "must be at most 8192 bytes"},
		{"NextToken 10 kB", route53profiles.ListProfileAssociationsInput{NextToken: strings.Repeat("t", 10240)}, "NextToken", "must be at most 8192 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			c := srv.client(t)
			_, err := c.ListProfileAssociations(t.Context(), &tt.in)
			var ve *transport.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want a ValidationError", err)
			}
			if diff := cmp.Diff(transport.ValidationError{Field: tt.field, Rule: tt.rule}, *ve); diff != "" {
				t.Errorf("ValidationError (-want +got):\n%s", diff)
			}
			// The iterator yields the same error once.
			n := 0
			for _, err := range c.ListProfileAssociationsAll(t.Context(), &tt.in) {
				n++
				if !errors.As(err, &ve) {
					t.Errorf("iterator error = %v", err)
				}
			}
			if n != 1 || srv.hits() != 0 {
				t.Errorf("iterator yielded %d times, server hits %d; want 1 and 0", n, srv.hits())
			}
		})
	}
	// "." is a fine query value, 64 characters are allowed, and so is an
	// opaque token of 8192 bytes, whatever they are.
	srv := newServer(t, reply{status: 200, body: "{}"})
	in := &route53profiles.ListProfileAssociationsInput{ProfileID: "..", ResourceID: strings.Repeat("é", 64), MaxResults: 100,
		NextToken: "\t" + strings.Repeat("t", 8191)}
	if _, err := srv.client(t).ListProfileAssociations(t.Context(), in); err != nil {
		t.Errorf("valid input: %v", err)
	}
}

func TestListProfileAssociationsAll(t *testing.T) {
	t.Parallel()
	pages := []reply{
		{status: 200, body: listBody("t1", "a", "b")},
		{status: 200, body: listBody("t2")}, // an empty page in the middle
		{status: 200, body: listBody("", "c")},
	}
	t.Run("every page", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, pages...)
		in := &route53profiles.ListProfileAssociationsInput{ProfileID: "rp-1", MaxResults: 2}
		seq := srv.client(t).ListProfileAssociationsAll(t.Context(), in)
		in.ProfileID = "changed after the call" // the input was copied
		var ids []string
		for a, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		if diff := cmp.Diff([]string{"a", "b", "c"}, ids); diff != "" {
			t.Errorf("IDs (-want +got):\n%s", diff)
		}
		var queries []string
		for _, r := range srv.requests() {
			queries = append(queries, strings.TrimPrefix(r.requestURI, basePath+"/profileassociations?"))
		}
		want := []string{"maxResults=2&profileId=rp-1", "maxResults=2&nextToken=t1&profileId=rp-1", "maxResults=2&nextToken=t2&profileId=rp-1"}
		if diff := cmp.Diff(want, queries); diff != "" {
			t.Errorf("queries (-want +got):\n%s", diff)
		}
	})
	t.Run("consumer stops", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, pages...)
		for a, err := range srv.client(t).ListProfileAssociationsAll(t.Context(), nil) {
			if err != nil || a.ID != "a" {
				t.Fatalf("first = %v, %v", a, err)
			}
			break
		}
		if srv.hits() != 1 {
			t.Errorf("server hits = %d, want 1: no page is fetched after the consumer stops", srv.hits())
		}
	})
	t.Run("error ends the sequence", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, pages[0], reply{status: 400, body: `{"__type":"InvalidNextTokenException","message":"expired"}`})
		var ids []string
		var errs []error
		for a, err := range srv.client(t).ListProfileAssociationsAll(t.Context(), nil) {
			if err != nil {
				errs = append(errs, err)
				continue
			}
			ids = append(ids, a.ID)
		}
		if len(errs) != 1 || !errors.Is(errs[0], transport.ErrInvalidInput) || len(ids) != 2 {
			t.Errorf("ids %v, errors %v; want a, b and one invalid-input error", ids, errs)
		}
	})
	t.Run("repeated token", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, reply{status: 200, body: listBody("same", "a")})
		in := &route53profiles.ListProfileAssociationsInput{NextToken: "same"}
		var errs []error
		for _, err := range srv.client(t).ListProfileAssociationsAll(t.Context(), in) {
			if err != nil {
				errs = append(errs, err)
			}
		}
		var de *transport.DecodeError
		if len(errs) != 1 || !errors.As(errs[0], &de) || srv.hits() != 1 {
			t.Errorf("errors %v after %d hits; want one DecodeError after 1", errs, srv.hits())
		}
	})
	t.Run("per-call options", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, reply{status: 400, body: `{"__type":"ThrottlingException"}`})
		for _, err := range srv.client(t).ListProfileAssociationsAll(t.Context(), nil, func(o *route53profiles.Options) { o.Retry.MaxAttempts = 1 }) {
			if !errors.Is(err, transport.ErrThrottled) {
				t.Errorf("error = %v, want throttled", err)
			}
		}
		if srv.hits() != 1 {
			t.Errorf("server hits = %d, want 1", srv.hits())
		}
	})
}
