package customerprofiles_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const (
	testProfileID = "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60"
	okBody        = `{"Message":"Profile object deleted."}`
)

func validInput() *customerprofiles.DeleteProfileObjectInput {
	return &customerprofiles.DeleteProfileObjectInput{
		DomainName:             "ExampleDomain",
		ObjectTypeName:         "CTR",
		ProfileID:              testProfileID,
		ProfileObjectUniqueKey: "MTIzNDU2Nzg5MA==",
	}
}

func TestDeleteProfileObjectRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		in         *customerprofiles.DeleteProfileObjectInput
		wantPath   string
		wantFields map[string]string
		wantBody   string // exact bytes, when given
	}{
		{
			name:     "basic",
			in:       validInput(),
			wantPath: basePath + "/domains/ExampleDomain/profiles/objects/delete",
			wantFields: map[string]string{"ObjectTypeName": "CTR", "ProfileId": testProfileID,
				"ProfileObjectUniqueKey": "MTIzNDU2Nzg5MA=="},
			wantBody: `{"ObjectTypeName":"CTR","ProfileId":"db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60","ProfileObjectUniqueKey":"MTIzNDU2Nzg5MA=="}`,
		},
		{
			name: "escaping in the key",
			in: &customerprofiles.DeleteProfileObjectInput{DomainName: "d_1-x", ObjectTypeName: "_Type-2",
				ProfileID: testProfileID, ProfileObjectUniqueKey: `<a&b> "q" \ ü😀 /`},
			wantPath: basePath + "/domains/d_1-x/profiles/objects/delete",
			wantFields: map[string]string{"ObjectTypeName": "_Type-2", "ProfileId": testProfileID,
				"ProfileObjectUniqueKey": `<a&b> "q" \ ü😀 /`},
			// <, > and & raw as aws-sdk-go-v2 sends them; UTF-8 raw.
			wantBody: `{"ObjectTypeName":"_Type-2","ProfileId":"db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60","ProfileObjectUniqueKey":"<a&b> \"q\" \\ ü😀 /"}`,
		},
		{
			// The model allows any character in the key (1 to 255, no
			// pattern), and the body escapes them: a TAB, a newline or a
			// NUL must be sent, not refused.
			name: "control characters in the key",
			in: &customerprofiles.DeleteProfileObjectInput{DomainName: "d", ObjectTypeName: "CTR",
				ProfileID: testProfileID, ProfileObjectUniqueKey: "a\tb\nc\x00d\u0085\u2028"},
			wantPath: basePath + "/domains/d/profiles/objects/delete",
			wantFields: map[string]string{"ObjectTypeName": "CTR", "ProfileId": testProfileID,
				"ProfileObjectUniqueKey": "a\tb\nc\x00d\u0085\u2028"},
			wantBody: `{"ObjectTypeName":"CTR","ProfileId":"db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60","ProfileObjectUniqueKey":"a\tb\nc\u0000d` + "\u0085" + `\u2028"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 200, body: okBody, header: map[string]string{"X-Amzn-Requestid": "req-1"}})
			out, err := srv.client(t).DeleteProfileObject(t.Context(), tt.in)
			if err != nil {
				t.Fatalf("DeleteProfileObject: %v", err)
			}
			reqs := srv.requests()
			if len(reqs) != 1 {
				t.Fatalf("server saw %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			got := map[string]any{
				"method": r.method, "escapedPath": r.escapedPath, "requestURI": r.requestURI,
				"contentType": r.header.Values("Content-Type"), "contentLength": r.contentLength,
				"body": string(r.body), "sigErr": errString(r.sigErr),
				"service": r.identity.Service, "region": r.identity.Region, "amzDate": r.header.Get("X-Amz-Date"),
			}
			want := map[string]any{
				"method": "POST", "escapedPath": tt.wantPath, "requestURI": tt.wantPath,
				"contentType": []string{"application/json"}, "contentLength": int64(len(tt.wantBody)),
				"body": tt.wantBody, "sigErr": "",
				"service": "profile", "region": "us-east-1", "amzDate": "20150830T123600Z",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			var fields map[string]string
			if err := json.Unmarshal(r.body, &fields); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if diff := cmp.Diff(tt.wantFields, fields); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if auth := r.header.Get("Authorization"); !strings.Contains(auth, "SignedHeaders=content-type;host;x-amz-date,") {
				t.Errorf("Authorization = %q, want content-type, host and x-amz-date signed", auth)
			}
			wantOut := &customerprofiles.DeleteProfileObjectOutput{Message: "Profile object deleted.",
				Metadata: transport.Metadata{RequestID: "req-1", StatusCode: 200, Attempts: 1}}
			if diff := cmp.Diff(wantOut, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeleteProfileObjectSessionToken(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 200, body: okBody})
	c := srv.client(t, func(o *customerprofiles.Options) {
		o.Credentials = signer.StaticAWSCredentials(testAccessKey, testSecretKey, testToken)
	})
	if _, err := c.DeleteProfileObject(t.Context(), validInput()); err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.sigErr != nil || r.identity.SessionToken != testToken {
		t.Errorf("signature %v, token signed %v; want a valid signature over the session token", r.sigErr, r.identity.SessionToken == testToken)
	}
}

func TestDeleteProfileObjectOutputShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body, want, wantErr string
	}{
		{name: "empty body", body: ""},
		{name: "extra fields", body: `{"Message":"done","Other":1}`, want: "done"},
		{name: "wrong type", body: `{"Message":5}`, wantErr: "field Message: unexpected JSON number"},
		{name: "not json", body: `<html>`, wantErr: "body is not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, reply{status: 200, body: tt.body, header: map[string]string{"X-Amzn-Requestid": "rid"}})
			out, err := srv.client(t).DeleteProfileObject(t.Context(), validInput())
			if tt.wantErr != "" {
				var de *transport.DecodeError
				if !errors.As(err, &de) || de.RequestID != "rid" || !strings.Contains(de.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want a DecodeError with request id rid and %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out.Message != tt.want {
				t.Errorf("Message = %q, want %q", out.Message, tt.want)
			}
		})
	}
}

func TestDeleteProfileObjectErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code     string
		status   int
		sentinel error // nil: none
		kind     transport.Kind
		retried  bool
	}{
		{customerprofiles.CodeAccessDenied, 403, transport.ErrAccessDenied, transport.KindAccessDenied, false},
		{customerprofiles.CodeBadRequest, 400, transport.ErrInvalidInput, transport.KindInvalidInput, false},
		{customerprofiles.CodeInternalServer, 500, nil, transport.KindTransient, true},
		{customerprofiles.CodeResourceNotFound, 404, transport.ErrNotFound, transport.KindNotFound, false},
		{customerprofiles.CodeThrottling, 429, transport.ErrThrottled, transport.KindThrottled, true},
	}
	shapes := []struct {
		name  string
		reply func(code string, status int) reply
	}{
		{"header", func(code string, status int) reply {
			return reply{status: status, body: `{"Message":"it failed"}`, header: map[string]string{
				"X-Amzn-Errortype": code + ":http://internal.amazon.com/coral/com.amazonaws.profile/",
				"X-Amzn-Requestid": "err-req"}}
		}},
		{"body __type", func(code string, status int) reply {
			return reply{status: status, body: `{"__type":"com.amazonaws.profile#` + code + `","message":"it failed"}`,
				header: map[string]string{"X-Amzn-Requestid": "err-req"}}
		}},
		{"body code", func(code string, status int) reply {
			return reply{status: status, body: `{"code":"` + code + `","message":"it failed"}`,
				header: map[string]string{"X-Amzn-Requestid": "err-req"}}
		}},
	}
	for _, tt := range tests {
		for _, sh := range shapes {
			t.Run(tt.code+"/"+sh.name, func(t *testing.T) {
				t.Parallel()
				srv := newServer(t, sh.reply(tt.code, tt.status))
				_, err := srv.client(t).DeleteProfileObject(t.Context(), validInput())
				var oe *smithy.OperationError
				if !errors.As(err, &oe) || oe.ServiceID != "Customer Profiles" || oe.OperationName != "DeleteProfileObject" {
					t.Fatalf("error = %v, want a smithy.OperationError of Customer Profiles DeleteProfileObject", err)
				}
				var re *transport.ResponseError
				if !errors.As(err, &re) {
					t.Fatalf("error = %v, want a *transport.ResponseError", err)
				}
				wantHits := 1
				if tt.retried {
					wantHits = transport.DefaultMaxAttempts
				}
				got := map[string]any{"status": re.StatusCode, "code": re.Code, "message": re.Message,
					"requestID": re.RequestID, "kind": re.Kind, "attempts": re.Attempts, "hits": srv.hits()}
				want := map[string]any{"status": tt.status, "code": tt.code, "message": "it failed",
					"requestID": "err-req", "kind": tt.kind, "attempts": wantHits, "hits": wantHits}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
					t.Errorf("errors.Is(err, %v) = false", tt.sentinel)
				}
				for _, s := range []error{transport.ErrNotFound, transport.ErrThrottled, transport.ErrAccessDenied, transport.ErrInvalidInput} {
					if s != tt.sentinel && errors.Is(err, s) {
						t.Errorf("errors.Is(err, %v) = true, want false", s)
					}
				}
			})
		}
	}
}

func TestDeleteProfileObjectRetryThenSuccess(t *testing.T) {
	t.Parallel()
	srv := newServer(t,
		reply{status: 500, body: `{"__type":"InternalServerException","message":"boom"}`},
		reply{status: 429, body: `{"message":"slow down"}`, header: map[string]string{"X-Amzn-Errortype": "ThrottlingException"}},
		reply{status: 200, body: okBody, header: map[string]string{"X-Amzn-Requestid": "third"}},
	)
	out, err := srv.client(t).DeleteProfileObject(t.Context(), validInput())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(transport.Metadata{RequestID: "third", StatusCode: 200, Attempts: 3}, out.Metadata); diff != "" {
		t.Errorf("Metadata (-want +got):\n%s", diff)
	}
	reqs := srv.requests()
	for i, r := range reqs {
		if r.sigErr != nil {
			t.Errorf("attempt %d signature: %v", i+1, r.sigErr)
		}
		if diff := cmp.Diff(string(reqs[0].body), string(r.body)); diff != "" {
			t.Errorf("attempt %d body differs (-first +this):\n%s", i+1, diff)
		}
	}
}

func TestDeleteProfileObjectTransportFailure(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.client(t)
	srv.Close()
	_, err := c.DeleteProfileObject(t.Context(), validInput())
	var se *transport.SendError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *transport.SendError", err)
	}
	if se.Attempts != transport.DefaultMaxAttempts {
		t.Errorf("Attempts = %d, want %d", se.Attempts, transport.DefaultMaxAttempts)
	}
}

func TestDeleteProfileObjectBadInput(t *testing.T) {
	t.Parallel()
	with := func(f func(*customerprofiles.DeleteProfileObjectInput)) *customerprofiles.DeleteProfileObjectInput {
		in := validInput()
		f(in)
		return in
	}
	const (
		domainRule = "must contain only letters, digits, _ and - (^[a-zA-Z0-9_-]+$)"
		typeRule   = "must start with a letter or _ and contain only letters, digits, _ and - (^[a-zA-Z_][a-zA-Z_0-9-]*$)"
		idRule     = "must be 32 lower-case hex digits ([a-f0-9]{32})"
	)
	tests := []struct {
		name        string
		in          *customerprofiles.DeleteProfileObjectInput
		field, rule string
	}{
		{"nil", nil, "input", "is required (got nil)"},
		{"DomainName missing", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.DomainName = "" }), "DomainName", "is required"},
		{"DomainName too long", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.DomainName = strings.Repeat("d", 65) }), "DomainName", "must be 1 to 64 characters"},
		{"DomainName space", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.DomainName = "dom ain" }), "DomainName", domainRule},
		{"DomainName slash", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.DomainName = "a/b" }), "DomainName", domainRule},
		{"DomainName dot", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.DomainName = "." }), "DomainName", `must not be "." or ".."`},
		{"DomainName unicode", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.DomainName = "dömain" }), "DomainName", domainRule},
		{"DomainName control", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.DomainName = "d\n" }), "DomainName", "must not contain control characters"},
		{"ObjectTypeName missing", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ObjectTypeName = "" }), "ObjectTypeName", "is required"},
		{"ObjectTypeName too long", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ObjectTypeName = strings.Repeat("T", 256) }), "ObjectTypeName", "must be 1 to 255 characters"},
		{"ObjectTypeName leading digit", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ObjectTypeName = "1CTR" }), "ObjectTypeName", typeRule},
		{"ObjectTypeName leading hyphen", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ObjectTypeName = "-CTR" }), "ObjectTypeName", typeRule},
		{"ObjectTypeName dot", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ObjectTypeName = "C.TR" }), "ObjectTypeName", typeRule},
		{"ObjectTypeName quote", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ObjectTypeName = `C"TR` }), "ObjectTypeName", typeRule},
		{"ProfileID missing", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileID = "" }), "ProfileID", "is required"},
		{"ProfileID short", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileID = testProfileID[:31] }), "ProfileID", idRule},
		{"ProfileID long", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileID = testProfileID + "0" }), "ProfileID", idRule},
		{"ProfileID upper case", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileID = strings.ToUpper(testProfileID) }), "ProfileID", idRule},
		{"ProfileID UUID with hyphens", with(func(in *customerprofiles.DeleteProfileObjectInput) {
			in.ProfileID = "db3c2f1b-4a5e-4c8d-9f0a-1b2c3d4e5f60"
		}), "ProfileID", idRule},
		{"ProfileID non-hex", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileID = strings.Repeat("g", 32) }), "ProfileID", idRule},
		{"ProfileObjectUniqueKey missing", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileObjectUniqueKey = "" }), "ProfileObjectUniqueKey", "is required"},
		{"ProfileObjectUniqueKey too long", with(func(in *customerprofiles.DeleteProfileObjectInput) {
			in.ProfileObjectUniqueKey = strings.Repeat("k", 256)
		}), "ProfileObjectUniqueKey", "must be 1 to 255 characters"},
		{"ProfileObjectUniqueKey too long in characters", with(func(in *customerprofiles.DeleteProfileObjectInput) {
			in.ProfileObjectUniqueKey = strings.Repeat("\t", 256)
		}), "ProfileObjectUniqueKey", "must be 1 to 255 characters"},
		{"ObjectTypeName tab", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ObjectTypeName = "C\tTR" }), "ObjectTypeName", typeRule},
		{"ProfileObjectUniqueKey bad UTF-8", with(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileObjectUniqueKey = "\xc3" }), "ProfileObjectUniqueKey", "must be valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			_, err := srv.client(t).DeleteProfileObject(t.Context(), tt.in)
			var ve *transport.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error = %v, want a *transport.ValidationError", err)
			}
			if diff := cmp.Diff(transport.ValidationError{Field: tt.field, Rule: tt.rule}, *ve); diff != "" {
				t.Errorf("ValidationError (-want +got):\n%s", diff)
			}
			if !errors.Is(err, transport.ErrInvalidInput) {
				t.Errorf("errors.Is(err, ErrInvalidInput) = false")
			}
			if srv.hits() != 0 {
				t.Errorf("server hits = %d, want 0", srv.hits())
			}
		})
	}
	// The limits themselves are allowed (lengths in characters).
	srv := newServer(t, reply{status: 200, body: okBody})
	in := &customerprofiles.DeleteProfileObjectInput{
		DomainName: strings.Repeat("D", 64), ObjectTypeName: "_" + strings.Repeat("t", 254),
		ProfileID: "0123456789abcdef0123456789abcdef", ProfileObjectUniqueKey: strings.Repeat("ü", 255),
	}
	if _, err := srv.client(t).DeleteProfileObject(t.Context(), in); err != nil {
		t.Errorf("inputs at the limits: %v", err)
	}
}

func TestDeleteProfileObjectPerCallOptions(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 429, body: `{"__type":"ThrottlingException"}`})
	c := srv.client(t)
	_, err := c.DeleteProfileObject(t.Context(), validInput(), func(o *customerprofiles.Options) { o.Retry.MaxAttempts = 1 })
	if !errors.Is(err, transport.ErrThrottled) || srv.hits() != 1 {
		t.Errorf("error %v after %d hits, want throttled after 1", err, srv.hits())
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// A Doer of a func type cannot be compared with ==; per-call options must
// still work with it, and an option may wrap the client's Doer.
func TestDeleteProfileObjectPerCallOptionsFuncDoer(t *testing.T) {
	t.Parallel()
	calls := 0
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(okBody)), Request: r}, nil
	})
	c, err := customerprofiles.New(customerprofiles.Options{
		Region:      "us-east-1",
		Credentials: signer.StaticAWSCredentials(testAccessKey, testSecretKey, ""),
		Settings:    transport.Settings{HTTPClient: doer},
	})
	if err != nil {
		t.Fatal(err)
	}
	wrapped := 0
	for _, opt := range []customerprofiles.Option{
		func(o *customerprofiles.Options) { o.Retry.MaxAttempts = 1 },
		func(o *customerprofiles.Options) {
			inner := o.HTTPClient
			o.HTTPClient = doerFunc(func(r *http.Request) (*http.Response, error) { wrapped++; return inner.Do(r) })
		},
	} {
		if _, err := c.DeleteProfileObject(t.Context(), validInput(), opt); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 2 || wrapped != 1 {
		t.Errorf("client Doer calls = %d, wrapper calls = %d; want 2 and 1", calls, wrapped)
	}
}
