package fakecloud

import (
	"net/http"
	"net/http/httptest"
)

// RootHandler returns an http.Handler that serves service svc at the root
// of the path space, besides every service under its own prefix as the
// Cloud does. It is for clients that replace the path of their endpoint
// with the API's: huaweicloud-sdk-go-v3 (v0.1.207, core/request
// DefaultHttpRequest.fillPath) sends IAM, DNS and Identity Center requests
// to the endpoint's host with the operation's path alone, and its ECS
// metadata client to the fixed http://169.254.169.254. The catalog in
// IAM's tokens still names the services under their prefixes, which this
// handler serves too.
func (c *Cloud) RootHandler(svc Service) http.Handler { return rootHandler{c, svc} }

type rootHandler struct {
	c   *Cloud
	svc Service
}

// ServeHTTP serves a path under a service prefix as the Cloud does, and
// any other path as one of h.svc's.
func (h rootHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	if s, e, args := route(h.c.routes, path, r.Method); s != nil {
		h.c.serve(w, r, s, e, args)
		return
	}
	for i := range h.c.routes {
		if s := &h.c.routes[i]; s.svc == h.svc {
			e, args := s.operation(path, r.Method)
			h.c.serve(w, r, s, e, args)
			return
		}
	}
	h.c.serve(w, r, nil, nil, nil)
}

// StartAt serves the Cloud on a new loopback httptest server with service
// svc at its root (see [Cloud.RootHandler]). The server's URL is svc's
// endpoint, and so is Endpoint(svc); the other services keep their
// prefixes.
func (c *Cloud) StartAt(svc Service) *Server {
	srv := httptest.NewServer(c.RootHandler(svc))
	return &Server{URL: srv.URL, cloud: c, srv: srv, root: svc}
}

// StartTLSAt is StartAt over HTTPS, with httptest's self-signed
// certificate, which the server's Client trusts. It is for endpoints a
// client insists on reaching by HTTPS: huaweicloud-sdk-go-v3 (v0.1.207,
// internal/iam_helper.go GetIamEndpoint) puts "https://" before a
// HUAWEICLOUD_SDK_IAM_ENDPOINT that does not start with it; give it the
// server's host and port and skip verification
// (config.HttpConfig.IgnoreSSLVerification) or trust the certificate.
func (c *Cloud) StartTLSAt(svc Service) *Server {
	srv := httptest.NewTLSServer(c.RootHandler(svc))
	return &Server{URL: srv.URL, cloud: c, srv: srv, root: svc}
}
