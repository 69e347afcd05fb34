package signer

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestStaticHuaweiCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      HuaweiCredentials
		want    HuaweiCredentials
		wantErr string
	}{
		{
			name: "complete",
			in:   HuaweiCredentials{AccessKey: "AK", SecretKey: "SK", ProjectID: "p"},
			want: HuaweiCredentials{AccessKey: "AK", SecretKey: "SK", ProjectID: "p", Source: "static"},
		},
		{
			name: "source kept",
			in:   HuaweiCredentials{AccessKey: "AK", SecretKey: "SK", Source: "vault"},
			want: HuaweiCredentials{AccessKey: "AK", SecretKey: "SK", Source: "vault"},
		},
		{name: "no access key", in: HuaweiCredentials{SecretKey: "SK"}, wantErr: "access key is empty"},
		{name: "no secret key", in: HuaweiCredentials{AccessKey: "AK"}, wantErr: "secret key is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := StaticHuaweiCredentials(tc.in).RetrieveHuawei(t.Context())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrNoCredentials) {
					t.Fatalf("err = %v, want %q wrapping ErrNoCredentials", err, tc.wantErr)
				}
				return
			}
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHuaweiCredentialsFromEnv cannot run in parallel: it sets the process
// environment.
func TestHuaweiCredentialsFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    HuaweiCredentials
		wantErr string
	}{
		{
			name: "all variables",
			env: map[string]string{
				"HUAWEICLOUD_SDK_AK": "AK", "HUAWEICLOUD_SDK_SK": "SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN": "TOK",
				"HUAWEICLOUD_SDK_PROJECT_ID": "p", "HUAWEICLOUD_SDK_DOMAIN_ID": "d",
			},
			want: HuaweiCredentials{AccessKey: "AK", SecretKey: "SK", SecurityToken: "TOK", ProjectID: "p", DomainID: "d", Source: "env"},
		},
		{name: "no AK", env: map[string]string{"HUAWEICLOUD_SDK_SK": "SK"}, wantErr: "HUAWEICLOUD_SDK_AK is not set"},
		{name: "no SK", env: map[string]string{"HUAWEICLOUD_SDK_AK": "AK"}, wantErr: "HUAWEICLOUD_SDK_SK is not set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []string{hwEnvAK, hwEnvSK, hwEnvSecurityToken, hwEnvProjectID, hwEnvDomainID} {
				t.Setenv(k, tc.env[k])
			}
			got, err := HuaweiCredentialsFromEnv().RetrieveHuawei(t.Context())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrNoCredentials) {
					t.Fatalf("err = %v, want %q wrapping ErrNoCredentials", err, tc.wantErr)
				}
				return
			}
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}
}

type hwProviderFunc func(context.Context) (HuaweiCredentials, error)

func (f hwProviderFunc) RetrieveHuawei(ctx context.Context) (HuaweiCredentials, error) { return f(ctx) }

func TestHuaweiAKSKAuthorize(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	creds := hwTestCreds()
	creds.ProjectID = "p1"
	tests := []struct {
		name     string
		a        *HuaweiAKSK
		wantAuth string // prefix of Authorization
		wantErr  string
		wantIs   error
	}{
		{name: "huawei", a: &HuaweiAKSK{Credentials: StaticHuaweiCredentials(creds)}, wantAuth: "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=host;x-project-id;x-sdk-date, "},
		{name: "otc", a: &HuaweiAKSK{Credentials: StaticHuaweiCredentials(creds), OTC: true}, wantAuth: "SDK-HMAC-SHA256 Credential=AKEXAMPLE/20250102///sdk_request, SignedHeaders=host;x-sdk-date, "},
		{name: "nil authorizer", a: nil, wantErr: "no credentials provider"},
		{name: "no provider", a: &HuaweiAKSK{}, wantErr: "no credentials provider"},
		{name: "provider error", a: &HuaweiAKSK{Credentials: hwProviderFunc(func(context.Context) (HuaweiCredentials, error) {
			return HuaweiCredentials{}, errBoom
		})}, wantErr: "retrieve huawei credentials: boom", wantIs: errBoom},
		{name: "expired", a: &HuaweiAKSK{Credentials: hwProviderFunc(func(context.Context) (HuaweiCredentials, error) {
			c := creds
			c.Expires = hwTestTime
			c.Source = "sts"
			return c, nil
		})}, wantErr: `credentials from "sts" expired at 2025-01-02T03:04:05Z`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/v2/zones")
			err := tc.a.Authorize(t.Context(), req, "", hwTestTime)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
					t.Errorf("err = %v, want errors.Is %v", err, tc.wantIs)
				}
				return
			}
			require.NoError(t, err)
			if got := req.Header.Get("Authorization"); !strings.HasPrefix(got, tc.wantAuth) {
				t.Errorf("Authorization = %q, want prefix %q", got, tc.wantAuth)
			}
		})
	}
}

// TestHuaweiAKSKNotExpiredYet: credentials expiring after now still sign.
func TestHuaweiAKSKNotExpiredYet(t *testing.T) {
	t.Parallel()
	c := hwTestCreds()
	c.Expires = hwTestTime.Add(time.Second)
	req := hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/")
	a := &HuaweiAKSK{Credentials: StaticHuaweiCredentials(c)}
	require.NoError(t, a.Authorize(t.Context(), req, "", hwTestTime))
}
