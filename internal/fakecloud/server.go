package fakecloud

import (
	"net/http"
	"net/http/httptest"
)

// Server is a Cloud listening on a loopback address (an httptest server on
// 127.0.0.1). Close it when done.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:<port>", with no path.
	URL string

	cloud *Cloud
	srv   *httptest.Server
	root  Service // the service served at the root (StartAt); "" for none
}

// Start serves c on a new loopback httptest server.
func (c *Cloud) Start() *Server {
	srv := httptest.NewServer(c)
	return &Server{URL: srv.URL, cloud: c, srv: srv}
}

// Close shuts the server down, closing its connections, and waits for the
// requests in flight to end.
func (s *Server) Close() { s.srv.Close() }

// Endpoint returns the base URL to configure a client of svc with, such as
// URL + "/aws/route53profiles"; URL itself for the service a server of
// [Cloud.StartAt] serves at its root.
func (s *Server) Endpoint(svc Service) string {
	if svc == s.root {
		return s.URL
	}
	return s.URL + string(svc)
}

// Cloud returns the Cloud the server serves, for setting state and faults.
func (s *Server) Cloud() *Cloud { return s.cloud }

// Client returns an HTTP client for the server, configured like
// httptest.Server.Client: it is closed with the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }
