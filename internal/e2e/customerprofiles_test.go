package e2e

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func cpInput(key string) *customerprofiles.DeleteProfileObjectInput {
	return &customerprofiles.DeleteProfileObjectInput{
		DomainName:             fakecloud.CPDomainName,
		ObjectTypeName:         fakecloud.CPObjectTypeName,
		ProfileID:              fakecloud.CPProfileID,
		ProfileObjectUniqueKey: key,
	}
}

func TestCustomerProfilesDeleteProfileObject(t *testing.T) {
	t.Parallel()
	srv := start(t)
	rec := newRecorder(t)
	c := newCustomerProfiles(t, srv, awsKeys(), transport.Settings{HTTPClient: rec})

	// A key with characters JSON and URLs treat specially reaches the
	// service unchanged.
	const oddKey = `a"b\c/d+e=<f>&g`
	srv.Cloud().AddProfileObject(fakecloud.CPDomainName, fakecloud.CPObjectTypeName, fakecloud.CPProfileID, oddKey)

	for _, key := range []string{fakecloud.CPObjectKey, oddKey} {
		out, err := c.DeleteProfileObject(testContext(t), cpInput(key))
		if err != nil {
			t.Fatalf("key %q: %v", key, err)
		}
		want := &customerprofiles.DeleteProfileObjectOutput{
			Message:  "Profile object deleted.",
			Metadata: transport.Metadata{StatusCode: 200, Attempts: 1},
		}
		if diff := cmp.Diff(want, out, cmpopts.IgnoreFields(transport.Metadata{}, "RequestID")); diff != "" {
			t.Errorf("key %q: output (-want +got):\n%s", key, diff)
		}
		if !awsRequestID.MatchString(out.Metadata.RequestID) {
			t.Errorf("request ID %q is not the emulator's UUID", out.Metadata.RequestID)
		}
		if srv.Cloud().ProfileObject(fakecloud.CPDomainName, fakecloud.CPObjectTypeName, fakecloud.CPProfileID, key) {
			t.Errorf("object %q still exists", key)
		}
	}
	if !srv.Cloud().ProfileObject(fakecloud.CPDomainName, fakecloud.CPObjectTypeName, fakecloud.CPProfileID, fakecloud.CPObjectKey2) {
		t.Error("an object that was not named was deleted")
	}
	path := "/aws/profile/domains/" + fakecloud.CPDomainName + "/profiles/objects/delete"
	want := []attempt{{"POST", path, 200, "sigv4"}, {"POST", path, 200, "sigv4"}}
	if diff := cmp.Diff(want, rec.attempts()); diff != "" {
		t.Errorf("attempts (-want +got):\n%s", diff)
	}
}

func TestCustomerProfilesErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		creds signer.AWSCredentialsProvider
		in    *customerprofiles.DeleteProfileObjectInput
		want  wantError
	}{
		{
			name:  "no such object",
			creds: awsKeys(),
			in:    cpInput("bm8tc3VjaC1vYmplY3Q="),
			want:  wantError{code: customerprofiles.CodeResourceNotFound, status: 404, sentinel: transport.ErrNotFound, attempts: 1},
		},
		{
			name:  "no such domain",
			creds: awsKeys(),
			in: &customerprofiles.DeleteProfileObjectInput{DomainName: "no-such-domain", ObjectTypeName: "CTR",
				ProfileID: fakecloud.CPProfileID, ProfileObjectUniqueKey: fakecloud.CPObjectKey},
			want: wantError{code: customerprofiles.CodeResourceNotFound, status: 404, sentinel: transport.ErrNotFound, attempts: 1},
		},
		{
			name:  "no permission",
			creds: signer.StaticAWSCredentials(fakecloud.AWSDeniedAccessKeyID, fakecloud.AWSDeniedSecretKey, ""),
			in:    cpInput(fakecloud.CPObjectKey),
			want:  wantError{code: customerprofiles.CodeAccessDenied, status: 403, sentinel: transport.ErrAccessDenied, attempts: 1},
		},
		{
			name:  "unknown access key",
			creds: signer.StaticAWSCredentials("AKIDUNKNOWN", "secret", ""),
			in:    cpInput(fakecloud.CPObjectKey),
			want:  wantError{code: "UnrecognizedClientException", status: 403, sentinel: transport.ErrUnauthorized, attempts: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			c := newCustomerProfiles(t, srv, tt.creds, transport.Settings{})
			_, err := c.DeleteProfileObject(testContext(t), tt.in)
			tt.want.service, tt.want.operation = "Customer Profiles", "DeleteProfileObject"
			checkResponseError(t, err, tt.want)
			if !srv.Cloud().ProfileObject(fakecloud.CPDomainName, fakecloud.CPObjectTypeName, fakecloud.CPProfileID, fakecloud.CPObjectKey) {
				t.Error("the seeded object was deleted")
			}
		})
	}
}

// TestCustomerProfilesDeleteTwice shows the documented consequence of a
// non-idempotent operation: the second delete finds nothing.
func TestCustomerProfilesDeleteTwice(t *testing.T) {
	t.Parallel()
	srv := start(t)
	c := newCustomerProfiles(t, srv, awsKeys(), transport.Settings{})
	if _, err := c.DeleteProfileObject(testContext(t), cpInput(fakecloud.CPObjectKey)); err != nil {
		t.Fatal(err)
	}
	_, err := c.DeleteProfileObject(testContext(t), cpInput(fakecloud.CPObjectKey))
	checkResponseError(t, err, wantError{service: "Customer Profiles", operation: "DeleteProfileObject",
		code: customerprofiles.CodeResourceNotFound, status: 404, sentinel: transport.ErrNotFound, attempts: 1})
}

func TestCustomerProfilesInvalidInputSendsNothing(t *testing.T) {
	t.Parallel()
	srv := start(t)
	c := newCustomerProfiles(t, srv, awsKeys(), transport.Settings{})
	in := cpInput(fakecloud.CPObjectKey)
	in.ProfileID = "DB3C2F1B4A5E4C8D9F0A1B2C3D4E5F60"
	_, err := c.DeleteProfileObject(testContext(t), in)
	var ve *transport.ValidationError
	if !errors.As(err, &ve) || ve.Field != "ProfileID" {
		t.Errorf("error = %v, want a ValidationError for ProfileID", err)
	}
	if n := srv.Cloud().Requests(fakecloud.OpDeleteProfileObject); n != 0 {
		t.Errorf("%d requests, want 0", n)
	}
}
