package signer

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// hwSignHeaders returns a SignHeader choosing exactly names.
func hwSignHeaders(names ...string) func(string) bool {
	return func(n string) bool { return slices.Contains(names, n) }
}

// TestSignHuaweiWithOptions checks the chosen headers and the OTC scope
// against the independent reference.
func TestSignHuaweiWithOptions(t *testing.T) {
	t.Parallel()
	const path = "/v2/zones/z/disassociaterouter"
	tests := []struct {
		name      string
		opts      HuaweiOptions
		wantLines []string // canonical header lines in order
		otcScope  [2]string
	}{
		{
			// As huaweicloud-sdk-go-v3 signs a request without a Host entry:
			// User-Agent signed, host not.
			name:      "huawei, the SDK's choice",
			opts:      HuaweiOptions{SignHeader: hwSignHeaders("user-agent", "x-project-id", "x-sdk-date")},
			wantLines: []string{"user-agent:huaweicloud-usdk-go/3.0", "x-project-id:p1", "x-sdk-date:" + hwTestDate},
		},
		{
			name:      "huawei, content-type and host",
			opts:      HuaweiOptions{SignHeader: hwSignHeaders("content-type", "host", "x-sdk-date")},
			wantLines: []string{"content-type:application/json", "host:" + hwTestHost, "x-sdk-date:" + hwTestDate},
		},
		{
			name:      "otc, a chosen subset",
			opts:      HuaweiOptions{OTC: true, SignHeader: hwSignHeaders("host", "x-sdk-date")},
			wantLines: []string{"host:" + hwTestHost, "x-sdk-date:" + hwTestDate},
		},
		{
			name: "otc, region and service in the scope",
			opts: HuaweiOptions{OTC: true, Region: "eu-de", Service: "dns"},
			wantLines: []string{"content-type:application/json", "host:" + hwTestHost,
				"user-agent:huaweicloud-usdk-go/3.0", "x-project-id:p1", "x-sdk-date:" + hwTestDate},
			otcScope: [2]string{"eu-de", "dns"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := hwNewRequest(t, http.MethodPost, "https://"+hwTestHost+path,
				"Content-Type", "application/json", "User-Agent", "huaweicloud-usdk-go/3.0", "X-Project-Id", "p1")
			require.NoError(t, SignHuaweiWithOptions(req, hwSHA(hwS01Body), hwTestCreds(), hwTestTime, tc.opts))
			cr, signed := refCanonical(http.MethodPost, path+"/", "", tc.wantLines, hwSHA(hwS01Body))
			want := refHuaweiAuthorization("AKEXAMPLE", "SKEXAMPLE", hwTestDate, cr, signed)
			if tc.opts.OTC {
				want = refOTCAuthorization("AKEXAMPLE", "SKEXAMPLE", hwTestDate, tc.otcScope[0], tc.otcScope[1], cr, signed)
			}
			if diff := cmp.Diff(want, req.Header.Get("Authorization")); diff != "" {
				t.Errorf("Authorization (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSignHuaweiWithZeroOptions: the zero options sign as SignHuawei and
// SignOTC do.
func TestSignHuaweiWithZeroOptions(t *testing.T) {
	t.Parallel()
	for _, otc := range []bool{false, true} {
		sign := SignHuawei
		if otc {
			sign = SignOTC
		}
		newReq := func() *http.Request {
			return hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/v2/zones?a=1", "User-Agent", "x", "X_Under", "u")
		}
		want, got := newReq(), newReq()
		require.NoError(t, sign(want, "", hwTestCreds(), hwTestTime))
		require.NoError(t, SignHuaweiWithOptions(got, "", hwTestCreds(), hwTestTime, HuaweiOptions{OTC: otc}))
		if diff := cmp.Diff(want.Header, got.Header); diff != "" {
			t.Errorf("otc=%t: headers (-sign +with options):\n%s", otc, diff)
		}
	}
}

func TestSignHuaweiWithOptionsBadScope(t *testing.T) {
	t.Parallel()
	for _, opts := range []HuaweiOptions{{OTC: true, Region: "eu/de"}, {OTC: true, Service: "d ns"}, {OTC: true, Region: "a,b=c"}} {
		req := hwNewRequest(t, http.MethodGet, "https://"+hwTestHost+"/")
		err := SignHuaweiWithOptions(req, "", hwTestCreds(), hwTestTime, opts)
		if err == nil || !strings.Contains(err.Error(), "region and service") {
			t.Errorf("%+v: error %v, want one naming region and service", opts, err)
		}
		if req.Header.Get("Authorization") != "" {
			t.Errorf("%+v: the request was signed", opts)
		}
	}
}
