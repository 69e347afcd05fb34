package e2e

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

var awsRequestID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestRoute53ProfilesDisassociate(t *testing.T) {
	t.Parallel()
	// One fixed clock for the emulator and the signer makes the timestamps
	// of the answer exact.
	now := time.Date(2025, 3, 14, 15, 9, 26, 535_000_000, time.UTC)
	clock := func() time.Time { return now }
	srv := start(t, fakecloud.WithClock(clock))
	rec := newRecorder(t)
	c := newRoute53Profiles(t, srv, awsKeys(), transport.Settings{HTTPClient: rec, Now: clock})

	out, err := c.DisassociateProfile(testContext(t), &route53profiles.DisassociateProfileInput{
		ProfileID:  fakecloud.R53ProfileID,
		ResourceID: fakecloud.R53VPCID,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &route53profiles.DisassociateProfileOutput{
		ProfileAssociation: &route53profiles.ProfileAssociation{
			CreationTime:     now.Add(-72 * time.Hour),
			ModificationTime: now,
			ID:               fakecloud.R53AssociationID,
			Name:             "fakecloud-association-1",
			OwnerID:          fakecloud.AWSAccountID,
			ProfileID:        fakecloud.R53ProfileID,
			ResourceID:       fakecloud.R53VPCID,
			Status:           route53profiles.ProfileStatusDeleting,
			StatusMessage:    "Deleting Profile Association",
		},
		Metadata: transport.Metadata{StatusCode: 200, Attempts: 1},
	}
	if diff := cmp.Diff(want, out, cmpopts.IgnoreFields(transport.Metadata{}, "RequestID")); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	if !awsRequestID.MatchString(out.Metadata.RequestID) {
		t.Errorf("request ID %q is not the emulator's UUID", out.Metadata.RequestID)
	}
	if ok, status := srv.Cloud().ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID); !ok || status != "DELETING" {
		t.Errorf("emulator association: exists %t, status %q; want DELETING", ok, status)
	}
	if ok, status := srv.Cloud().ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID2); !ok || status != "COMPLETE" {
		t.Errorf("the other association: exists %t, status %q; want COMPLETE", ok, status)
	}
	wantAttempts := []attempt{{Method: "DELETE", Status: 200, Auth: "sigv4",
		Path: "/aws/route53profiles/profileassociation/Profileid/" + fakecloud.R53ProfileID + "/resourceid/" + fakecloud.R53VPCID}}
	if diff := cmp.Diff(wantAttempts, rec.attempts()); diff != "" {
		t.Errorf("attempts (-want +got):\n%s", diff)
	}
}

// TestRoute53ProfilesIdempotent checks what the model promises: a second
// disassociation of the same pair succeeds, so a retry after a lost
// response does not fail.
func TestRoute53ProfilesIdempotent(t *testing.T) {
	t.Parallel()
	srv := start(t)
	c := newRoute53Profiles(t, srv, awsKeys(), transport.Settings{})
	in := &route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID2}
	for i := range 2 {
		out, err := c.DisassociateProfile(testContext(t), in)
		if err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
		if got := out.ProfileAssociation.Status; got != route53profiles.ProfileStatusDeleting {
			t.Errorf("call %d: status %s, want DELETING", i+1, got)
		}
	}
}

func TestRoute53ProfilesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		creds signer.AWSCredentialsProvider
		in    route53profiles.DisassociateProfileInput
		want  wantError
	}{
		{
			name:  "no such association",
			creds: awsKeys(),
			in:    route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: "vpc-00000000000000000"},
			want: wantError{code: route53profiles.CodeResourceNotFound, status: 400,
				sentinel: transport.ErrNotFound, attempts: 1},
		},
		{
			name:  "no permission",
			creds: signer.StaticAWSCredentials(fakecloud.AWSDeniedAccessKeyID, fakecloud.AWSDeniedSecretKey, ""),
			in:    route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID},
			want: wantError{code: route53profiles.CodeAccessDenied, status: 400,
				sentinel: transport.ErrAccessDenied, attempts: 1},
		},
		{
			name:  "wrong secret key",
			creds: signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, "not-the-secret", ""),
			in:    route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID},
			want: wantError{code: "InvalidSignatureException", status: 403,
				sentinel: transport.ErrUnauthorized, attempts: 1},
		},
		{
			name:  "temporary key without its session token",
			creds: signer.StaticAWSCredentials(fakecloud.AWSTempAccessKeyID, fakecloud.AWSTempSecretKey, ""),
			in:    route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID},
			want: wantError{code: "UnrecognizedClientException", status: 403,
				sentinel: transport.ErrUnauthorized, attempts: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			c := newRoute53Profiles(t, srv, tt.creds, transport.Settings{})
			_, err := c.DisassociateProfile(testContext(t), &tt.in)
			tt.want.service, tt.want.operation = "Route53Profiles", "DisassociateProfile"
			checkResponseError(t, err, tt.want)
			if n := srv.Cloud().Requests(fakecloud.OpDisassociateProfile); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if ok, status := srv.Cloud().ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID); !ok || status != "COMPLETE" {
				t.Errorf("association changed: exists %t, status %q", ok, status)
			}
		})
	}
}

func TestRoute53ProfilesTemporaryCredentials(t *testing.T) {
	t.Parallel()
	srv := start(t)
	creds := signer.StaticAWSCredentials(fakecloud.AWSTempAccessKeyID, fakecloud.AWSTempSecretKey, fakecloud.AWSSessionToken)
	c := newRoute53Profiles(t, srv, creds, transport.Settings{})
	if _, err := c.DisassociateProfile(testContext(t), &route53profiles.DisassociateProfileInput{
		ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID,
	}); err != nil {
		t.Fatal(err)
	}
}

func TestRoute53ProfilesInvalidInputSendsNothing(t *testing.T) {
	t.Parallel()
	srv := start(t)
	c := newRoute53Profiles(t, srv, awsKeys(), transport.Settings{})
	_, err := c.DisassociateProfile(testContext(t), &route53profiles.DisassociateProfileInput{
		ProfileID: strings.Repeat("p", 65), ResourceID: fakecloud.R53VPCID,
	})
	var ve *transport.ValidationError
	if !errors.As(err, &ve) || ve.Field != "ProfileID" || !errors.Is(err, transport.ErrInvalidInput) {
		t.Errorf("error = %v, want a ValidationError for ProfileID", err)
	}
	if n := srv.Cloud().Requests(fakecloud.OpDisassociateProfile); n != 0 {
		t.Errorf("%d requests, want 0", n)
	}
}
