package privatedns

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const testOddZoneAssociatePath = "/dns/v2/zones/zone%20a%2Bb%3Ac%40d~e.f_g-%C3%BC/associaterouter"

func TestAssociateRouterAuthModes(t *testing.T) {
	t.Parallel()
	for name, tc := range authCases() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, c := tc.client(t)
			for _, in := range []*AssociateRouterInput{
				{ZoneID: testOddZoneID, RouterID: testRouterID, RouterRegion: "eu-de"},
				{ZoneID: testOddZoneID, RouterID: `odd "router" \ id ü`},
			} {
				out, err := c.AssociateRouter(t.Context(), in)
				require.NoError(t, err)
				wantRegion := in.RouterRegion
				if wantRegion == "" {
					wantRegion = "cn-north-4"
				}
				want := &AssociateRouterOutput{RouterID: in.RouterID, RouterRegion: wantRegion, Status: RouterStatusPendingCreate,
					Metadata: transport.Metadata{RequestID: out.Metadata.RequestID, StatusCode: 202, Attempts: 1}}
				if diff := cmp.Diff(want, out); diff != "" {
					t.Errorf("output (-want +got):\n%s", diff)
				}
				got := f.dnsSeen()
				s := got[len(got)-1]
				if s.Method != http.MethodPost || s.Path != testOddZoneAssociatePath {
					t.Errorf("request %s %s, want POST %s", s.Method, s.Path, testOddZoneAssociatePath)
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

func TestAssociateRouterResponses(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status  int
		body    string
		want    AssociateRouterOutput
		wantErr string
	}{
		"202 documented": {status: 202, body: `{"status":"PENDING_CREATE","router_id":"r","router_region":"xx"}`,
			want: AssociateRouterOutput{RouterID: "r", RouterRegion: "xx", Status: RouterStatusPendingCreate}},
		"200 active":       {status: 200, body: `{"status":"ACTIVE","router_id":"r"}`, want: AssociateRouterOutput{RouterID: "r", Status: RouterStatusActive}},
		"204 no body":      {status: 204},
		"extra fields":     {status: 202, body: `{"status":"PENDING_CREATE","links":{"self":"x"}}`, want: AssociateRouterOutput{Status: RouterStatusPendingCreate}},
		"body not JSON":    {status: 202, body: `<html>`, wantErr: "body is not valid JSON"},
		"wrong field type": {status: 202, body: `{"status":[]}`, wantErr: "field status: unexpected JSON array"},
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
			out, err := c.AssociateRouter(t.Context(), testAssociateInput())
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

func testAssociateInput() *AssociateRouterInput {
	return &AssociateRouterInput{ZoneID: testZoneID, RouterID: testRouterID, RouterRegion: "cn-north-4"}
}

func TestAssociateRouterErrors(t *testing.T) {
	t.Parallel()
	for _, ec := range []errorCase{
		{CodeVPCAlreadyAssociated, 400, transport.ErrConflict, transport.KindConflict, 1},
		{CodeVPCAlreadyAssociated, 409, transport.ErrConflict, transport.KindConflict, 1},
		{CodeZoneNotNormal, 409, nil, transport.KindTransient, 3},
		{CodeZoneNotNormal, 400, nil, transport.KindTransient, 3},
		{CodeZoneDisabled, 400, transport.ErrConflict, transport.KindConflict, 1},
		{CodeZoneNotFound, 404, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeVPCNotFound, 404, transport.ErrNotFound, transport.KindNotFound, 1},
		{CodeVPCNotSteady, 400, transport.ErrConflict, transport.KindConflict, 1},
		{CodeInvalidVPC, 400, transport.ErrInvalidInput, transport.KindInvalidInput, 1},
		{CodeInvalidVPCEndpoint, 500, transport.ErrInvalidInput, transport.KindInvalidInput, 1},
		{CodeVPCCheckFailed, 500, nil, transport.KindTransient, 3},
		{CodeInvalidRequest, 400, transport.ErrInvalidInput, transport.KindInvalidInput, 1},
		{CodePolicyDenied, 403, transport.ErrAccessDenied, transport.KindAccessDenied, 1},
		{CodeFlowControl, 403, transport.ErrThrottled, transport.KindThrottled, 3},
		{CodeLockFailed, 409, nil, transport.KindTransient, 3},
		{CodeVPCServiceError, 500, nil, transport.KindTransient, 3},
		{CodeGatewayThrottled, 429, transport.ErrThrottled, transport.KindThrottled, 3},
	} {
		t.Run(ec.code+"/"+http.StatusText(ec.status), func(t *testing.T) {
			t.Parallel()
			checkErrorCase(t, "AssociateRouter", ec, func(ctx context.Context, c *Client) error {
				_, err := c.AssociateRouter(ctx, testAssociateInput())
				return err
			})
		})
	}
}

func TestAssociateRouterRetryThenSuccess(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, true)
	f.setDNSReply(func(w http.ResponseWriter, n int32, _ *seen) bool {
		if n == 1 {
			writeJSON(w, 409, `{"code":"DNS.0209","message":"The zone is not in the Normal state."}`)
			return true
		}
		return false
	})
	o := testOptions(f)
	o.Credentials, o.ProjectID = signer.StaticHuaweiCredentials(testCreds()), testProjectID
	c, err := New(o)
	require.NoError(t, err)
	out, err := c.AssociateRouter(t.Context(), testAssociateInput())
	require.NoError(t, err)
	if out.Metadata.Attempts != 2 || out.Status != RouterStatusPendingCreate {
		t.Errorf("output %+v", out)
	}
	seen := f.dnsSeen()
	if diff := cmp.Diff(seen[0].Body, seen[1].Body); diff != "" || len(seen) != 2 {
		t.Errorf("the retry sent another body (-first +second):\n%s", diff)
	}
	for i, s := range seen {
		if s.AuthErr != nil {
			t.Errorf("attempt %d: %v", i+1, s.AuthErr)
		}
	}
}

func TestAssociateRouterTransportFailure(t *testing.T) {
	t.Parallel()
	f := newFakeCloud(t, false)
	o := testOptions(f)
	o.TokenSource = signer.StaticToken(testStaticToken)
	f.Close()
	c, err := New(o)
	require.NoError(t, err)
	_, err = c.AssociateRouter(t.Context(), testAssociateInput())
	var se *transport.SendError
	if !errors.As(err, &se) || se.Attempts != 3 {
		t.Errorf("error %v, want a SendError after 3 attempts", err)
	}
}

func TestAssociateRouterBadInput(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		change func(*AssociateRouterInput)
		want   string
	}{
		"zone missing":     {func(in *AssociateRouterInput) { in.ZoneID = "" }, "ZoneID is required"},
		"zone dot dot":     {func(in *AssociateRouterInput) { in.ZoneID = ".." }, `ZoneID must not be "." or ".."`},
		"zone control":     {func(in *AssociateRouterInput) { in.ZoneID = "z\n" }, "ZoneID must not contain control characters"},
		"router missing":   {func(in *AssociateRouterInput) { in.RouterID = "" }, "RouterID is required"},
		"router not UTF-8": {func(in *AssociateRouterInput) { in.RouterID = "r\xff" }, "RouterID must be valid UTF-8"},
		"zone too long":    {func(in *AssociateRouterInput) { in.ZoneID = strings.Repeat("z", 256) }, "ZoneID must be 1 to 255 characters"},
		"router too long":  {func(in *AssociateRouterInput) { in.RouterID = strings.Repeat("r", 256) }, "RouterID must be 1 to 255 characters"},
		"region too long":  {func(in *AssociateRouterInput) { in.RouterRegion = strings.Repeat("e", 256) }, "RouterRegion must be 1 to 255 characters"},
	}
	f := newFakeCloud(t, false)
	o := testOptions(f)
	o.TokenSource = passwordSource(t, f)
	c, err := New(o)
	require.NoError(t, err)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			in := testAssociateInput()
			tc.change(in)
			_, err := c.AssociateRouter(t.Context(), in)
			var ve *transport.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "AssociateRouter") {
				t.Errorf("error %v, want a ValidationError containing %q", err, tc.want)
			}
		})
	}
	if _, err := c.AssociateRouter(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "input is required") {
		t.Errorf("nil input: %v", err)
	}
	if n := f.dnsHits.Load() + f.iamHits.Load(); n != 0 {
		t.Errorf("bad input caused %d requests", n)
	}
}

// TestDisassociateRouterIdempotent sets Idempotent per client and per
// call: only CodeVPCNotAssociated becomes AlreadyGone.
func TestDisassociateRouterIdempotent(t *testing.T) {
	t.Parallel()
	idem := func(on bool) Option { return func(o *Options) { o.Idempotent = on } }
	answer := func(status int, code string) func(w http.ResponseWriter, n int32, _ *seen) bool {
		return func(w http.ResponseWriter, _ int32, _ *seen) bool {
			w.Header().Set("X-Request-Id", "rid-"+code)
			writeJSON(w, status, `{"code":"`+code+`","message":"message of `+code+`"}`)
			return true
		}
	}
	gone := &DisassociateRouterOutput{AlreadyGone: true,
		Metadata: transport.Metadata{RequestID: "rid-DNS.0707", StatusCode: 400, Attempts: 1}}
	tests := map[string]struct {
		client  bool
		perCall []Option
		reply   func(w http.ResponseWriter, n int32, _ *seen) bool
		want    *DisassociateRouterOutput
		wantErr string // the code of the expected error
	}{
		"client option, not associated is gone":   {client: true, reply: answer(400, CodeVPCNotAssociated), want: gone},
		"per-call option, not associated is gone": {perCall: []Option{idem(true)}, reply: answer(400, CodeVPCNotAssociated), want: gone},
		"off by default":                          {reply: answer(400, CodeVPCNotAssociated), wantErr: CodeVPCNotAssociated},
		"per call off overrides client":           {client: true, perCall: []Option{idem(false)}, reply: answer(400, CodeVPCNotAssociated), wantErr: CodeVPCNotAssociated},
		"zone not found stays an error":           {client: true, reply: answer(404, CodeZoneNotFound), wantErr: CodeZoneNotFound},
		"last VPC stays an error":                 {client: true, reply: answer(403, CodeLastVPC), wantErr: CodeLastVPC},
		"no VPC associated stays an error":        {client: true, reply: answer(400, CodeNoVPCAssociated), wantErr: CodeNoVPCAssociated},
		"VPC not found stays an error":            {client: true, reply: answer(404, CodeVPCNotFound), wantErr: CodeVPCNotFound},
		"404 without the code stays an error":     {client: true, reply: answer(404, "DNS.9999"), wantErr: "DNS.9999"},
		"success is not gone": {client: true,
			want: &DisassociateRouterOutput{RouterID: testRouterID, RouterRegion: "cn-north-4", Status: RouterStatusPendingDelete,
				Metadata: transport.Metadata{RequestID: "req-dns-1", StatusCode: 202, Attempts: 1}}},
		"lost response: the retry finds it gone": {client: true,
			reply: func(w http.ResponseWriter, n int32, s *seen) bool {
				if n == 1 {
					writeJSON(w, 503, `{"code":"DNS.0000","message":"The system is busy."}`)
					return true
				}
				return answer(400, CodeVPCNotAssociated)(w, n, s)
			},
			want: &DisassociateRouterOutput{AlreadyGone: true, Metadata: transport.Metadata{RequestID: "rid-DNS.0707", StatusCode: 400, Attempts: 2}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFakeCloud(t, false)
			if tc.reply != nil {
				f.setDNSReply(tc.reply)
			}
			o := testOptions(f)
			o.TokenSource, o.Idempotent = signer.StaticToken(testStaticToken), tc.client
			c, err := New(o)
			require.NoError(t, err)
			out, err := c.DisassociateRouter(t.Context(), testInput(), tc.perCall...)
			if tc.wantErr != "" {
				var re *transport.ResponseError
				if out != nil || !errors.As(err, &re) || re.Code != tc.wantErr {
					t.Errorf("got %+v, %v; want the error %s", out, err, tc.wantErr)
				}
				return
			}
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, out); diff != "" {
				t.Errorf("output (-want +got):\n%s", diff)
			}
			if c.Options().Idempotent != tc.client {
				t.Error("a per-call option changed the client")
			}
		})
	}
}
