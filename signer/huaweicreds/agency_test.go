package huaweicreds

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/transport"
)

func agencyStart(t *testing.T, agency string) (*fakecloud.Cloud, *AgencyTokenSource) {
	t.Helper()
	cloud := fakecloud.New()
	srv := cloud.Start()
	t.Cleanup(srv.Close)
	iam := srv.Endpoint(fakecloud.HuaweiIAM)
	caller, err := NewPasswordTokenSource(PasswordConfig{Endpoint: iam, UserName: fakecloud.HuaweiUserName,
		Password: fakecloud.HuaweiPassword, DomainName: fakecloud.HuaweiDomainName, ProjectID: fakecloud.HuaweiProjectID,
		Settings: iamTestSettings()})
	require.NoError(t, err)
	s, err := NewAgencyTokenSource(AgencyConfig{Endpoint: iam, Caller: caller, DomainName: fakecloud.HuaweiAgencyDomainName,
		AgencyName: agency, ProjectID: fakecloud.HuaweiAgencyProjectID, Settings: iamTestSettings()})
	require.NoError(t, err)
	return cloud, s
}

// 256 callers share one assume_role request (and one caller token).
func TestAgencyTokenSource(t *testing.T) {
	t.Parallel()
	cloud, s := agencyStart(t, fakecloud.HuaweiAgencyName)
	var wg sync.WaitGroup
	values := make([]string, 256)
	for i := range values {
		wg.Go(func() {
			if tok, err := s.Token(t.Context()); err == nil {
				values[i] = tok.Value
			}
		})
	}
	wg.Wait()
	for i := range values {
		if values[i] == "" || values[i] != values[0] {
			t.Fatalf("caller %d got a different or no token", i)
		}
	}
	if n := cloud.Requests(fakecloud.OpCreateToken); n != 2 {
		t.Errorf("token requests = %d, want 2 (the caller's and the agency's)", n)
	}
	iamAssertNoSecret(t, s, values[0], fakecloud.HuaweiPassword)
}

func TestAgencyTokenSourceRefused(t *testing.T) {
	t.Parallel()
	_, s := agencyStart(t, "no-such-agency")
	_, err := s.Token(t.Context())
	if !errors.Is(err, transport.ErrAccessDenied) {
		t.Fatalf("unknown agency: err = %v, want ErrAccessDenied", err)
	}
	if strings.Contains(err.Error(), fakecloud.HuaweiPassword) {
		t.Errorf("error leaks the password: %v", err)
	}
	for _, cfg := range []AgencyConfig{{}, {Caller: s, AgencyName: "a"}, {Caller: s, DomainName: "d"}} {
		if _, err := NewAgencyTokenSource(cfg); err == nil {
			t.Errorf("NewAgencyTokenSource(%v): want an error", cfg.AgencyName)
		}
	}
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := s.Token(nil); err == nil { //nolint:staticcheck
		t.Error("nil ctx: want an error")
	}
}
