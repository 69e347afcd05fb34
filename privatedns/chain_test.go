package privatedns

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// A client given huaweicreds.BasicChain and WithProjectIDFromIAM finds its
// keys without code per environment; the project ID comes from the source
// when it has one (the profile's project_id: no IAM lookup), else from IAM
// (ECS metadata keys carry none: one ListProjects, signed with the
// temporary keys).
func TestClientWithChain(t *testing.T) {
	tests := []struct {
		name        string
		profile     string // "" : no profile file, the metadata service answers
		wantLookups int
	}{
		{name: "profile with project_id", profile: "[basic]\nak = " + fakecloud.HuaweiAK + "\nsk = " + fakecloud.HuaweiSK +
			"\nproject_id = " + fakecloud.HuaweiProjectID + "\n"},
		{name: "ECS metadata, project looked up", wantLookups: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_IDP_ID",
				"HUAWEICLOUD_SDK_ID_TOKEN_FILE", "HUAWEICLOUD_SDK_PROJECT_ID"} {
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
			settings := transport.Settings{Retry: transport.RetryPolicy{MaxAttempts: 1}}
			chain := huaweicreds.BasicChain(huaweicreds.ChainConfig{MetadataEndpoint: md.URL, Settings: settings})
			c, err := New(Options{Cloud: HuaweiCloud, Region: fakecloud.HuaweiRegion, Endpoint: srv.Endpoint(fakecloud.HuaweiDNS),
				IAMEndpoint: srv.Endpoint(fakecloud.HuaweiIAM), Credentials: chain}, WithProjectIDFromIAM())
			require.NoError(t, err)
			out, err := c.ShowPrivateZone(t.Context(), &ShowPrivateZoneInput{ZoneID: fakecloud.HuaweiZoneID})
			require.NoError(t, err)
			if out == nil {
				t.Fatal("nil output")
			}
			if n := cloud.Requests(fakecloud.OpListProjects); n != tc.wantLookups {
				t.Errorf("project lookups = %d, want %d", n, tc.wantLookups)
			}
		})
	}
}
