package route53profiles_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// getBody is the AWS CLI's example answer (get-profile-association).
const getBody = `{"ProfileAssociation":{"CreationTime":1709338817.148,"Id":"rpassoc-489ce212fexample",` +
	`"ModificationTime":1709338974.772,"Name":"test-association","OwnerId":"123456789012",` +
	`"ProfileId":"rp-4987774726example","ResourceId":"vpc-0af3b96b3example","Status":"COMPLETE",` +
	`"StatusMessage":"Created Profile Association"}}`

func TestGetProfileAssociationRequest(t *testing.T) {
	t.Parallel()
	tests := []struct{ id, want string }{
		{"rpassoc-489ce212fexample", "rpassoc-489ce212fexample"},
		{"a b/c", "a%20b%2Fc"},
		{"100%", "100%25"},
		{"ü?#", "%C3%BC%3F%23"},
		{"...", "..."},
		{strings.Repeat("x", 64), strings.Repeat("x", 64)},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 200, body: getBody, header: map[string]string{"X-Amzn-Requestid": "g-1"}})
			if _, err := srv.client(t).GetProfileAssociation(t.Context(), &route53profiles.GetProfileAssociationInput{ProfileAssociationID: tt.id}); err != nil {
				t.Fatal(err)
			}
			r := srv.requests()[0]
			wantPath := basePath + "/profileassociation/" + tt.want
			got := map[string]any{"method": r.method, "requestURI": r.requestURI, "escapedPath": r.escapedPath,
				"body": string(r.body), "contentType": r.header.Values("Content-Type"), "sigErr": errString(r.sigErr),
				"service": r.identity.Service, "region": r.identity.Region}
			want := map[string]any{"method": "GET", "requestURI": wantPath, "escapedPath": wantPath,
				"body": "", "contentType": []string(nil), "sigErr": "", "service": "route53profiles", "region": testRegion}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetProfileAssociationOutput(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 200, body: getBody, header: map[string]string{"X-Amzn-Requestid": "g-2"}})
	out, err := srv.client(t).GetProfileAssociation(t.Context(), &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "rpassoc-489ce212fexample"})
	if err != nil {
		t.Fatal(err)
	}
	want := &route53profiles.GetProfileAssociationOutput{
		ProfileAssociation: &route53profiles.ProfileAssociation{
			CreationTime:     time.UnixMilli(1709338817148).UTC(),
			ModificationTime: time.UnixMilli(1709338974772).UTC(),
			ID:               "rpassoc-489ce212fexample",
			Name:             "test-association",
			OwnerID:          "123456789012",
			ProfileID:        "rp-4987774726example",
			ResourceID:       "vpc-0af3b96b3example",
			Status:           route53profiles.ProfileStatusComplete,
			StatusMessage:    "Created Profile Association",
		},
		Metadata: transport.Metadata{RequestID: "g-2", StatusCode: 200, Attempts: 1},
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func TestGetProfileAssociationOutputShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       *route53profiles.ProfileAssociation
		wantErr    string
	}{
		{name: "empty body", body: ""},
		{name: "no association", body: "{}"},
		{name: "null association", body: `{"ProfileAssociation":null}`},
		{name: "unknown status kept", body: `{"ProfileAssociation":{"Status":"ARCHIVED"}}`,
			want: &route53profiles.ProfileAssociation{Status: "ARCHIVED"}},
		{name: "time as string", body: `{"ProfileAssociation":{"CreationTime":"1709338817"}}`,
			wantErr: "field ProfileAssociation.CreationTime: not epoch seconds as a JSON number"},
		{name: "modification time bad", body: `{"ProfileAssociation":{"ModificationTime":true}}`,
			wantErr: "field ProfileAssociation.ModificationTime: not epoch seconds as a JSON number"},
		{name: "wrong type", body: `{"ProfileAssociation":[]}`, wantErr: "unexpected JSON array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 200, body: tt.body, header: map[string]string{"X-Amzn-Requestid": "rid-g"}})
			out, err := srv.client(t).GetProfileAssociation(t.Context(), &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "a"})
			if tt.wantErr != "" {
				var de *transport.DecodeError
				if !errors.As(err, &de) || de.RequestID != "rid-g" || !strings.Contains(de.Err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want a DecodeError with rid-g and %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, out.ProfileAssociation); diff != "" {
				t.Errorf("ProfileAssociation (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetProfileAssociationErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code     string
		sentinel error
		retried  bool
	}{
		{route53profiles.CodeResourceNotFound, transport.ErrNotFound, false},
		{route53profiles.CodeThrottling, transport.ErrThrottled, true},
		{route53profiles.CodeAccessDenied, transport.ErrAccessDenied, false},
		{route53profiles.CodeValidation, transport.ErrInvalidInput, false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 400, body: `{"message":"it failed"}`, header: map[string]string{
				"X-Amzn-Errortype": tt.code, "X-Amzn-Requestid": "err-g"}})
			_, err := srv.client(t).GetProfileAssociation(t.Context(), &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "rpassoc-1"})
			var oe *smithy.OperationError
			var re *transport.ResponseError
			if !errors.As(err, &oe) || oe.OperationName != "GetProfileAssociation" || !errors.As(err, &re) {
				t.Fatalf("error = %v, want a ResponseError inside an OperationError of GetProfileAssociation", err)
			}
			wantHits := 1
			if tt.retried {
				wantHits = transport.DefaultMaxAttempts
			}
			got := map[string]any{"status": re.StatusCode, "code": re.Code, "message": re.Message, "requestID": re.RequestID,
				"hits": srv.hits(), "sentinel": errors.Is(err, tt.sentinel)}
			want := map[string]any{"status": 400, "code": tt.code, "message": "it failed", "requestID": "err-g",
				"hits": wantHits, "sentinel": true}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetProfileAssociationRetryThenSuccess(t *testing.T) {
	t.Parallel()
	srv := newServer(t,
		reply{status: 400, body: `{"__type":"ThrottlingException","message":"Rate exceeded"}`},
		reply{status: 503, body: `{}`},
		reply{status: 200, body: getBody, header: map[string]string{"X-Amzn-Requestid": "third"}},
	)
	out, err := srv.client(t).GetProfileAssociation(t.Context(), &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "rpassoc-1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(transport.Metadata{RequestID: "third", StatusCode: 200, Attempts: 3}, out.Metadata); diff != "" {
		t.Errorf("Metadata (-want +got):\n%s", diff)
	}
}

func TestGetProfileAssociationTransportFailure(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.client(t)
	srv.Close()
	_, err := c.GetProfileAssociation(t.Context(), &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "rpassoc-1"})
	var se *transport.SendError
	if !errors.As(err, &se) || se.Attempts != transport.DefaultMaxAttempts {
		t.Errorf("error = %v, want a SendError after %d attempts", err, transport.DefaultMaxAttempts)
	}
}

func TestGetProfileAssociationBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		in          *route53profiles.GetProfileAssociationInput
		field, rule string
	}{
		{"nil", nil, "input", "is required (got nil)"},
		{"missing", &route53profiles.GetProfileAssociationInput{}, "ProfileAssociationID", "is required"},
		{"too long", &route53profiles.GetProfileAssociationInput{ProfileAssociationID: strings.Repeat("a", 65)}, "ProfileAssociationID", "must be 1 to 64 characters"},
		{"dot", &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "."}, "ProfileAssociationID", `must not be "." or ".."`},
		{"dot-dot", &route53profiles.GetProfileAssociationInput{ProfileAssociationID: ".."}, "ProfileAssociationID", `must not be "." or ".."`},
		{"control", &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "a\tb"}, "ProfileAssociationID", "must not contain control characters"},
		{"bad UTF-8", &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "\xc3"}, "ProfileAssociationID", "must be valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			_, err := srv.client(t).GetProfileAssociation(t.Context(), tt.in)
			var ve *transport.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want a ValidationError", err)
			}
			if diff := cmp.Diff(transport.ValidationError{Field: tt.field, Rule: tt.rule}, *ve); diff != "" {
				t.Errorf("ValidationError (-want +got):\n%s", diff)
			}
			if srv.hits() != 0 {
				t.Errorf("server hits = %d, want 0", srv.hits())
			}
		})
	}
}

func TestGetProfileAssociationPerCallOptions(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 400, body: `{"__type":"ThrottlingException"}`})
	_, err := srv.client(t).GetProfileAssociation(t.Context(), &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "rpassoc-1"},
		func(o *route53profiles.Options) { o.Retry.MaxAttempts = 1 })
	if !errors.Is(err, transport.ErrThrottled) || srv.hits() != 1 {
		t.Errorf("error = %v after %d hits; want throttled after 1", err, srv.hits())
	}
}
