package huaweicreds

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/transport"
)

// silentDoer stands for 169.254.169.254 off ECS: nothing answers, and a
// request ends only when its context does.
type silentDoer struct{ sent atomic.Int32 }

func (d *silentDoer) Do(r *http.Request) (*http.Response, error) {
	d.sent.Add(1)
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// TestMetadataProviderGivesUpQuickly: with no settings of its own the
// metadata provider makes one attempt of 3 seconds, as huaweicloud-sdk-go-v3
// does, so a chain run off ECS moves on instead of waiting for the call
// bound; an AttemptTimeout set in code wins.
func TestMetadataProviderGivesUpQuickly(t *testing.T) {
	tests := []struct {
		name     string
		settings transport.Settings
		want     time.Duration
	}{
		{name: "defaults", want: 3 * time.Second},
		{name: "AttemptTimeout in code", settings: transport.Settings{AttemptTimeout: 10 * time.Second}, want: 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				d := &silentDoer{}
				set := tt.settings
				set.HTTPClient = d
				p, err := NewMetadataProvider(MetadataConfig{Settings: set})
				require.NoError(t, err)
				start := time.Now()
				_, err = p.RetrieveHuawei(context.Background())
				if err == nil {
					t.Fatal("keys from a metadata service that never answers")
				}
				if got := time.Since(start); got != tt.want {
					t.Errorf("gave up after %v, want %v", got, tt.want)
				}
				if got := d.sent.Load(); got != 1 {
					t.Errorf("%d requests, want 1", got)
				}
			})
		})
	}
}
