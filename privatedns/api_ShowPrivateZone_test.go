package privatedns

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const testOddZoneShowPath = "/dns/v2/zones/zone%20a%2Bb%3Ac%40d~e.f_g-%C3%BC"

// testZoneOutput is testZoneBody decoded.
func testZoneOutput() *ShowPrivateZoneOutput {
	return &ShowPrivateZoneOutput{
		ID: "ff8080825b8fc86c015b94bc6f8712c3", Name: "example.com.", Description: "This is an example zone.",
		Email: "xx@example.com", ZoneType: "private", TTL: 300, Serial: 0, Status: ZoneStatusActive, RecordNum: 2,
		PoolID: "ff8080825ab738f4015ab7513298010e", ProjectID: "e55c6f3dc4e34c9f86353b664ae0e70c",
		CreatedAt: time.Date(2017, 4, 22, 8, 17, 8, 997_000_000, time.UTC),
		UpdatedAt: time.Date(2017, 4, 22, 8, 17, 9, 997_000_000, time.UTC),
		Routers: []Router{
			{RouterID: "19664294-0bf6-4271-ad3a-94b8c79c6558", RouterRegion: "xx", Status: RouterStatusActive},
			{RouterID: "f0791650-db8c-4a20-8a44-a06c6e24b15b", RouterRegion: "xx", Status: RouterStatusPendingDelete},
		},
	}
}

func TestShowPrivateZoneAuthModes(t *testing.T) {
	t.Parallel()
	for name, tc := range authCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, c := tc.client(t)
			for range 2 { // the second call uses the cached token or project ID
				out, err := c.ShowPrivateZone(t.Context(), &ShowPrivateZoneInput{ZoneID: testOddZoneID})
				require.NoError(t, err)
				want := testZoneOutput()
				want.Metadata = transport.Metadata{RequestID: out.Metadata.RequestID, StatusCode: 200, Attempts: 1}
				if diff := cmp.Diff(want, out); diff != "" {
					t.Errorf("output (-want +got):\n%s", diff)
				}
				got := f.dnsSeen()
				s := got[len(got)-1]
				if s.Method != http.MethodGet || s.Path != testOddZoneShowPath || s.Body != nil {
					t.Errorf("request %s %s body %v, want GET %s and no body", s.Method, s.Path, s.Body, testOddZoneShowPath)
				}
				if ct := s.Header.Get("Content-Type"); ct != "" {
					t.Errorf("Content-Type = %q on a GET", ct)
				}
				tc.checkRequest(t, s)
			}
			tc.checkIAM(t, f)
		})
	}
}

func TestShowPrivateZoneResponses(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return v.UTC()
	}
	tests := map[string]struct {
		body    string
		want    *ShowPrivateZoneOutput
		wantErr string
	}{
		"documented example": {body: testZoneBody, want: testZoneOutput()},
		"minimal":            {body: `{"id":"z"}`, want: &ShowPrivateZoneOutput{ID: "z"}},
		"no fraction, RFC 3339 with zone": {
			body: `{"id":"z","created_at":"2024-02-29T23:59:59","updated_at":"2024-03-01T01:00:00.5+02:00"}`,
			want: &ShowPrivateZoneOutput{ID: "z", CreatedAt: utc("2024-02-29T23:59:59Z"), UpdatedAt: utc("2024-02-29T23:00:00.5Z")}},
		"Z suffix, microseconds": {body: `{"id":"z","created_at":"2024-01-01T00:00:00.123456Z"}`,
			want: &ShowPrivateZoneOutput{ID: "z", CreatedAt: utc("2024-01-01T00:00:00.123456Z")}},
		"null and empty fields": {body: `{"id":"z","routers":null,"created_at":"","ttl":null,"masters":null}`,
			want: &ShowPrivateZoneOutput{ID: "z"}},
		"unknown statuses kept": {body: `{"id":"z","status":"PENDING_FREEZE","routers":[{"router_id":"r","status":"MIGRATING"}]}`,
			want: &ShowPrivateZoneOutput{ID: "z", Status: ZoneStatusPendingFreeze, Routers: []Router{{RouterID: "r", Status: "MIGRATING"}}}},
		"unknown fields ignored": {body: `{"id":"z","future":{"a":[1,2]},"routers":[{"router_id":"r","router_region":"x","status":"ERROR","extra":true}]}`,
			want: &ShowPrivateZoneOutput{ID: "z", Routers: []Router{{RouterID: "r", RouterRegion: "x", Status: RouterStatusError}}}},
		"bad time":         {body: `{"id":"z","updated_at":"22.04.2017"}`, wantErr: "field updated_at: not a time in the documented format"},
		"time not string":  {body: `{"id":"z","created_at":1492849028}`, wantErr: "field created_at: unexpected JSON number"},
		"empty body":       {body: "", wantErr: "body has no zone id"},
		"empty object":     {body: `{}`, wantErr: "body has no zone id"},
		"body not JSON":    {body: `<html>`, wantErr: "body is not valid JSON"},
		"routers a string": {body: `{"id":"z","routers":"r"}`, wantErr: "field routers: unexpected JSON string"},
		"ttl fractional":   {body: `{"id":"z","ttl":1.5}`, wantErr: "field ttl: unexpected JSON number"},
		"array body":       {body: `[]`, wantErr: "body: unexpected JSON array"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t, false)
			f.setDNSReply(func(w http.ResponseWriter, _ int32, _ *seen) bool {
				w.Header().Set("X-Request-Id", "rid")
				writeJSON(w, 200, tc.body)
				return true
			})
			o := testOptions(f)
			o.TokenSource = signer.StaticToken(testStaticToken)
			c, err := New(o)
			require.NoError(t, err)
			out, err := c.ShowPrivateZone(t.Context(), &ShowPrivateZoneInput{ZoneID: testZoneID})
			if tc.wantErr != "" {
				var de *transport.DecodeError
				var oe *smithy.OperationError
				if !errors.As(err, &de) || de.RequestID != "rid" || de.StatusCode != 200 || !strings.Contains(err.Error(), tc.wantErr) ||
					!errors.As(err, &oe) || oe.OperationName != "ShowPrivateZone" {
					t.Errorf("error %v, want a ShowPrivateZone DecodeError with the request ID containing %q", err, tc.wantErr)
				}
				return
			}
			require.NoError(t, err)
			tc.want.Metadata = transport.Metadata{RequestID: "rid", StatusCode: 200, Attempts: 1}
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShowPrivateZoneRouter(t *testing.T) {
	t.Parallel()
	z := testZoneOutput()
	if r, ok := z.Router("f0791650-db8c-4a20-8a44-a06c6e24b15b"); !ok || r.Status != RouterStatusPendingDelete {
		t.Errorf("Router = %+v, %v", r, ok)
	}
	if r, ok := z.Router("absent"); ok || r != (Router{}) {
		t.Errorf("Router(absent) = %+v, %v", r, ok)
	}
	if _, ok := (&ShowPrivateZoneOutput{}).Router(""); ok {
		t.Error("an empty zone has a router")
	}
}

// errorCase is one documented error answer and how the client must treat
// it.
type errorCase struct {
	code     string
	status   int
	sentinel error
	kind     transport.Kind
	hits     int32 // attempts: 3 when retried
}

// checkErrorCase answers every request with ec and checks what call
// returns.
func checkErrorCase(t *testing.T, op string, ec errorCase, call func(ctx context.Context, c *Client) error) {
	t.Helper()
	f := newFakeCloud(t, false)
	body := `{"code":"` + ec.code + `","message":"message of ` + ec.code + `"}`
	if strings.HasPrefix(ec.code, "APIGW.") {
		body = `{"error_code":"` + ec.code + `","error_msg":"message of ` + ec.code + `","request_id":"body-id"}`
	}
	f.setDNSReply(func(w http.ResponseWriter, _ int32, _ *seen) bool {
		w.Header().Set("X-Request-Id", "rid-"+ec.code)
		writeJSON(w, ec.status, body)
		return true
	})
	o := testOptions(f)
	o.TokenSource = signer.StaticToken(testStaticToken)
	c, err := New(o)
	require.NoError(t, err)
	err = call(t.Context(), c)
	var oe *smithy.OperationError
	if !errors.As(err, &oe) || oe.ServiceID != "DNS" || oe.OperationName != op {
		t.Fatalf("error %v is not a DNS %s OperationError", err, op)
	}
	var re *transport.ResponseError
	require.ErrorAs(t, err, &re)
	got := []any{re.StatusCode, re.Code, re.Message, re.RequestID, re.Kind, re.Attempts}
	want := []any{ec.status, ec.code, "message of " + ec.code, "rid-" + ec.code, ec.kind, int(ec.hits)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("status, code, message, request ID, kind, attempts (-want +got):\n%s", diff)
	}
	for _, s := range []error{transport.ErrNotFound, transport.ErrConflict, transport.ErrThrottled,
		transport.ErrAccessDenied, transport.ErrInvalidInput, transport.ErrUnauthorized} {
		if errors.Is(err, s) != (s == ec.sentinel) {
			t.Errorf("errors.Is(err, %v) = %v", s, errors.Is(err, s))
		}
	}
	if n := f.dnsHits.Load(); n != ec.hits {
		t.Errorf("DNS got %d requests, want %d", n, ec.hits)
	}
}

func TestShowPrivateZoneErrors(t *testing.T) {
	t.Parallel()
	for _, ec := range []errorCase{
		{CodeZoneNotFound, 404, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeZoneNotFound, 400, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeInvalidZoneID, 400, transport.ErrInvalidInput, transport.KindInvalidInput, 1},
		{CodeAuthRequired, 401, transport.ErrUnauthorized, transport.KindUnauthorized, 1},
		{CodeNoAPIPermission, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodePolicyDenied, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodeFlowControl, 403, transport.ErrThrottled, transport.KindThrottled, 3},
		{CodeSystemBusy, 500, nil, transport.KindTransient, 3},
		{CodeInternalError, 500, nil, transport.KindTransient, 3},
		{CodeGatewayAccessDenied, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodeGatewayThrottled, 429, transport.ErrThrottled, transport.KindThrottled, 3},
	} {
		t.Run(ec.code+"/"+http.StatusText(ec.status), func(t *testing.T) {
			t.Parallel()
			checkErrorCase(t, "ShowPrivateZone", ec, func(ctx context.Context, c *Client) error {
				_, err := c.ShowPrivateZone(ctx, &ShowPrivateZoneInput{ZoneID: testZoneID})
				return err
			})
		})
	}
}

func TestShowPrivateZoneRetryThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, true)
	f.setDNSReply(func(w http.ResponseWriter, n int32, _ *seen) bool {
		if n == 1 {
			writeJSON(w, 429, `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached"}`)
			return true
		}
		return false
	})
	o := testOptions(f)
	o.Credentials, o.ProjectID = signer.StaticHuaweiCredentials(testCreds()), testProjectID
	c, err := New(o)
	require.NoError(t, err)
	out, err := c.ShowPrivateZone(t.Context(), &ShowPrivateZoneInput{ZoneID: testZoneID})
	require.NoError(t, err)
	if out.Metadata.Attempts != 2 || out.ID != testZoneID {
		t.Errorf("output %+v", out)
	}
	for i, s := range f.dnsSeen() {
		if s.AuthErr != nil {
			t.Errorf("attempt %d: %v", i+1, s.AuthErr)
		}
	}
}

func TestShowPrivateZoneTransportFailure(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, false)
	o := testOptions(f)
	o.TokenSource = signer.StaticToken(testStaticToken)
	f.Close()
	c, err := New(o)
	require.NoError(t, err)
	_, err = c.ShowPrivateZone(t.Context(), &ShowPrivateZoneInput{ZoneID: testZoneID})
	var se *transport.SendError
	if !errors.As(err, &se) || se.Attempts != 3 {
		t.Errorf("error %v, want a SendError after 3 attempts", err)
	}
}

func TestShowPrivateZonePerCallOptions(t *testing.T) {
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
	_, err = c.ShowPrivateZone(t.Context(), &ShowPrivateZoneInput{ZoneID: testZoneID}, func(o *Options) { o.Retry.MaxAttempts = 1 })
	if err == nil || f.dnsHits.Load() != 1 {
		t.Errorf("per-call MaxAttempts 1: %v after %d requests", err, f.dnsHits.Load())
	}
}

func TestShowPrivateZoneBadInput(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, false)
	o := testOptions(f)
	o.TokenSource = passwordSource(t, f)
	c, err := New(o)
	require.NoError(t, err)
	for zone, want := range map[string]string{
		"":                       "ZoneID is required",
		".":                      `ZoneID must not be "." or ".."`,
		"..":                     `ZoneID must not be "." or ".."`,
		"z\r\n":                  "ZoneID must not contain control characters",
		"z\u0085":                "ZoneID must not contain control characters",
		"z\xc3":                  "ZoneID must be valid UTF-8",
		strings.Repeat("z", 256): "ZoneID must be 1 to 255 characters",
	} {
		_, err := c.ShowPrivateZone(t.Context(), &ShowPrivateZoneInput{ZoneID: zone})
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "ShowPrivateZone") {
			t.Errorf("ZoneID %q: error %v, want a ValidationError containing %q", zone, err, want)
		}
	}
	if _, err := c.ShowPrivateZone(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "input is required") {
		t.Errorf("nil input: %v", err)
	}
	if n := f.dnsHits.Load() + f.iamHits.Load(); n != 0 {
		t.Errorf("bad input caused %d requests", n)
	}
}

func BenchmarkShowPrivateZone(b *testing.B) {
	c, err := New(Options{Cloud: HuaweiCloud, Region: "cn-north-4",
		Credentials: signer.StaticHuaweiCredentials(testCreds()), ProjectID: testProjectID,
		Settings: transport.Settings{HTTPClient: memDoer{200, testZoneBody}}})
	if err != nil {
		b.Fatal(err)
	}
	in, ctx := &ShowPrivateZoneInput{ZoneID: testZoneID}, context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ShowPrivateZone(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
