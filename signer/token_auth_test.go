package signer

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

type tokSourceFunc func(context.Context) (Token, error)

func (f tokSourceFunc) Token(ctx context.Context) (Token, error) { return f(ctx) }

func TestTokenAuthAuthorize(t *testing.T) {
	t.Parallel()
	errIAM := errors.New("iam down")
	tests := []struct {
		name    string
		a       *TokenAuth
		want    http.Header
		wantErr string
		wantIs  error
	}{
		{
			name: "token only",
			a:    &TokenAuth{Source: StaticToken("AUTH-TOKEN")},
			want: http.Header{"X-Auth-Token": {"AUTH-TOKEN"}},
		},
		{
			name: "token and project",
			a:    &TokenAuth{Source: StaticToken("AUTH-TOKEN"), ProjectID: "p1"},
			want: http.Header{"X-Auth-Token": {"AUTH-TOKEN"}, "X-Project-Id": {"p1"}},
		},
		{name: "nil authorizer", a: nil, wantErr: "no token source"},
		{name: "no source", a: &TokenAuth{}, wantErr: "no token source"},
		{name: "empty static token", a: &TokenAuth{Source: StaticToken("")}, wantErr: "static token is empty", wantIs: ErrNoCredentials},
		{name: "source error", a: &TokenAuth{Source: tokSourceFunc(func(context.Context) (Token, error) { return Token{}, errIAM })}, wantErr: "get token: iam down", wantIs: errIAM},
		{name: "source returns empty token", a: &TokenAuth{Source: tokSourceFunc(func(context.Context) (Token, error) { return Token{}, nil })}, wantErr: "empty token", wantIs: ErrNoCredentials},
		{name: "control character in token", a: &TokenAuth{Source: StaticToken("AUTH\r\nX-Evil: 1")}, wantErr: "token contains a control character"},
		{name: "control character in project", a: &TokenAuth{Source: StaticToken("AUTH-TOKEN"), ProjectID: "p\n"}, wantErr: "project ID contains a control character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/v2/zones")
			err := tc.a.Authorize(t.Context(), req, "", time.Time{})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
					t.Errorf("err = %v, want errors.Is %v", err, tc.wantIs)
				}
				if strings.Contains(err.Error(), "AUTH") {
					t.Errorf("error leaks the token: %v", err)
				}
				return
			}
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, req.Header); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTokenAuthReauthorize: concurrent 401s with the same token cause one
// refresh; static sources and token-less requests are not retried.
func TestTokenAuthReauthorize(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	cached := NewCachedTokenSource(tokCountingFetcher(time.Now, 24*time.Hour, &n))
	a := &TokenAuth{Source: cached}

	var rejected []*http.Request
	for range 5 {
		req := hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/")
		require.NoError(t, a.Authorize(t.Context(), req, "", time.Time{}))
		rejected = append(rejected, req)
	}
	var wg sync.WaitGroup
	retry := make([]bool, len(rejected))
	for i, req := range rejected {
		wg.Go(func() { retry[i] = a.Reauthorize(t.Context(), req) })
	}
	wg.Wait()
	for i, r := range retry {
		if !r {
			t.Errorf("Reauthorize of request %d = false, want true", i)
		}
	}
	replay := hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/")
	require.NoError(t, a.Authorize(t.Context(), replay, "", time.Time{}))
	if got := replay.Header.Get("X-Auth-Token"); got != "t2" {
		t.Errorf("replayed token = %q, want t2", got)
	}
	if got := n.Load(); got != 2 {
		t.Errorf("fetches = %d, want 2 (one refresh for all rejections)", got)
	}

	tests := []struct {
		name string
		a    *TokenAuth
		req  *http.Request
	}{
		{name: "static source", a: &TokenAuth{Source: StaticToken("x")}, req: replay},
		{name: "no token on request", a: a, req: hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/")},
		{name: "nil request", a: a, req: nil},
		{name: "nil authorizer", a: nil, req: replay},
	}
	for _, tc := range tests {
		if tc.a.Reauthorize(t.Context(), tc.req) {
			t.Errorf("%s: Reauthorize = true, want false", tc.name)
		}
	}
}
