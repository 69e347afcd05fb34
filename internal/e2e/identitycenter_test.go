package e2e

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

var huaweiRequestID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func icInput(profileID string) *identitycenter.DeleteProfileInput {
	return &identitycenter.DeleteProfileInput{
		InstanceID:            fakecloud.ICInstanceID,
		ApplicationInstanceID: fakecloud.ICApplicationInstanceID,
		ProfileID:             profileID,
	}
}

func TestIdentityCenterDeleteProfile(t *testing.T) {
	t.Parallel()
	tempKeys := signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: fakecloud.HuaweiTempAK,
		SecretKey: fakecloud.HuaweiTempSK, SecurityToken: fakecloud.HuaweiSecurityToken})
	tests := []struct {
		name    string
		creds   signer.HuaweiCredentialsProvider
		profile string
	}{
		{"permanent keys", huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), fakecloud.ICProfileID},
		{"temporary keys", tempKeys, fakecloud.ICProfileID},
		// A profile ID with a slash is one escaped path segment, signed as
		// sent.
		{"ID to escape", huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), "team/a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			srv.Cloud().AddApplicationProfile(fakecloud.ICInstanceID, fakecloud.ICApplicationInstanceID, "team/a b")
			rec := newRecorder(t)
			c := newIdentityCenter(t, srv, tt.creds, fakecloud.HuaweiDomainID, transport.Settings{HTTPClient: rec})

			out, err := c.DeleteProfile(testContext(t), icInput(tt.profile))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(transport.Metadata{StatusCode: 200, Attempts: 1, RequestID: out.Metadata.RequestID}, out.Metadata); diff != "" {
				t.Errorf("metadata (-want +got):\n%s", diff)
			}
			if !huaweiRequestID.MatchString(out.Metadata.RequestID) {
				t.Errorf("request ID %q is not the emulator's", out.Metadata.RequestID)
			}
			cl := srv.Cloud()
			if cl.ApplicationProfile(fakecloud.ICInstanceID, fakecloud.ICApplicationInstanceID, tt.profile) {
				t.Error("the profile still exists")
			}
			if !cl.ApplicationProfile(fakecloud.ICInstanceID, fakecloud.ICApplicationInstanceID, fakecloud.ICProfileID2) {
				t.Error("a profile that was not named was deleted")
			}
			escaped := strings.NewReplacer("/", "%2F", " ", "%20").Replace(tt.profile)
			want := []attempt{{"DELETE", "/huaweicloud/identitycenter/v1/instances/" + fakecloud.ICInstanceID +
				"/application-instances/" + fakecloud.ICApplicationInstanceID + "/profiles/" + escaped, 200, "huawei-aksk"}}
			if diff := cmp.Diff(want, rec.attempts()); diff != "" {
				t.Errorf("attempts (-want +got):\n%s", diff)
			}
			if n := cl.Requests(fakecloud.OpListAuthDomains); n != 0 {
				t.Errorf("%d domain ID lookups although DomainID was given", n)
			}
		})
	}
}

func TestIdentityCenterErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		creds    signer.HuaweiCredentialsProvider
		domainID string
		in       *identitycenter.DeleteProfileInput
		want     wantError
	}{
		{
			name:  "no such profile",
			creds: huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), domainID: fakecloud.HuaweiDomainID,
			in:   icInput("no-such-profile"),
			want: wantError{code: fakecloud.ICCodeProfileNotFound, status: 404, sentinel: transport.ErrNotFound, attempts: 1},
		},
		{
			name:  "no such instance",
			creds: huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), domainID: fakecloud.HuaweiDomainID,
			in: &identitycenter.DeleteProfileInput{InstanceID: "ins-0000000000000000",
				ApplicationInstanceID: fakecloud.ICApplicationInstanceID, ProfileID: fakecloud.ICProfileID},
			want: wantError{code: fakecloud.ICCodeInstanceNotFound, status: 404, sentinel: transport.ErrNotFound, attempts: 1},
		},
		{
			name:  "no permission",
			creds: huaweiKeys(fakecloud.HuaweiNoPermAK, fakecloud.HuaweiNoPermSK), domainID: fakecloud.HuaweiDomainID,
			in:   icInput(fakecloud.ICProfileID),
			want: wantError{code: fakecloud.ICCodeForbidden, status: 403, sentinel: transport.ErrAccessDenied, attempts: 1},
		},
		{
			name:  "domain ID of another account",
			creds: huaweiKeys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), domainID: fakecloud.OTCDomainID,
			in:   icInput(fakecloud.ICProfileID),
			want: wantError{code: identitycenter.CodeGatewayUnauthorized, status: 401, sentinel: transport.ErrUnauthorized, attempts: 1},
		},
		{
			name:  "wrong secret key",
			creds: huaweiKeys(fakecloud.HuaweiAK, "not-the-secret"), domainID: fakecloud.HuaweiDomainID,
			in:   icInput(fakecloud.ICProfileID),
			want: wantError{code: identitycenter.CodeGatewayUnauthorized, status: 401, sentinel: transport.ErrUnauthorized, attempts: 1},
		},
		{
			name: "temporary key without its security token",
			creds: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: fakecloud.HuaweiTempAK,
				SecretKey: fakecloud.HuaweiTempSK}),
			domainID: fakecloud.HuaweiDomainID,
			in:       icInput(fakecloud.ICProfileID),
			want:     wantError{code: identitycenter.CodeGatewayUnauthorized, status: 401, sentinel: transport.ErrUnauthorized, attempts: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := start(t)
			c := newIdentityCenter(t, srv, tt.creds, tt.domainID, transport.Settings{})
			_, err := c.DeleteProfile(testContext(t), tt.in)
			tt.want.service, tt.want.operation = identitycenter.ServiceID, "DeleteProfile"
			re := checkResponseError(t, err, tt.want)
			if tt.want.code == fakecloud.ICCodeForbidden {
				// The opaque message that tells which policy denied.
				if _, derr := base64.StdEncoding.DecodeString(re.EncodedAuthorizationMessage); re.EncodedAuthorizationMessage == "" || derr != nil {
					t.Errorf("EncodedAuthorizationMessage = %q, want the emulator's base64 text", re.EncodedAuthorizationMessage)
				}
			}
			if !srv.Cloud().ApplicationProfile(fakecloud.ICInstanceID, fakecloud.ICApplicationInstanceID, fakecloud.ICProfileID) {
				t.Error("the seeded profile was deleted")
			}
		})
	}
}
