package sdkcompare

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	hwauth "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/provider"
	hwconfig "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/impl"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// The Huawei credential chain matrix runs huaweicloud-sdk-go-v3 v0.1.207's
// BasicCredentialProviderChain / GlobalCredentialProviderChain and
// detach's huaweicreds.BasicChain / GlobalChain (behind ProjectIDFromIAM /
// DomainIDFromIAM) over the same environment, files and emulated services
// (hwchain_scenarios_test.go lists the scenarios).
//
// Each side of a scenario runs in a child process (this test binary again)
// with exactly the scenario's variables: the SDK keeps process-wide state
// that would leak from one scenario to the next (its project and domain ID
// cache by AK or identity provider, its metadata client, the swapped
// http.DefaultTransport). The parent resets the emulator before each side,
// so the keys each side is issued are numbered alike, and records the
// requests each side makes.
//
// What each side does is what a program does: the SDK builds the chain's
// credentials, then a client (ProcessAuthParams for the region: the
// project or domain lookup when the source has no ID), then makes a call
// (ProcessSts: federation, or new keys when the old have less than 40
// minutes left); detach retrieves once through the lookup wrapper, and
// again after moving its clock when the scenario says so.

// Variables of the parent-child protocol (besides the scenario's own).
const (
	hwcSide     = "SDKCOMPARE_HWCHAIN_SIDE"     // "sdk" or "detach"
	hwcGlobal   = "SDKCOMPARE_HWCHAIN_GLOBAL"   // "1": the global chain
	hwcMetadata = "SDKCOMPARE_HWCHAIN_METADATA" // host:port playing 169.254.169.254:80
	hwcLookup   = "SDKCOMPARE_HWCHAIN_LOOKUP"   // detach's LookupConfig.Endpoint
	hwcAdvance  = "SDKCOMPARE_HWCHAIN_ADVANCE"  // detach: retrieve again after this long
	hwcMarker   = "HWCHAIN-RESULT "
)

// hwcRegion is the region both sides build their clients for.
const hwcRegion = fakecloud.HuaweiRegion

// hwcResult is what one side ends up with. Source is the provider that
// gave the credentials ("env", "profile", "metadata", "pod identity", with
// " federation" for OIDC); on failure only Err is set.
type hwcResult struct {
	Source, AK, SK, Token, Project, Domain string
	Err                                    string `json:",omitempty"`
}

// TestHuaweiChainChild is a child's side; it does nothing in a normal run.
func TestHuaweiChainChild(t *testing.T) {
	side := os.Getenv(hwcSide)
	if side == "" {
		t.Skip("runs only as a child of TestHuaweiChainMatrix")
	}
	global := os.Getenv(hwcGlobal) == "1"
	var r hwcResult
	if side == "sdk" {
		r = hwcRunSDK(global)
	} else {
		r = hwcRunDetach(t.Context(), global)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("\n%s%s\n", hwcMarker, out)
}

// hwcChooser notes which provider of the chain answered.
type hwcChooser struct {
	p      provider.ICredentialProvider
	name   string
	chosen *string
}

func (c hwcChooser) GetCredentials() (hwauth.ICredential, error) {
	cred, err := c.p.GetCredentials()
	if err == nil {
		*c.chosen = c.name
	}
	return cred, err
}

// hwcRunSDK is the SDK's side: the chain as provider_chain.go builds it,
// each provider wrapped to note which answered, then the client's
// ProcessAuthParams and one call's ProcessSts.
func hwcRunSDK(global bool) hwcResult {
	hwcRedirectDefaultTransport(os.Getenv(hwcMetadata))
	var chosen string
	ps := []provider.ICredentialProvider{provider.BasicCredentialEnvProvider(), provider.BasicCredentialProfileProvider(),
		provider.BasicCredentialMetadataProvider(), provider.BasicCredentialPodIdentityProvider()}
	if global {
		ps = []provider.ICredentialProvider{provider.GlobalCredentialEnvProvider(), provider.GlobalCredentialProfileProvider(),
			provider.GlobalCredentialMetadataProvider(), provider.GlobalCredentialPodIdentityProvider()}
	}
	for i, name := range []string{"env", "profile", "metadata", "pod identity"} {
		ps[i] = hwcChooser{ps[i], name, &chosen}
	}
	cred, err := provider.NewCredentialProviderChain(ps).GetCredentials()
	if err != nil {
		return hwcResult{Err: err.Error()}
	}
	client := impl.NewDefaultHttpClient(hwconfig.DefaultHttpConfig().WithIgnoreSSLVerification(true))
	if _, err := cred.ProcessAuthParams(client, hwcRegion); err != nil {
		return hwcResult{Err: err.Error()}
	}
	var base *hwauth.BaseCredentials
	r := hwcResult{}
	switch c := cred.(type) {
	case *hwauth.BasicCredentials:
		base, r.Project = &c.BaseCredentials, c.ProjectId
	case *hwauth.GlobalCredentials:
		base, r.Domain = &c.BaseCredentials, c.DomainId
	default:
		return hwcResult{Err: fmt.Sprintf("credentials of type %T", cred)}
	}
	if err := base.ProcessSts(client); err != nil {
		return hwcResult{Err: err.Error()}
	}
	r.Source, r.AK, r.SK, r.Token = chosen, base.AK, base.SK, base.SecurityToken
	if base.IdpId != "" {
		r.Source += " federation"
	}
	return r
}

// hwcRedirectDefaultTransport makes http.DefaultTransport, which the SDK's
// metadata client uses, dial addr for 169.254.169.254:80 (see
// hwcreds_emulator_test.go); the child exits after one scenario.
func hwcRedirectDefaultTransport(addr string) {
	http.DefaultTransport = metadataDialer(addr)
}

// hwcClock is detach's clock: real time plus an offset the scenario moves.
type hwcClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *hwcClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *hwcClock) advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// hwcRunDetach is detach's side: the chain with the metadata service at
// the emulator, behind the ID lookup a program adds, with TLS verification
// off as on the SDK's side (IAM is reached by HTTPS) and retries without
// real waits.
func hwcRunDetach(ctx context.Context, global bool) hwcResult {
	clk := &hwcClock{}
	set := transport.Settings{
		HTTPClient: &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}},
		Retry:      transport.RetryPolicy{BaseDelay: time.Microsecond, MaxBackoff: time.Microsecond},
	}
	cfg := huaweicreds.ChainConfig{MetadataEndpoint: "http://" + os.Getenv(hwcMetadata), Settings: set, Now: clk.Now}
	lookup := huaweicreds.LookupConfig{Endpoint: os.Getenv(hwcLookup), Region: hwcRegion, Settings: set}
	ch := huaweicreds.BasicChain(cfg)
	lookupID := huaweicreds.ProjectIDFromIAM
	if global {
		ch, lookupID = huaweicreds.GlobalChain(cfg), huaweicreds.DomainIDFromIAM
	}
	p, err := lookupID(ch, lookup)
	if err != nil {
		return hwcResult{Err: err.Error()}
	}
	creds, err := p.RetrieveHuawei(ctx)
	if d, _ := time.ParseDuration(os.Getenv(hwcAdvance)); d > 0 && err == nil {
		// Into the refresh window: the cache serves the old keys and
		// refreshes in the background. The emulator's clock is real, so
		// keys past their expiry here would be past it for their successor
		// too; the child waits (at most 2 s) for the successor instead.
		clk.advance(d)
		first := creds.AccessKey
		for range 400 {
			if creds, err = p.RetrieveHuawei(ctx); err != nil || creds.AccessKey != first {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	if err != nil {
		return hwcResult{Err: err.Error()}
	}
	return hwcResult{Source: hwcDetachSource(creds, ch), AK: creds.AccessKey, SK: creds.SecretKey,
		Token: creds.SecurityToken, Project: creds.ProjectID, Domain: creds.DomainID}
}

// hwcDetachSource names detach's source as hwcResult does. Federated keys
// name no step; the chain's String names the federation's token file,
// which tells the environment's from the profile's.
func hwcDetachSource(c signer.HuaweiCredentials, ch *huaweicreds.Chain) string {
	switch {
	case c.Source == "env":
		return "env"
	case strings.HasPrefix(c.Source, "profile "):
		return "profile"
	case c.Source == huaweicreds.SourceECSMetadata:
		return "metadata"
	case c.Source == huaweicreds.SourcePodIdentity:
		return "pod identity"
	case c.Source == huaweicreds.SourceFederation:
		if f := os.Getenv(huaweicreds.EnvIDTokenFile); f != "" && strings.Contains(ch.String(), ", "+f+")") {
			return "env federation"
		}
		return "profile federation"
	}
	return "unknown source " + strconv.Quote(c.Source)
}

// hwcRunChild runs one side with exactly env and returns its result.
func hwcRunChild(t *testing.T, env map[string]string) hwcResult {
	t.Helper()
	return runChildTest[hwcResult](t, "child", "TestHuaweiChainChild", "", hwcMarker, env)
}

// hwcRequest is a recorded request as compared: the issued keys and tokens
// it carries replaced by labels (see hwcLabeler).
type hwcRequest struct {
	Op, Method, Path string
	Query            url.Values
	Header           http.Header
	AccessKey        string
	JSON             map[string]any
}

// hwcView is one side's outcome, labelled.
type hwcView struct {
	Result   hwcResult
	Requests []hwcRequest
}

// hwcComparedHeaders are the identity-carrying headers compared; the
// signature and its date differ by clock and by signed headers
// (sigv4_test.go and huawei_test.go compare the signers), and the SDK puts
// Content-Type on body-less GETs (README, named differences).
var hwcComparedHeaders = []string{"X-Security-Token", "X-Project-Id", "X-Domain-Id", "X-Idp-Id", "X-Auth-Token",
	"X-Metadata-Token", "X-Metadata-Token-Ttl-Seconds"}

// hwcLabeler replaces the values the emulator makes up per run (issued
// keys, metadata session tokens, IAM tokens) by stable labels: the n-th
// key issued to this side is "issued#n".
type hwcLabeler struct{ repl *strings.Replacer }

func newHWCLabeler(issued []fakecloud.HuaweiIssuedCredentials) hwcLabeler {
	var pairs []string
	for i, ic := range issued {
		n := "issued#" + strconv.Itoa(i+1)
		pairs = append(pairs, ic.AccessKey, n+".ak", ic.SecretKey, n+".sk", ic.SecurityToken, n+".token")
	}
	return hwcLabeler{strings.NewReplacer(pairs...)}
}

func (l hwcLabeler) label(s string) string { return l.repl.Replace(s) }

func (l hwcLabeler) view(r hwcResult, recs []fakecloud.ServiceRequest) hwcView {
	if r.Err != "" {
		r = hwcResult{Err: "failed"} // the messages differ; the requests show why
	}
	r.AK, r.SK, r.Token = l.label(r.AK), l.label(r.SK), l.label(r.Token)
	v := hwcView{Result: r}
	for _, rec := range recs {
		q := hwcRequest{Op: rec.Op, Method: rec.Method, Path: rec.Path, Query: rec.Query, Header: http.Header{},
			AccessKey: l.label(rec.AccessKey), JSON: rec.JSON}
		for _, h := range hwcComparedHeaders {
			for _, val := range rec.Header.Values(h) {
				q.Header[h] = append(q.Header[h], l.label(val))
			}
		}
		// Made up by the emulator and checked by it: compared as present.
		for _, h := range []string{"X-Metadata-Token", "X-Auth-Token"} {
			if q.Header.Get(h) != "" {
				q.Header.Set(h, "<token>")
			}
		}
		if rec.Method == http.MethodPost {
			for _, h := range []string{"Content-Type", "Authorization"} { // Authorization: pod identity's token
				if vals := rec.Header.Values(h); len(vals) > 0 && rec.AccessKey == "" {
					q.Header[h] = vals
				}
			}
		}
		if tok, ok := hwcDig(q.JSON, "auth", "identity", "token"); ok && tok["id"] != nil {
			tok["id"] = "<token>" // the unscoped federated token, made up by the emulator
		}
		v.Requests = append(v.Requests, q)
	}
	return v
}

// hwcDig returns the object at path in m.
func hwcDig(m map[string]any, path ...string) (map[string]any, bool) {
	for _, k := range path {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil, false
		}
		m = next
	}
	return m, m != nil
}

// hwcRefusingAddr returns a loopback address nothing listens on, so that
// a connection to it is refused at once: the metadata address off ECS,
// without the SDK's 3 s timeout.
func hwcRefusingAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// hwcRename returns v with the labels of issued key from (such as "#2")
// renamed to those of key to, in a copy.
func hwcRename(v hwcView, from, to string) hwcView {
	r := strings.NewReplacer("issued"+from+".", "issued"+to+".")
	out := hwcView{Result: v.Result}
	out.Result.AK, out.Result.SK, out.Result.Token = r.Replace(v.Result.AK), r.Replace(v.Result.SK), r.Replace(v.Result.Token)
	for _, q := range v.Requests {
		h := http.Header{}
		for k, vals := range q.Header {
			for _, val := range vals {
				h[k] = append(h[k], r.Replace(val))
			}
		}
		q.Header, q.AccessKey = h, r.Replace(q.AccessKey)
		out.Requests = append(out.Requests, q)
	}
	return out
}

// hwcPick returns v's requests at the indexes given, in that order.
func hwcPick(v hwcView, idx ...int) hwcView {
	out := hwcView{Result: v.Result}
	for _, i := range idx {
		if i < len(v.Requests) {
			out.Requests = append(out.Requests, v.Requests[i])
		}
	}
	return out
}

// hwcSecurityTokensContentType is a deliberate difference applied to every
// scenario: the SDK sends the securitytokens body with no Content-Type
// (its id-token request has one), detach labels it as the id-token
// request. It reports whether the SDK's view had such a request.
func hwcSecurityTokensContentType(v *hwcView) bool {
	applied := false
	for i, q := range v.Requests {
		if q.Op == fakecloud.OpCreateTemporaryAccessKey && q.Header.Get("Content-Type") == "" {
			h := q.Header.Clone()
			h.Set("Content-Type", "application/json;charset=UTF-8")
			v.Requests[i].Header, applied = h, true
		}
	}
	return applied
}
