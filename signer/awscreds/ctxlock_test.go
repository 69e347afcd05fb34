package awscreds

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/waitfor"
	"github.com/detach-go/detach/signer"
)

// gate holds a test server's answers until it is opened; entered is closed
// when the first request arrives.
type gate struct {
	open    chan struct{}
	entered chan struct{}
	once    sync.Once
	opened  sync.Once
}

func newGate() *gate {
	return &gate{open: make(chan struct{}), entered: make(chan struct{})}
}

func (g *gate) release() { g.opened.Do(func() { close(g.open) }) }

// hold wraps a server answer so that it waits for the gate.
func (g *gate) hold(answer func(w http.ResponseWriter, r *http.Request, body string)) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, r *http.Request, body string) {
		g.once.Do(func() { close(g.entered) })
		select {
		case <-g.open:
			answer(w, r, body)
		case <-r.Context().Done():
		}
	}
}

// The providers that hold a lock across a request (an SSO token refresh, a
// login refresh, an IMDSv2 token) let a caller whose context ends leave
// while another caller's request is in flight; that caller then finishes.
func TestProvidersWaitersLeaveOnTheirContext(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T, g *gate) signer.AWSCredentialsProvider
	}{
		{name: "SSO token refresh", build: func(t *testing.T, g *gate) signer.AWSCredentialsProvider {
			portal, oidc := ssoServers(t)
			oidc.setAnswer(g.hold(oidc.answer))
			file := ssoCache(t, 0o600, ssoMembers(t0.Add(-time.Second)))
			return newSSO(t, file, true, portal, oidc, func() time.Time { return t0 }, nil)
		}},
		{name: "login refresh", build: func(t *testing.T, g *gate) signer.AWSCredentialsProvider {
			_, pemKey := newDPoPKey(t)
			srv := newFake(t, g.hold(signinOK))
			p, err := NewLoginProvider(LoginConfig{TokenFile: loginFile(t, loginMembers(pemKey, t0)), Region: "us-east-1",
				Endpoint: srv.URL, Settings: fast(func() time.Time { return t0 }, nil)})
			require.NoError(t, err)
			return p
		}},
		{name: "IMDSv2 token", build: func(t *testing.T, g *gate) signer.AWSCredentialsProvider {
			m := newFakeIMDS(t)
			m.setAnswer(g.hold(m.serve))
			set := fast(func() time.Time { return t0 }, nil)
			set.HTTPClient = &http.Client{} // no header timeout: the gate holds the request
			p, err := NewIMDSProvider(IMDSConfig{Endpoint: m.URL, OperationTimeout: time.Hour, Settings: set})
			require.NoError(t, err)
			return p
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGate()
			p := tt.build(t, g)
			// Registered after the servers' Close, so run before it: a
			// server does not close while a held answer waits.
			t.Cleanup(g.release)
			first := waitfor.Go(func() (signer.AWSCredentials, error) { return p.RetrieveAWS(context.Background()) })
			waitfor.Within(t, g.entered, "the first caller's request")

			ctx, cancel := context.WithCancel(context.Background())
			waiter := waitfor.Go(func() (signer.AWSCredentials, error) { return p.RetrieveAWS(ctx) })
			cancel()
			if r := waitfor.Within(t, waiter, "a cancelled waiter"); !errors.Is(r.Err, context.Canceled) {
				t.Errorf("cancelled waiter: err = %v, want context.Canceled", r.Err)
			}

			g.release()
			r := waitfor.Within(t, first, "the first caller")
			require.NoError(t, r.Err)
			if r.Value.AccessKeyID != stsAK {
				t.Errorf("first caller: AccessKeyID = %q, want %q", r.Value.AccessKeyID, stsAK)
			}
		})
	}
}

// An unlock without a lock is reported, as sync.Mutex reports it, on a
// zero mutex and on one that was locked and unlocked before.
func TestCtxMutexUnlockOfUnlocked(t *testing.T) {
	t.Parallel()
	unlockPanics := func(m *ctxMutex) (panicked bool) {
		defer func() { panicked = recover() != nil }()
		m.unlock()
		return false
	}
	var zero ctxMutex
	if !unlockPanics(&zero) {
		t.Error("unlock of a zero ctxMutex did not panic")
	}
	var used ctxMutex
	if err := used.lock(t.Context()); err != nil {
		t.Fatal(err)
	}
	used.unlock()
	if !unlockPanics(&used) {
		t.Error("a second unlock did not panic")
	}
}
