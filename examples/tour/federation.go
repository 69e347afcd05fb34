package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer/huaweicreds"
)

// federated is a Huawei Cloud DNS client whose keys come from OIDC
// federation, as in CI (GitHub Actions OIDC) or a CCE workload: an ID
// token file and the IAM identity provider that trusts it, exchanged at
// IAM (fakecloud's) for an unscoped token, then for temporary keys.
type federated struct {
	dir    string
	client *privatedns.Client
}

func newFederated(srv *fakecloud.Server) (*federated, error) {
	f := &federated{}
	var err error
	if f.dir, err = os.MkdirTemp("", "detach-tour-oidc-"); err != nil {
		return nil, err
	}
	tokenFile := filepath.Join(f.dir, "id-token")
	if err := os.WriteFile(tokenFile, []byte(fakecloud.IDTokenValue), 0o600); err != nil {
		f.close()
		return nil, err
	}
	// What CI sets: HUAWEICLOUD_SDK_IDP_ID and HUAWEICLOUD_SDK_ID_TOKEN_FILE.
	// A real program builds on huaweicreds.BasicChain(huaweicreds.ChainConfig{}),
	// which finds them in the process environment and asks the global IAM;
	// the tour names them here so as not to touch its environment, and
	// sends IAM's requests to the emulator.
	iam := srv.Endpoint(fakecloud.HuaweiIAM)
	fed, err := huaweicreds.NewFederationProvider(huaweicreds.FederationConfig{
		IdPID:       fakecloud.HuaweiIdPID,
		IDTokenFile: tokenFile,
		Endpoint:    iam,
	})
	var creds *huaweicreds.ResolvedCredentials
	if err == nil {
		// Federated keys carry no project ID: IAM is asked once for the
		// project named after the region, signed with those keys.
		creds, err = huaweicreds.ProjectIDFromIAM(fed, huaweicreds.LookupConfig{Endpoint: iam, Region: fakecloud.HuaweiRegion})
	}
	if err == nil {
		f.client, err = privatedns.New(privatedns.Options{
			Cloud:       privatedns.HuaweiCloud,
			Region:      fakecloud.HuaweiRegion,
			Endpoint:    srv.Endpoint(fakecloud.HuaweiDNS),
			Credentials: creds,
		})
	}
	if err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *federated) close() {
	if f.dir != "" {
		os.RemoveAll(f.dir)
	}
}

// show reads the zone of the tour's first DNS call, signed with the
// temporary keys IAM issued for the ID token.
func (f *federated) show(ctx context.Context) row {
	const op, auth = "privatedns ShowPrivateZone (Huawei)", "OIDC federation (IAM)"
	out, err := f.client.ShowPrivateZone(ctx, &privatedns.ShowPrivateZoneInput{ZoneID: fakecloud.HuaweiZoneID})
	if err != nil {
		return failed(op, auth, err)
	}
	r := succeeded(op, auth, "zone "+string(out.Status)+", "+strconv.Itoa(len(out.Routers))+" routers", out.Metadata)
	r.want(out.ID == fakecloud.HuaweiZoneID, "zone ID %q, want %q", out.ID, fakecloud.HuaweiZoneID)
	r.want(len(out.Routers) > 0, "no router listed")
	r.want(out.Metadata.StatusCode == 200 && out.Metadata.Attempts == 1, "HTTP %d after %d attempts, want 200 after 1", out.Metadata.StatusCode, out.Metadata.Attempts)
	return r
}
