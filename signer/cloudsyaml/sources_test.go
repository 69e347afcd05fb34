package cloudsyaml

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/transport"
)

func sourcesSettings() transport.Settings {
	return transport.Settings{Retry: transport.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Microsecond, MaxBackoff: time.Microsecond}}
}

func TestNewSourcesAgainstIAM(t *testing.T) {
	t.Parallel()
	cloud := fakecloud.New()
	srv := cloud.Start()
	t.Cleanup(srv.Close)
	auth := srv.Endpoint(fakecloud.HuaweiIAM) + "/v3"
	password := Cloud{Name: "prod", AuthURL: auth, Username: fakecloud.HuaweiUserName, Password: fakecloud.HuaweiPassword,
		DomainName: fakecloud.HuaweiDomainName, ProjectID: fakecloud.HuaweiProjectID}
	withAgency := password
	withAgency.AgencyName, withAgency.AgencyDomainName = fakecloud.HuaweiAgencyName, fakecloud.HuaweiAgencyDomainName
	tests := []struct {
		name       string
		c          Cloud
		wantTokens int // IAM token requests for the first token
	}{
		{name: "password", c: password, wantTokens: 1},
		{name: "password with an agency", c: withAgency, wantTokens: 2},
	}
	for _, tc := range tests {
		before := cloud.Requests(fakecloud.OpCreateToken)
		s, err := NewSources(tc.c, sourcesSettings())
		require.NoError(t, err, tc.name)
		if s.Credentials != nil || s.Tokens == nil {
			t.Fatalf("%s: sources = %+v, want tokens only", tc.name, s)
		}
		tok, err := s.Tokens.Token(t.Context())
		require.NoError(t, err, tc.name)
		if tok.Value == "" {
			t.Errorf("%s: empty token", tc.name)
		}
		if n := cloud.Requests(fakecloud.OpCreateToken) - before; n != tc.wantTokens {
			t.Errorf("%s: token requests = %d, want %d", tc.name, n, tc.wantTokens)
		}
	}
}

// An AK/SK cloud with an agency gets the agency's temporary keys, scoped
// to the delegated project, from the emulator's OTC IAM, which verifies
// each signature.
func TestNewSourcesAKSKAgency(t *testing.T) {
	t.Parallel()
	cloud := fakecloud.New()
	srv := cloud.Start()
	t.Cleanup(srv.Close)
	c := Cloud{Name: "keys", AuthURL: srv.Endpoint(fakecloud.OTCIAM) + "/v3", AccessKey: fakecloud.OTCAK, SecretKey: fakecloud.OTCSK,
		DomainName: fakecloud.OTCDomainName, ProjectID: fakecloud.OTCProjectID, Region: fakecloud.OTCRegion,
		AgencyName: fakecloud.OTCAgencyName, AgencyDomainName: fakecloud.OTCAgencyDomainName, DelegatedProject: fakecloud.OTCRegion}
	s, err := NewSources(c, sourcesSettings())
	require.NoError(t, err)
	require.NotNil(t, s.Credentials)
	got, err := s.Credentials.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	issued := cloud.IssuedHuaweiCredentials()
	require.Len(t, issued, 1)
	if got.AccessKey != issued[0].AccessKey || got.ProjectID != fakecloud.OTCAgencyProjectID || got.DomainID != "" || s.Tokens != nil {
		t.Errorf("agency keys = %v, want %s in project %s", got, issued[0].AccessKey, fakecloud.OTCAgencyProjectID)
	}
	var ops []string
	for _, r := range cloud.ServiceRequests() {
		ops = append(ops, r.Op+" "+r.Query.Get("name"))
	}
	want := []string{fakecloud.OpListAuthDomains + " " + fakecloud.OTCDomainName, fakecloud.OpCreateTemporaryAccessKey + " ",
		fakecloud.OpListProjects + " " + fakecloud.OTCRegion}
	if strings.Join(ops, ",") != strings.Join(want, ",") {
		t.Errorf("IAM requests = %q, want %q", ops, want)
	}

	// Without an agency, a project named in the cloud is looked up by
	// that name, not by the region's.
	plain := Cloud{AuthURL: c.AuthURL, AccessKey: fakecloud.OTCAK, SecretKey: fakecloud.OTCSK,
		ProjectName: fakecloud.OTCRegion2, Region: fakecloud.OTCRegion}
	s, err = NewSources(plain, sourcesSettings())
	require.NoError(t, err)
	got, err = s.Credentials.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	if got.AccessKey != fakecloud.OTCAK || got.ProjectID != fakecloud.OTCProjectID2 {
		t.Errorf("project by name: %v, want project %s", got, fakecloud.OTCProjectID2)
	}

	// Without the caller's domain: a typed error, and no request.
	c.DomainName = ""
	var ve *transport.ValidationError
	if _, err := NewSources(c, sourcesSettings()); !errors.As(err, &ve) || ve.Field != "Cloud.DomainName" {
		t.Errorf("no domain: err = %v, want a ValidationError for Cloud.DomainName", err)
	}
}

func TestNewSourcesOffline(t *testing.T) {
	t.Parallel()
	aksk := Cloud{Name: "keys", AccessKey: "AKX", SecretKey: "sk-SECRET", ProjectID: "p1", AuthType: "aksk"}
	s, err := NewSources(aksk, transport.Settings{})
	require.NoError(t, err)
	creds, err := s.Credentials.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	if creds.AccessKey != "AKX" || creds.ProjectID != "p1" || creds.Source != "clouds.yaml keys" || s.Tokens != nil {
		t.Errorf("aksk: %v, %+v", creds, s)
	}
	tokCloud := Cloud{AuthURL: "https://iam.eu-de.otc.t-systems.com/v3", Token: "tok-SECRET"}
	s, err = NewSources(tokCloud, transport.Settings{})
	require.NoError(t, err)
	tok, err := s.Tokens.Token(t.Context())
	require.NoError(t, err)
	if tok.Value != "tok-SECRET" {
		t.Error("token cloud: the token was not passed through")
	}
	bad := []Cloud{
		{AccessKey: "A", SecretKey: "S", AgencyName: "a", AgencyDomainName: "d"},
		{Username: "u", Password: "pw-SECRET", DomainName: "d"},
		{AuthURL: "https://iam.example/v3", Password: "pw-SECRET", DomainName: "d"},
		{AuthURL: "https://iam.example/v3", Username: "u", Password: "pw-SECRET"},
	}
	for i, c := range bad {
		if _, err := NewSources(c, transport.Settings{}); err == nil || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("bad[%d]: err = %v, want an error without secrets", i, err)
		}
	}
}
