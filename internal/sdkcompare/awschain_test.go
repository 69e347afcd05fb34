package sdkcompare

import (
	"context"
	"net/http"
	"net/url"
	"strings"
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
	rec       *cfgRecorder
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
func cfgDetachChain(t *testing.T, sc cfgScenario, rec *cfgRecorder, containerURL string) (creds signer.AWSCredentials, events []string, newErr, err error) {
	t.Helper()
	u, _ := url.Parse(containerURL)
	p, newErr := awscreds.NewDefaultChain(awscreds.DefaultChainOptions{
		Config:   signer.AWSConfigSource{Profile: sc.profile},
		Settings: transport.Settings{HTTPClient: chainDoer{rec: rec, container: u.Host}, Retry: transport.RetryPolicy{MaxAttempts: 1}},
	})
	if newErr != nil {
		return creds, nil, newErr, newErr
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rec.take()
	creds, err = p.RetrieveAWS(ctx)
	return creds, rec.take(), nil, err
}

// cfgSourceName is a credentials Source without the SDK's ": <file>" tail.
func cfgSourceName(s string) string {
	name, _, _ := strings.Cut(s, ":")
	return name
}

// cfgCompareChain compares detach's default chain with the SDK's
// retrieval: both fail, or the same source, keys and requests.
func cfgCompareChain(t *testing.T, sc cfgScenario, rec *cfgRecorder, containerURL string, sCreds aws.Credentials, sErr error, sEvents []string) {
	t.Helper()
	dCreds, dEvents, _, dErr := cfgDetachChain(t, sc, rec, containerURL)
	if (sErr != nil) != (dErr != nil) {
		t.Fatalf("chain: SDK error %v; detach error %v", sErr, dErr)
	}
	if sErr != nil {
		return
	}
	type outcome struct {
		Source            string
		Events            []string
		AK, Secret, Token string
	}
	sdk := outcome{cfgSourceName(sCreds.Source), sEvents, sCreds.AccessKeyID, sCreds.SecretAccessKey, sCreds.SessionToken}
	ours := outcome{cfgSourceName(dCreds.Source), dEvents, dCreds.AccessKeyID, dCreds.SecretAccessKey, dCreds.SessionToken}
	if diff := gocmp.Diff(sdk, ours); diff != "" {
		t.Errorf("default chain (-SDK +detach):\n%s", diff)
	}
}

// cfgCompareEndpoints compares the region and the endpoint each service
// client resolves: the SDK's endpoint rules against detach's New with
// empty Options (the environment set by the caller).
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
	if c, err := detachr53.New(detachr53.Options{Credentials: static}); err == nil {
		ours = append(ours, resolved{c.Options().Region, c.Endpoint(), ""})
	} else {
		ours = append(ours, resolved{cfg.Region, "", "error"})
	}
	if c, err := detachcp.New(detachcp.Options{Credentials: static}); err == nil {
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
