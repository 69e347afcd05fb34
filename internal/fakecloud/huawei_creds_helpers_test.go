package fakecloud

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/detach-go/detach/signer"
)

// send sends a request to svc with the given headers; body "" sends none.
func send(t *testing.T, srv *Server, svc Service, method, path, body string, hdr map[string]string) response {
	t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	req := newRequest(t, srv, svc, method, path, b)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return do(t, srv, req)
}

// iamOf returns the IAM service of cloud p.
func iamOf(p Provider) Service {
	if p == OTC {
		return OTCIAM
	}
	return HuaweiIAM
}

// dnsOf returns the DNS service of cloud p.
func dnsOf(p Provider) Service {
	if p == OTC {
		return OTCDNS
	}
	return HuaweiDNS
}

// federate exchanges IDTokenValue for an unscoped token at p's IAM.
func federate(t *testing.T, srv *Server, p Provider) string {
	t.Helper()
	resp := send(t, srv, iamOf(p), http.MethodPost, "/v3.0/OS-AUTH/id-token/tokens",
		`{"auth":{"id_token":{"id":"`+IDTokenValue+`"}}}`, map[string]string{"X-Idp-Id": idpOf(p)})
	tok := resp.header.Get("X-Subject-Token")
	if resp.status != http.StatusCreated || tok == "" {
		t.Fatalf("federation: status %d, body %s", resp.status, resp.body)
	}
	return tok
}

// tempCredential is the credential object of IAM's and the metadata
// service's answers.
type tempCredential struct {
	Access        string `json:"access"`
	Secret        string `json:"secret"`
	SecurityToken string `json:"securitytoken"`
	ExpiresAt     string `json:"expires_at"`
}

func (c tempCredential) signer(projectID, domainID string) signer.HuaweiCredentials {
	return signer.HuaweiCredentials{AccessKey: c.Access, SecretKey: c.Secret, SecurityToken: c.SecurityToken,
		ProjectID: projectID, DomainID: domainID}
}

// decodeCredential reads {"credential":{...}} from a 201 or 200 answer.
func decodeCredential(t *testing.T, resp response) tempCredential {
	t.Helper()
	if resp.status != http.StatusCreated && resp.status != http.StatusOK {
		t.Fatalf("status %d, body %s", resp.status, resp.body)
	}
	var v struct {
		Credential *tempCredential `json:"credential"`
	}
	if err := json.Unmarshal(resp.body, &v); err != nil || v.Credential == nil {
		t.Fatalf("body %s is not {\"credential\":{...}}: %v", resp.body, err)
	}
	return *v.Credential
}

// keysForToken asks p's IAM for temporary keys for token tok.
func keysForToken(t *testing.T, srv *Server, p Provider, tok string) tempCredential {
	t.Helper()
	body := `{"auth":{"identity":{"methods":["token"],"token":{"id":"` + tok + `","duration_seconds":21600}}}}`
	return decodeCredential(t, send(t, srv, iamOf(p), http.MethodPost, "/v3.0/OS-CREDENTIAL/securitytokens", body, nil))
}

// showZoneAs reads zoneID from cloud p's DNS with AK/SK credentials creds
// (ProjectID set) at time at.
func showZoneAs(t *testing.T, srv *Server, p Provider, creds signer.HuaweiCredentials, at time.Time, zoneID string) response {
	t.Helper()
	req := newRequest(t, srv, dnsOf(p), http.MethodGet, "/v2/zones/"+zoneID, nil)
	return do(t, srv, signHW(t, req, nil, creds, p == OTC, at))
}

// deleteICProfile deletes ICProfileID with AK/SK credentials creds
// (DomainID set) at time at.
func deleteICProfile(t *testing.T, srv *Server, creds signer.HuaweiCredentials, at time.Time) response {
	t.Helper()
	req := newRequest(t, srv, IdentityCenter, http.MethodDelete,
		"/v1/instances/"+ICInstanceID+"/application-instances/"+ICApplicationInstanceID+"/profiles/"+ICProfileID, nil)
	return do(t, srv, signHW(t, req, nil, creds, false, at))
}

// iamErr is an IAM /v3.0 error answer.
type iamErr struct {
	Status int
	Code   string
	Msg    string
}

func decodeIAMError(t *testing.T, resp response) iamErr {
	t.Helper()
	var v struct {
		Msg  string `json:"error_msg"`
		Code string `json:"error_code"`
	}
	if err := json.Unmarshal(resp.body, &v); err != nil {
		t.Fatalf("status %d: body %q is not an IAM error: %v", resp.status, resp.body, err)
	}
	return iamErr{resp.status, v.Code, v.Msg}
}
