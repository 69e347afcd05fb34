package huaweicreds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/sigverify"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// iamLookupServer is a fake IAM answering the two lookups under /iam,
// verifying each request's signature.
type iamLookupServer struct {
	*httptest.Server
	otc  bool
	hits atomic.Int32

	mu    sync.Mutex
	seen  []string // method, escaped path and query of each request
	ids   []sigverify.HuaweiIdentity
	errs  []error
	reply func(w http.ResponseWriter, r *http.Request) bool
}

func newIAMLookupServer(t *testing.T, otc bool) *iamLookupServer {
	t.Helper()
	s := &iamLookupServer{otc: otc}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		body, _ := io.ReadAll(r.Body)
		sum := sha256.Sum256(body)
		secretFor := func(ak string) (string, bool) { return iamTestSK, strings.HasPrefix(ak, "AK") }
		verify := sigverify.Huawei
		if otc {
			verify = sigverify.OTC
		}
		id, err := verify(r, hex.EncodeToString(sum[:]), secretFor, iamTestTime, time.Minute)
		s.mu.Lock()
		s.seen = append(s.seen, r.Method+" "+r.URL.EscapedPath()+"?"+r.URL.RawQuery)
		s.ids = append(s.ids, id)
		s.errs = append(s.errs, err)
		reply := s.reply
		s.mu.Unlock()
		if err != nil {
			iamWriteJSON(w, 401, `{"error_code":"APIGW.0301","error_msg":"verify aksk signature fail"}`)
			return
		}
		if reply != nil && reply(w, r) {
			return
		}
		switch r.URL.Path {
		case "/iam/v3/projects":
			iamWriteJSON(w, 200, `{"projects":[{"id":"proj-`+r.URL.Query().Get("name")+`","name":"`+
				r.URL.Query().Get("name")+`"}],"links":{}}`)
		case "/iam/v3/auth/domains":
			iamWriteJSON(w, 200, `{"domains":[{"id":"dom-1","name":"account"}]}`)
		default:
			iamWriteJSON(w, 404, `{"error_code":"APIGW.0101","error_msg":"no such API"}`)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *iamLookupServer) setReply(f func(w http.ResponseWriter, r *http.Request) bool) {
	s.mu.Lock()
	s.reply = f
	s.mu.Unlock()
}

func (s *iamLookupServer) lookupConfig() LookupConfig {
	set := iamTestSettings()
	set.Now = func() time.Time { return iamTestTime }
	return LookupConfig{Endpoint: s.URL + "/iam", Region: "cn-north-4", OTC: s.otc, Settings: set}
}

func iamTestKeys() signer.HuaweiCredentials {
	return signer.HuaweiCredentials{AccessKey: "AKIAM", SecretKey: iamTestSK, SecurityToken: "ST-SECRET-IAM", Source: "test"}
}

// iamProvider is a provider from a function.
type iamProvider func(context.Context) (signer.HuaweiCredentials, error)

func (f iamProvider) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	return f(ctx)
}

func TestIAMResolveIDs(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		otc     bool
		domain  bool
		base    signer.HuaweiCredentials
		want    signer.HuaweiCredentials
		wantReq []string
	}{
		"project, huawei signing": {
			base:    iamTestKeys(),
			want:    func() signer.HuaweiCredentials { c := iamTestKeys(); c.ProjectID = "proj-cn-north-4"; return c }(),
			wantReq: []string{"GET /iam/v3/projects?name=cn-north-4"},
		},
		"project, otc signing": {
			otc:     true,
			base:    iamTestKeys(),
			want:    func() signer.HuaweiCredentials { c := iamTestKeys(); c.ProjectID = "proj-cn-north-4"; return c }(),
			wantReq: []string{"GET /iam/v3/projects?name=cn-north-4"},
		},
		"project lookup signs without the domain ID": {
			base: func() signer.HuaweiCredentials { c := iamTestKeys(); c.DomainID = "dom-x"; return c }(),
			want: func() signer.HuaweiCredentials {
				c := iamTestKeys()
				c.DomainID, c.ProjectID = "dom-x", "proj-cn-north-4"
				return c
			}(),
			wantReq: []string{"GET /iam/v3/projects?name=cn-north-4"},
		},
		"project given: no request": {
			base: func() signer.HuaweiCredentials { c := iamTestKeys(); c.ProjectID = "mine"; return c }(),
			want: func() signer.HuaweiCredentials { c := iamTestKeys(); c.ProjectID = "mine"; return c }(),
		},
		"domain": {
			domain:  true,
			base:    iamTestKeys(),
			want:    func() signer.HuaweiCredentials { c := iamTestKeys(); c.DomainID = "dom-1"; return c }(),
			wantReq: []string{"GET /iam/v3/auth/domains?"},
		},
		"domain given: no request": {
			domain: true,
			base:   func() signer.HuaweiCredentials { c := iamTestKeys(); c.DomainID = "mine"; return c }(),
			want:   func() signer.HuaweiCredentials { c := iamTestKeys(); c.DomainID = "mine"; return c }(),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newIAMLookupServer(t, tc.otc)
			newResolver := ProjectIDFromIAM
			if tc.domain {
				newResolver = DomainIDFromIAM
			}
			r, err := newResolver(signer.StaticHuaweiCredentials(tc.base), srv.lookupConfig())
			require.NoError(t, err)
			for range 3 { // the answer is cached
				got, err := r.RetrieveHuawei(t.Context())
				require.NoError(t, err)
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("credentials (-want +got):\n%s", diff)
				}
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			if diff := cmp.Diff(tc.wantReq, srv.seen); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			for i, err := range srv.errs {
				if err != nil {
					t.Errorf("request %d: signature does not verify: %v", i, err)
				}
				id := srv.ids[i]
				wantID := sigverify.HuaweiIdentity{AccessKey: "AKIAM", SecurityToken: "ST-SECRET-IAM", Time: iamTestTime}
				if diff := cmp.Diff(wantID, id); diff != "" {
					t.Errorf("request %d identity (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestIAMResolveOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	for _, domain := range []bool{false, true} {
		srv := newIAMLookupServer(t, false)
		release := make(chan struct{})
		srv.setReply(func(http.ResponseWriter, *http.Request) bool { <-release; return false })
		newResolver := ProjectIDFromIAM
		if domain {
			newResolver = DomainIDFromIAM
		}
		r, err := newResolver(signer.StaticHuaweiCredentials(iamTestKeys()), srv.lookupConfig())
		require.NoError(t, err)
		const callers = 100
		var wg sync.WaitGroup
		got := make([]signer.HuaweiCredentials, callers)
		errs := make([]error, callers)
		for i := range callers {
			wg.Go(func() { got[i], errs[i] = r.RetrieveHuawei(t.Context()) })
		}
		close(release)
		wg.Wait()
		for i := range callers {
			if errs[i] != nil || got[i].ProjectID+got[i].DomainID == "" {
				t.Fatalf("domain=%t caller %d: %v, %v", domain, i, got[i], errs[i])
			}
		}
		if n := srv.hits.Load(); n != 1 {
			t.Errorf("domain=%t: IAM got %d requests, want 1", domain, n)
		}
	}
}

func TestIAMResolveErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		domain   bool
		status   int
		body     string
		wantHits int32
		want     string // in the error
		check    func(*testing.T, error)
	}{
		"access denied": {status: 403, body: `{"error_code":"APIGW.0302","error_msg":"not authorized"}`, wantHits: 1,
			want: "operation error IAM: ListProjects", check: func(t *testing.T, err error) {
				var re *transport.ResponseError
				if !errors.As(err, &re) || re.StatusCode != 403 || !errors.Is(err, transport.ErrAccessDenied) {
					t.Errorf("want a 403 ResponseError, got %v", err)
				}
			}},
		"server error retried": {status: 500, body: `{}`, wantHits: 3, want: "http status 500"},
		"no project":           {status: 200, body: `{"projects":[]}`, wantHits: 1, want: `IAM has no project named "cn-north-4"`},
		"two projects": {status: 200, body: `{"projects":[{"id":"a","name":"cn-north-4"},{"id":"b","name":"cn-north-4"}]}`,
			wantHits: 1, want: `2 projects named "cn-north-4" ("a", "b")`},
		"empty project id": {status: 200, body: `{"projects":[{"id":"","name":"cn-north-4"}]}`, wantHits: 1, want: "id is empty"},
		"not JSON":         {status: 200, body: `<html>`, wantHits: 1, want: "not valid JSON"},
		"no domain":        {domain: true, status: 200, body: `{"domains":[]}`, wantHits: 1, want: "IAM lists no domain"},
		"domain denied": {domain: true, status: 403, body: `{"error_code":"IAM.0002","error_msg":"no"}`, wantHits: 1,
			want: "operation error IAM: ListAuthDomains"},
		"domain id with control character": {domain: true, status: 200, body: `{"domains":[{"id":"a\nb"}]}`, wantHits: 1,
			want: "id is empty or not printable"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newIAMLookupServer(t, false)
			srv.setReply(func(w http.ResponseWriter, _ *http.Request) bool {
				iamWriteJSON(w, tc.status, tc.body)
				return true
			})
			newResolver := ProjectIDFromIAM
			if tc.domain {
				newResolver = DomainIDFromIAM
			}
			r, err := newResolver(signer.StaticHuaweiCredentials(iamTestKeys()), srv.lookupConfig())
			require.NoError(t, err)
			_, err = r.RetrieveHuawei(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error leaks a secret: %v", err)
			}
			if n := srv.hits.Load(); n != tc.wantHits {
				t.Errorf("IAM got %d requests, want %d", n, tc.wantHits)
			}
			if tc.check != nil {
				tc.check(t, err)
			}
			// Errors are not cached.
			_, _ = r.RetrieveHuawei(t.Context())
			if n := srv.hits.Load(); n != 2*tc.wantHits {
				t.Errorf("after a second call IAM got %d requests, want %d", n, 2*tc.wantHits)
			}
		})
	}
}

func TestIAMResolveNewKeysLookAgain(t *testing.T) {
	t.Parallel()
	srv := newIAMLookupServer(t, false)
	var n atomic.Int32
	base := iamProvider(func(context.Context) (signer.HuaweiCredentials, error) {
		c := iamTestKeys()
		if n.Add(1) > 2 {
			c.AccessKey = "AKROTATED"
		}
		return c, nil
	})
	r, err := ProjectIDFromIAM(base, srv.lookupConfig())
	require.NoError(t, err)
	for range 4 {
		_, err := r.RetrieveHuawei(t.Context())
		require.NoError(t, err)
	}
	if got := srv.hits.Load(); got != 2 {
		t.Errorf("IAM got %d requests, want 2 (one per access key)", got)
	}
}

func TestIAMResolveBaseError(t *testing.T) {
	t.Parallel()
	srv := newIAMLookupServer(t, false)
	r, err := ProjectIDFromIAM(signer.StaticHuaweiCredentials(signer.HuaweiCredentials{}), srv.lookupConfig())
	require.NoError(t, err)
	if _, err := r.RetrieveHuawei(t.Context()); !errors.Is(err, signer.ErrNoCredentials) {
		t.Errorf("error %v, want signer.ErrNoCredentials", err)
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("IAM got %d requests, want 0", n)
	}
}

func TestIAMResolveWaiterCancel(t *testing.T) {
	t.Parallel()
	srv := newIAMLookupServer(t, false)
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	srv.setReply(func(http.ResponseWriter, *http.Request) bool {
		entered <- struct{}{}
		<-release
		return false
	})
	r, err := ProjectIDFromIAM(signer.StaticHuaweiCredentials(iamTestKeys()), srv.lookupConfig())
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() {
		_, err := r.RetrieveHuawei(ctx)
		done <- err
	}()
	<-entered
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("canceled caller got %v", err)
	}
	close(release) // the lookup carries on for the others and is cached
	got, err := r.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	if got.ProjectID != "proj-cn-north-4" || srv.hits.Load() != 1 {
		t.Errorf("ProjectID %q after %d requests", got.ProjectID, srv.hits.Load())
	}
}

func TestIAMResolveConfigErrors(t *testing.T) {
	t.Parallel()
	base := signer.StaticHuaweiCredentials(iamTestKeys())
	tests := map[string]struct {
		make func() error
		want string
	}{
		"project without region": {func() error {
			_, err := ProjectIDFromIAM(base, LookupConfig{Endpoint: "https://iam.example"})
			return err
		}, "LookupConfig.Region or ProjectName is required"},
		"nil base": {func() error { _, err := DomainIDFromIAM(nil, LookupConfig{}); return err }, "base credentials provider is nil"},
		"bad region": {func() error {
			_, err := ProjectIDFromIAM(base, LookupConfig{Region: "Cn North"})
			return err
		}, `LookupConfig.Region "Cn North" is not a valid region`},
		"bad endpoint": {func() error {
			_, err := DomainIDFromIAM(base, LookupConfig{Endpoint: "iam.example"})
			return err
		}, "LookupConfig.Endpoint"},
		"otc domain without region or endpoint": {func() error {
			_, err := DomainIDFromIAM(base, LookupConfig{OTC: true})
			return err
		}, "Region is required for Open Telekom Cloud"},
	}
	for name, tc := range tests {
		if err := tc.make(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", name, err, tc.want)
		}
	}
	var nilR *ResolvedCredentials
	if _, err := nilR.RetrieveHuawei(t.Context()); err == nil {
		t.Error("nil resolver gave no error")
	}
}

func TestIAMResolveRendering(t *testing.T) {
	t.Parallel()
	srv := newIAMLookupServer(t, false)
	r, err := ProjectIDFromIAM(signer.StaticHuaweiCredentials(iamTestKeys()), srv.lookupConfig())
	require.NoError(t, err)
	_, err = r.RetrieveHuawei(t.Context())
	require.NoError(t, err)
	iamAssertNoSecret(t, r, iamTestSK, "ST-SECRET")
	if got := r.String(); !strings.Contains(got, "Fills:ProjectID") || !strings.Contains(got, "Cached:proj-cn-north-4") {
		t.Errorf("String() = %s", got)
	}
}
