package sdkcompare

import (
	"context"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	hwauth "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	hwsigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	hwconfig "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	hwrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	hwdns "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2"
	hwdnsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/model"
	hwic "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenter/v1"
	hwicmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenter/v1/model"

	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
)

// The Huawei operation comparisons: both clients send their request to an
// in-memory recorder. The method, the path and the body (as JSON values)
// must agree, and the SDK's own signer, run over detach's request (the
// headers detach signed, its X-Sdk-Date, its path and body), must produce
// detach's Authorization. The same recomputation over the SDK's request
// must reproduce the SDK's Authorization, which proves the check.
//
// The requests differ in headers, by design, and the test asserts exactly
// how (see headerDiff): the API gateway verifies the SignedHeaders
// list the client declares, so signing host instead of user-agent, or not
// sending Content-Type on a DELETE, verifies the same.

const hwEndpoint = "https://sdkcompare.myhuaweicloud.example"

var hwSignTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// hwCreds returns the fake credentials of input i; every other one is a
// temporary key with a security token.
func hwCreds(i int) signer.HuaweiCredentials {
	c := signer.HuaweiCredentials{
		AccessKey: fmt.Sprintf("HPUAEXAMPLE%09d", i),
		SecretKey: fmt.Sprintf("SKEXAMPLE%031d", i),
	}
	if i%2 == 1 {
		c.SecurityToken = fmt.Sprintf("gQpjbi1ub3J0aC00EXAMPLE+/token%d==", i)
	}
	return c
}

// hwPathIDs are path IDs valid for both clients: plain IDs in the services'
// formats, reserved and odd characters, escapes that must stay escapes,
// unicode. The sub-delimiters and '/' are where the wire paths differ; see
// hwPathDifference.
var hwPathIDs = []string{
	"ff8080825b8fc86c015b94bc6f8712c3", "2c9eb155587194ec01587224c9f90149", "x", "a b", "a+b", "ü", "日本語", "😀",
	"a%2Fb", "100%", "a?b#c", "~._-", `a\b`, `"q"`, "[]{}|^`<>", "...", "a..b", "Ω≈ç√", strings.Repeat("z", 128),
	"a:b@c", "a;b=c&d", "!$'()*,", "a/b",
}

// hwPathDifference classifies how detach's wire path differs from the
// SDK's, or reports an unexplained difference. detach escapes every byte
// outside A-Z a-z 0-9 - . _ ~, as the gateway's signer does; the SDK puts
// the raw ID in URL.Path and net/url escapes it, leaving the
// sub-delimiters !$&'()*+,;=:@ literal. Both decode to the same path, which
// is what the gateway signs and routes on. An ID with '/' is the exception:
// the SDK sends the '/' literally, so its request names a different path
// (more segments); detach sends %2F.
func hwPathDifference(ours, sdk string, ids []string) (string, error) {
	if ours == sdk {
		return "", nil
	}
	od, err1 := url.PathUnescape(ours)
	sd, err2 := url.PathUnescape(sdk)
	if err1 != nil || err2 != nil || od != sd {
		return "", fmt.Errorf("paths differ after decoding: detach %q, SDK %q", ours, sdk)
	}
	for _, id := range ids {
		if strings.Contains(id, "/") {
			return "SDK sends '/' of an ID unescaped", nil
		}
	}
	if (&url.URL{Path: od}).EscapedPath() == sdk {
		return "net/url leaves sub-delimiters unescaped", nil
	}
	return "", fmt.Errorf("paths differ in escaping beyond sub-delimiters: detach %q, SDK %q", ours, sdk)
}

// signedHeadersOf returns the SignedHeaders list of an SDK-HMAC-SHA256
// Authorization value.
func signedHeadersOf(auth string) []string {
	_, rest, _ := strings.Cut(auth, "SignedHeaders=")
	list, _, _ := strings.Cut(rest, ",")
	return strings.Split(list, ";")
}

// recomputeHuawei runs huaweicloud-sdk-go-v3's SDK-HMAC-SHA256 signer over
// a captured request: its method, decoded path, exactly the headers its
// Authorization lists (with their values as sent, and X-Sdk-Date among
// them, so the time is the request's own), and its body bytes. It returns
// the Authorization the SDK computes.
func recomputeHuawei(c captured, creds signer.HuaweiCredentials) (string, error) {
	path, err := url.PathUnescape(c.Path)
	if err != nil {
		return "", err
	}
	b := hwrequest.NewHttpRequestBuilder().
		WithEndpoint("https://" + c.Host).
		WithPath(path).
		WithMethod(c.Method).
		WithSigningAlgorithm(algorithm.HmacSHA256)
	signed := signedHeadersOf(c.Header.Get("Authorization"))
	if !slices.Contains(signed, "x-sdk-date") {
		return "", fmt.Errorf("x-sdk-date is not signed: %v", signed)
	}
	for _, name := range signed {
		if name == "host" {
			b.AddHeaderParam("Host", c.Host)
			continue
		}
		b.AddHeaderParam(textproto.CanonicalMIMEHeaderKey(name), strings.Join(c.Header.Values(name), ","))
	}
	if len(c.Body) > 0 {
		b.WithBody("json", string(c.Body))
	}
	h, err := hwsigner.Signer{}.Sign(b.Build(), creds.AccessKey, creds.SecretKey)
	if err != nil {
		return "", err
	}
	return h["Authorization"], nil
}

// headerDiff lists, by lower-case name, the headers only one side sends
// and how the signed lists differ (from the Authorization's SignedHeaders,
// SigV4 and SDK-HMAC-SHA256 alike), for the tests to assert.
type headerDiff struct {
	OnlyDetach, OnlySDK             []string
	SignedOnlyDetach, SignedOnlySDK []string
}

func headerDifferences(ours, sdk captured) headerDiff {
	names := func(h http.Header) []string {
		var out []string
		for k := range h {
			out = append(out, strings.ToLower(k))
		}
		slices.Sort(out)
		return out
	}
	minus := func(a, b []string) []string {
		var out []string
		for _, x := range a {
			if !slices.Contains(b, x) {
				out = append(out, x)
			}
		}
		return out
	}
	on, sn := names(ours.Header), names(sdk.Header)
	os, ss := signedHeadersOf(ours.Header.Get("Authorization")), signedHeadersOf(sdk.Header.Get("Authorization"))
	return headerDiff{minus(on, sn), minus(sn, on), minus(os, ss), minus(ss, os)}
}

// compareHuaweiRequests checks one input's pair of requests; wantDiff is
// the header difference the operation is expected to show.
func compareHuaweiRequests(t *testing.T, name string, ours, sdk captured, creds signer.HuaweiCredentials, ids []string,
	wantDiff headerDiff, pathDiffs map[string]int) {
	t.Helper()
	if ours.Method != sdk.Method {
		t.Errorf("%s: method detach %q, SDK %q", name, ours.Method, sdk.Method)
	}
	class, err := hwPathDifference(ours.Path, sdk.Path, ids)
	if err != nil {
		t.Errorf("%s: %v", name, err)
	}
	if class != "" {
		pathDiffs[class]++
	}
	if d := jsonDiff(sdk.Body, ours.Body); d != "" {
		t.Errorf("%s: body differs (-SDK +detach):\n%s\nSDK:    %q\ndetach: %q", name, d, sdk.Body, ours.Body)
	}
	if got, want := ours.Header.Get("X-Sdk-Date"), hwSignTime.Format("20060102T150405Z"); got != want {
		t.Errorf("%s: detach's X-Sdk-Date %q, want %q (Options.Now)", name, got, want)
	}
	for _, h := range []string{"X-Security-Token", "X-Project-Id", "X-Domain-Id"} {
		if o, s := ours.Header.Get(h), sdk.Header.Get(h); o != s {
			t.Errorf("%s: %s detach %q, SDK %q", name, h, o, s)
		}
	}
	if want, err := recomputeHuawei(ours, creds); err != nil || want != ours.Header.Get("Authorization") {
		t.Errorf("%s: the SDK's signer over detach's request gives %q (err %v), detach sent %q", name, want, err, ours.Header.Get("Authorization"))
	}
	if want, err := recomputeHuawei(sdk, creds); err != nil || want != sdk.Header.Get("Authorization") {
		t.Errorf("%s: recomputing the SDK's own request gives %q (err %v), it sent %q: the check is wrong", name, want, err, sdk.Header.Get("Authorization"))
	}
	if d := gocmp.Diff(wantDiff, headerDifferences(ours, sdk)); d != "" {
		t.Errorf("%s: header differences (-want +got):\n%s", name, d)
	}
}

func hwSDKConfig(rec *recorder) *hwconfig.HttpConfig {
	return hwconfig.DefaultHttpConfig().WithHttpRoundTripper(rec)
}

type dnsInput = privatedns.DisassociateRouterInput

func dnsInputs() []dnsInput {
	regions := []string{"", "cn-north-4", "ap-southeast-1", "eu-de", "la-south-2", "ü-region"}
	routers := []string{"f8a2b3c4-5d6e-4f70-8a9b-0c1d2e3f4a5b", "vpc ü", "r/1", `r"q"`, "<r&1>", "😀"}
	var ins []dnsInput
	for i, id := range hwPathIDs {
		ins = append(ins, dnsInput{ZoneID: id, RouterID: routers[i%len(routers)], RouterRegion: regions[i%len(regions)]})
	}
	return ins
}

// TestPrivateDNSRequestsMatchSDK compares DisassociateRouter requests with
// those of huaweicloud-sdk-go-v3's DnsClient.DisassociateRouter.
//
// Header differences, asserted: detach signs host, the SDK signs
// user-agent (both send a User-Agent of their own); both send
// Content-Type: application/json without signing it.
func TestPrivateDNSRequestsMatchSDK(t *testing.T) {
	t.Parallel()
	ok := always(cannedResponse{status: 202, header: map[string]string{"Content-Type": "application/json", "X-Request-Id": "rid"},
		body: `{"router_id":"r","router_region":"cn-north-4","status":"PENDING_DELETE"}`})
	pathDiffs := map[string]int{}
	for i, in := range dnsInputs() {
		creds := hwCreds(i)
		projectID := fmt.Sprintf("%032x", i+1)
		ourRec, sdkRec := &recorder{respond: ok}, &recorder{respond: ok}

		o := privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: "cn-north-4", Endpoint: hwEndpoint,
			Credentials: signer.StaticHuaweiCredentials(creds), ProjectID: projectID}
		o.HTTPClient = ourRec
		o.Now = func() time.Time { return hwSignTime }
		ours, err := privatedns.New(o)
		if err != nil {
			t.Fatalf("privatedns.New: %v", err)
		}
		if _, err := ours.DisassociateRouter(context.Background(), &in); err != nil {
			t.Errorf("input %d: detach: %v", i, err)
			continue
		}

		hc, err := hwdns.DnsClientBuilder().WithEndpoints([]string{hwEndpoint}).WithHttpConfig(hwSDKConfig(sdkRec)).
			WithCredential(&hwauth.BasicCredentials{
				BaseCredentials: hwauth.BaseCredentials{AK: creds.AccessKey, SK: creds.SecretKey, SecurityToken: creds.SecurityToken},
				ProjectId:       projectID,
			}).SafeBuild()
		if err != nil {
			t.Fatalf("SDK client: %v", err)
		}
		router := &hwdnsmodel.Router{RouterId: in.RouterID}
		if in.RouterRegion != "" {
			router.RouterRegion = &in.RouterRegion
		}
		if _, err := hwdns.NewDnsClient(hc).DisassociateRouter(&hwdnsmodel.DisassociateRouterRequest{
			ZoneId: in.ZoneID, Body: &hwdnsmodel.DisassociaterouterRequestBody{Router: router},
		}); err != nil {
			t.Errorf("input %d: SDK: %v", i, err)
			continue
		}
		want := headerDiff{SignedOnlyDetach: []string{"host"}, SignedOnlySDK: []string{"user-agent"}}
		compareHuaweiRequests(t, fmt.Sprintf("input %d %+q", i, in), ourRec.requests()[0], sdkRec.requests()[0], creds,
			[]string{in.ZoneID}, want, pathDiffs)
	}
	t.Logf("privatedns DisassociateRouter: %d inputs compared; named path differences: %v", len(dnsInputs()), pathDiffs)
}

type icInput = identitycenter.DeleteProfileInput

// icInputs: InstanceID is exactly 20 characters and ApplicationInstanceID
// starts with "app-ins-" (detach checks both documented rules; the SDK
// checks neither, so other inputs are not compared).
func icInputs() []icInput {
	var ins []icInput
	for i, id := range hwPathIDs {
		inst := []rune("ins-" + strings.Repeat("0", 16))
		for j, r := range []rune(id) {
			if 4+j < len(inst) {
				inst[4+j] = r
			}
		}
		ins = append(ins, icInput{
			InstanceID:            string(inst),
			ApplicationInstanceID: "app-ins-" + hwPathIDs[(i+5)%len(hwPathIDs)],
			ProfileID:             id,
		})
	}
	return ins
}

// TestIdentityCenterRequestsMatchSDK compares DeleteProfile requests with
// those of huaweicloud-sdk-go-v3's IdentityCenterClient.DeleteProfile.
//
// Header differences, asserted: detach signs host, the SDK signs
// user-agent; the SDK sends Content-Type: application/json on this
// body-less DELETE (unsigned), detach sends no Content-Type.
func TestIdentityCenterRequestsMatchSDK(t *testing.T) {
	t.Parallel()
	ok := always(cannedResponse{status: 200, header: map[string]string{"X-Request-Id": "rid"}})
	pathDiffs := map[string]int{}
	for i, in := range icInputs() {
		creds := hwCreds(i)
		domainID := fmt.Sprintf("%032x", 1000+i)
		ourRec, sdkRec := &recorder{respond: ok}, &recorder{respond: ok}

		o := identitycenter.Options{Endpoint: hwEndpoint, Credentials: signer.StaticHuaweiCredentials(creds), DomainID: domainID}
		o.HTTPClient = ourRec
		o.Now = func() time.Time { return hwSignTime }
		ours, err := identitycenter.New(o)
		if err != nil {
			t.Fatalf("identitycenter.New: %v", err)
		}
		if _, err := ours.DeleteProfile(context.Background(), &in); err != nil {
			t.Errorf("input %d: detach: %v", i, err)
			continue
		}

		hc, err := hwic.IdentityCenterClientBuilder().WithEndpoints([]string{hwEndpoint}).WithHttpConfig(hwSDKConfig(sdkRec)).
			WithCredential(&hwauth.GlobalCredentials{
				BaseCredentials: hwauth.BaseCredentials{AK: creds.AccessKey, SK: creds.SecretKey, SecurityToken: creds.SecurityToken},
				DomainId:        domainID,
			}).SafeBuild()
		if err != nil {
			t.Fatalf("SDK client: %v", err)
		}
		if _, err := hwic.NewIdentityCenterClient(hc).DeleteProfile(&hwicmodel.DeleteProfileRequest{
			InstanceId: in.InstanceID, ApplicationInstanceId: in.ApplicationInstanceID, ProfileId: in.ProfileID,
		}); err != nil {
			t.Errorf("input %d: SDK: %v", i, err)
			continue
		}
		want := headerDiff{OnlySDK: []string{"content-type"}, SignedOnlyDetach: []string{"host"}, SignedOnlySDK: []string{"user-agent"}}
		compareHuaweiRequests(t, fmt.Sprintf("input %d %+q", i, in), ourRec.requests()[0], sdkRec.requests()[0], creds,
			[]string{in.InstanceID, in.ApplicationInstanceID, in.ProfileID}, want, pathDiffs)
	}
	t.Logf("identitycenter DeleteProfile: %d inputs compared; named path differences: %v", len(icInputs()), pathDiffs)
}
