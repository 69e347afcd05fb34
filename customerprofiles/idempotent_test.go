package customerprofiles_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// notFound is Customer Profiles' answer for an object (or domain) that
// does not exist: ResourceNotFoundException with status 404.
var notFound = reply{status: 404, body: `{"Message":"Profile object was not found."}`,
	header: map[string]string{"X-Amzn-Errortype": "ResourceNotFoundException", "X-Amzn-Requestid": "nf-cp"}}

func idempotent(o *customerprofiles.Options) { o.Idempotent = true }

func TestDeleteProfileObjectIdempotent(t *testing.T) {
	t.Parallel()
	wantGone := &customerprofiles.DeleteProfileObjectOutput{AlreadyGone: true,
		Metadata: transport.Metadata{RequestID: "nf-cp", StatusCode: 404, Attempts: 1}}
	tests := []struct {
		name      string
		clientOpt []customerprofiles.Option
		callOpt   []customerprofiles.Option
		wantGone  bool
	}{
		{"off by default", nil, nil, false},
		{"per client", []customerprofiles.Option{idempotent}, nil, true},
		{"per call", nil, []customerprofiles.Option{idempotent}, true},
		{"per call turns it off", []customerprofiles.Option{idempotent},
			[]customerprofiles.Option{func(o *customerprofiles.Options) { o.Idempotent = false }}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, notFound)
			out, err := srv.client(t, tt.clientOpt...).DeleteProfileObject(t.Context(), validInput(), tt.callOpt...)
			if !tt.wantGone {
				if !errors.Is(err, transport.ErrNotFound) || out != nil {
					t.Fatalf("got %+v, %v; want a not-found error", out, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantGone, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if srv.hits() != 1 {
				t.Errorf("server hits = %d, want 1", srv.hits())
			}
		})
	}

	srv := newServer(t, reply{status: 200, body: okBody})
	out, err := srv.client(t, idempotent).DeleteProfileObject(t.Context(), validInput())
	if err != nil || out.AlreadyGone || out.Message != "Profile object deleted." {
		t.Errorf("success: %+v, %v", out, err)
	}
}

// With Idempotent on, every other answer still fails the call, including a
// 404 without the service's code (a proxy, a wrong endpoint path).
func TestDeleteProfileObjectIdempotentOtherErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rep  reply
		want error
	}{
		{"access denied", reply{status: 403, body: `{"__type":"AccessDeniedException"}`}, transport.ErrAccessDenied},
		{"bad request", reply{status: 400, body: `{"__type":"BadRequestException"}`}, transport.ErrInvalidInput},
		{"throttled", reply{status: 429, body: `{"__type":"ThrottlingException"}`}, transport.ErrThrottled},
		{"internal", reply{status: 500, body: `{"__type":"InternalServerException"}`}, nil},
		{"404 unknown operation", reply{status: 404, body: `{"__type":"UnknownOperationException"}`}, transport.ErrNotFound},
		{"404 without a code", reply{status: 404, body: `Not Found`}, transport.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.rep)
			out, err := srv.client(t, idempotent).DeleteProfileObject(t.Context(), validInput())
			var re *transport.ResponseError
			if out != nil || !errors.As(err, &re) {
				t.Fatalf("got %+v, %v; want a ResponseError", out, err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, notFound)
		in := validInput()
		in.ProfileID = "not-hex"
		_, err := srv.client(t, idempotent).DeleteProfileObject(t.Context(), in)
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || srv.hits() != 0 {
			t.Errorf("error = %v after %d hits, want a ValidationError before any request", err, srv.hits())
		}
	})
	t.Run("canceled during the attempt", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		doer := doerFunc(func(r *http.Request) (*http.Response, error) {
			cancel()
			h := http.Header{"X-Amzn-Errortype": {"ResourceNotFoundException"}}
			return &http.Response{StatusCode: 404, Header: h, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
		})
		c, err := customerprofiles.New(customerprofiles.Options{
			Region:      testRegion,
			Credentials: signer.StaticAWSCredentials(testAccessKey, testSecretKey, ""),
			Idempotent:  true,
			Settings:    transport.Settings{HTTPClient: doer},
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := c.DeleteProfileObject(ctx, validInput())
		var ce *transport.CanceledError
		if out != nil || !errors.As(err, &ce) {
			t.Errorf("got %+v, %v; want a CanceledError", out, err)
		}
	})
}

// Against the emulator: the second delete of an object finds nothing, which
// Idempotent reports as AlreadyGone, with the attempt count of the call
// (here a throttled attempt, then the not-found one).
func TestDeleteProfileObjectIdempotentEmulator(t *testing.T) {
	t.Parallel()
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	c, err := customerprofiles.New(customerprofiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.Endpoint(fakecloud.CustomerProfiles),
		Credentials: signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, ""),
		Idempotent:  true,
		Settings:    transport.Settings{Retry: transport.RetryPolicy{BaseDelay: 1, MaxBackoff: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	in := &customerprofiles.DeleteProfileObjectInput{DomainName: fakecloud.CPDomainName, ObjectTypeName: fakecloud.CPObjectTypeName,
		ProfileID: fakecloud.CPProfileID, ProfileObjectUniqueKey: fakecloud.CPObjectKey}
	first, err := c.DeleteProfileObject(t.Context(), in)
	if err != nil || first.AlreadyGone {
		t.Fatalf("first delete: %+v, %v", first, err)
	}
	srv.Cloud().Inject(fakecloud.OpDeleteProfileObject, fakecloud.Fault{Kind: fakecloud.Throttle})
	second, err := c.DeleteProfileObject(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]any{"gone": second.AlreadyGone, "status": second.Metadata.StatusCode, "attempts": second.Metadata.Attempts,
		"hasRequestID": second.Metadata.RequestID != ""}
	want := map[string]any{"gone": true, "status": 404, "attempts": 2, "hasRequestID": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("second delete (-want +got):\n%s", diff)
	}
}
