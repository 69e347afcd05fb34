package fakecloud

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/detach-go/detach/signer"
)

// mustOK stops the test when a precondition fails. (testify's require would
// do, but its dependencies are not in the root go.sum.)
func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// t0 is the emulator's time in tests that use a fixed or fake clock.
var t0 = time.Date(2025, 1, 2, 3, 4, 5, 678_000_000, time.UTC)

// fakeClock is a settable clock for token expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// start returns a Cloud on a test server whose clock stands at t0 until the
// returned fakeClock moves it.
func start(t *testing.T, opts ...Option) (*Cloud, *Server, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: t0}
	c := New(append([]Option{WithClock(clk.Now)}, opts...)...)
	srv := c.Start()
	t.Cleanup(srv.Close)
	return c, srv, clk
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// newRequest builds a request for svc; escapedPath is the path after the
// service prefix, already escaped as a client would send it.
func newRequest(t *testing.T, srv *Server, svc Service, method, escapedPath string, body []byte) *http.Request {
	t.Helper()
	u, err := url.Parse(srv.Endpoint(svc) + escapedPath)
	mustOK(t, err)
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u.String(), rd)
	mustOK(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// awsCreds are the credentials AWS requests are signed with in tests.
type awsCreds struct {
	id, secret, token string
}

var (
	awsMain   = awsCreds{AWSAccessKeyID, AWSSecretKey, ""}
	awsTemp   = awsCreds{AWSTempAccessKeyID, AWSTempSecretKey, AWSSessionToken}
	awsDenied = awsCreds{AWSDeniedAccessKeyID, AWSDeniedSecretKey, ""}
)

// signAWS signs req with SigV4 for service and region at time at.
func signAWS(t *testing.T, req *http.Request, body []byte, cr awsCreds, service, region string, at time.Time) *http.Request {
	t.Helper()
	creds := signer.AWSCredentials{AccessKeyID: cr.id, SecretAccessKey: cr.secret, SessionToken: cr.token}
	mustOK(t, signer.SignV4(req, sha256Hex(body), creds, service, region, at))
	return req
}

// signHW signs req with Huawei AK/SK (the v3 SDK flavour, or OTC's when otc)
// at time at.
func signHW(t *testing.T, req *http.Request, body []byte, creds signer.HuaweiCredentials, otc bool, at time.Time) *http.Request {
	t.Helper()
	sign := signer.SignHuawei
	if otc {
		sign = signer.SignOTC
	}
	mustOK(t, sign(req, sha256Hex(body), creds, at))
	return req
}

// response is what a test reads back from the emulator.
type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, srv *Server, req *http.Request) response {
	t.Helper()
	resp, err := srv.Client().Do(req)
	mustOK(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	mustOK(t, err)
	return response{resp.StatusCode, resp.Header, b}
}

// jsonBody decodes the body into a generic value, keeping numbers as
// json.Number so their written form can be checked.
func (r response) jsonBody(t *testing.T) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(r.body))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("status %d: body %q is not a JSON object: %v", r.status, r.body, err)
	}
	return m
}

// hwCredsFor returns the signing credentials for a Huawei-style key.
func hwCredsFor(ak string) signer.HuaweiCredentials {
	switch ak {
	case HuaweiTempAK:
		return signer.HuaweiCredentials{AccessKey: ak, SecretKey: HuaweiTempSK, SecurityToken: HuaweiSecurityToken}
	case HuaweiNoPermAK:
		return signer.HuaweiCredentials{AccessKey: ak, SecretKey: HuaweiNoPermSK}
	case OTCAK:
		return signer.HuaweiCredentials{AccessKey: ak, SecretKey: OTCSK}
	}
	return signer.HuaweiCredentials{AccessKey: HuaweiAK, SecretKey: HuaweiSK}
}

// signerCreds returns credentials for a global (domain-level) request.
func signerCreds(ak, sk, domainID string) signer.HuaweiCredentials {
	return signer.HuaweiCredentials{AccessKey: ak, SecretKey: sk, DomainID: domainID}
}
