package route53profiles_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// endlessPages is an in-memory Route 53 Profiles whose every list page is
// empty and carries a new NextToken, after 100 ms: a broken service or
// proxy that would make a lister page forever.
type endlessPages struct{ hits atomic.Int64 }

func (d *endlessPages) Do(r *http.Request) (*http.Response, error) {
	n := d.hits.Add(1)
	select {
	case <-time.After(100 * time.Millisecond):
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	body := listBody("token-" + strconv.FormatInt(n, 10))
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader([]byte(body))), ContentLength: int64(len(body)), Request: r}, nil
}

// TestPagingIsBounded: a list that never ends is cut at MaxPages pages
// (default transport.DefaultMaxPages), with a *transport.PageLimitError
// naming the cap, by ListProfileAssociationsAll and by the waiter and the
// helper that page through it. The context's deadline (a minute) is only
// a backstop: the cap must end the listing first.
func TestPagingIsBounded(t *testing.T) {
	t.Parallel()
	wo := transport.WaitOptions{MinDelay: time.Second, MaxDelay: time.Second}
	listAll := func(ctx context.Context, c *route53profiles.Client, opts ...route53profiles.Option) error {
		for _, err := range c.ListProfileAssociationsAll(ctx, nil, opts...) {
			if err != nil {
				return err
			}
		}
		return errors.New("the list ended")
	}
	tests := map[string]struct {
		newOpts   []route53profiles.Option
		run       func(ctx context.Context, c *route53profiles.Client) error
		wantPages int
	}{
		"ListProfileAssociationsAll, default cap": {
			run:       func(ctx context.Context, c *route53profiles.Client) error { return listAll(ctx, c) },
			wantPages: transport.DefaultMaxPages,
		},
		"ListProfileAssociationsAll, MaxPages per call": {
			run: func(ctx context.Context, c *route53profiles.Client) error {
				return listAll(ctx, c, func(o *route53profiles.Options) { o.MaxPages = 5 })
			},
			wantPages: 5,
		},
		"ListProfileAssociationsAll, MaxPages from New": {
			newOpts:   []route53profiles.Option{func(o *route53profiles.Options) { o.MaxPages = 7 }},
			run:       func(ctx context.Context, c *route53profiles.Client) error { return listAll(ctx, c) },
			wantPages: 7,
		},
		"WaitProfileDisassociated: one poll, then the wait fails": {
			run: func(ctx context.Context, c *route53profiles.Client) error {
				return c.WaitProfileDisassociated(ctx, "rp-1", "vpc-1", wo)
			},
			wantPages: transport.DefaultMaxPages,
		},
		"DisassociateAndWait: the first look fails": {
			run: func(ctx context.Context, c *route53profiles.Client) error {
				_, err := c.DisassociateAndWait(ctx, "rp-1", "vpc-1", wo)
				return err
			},
			wantPages: transport.DefaultMaxPages,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := &endlessPages{}
				c, err := route53profiles.New(route53profiles.Options{Region: testRegion, Endpoint: "https://r53p.test",
					Credentials: signer.StaticAWSCredentials(testAccessKey, testSecretKey, ""),
					Settings:    transport.Settings{HTTPClient: d}}, tt.newOpts...)
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
				defer cancel()
				start := time.Now()
				err = tt.run(ctx, c)
				var pe *transport.PageLimitError
				if !errors.As(err, &pe) || pe.Limit != tt.wantPages || errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("error = %v, want a *transport.PageLimitError with Limit %d", err, tt.wantPages)
				}
				got := []any{int(d.hits.Load()), time.Since(start)}
				want := []any{tt.wantPages, time.Duration(tt.wantPages) * 100 * time.Millisecond}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("pages asked for, time taken (-want +got):\n%s", diff)
				}
			})
		})
	}
}
