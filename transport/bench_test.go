package transport

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// cannedDoer answers every request with the same 200 JSON body, in memory,
// so a benchmark measures the transport and not the network.
type cannedDoer struct {
	body   []byte
	header http.Header
}

func (d *cannedDoer) Do(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode:    200,
		Header:        d.header,
		Body:          io.NopCloser(bytes.NewReader(d.body)),
		ContentLength: int64(len(d.body)),
		Request:       r,
	}, nil
}

// nopAuth authorizes without signing, to keep signer cost out of the numbers.
type nopAuth struct{}

func (nopAuth) Authorize(context.Context, *http.Request, string, time.Time) error { return nil }

func BenchmarkDo(b *testing.B) {
	d := &cannedDoer{
		body: []byte(`{"ProfileAssociation":{"Id":"rpassoc-489ce212fEXAMPLE","Status":"DELETING","ProfileId":"rp-4987774726EXAMPLE"}}`),
		header: http.Header{
			"Content-Type":     {"application/json"},
			"X-Amzn-Requestid": {"0c9d5b2a-8e27-4a43-9c0f-EXAMPLE"},
		},
	}
	benches := map[string]*Request{
		"delete without body": {Method: "DELETE", Path: "/profileassociation/Profileid/rp-4987774726EXAMPLE/resourceid/vpc-0af3b96b3EXAMPLE"},
		"post with body": {Method: "POST", Path: "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter",
			ContentType: "application/json", Body: []byte(`{"router":{"router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"eu-de"}}`)},
	}
	for name, req := range benches {
		b.Run(name, func(b *testing.B) {
			c, err := New(Config{Service: awsService(), Endpoint: "https://route53profiles.us-east-1.amazonaws.com",
				Auth: nopAuth{}, Settings: Settings{HTTPClient: d}})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				resp, err := c.Do(ctx, "Op", req, nil)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("Do() = %v, %v", resp, err)
				}
			}
		})
	}
}
