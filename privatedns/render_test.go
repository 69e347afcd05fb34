package privatedns

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
)

// The JSON and slog renderings keep ProjectID an ID, read back: the ID
// given, or "" with ProjectIDFrom saying where the ID will come from when
// WithProjectIDFromIAM applies; no secret appears in them.
func TestRenderingsKeepProjectIDAnID(t *testing.T) {
	t.Parallel()
	creds := testCreds()
	keys := signer.StaticHuaweiCredentials(creds)
	tests := []struct {
		name     string
		o        Options
		opts     []Option
		wantID   string
		wantFrom string
	}{
		{name: "lookup asked, no ID", o: Options{Cloud: HuaweiCloud, Region: "cn-north-4", Credentials: keys},
			opts: []Option{WithProjectIDFromIAM()}, wantFrom: "credentials or IAM"},
		{name: "lookup asked, ID given", o: Options{Cloud: HuaweiCloud, Region: "cn-north-4", Credentials: keys, ProjectID: "p1"},
			opts: []Option{WithProjectIDFromIAM()}, wantID: "p1"},
		{name: "no lookup", o: Options{Cloud: OpenTelekomCloud, Region: "eu-de", Credentials: keys, ProjectID: "p2"}, wantID: "p2"},
	}
	type project struct{ ID, From string }
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tc.o, tc.opts...)
			require.NoError(t, err)
			want := project{tc.wantID, tc.wantFrom}

			b, err := json.Marshal(c.Options())
			require.NoError(t, err)
			var back struct{ ProjectID, ProjectIDFrom string }
			require.NoError(t, json.Unmarshal(b, &back))
			if diff := cmp.Diff(want, project{back.ProjectID, back.ProjectIDFrom}); diff != "" {
				t.Errorf("JSON %s (-want +got):\n%s", b, diff)
			}

			for _, v := range []any{c.Options(), c} {
				var buf bytes.Buffer
				slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", v)
				var rec struct {
					V struct {
						ProjectID   string `json:"project_id"`
						ProjectFrom string `json:"project_id_from"`
					}
				}
				require.NoError(t, json.Unmarshal(buf.Bytes(), &rec))
				if diff := cmp.Diff(want, project{rec.V.ProjectID, rec.V.ProjectFrom}); diff != "" {
					t.Errorf("slog of %T %s (-want +got):\n%s", v, buf.Bytes(), diff)
				}
				assertNoSecret(t, buf.String(), creds.SecretKey)
			}
			assertNoSecret(t, string(b), creds.SecretKey)
		})
	}
}
