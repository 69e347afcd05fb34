package privatedns

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// Script states besides the RouterStatus values.
const (
	scriptAbsent    = ""          // the zone has no such router
	scriptZone404   = "ZONE_404"  // 404 DNS.0302
	scriptForbidden = "FORBIDDEN" // 403 DNS.0013
)

// scriptDoer answers each ShowPrivateZone with the next state of the
// router "vpc-w" in a zone that also has "vpc-other" ACTIVE; after the
// script it repeats the last state. Any other request fails the test.
type scriptDoer struct {
	t      *testing.T
	states []string
	mu     sync.Mutex
	polls  int
}

func (d *scriptDoer) Do(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	state := d.states[min(d.polls, len(d.states)-1)]
	d.polls++
	d.mu.Unlock()
	if r.Method != http.MethodGet || r.URL.Path != "/v2/zones/zone-w" {
		d.t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
	}
	reply := func(status int, body string) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: http.Header{"X-Request-Id": {"rid"}, "Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}, nil
	}
	switch state {
	case scriptZone404:
		return reply(404, `{"code":"DNS.0302","message":"This zone does not exist."}`)
	case scriptForbidden:
		return reply(403, `{"code":"DNS.0013","message":"You do not have the permission."}`)
	}
	routers := `{"router_id":"vpc-other","router_region":"xx","status":"ACTIVE"}`
	if state != scriptAbsent {
		routers += `,{"router_id":"vpc-w","router_region":"xx","status":"` + state + `"}`
	}
	return reply(200, `{"id":"zone-w","routers":[`+routers+`]}`)
}

func (d *scriptDoer) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.polls
}

func scriptClient(t *testing.T, d *scriptDoer) *Client {
	t.Helper()
	c, err := New(Options{Cloud: HuaweiCloud, Endpoint: "https://dns.example", TokenSource: signer.StaticToken(testStaticToken),
		Settings: transport.Settings{HTTPClient: d}})
	require.NoError(t, err)
	return c
}

// oneSecond makes every pause between polls exactly one second.
var oneSecond = transport.WaitOptions{MinDelay: time.Second, MaxDelay: time.Second}

// waitCase is a script and how a waiter must end on it.
type waitCase struct {
	states    []string
	tolerance int
	polls     int    // polls made, so the wait took polls-1 seconds
	cause     error  // errors.Is target of the failure; nil: success
	lastState string // WaitError.LastState of a failure
}

func runWaitCases(t *testing.T, name string, tests map[string]waitCase,
	wait func(c *Client, ctx context.Context, w RouterWaitOptions) error) {
	t.Helper()
	for caseName, tc := range tests {
		t.Run(caseName, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				d := &scriptDoer{t: t, states: tc.states}
				c := scriptClient(t, d)
				start := time.Now()
				err := wait(c, context.Background(), RouterWaitOptions{WaitOptions: oneSecond, Tolerance: tc.tolerance})
				if got, want := time.Since(start), time.Duration(tc.polls-1)*time.Second; got != want {
					t.Errorf("waited %v, want %v", got, want)
				}
				if n := d.count(); n != tc.polls {
					t.Errorf("%d polls, want %d", n, tc.polls)
				}
				if tc.cause == nil {
					if err != nil {
						t.Errorf("error %v", err)
					}
					return
				}
				var we *transport.WaitError
				if !errors.As(err, &we) || !errors.Is(err, tc.cause) {
					t.Fatalf("error %v, want a WaitError caused by %v", err, tc.cause)
				}
				want := transport.WaitError{Waiter: name, LastState: tc.lastState, Polls: tc.polls,
					Waited: time.Duration(tc.polls-1) * time.Second}
				if diff := cmp.Diff(want, *we, cmpopts.IgnoreFields(transport.WaitError{}, "Err")); diff != "" {
					t.Errorf("WaitError (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestWaitRouterDisassociatedStates(t *testing.T) {
	t.Parallel()
	pd, act, pc, er := string(RouterStatusPendingDelete), string(RouterStatusActive), string(RouterStatusPendingCreate), string(RouterStatusError)
	runWaitCases(t, "DNS WaitRouterDisassociated", map[string]waitCase{
		"pending then gone":          {states: []string{pd, pd, scriptAbsent}, polls: 3},
		"gone at once":               {states: []string{scriptAbsent}, polls: 1},
		"ACTIVE briefly, then gone":  {states: []string{act, act, pd, scriptAbsent}, polls: 4},
		"ACTIVE past the tolerance":  {states: []string{act}, polls: 4, cause: ErrRouterNotDisassociating, lastState: act},
		"ACTIVE, tolerance 1":        {states: []string{act}, tolerance: 1, polls: 2, cause: ErrRouterNotDisassociating, lastState: act},
		"PENDING_CREATE past it":     {states: []string{pc}, polls: 4, cause: ErrRouterNotDisassociating, lastState: pc},
		"ERROR passing":              {states: []string{er, er, er, pd, scriptAbsent}, polls: 5},
		"ERROR streaks reset":        {states: []string{er, er, er, pd, er, er, er, scriptAbsent}, polls: 8},
		"ERROR past the tolerance":   {states: []string{pd, er}, polls: 5, cause: ErrRouterFailed, lastState: er},
		"ERROR, negative tolerance":  {states: []string{er}, tolerance: -1, polls: 1, cause: ErrRouterFailed, lastState: er},
		"unknown status is pending":  {states: []string{"MIGRATING", "MIGRATING", "MIGRATING", "MIGRATING", "MIGRATING", scriptAbsent}, polls: 6},
		"zone deleted: done":         {states: []string{pd, scriptZone404}, polls: 2},
		"poll error ends the wait":   {states: []string{pd, scriptForbidden}, polls: 2, cause: transport.ErrAccessDenied, lastState: pd},
		"poll error at the first":    {states: []string{scriptForbidden}, polls: 1, cause: transport.ErrAccessDenied},
		"state changes reset streak": {states: []string{act, act, act, pc, pc, pc, scriptAbsent}, polls: 7},
	}, func(c *Client, ctx context.Context, w RouterWaitOptions) error {
		return c.WaitRouterDisassociated(ctx, "zone-w", "vpc-w", w)
	})
}

func TestWaitRouterActiveStates(t *testing.T) {
	t.Parallel()
	pd, act, pc, er := string(RouterStatusPendingDelete), string(RouterStatusActive), string(RouterStatusPendingCreate), string(RouterStatusError)
	runWaitCases(t, "DNS WaitRouterActive", map[string]waitCase{
		"pending then active":       {states: []string{pc, pc, act}, polls: 3},
		"active at once":            {states: []string{act}, polls: 1},
		"absent briefly":            {states: []string{scriptAbsent, scriptAbsent, pc, act}, polls: 4},
		"absent past the tolerance": {states: []string{scriptAbsent}, polls: 4, cause: ErrRouterNotAssociated, lastState: WaitStateAbsent},
		"absent, tolerance 2":       {states: []string{scriptAbsent}, tolerance: 2, polls: 3, cause: ErrRouterNotAssociated, lastState: WaitStateAbsent},
		"PENDING_DELETE fails":      {states: []string{pc, pd}, polls: 2, cause: ErrRouterNotAssociated, lastState: pd},
		"ERROR passing":             {states: []string{er, er, act}, polls: 3},
		"ERROR past the tolerance":  {states: []string{pc, er}, polls: 5, cause: ErrRouterFailed, lastState: er},
		"unknown status is pending": {states: []string{"MIGRATING", "MIGRATING", "MIGRATING", "MIGRATING", act}, polls: 5},
		"zone not found":            {states: []string{pc, scriptZone404}, polls: 2, cause: transport.ErrNotFound, lastState: pc},
	}, func(c *Client, ctx context.Context, w RouterWaitOptions) error {
		return c.WaitRouterActive(ctx, "zone-w", "vpc-w", w)
	})
}

// The failure names the VPC, the zone and what to do.
func TestWaitErrorMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		states []string
		wait   func(c *Client) error
		want   string
	}{
		{[]string{"ACTIVE"}, func(c *Client) error {
			return c.WaitRouterDisassociated(context.Background(), "zone-w", "vpc-w", RouterWaitOptions{WaitOptions: oneSecond})
		},
			`DNS WaitRouterDisassociated: gave up after 3s and 4 polls, last state ACTIVE: the VPC is not being disassociated from the zone: ` +
				`VPC "vpc-w" of zone "zone-w" is still ACTIVE after 4 polls in a row; nothing is removing it: call DisassociateRouter (or DisassociateAndWait)`},
		{[]string{"ERROR"}, func(c *Client) error {
			return c.WaitRouterActive(context.Background(), "zone-w", "vpc-w", RouterWaitOptions{WaitOptions: oneSecond})
		},
			`DNS WaitRouterActive: gave up after 3s and 4 polls, last state ERROR: the zone's association with the VPC failed (state ERROR): ` +
				`VPC "vpc-w" of zone "zone-w" was ERROR in 4 polls in a row`},
		{[]string{scriptAbsent}, func(c *Client) error {
			return c.WaitRouterActive(context.Background(), "zone-w", "vpc-w", RouterWaitOptions{WaitOptions: oneSecond})
		},
			`DNS WaitRouterActive: gave up after 3s and 4 polls, last state ABSENT: the VPC is not being associated with the zone: ` +
				`VPC "vpc-w" is absent from zone "zone-w" after 4 polls in a row; call AssociateRouter first`},
	}
	for _, tc := range tests {
		synctest.Test(t, func(t *testing.T) {
			d := &scriptDoer{t: t, states: tc.states}
			err := tc.wait(scriptClient(t, d))
			if err == nil || err.Error() != tc.want {
				t.Errorf("error\n%v\nwant\n%s", err, tc.want)
			}
		})
	}
}

// The defaults: 2s to 20s between polls, tolerance 3.
func TestRouterWaitOptionsDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want RouterWaitOptions
	}{
		{RouterWaitOptions{}, RouterWaitOptions{transport.WaitOptions{MinDelay: 2 * time.Second, MaxDelay: 20 * time.Second}, 3}},
		{RouterWaitOptions{transport.WaitOptions{MinDelay: time.Millisecond}, -5},
			RouterWaitOptions{transport.WaitOptions{MinDelay: time.Millisecond, MaxDelay: 20 * time.Second}, 0}},
		{RouterWaitOptions{transport.WaitOptions{MinDelay: time.Minute, MaxDelay: time.Second}, 7},
			RouterWaitOptions{transport.WaitOptions{MinDelay: time.Minute, MaxDelay: time.Minute}, 7}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, tc.in.withDefaults()); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tc.in, diff)
		}
	}
	// The default pauses, on fake time: between 2s and 20s each.
	synctest.Test(t, func(t *testing.T) {
		d := &scriptDoer{t: t, states: []string{"PENDING_DELETE"}}
		c := scriptClient(t, d)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		start := time.Now()
		err := c.WaitRouterDisassociated(ctx, "zone-w", "vpc-w", RouterWaitOptions{})
		waited := time.Since(start)
		if !errors.Is(err, transport.ErrWaitDeadline) {
			t.Fatalf("error %v, want the deadline", err)
		}
		if n := d.count(); n < 10*60/20 || n > 10*60/2+1 {
			t.Errorf("%d polls in %v: the pauses are outside 2s to 20s", n, waited)
		}
	})
}

// The context bounds the wait: it ends at the deadline, or when the next
// poll would pass it.
func TestWaitRouterContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		d := &scriptDoer{t: t, states: []string{"PENDING_DELETE"}}
		c := scriptClient(t, d)
		ctx, cancel := context.WithTimeout(context.Background(), 5500*time.Millisecond)
		defer cancel()
		err := c.WaitRouterDisassociated(ctx, "zone-w", "vpc-w", RouterWaitOptions{WaitOptions: oneSecond})
		var we *transport.WaitError
		if !errors.As(err, &we) || !errors.Is(err, transport.ErrWaitDeadline) || we.LastState != "PENDING_DELETE" || we.Polls != 6 {
			t.Errorf("error %v (%+v), want the deadline after 6 polls", err, we)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		d := &scriptDoer{t: t, states: []string{"PENDING_CREATE"}}
		c := scriptClient(t, d)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(2500*time.Millisecond, cancel)
		err := c.WaitRouterActive(ctx, "zone-w", "vpc-w", RouterWaitOptions{WaitOptions: oneSecond})
		if !errors.Is(err, context.Canceled) || d.count() != 3 {
			t.Errorf("error %v after %d polls, want canceled after 3", err, d.count())
		}
	})
}

func TestWaitRouterBadInput(t *testing.T) {
	t.Parallel()
	d := &scriptDoer{t: t, states: []string{"ACTIVE"}}
	c := scriptClient(t, d)
	for _, tc := range []struct{ zone, router, want string }{
		{"", "vpc-w", "ZoneID is required"},
		{"..", "vpc-w", `ZoneID must not be "." or ".."`},
		{"zone-w", "", "RouterID is required"},
		{"zone-w", strings.Repeat("r", 256), "RouterID must be 1 to 255 characters"},
		{"zone\n", "vpc-w", "ZoneID must not contain control characters"},
		{strings.Repeat("z", 256), "vpc-w", "ZoneID must be 1 to 255 characters"},
	} {
		for name, err := range map[string]error{
			"DNS WaitRouterDisassociated": c.WaitRouterDisassociated(t.Context(), tc.zone, tc.router, RouterWaitOptions{}),
			"DNS WaitRouterActive":        c.WaitRouterActive(t.Context(), tc.zone, tc.router, RouterWaitOptions{}),
		} {
			var we *transport.WaitError
			var ve *transport.ValidationError
			if !errors.As(err, &we) || we.Waiter != name || we.Polls != 0 || !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s(%q, %q): error %v, want a WaitError with a ValidationError containing %q", name, tc.zone, tc.router, err, tc.want)
			}
		}
	}
	var nilCtx context.Context // a nil context, as a careless caller passes it
	for _, err := range []error{
		c.WaitRouterActive(nilCtx, "zone-w", "vpc-w", RouterWaitOptions{}),
		c.WaitRouterDisassociated(nilCtx, "zone-w", "vpc-w", RouterWaitOptions{}),
	} {
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || ve.Field != "ctx" || !errors.Is(err, transport.ErrInvalidInput) {
			t.Errorf("nil context: %v, want a *transport.ValidationError naming ctx", err)
		}
	}
	for _, err := range []error{
		func() error {
			_, err := c.DisassociateAndWait(nilCtx, "zone-w", "vpc-w", "", RouterWaitOptions{})
			return err
		}(),
		func() error {
			_, err := c.ReplaceRouter(nilCtx, "zone-w", RouterRef{ID: "a"}, RouterRef{ID: "b"}, RouterWaitOptions{})
			return err
		}(),
	} {
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || ve.Field != "ctx" || !errors.Is(err, transport.ErrInvalidInput) {
			t.Errorf("nil context: %v, want a *transport.ValidationError naming ctx", err)
		}
	}
	if n := d.count(); n != 0 {
		t.Errorf("bad input caused %d requests", n)
	}
}
