package fakecloud

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// startHosts returns a Cloud with its credential hosts and its services on
// test servers, on a clock that stands at t0 until the fakeClock moves it.
func startHosts(t *testing.T, opts ...Option) (*Cloud, *CredentialServers, *Server, *fakeClock) {
	t.Helper()
	c, srv, clk := start(t, opts...)
	hosts := c.StartCredentialServers()
	t.Cleanup(hosts.Close)
	return c, hosts, srv, clk
}

// hostDo sends one request to a credential host server.
func hostDo(t *testing.T, srv *Server, method, pathAndQuery string, header http.Header, body []byte) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+pathAndQuery, rd)
	mustOK(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	return do(t, srv, req)
}

// stsForm is the form body of one STS call.
func stsForm(action string, kv ...string) url.Values {
	f := url.Values{"Action": {action}, "Version": {"2011-06-15"}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// stsCall posts form to the STS host, signed with cr for region when cr.id
// is set.
func stsCall(t *testing.T, hosts *CredentialServers, form url.Values, cr awsCreds, region string, at time.Time) response {
	t.Helper()
	body := []byte(form.Encode())
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, hosts.STS.URL+"/", bytes.NewReader(body))
	mustOK(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if cr.id != "" {
		signAWS(t, req, body, cr, "sts", region, at)
	}
	return do(t, hosts.STS, req)
}

// stsAnswer is what tests read from an STS answer, success or error.
type stsAnswer struct {
	Status                     int
	Code, Message, Type        string
	AccessKeyID, Secret, Token string
	Expiration                 string
	Arn, RoleID                string
	Subject, Audience          string
	Namespace                  string
}

func decodeSTS(t *testing.T, resp response) stsAnswer {
	t.Helper()
	var v struct {
		XMLName xml.Name
		Error   struct{ Type, Code, Message string }
		Result  struct {
			AssumedRoleUser struct{ Arn, AssumedRoleId string }
			Credentials     struct{ AccessKeyId, SecretAccessKey, SessionToken, Expiration string }
			SubjectFromWebIdentityToken,
			Audience string
		} `xml:",any"`
		RequestID   string `xml:"RequestId"`
		RequestMeta string `xml:"ResponseMetadata>RequestId"`
	}
	if err := xml.Unmarshal(resp.body, &v); err != nil {
		t.Fatalf("status %d: body %q is not XML: %v", resp.status, resp.body, err)
	}
	if ct := resp.header.Get("Content-Type"); ct != "text/xml" {
		t.Errorf("Content-Type = %q, want text/xml", ct)
	}
	id := v.RequestID + v.RequestMeta
	if id == "" || id != resp.header.Get("X-Amzn-RequestId") {
		t.Errorf("request ID in the body %q, header %q", id, resp.header.Get("X-Amzn-RequestId"))
	}
	r := v.Result
	return stsAnswer{
		Status: resp.status, Code: v.Error.Code, Message: v.Error.Message, Type: v.Error.Type,
		AccessKeyID: r.Credentials.AccessKeyId, Secret: r.Credentials.SecretAccessKey, Token: r.Credentials.SessionToken,
		Expiration: r.Credentials.Expiration, Arn: r.AssumedRoleUser.Arn, RoleID: r.AssumedRoleUser.AssumedRoleId,
		Subject: r.SubjectFromWebIdentityToken, Audience: r.Audience, Namespace: v.XMLName.Space,
	}
}

// credsOf returns the issued credentials as signing credentials.
func credsOf(ic IssuedCredentials) awsCreds {
	return awsCreds{ic.AccessKeyID, ic.SecretAccessKey, ic.SessionToken}
}

// r53pGet calls GetProfileAssociation on the emulated Route 53 Profiles
// with cr and returns the status and error code.
func r53pGet(t *testing.T, srv *Server, cr awsCreds, at time.Time) (int, string) {
	t.Helper()
	req := newRequest(t, srv, Route53Profiles, http.MethodGet, "/profileassociation/"+R53AssociationID, nil)
	resp := do(t, srv, signAWS(t, req, nil, cr, "route53profiles", "us-east-1", at))
	return resp.status, resp.header.Get("X-Amzn-ErrorType")
}

// oneLine shortens a body for a failure message.
func oneLine(b []byte) string {
	s := strings.ReplaceAll(string(b), "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
