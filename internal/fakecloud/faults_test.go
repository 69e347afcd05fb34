package fakecloud

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// opCase builds a valid, signed request for one operation, so that fault
// tests can check the fault and then the normal answer.
type opCase struct {
	op      string
	success int
	build   func(t *testing.T, srv *Server, now time.Time) *http.Request
}

func opCases() map[Service]opCase {
	return map[Service]opCase{
		Route53Profiles: {OpDisassociateProfile, http.StatusOK, func(t *testing.T, srv *Server, now time.Time) *http.Request {
			req := newRequest(t, srv, Route53Profiles, http.MethodDelete, r53pPath(R53ProfileID, R53VPCID), nil)
			return signAWS(t, req, nil, awsMain, "route53profiles", "us-east-1", now)
		}},
		CustomerProfiles: {OpDeleteProfileObject, http.StatusOK, func(t *testing.T, srv *Server, now time.Time) *http.Request {
			body := cpBody(CPObjectTypeName, CPProfileID, CPObjectKey)
			req := newRequest(t, srv, CustomerProfiles, http.MethodPost, cpPath(CPDomainName), body)
			return signAWS(t, req, body, awsMain, "profile", "us-east-1", now)
		}},
		IdentityCenter: {OpDeleteProfile, http.StatusOK, func(t *testing.T, srv *Server, now time.Time) *http.Request {
			req := newRequest(t, srv, IdentityCenter, http.MethodDelete, icPath(ICInstanceID, ICApplicationInstanceID, ICProfileID), nil)
			return signHW(t, req, nil, signerCreds(HuaweiAK, HuaweiSK, HuaweiDomainID), false, now)
		}},
		HuaweiDNS: {OpDisassociateRouter, http.StatusAccepted, func(t *testing.T, srv *Server, now time.Time) *http.Request {
			body := routerBody(HuaweiVPCID, "")
			req := newRequest(t, srv, HuaweiDNS, http.MethodPost, dnsPath(HuaweiZoneID), body)
			creds := hwCredsFor(HuaweiAK)
			creds.ProjectID = HuaweiProjectID
			return signHW(t, req, body, creds, false, now)
		}},
		OTCIAM: {OpCreateToken, http.StatusCreated, func(t *testing.T, srv *Server, now time.Time) *http.Request {
			cl := dnsClouds()[1]
			body := []byte(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"domain":{"name":"` + cl.domain +
				`"},"name":"` + cl.user + `","password":"` + cl.pw + `"}}},"scope":{"project":{"name":"eu-de"}}}}`)
			return newRequest(t, srv, OTCIAM, http.MethodPost, "/v3/auth/tokens", body)
		}},
	}
}

// faultAnswer is what a faulted request got.
type faultAnswer struct {
	Status     int
	Code       string // X-Amzn-ErrorType, error_code, code, or Keystone's error.title
	RetryAfter string
}

func readFaultAnswer(t *testing.T, resp response) faultAnswer {
	t.Helper()
	m := resp.jsonBody(t)
	code := resp.header.Get("X-Amzn-ErrorType")
	for _, k := range []string{"error_code", "code"} {
		if s, ok := m[k].(string); ok {
			code = s
		}
	}
	if e, ok := m["error"].(map[string]any); ok {
		code, _ = e["title"].(string)
	}
	return faultAnswer{resp.status, code, resp.header.Get("Retry-After")}
}

func TestThrottleThenSuccess(t *testing.T) {
	t.Parallel()
	want := map[Service]faultAnswer{
		Route53Profiles:  {400, "ThrottlingException", "2"},
		CustomerProfiles: {429, "ThrottlingException", "2"},
		IdentityCenter:   {429, "APIGW.0308", "2"},
		HuaweiDNS:        {403, "DNS.0014", "2"},
		OTCIAM:           {429, "APIGW.0308", "2"},
	}
	for svc, oc := range opCases() {
		t.Run(string(svc), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			c.Inject(oc.op, Fault{Kind: Throttle, Count: 2, RetryAfter: 1500 * time.Millisecond})
			for i := range 2 {
				resp := do(t, srv, oc.build(t, srv, clk.Now()))
				if diff := cmp.Diff(want[svc], readFaultAnswer(t, resp)); diff != "" {
					t.Errorf("attempt %d (-want +got):\n%s", i+1, diff)
				}
			}
			if resp := do(t, srv, oc.build(t, srv, clk.Now())); resp.status != oc.success {
				t.Errorf("third attempt: status %d, body %s", resp.status, resp.body)
			}
			if got := c.Requests(oc.op); got != 3 {
				t.Errorf("Requests(%s) = %d, want 3", oc.op, got)
			}
		})
	}
}

func TestServerError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		svc    Service
		status int
		want   faultAnswer
	}{
		{Route53Profiles, 0, faultAnswer{503, "ServiceUnavailable", ""}},
		{Route53Profiles, 500, faultAnswer{500, "InternalFailure", ""}},
		{CustomerProfiles, 0, faultAnswer{503, "InternalServerException", ""}},
		{CustomerProfiles, 500, faultAnswer{500, "InternalServerException", ""}},
		{IdentityCenter, 500, faultAnswer{500, "APIGW.0601", ""}},
		{IdentityCenter, 504, faultAnswer{504, "APIGW.0201", ""}},
		{IdentityCenter, 0, faultAnswer{503, "APIGW.0201", ""}},
		{HuaweiDNS, 409, faultAnswer{409, "DNS.0021", ""}},
		{HuaweiDNS, 500, faultAnswer{500, "DNS.0001", ""}},
		{HuaweiDNS, 0, faultAnswer{503, "DNS.0000", ""}},
		{OTCIAM, 0, faultAnswer{503, "Service Unavailable", ""}},
	}
	for _, tt := range tests {
		t.Run(string(tt.svc)+"/"+http.StatusText(tt.want.Status), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			oc := opCases()[tt.svc]
			c.Inject(oc.op, Fault{Kind: ServerError, Status: tt.status})
			resp := do(t, srv, oc.build(t, srv, clk.Now()))
			if diff := cmp.Diff(tt.want, readFaultAnswer(t, resp)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if resp := do(t, srv, oc.build(t, srv, clk.Now())); resp.status != oc.success {
				t.Errorf("after the fault: status %d, body %s", resp.status, resp.body)
			}
		})
	}
}

func TestResetFault(t *testing.T) {
	t.Parallel()
	for svc, oc := range opCases() {
		t.Run(string(svc), func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			c.Inject(oc.op, Fault{Kind: Reset})
			resp, err := srv.Client().Do(oc.build(t, srv, clk.Now()))
			if err == nil {
				resp.Body.Close()
				t.Fatalf("got status %d, want a transport error", resp.StatusCode)
			}
			if r := do(t, srv, oc.build(t, srv, clk.Now())); r.status != oc.success {
				t.Errorf("after the reset: status %d, body %s", r.status, r.body)
			}
			if got := c.Requests(oc.op); got != 2 {
				t.Errorf("Requests = %d, want 2", got)
			}
		})
	}
}

// The reset comes before the operation: nothing changed.
func TestResetLeavesStateAlone(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	c.Inject(OpDeleteProfileObject, Fault{Kind: Reset})
	resp, err := srv.Client().Do(opCases()[CustomerProfiles].build(t, srv, clk.Now()))
	if err == nil {
		resp.Body.Close()
		t.Fatal("no transport error")
	}
	if !c.ProfileObject(CPDomainName, CPObjectTypeName, CPProfileID, CPObjectKey) {
		t.Error("object deleted by a reset request")
	}
}

// dnsRequestForServeHTTP builds a signed DisassociateRouter request for
// calling ServeHTTP directly.
func dnsRequestForServeHTTP(t *testing.T, ctx context.Context, vpc string, now time.Time) *http.Request {
	t.Helper()
	body := routerBody(vpc, "")
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "http://fakecloud.test"+string(HuaweiDNS)+dnsPath(HuaweiZoneID), bytes.NewReader(body))
	creds := hwCredsFor(HuaweiAK)
	creds.ProjectID = HuaweiProjectID
	return signHW(t, req, body, creds, false, now)
}

func TestSlowFault(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := New() // time.Now is the bubble's fake clock
		c.Inject(OpDisassociateRouter, Fault{Kind: Slow, Delay: time.Hour})

		begin := time.Now()
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, dnsRequestForServeHTTP(t, t.Context(), HuaweiVPCID, begin))
		if d := time.Since(begin); d != time.Hour {
			t.Errorf("served after %v, want 1h", d)
		}
		if rec.Code != http.StatusAccepted {
			t.Errorf("status = %d, body %s", rec.Code, rec.Body)
		}

		// A context that ends during the wait ends it, and nothing is done.
		c.Inject(OpDisassociateRouter, Fault{Kind: Slow, Delay: time.Hour})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		go func() {
			time.Sleep(time.Second)
			cancel()
		}()
		begin = time.Now()
		rec = httptest.NewRecorder()
		c.ServeHTTP(rec, dnsRequestForServeHTTP(t, ctx, HuaweiVPCID2, begin))
		if d := time.Since(begin); d != time.Second {
			t.Errorf("returned after %v, want 1s", d)
		}
		if rec.Body.Len() != 0 {
			t.Errorf("wrote %q after the context ended", rec.Body)
		}
		if routers, _ := c.Zone(Huawei, HuaweiZoneID); routers[1].Status != RouterActive {
			t.Errorf("router changed: %+v", routers[1])
		}
	})
}

// Delay applies to every kind: a throttle can be slow too.
func TestDelayedThrottle(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := New()
		c.Inject(OpDisassociateRouter, Fault{Kind: Throttle, Delay: 3 * time.Second})
		begin := time.Now()
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, dnsRequestForServeHTTP(t, t.Context(), HuaweiVPCID, begin))
		if d := time.Since(begin); d != 3*time.Second {
			t.Errorf("answered after %v, want 3s", d)
		}
		if rec.Code != http.StatusForbidden || rec.Header().Get("Retry-After") != "" {
			t.Errorf("got %d, Retry-After %q; want 403 without Retry-After", rec.Code, rec.Header().Get("Retry-After"))
		}
	})
}

// Without a hijackable connection, Reset aborts the handler the way net/http
// understands.
func TestResetWithoutConnection(t *testing.T) {
	t.Parallel()
	c := New()
	c.Inject(OpDisassociateRouter, Fault{Kind: Reset})
	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", r)
		}
	}()
	c.ServeHTTP(httptest.NewRecorder(), dnsRequestForServeHTTP(t, t.Context(), HuaweiVPCID, time.Now()))
}

func TestFaultQueue(t *testing.T) {
	t.Parallel()
	c := New()
	c.Inject(OpDeleteProfile, Fault{Kind: Throttle, Count: 2})
	c.Inject(OpDeleteProfile, Fault{Kind: ServerError}) // Count 0 means 1
	c.Inject(OpCreateToken, Fault{Kind: Reset})
	var got []FaultKind
	for range 4 {
		c.mu.Lock()
		f, ok := c.takeFault(OpDeleteProfile)
		c.mu.Unlock()
		if ok {
			got = append(got, f.Kind)
		}
	}
	if diff := cmp.Diff([]FaultKind{Throttle, Throttle, ServerError}, got); diff != "" {
		t.Errorf("faults (-want +got):\n%s", diff)
	}
	c.Reset()
	c.mu.Lock()
	_, ok := c.takeFault(OpCreateToken)
	c.mu.Unlock()
	if ok {
		t.Error("Reset kept a pending fault")
	}
	if got := Throttle.String() + " " + FaultKind(9).String(); got != "Throttle FaultKind(9)" {
		t.Errorf("String = %q", got)
	}
}
