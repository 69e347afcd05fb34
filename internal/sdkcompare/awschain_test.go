package sdkcompare

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	"github.com/aws/aws-sdk-go-v2/service/route53profiles"
	gocmp "github.com/google/go-cmp/cmp"

	detachcp "github.com/detach-go/detach/customerprofiles"
	detachr53 "github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/awscreds"
	"github.com/detach-go/detach/transport"
)

// chainDoer is detach's HTTP client in the shared config scenarios: the
// SDK's recorder for every fake host, and a real request for the local
// container endpoint, which the SDK's container client reaches that way.
type chainDoer struct {
	rec       *cfgWire
	container string // host:port of the container server
}

func (d chainDoer) Do(req *http.Request) (*http.Response, error) {
	if req.URL.Host == d.container {
		return http.DefaultClient.Do(req)
	}
	resp, err := d.rec.Do(req)
	if err == nil && resp.ContentLength == 0 {
		// The recorder builds responses without a length, which a real
		// client would report as unknown (-1), not empty.
		resp.ContentLength = -1
	}
	return resp, err
}

// cfgDetachChain runs awscreds.NewDefaultChain over the scenario's
// environment (the process's, set by the caller) with the recorder as
// its HTTP client. newErr is set when the chain cannot be built.
func cfgDetachChain(t *testing.T, sc cfgScenario, rec *cfgWire, containerURL string) (creds signer.AWSCredentials, events, wire []string, newErr, err error) {
	t.Helper()
	u, _ := url.Parse(containerURL)
	p, newErr := awscreds.NewDefaultChain(awscreds.DefaultChainOptions{
		Config:   signer.AWSConfigSource{Profile: sc.profile},
		Settings: transport.Settings{HTTPClient: chainDoer{rec: rec, container: u.Host}, Retry: transport.RetryPolicy{MaxAttempts: 1}},
		// aws login profiles are read only with this option (a deliberate
		// difference, for its 135 KB of ECDSA signing); with it the chain
		// must agree with the SDK's.
		Login: awscreds.LoginSource,
	})
	if newErr != nil {
		return creds, nil, nil, newErr, newErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rec.rec.take()
	rec.take()
	creds, err = p.RetrieveAWS(ctx)
	return creds, rec.rec.take(), rec.take(), nil, err
}

// cfgSourceName is a credentials Source without the SDK's ": <file>" tail.
func cfgSourceName(s string) string {
	name, _, _ := strings.Cut(s, ":")
	return name
}

// cfgCompareChain compares detach's default chain with the SDK's
// retrieval: both fail, or the same source, keys and requests.
func cfgCompareChain(t *testing.T, sc cfgScenario, rec *cfgWire, containerURL string, sCreds aws.Credentials, sErr error, sEvents, sWire []string) {
	t.Helper()
	dCreds, dEvents, dWire, _, dErr := cfgDetachChain(t, sc, rec, containerURL)
	if (sErr != nil) != (dErr != nil) {
		t.Fatalf("chain: SDK error %v; detach error %v", sErr, dErr)
	}
	if sErr != nil {
		return
	}
	type outcome struct {
		Source            string
		Events, Wire      []string
		AK, Secret, Token string
	}
	sdk := outcome{cfgSourceName(sCreds.Source), sEvents, sWire, sCreds.AccessKeyID, sCreds.SecretAccessKey, sCreds.SessionToken}
	ours := outcome{cfgSourceName(dCreds.Source), dEvents, dWire, dCreds.AccessKeyID, dCreds.SecretAccessKey, dCreds.SessionToken}
	if diff := gocmp.Diff(sdk, ours); diff != "" {
		t.Errorf("default chain (-SDK +detach):\n%s", diff)
	}
}

// cfgCompareEndpoints compares the region and the endpoint each service
// client resolves: the SDK's endpoint rules against detach's New with
// only SharedConfig set (the environment set by the caller).
func cfgCompareEndpoints(t *testing.T, cfg aws.Config) {
	t.Helper()
	ctx := context.Background()
	var sdk, ours []resolved

	r53 := route53profiles.NewFromConfig(cfg).Options()
	ep, err := r53.EndpointResolverV2.ResolveEndpoint(ctx, route53profiles.EndpointParameters{Region: aws.String(cfg.Region),
		UseFIPS:      aws.Bool(r53.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack: aws.Bool(r53.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled), Endpoint: r53.BaseEndpoint})
	sdk = append(sdk, cfgResolved(cfg.Region, ep.URI.String(), err))
	cp := customerprofiles.NewFromConfig(cfg).Options()
	ep, err = cp.EndpointResolverV2.ResolveEndpoint(ctx, customerprofiles.EndpointParameters{Region: aws.String(cfg.Region),
		UseFIPS:      aws.Bool(cp.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack: aws.Bool(cp.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled), Endpoint: cp.BaseEndpoint})
	sdk = append(sdk, cfgResolved(cfg.Region, ep.URI.String(), err))

	static := signer.StaticAWSCredentials("AKID", "secret", "")
	// detach reads the shared configuration when asked, as the SDK does in
	// config.LoadDefaultConfig: the same process environment and files.
	shared, loadErr := signer.LoadAWSConfig(signer.AWSConfigSource{})
	if loadErr != nil {
		ours = append(ours, resolved{cfg.Region, "", "error"}, resolved{cfg.Region, "", "error"})
		if diff := gocmp.Diff(sdk, ours); diff != "" {
			t.Errorf("region and resolved endpoints (-SDK +detach):\n%s", diff)
		}
		return
	}
	if c, err := detachr53.New(detachr53.Options{SharedConfig: shared, Credentials: static}); err == nil {
		ours = append(ours, resolved{c.Options().Region, c.Endpoint(), ""})
	} else {
		ours = append(ours, resolved{cfg.Region, "", "error"})
	}
	if c, err := detachcp.New(detachcp.Options{SharedConfig: shared, Credentials: static}); err == nil {
		ours = append(ours, resolved{c.Options().Region, c.Endpoint(), ""})
	} else {
		ours = append(ours, resolved{cfg.Region, "", "error"})
	}
	if diff := gocmp.Diff(sdk, ours); diff != "" {
		t.Errorf("region and resolved endpoints (-SDK +detach):\n%s", diff)
	}
}

// resolved is a service client's region and endpoint, or that it cannot
// be made.
type resolved struct{ Region, Endpoint, Err string }

// cfgResolved is the SDK's outcome: without a region its operations fail
// before sending ("an AWS region is required"), although its endpoint
// rules accept the empty string; detach's New fails then.
func cfgResolved(region, endpoint string, err error) resolved {
	if err != nil || region == "" {
		return resolved{region, "", "error"}
	}
	return resolved{region, strings.TrimSuffix(endpoint, "/"), ""}
}

// cfgWire wraps the recorder and renders every request it passes on in
// full: method, path, sorted query and form fields, JSON members and the
// identity headers (the access key and region a signature names, session,
// SSO and IMDS tokens). A session name the client generated is rendered as
// <generated>; signatures themselves, which cover the SDK's extra headers,
// are not compared (sigv4_test.go compares the signer).
type cfgWire struct {
	rec   *cfgRecorder
	mu    sync.Mutex
	lines []string
}

func (w *cfgWire) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	l := w.lines
	w.lines = nil
	return l
}

func (w *cfgWire) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	var b strings.Builder
	b.WriteString(req.Method + " " + req.URL.Host + req.URL.EscapedPath())
	fields := req.URL.Query()
	if form, err := url.ParseQuery(string(body)); err == nil && strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		for k, v := range form {
			fields[k] = v
		}
	}
	var js map[string]any
	if json.Unmarshal(body, &js) == nil {
		for k, v := range js {
			fields.Set("json."+k, fmt.Sprint(v))
		}
	}
	if s := fields.Get("RoleSessionName"); strings.HasPrefix(s, "aws-go-sdk-") || fields.Get("Action") == "AssumeRoleWithWebIdentity" && s != "" && strings.Trim(s, "0123456789") == "" {
		fields.Set("RoleSessionName", "<generated>")
	}
	keys := slices.Sorted(maps.Keys(fields))
	for _, k := range keys {
		b.WriteString(" " + k + "=" + strings.Join(fields[k], ","))
	}
	if _, cred, ok := strings.Cut(req.Header.Get("Authorization"), "Credential="); ok {
		parts := strings.Split(cred, "/")
		if len(parts) > 3 {
			b.WriteString(" signed-by=" + parts[0] + " region=" + parts[2] + " service=" + parts[3])
		}
	}
	for _, h := range []string{"X-Amz-Security-Token", "X-Amz-Sso_bearer_token", "X-Aws-Ec2-Metadata-Token", "X-Aws-Ec2-Metadata-Token-Ttl-Seconds"} {
		if v := req.Header.Get(h); v != "" {
			b.WriteString(" " + h + "=" + v)
		}
	}
	w.mu.Lock()
	w.lines = append(w.lines, b.String())
	w.mu.Unlock()
	return w.rec.Do(req)
}
