package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/awscreds"
)

// webIdentity is a Route 53 Profiles client whose credentials come from
// awscreds.NewDefaultChain as on EKS with IRSA or in CI with OIDC: the
// environment names a token file and a role, and STS (fakecloud's, on its
// own server) exchanges the token for temporary credentials.
type webIdentity struct {
	sts    *fakecloud.Server
	dir    string
	client *route53profiles.Client
}

func newWebIdentity(srv *fakecloud.Server) (*webIdentity, error) {
	w := &webIdentity{sts: srv.Cloud().StartHost(fakecloud.STSHost)}
	var err error
	if w.dir, err = os.MkdirTemp("", "detach-tour-"); err != nil {
		w.close()
		return nil, err
	}
	tokenFile := filepath.Join(w.dir, "token")
	if err := os.WriteFile(tokenFile, []byte(fakecloud.AWSWebIdentityToken), 0o600); err != nil {
		w.close()
		return nil, err
	}
	// What EKS sets in the pod, plus where this STS is. A real program
	// passes DefaultChainOptions{} and the process environment is read.
	env := map[string]string{
		"AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
		"AWS_ROLE_ARN":                fakecloud.AWSRoleARN,
		"AWS_ROLE_SESSION_NAME":       "detach-tour",
		"AWS_REGION":                  "us-east-1",
		"AWS_ENDPOINT_URL_STS":        w.sts.URL,
	}
	creds, err := awscreds.NewDefaultChain(awscreds.DefaultChainOptions{Config: signer.AWSConfigSource{
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		HomeDir:   func() (string, error) { return w.dir, nil }, // no ~/.aws of yours
	}})
	if err == nil {
		w.client, err = route53profiles.New(route53profiles.Options{
			Region:      "us-east-1",
			Endpoint:    srv.Endpoint(fakecloud.Route53Profiles),
			Credentials: creds,
		})
	}
	if err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *webIdentity) close() {
	w.sts.Close()
	if w.dir != "" {
		os.RemoveAll(w.dir)
	}
}

// list lists the Profile's associations, signed with the credentials STS
// issued for the web identity.
func (w *webIdentity) list(ctx context.Context) row {
	const op, auth = "route53profiles ListProfileAssociations", "web identity (STS)"
	out, err := w.client.ListProfileAssociations(ctx, &route53profiles.ListProfileAssociationsInput{ProfileID: fakecloud.R53ProfileID})
	if err != nil {
		return failed(op, auth, err)
	}
	r := succeeded(op, auth, strconv.Itoa(len(out.ProfileAssociations))+" associations listed", out.Metadata)
	r.want(len(out.ProfileAssociations) > 0, "no association listed")
	r.want(out.Metadata.StatusCode == 200 && out.Metadata.Attempts == 1, "HTTP %d after %d attempts, want 200 after 1", out.Metadata.StatusCode, out.Metadata.Attempts)
	return r
}
