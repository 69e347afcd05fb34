package fakecloud

import (
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func icPath(instanceID, appID, profileID string) string {
	return "/v1/instances/" + instanceID + "/application-instances/" + appID + "/profiles/" + profileID
}

// hwErr is the error part of a Huawei-style response: API Gateway and
// Identity Center bodies use error_code/error_msg, DNS uses code/message.
type hwErr struct {
	Status    int
	Code      string
	Message   string
	RequestID bool // body request_id equals the X-Request-Id header
}

func decodeHWError(t *testing.T, resp response) hwErr {
	t.Helper()
	m := resp.jsonBody(t)
	code, _ := m["error_code"].(string)
	msg, _ := m["error_msg"].(string)
	if c, ok := m["code"].(string); ok {
		code = c
		msg, _ = m["message"].(string)
	}
	rid, _ := m["request_id"].(string)
	return hwErr{resp.status, code, msg, rid != "" && rid == resp.header.Get("X-Request-Id")}
}

func checkHWHeaders(t *testing.T, resp response, now time.Time) {
	t.Helper()
	if got := resp.header.Get("X-Request-Id"); len(got) != 32 {
		t.Errorf("X-Request-Id = %q, want 32 hex digits", got)
	}
	if got, want := resp.header.Get("Date"), now.Format(http.TimeFormat); got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
}

func TestDeleteProfileSuccess(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		ak   string
		otc  bool
	}{
		{"permanent key", HuaweiAK, false},
		{"temporary key", HuaweiTempAK, false},
		{"otc signature flavour", HuaweiAK, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			send := func() response {
				creds := hwCredsFor(tt.ak)
				creds.DomainID = HuaweiDomainID
				req := newRequest(t, srv, IdentityCenter, http.MethodDelete, icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), nil)
				return do(t, srv, signHW(t, req, nil, creds, tt.otc, clk.Now()))
			}
			resp := send()
			if resp.status != http.StatusOK || len(resp.body) != 0 {
				t.Fatalf("got %d %q, want 200 with no body", resp.status, resp.body)
			}
			if ct := resp.header.Get("Content-Type"); ct != "" {
				t.Errorf("Content-Type = %q on an empty body", ct)
			}
			checkHWHeaders(t, resp, clk.Now())
			if c.ApplicationProfile(ICInstanceID, ICApplicationInstanceID, ICProfileID) {
				t.Error("profile still exists")
			}
			if !c.ApplicationProfile(ICInstanceID, ICApplicationInstanceID, ICProfileID2) {
				t.Error("the other profile was deleted too")
			}
			want := hwErr{404, ICCodeProfileNotFound, "profile " + ICProfileID + " does not exist", true}
			if diff := cmp.Diff(want, decodeHWError(t, send())); diff != "" {
				t.Errorf("second call (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeleteProfileErrors(t *testing.T) {
	t.Parallel()
	const auth = msgIAMAuth
	tests := []struct {
		name   string
		path   string
		ak     string
		domain string
		token  string // X-Security-Token override; "-" removes it
		at     time.Duration
		want   hwErr
	}{
		{"unknown instance", icPath("ins-0000000000000000", ICApplicationInstanceID, ICProfileID), HuaweiAK, HuaweiDomainID, "", 0,
			hwErr{404, ICCodeInstanceNotFound, "instance ins-0000000000000000 does not exist", true}},
		{"unknown application instance", icPath(ICInstanceID, "app-ins-unknown", ICProfileID), HuaweiAK, HuaweiDomainID, "", 0,
			hwErr{404, ICCodeApplicationNotFound, "application instance app-ins-unknown does not exist", true}},
		{"short instance id", icPath("ins-123", ICApplicationInstanceID, ICProfileID), HuaweiAK, HuaweiDomainID, "", 0,
			hwErr{400, ICCodeInvalidParameter, "instance_id must be 20 characters long", true}},
		{"application id without prefix", icPath(ICInstanceID, "app-5f3a9c2e", ICProfileID), HuaweiAK, HuaweiDomainID, "", 0,
			hwErr{400, ICCodeInvalidParameter, "application_instance_id must start with app-ins-", true}},
		{"empty profile id", icPath(ICInstanceID, ICApplicationInstanceID, ""), HuaweiAK, HuaweiDomainID, "", 0,
			hwErr{400, ICCodeInvalidParameter, "profile_id must be 1 to 64 characters long", true}},
		{"no permission", icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), HuaweiNoPermAK, HuaweiDomainID, "", 0,
			hwErr{403, ICCodeForbidden, "Policy doesn't allow IdentityCenter:application:deleteProfile to be performed.", true}},
		{"missing domain id", icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), HuaweiAK, "", "", 0,
			hwErr{401, "APIGW.0301", auth + "X-Domain-Id is required by a global service", true}},
		{"foreign domain id", icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), HuaweiAK, OTCDomainID, "", 0,
			hwErr{401, "APIGW.0301", auth + "X-Domain-Id does not match the domain of the access key", true}},
		{"temporary key without token", icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), HuaweiTempAK, HuaweiDomainID, "-", 0,
			hwErr{401, "APIGW.0301", auth + "the security token does not belong to the access key", true}},
		{"permanent key with a token", icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), HuaweiAK, HuaweiDomainID, HuaweiSecurityToken, 0,
			hwErr{401, "APIGW.0301", auth + "the security token does not belong to the access key", true}},
		{"otc key on huawei", icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), OTCAK, HuaweiDomainID, "", 0,
			hwErr{401, "APIGW.0301", auth + "Get secretKey failed, ak not exist", true}},
		{"stale signature", icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), HuaweiAK, HuaweiDomainID, "", -16 * time.Minute,
			hwErr{401, "APIGW.0301", auth + "verify aksk signature fail, X-Sdk-Date is more than 15 minutes away from the server time", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			creds := hwCredsFor(tt.ak)
			creds.DomainID = tt.domain
			switch tt.token {
			case "-":
				creds.SecurityToken = ""
			case "":
			default:
				creds.SecurityToken = tt.token
			}
			req := newRequest(t, srv, IdentityCenter, http.MethodDelete, tt.path, nil)
			resp := do(t, srv, signHW(t, req, nil, creds, false, clk.Now().Add(tt.at)))
			if diff := cmp.Diff(tt.want, decodeHWError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			checkHWHeaders(t, resp, clk.Now())
			if !c.ApplicationProfile(ICInstanceID, ICApplicationInstanceID, ICProfileID) {
				t.Error("profile deleted")
			}
			if tt.want.Status == http.StatusForbidden {
				enc, _ := resp.jsonBody(t)["encoded_authorization_message"].(string)
				if _, err := base64.StdEncoding.DecodeString(enc); enc == "" || err != nil {
					t.Errorf("encoded_authorization_message = %q, want base64 (%v)", enc, err)
				}
			}
		})
	}
}

func TestHuaweiSignatureFailures(t *testing.T) {
	t.Parallel()
	const auth = msgIAMAuth
	path := icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID)
	tests := []struct {
		name   string
		modify func(t *testing.T, req *http.Request, now time.Time) *http.Request
		want   hwErr
	}{
		{"no credentials", func(t *testing.T, req *http.Request, now time.Time) *http.Request { return req },
			hwErr{401, "APIGW.0301", auth + "this API is called with AK/SK signatures only, and the request has no Authorization header", true}},
		{"token instead of signature", func(t *testing.T, req *http.Request, now time.Time) *http.Request {
			req.Header.Set("X-Auth-Token", "MIIanything")
			return req
		}, hwErr{401, "APIGW.0301", auth + "this API is called with AK/SK signatures only, and the request has no Authorization header", true}},
		{"malformed authorization", func(t *testing.T, req *http.Request, now time.Time) *http.Request {
			req.Header.Set("Authorization", "SDK-HMAC-SHA256 nonsense")
			return req
		}, hwErr{401, "APIGW.0301", auth + "verify aksk signature fail, the Authorization or X-Sdk-Date header is malformed", true}},
		{"wrong secret", func(t *testing.T, req *http.Request, now time.Time) *http.Request {
			creds := hwCredsFor(HuaweiAK)
			creds.SecretKey, creds.DomainID = "wrong", HuaweiDomainID
			return signHW(t, req, nil, creds, false, now)
		}, hwErr{401, "APIGW.0301", auth + "verify aksk signature fail", true}},
		{"wrong secret, otc flavour", func(t *testing.T, req *http.Request, now time.Time) *http.Request {
			creds := hwCredsFor(HuaweiAK)
			creds.SecretKey, creds.DomainID = "wrong", HuaweiDomainID
			return signHW(t, req, nil, creds, true, now)
		}, hwErr{401, "APIGW.0301", auth + "verify aksk signature fail", true}},
		{"unknown key", func(t *testing.T, req *http.Request, now time.Time) *http.Request {
			return signHW(t, req, nil, signerCreds("HWUNKNOWN", "sk", HuaweiDomainID), false, now)
		}, hwErr{401, "APIGW.0301", auth + "Get secretKey failed, ak not exist", true}},
		{"future signature", func(t *testing.T, req *http.Request, now time.Time) *http.Request {
			return signHW(t, req, nil, signerCreds(HuaweiAK, HuaweiSK, HuaweiDomainID), true, now.Add(20*time.Minute))
		}, hwErr{401, "APIGW.0301", auth + "verify aksk signature fail, X-Sdk-Date is more than 15 minutes away from the server time", true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv, clk := start(t)
			req := newRequest(t, srv, IdentityCenter, http.MethodDelete, path, nil)
			resp := do(t, srv, tt.modify(t, req, clk.Now()))
			if diff := cmp.Diff(tt.want, decodeHWError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			checkHWHeaders(t, resp, clk.Now())
		})
	}
}
