package awsclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"os"

	"github.com/detach-go/detach/transport"
)

// maxCABundle bounds the CA bundle read: a PEM file of every public root
// is about 250 KB.
const maxCABundle = 4 << 20

// applyConfig fills what p leaves empty from p.Shared, the environment and
// the shared config files read by signer.LoadAWSConfig, as aws-sdk-go-v2's config.LoadDefaultConfig (config
// v1.33.19) configures a service client: region, endpoint (AWS_ENDPOINT_URL_*,
// the services section, endpoint_url), FIPS and dual-stack, max attempts
// and the CA bundle. What the caller set always wins. FIPS and dual-stack
// from the configuration apply only when no endpoint is set, in code or in
// the configuration: the endpoint rules refuse the combination, and a
// program pointed at a test server must not fail because the shell sets
// AWS_USE_FIPS_ENDPOINT. A configuration the SDK refuses while loading
// (a named profile that does not exist, AWS_MAX_ATTEMPTS that is not a
// number, ...) is an error.
func applyConfig(svc Service, p *Params) error {
	s := p.Shared.Settings(svc.Transport.ID)
	if p.Region == "" {
		p.Region = s.Region
	}
	if p.Endpoint == "" {
		p.Endpoint = s.BaseEndpoint
	}
	if p.Endpoint == "" {
		p.UseFIPS = p.UseFIPS || s.UseFIPS
		p.UseDualStack = p.UseDualStack || s.UseDualStack
	}
	if p.Settings.Retry.MaxAttempts == 0 && s.MaxAttempts > 0 {
		p.Settings.Retry.MaxAttempts = s.MaxAttempts
	}
	if p.Settings.HTTPClient == nil && s.CABundle != "" {
		client, err := CABundleClient(s.CABundle)
		if err != nil {
			return errors.New(svc.Pkg + ": " + err.Error())
		}
		p.Settings.HTTPClient = client
	}
	return nil
}

// CABundleClient is transport.DefaultHTTPClient trusting only the
// certificates in the PEM file at path (AWS_CA_BUNDLE or ca_bundle), as
// aws-sdk-go-v2 replaces the root pool with the bundle's. A file that
// cannot be read, is over 4 MiB or holds no PEM certificate is an error
// naming the path.
func CABundleClient(path string) (transport.Doer, error) {
	client, err := caBundleClient(path)
	if err != nil {
		return nil, errors.New("CA bundle " + path + " (AWS_CA_BUNDLE or ca_bundle): " + err.Error())
	}
	return client, nil
}

func caBundleClient(path string) (transport.Doer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.New("cannot be read")
	}
	defer f.Close()
	pem, err := io.ReadAll(io.LimitReader(f, maxCABundle+1))
	switch {
	case err != nil:
		return nil, errors.New("cannot be read")
	case len(pem) > maxCABundle:
		return nil, errors.New("is larger than 4 MiB")
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("holds no PEM certificate")
	}
	client := transport.DefaultHTTPClient()
	t, ok := client.Transport.(*http.Transport)
	if !ok {
		return nil, errors.New("cannot be applied to the default HTTP client")
	}
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	t.TLSClientConfig.RootCAs = pool
	return client, nil
}
