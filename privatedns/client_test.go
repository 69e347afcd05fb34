package privatedns

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
)

func TestNewInvalidOptions(t *testing.T) {
	t.Parallel()
	tok := signer.StaticToken(testStaticToken)
	creds := signer.StaticHuaweiCredentials(testCreds())
	tests := map[string]struct {
		o    Options
		want string
	}{
		"no cloud":          {Options{Region: "eu-de", TokenSource: tok}, "privatedns: Cloud is required (HuaweiCloud or OpenTelekomCloud)"},
		"unknown cloud":     {Options{Cloud: 7, Region: "eu-de", TokenSource: tok}, "privatedns: Cloud Cloud(7) is not HuaweiCloud or OpenTelekomCloud"},
		"bad region":        {Options{Cloud: HuaweiCloud, Region: "US East", TokenSource: tok}, `privatedns: Region "US East" is not a valid region`},
		"upper-case region": {Options{Cloud: HuaweiCloud, Region: "EU-DE", TokenSource: tok}, `privatedns: Region "EU-DE" is not a valid region`},
		"no region":         {Options{Cloud: HuaweiCloud, TokenSource: tok}, "privatedns: Region is required unless Endpoint is set"},
		"bad endpoint":      {Options{Cloud: HuaweiCloud, Endpoint: "dns.example", TokenSource: tok}, "privatedns: Endpoint is not valid"},
		"endpoint userinfo": {Options{Cloud: HuaweiCloud, Endpoint: "https://u:p@dns.example", TokenSource: tok}, "must not contain user info"},
		"bad iam endpoint": {Options{Cloud: HuaweiCloud, Region: "eu-de", IAMEndpoint: "//iam", Credentials: creds},
			"privatedns: IAMEndpoint is not valid"},
		"project control": {Options{Cloud: HuaweiCloud, Region: "eu-de", ProjectID: "p\n", TokenSource: tok},
			"privatedns: ProjectID must not contain control characters"},
		"both auths": {Options{Cloud: HuaweiCloud, Region: "eu-de", TokenSource: tok, Credentials: creds},
			"privatedns: set either TokenSource or Credentials, not both"},
		"no auth": {Options{Cloud: OpenTelekomCloud, Region: "eu-de"}, "privatedns: TokenSource or Credentials is required"},
		"user agent": {Options{Cloud: HuaweiCloud, Region: "eu-de", TokenSource: tok, UserAgentApp: "a\nb"},
			"UserAgentApp must not contain control characters"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestEndpoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cloud    Cloud
		region   string
		endpoint string
		want     string
	}{
		{HuaweiCloud, "cn-north-4", "", "https://dns.cn-north-4.myhuaweicloud.com"},
		{HuaweiCloud, "ap-southeast-1", "", "https://dns.ap-southeast-1.myhuaweicloud.com"},
		{HuaweiCloud, "af-north-1", "", "https://dns.af-north-1.myhuaweicloud.com"},
		{OpenTelekomCloud, "eu-de", "", "https://dns.eu-de.otc.t-systems.com"},
		{OpenTelekomCloud, "eu-nl", "", "https://dns.eu-nl.otc.t-systems.com"},
		{OpenTelekomCloud, "eu-ch2", "", "https://dns.eu-ch2.sc.otc.t-systems.com"},
		{OpenTelekomCloud, "eu-de", "https://proxy.example/dns", "https://proxy.example/dns"},
		{HuaweiCloud, "", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
	}
	for _, tc := range tests {
		c, err := New(Options{Cloud: tc.cloud, Region: tc.region, Endpoint: tc.endpoint, TokenSource: signer.StaticToken("t")})
		require.NoError(t, err)
		if got := c.Endpoint(); got != tc.want {
			t.Errorf("%v %q: Endpoint() = %q, want %q", tc.cloud, tc.region, got, tc.want)
		}
	}
}

func TestRenderingsHideSecrets(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, true)
	creds := testCreds()
	creds.SecurityToken = testSecurityToken
	pw := passwordSource(t, f)
	_, err := pw.Token(t.Context()) // a cached token must not show either
	require.NoError(t, err)
	secrets := []string{testSK, testSecurityToken, testStaticToken, testPassword, testIssuedToken}
	for name, o := range map[string]Options{
		"static token":   {Cloud: HuaweiCloud, Region: "cn-north-4", TokenSource: signer.StaticToken(testStaticToken), ProjectID: "p"},
		"password token": {Cloud: OpenTelekomCloud, Region: "eu-de", TokenSource: pw},
		"huawei aksk":    {Cloud: HuaweiCloud, Region: "cn-north-4", Credentials: signer.StaticHuaweiCredentials(creds)},
		"otc aksk":       {Cloud: OpenTelekomCloud, Region: "eu-de", Credentials: signer.StaticHuaweiCredentials(creds), ProjectID: "p"},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(o)
			require.NoError(t, err)
			for _, v := range []any{o, &o, c, c.Options(), struct{ C *Client }{c}, o.TokenSource, o.Credentials} {
				assertNoSecret(t, v, secrets...)
			}
		})
	}
	c, err := New(Options{Cloud: OpenTelekomCloud, Region: "eu-de", Credentials: signer.StaticHuaweiCredentials(creds), ProjectID: "p"})
	require.NoError(t, err)
	want := "privatedns.Client{Cloud:OpenTelekomCloud Region:eu-de Endpoint:https://dns.eu-de.otc.t-systems.com " +
		"Auth:otc-aksk(*signer.hwStaticProvider) ProjectID:p}"
	if got := c.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	// With the lookup asked for and no ID given, the renderings say where
	// the ID will come from.
	o := Options{Cloud: HuaweiCloud, Region: "cn-north-4", Credentials: signer.StaticHuaweiCredentials(creds)}
	c, err = New(o, WithProjectIDFromIAM())
	require.NoError(t, err)
	want = "privatedns.Client{Cloud:HuaweiCloud Region:cn-north-4 Endpoint:https://dns.cn-north-4.myhuaweicloud.com " +
		"Auth:huawei-aksk(*signer.hwStaticProvider) ProjectID: ProjectIDFrom:credentials or IAM}"
	if got := c.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	if got, wantIn := c.Options().String(), "ProjectID: ProjectIDFrom:credentials or IAM "; !strings.Contains(got, wantIn) {
		t.Errorf("Options().String() = %s, want it to contain %s", got, wantIn)
	}
	if got := o.String(); strings.Contains(got, "IAM)") {
		t.Errorf("Options without the option: String() = %s", got)
	}
}

func TestCloudString(t *testing.T) {
	t.Parallel()
	for c, want := range map[Cloud]string{0: "Cloud(unset)", HuaweiCloud: "HuaweiCloud", OpenTelekomCloud: "OpenTelekomCloud", 9: "Cloud(9)"} {
		if got := c.String(); got != want {
			t.Errorf("Cloud(%d).String() = %q, want %q", c, got, want)
		}
	}
}
