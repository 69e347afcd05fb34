package sdkcompare

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	golangsdk "github.com/opentelekomcloud/gophertelekomcloud"
	"github.com/opentelekomcloud/gophertelekomcloud/openstack"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer/cloudsyaml"
	"github.com/detach-go/detach/transport"
)

// The auth-request comparison runs gophertelekomcloud v0.9.8's own client
// (openstack.NewClient and Authenticate, with the options its clouds.yaml
// loader reads) and detach's cloudsyaml.NewSources sources over the same
// clouds.yaml, secure.yaml and OS_* variables, against one emulated OTC
// IAM (internal/fakecloud, which verifies every AK/SK signature and
// records every request), and compares the requests each sends to IAM.
//
// As in cloudsyaml_test.go each side runs in a child process (this test
// binary, re-executed in the scenario's directories), one child per side,
// so that the record of one IAM holds one side's requests at a time. Both
// clients keep their auth URL (https://iam.eu-de.otc.t-systems.com/v3 and
// the like); an http.RoundTripper sends every request to the emulator,
// keeping the Host header the request was signed for, and notes the hosts
// it was meant for.
//
// The SDK's options: openstack.AuthOptionsFromInfo drops the agency
// fields and the security token, so they are copied from the loaded cloud,
// as terraform-provider-opentelekomcloud does; without that copy
// gophertelekomcloud never assumes an agency read from clouds.yaml.

const (
	authChildFlag = "SDKCOMPARE_OTCAUTH_SIDE" // "sdk" or "ours" in the child
	authAddrEnv   = "SDKCOMPARE_OTCAUTH_ADDR" // the emulator's host:port
	authMarker    = "OTCAUTH-RESULT "
)

// authChildResult is what a child prints: the hosts its requests were for,
// and its error.
type authChildResult struct {
	Hosts []string
	Err   string
}

// redirectRT sends each request to addr over HTTP, keeping its Host.
type redirectRT struct {
	addr  string
	mu    *sync.Mutex
	hosts *[]string
}

func (r redirectRT) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	if out.Host == "" {
		out.Host = req.URL.Host
	}
	r.mu.Lock()
	if h := req.URL.Scheme + "://" + req.URL.Host; !slices.Contains(*r.hosts, h) {
		*r.hosts = append(*r.hosts, h)
	}
	r.mu.Unlock()
	out.URL.Scheme, out.URL.Host = "http", r.addr
	return http.DefaultTransport.RoundTrip(out)
}

// sdkAuthenticate authenticates as a gophertelekomcloud program does.
func sdkAuthenticate(name []string, rt http.RoundTripper) error {
	cloud, err := openstack.NewEnv("OS_").Cloud(name...)
	if err != nil {
		return err
	}
	info := cloud.AuthInfo
	opts, err := openstack.AuthOptionsFromInfo(&info, cloud.AuthType)
	if err != nil {
		return err
	}
	a := cloud.AuthInfo
	switch o := opts.(type) {
	case golangsdk.AuthOptions:
		o.AgencyName, o.AgencyDomainName, o.DelegatedProject = a.AgencyName, a.AgencyDomainName, a.DelegatedProject
		opts = o
	case golangsdk.AKSKAuthOptions:
		o.AgencyName, o.AgencyDomainName, o.DelegatedProject = a.AgencyName, a.AgencyDomainName, a.DelegatedProject
		o.SecurityToken, o.Region = a.SecurityToken, cloud.RegionName
		opts = o
	}
	client, err := openstack.NewClient(opts.GetIdentityEndpoint())
	if err != nil {
		return err
	}
	client.HTTPClient = http.Client{Transport: rt, Timeout: 10 * time.Second}
	return openstack.Authenticate(client, opts)
}

// oursAuthenticate gets what detach's sources would sign with.
func oursAuthenticate(name []string, rt http.RoundTripper) error {
	opts := cloudsyaml.Options{}
	if len(name) > 0 {
		opts.Cloud = name[0]
	}
	c, err := cloudsyaml.Load(opts)
	if err != nil {
		return err
	}
	s, err := cloudsyaml.NewSources(c, transport.Settings{HTTPClient: &http.Client{Transport: rt},
		Retry: transport.RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if s.Tokens != nil {
		_, err = s.Tokens.Token(ctx)
	} else {
		_, err = s.Credentials.RetrieveHuawei(ctx)
	}
	return err
}

// TestOTCAuthChild is a child's side; it does nothing in a normal run.
func TestOTCAuthChild(t *testing.T) {
	side := os.Getenv(authChildFlag)
	if side == "" {
		t.Skip("runs only as the child of TestOTCAuthRequestsAgainstGophertelekomcloud")
	}
	var name []string
	if n := os.Getenv("SDKCOMPARE_CLOUD_ARG"); n != "" {
		name = []string{n}
	}
	var r authChildResult
	rt := redirectRT{addr: os.Getenv(authAddrEnv), mu: &sync.Mutex{}, hosts: &r.Hosts}
	func() {
		defer func() {
			if p := recover(); p != nil {
				r.Err = fmt.Sprint("panic: ", p)
			}
		}()
		var err error
		if side == "sdk" {
			err = sdkAuthenticate(name, rt)
		} else {
			err = oursAuthenticate(name, rt)
		}
		if err != nil {
			r.Err = err.Error()
		}
	}()
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("\n%s%s\n", authMarker, out)
}

// runAuthChild runs one side in work with HOME and env.
func runAuthChild(t *testing.T, side, work, home string, env map[string]string) authChildResult {
	t.Helper()
	all := map[string]string{authChildFlag: side, "HOME": home}
	for k, v := range env {
		all[k] = v
	}
	return runChildTest[authChildResult](t, side+" child", "TestOTCAuthChild", work, authMarker, all)
}

// iamCall is one request to IAM as compared: secrets that differ from run
// to run (issued tokens and keys) are replaced by what they are.
type iamCall struct {
	Method, Path, Query string
	Body                map[string]any // the JSON body; passwords are the scenario's, so kept
	AuthToken           string         // X-Auth-Token: "", "given" (the scenario's token) or "issued"
	SubjectToken        string         // X-Subject-Token, the same way
	Signer              string         // "", or whose keys signed: "caller" (the cloud's) or "issued"
	SignedHeaders       string         // the signature's SignedHeaders
	SecurityToken       bool           // X-Security-Token present
	ProjectID, DomainID string         // X-Project-Id, X-Domain-Id
}

// iamCalls turns the emulator's record into calls; given is the
// scenario's token, givenAK its temporary access key.
func iamCalls(recs []fakecloud.ServiceRequest, given, givenAK string) []iamCall {
	token := func(v string) string {
		switch v {
		case "":
			return ""
		case given:
			return "given"
		}
		return "issued"
	}
	out := []iamCall{}
	for _, r := range recs {
		c := iamCall{Method: r.Method, Path: r.Path, Query: r.Query.Encode(), Body: r.JSON,
			AuthToken: token(r.Header.Get("X-Auth-Token")), SubjectToken: token(r.Header.Get("X-Subject-Token")),
			SecurityToken: r.Header.Get("X-Security-Token") != "",
			ProjectID:     r.Header.Get("X-Project-Id"), DomainID: r.Header.Get("X-Domain-Id")}
		switch r.AccessKey {
		case "":
		case fakecloud.OTCAK, givenAK:
			c.Signer = "caller"
		default:
			c.Signer = "issued"
		}
		if _, rest, ok := strings.Cut(r.Header.Get("Authorization"), "SignedHeaders="); ok {
			c.SignedHeaders, _, _ = strings.Cut(rest, ",")
		}
		out = append(out, c)
	}
	return out
}

// normalizeSDK applies the two differences every scenario has, both
// deliberate (README.md, "Deliberate differences"), to gophertelekomcloud's
// requests, and reports whether it changed anything:
//
//   - detach never reads the service catalog (its endpoints come from the
//     region): it asks POST /v3/auth/tokens?nocatalog=true, and makes no
//     GET /v3/auth/catalog, which gophertelekomcloud makes for AK/SK;
//   - gophertelekomcloud's Pager.AllPages fetches the first page of a list
//     twice (once to learn the page type, then again from the start), so
//     each of its GET /v3/projects and /v3/auth/domains comes as two
//     identical requests in a row; detach asks once.
func normalizeSDK(calls []iamCall) ([]iamCall, bool) {
	out := []iamCall{}
	changed := false
	for i, c := range calls {
		switch {
		case c.Method == "GET" && c.Path == "/v3/auth/catalog":
			changed = true
			continue
		case c.Method == "POST" && c.Path == "/v3/auth/tokens" && c.Query == "":
			c.Query, changed = "nocatalog=true", true
		case c.Method == "GET" && (c.Path == "/v3/projects" || c.Path == "/v3/auth/domains"):
			if i > 0 && cmp.Equal(calls[i-1], c) {
				changed = true
				continue
			}
		}
		out = append(out, c)
	}
	return out, changed
}
