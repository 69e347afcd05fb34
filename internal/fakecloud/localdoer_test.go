package fakecloud

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

func TestLocalDoer(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := New() // time.Now is the bubble's fake clock
		d := LocalDoer{Cloud: c, Latency: 40 * time.Millisecond}
		newGet := func(ctx context.Context) *http.Request {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet,
				"http://fakecloud.invalid"+string(Route53Profiles)+"/profileassociation/"+R53AssociationID, nil)
			mustOK(t, err)
			return signAWS(t, req, nil, awsMain, "route53profiles", "us-east-1", time.Now())
		}

		begin := time.Now()
		resp, err := d.Do(newGet(t.Context()))
		mustOK(t, err)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || time.Since(begin) != 40*time.Millisecond {
			t.Errorf("status %d after %v (body %s); want 200 after 40ms", resp.StatusCode, time.Since(begin), body)
		}
		if resp.Header.Get("X-Amzn-RequestId") == "" || resp.Request == nil {
			t.Errorf("response lacks the request ID header or the request")
		}

		// A Reset fault is a transport error, not a panic.
		c.Inject(OpGetProfileAssociation, Fault{Kind: Reset})
		if _, err := d.Do(newGet(t.Context())); err == nil {
			t.Error("Reset fault: no error")
		}

		// A context that ends during the latency ends the request unserved.
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
		defer cancel()
		before := c.Requests(OpGetProfileAssociation)
		if _, err := d.Do(newGet(ctx)); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error = %v, want the context's deadline", err)
		}
		if c.Requests(OpGetProfileAssociation) != before {
			t.Error("a request whose context ended was served")
		}
	})
}
