package sdkcompare

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	hwauth "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/provider"
	hwconfig "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/impl"
	hwdns "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2"
	hwdnsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/model"

	"github.com/detach-go/detach/internal/fakecloud"
)

// These tests run huaweicloud-sdk-go-v3 v0.1.207's own credential providers
// against the emulator's Huawei credential services and check that the SDK
// ends up with the keys the emulator issued, sending the requests the
// emulator records. The emulator runs on the real clock: the SDK signs
// with time.Now and decides on refreshes with it.
//
// How each source reaches a local server:
//   - ECS metadata: the SDK's address is a variable of an internal package
//     (core/auth/internal MetadataEndpoint, http://169.254.169.254) that
//     no setting changes, and its client is an http.Client with no
//     Transport; the tests swap http.DefaultTransport for one that dials
//     the emulator for 169.254.169.254:80.
//   - Pod identity: HC_CONTAINER_CREDENTIALS_FULL_URI, any URL.
//   - IAM: HUAWEICLOUD_SDK_IAM_ENDPOINT gets "https://" put before it
//     unless it starts so (internal/iam_helper.go GetIamEndpoint), so the
//     emulator's IAM runs over TLS and the SDK's client skips verification;
//     a profile's iam_endpoint is used as written, http included.

// hwCredentialOf returns the AK, SK and security token an SDK credential
// holds.
func hwCredentialOf(t *testing.T, c hwauth.ICredential) [3]string {
	t.Helper()
	switch c := c.(type) {
	case *hwauth.BasicCredentials:
		return [3]string{c.AK, c.SK, c.SecurityToken}
	case *hwauth.GlobalCredentials:
		return [3]string{c.AK, c.SK, c.SecurityToken}
	}
	t.Fatalf("credentials of type %T", c)
	return [3]string{}
}

// lastIssued returns the last key the emulator issued, in the same form.
func lastIssued(t *testing.T, c *fakecloud.Cloud) [3]string {
	t.Helper()
	issued := c.IssuedHuaweiCredentials()
	if len(issued) == 0 {
		t.Fatal("the emulator issued no key")
	}
	last := issued[len(issued)-1]
	return [3]string{last.AccessKey, last.SecretKey, last.SecurityToken}
}

// redirectMetadata makes http.DefaultTransport dial addr for the ECS
// metadata address, until the test ends. The tests that call it are not
// parallel, and parallel tests do not run while they do.
func redirectMetadata(t *testing.T, addr string) {
	orig := http.DefaultTransport
	tr := metadataDialer(addr)
	http.DefaultTransport = tr
	t.Cleanup(func() {
		http.DefaultTransport = orig
		tr.CloseIdleConnections()
	})
}

// metadataDialer returns a clone of http.DefaultTransport, without proxy,
// that dials addr for the ECS metadata address 169.254.169.254:80.
func metadataDialer(addr string) *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	var d net.Dialer
	tr.DialContext = func(ctx context.Context, network, a string) (net.Conn, error) {
		if a == "169.254.169.254:80" {
			a = addr
		}
		return d.DialContext(ctx, network, a)
	}
	return tr
}

// opsOf lists the operations of the recorded requests.
func opsOf(recs []fakecloud.ServiceRequest) []string {
	var ops []string
	for _, r := range recs {
		ops = append(ops, r.Op)
	}
	return ops
}

func TestHuaweiSDKMetadataProvider(t *testing.T) {
	c := fakecloud.New()
	srv := c.StartAt(fakecloud.HuaweiMetadata)
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	redirectMetadata(t, u.Host)

	tests := []struct {
		name     string
		typ      string
		cfg      fakecloud.ECSMetadataConfig
		ops      []string
		withTok  bool   // the key was read with the session token
		errorHas string // the SDK fails, saying this
	}{
		{"session token", "basic", fakecloud.ECSMetadataConfig{},
			[]string{fakecloud.OpMetadataGetToken, fakecloud.OpMetadataGetSecurityKey}, true, ""},
		{"global credentials", "global", fakecloud.ECSMetadataConfig{},
			[]string{fakecloud.OpMetadataGetToken, fakecloud.OpMetadataGetSecurityKey}, true, ""},
		{"no token API", "basic", fakecloud.ECSMetadataConfig{NoTokenAPI: true},
			[]string{fakecloud.OpMetadataGetToken, fakecloud.OpMetadataGetSecurityKey}, false, ""},
		{"no agency", "basic", fakecloud.ECSMetadataConfig{NoAgency: true},
			[]string{fakecloud.OpMetadataGetToken, fakecloud.OpMetadataGetSecurityKey}, true, "Please configure Cloud Service Agency first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.Reset()
			c.SetECSMetadata(tt.cfg)
			cred, err := provider.NewMetadataCredentialProvider(tt.typ).GetCredentials()
			if tt.errorHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errorHas) {
					t.Errorf("err = %v, want one saying %q", err, tt.errorHas)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(lastIssued(t, c), hwCredentialOf(t, cred)); diff != "" {
					t.Errorf("credentials (-issued +SDK):\n%s", diff)
				}
			}
			recs := c.ServiceRequests()
			if diff := gocmp.Diff(tt.ops, opsOf(recs)); diff != "" {
				t.Fatalf("requests (-want +got):\n%s", diff)
			}
			if got := recs[0].Header.Get("X-Metadata-Token-Ttl-Seconds"); got != "21600" {
				t.Errorf("token TTL asked = %q, want 21600", got)
			}
			if got := recs[1].Header.Get("X-Metadata-Token") != ""; got != tt.withTok {
				t.Errorf("key read with a session token: %t, want %t", got, tt.withTok)
			}
		})
	}

	// A service that refuses reads without a token, behind a token API that
	// says 404: the SDK retries the token once, fails, and reports it.
	c.Reset()
	c.SetECSMetadata(fakecloud.ECSMetadataConfig{NoTokenAPI: true, RequireToken: true})
	if _, err := provider.NewMetadataCredentialProvider("basic").GetCredentials(); err == nil {
		t.Error("the SDK got keys from a service that demands a token it cannot give")
	}
	want := []string{fakecloud.OpMetadataGetToken, fakecloud.OpMetadataGetSecurityKey, fakecloud.OpMetadataGetToken}
	if diff := gocmp.Diff(want, opsOf(c.ServiceRequests())); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// tempFile writes content to a new file in a temporary directory.
func tempFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHuaweiSDKPodIdentityProvider(t *testing.T) {
	c := fakecloud.New()
	srv := c.Start()
	t.Cleanup(srv.Close)
	t.Setenv("HC_CONTAINER_CREDENTIALS_FULL_URI", srv.Endpoint(fakecloud.HuaweiPodIdentity)+fakecloud.PodIdentityPath)
	t.Setenv("HC_CONTAINER_AUTHORIZATION_TOKEN_FILE", tempFile(t, "token", fakecloud.PodIdentityToken+"\n"))

	for _, typ := range []string{"basic", "global"} {
		c.Reset()
		cred, err := provider.NewPodIdentityCredentialProvider(typ).GetCredentials()
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if diff := gocmp.Diff(lastIssued(t, c), hwCredentialOf(t, cred)); diff != "" {
			t.Errorf("%s: credentials (-issued +SDK):\n%s", typ, diff)
		}
		recs := c.ServiceRequests()
		want := []fakecloud.ServiceRequest{{
			Service: fakecloud.HuaweiPodIdentity, Op: fakecloud.OpPodIdentityGetCredentials, Method: http.MethodPost,
			Path: fakecloud.PodIdentityPath, Query: url.Values{},
			Header: http.Header{"Authorization": {fakecloud.PodIdentityToken}, "Content-Type": {"application/json; charset=utf-8"}},
			JSON:   map[string]any{},
		}}
		if diff := gocmp.Diff(want, recs, gocmpIgnoreTime); diff != "" {
			t.Errorf("%s: requests (-want +got):\n%s", typ, diff)
		}
	}

	c.SetPodIdentity(fakecloud.PodIdentityConfig{Token: "another"})
	if _, err := provider.NewPodIdentityCredentialProvider("basic").GetCredentials(); err == nil ||
		!strings.Contains(err.Error(), "the service account token is not valid") {
		t.Errorf("refused token: err = %v", err)
	}
}

// gocmpIgnoreTime leaves out the arrival time of recorded requests.
var gocmpIgnoreTime = gocmp.FilterPath(func(p gocmp.Path) bool {
	return p.Last().String() == ".Time"
}, gocmp.Ignore())

// The environment provider with federation (HUAWEICLOUD_SDK_IDP_ID and
// HUAWEICLOUD_SDK_ID_TOKEN_FILE) behind the SDK's own DNS client: the first
// call federates, gets keys and signs with them, all against the emulator.
func TestHuaweiSDKEnvFederation(t *testing.T) {
	c := fakecloud.New()
	iam := c.StartTLSAt(fakecloud.HuaweiIAM)
	t.Cleanup(iam.Close)
	dns := c.StartAt(fakecloud.HuaweiDNS)
	t.Cleanup(dns.Close)
	t.Setenv("HUAWEICLOUD_SDK_IAM_ENDPOINT", strings.TrimPrefix(iam.URL, "https://"))
	t.Setenv("HUAWEICLOUD_SDK_IDP_ID", fakecloud.HuaweiIdPID)
	t.Setenv("HUAWEICLOUD_SDK_ID_TOKEN_FILE", tempFile(t, "id_token", fakecloud.IDTokenValue+"\n"))
	t.Setenv("HUAWEICLOUD_SDK_PROJECT_ID", fakecloud.HuaweiProjectID)
	for _, name := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN"} {
		t.Setenv(name, "")
	}

	cred, err := provider.NewEnvCredentialProvider("basic").GetCredentials()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := hwdns.DnsClientBuilder().WithEndpoints([]string{dns.URL}).WithCredential(cred).
		WithHttpConfig(hwconfig.DefaultHttpConfig().WithIgnoreSSLVerification(true)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hwdns.NewDnsClient(hc).ShowPrivateZone(&hwdnsmodel.ShowPrivateZoneRequest{ZoneId: fakecloud.HuaweiZoneID}); err != nil {
		t.Fatalf("ShowPrivateZone: %v", err)
	}
	issued := lastIssued(t, c)
	if diff := gocmp.Diff(issued, hwCredentialOf(t, cred)); diff != "" {
		t.Errorf("credentials (-issued +SDK):\n%s", diff)
	}

	recs := c.ServiceRequests()
	want := []string{fakecloud.OpCreateTokenWithIDToken, fakecloud.OpCreateTemporaryAccessKey, fakecloud.OpShowPrivateZone}
	if diff := gocmp.Diff(want, opsOf(recs)); diff != "" {
		t.Fatalf("requests (-want +got):\n%s", diff)
	}
	fed, keys, show := recs[0], recs[1], recs[2]
	wantFed := fakecloud.ServiceRequest{
		Service: fakecloud.HuaweiIAM, Op: fakecloud.OpCreateTokenWithIDToken, Method: http.MethodPost,
		Path: "/v3.0/OS-AUTH/id-token/tokens", Query: url.Values{},
		Header: http.Header{"X-Idp-Id": {fakecloud.HuaweiIdPID}, "Content-Type": {"application/json;charset=UTF-8"}},
		JSON:   map[string]any{"auth": map[string]any{"id_token": map[string]any{"id": fakecloud.IDTokenValue}}},
	}
	if diff := gocmp.Diff(wantFed, fed, gocmpIgnoreTime); diff != "" {
		t.Errorf("federation request (-want +got):\n%s", diff)
	}
	identity, _ := keys.JSON["auth"].(map[string]any)["identity"].(map[string]any)
	if diff := gocmp.Diff([]any{"token"}, identity["methods"]); diff != "" || keys.Header.Get("X-Auth-Token") != "" {
		t.Errorf("securitytokens request: methods (-want +got):\n%s X-Auth-Token sent: %t", diff, keys.Header.Get("X-Auth-Token") != "")
	}
	if got := identity["token"].(map[string]any)["duration_seconds"]; got != float64(21600) {
		t.Errorf("duration_seconds = %v, want 21600", got)
	}
	if show.AccessKey != issued[0] || show.Header.Get("X-Security-Token") != issued[2] ||
		show.Header.Get("X-Project-Id") != fakecloud.HuaweiProjectID {
		t.Errorf("DNS request not signed with the issued key, its token and the project")
	}
}

// A profile file's iam_endpoint is used as written, so plain http works.
func TestHuaweiSDKProfileFederation(t *testing.T) {
	c := fakecloud.New()
	iam := c.StartAt(fakecloud.HuaweiIAM)
	t.Cleanup(iam.Close)
	tokenFile := tempFile(t, "id_token", fakecloud.IDTokenValue)
	profile := "[global]\nidp_id = " + fakecloud.HuaweiIdPID + "\nid_token_file = " + tokenFile +
		"\niam_endpoint = " + iam.URL + "\ndomain_id = " + fakecloud.HuaweiDomainID + "\n"
	t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", tempFile(t, "credentials", profile))

	cred, err := provider.NewProfileCredentialProvider("global").GetCredentials()
	if err != nil {
		t.Fatal(err)
	}
	g, ok := cred.(*hwauth.GlobalCredentials)
	if !ok {
		t.Fatalf("credentials of type %T", cred)
	}
	if err := g.ProcessSts(impl.NewDefaultHttpClient(hwconfig.DefaultHttpConfig())); err != nil {
		t.Fatalf("ProcessSts: %v", err)
	}
	if diff := gocmp.Diff(lastIssued(t, c), hwCredentialOf(t, cred)); diff != "" {
		t.Errorf("credentials (-issued +SDK):\n%s", diff)
	}
	// Within the refresh margin nothing is asked again; a refused ID token
	// is an error.
	if err := g.ProcessSts(impl.NewDefaultHttpClient(hwconfig.DefaultHttpConfig())); err != nil || len(c.IssuedHuaweiCredentials()) != 1 {
		t.Errorf("second ProcessSts: err %v, %d keys issued", err, len(c.IssuedHuaweiCredentials()))
	}
	if err := os.WriteFile(tokenFile, []byte(fakecloud.ExpiredIDTokenValue), 0o600); err != nil {
		t.Fatal(err)
	}
	cred, err = provider.NewProfileCredentialProvider("global").GetCredentials()
	if err != nil {
		t.Fatal(err)
	}
	err = cred.(*hwauth.GlobalCredentials).ProcessSts(impl.NewDefaultHttpClient(hwconfig.DefaultHttpConfig()))
	if err == nil || !strings.Contains(err.Error(), "IAM.0001") {
		t.Errorf("expired ID token: err = %v, want IAM.0001", err)
	}
}
