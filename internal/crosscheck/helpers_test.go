package crosscheck

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// repoRoot is the repository's root, seen from this package's directory.
const repoRoot = "../.."

// sent is one request a recorder saw.
type sent struct {
	Method, EscapedPath, RawQuery string
	Body                          []byte
}

// recorder is the clients' HTTP client: it records every request and
// answers each with what answer returns (500 with a JSON error when answer
// is nil), so that a valid input is seen to be sent and a waiter's first
// poll fails at once.
type recorder struct {
	answer func(r *http.Request) (status int, body string)

	mu   sync.Mutex
	reqs []sent
}

func (d *recorder) Do(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		_ = r.Body.Close()
	}
	d.mu.Lock()
	d.reqs = append(d.reqs, sent{Method: r.Method, EscapedPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Body: body})
	d.mu.Unlock()
	status, text := http.StatusInternalServerError, `{"message":"crosscheck answers every request so","code":"Crosscheck"}`
	if d.answer != nil {
		status, text = d.answer(r)
	}
	return &http.Response{
		StatusCode: status, Status: http.StatusText(status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader([]byte(text))),
		ContentLength: int64(len(text)), Request: r,
	}, nil
}

// requests returns what the recorder saw and forgets it.
func (d *recorder) requests() []sent {
	d.mu.Lock()
	defer d.mu.Unlock()
	r := d.reqs
	d.reqs = nil
	return r
}

// clients are one client of each package, all sending through one recorder
// with retries off, so that one answer is one attempt.
type clients struct {
	rec *recorder
	r53 *route53profiles.Client
	cp  *customerprofiles.Client
	ic  *identitycenter.Client
	dns *privatedns.Client
}

func newClients(t *testing.T, answer func(*http.Request) (int, string)) *clients {
	t.Helper()
	rec := &recorder{answer: answer}
	s := transport.Settings{HTTPClient: rec, Retry: transport.RetryPolicy{MaxAttempts: 1}}
	aws := signer.StaticAWSCredentials("AKIDCROSSCHECK", "crosscheck-secret", "")
	hw := signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: "AKCROSSCHECK", SecretKey: "crosscheck-secret"})
	c := &clients{rec: rec}
	var err error
	must := func(what string) {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	c.r53, err = route53profiles.New(route53profiles.Options{Region: "us-east-1", Credentials: aws,
		Endpoint: "https://route53profiles.example.test", Settings: s})
	must("route53profiles.New")
	c.cp, err = customerprofiles.New(customerprofiles.Options{Region: "us-east-1", Credentials: aws,
		Endpoint: "https://profile.example.test", Settings: s})
	must("customerprofiles.New")
	c.ic, err = identitycenter.New(identitycenter.Options{Credentials: hw, DomainID: "0123456789abcdef0123456789abcdef",
		Endpoint: "https://identitycenter.example.test", Settings: s})
	must("identitycenter.New")
	c.dns, err = privatedns.New(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: "cn-north-4",
		ProjectID: "0123456789abcdef0123456789abcdef", TokenSource: signer.StaticToken("crosscheck-token"),
		Endpoint: "https://dns.example.test", Settings: s})
	must("privatedns.New")
	return c
}

// ctx is the context of every call: the calls end at their first answer.
var ctx = context.Background()
