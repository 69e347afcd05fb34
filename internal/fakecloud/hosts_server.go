package fakecloud

import "net/http/httptest"

// StartHost serves credential host h on a new loopback httptest server.
// Its URL is the host's base URL: the endpoint to give a client (for
// example AWS_ENDPOINT_URL_STS); Endpoint is of no use on it.
func (c *Cloud) StartHost(h Host) *Server {
	srv := httptest.NewServer(c.HostHandler(h))
	return &Server{URL: srv.URL, cloud: c, srv: srv}
}

// CredentialServers are the credential hosts of one Cloud, each on its own
// loopback server, as the SDKs need distinct endpoints. Close them when
// done.
type CredentialServers struct {
	STS, SSO, SSOOIDC, IMDS, Container *Server
}

// StartCredentialServers starts one server per credential host.
func (c *Cloud) StartCredentialServers() *CredentialServers {
	return &CredentialServers{
		STS:       c.StartHost(STSHost),
		SSO:       c.StartHost(SSOHost),
		SSOOIDC:   c.StartHost(SSOOIDCHost),
		IMDS:      c.StartHost(IMDSHost),
		Container: c.StartHost(ContainerHost),
	}
}

// Close shuts every server down.
func (s *CredentialServers) Close() {
	for _, srv := range []*Server{s.STS, s.SSO, s.SSOOIDC, s.IMDS, s.Container} {
		srv.Close()
	}
}

// Env returns the environment variables that point aws-sdk-go-v2 (config
// v1.33.19) at the STS, SSO, SSO OIDC and metadata hosts:
// AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL_SSO_OIDC and
// AWS_EC2_METADATA_SERVICE_ENDPOINT. The container endpoint is left out,
// since setting it selects that source: see ContainerURI.
func (s *CredentialServers) Env() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL_STS":              s.STS.URL,
		"AWS_ENDPOINT_URL_SSO":              s.SSO.URL,
		"AWS_ENDPOINT_URL_SSO_OIDC":         s.SSOOIDC.URL,
		"AWS_EC2_METADATA_SERVICE_ENDPOINT": s.IMDS.URL,
	}
}

// ContainerURI is the value for AWS_CONTAINER_CREDENTIALS_FULL_URI: the
// container server's loopback URL (an http host the SDKs allow) plus the
// path the Cloud serves credentials on now.
func (s *CredentialServers) ContainerURI() string {
	c := s.Container.cloud
	c.mu.Lock()
	defer c.mu.Unlock()
	return s.Container.URL + c.st.container.Path
}
