package identitycenter

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// A client given huaweicreds.GlobalChain: the domain ID comes from the
// source when it has one (the profile's domain_id: no IAM lookup), else
// from IAM (ECS metadata keys carry none: one ListAuthDomains).
func TestClientWithChain(t *testing.T) {
	tests := []struct {
		name        string
		profile     string
		wantLookups int
	}{
		{name: "profile with domain_id", profile: "[global]\nak = " + fakecloud.HuaweiAK + "\nsk = " + fakecloud.HuaweiSK +
			"\ndomain_id = " + fakecloud.HuaweiDomainID + "\n"},
		{name: "ECS metadata, domain looked up", wantLookups: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_IDP_ID",
				"HUAWEICLOUD_SDK_ID_TOKEN_FILE", "HUAWEICLOUD_SDK_DOMAIN_ID"} {
				t.Setenv(v, "")
			}
			file := filepath.Join(t.TempDir(), "credentials")
			if tc.profile != "" {
				require.NoError(t, os.WriteFile(file, []byte(tc.profile), 0o600))
			}
			t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", file)
			cloud := fakecloud.New()
			srv := cloud.Start()
			t.Cleanup(srv.Close)
			md := cloud.StartAt(fakecloud.HuaweiMetadata)
			t.Cleanup(md.Close)
			chain := huaweicreds.GlobalChain(huaweicreds.ChainConfig{MetadataEndpoint: md.URL,
				Settings: transport.Settings{Retry: transport.RetryPolicy{MaxAttempts: 1}}})
			c, err := New(Options{Endpoint: srv.Endpoint(fakecloud.IdentityCenter), IAMEndpoint: srv.Endpoint(fakecloud.HuaweiIAM),
				Credentials: chain})
			require.NoError(t, err)
			_, err = c.DeleteProfile(t.Context(), &DeleteProfileInput{InstanceID: fakecloud.ICInstanceID,
				ApplicationInstanceID: fakecloud.ICApplicationInstanceID, ProfileID: fakecloud.ICProfileID})
			require.NoError(t, err)
			if n := cloud.Requests(fakecloud.OpListAuthDomains); n != tc.wantLookups {
				t.Errorf("domain lookups = %d, want %d", n, tc.wantLookups)
			}
		})
	}
}
