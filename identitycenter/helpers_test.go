package identitycenter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/detach-go/detach/internal/sigverify"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// Fixtures. The secrets are distinctive so that a leak is easy to spot.
const (
	testAK            = "AKTESTIC"
	testSK            = "SK-SECRET-IC"
	testSecurityToken = "ST-SECRET-IC"
	testDomainID      = "0123456789abcdef0123456789abcdef"
	testInstanceID    = "ins-2c1e000000f3c6ab"
	testAppInstanceID = "app-ins-0123456789abcdef"
	testProfileID     = "prof-0123456789"
)

var testTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// seen is what the fake service recorded of one request.
type seen struct {
	Method, Path string
	Header       http.Header
	Body         string
	ID           sigverify.HuaweiIdentity
	VerifyErr    error
}

// fakeCloud serves Identity Center under /ic and IAM under /iam, verifying
// every signature with the test keys and the fixed clock.
type fakeCloud struct {
	*httptest.Server
	icHits, iamHits atomic.Int32

	mu       sync.Mutex
	ic, iam  []seen
	icReply  func(w http.ResponseWriter, n int32) bool
	iamReply func(w http.ResponseWriter, n int32) bool
}

func newFakeCloud(t *testing.T) *fakeCloud {
	t.Helper()
	f := &fakeCloud{}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeCloud) serve(w http.ResponseWriter, r *http.Request) {
	w.Header()["Date"] = nil // a 401 must not look like a clock skew
	body, _ := io.ReadAll(r.Body)
	sum := sha256.Sum256(body)
	secretFor := func(ak string) (string, bool) { return testSK, ak == testAK }
	id, verr := sigverify.Huawei(r, hex.EncodeToString(sum[:]), secretFor, testTime, time.Minute)
	s := seen{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: string(body), ID: id, VerifyErr: verr}
	iam := strings.HasPrefix(r.URL.Path, "/iam/")
	var n int32
	f.mu.Lock()
	reply := f.icReply
	if iam {
		n = f.iamHits.Add(1)
		f.iam = append(f.iam, s)
		reply = f.iamReply
	} else {
		n = f.icHits.Add(1)
		f.ic = append(f.ic, s)
	}
	f.mu.Unlock()
	if verr != nil {
		writeJSON(w, 401, `{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail"}`)
		return
	}
	if reply != nil && reply(w, n) {
		return
	}
	switch {
	case iam && r.Method == http.MethodGet && r.URL.Path == "/iam/v3/auth/domains":
		writeJSON(w, 200, `{"domains":[{"id":"dom-from-iam","name":"account"}]}`)
	case iam:
		writeJSON(w, 404, `{"error_code":"APIGW.0101","error_msg":"no such API"}`)
	default:
		w.Header().Set("X-Request-Id", "req-ic-1")
		w.WriteHeader(http.StatusOK)
	}
}

func (f *fakeCloud) setICReply(reply func(w http.ResponseWriter, n int32) bool) {
	f.mu.Lock()
	f.icReply = reply
	f.mu.Unlock()
}

func (f *fakeCloud) setIAMReply(reply func(w http.ResponseWriter, n int32) bool) {
	f.mu.Lock()
	f.iamReply = reply
	f.mu.Unlock()
}

func (f *fakeCloud) icSeen() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.ic...)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header()["Date"] = nil
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func testCreds() signer.HuaweiCredentials {
	return signer.HuaweiCredentials{AccessKey: testAK, SecretKey: testSK, DomainID: testDomainID}
}

// testOptions points a client at f with a fixed clock and fast retries.
func testOptions(f *fakeCloud, creds signer.HuaweiCredentials) Options {
	return Options{
		Endpoint:    f.URL + "/ic",
		IAMEndpoint: f.URL + "/iam",
		Credentials: signer.StaticHuaweiCredentials(creds),
		Settings: transport.Settings{
			Now:   func() time.Time { return testTime },
			Retry: transport.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxBackoff: time.Microsecond},
		},
	}
}

func testInput() *DeleteProfileInput {
	return &DeleteProfileInput{InstanceID: testInstanceID, ApplicationInstanceID: testAppInstanceID, ProfileID: testProfileID}
}

// assertNoSecret renders v every way a program might and fails if a secret
// shows.
func assertNoSecret(t *testing.T, v any, secrets ...string) {
	t.Helper()
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, v))
	}
	if b, err := json.Marshal(v); err == nil {
		outs = append(outs, string(b))
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("render", "v", v)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("render", "v", v)
	outs = append(outs, buf.String())
	for _, out := range outs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("rendering leaks %q: %s", s, out)
			}
		}
	}
}
