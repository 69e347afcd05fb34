package signer

import (
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestSignOTC(t *testing.T) {
	t.Parallel()
	const otcHost = "dns.eu-de.otc.t-systems.com"
	tests := []struct {
		name      string
		method    string
		url       string
		headers   []string
		creds     func(*HuaweiCredentials)
		body      string
		wantURI   string
		wantQuery string
		wantLines []string // canonical header lines in order, x-sdk-date included
		wantAfter http.Header
	}{
		{
			name:   "disassociate router as gophertelekomcloud sends it",
			method: http.MethodPost,
			url:    "https://" + otcHost + "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter",
			headers: []string{
				"Content-Type", "application/json",
				"Accept", "application/json",
				"User-Agent", "golangsdk/2.0.0",
			},
			creds:   func(c *HuaweiCredentials) { c.ProjectID = "0123456789abcdef0123456789abcdef" },
			body:    hwS01Body,
			wantURI: "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter/",
			wantLines: []string{
				"accept:application/json",
				"content-type:application/json",
				"host:" + otcHost,
				"user-agent:golangsdk/2.0.0",
				"x-sdk-date:" + hwTestDate,
			},
			wantAfter: http.Header{"X-Project-Id": {"0123456789abcdef0123456789abcdef"}},
		},
		{
			name:   "token, project and domain are set after signing",
			method: http.MethodDelete,
			url:    "https://" + otcHost + "/v2/zones/z%20%C3%BC",
			headers: []string{
				"X-Project-Id", "stale-from-last-attempt",
				"Authorization", "stale",
			},
			creds: func(c *HuaweiCredentials) {
				c.ProjectID = "p1"
				c.DomainID = "d1"
				c.SecurityToken = "TOKEN-SECRET-VALUE"
			},
			wantURI:   "/v2/zones/z%20%C3%BC/",
			wantLines: []string{"host:" + otcHost, "x-sdk-date:" + hwTestDate},
			wantAfter: http.Header{"X-Project-Id": {"p1"}, "X-Domain-Id": {"d1"}, "X-Security-Token": {"TOKEN-SECRET-VALUE"}},
		},
		{
			name:      "first value only, white space collapsed, underscore names signed",
			method:    http.MethodGet,
			url:       "https://" + otcHost + "/v2/zones?type=private&B=2&a=1&type=public",
			headers:   []string{"X-Multi", " a \t b ", "X-Multi", "second", "X_Under", "u"},
			wantURI:   "/v2/zones/",
			wantQuery: "a=1&B=2&type=private",
			wantLines: []string{"host:" + otcHost, "x-multi: a b ", "x-sdk-date:" + hwTestDate, "x_under:u"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := hwNewRequest(t, tc.method, tc.url, tc.headers...)
			creds := hwTestCreds()
			if tc.creds != nil {
				tc.creds(&creds)
			}
			require.NoError(t, SignOTC(req, hwSHA(tc.body), creds, hwTestTime))

			if got := refOTCQuery(req.URL.RawQuery); got != tc.wantQuery {
				t.Fatalf("reference query = %q, want %q", got, tc.wantQuery)
			}
			cr, signed := refCanonical(tc.method, tc.wantURI, tc.wantQuery, tc.wantLines, hwSHA(tc.body))
			want := refOTCAuthorization("AKEXAMPLE", "SKEXAMPLE", hwTestDate, "", "", cr, signed)
			if diff := cmp.Diff(want, req.Header.Get("Authorization")); diff != "" {
				t.Errorf("Authorization (-want +got):\n%s", diff)
			}
			for k := range tc.wantAfter {
				if diff := cmp.Diff(tc.wantAfter[k], req.Header[k]); diff != "" {
					t.Errorf("%s (-want +got):\n%s", k, diff)
				}
			}
			first := req.Header.Clone()
			require.NoError(t, SignOTC(req, hwSHA(tc.body), creds, hwTestTime))
			if diff := cmp.Diff(first, req.Header); diff != "" {
				t.Errorf("re-signing changed headers (-first +second):\n%s", diff)
			}
		})
	}
}

// TestSignOTCScope pins the literal shape of the OTC Authorization header.
func TestSignOTCScope(t *testing.T) {
	t.Parallel()
	req := hwNewRequest(t, http.MethodGet, "https://dns.eu-de.otc.t-systems.com/v2/zones")
	require.NoError(t, SignOTC(req, "", hwTestCreds(), hwTestTime))
	got := req.Header.Get("Authorization")
	const prefix = "SDK-HMAC-SHA256 Credential=AKEXAMPLE/20250102///sdk_request, SignedHeaders=host;x-sdk-date, Signature="
	if len(got) != len(prefix)+64 || got[:len(prefix)] != prefix {
		t.Errorf("Authorization = %q, want %q followed by 64 hex digits", got, prefix)
	}
}
