package identitycenter

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
)

func TestNewInvalidOptions(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		o    Options
		want string
	}{
		"endpoint not a URL":  {Options{Endpoint: "identitycenter.example"}, "identitycenter: Endpoint is not valid: endpoint must be an http or https URL"},
		"endpoint with query": {Options{Endpoint: "https://ic.example/?x=1"}, "identitycenter: Endpoint is not valid"},
		"iam endpoint":        {Options{IAMEndpoint: "ftp://iam.example"}, "identitycenter: IAMEndpoint is not valid"},
		"domain id control":   {Options{DomainID: "dom\r\n"}, "identitycenter: DomainID must not contain control characters"},
		"user agent newline":  {Options{UserAgentApp: "app\r\nX-Evil: 1", DomainID: "d"}, "UserAgentApp must not contain control characters"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tc.o.Credentials = signer.StaticHuaweiCredentials(testCreds())
			_, err := New(tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c, err := New(Options{Credentials: signer.StaticHuaweiCredentials(testCreds())})
	require.NoError(t, err)
	if c.Endpoint() != "https://identitycenter.myhuaweicloud.com" {
		t.Errorf("Endpoint() = %q", c.Endpoint())
	}
	c, err = New(Options{}, func(o *Options) { o.Endpoint = "http://127.0.0.1:1/base" })
	require.NoError(t, err)
	if c.Endpoint() != "http://127.0.0.1:1/base" {
		t.Errorf("Endpoint() = %q after an Option", c.Endpoint())
	}
	if got := c.String(); !strings.Contains(got, "Credentials:signer.hwEnvProvider") {
		t.Errorf("nil Credentials did not default to the environment: %s", got)
	}
}

func TestRenderingsHideSecrets(t *testing.T) {
	t.Parallel()
	creds := testCreds()
	creds.SecurityToken = testSecurityToken
	o := Options{Credentials: signer.StaticHuaweiCredentials(creds), DomainID: "dom-visible"}
	c, err := New(o)
	require.NoError(t, err)
	for _, v := range []any{o, &o, c, c.Options(), struct{ C *Client }{c}} {
		assertNoSecret(t, v, testSK, testSecurityToken)
	}
	want := "identitycenter.Client{Endpoint:https://identitycenter.myhuaweicloud.com DomainID:dom-visible Credentials:" +
		fmt.Sprintf("%T", o.Credentials) + "}"
	if got := c.String(); got != want {
		t.Errorf("String() = %s, want %s", got, want)
	}
	var nilClient *Client
	if got := nilClient.String(); got != "identitycenter.Client(nil)" {
		t.Errorf("nil String() = %s", got)
	}
}

// Without a DomainID, the renderings say where it will come from in a
// field of their own: DomainID holds nothing but an ID.
func TestRenderingsWithoutDomainID(t *testing.T) {
	t.Parallel()
	c, err := New(Options{Credentials: signer.StaticHuaweiCredentials(testCreds())})
	require.NoError(t, err)
	if got, want := c.String(), " DomainID: DomainIDFrom:credentials or IAM "; !strings.Contains(got, want) {
		t.Errorf("String() = %s, want it to contain %q", got, want)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("c", "client", c)
	var rec struct {
		Client map[string]string `json:"client"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec))
	if d := cmp.Diff(map[string]string{"domain_id": "", "domain_id_from": "credentials or IAM"},
		map[string]string{"domain_id": rec.Client["domain_id"], "domain_id_from": rec.Client["domain_id_from"]}); d != "" {
		t.Errorf("slog record (-want +got):\n%s", d)
	}
}
