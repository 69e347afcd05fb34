package cloudsyaml

import (
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/transport"
)

// hostRecorder refuses every request after noting its host, so that a test
// sees where a source would ask IAM without any traffic.
type hostRecorder struct {
	mu    sync.Mutex
	hosts []string
}

var errRefused = errors.New("refused by the test")

func (h *hostRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.hosts = append(h.hosts, r.URL.Host)
	h.mu.Unlock()
	return nil, errRefused
}

func (h *hostRecorder) seen() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.hosts...)
}

// An AK/SK cloud without auth_url that needs IAM (a project named, not
// identified; an agency) asks its region's IAM host, OTC's or Huawei
// Cloud's; with no region either, it is refused before any request.
func TestNewSourcesAKSKWithoutAuthURL(t *testing.T) {
	t.Parallel()
	keys := Cloud{Name: "keys", AuthType: "aksk", AccessKey: "AKX", SecretKey: "sk-SECRET"}
	tests := []struct {
		name      string
		edit      func(*Cloud)
		wantHost  string // the first IAM host asked; "" with wantField
		wantField string // the ValidationError's field
	}{
		{name: "OTC project by name", edit: func(c *Cloud) { c.ProjectName, c.Region = "eu-de_myproject", "eu-de" },
			wantHost: "iam.eu-de.otc.t-systems.com"},
		{name: "OTC Swiss project by name", edit: func(c *Cloud) { c.ProjectName, c.Region = "eu-ch2_p", "eu-ch2" },
			wantHost: "iam-pub.eu-ch2.sc.otc.t-systems.com"},
		{name: "Huawei project by name", edit: func(c *Cloud) { c.ProjectName, c.Region = "cn-north-4_p", "cn-north-4" },
			wantHost: "iam.cn-north-4.myhuaweicloud.com"},
		{name: "OTC agency", edit: func(c *Cloud) {
			c.DomainID, c.Region, c.AgencyName, c.AgencyDomainName = "dom1", "eu-nl", "ag", "other"
		}, wantHost: "iam.eu-nl.otc.t-systems.com"},
		{name: "project by name without region", edit: func(c *Cloud) { c.ProjectName = "myproject" },
			wantField: "Cloud.AuthURL"},
		{name: "agency without region", edit: func(c *Cloud) {
			c.DomainID, c.AgencyName, c.AgencyDomainName = "dom1", "ag", "other"
		}, wantField: "Cloud.AuthURL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := keys
			tc.edit(&c)
			rec := &hostRecorder{}
			settings := sourcesSettings()
			settings.HTTPClient = &http.Client{Transport: rec}
			s, err := NewSources(c, settings)
			if tc.wantField != "" {
				var ve *transport.ValidationError
				if !errors.As(err, &ve) || ve.Field != tc.wantField {
					t.Fatalf("err = %v, want a ValidationError for %s", err, tc.wantField)
				}
				noSecrets(t, "error", err.Error())
				if len(rec.seen()) != 0 {
					t.Errorf("requests to %q before the error", rec.seen())
				}
				return
			}
			require.NoError(t, err)
			require.NotNil(t, s.Credentials)
			if _, err := s.Credentials.RetrieveHuawei(t.Context()); !errors.Is(err, errRefused) {
				t.Errorf("RetrieveHuawei err = %v, want the test's refusal", err)
			}
			hosts := rec.seen()
			require.NotEmpty(t, hosts)
			if diff := cmp.Diff(tc.wantHost, hosts[0]); diff != "" {
				t.Errorf("IAM host (-want +got):\n%s", diff)
			}
		})
	}
}
