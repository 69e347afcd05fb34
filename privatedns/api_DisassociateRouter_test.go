package privatedns

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func routerBody(id, region string) any {
	r := map[string]any{"router_id": id}
	if region != "" {
		r["router_region"] = region
	}
	return map[string]any{"router": r}
}

func TestDisassociateRouterAuthModes(t *testing.T) {
	t.Parallel()
	for name, tc := range authCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, c := tc.client(t)
			for _, in := range []*DisassociateRouterInput{
				{ZoneID: testOddZoneID, RouterID: testRouterID, RouterRegion: "eu-de"},
				{ZoneID: testOddZoneID, RouterID: `odd "router" \ id ü`},
			} {
				out, err := c.DisassociateRouter(t.Context(), in)
				require.NoError(t, err)
				wantRegion := in.RouterRegion
				if wantRegion == "" {
					wantRegion = "cn-north-4"
				}
				want := &DisassociateRouterOutput{RouterID: in.RouterID, RouterRegion: wantRegion, Status: RouterStatusPendingDelete,
					Metadata: out.Metadata}
				if diff := cmp.Diff(want, out); diff != "" || out.Metadata.StatusCode != 202 || out.Metadata.Attempts != 1 {
					t.Errorf("output (-want +got):\n%s%+v", diff, out.Metadata)
				}
				got := f.dnsSeen()
				s := got[len(got)-1]
				if s.Method != http.MethodPost || s.Path != testOddZonePath {
					t.Errorf("request %s %s, want POST %s", s.Method, s.Path, testOddZonePath)
				}
				if ct := s.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type = %q", ct)
				}
				if diff := cmp.Diff(routerBody(in.RouterID, in.RouterRegion), s.Body); diff != "" {
					t.Errorf("body (-want +got):\n%s", diff)
				}
				tc.checkRequest(t, s)
			}
			tc.checkIAM(t, f)
		})
	}
}

func TestDisassociateRouterResponses(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status  int
		body    string
		want    DisassociateRouterOutput
		wantErr string
	}{
		"202 documented":   {status: 202, body: `{"status":"PENDING_DELETE","router_id":"r","router_region":"xx"}`, want: DisassociateRouterOutput{RouterID: "r", RouterRegion: "xx", Status: RouterStatusPendingDelete}},
		"200 with body":    {status: 200, body: `{"status":"ACTIVE","router_id":"r"}`, want: DisassociateRouterOutput{RouterID: "r", Status: RouterStatusActive}},
		"204 no body":      {status: 204},
		"202 empty body":   {status: 202},
		"unknown status":   {status: 202, body: `{"status":"FROZEN"}`, want: DisassociateRouterOutput{Status: "FROZEN"}},
		"extra fields":     {status: 202, body: `{"status":"ERROR","links":{"self":"x"}}`, want: DisassociateRouterOutput{Status: RouterStatusError}},
		"body not JSON":    {status: 202, body: `<html>`, wantErr: "body is not valid JSON"},
		"wrong field type": {status: 202, body: `{"router_id":7}`, wantErr: "field router_id: unexpected JSON number"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t, false)
			f.setDNSReply(func(w http.ResponseWriter, _ int32, _ *seen) bool {
				w.Header().Set("X-Request-Id", "rid")
				if tc.body == "" {
					w.WriteHeader(tc.status)
					return true
				}
				writeJSON(w, tc.status, tc.body)
				return true
			})
			o := testOptions(f)
			o.TokenSource = signer.StaticToken(testStaticToken)
			c, err := New(o)
			require.NoError(t, err)
			out, err := c.DisassociateRouter(t.Context(), testInput())
			if tc.wantErr != "" {
				var de *transport.DecodeError
				if !errors.As(err, &de) || de.RequestID != "rid" || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want a DecodeError with the request ID containing %q", err, tc.wantErr)
				}
				return
			}
			require.NoError(t, err)
			tc.want.Metadata = transport.Metadata{RequestID: "rid", StatusCode: tc.status, Attempts: 1}
			if diff := cmp.Diff(&tc.want, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDisassociateRouterErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code     string
		status   int
		sentinel error // nil: none
		kind     transport.Kind
		hits     int32
	}{
		{CodeLastVPC, 403, transport.ErrConflict, transport.KindConflict, 1},
		{CodeOnlyNormalVPC, 403, transport.ErrConflict, transport.KindConflict, 1},
		{CodeVPCNotAssociated, 400, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeVPCBeingAssociated, 400, transport.ErrConflict, transport.KindConflict, 1},
		{CodeVPCNotSteady, 400, transport.ErrConflict, transport.KindConflict, 1},
		{CodeNoVPCAssociated, 400, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeInvalidVPC, 400, transport.ErrInvalidInput, transport.KindInvalidInput, 1},
		{CodeVPCNotFound, 404, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeInvalidVPCEndpoint, 500, transport.ErrInvalidInput, transport.KindInvalidInput, 1},
		{CodeVPCCheckFailed, 400, nil, transport.KindTransient, 3},
		{CodeVPCCheckFailed, 500, nil, transport.KindTransient, 3},
		{CodeInvalidZoneID, 400, transport.ErrInvalidInput, transport.KindInvalidInput, 1},
		{CodeZoneNotFound, 404, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeZoneNotFound, 400, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeZoneNotNormal, 409, nil, transport.KindTransient, 3},
		{CodeZoneDisabled, 400, transport.ErrConflict, transport.KindConflict, 1},
		{CodeInvalidRequest, 400, transport.ErrInvalidInput, transport.KindInvalidInput, 1},
		{CodeAuthRequired, 401, transport.ErrUnauthorized, transport.KindUnauthorized, 1}, // a static token cannot be refreshed
		{CodeNoAPIPermission, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodeFlowControl, 403, transport.ErrThrottled, transport.KindThrottled, 3},
		{CodeLockFailed, 409, nil, transport.KindTransient, 3},
		{CodeOperationNotAllowed, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodeUserNotAllowed, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodePolicyDenied, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodeSystemBusy, 500, nil, transport.KindTransient, 3},
		{CodeInternalError, 500, nil, transport.KindTransient, 3},
		{CodeDatabaseError, 500, nil, transport.KindTransient, 3},
		{CodeVPCServiceError, 500, nil, transport.KindTransient, 3},
		{CodeIAMServiceError, 500, nil, transport.KindTransient, 3},
		{CodeGatewayUnauthorized, 401, transport.ErrUnauthorized, transport.KindUnauthorized, 1},
		{CodeGatewayAccessDenied, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodeGatewayThrottled, 429, transport.ErrThrottled, transport.KindThrottled, 3},
	}
	for _, tc := range tests {
		t.Run(tc.code+"/"+http.StatusText(tc.status), func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t, false)
			body := `{"code":"` + tc.code + `","message":"message of ` + tc.code + `"}`
			if strings.HasPrefix(tc.code, "APIGW.") {
				body = `{"error_code":"` + tc.code + `","error_msg":"message of ` + tc.code + `","request_id":"body-id"}`
			}
			f.setDNSReply(func(w http.ResponseWriter, _ int32, _ *seen) bool {
				w.Header().Set("X-Request-Id", "rid-"+tc.code)
				writeJSON(w, tc.status, body)
				return true
			})
			o := testOptions(f)
			o.TokenSource = signer.StaticToken(testStaticToken)
			c, err := New(o)
			require.NoError(t, err)
			_, err = c.DisassociateRouter(t.Context(), testInput())
			var oe *smithy.OperationError
			if !errors.As(err, &oe) || oe.ServiceID != "DNS" || oe.OperationName != "DisassociateRouter" {
				t.Fatalf("error %v is not a DNS DisassociateRouter OperationError", err)
			}
			var re *transport.ResponseError
			require.ErrorAs(t, err, &re)
			got := []any{re.StatusCode, re.Code, re.Message, re.RequestID, re.Kind, re.Attempts}
			want := []any{tc.status, tc.code, "message of " + tc.code, "rid-" + tc.code, tc.kind, int(tc.hits)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("status, code, message, request ID, kind, attempts (-want +got):\n%s", diff)
			}
			if tc.sentinel != nil && !errors.Is(err, tc.sentinel) {
				t.Errorf("errors.Is(err, %v) is false", tc.sentinel)
			}
			for _, other := range []error{transport.ErrNotFound, transport.ErrConflict, transport.ErrThrottled,
				transport.ErrAccessDenied, transport.ErrInvalidInput, transport.ErrUnauthorized} {
				if other != tc.sentinel && errors.Is(err, other) {
					t.Errorf("errors.Is(err, %v) is true too", other)
				}
			}
			if n := f.dnsHits.Load(); n != tc.hits {
				t.Errorf("DNS got %d requests, want %d", n, tc.hits)
			}
		})
	}
}

func TestDisassociateRouterTokenRefresh(t *testing.T) {
	t.Parallel()
	for _, code := range []string{CodeGatewayUnauthorized, CodeAuthRequired} {
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t, false)
			if code == CodeAuthRequired {
				// DNS itself, not the gateway, rejects the stale token.
				f.setDNSReply(func(w http.ResponseWriter, _ int32, s *seen) bool {
					if s.Token == testIssuedToken+"1" {
						writeJSON(w, 401, `{"code":"DNS.0005","message":"Authentication required."}`)
						return true
					}
					return false
				})
			}
			o := testOptions(f)
			o.TokenSource = passwordSource(t, f)
			c, err := New(o)
			require.NoError(t, err)

			_, err = c.DisassociateRouter(t.Context(), testInput())
			if code == CodeGatewayUnauthorized {
				require.NoError(t, err)
				f.expire(testIssuedToken + "1") // the token expires at the gateway
				_, err = c.DisassociateRouter(t.Context(), testInput())
			}
			require.NoError(t, err)

			var tokens []string
			for _, s := range f.dnsSeen() {
				tokens = append(tokens, s.Token)
			}
			want := []string{testIssuedToken + "1", testIssuedToken + "2"}
			if code == CodeGatewayUnauthorized {
				want = append([]string{testIssuedToken + "1"}, want...)
			}
			if diff := cmp.Diff(want, tokens); diff != "" {
				t.Errorf("tokens sent (-want +got):\n%s", diff)
			}
			if n := f.iamHits.Load(); n != 2 {
				t.Errorf("IAM got %d requests, want 2", n)
			}
		})
	}
}

func TestDisassociateRouterOneTokenFetchForManyCalls(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, true)
	o := testOptions(f)
	o.TokenSource = passwordSource(t, f)
	c, err := New(o)
	require.NoError(t, err)

	run := func() {
		const callers = 100
		var wg sync.WaitGroup
		errs := make([]error, callers)
		for i := range callers {
			wg.Go(func() { _, errs[i] = c.DisassociateRouter(t.Context(), testInput()) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
	}
	run()
	if n := f.iamHits.Load(); n != 1 {
		t.Errorf("IAM got %d requests for 100 concurrent calls, want 1", n)
	}
	// The token expires: every call is rejected once, and one refresh serves all.
	f.expire(testIssuedToken + "1")
	run()
	if n := f.iamHits.Load(); n != 2 {
		t.Errorf("IAM got %d requests after the token expired, want 2", n)
	}
}

func TestDisassociateRouterIAMFailure(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, false)
	f.setIAMReply(func(w http.ResponseWriter, _ int32) bool {
		w.Header().Set("X-Request-Id", "r-iam")
		writeJSON(w, 401, `{"error":{"code":401,"message":"The username or password is wrong.","title":"Unauthorized"}}`)
		return true
	})
	o := testOptions(f)
	o.TokenSource = passwordSource(t, f)
	c, err := New(o)
	require.NoError(t, err)
	_, err = c.DisassociateRouter(t.Context(), testInput())
	var (
		oe *smithy.OperationError
		ae *transport.AuthError
		re *transport.ResponseError
	)
	switch {
	case !errors.As(err, &oe) || oe.ServiceID != "DNS":
		t.Errorf("outer error %v does not name DNS", err)
	case !errors.As(err, &ae):
		t.Errorf("error %v is not an AuthError", err)
	case !errors.As(err, &re) || re.StatusCode != 401 || re.RequestID != "r-iam":
		t.Errorf("error %v does not carry IAM's 401", err)
	case !errors.Is(err, transport.ErrUnauthorized):
		t.Errorf("error %v is not ErrUnauthorized", err)
	case !strings.Contains(err.Error(), "operation error IAM: CreateToken"):
		t.Errorf("error %q does not name IAM", err)
	case strings.Contains(err.Error(), testPassword):
		t.Errorf("error leaks the password: %v", err)
	}
	if n := f.dnsHits.Load(); n != 0 {
		t.Errorf("DNS got %d requests without a token", n)
	}
	if n := f.iamHits.Load(); n != 1 {
		t.Errorf("IAM got %d requests, want 1 (a wrong password is not retried)", n)
	}
}

func TestDisassociateRouterProjectLookupOnce(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, false)
	release := make(chan struct{})
	f.setIAMReply(func(http.ResponseWriter, int32) bool { <-release; return false })
	o := testOptions(f)
	o.Credentials = signer.StaticHuaweiCredentials(testCreds())
	c, err := New(o, WithProjectIDFromIAM())
	require.NoError(t, err)
	const callers = 100
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { _, errs[i] = c.DisassociateRouter(t.Context(), testInput()) })
	}
	close(release)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := f.iamHits.Load(); n != 1 {
		t.Errorf("IAM got %d requests, want 1", n)
	}
	for i, s := range f.dnsSeen() {
		if s.AuthErr != nil || s.ID.ProjectID != "proj-cn-north-4" {
			t.Fatalf("request %d: project %q, %v", i, s.ID.ProjectID, s.AuthErr)
		}
	}
}

func TestDisassociateRouterProjectLookupFails(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, false)
	f.setIAMReply(func(w http.ResponseWriter, _ int32) bool {
		writeJSON(w, 200, `{"projects":[]}`)
		return true
	})
	o := testOptions(f)
	o.Credentials = signer.StaticHuaweiCredentials(testCreds())
	c, err := New(o, WithProjectIDFromIAM())
	require.NoError(t, err)
	_, err = c.DisassociateRouter(t.Context(), testInput())
	var ae *transport.AuthError
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), `IAM has no project named "cn-north-4"`) {
		t.Errorf("error %v", err)
	}
	if n := f.dnsHits.Load(); n != 0 {
		t.Errorf("DNS got %d requests", n)
	}
}

// Keys without a project ID, and no ProjectID in Options, fail before
// anything is sent unless the lookup was asked for; asked for without a
// Region to look up, New refuses.
func TestDisassociateRouterNoProjectAnywhere(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		region  string
		opts    []Option
		wantNew string // error of New; "": New succeeds and the call fails
	}{
		// Endpoint is set, so no region is needed, but nothing names the project.
		"no region":                    {region: ""},
		"region, lookup not asked for": {region: "cn-north-4"},
		"lookup asked for, no region":  {region: "", opts: []Option{WithProjectIDFromIAM()}, wantNew: "privatedns: the project ID lookup (WithProjectIDFromIAM) needs Region"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t, false)
			o := testOptions(f)
			o.Region = tc.region
			o.Credentials = signer.StaticHuaweiCredentials(testCreds())
			c, err := New(o, tc.opts...)
			if tc.wantNew != "" {
				if err == nil || err.Error() != tc.wantNew {
					t.Errorf("New: error %v, want %q", err, tc.wantNew)
				}
				return
			}
			require.NoError(t, err)
			// Given to the call, WithProjectIDFromIAM changes nothing:
			// authentication is fixed by New.
			_, err = c.DisassociateRouter(t.Context(), testInput(), WithProjectIDFromIAM())
			if err == nil || !strings.Contains(err.Error(), "credentials carry no project ID") ||
				!strings.Contains(err.Error(), "WithProjectIDFromIAM") {
				t.Errorf("error %v", err)
			}
			if n := f.dnsHits.Load() + f.iamHits.Load(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestDisassociateRouterRetryThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, true)
	f.setDNSReply(func(w http.ResponseWriter, n int32, _ *seen) bool {
		if n == 1 {
			writeJSON(w, 409, `{"code":"DNS.0021","message":"Could not acquire the lock, please try again later."}`)
			return true
		}
		return false
	})
	o := testOptions(f)
	o.Credentials = signer.StaticHuaweiCredentials(testCreds())
	o.ProjectID = testProjectID
	c, err := New(o)
	require.NoError(t, err)
	out, err := c.DisassociateRouter(t.Context(), testInput())
	require.NoError(t, err)
	if out.Metadata.Attempts != 2 {
		t.Errorf("Attempts = %d, want 2", out.Metadata.Attempts)
	}
	for i, s := range f.dnsSeen() {
		if s.AuthErr != nil {
			t.Errorf("attempt %d: %v", i+1, s.AuthErr)
		}
	}
}

func TestDisassociateRouterTransportFailure(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, false)
	o := testOptions(f)
	o.TokenSource = signer.StaticToken(testStaticToken)
	f.Close()
	c, err := New(o)
	require.NoError(t, err)
	_, err = c.DisassociateRouter(t.Context(), testInput())
	var se *transport.SendError
	if !errors.As(err, &se) || se.Attempts != 3 {
		t.Errorf("error %v, want a SendError after 3 attempts", err)
	}
	if strings.Contains(err.Error(), testStaticToken) {
		t.Errorf("error leaks the token: %v", err)
	}
}

func TestDisassociateRouterPerCallOptions(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, false)
	f.setDNSReply(func(w http.ResponseWriter, _ int32, _ *seen) bool {
		writeJSON(w, 500, `{"code":"DNS.0001","message":"Internal error."}`)
		return true
	})
	o := testOptions(f)
	o.TokenSource = signer.StaticToken(testStaticToken)
	c, err := New(o)
	require.NoError(t, err)
	_, err = c.DisassociateRouter(t.Context(), testInput(), func(o *Options) {
		o.Retry.MaxAttempts = 1
		o.Endpoint = "https://elsewhere.invalid" // fixed by New: ignored
	})
	if err == nil {
		t.Fatal("no error")
	}
	if n := f.dnsHits.Load(); n != 1 {
		t.Errorf("per-call MaxAttempts 1: %d requests", n)
	}
	if c.Options().Retry.MaxAttempts != 3 {
		t.Errorf("a per-call option changed the client: %+v", c.Options().Retry)
	}
}

func TestDisassociateRouterBadInput(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		change func(*DisassociateRouterInput)
		want   string
	}{
		"zone missing":        {func(in *DisassociateRouterInput) { in.ZoneID = "" }, "ZoneID is required"},
		"zone dot":            {func(in *DisassociateRouterInput) { in.ZoneID = "." }, `ZoneID must not be "." or ".."`},
		"zone dot dot":        {func(in *DisassociateRouterInput) { in.ZoneID = ".." }, `ZoneID must not be "." or ".."`},
		"zone control":        {func(in *DisassociateRouterInput) { in.ZoneID = "z\r\n" }, "ZoneID must not contain control characters"},
		"zone not UTF-8":      {func(in *DisassociateRouterInput) { in.ZoneID = "z\xc3" }, "ZoneID must be valid UTF-8"},
		"router missing":      {func(in *DisassociateRouterInput) { in.RouterID = "" }, "RouterID is required"},
		"router too long":     {func(in *DisassociateRouterInput) { in.RouterID = strings.Repeat("é", 256) }, "RouterID must be 1 to 255 characters"},
		"router not UTF-8":    {func(in *DisassociateRouterInput) { in.RouterID = "r\xff" }, "RouterID must be valid UTF-8"},
		"zone too long":       {func(in *DisassociateRouterInput) { in.ZoneID = strings.Repeat("z", 10000) }, "ZoneID must be 1 to 255 characters"},
		"region too long":     {func(in *DisassociateRouterInput) { in.RouterRegion = strings.Repeat("e", 256) }, "RouterRegion must be 1 to 255 characters"},
		"region not UTF-8":    {func(in *DisassociateRouterInput) { in.RouterRegion = "\xfe" }, "RouterRegion must be valid UTF-8"},
		"zone line separator": {func(in *DisassociateRouterInput) { in.ZoneID = "z\u2029" }, "ZoneID must not contain control characters"},
	}
	f := newFakeCloud(t, false)
	o := testOptions(f)
	o.TokenSource = passwordSource(t, f)
	c, err := New(o)
	require.NoError(t, err)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			in := testInput()
			tc.change(in)
			_, err := c.DisassociateRouter(t.Context(), in)
			var ve *transport.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, transport.ErrInvalidInput) {
				t.Errorf("error %v, want a ValidationError containing %q", err, tc.want)
			}
		})
	}
	if _, err := c.DisassociateRouter(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "input is required") {
		t.Errorf("nil input: %v", err)
	}
	if n := f.dnsHits.Load() + f.iamHits.Load(); n != 0 {
		t.Errorf("bad input caused %d requests", n)
	}
}

func BenchmarkDisassociateRouterRequest(b *testing.B) {
	in := testInput()
	b.ReportAllocs()
	for b.Loop() {
		if err := in.validate(); err != nil {
			b.Fatal(err)
		}
		_ = in.request()
	}
}

// memDoer answers every request in memory, so a benchmark measures the
// client, not the network.
type memDoer struct {
	status int
	body   string
}

func (d memDoer) Do(*http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: d.status, Header: http.Header{"X-Request-Id": {"rid"}},
		ContentLength: int64(len(d.body)), Body: io.NopCloser(strings.NewReader(d.body))}, nil
}

func BenchmarkDisassociateRouter(b *testing.B) {
	for name, o := range map[string]Options{
		"token": {TokenSource: signer.StaticToken(testStaticToken), ProjectID: testProjectID},
		"aksk":  {Credentials: signer.StaticHuaweiCredentials(testCreds()), ProjectID: testProjectID},
	} {
		b.Run(name, func(b *testing.B) {
			o.Cloud, o.Region = HuaweiCloud, "cn-north-4"
			o.HTTPClient = memDoer{202, `{"status":"PENDING_DELETE","router_id":"r","router_region":"cn-north-4"}`}
			c, err := New(o)
			if err != nil {
				b.Fatal(err)
			}
			in, ctx := testInput(), context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.DisassociateRouter(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
