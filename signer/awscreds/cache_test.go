package awscreds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
)

// The proof: 256 callers of a cached web identity provider during
// a refresh make exactly one STS request, and share its credentials.
func TestCachedProviderOneSTSRequest(t *testing.T) {
	t.Parallel()
	release, arrived := make(chan struct{}), make(chan struct{}, 1)
	srv := newFake(t, func(w http.ResponseWriter, r *http.Request, body string) {
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-release
		stsOK("AssumeRoleWithWebIdentity")(w, r, body)
	})
	file := filepath.Join(t.TempDir(), "token")
	writeToken(t, file, "jwt")
	p, err := NewWebIdentityProvider(WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", TokenFile: file,
		Region: "us-east-1", Endpoint: srv.URL, Settings: fast(nil, nil)})
	require.NoError(t, err)
	// The STS answer expires at 13:00 on the test's day; judge it at t0.
	cache := signer.NewAWSCredentialsCache(p, signer.WithAWSCacheClock(func() time.Time { return t0 }))

	const callers = 256
	var wg sync.WaitGroup
	keys := make([]string, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() {
			c, err := cache.RetrieveAWS(t.Context())
			keys[i], errs[i] = c.AccessKeyID, err
		})
	}
	// Once the request has arrived, let it through.
	<-arrived
	close(release)
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || keys[i] != stsAK {
			t.Fatalf("caller %d: %q, %v", i, keys[i], errs[i])
		}
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d STS requests, want 1", n)
	}
}

// A failing refresh of a cached provider keeps the valid credentials and
// logs the failure without secrets.
func TestCachedProviderFailedRefresh(t *testing.T) {
	t.Parallel()
	srv := newFake(t, stsOK("AssumeRoleWithWebIdentity"))
	file := filepath.Join(t.TempDir(), "token")
	const token = "jwt-SECRET-0123456789"
	writeToken(t, file, token)
	p, err := NewWebIdentityProvider(WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", TokenFile: file,
		Region: "us-east-1", Endpoint: srv.URL, Settings: fast(nil, nil)})
	require.NoError(t, err)
	clock := &testClock{t: t0}
	logged := make(chan string, 1)
	cache := signer.NewAWSCredentialsCache(p, signer.WithAWSCacheClock(clock.Now), signer.WithAWSCacheJitter(0),
		signer.WithAWSCacheLogger(loggerFunc(func(msg string, args ...any) {
			logged <- fmt.Sprintln(msg, args)
		})))
	_, err = cache.RetrieveAWS(t.Context())
	require.NoError(t, err)

	srv.setAnswer(func(w http.ResponseWriter, _ *http.Request, body string) {
		respond(w, 400, "text/xml", `<ErrorResponse><Error><Code>ExpiredTokenException</Code><Message>token `+token+` expired</Message></Error></ErrorResponse>`)
	})
	clock.Add(56 * time.Minute) // 4 minutes before the 13:00 expiry
	got, err := cache.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if got.AccessKeyID != stsAK {
		t.Errorf("got %q", got.AccessKeyID)
	}
	log := <-logged // the background refresh failed
	if !strings.Contains(log, "refresh failed") || !strings.Contains(log, "ExpiredTokenException") {
		t.Errorf("log = %q", log)
	}
	noLeak(t, []string{log}, token, stsSecret)
}

type loggerFunc func(msg string, args ...any)

func (f loggerFunc) DebugContext(_ context.Context, msg string, args ...any) { f(msg, args...) }

// Every provider renders as its description, never its fields, however it
// is printed, nested or logged.
func TestProvidersRender(t *testing.T) {
	t.Parallel()
	ar, err := NewAssumeRoleProvider(AssumeRoleConfig{Source: signer.StaticAWSCredentials("AK", "src-SECRET", ""),
		RoleARN: "arn:aws:iam::123456789012:role/r", ExternalID: "ext-SECRET", Region: "us-east-1"})
	require.NoError(t, err)
	wi, err := NewWebIdentityProvider(WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/r", TokenFile: "/t", Region: "us-east-1"})
	require.NoError(t, err)
	sso, err := NewSSOProvider(SSOConfig{AccountID: "1", RoleName: "r", Region: "us-east-1", TokenFile: "/t"})
	require.NoError(t, err)
	proc, err := NewProcessProvider(ProcessConfig{Command: "helper --password arg-SECRET"})
	require.NoError(t, err)
	ctr, err := NewContainerProvider(ContainerConfig{FullURI: "http://127.0.0.1/c", AuthorizationToken: "ctr-SECRET"})
	require.NoError(t, err)
	imds, err := NewIMDSProvider(IMDSConfig{})
	require.NoError(t, err)
	login, err := NewLoginProvider(LoginConfig{TokenFile: "/t"})
	require.NoError(t, err)
	for _, p := range []signer.AWSCredentialsProvider{ar, wi, sso, proc, ctr, imds, login} {
		s := p.(fmt.Stringer).String()
		if !strings.HasPrefix(s, "awscreds.") {
			t.Errorf("%T renders as %q", p, s)
		}
		texts := renderings(t, p)
		for _, text := range texts {
			if !strings.Contains(text, "awscreds.") {
				t.Errorf("%T rendering %q is not the description", p, text)
			}
		}
		noLeak(t, texts, "src-SECRET", "ext-SECRET", "arg-SECRET", "ctr-SECRET")
	}
}

func TestErrorUnwrap(t *testing.T) {
	t.Parallel()
	cause := errors.New("cause")
	e := &Error{Source: SourceIMDS, Reason: "r", Err: cause, noCredentials: true}
	if !errors.Is(e, cause) || !errors.Is(e, signer.ErrNoCredentials) || e.Error() != "EC2RoleProvider: r: cause" {
		t.Errorf("%v", e)
	}
	plain := &Error{Source: SourceSSO, Reason: "r"}
	if errors.Is(plain, signer.ErrNoCredentials) || plain.Error() != "SSOProvider: r" || len(plain.Unwrap()) != 0 {
		t.Errorf("%v", plain)
	}
}
