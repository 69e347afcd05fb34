package route53profiles_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// notFound is Route 53 Profiles' answer for an association that does not
// exist: ResourceNotFoundException with status 400.
var notFound = reply{status: 400, body: `{"message":"The profile association doesn't exist."}`,
	header: map[string]string{"X-Amzn-Errortype": "ResourceNotFoundException", "X-Amzn-Requestid": "nf-1"}}

func idempotent(o *route53profiles.Options) { o.Idempotent = true }

func TestDisassociateProfileIdempotent(t *testing.T) {
	t.Parallel()
	in := &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"}
	wantGone := &route53profiles.DisassociateProfileOutput{AlreadyGone: true,
		Metadata: transport.Metadata{RequestID: "nf-1", StatusCode: 400, Attempts: 1}}
	tests := []struct {
		name      string
		clientOpt []route53profiles.Option
		callOpt   []route53profiles.Option
		wantGone  bool
	}{
		{"off by default", nil, nil, false},
		{"per client", []route53profiles.Option{idempotent}, nil, true},
		{"per call", nil, []route53profiles.Option{idempotent}, true},
		{"per call turns it off", []route53profiles.Option{idempotent},
			[]route53profiles.Option{func(o *route53profiles.Options) { o.Idempotent = false }}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, notFound)
			c := srv.client(t, tt.clientOpt...)
			out, err := c.DisassociateProfile(t.Context(), in, tt.callOpt...)
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

	// A success is reported as one, whatever the option.
	srv := newServer(t, reply{status: 200, body: okBody})
	out, err := srv.client(t, idempotent).DisassociateProfile(t.Context(), in)
	if err != nil || out.AlreadyGone || out.ProfileAssociation == nil {
		t.Errorf("success: %+v, %v", out, err)
	}
}

// With Idempotent on, every answer but ResourceNotFoundException still
// fails the call: other errors, a 404 without that code (a proxy, a wrong
// path), and a retried call whose context ended.
func TestDisassociateProfileIdempotentOtherErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rep  reply
		want error
	}{
		{"access denied", reply{status: 400, body: `{"__type":"AccessDeniedException"}`}, transport.ErrAccessDenied},
		{"validation", reply{status: 400, body: `{"__type":"ValidationException"}`}, transport.ErrInvalidInput},
		{"limit exceeded", reply{status: 400, body: `{"__type":"LimitExceededException"}`}, transport.ErrQuotaExceeded},
		{"throttled", reply{status: 400, body: `{"__type":"ThrottlingException"}`}, transport.ErrThrottled},
		{"404 unknown operation", reply{status: 404, body: `{"__type":"UnknownOperationException"}`}, transport.ErrNotFound},
		{"404 without a code", reply{status: 404, body: `<html>Not Found</html>`}, transport.ErrNotFound},
		{"not found in another code's case", reply{status: 400, body: `{"__type":"resourcenotfoundexception"}`}, transport.ErrInvalidInput},
		{"500", reply{status: 500, body: `{}`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.rep)
			out, err := srv.client(t, idempotent).DisassociateProfile(t.Context(),
				&route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
			var re *transport.ResponseError
			if out != nil || !errors.As(err, &re) {
				t.Fatalf("got %+v, %v; want a ResponseError", out, err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error = %v, want %v", err, tt.want)
			}
		})
	}

	t.Run("transport failure", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t)
		c := srv.client(t, idempotent)
		srv.Close()
		out, err := c.DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
		var se *transport.SendError
		if out != nil || !errors.As(err, &se) {
			t.Errorf("got %+v, %v; want a SendError", out, err)
		}
	})
	t.Run("canceled", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, notFound)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		out, err := srv.client(t, idempotent).DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
		if out != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("got %+v, %v; want context.Canceled", out, err)
		}
	})
	t.Run("bad input", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, notFound)
		_, err := srv.client(t, idempotent).DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1"})
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || srv.hits() != 0 {
			t.Errorf("error = %v after %d hits, want a ValidationError before any request", err, srv.hits())
		}
	})
}

// A not-found after retries (the first attempt's response was lost, the
// retry finds nothing) keeps the attempt count in the Metadata.
func TestDisassociateProfileIdempotentAfterRetry(t *testing.T) {
	t.Parallel()
	srv := newServer(t, reply{status: 503, body: `{}`}, notFound)
	out, err := srv.client(t, idempotent).DisassociateProfile(t.Context(), &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := &route53profiles.DisassociateProfileOutput{AlreadyGone: true,
		Metadata: transport.Metadata{RequestID: "nf-1", StatusCode: 400, Attempts: 2}}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

// A not-found answer that arrives as the call's context ends is reported
// as the cancellation, not as AlreadyGone: the caller gave up on the call.
func TestDisassociateProfileIdempotentCanceledDuringAttempt(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		cancel()
		h := http.Header{"X-Amzn-Errortype": {"ResourceNotFoundException"}}
		return &http.Response{StatusCode: 400, Header: h, Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
	})
	c, err := route53profiles.New(route53profiles.Options{
		Region:      testRegion,
		Credentials: signer.StaticAWSCredentials(testAccessKey, testSecretKey, ""),
		Idempotent:  true,
		Settings:    transport.Settings{HTTPClient: doer},
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"})
	var ce *transport.CanceledError
	if out != nil || !errors.As(err, &ce) || !errors.Is(err, transport.ErrNotFound) {
		t.Errorf("got %+v, %v; want a CanceledError that still shows the not-found answer", out, err)
	}
}
