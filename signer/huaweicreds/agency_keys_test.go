package huaweicreds

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// agencyKeysStart serves an OTC emulator on clock and returns it with a
// provider for cfg, whose Endpoint, Caller (OTC's permanent key, with
// callerDomainID), Settings and Now it fills.
func agencyKeysStart(t *testing.T, clock *iamClock, callerDomainID string, cfg AgencyKeysConfig) (*fakecloud.Cloud, *AgencyKeysProvider) {
	t.Helper()
	cloud := fakecloud.New(fakecloud.WithClock(clock.Now))
	srv := cloud.Start()
	t.Cleanup(srv.Close)
	cfg.Endpoint, cfg.OTC = srv.Endpoint(fakecloud.OTCIAM), true
	cfg.Caller = signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: fakecloud.OTCAK, SecretKey: fakecloud.OTCSK,
		ProjectID: fakecloud.OTCProjectID, DomainID: callerDomainID})
	cfg.Settings = iamTestSettings()
	cfg.Settings.Now, cfg.Now = clock.Now, clock.Now
	p, err := NewAgencyKeysProvider(cfg)
	require.NoError(t, err)
	return cloud, p
}

// agencyKeysCall is what a test checks of one recorded IAM request.
type agencyKeysCall struct {
	Op, Query              string
	AccessKey              string
	ProjectID, DomainID    string
	SecurityToken, OTCSign bool
}

func agencyKeysCalls(cloud *fakecloud.Cloud) []agencyKeysCall {
	var out []agencyKeysCall
	for _, r := range cloud.ServiceRequests() {
		out = append(out, agencyKeysCall{Op: r.Op, Query: r.Query.Encode(), AccessKey: r.AccessKey,
			ProjectID: r.Header.Get("X-Project-Id"), DomainID: r.Header.Get("X-Domain-Id"),
			SecurityToken: r.Header.Get("X-Security-Token") != "",
			OTCSign:       strings.HasPrefix(r.Header.Get("Authorization"), "SDK-HMAC-SHA256 Credential="+r.AccessKey+"/")})
	}
	return out
}

// The requests of gophertelekomcloud's authWithAgencyByAKSK, each signed
// in the OTC flavour and verified by the emulator; 256 callers share one
// fetch, and a refresh does not look the project up again.
func TestAgencyKeysProvider(t *testing.T) {
	t.Parallel()
	assume := agencyKeysCall{Op: fakecloud.OpCreateTemporaryAccessKey, AccessKey: fakecloud.OTCAK,
		DomainID: fakecloud.OTCDomainID, OTCSign: true}
	tests := []struct {
		name           string
		callerDomainID string
		cfg            AgencyKeysConfig
		wantProject    string
		wantDomain     string
		wantCalls      []agencyKeysCall // "" access keys: the issued one
	}{
		{
			name:           "delegated project by name, caller's domain ID given",
			callerDomainID: fakecloud.OTCDomainID,
			cfg:            AgencyKeysConfig{DomainName: fakecloud.OTCAgencyDomainName, ProjectName: fakecloud.OTCRegion},
			wantProject:    fakecloud.OTCAgencyProjectID,
			wantCalls: []agencyKeysCall{assume,
				{Op: fakecloud.OpListProjects, Query: "name=" + fakecloud.OTCRegion, SecurityToken: true, OTCSign: true}},
		},
		{
			name:       "caller's domain looked up by name; no project: the agency's domain",
			cfg:        AgencyKeysConfig{CallerDomainName: fakecloud.OTCDomainName, DomainName: fakecloud.OTCAgencyDomainName},
			wantDomain: fakecloud.OTCAgencyDomainID,
			wantCalls: []agencyKeysCall{
				{Op: fakecloud.OpListAuthDomains, Query: "name=" + fakecloud.OTCDomainName, AccessKey: fakecloud.OTCAK,
					ProjectID: fakecloud.OTCProjectID, OTCSign: true},
				assume,
				{Op: fakecloud.OpListAuthDomains, Query: "name=" + fakecloud.OTCAgencyDomainName, SecurityToken: true, OTCSign: true}},
		},
		{
			name:           "everything by ID: one request",
			callerDomainID: fakecloud.OTCDomainID,
			cfg:            AgencyKeysConfig{DomainID: fakecloud.OTCAgencyDomainID, ProjectID: fakecloud.OTCAgencyProjectID},
			wantProject:    fakecloud.OTCAgencyProjectID,
			wantCalls:      []agencyKeysCall{assume},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &iamClock{t: time.Now().UTC()}
			tc.cfg.AgencyName = fakecloud.OTCAgencyName
			cloud, p := agencyKeysStart(t, clock, tc.callerDomainID, tc.cfg)
			keys := retrieveConcurrently(t, p, 256)
			wantOneKey(t, keys)
			c, err := p.RetrieveHuawei(t.Context())
			require.NoError(t, err)
			issued := cloud.IssuedHuaweiCredentials()
			require.Len(t, issued, 1)
			got := agencyKeysCalls(cloud)
			for i := range tc.wantCalls {
				if tc.wantCalls[i].AccessKey == "" {
					tc.wantCalls[i].AccessKey = issued[0].AccessKey
				}
			}
			if d := cmp.Diff(tc.wantCalls, got); d != "" {
				t.Errorf("IAM requests (-want +got):\n%s", d)
			}
			want := signer.HuaweiCredentials{AccessKey: issued[0].AccessKey, SecretKey: issued[0].SecretKey,
				SecurityToken: issued[0].SecurityToken, ProjectID: tc.wantProject, DomainID: tc.wantDomain,
				Expires: c.Expires, Source: SourceAgency}
			if d := cmp.Diff(want, c); d != "" || c.Expires.IsZero() {
				t.Errorf("keys (-want +got):\n%s", d)
			}
			iamAssertNoSecret(t, p, c.SecretKey, c.SecurityToken, fakecloud.OTCSK)

			// Past expiry: new keys, with the one assume_role request.
			cloud.ClearServiceRequests()
			clock.Set(c.Expires.Add(time.Second))
			c2, err := p.RetrieveHuawei(t.Context())
			require.NoError(t, err)
			if c2.AccessKey == c.AccessKey || c2.ProjectID != c.ProjectID || c2.DomainID != c.DomainID {
				t.Errorf("refresh: got %v after %v", c2, c)
			}
			if n := len(cloud.ServiceRequests()); n != 1 {
				t.Errorf("refresh: %d requests, want the assume_role one only", n)
			}
		})
	}
}

func TestAgencyKeysProviderRefused(t *testing.T) {
	t.Parallel()
	clock := &iamClock{t: time.Now().UTC()}
	tests := []struct {
		name string
		cfg  AgencyKeysConfig
		want error
	}{
		{name: "unknown agency", cfg: AgencyKeysConfig{DomainName: fakecloud.OTCAgencyDomainName, AgencyName: "nope"}, want: transport.ErrNotFound},
		{name: "no such delegated project", cfg: AgencyKeysConfig{DomainName: fakecloud.OTCAgencyDomainName,
			AgencyName: fakecloud.OTCAgencyName, ProjectName: "eu-nl_nope"}},
	}
	for _, tc := range tests {
		_, p := agencyKeysStart(t, clock, fakecloud.OTCDomainID, tc.cfg)
		_, err := p.RetrieveHuawei(t.Context())
		switch {
		case err == nil:
			t.Errorf("%s: want an error", tc.name)
		case tc.want != nil && !errors.Is(err, tc.want):
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		case strings.Contains(err.Error(), fakecloud.OTCSK):
			t.Errorf("%s: the error leaks the secret key", tc.name)
		}
	}

	// A caller's domain IAM does not list for the keys.
	_, p := agencyKeysStart(t, clock, "", AgencyKeysConfig{CallerDomainName: "another", DomainName: fakecloud.OTCAgencyDomainName,
		AgencyName: fakecloud.OTCAgencyName})
	if _, err := p.RetrieveHuawei(t.Context()); err == nil || !strings.Contains(err.Error(), "IAM lists none") {
		t.Errorf("unknown caller domain: err = %v, want IAM lists none", err)
	}

	// Without the caller's domain, no request is made.
	cloud, p := agencyKeysStart(t, clock, "", AgencyKeysConfig{DomainName: "d", AgencyName: "a"})
	var ve *transport.ValidationError
	if _, err := p.RetrieveHuawei(t.Context()); !errors.As(err, &ve) || ve.Field != "AgencyKeysConfig.CallerDomainName" {
		t.Errorf("no caller domain: err = %v, want a ValidationError for CallerDomainName", err)
	}
	if n := len(cloud.ServiceRequests()); n != 0 {
		t.Errorf("no caller domain: %d requests, want none", n)
	}
	caller := signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: "A", SecretKey: "S"})
	for _, tc := range []struct {
		cfg   AgencyKeysConfig
		field string
	}{
		{AgencyKeysConfig{DomainName: "d", AgencyName: "a"}, "AgencyKeysConfig.Caller"},
		{AgencyKeysConfig{Caller: caller, AgencyName: "a"}, "AgencyKeysConfig.DomainName"},
		{AgencyKeysConfig{Caller: caller, DomainName: "d"}, "AgencyKeysConfig.AgencyName"},
		{AgencyKeysConfig{Caller: caller, DomainName: "d", AgencyName: "a", ProjectName: "p\n"}, "AgencyKeysConfig.ProjectName"},
	} {
		if _, err := NewAgencyKeysProvider(tc.cfg); !errors.As(err, &ve) || ve.Field != tc.field {
			t.Errorf("NewAgencyKeysProvider: err = %v, want a ValidationError for %s", err, tc.field)
		}
	}
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := p.RetrieveHuawei(nil); err == nil { //nolint:staticcheck
		t.Error("nil ctx: want an error")
	}
}

// IAM (or a proxy) echoing the caller's security token in its error and
// request ID: the error shows neither.
func TestAgencyKeysProviderEchoedSecret(t *testing.T) {
	t.Parallel()
	const st = "CALLER-ST-SECRET-VALUE"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		echo := r.Header.Get("X-Security-Token")
		w.Header().Set("X-Request-Id", echo)
		iamWriteJSON(w, http.StatusForbidden, `{"error_code":"IAM.0003","error_msg":"token `+echo+` may not"}`)
	}))
	t.Cleanup(srv.Close)
	p, err := NewAgencyKeysProvider(AgencyKeysConfig{Endpoint: srv.URL, OTC: true,
		Caller: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: "AK", SecretKey: "SK-SECRET",
			SecurityToken: st, DomainID: "d1"}),
		DomainName: "delegating", AgencyName: "agency", Settings: iamTestSettings()})
	require.NoError(t, err)
	_, err = p.RetrieveHuawei(t.Context())
	if !errors.Is(err, transport.ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	for _, out := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if strings.Contains(out, st) || strings.Contains(out, "SK-SECRET") {
			t.Errorf("the error shows a secret: %s", out)
		}
	}
}
