package reliability

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// The tests in this file are regressions: each showed a bug these suites
// found in another package, fixed since (the comment says what it was).

// TestRegressionWrappedIAMErrorMutated: the transport's attempt loop looks for a
// *ResponseError with errors.As, which also finds IAM's ResponseError
// wrapped inside the *AuthError of a failed token fetch (or IAM lookup), and
// writes the service call's attempt number into it. IAM's error then
// contradicts its own, already formatted, text.
func TestRegressionWrappedIAMErrorMutated(t *testing.T) {
	t.Parallel()
	s := newTokenSetup(t, &clock{})
	s.cloud.Inject(fakecloud.OpCreateToken, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503, Count: 100})
	_, _, err := s.dns(t, nil).call(context.Background(), dnsInput())
	var re *transport.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v does not wrap IAM's ResponseError", err)
	}
	if n := s.cloud.Requests(fakecloud.OpCreateToken); re.Attempts != n {
		t.Errorf("IAM's ResponseError.Attempts = %d after %d IAM attempts (error text: %v)", re.Attempts, n, err)
	}
}

// TestRegressionSharedIAMErrorRace: the same write is a data race when the failed
// fetch is shared: every caller waiting on one token fetch (or one IAM
// lookup) gets the same error value, and each caller's attempt loop writes
// its attempt number into it (seen under -race).
func TestRegressionSharedIAMErrorRace(t *testing.T) {
	t.Parallel()
	s := newTokenSetup(t, &clock{})
	s.cloud.Inject(fakecloud.OpCreateToken, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 503, Count: 1000,
		Delay: 50 * time.Millisecond})
	c := s.dns(t, nil)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() { c.call(context.Background(), dnsInput()) })
	}
	wg.Wait()
}

// TestRegressionUserAgentControlCharacters: New rejects CR and LF in UserAgentApp
// but accepts other control characters, which net/http then refuses to send:
// every call fails with a *SendError after all its attempts, instead of New
// failing with an error naming UserAgentApp.
func TestRegressionUserAgentControlCharacters(t *testing.T) {
	t.Parallel()
	srv := newLoopback(t, nil)
	for _, ua := range []string{"app\x00", "app\x7f", "app\x1b[31m"} {
		_, err := newRoute53Profiles(srv.URL(), awsKeys(), transport.Settings{HTTPClient: newHTTPClient(t), Retry: fastRetry()}, ua)
		if err == nil || !strings.Contains(err.Error(), "UserAgentApp") {
			t.Errorf("UserAgentApp %q: New error = %v, want one naming UserAgentApp", ua, err)
		}
	}
}

// TestRegressionSessionTokenCRLF: SigV4 checks the access key ID for control
// characters but not the session token, which it writes into
// X-Amz-Security-Token; net/http then refuses the header, and the call fails
// with a retryable *SendError after all its attempts instead of an auth
// error before the first.
func TestRegressionSessionTokenCRLF(t *testing.T) {
	t.Parallel()
	srv := newLoopback(t, nil)
	for _, tok := range []string{crlf, "tok\x00"} {
		c, err := newCustomerProfiles(srv.URL(), signer.StaticAWSCredentials(fakecloud.AWSTempAccessKeyID, fakecloud.AWSTempSecretKey, tok),
			transport.Settings{HTTPClient: newHTTPClient(t), Retry: fastRetry()}, "")
		if err != nil {
			t.Fatalf("new client: %v", err)
		}
		_, meta, err := c.call(context.Background(), opCustomerProfiles().input(0))
		if got := classify(t, meta, err); got.Kind != "auth" || !strings.Contains(err.Error(), "session token") {
			t.Errorf("session token %q: outcome %+v (%v), want an auth error naming the session token", tok, got, err)
		}
	}
}

// TestRegressionEchoedCredentials: a proxy or server that echoes the request's
// credentials back (a debugging proxy's error page, a service quoting the
// rejected token) puts them in ResponseError.Message or Snippet, in the
// logged response body, and, through the unexported header field, in %#v
// of the ResponseError. detach knows the values it sent and could redact
// them; today it does not. A decision for the lead, not a clear bug.
func TestRegressionEchoedCredentials(t *testing.T) {
	t.Parallel()
	srv := newLoopback(t, func(w http.ResponseWriter, r *http.Request) {
		tok := r.Header.Get("X-Auth-Token")
		w.Header().Set("X-Echo-Token", tok)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprintf(w, "<html>502 upstream failed for request with X-Auth-Token: %s</html>", tok)
	})
	logs := newLogRecorder()
	c, err := newPrivateDNS(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: fakecloud.HuaweiRegion,
		Endpoint: srv.URL(), TokenSource: signer.StaticToken(staticToken), ProjectID: fakecloud.HuaweiProjectID,
		Settings: transport.Settings{HTTPClient: newHTTPClient(t), Retry: fastRetry(), Logger: logs.logger(), LogBodies: true}})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	_, _, err = c.call(context.Background(), dnsInput())
	var re *transport.ResponseError
	errors.As(err, &re)
	logged, _ := logs.snapshot()
	for what, text := range map[string]string{"error": fmt.Sprintf("%v", err), "%#v of the ResponseError": fmt.Sprintf("%#v", re),
		"logs": logged} {
		if strings.Contains(text, staticToken) {
			t.Errorf("the echoed token appears in the %s", what)
		}
	}
}

// TestRegressionNilContextPoll: route53profiles.WaitProfileDisassociated
// did not check for a nil context (the privatedns waiters did): its first
// poll failed with "nil context", and transport.Poll then called ctx.Err()
// on the nil context and panicked; transport.Poll itself panicked the same
// way. TestWaiterBadInput covers the other waiters.
func TestRegressionNilContextPoll(t *testing.T) {
	t.Parallel()
	doer := &countingDoer{next: fakecloud.LocalDoer{Cloud: fakecloud.New()}}
	c, err := r53Client(localEndpoint, transport.Settings{HTTPClient: doer})
	if err != nil {
		t.Fatal(err)
	}
	var nilCtx context.Context
	calls := map[string]func() error{
		"route53profiles WaitProfileDisassociated": func() error {
			return c.WaitProfileDisassociated(nilCtx, fakecloud.R53ProfileID, fakecloud.R53VPCID, transport.WaitOptions{})
		},
		"transport.Poll": func() error {
			_, err := transport.Poll(nilCtx, "w", transport.WaitOptions{}, func(context.Context) (transport.PollResult, error) {
				return transport.PollResult{State: "PENDING"}, nil
			})
			return err
		},
	}
	for name, call := range calls {
		panicked, err := catchPanic(call)
		var we *transport.WaitError
		switch {
		case panicked != nil:
			t.Errorf("%s with a nil context: panic %v, want an error", name, panicked)
		case !errors.As(err, &we):
			t.Errorf("%s with a nil context: %v, want a *transport.WaitError", name, err)
		}
	}
	if n := doer.n.Load(); n != 0 {
		t.Errorf("%d requests sent with a nil context", n)
	}
}

// TestRegressionLocalDoerAnswersAbandonedRequests: when the request's
// context ended while an injected Slow fault held it, the emulator wrote
// nothing and fakecloud.LocalDoer returned what its ResponseRecorder held:
// a 200 with the request-ID header and an empty body, where a real
// connection gives the context's error. A client took it for success:
// ListProfileAssociations returned an empty list after its deadline, and
// WaitProfileDisassociated, seeing no association, reported the removal
// done although the association was still DELETING.
func TestRegressionLocalDoerAnswersAbandonedRequests(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		cloud := pendingCloud()
		cloud.SetProfileAssociationStatus(fakecloud.R53ProfileID, fakecloud.R53VPCID, "DELETING", "Deleting Profile Association")
		c, err := r53Client(localEndpoint, transport.Settings{HTTPClient: fakecloud.LocalDoer{Cloud: cloud}, Retry: timedPolicy()})
		if err != nil {
			t.Fatal(err)
		}
		cloud.Inject(fakecloud.OpListProfileAssociations, fakecloud.Fault{Kind: fakecloud.Slow, Delay: time.Hour})
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if out, err := c.ListProfileAssociations(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("ListProfileAssociations past its deadline = %+v, %v; want context.DeadlineExceeded", out, err)
		}

		cloud.Inject(fakecloud.OpListProfileAssociations, fakecloud.Fault{Kind: fakecloud.Slow, Delay: time.Hour})
		ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = c.WaitProfileDisassociated(ctx, fakecloud.R53ProfileID, fakecloud.R53VPCID, transport.WaitOptions{})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("WaitProfileDisassociated with its poll held past the deadline = %v, want context.DeadlineExceeded", err)
		}
		if ok, status := cloud.ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID); !ok || status != "DELETING" {
			t.Errorf("the association is %v %q; want it still DELETING", ok, status)
		}
	})
}
