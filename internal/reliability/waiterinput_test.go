package reliability

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// waiterInput is a waiter (or helper built on one) as a function of its
// string arguments, for the bad-input table.
type waiterInput struct {
	name   string
	fields []waiterField
	run    func(ctx context.Context, r53 *route53profiles.Client, dns *privatedns.Client, v map[string]string) error
}

// waiterField is one argument: its name as validation errors give it, a
// valid value, and its rules.
type waiterField struct {
	name, valid string
	path        bool // becomes a path segment: "." and ".." are invalid
	optional    bool // empty is valid
	// body: a value the operations send only in a JSON body (or the waiter
	// only compares), where control characters are valid.
	body   bool
	maxLen int // the documented maximum, or the bound where none is documented
}

func waiterInputs() []waiterInput {
	r53Fields := []waiterField{
		{name: "ProfileID", valid: fakecloud.R53ProfileID, path: true, maxLen: 64},
		{name: "ResourceID", valid: fakecloud.R53VPCID, path: true, maxLen: 64},
	}
	dnsFields := []waiterField{
		{name: "ZoneID", valid: fakecloud.HuaweiZoneID, path: true, maxLen: 255},
		{name: "RouterID", valid: fakecloud.HuaweiVPCID, body: true, maxLen: 255},
	}
	wo := transport.WaitOptions{}
	rwo := privatedns.RouterWaitOptions{}
	return []waiterInput{
		{name: "route53profiles WaitProfileDisassociated", fields: r53Fields,
			run: func(ctx context.Context, c *route53profiles.Client, _ *privatedns.Client, v map[string]string) error {
				return c.WaitProfileDisassociated(ctx, v["ProfileID"], v["ResourceID"], wo)
			}},
		{name: "route53profiles DisassociateAndWait", fields: r53Fields,
			run: func(ctx context.Context, c *route53profiles.Client, _ *privatedns.Client, v map[string]string) error {
				_, err := c.DisassociateAndWait(ctx, v["ProfileID"], v["ResourceID"], wo)
				return err
			}},
		{name: "privatedns WaitRouterDisassociated", fields: dnsFields,
			run: func(ctx context.Context, _ *route53profiles.Client, c *privatedns.Client, v map[string]string) error {
				return c.WaitRouterDisassociated(ctx, v["ZoneID"], v["RouterID"], rwo)
			}},
		{name: "privatedns WaitRouterActive", fields: dnsFields,
			run: func(ctx context.Context, _ *route53profiles.Client, c *privatedns.Client, v map[string]string) error {
				return c.WaitRouterActive(ctx, v["ZoneID"], v["RouterID"], rwo)
			}},
		{name: "privatedns DisassociateAndWait",
			fields: append(dnsFields[:2:2], waiterField{name: "RouterRegion", valid: fakecloud.HuaweiRegion, optional: true, body: true, maxLen: 255}),
			run: func(ctx context.Context, _ *route53profiles.Client, c *privatedns.Client, v map[string]string) error {
				_, err := c.DisassociateAndWait(ctx, v["ZoneID"], v["RouterID"], v["RouterRegion"], rwo)
				return err
			}},
		{name: "privatedns ReplaceRouter",
			fields: []waiterField{{name: "ZoneID", valid: fakecloud.HuaweiSingleZoneID, path: true, maxLen: 255},
				{name: "Old.ID", valid: fakecloud.HuaweiSingleVPCID, body: true, maxLen: 255},
				{name: "Old.Region", valid: fakecloud.HuaweiRegion, optional: true, body: true, maxLen: 255},
				{name: "New.ID", valid: assocVPCID, body: true, maxLen: 255},
				{name: "New.Region", valid: fakecloud.HuaweiRegion, optional: true, body: true, maxLen: 255}},
			run: func(ctx context.Context, _ *route53profiles.Client, c *privatedns.Client, v map[string]string) error {
				_, err := c.ReplaceRouter(ctx, v["ZoneID"], privatedns.RouterRef{ID: v["Old.ID"], Region: v["Old.Region"]},
					privatedns.RouterRef{ID: v["New.ID"], Region: v["New.Region"]}, rwo)
				return err
			}},
	}
}

// brokenArgs lists the values that break f's rules.
func brokenArgs(f waiterField) map[string]string {
	m := controlValues()
	if f.body {
		m = notUTF8()
	}
	if !f.optional {
		m["empty"] = ""
	}
	if f.path {
		m["dot"], m["dot-dot"] = ".", ".."
	}
	if f.maxLen > 0 {
		m["over-long"] = strings.Repeat("a", f.maxLen+1)
	}
	return m
}

// countingDoer counts the requests a client sends through it.
type countingDoer struct {
	next transport.Doer
	n    atomic.Int64
}

func (d *countingDoer) Do(r *http.Request) (*http.Response, error) {
	d.n.Add(1)
	return d.next.Do(r)
}

// catchPanic runs f and returns its error, or what it panicked with.
func catchPanic(f func() error) (panicked any, err error) {
	defer func() { panicked = recover() }()
	return nil, f()
}

// TestWaiterBadInput: every waiter, and every helper built on one, rejects
// each invalid argument with a validation error naming it, and a nil
// context with an error, before any request and without a panic.
// ReplaceRouter also refuses to replace a VPC with itself.
func TestWaiterBadInput(t *testing.T) {
	t.Parallel()
	for _, w := range waiterInputs() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			doer := &countingDoer{next: fakecloud.LocalDoer{Cloud: fakecloud.New()}}
			s := transport.Settings{HTTPClient: doer, Retry: fastRetry()}
			r53, err := r53Client(localEndpoint, s)
			if err != nil {
				t.Fatal(err)
			}
			dns, err := dnsClient(localEndpoint, s)
			if err != nil {
				t.Fatal(err)
			}
			valid := map[string]string{}
			for _, f := range w.fields {
				valid[f.name] = f.valid
			}
			reject := func(name string, ctx context.Context, v map[string]string, wantField string) {
				t.Helper()
				panicked, err := catchPanic(func() error { return w.run(ctx, r53, dns, v) })
				var ve *transport.ValidationError
				switch {
				case panicked != nil:
					t.Errorf("%s: panic: %v", name, panicked)
				case err == nil:
					t.Errorf("%s: accepted", name)
				case wantField != "" && (!errors.As(err, &ve) || ve.Field != wantField):
					t.Errorf("%s: error %v, want a validation error naming %s", name, err, wantField)
				}
				sent := int(doer.n.Swap(0))
				if sent != 0 {
					t.Errorf("%s: %d requests left the process", name, sent)
				}
				checkErrorText(t, err)
				figures.loss("requests sent for bad input", sent)
				figures.badInput(w.name, false)
			}
			var nilCtx context.Context
			reject("nil context", nilCtx, valid, "ctx")
			for _, f := range w.fields {
				for name, bad := range brokenArgs(f) {
					v := maps.Clone(valid)
					v[f.name] = bad
					reject(fmt.Sprintf("%s %s %s", f.name, name, quoteShort(bad)), context.Background(), v, f.name)
				}
			}
			if _, ok := valid["New.ID"]; ok {
				v := maps.Clone(valid)
				v["New.ID"] = v["Old.ID"]
				reject("New.ID same as Old.ID", context.Background(), v, "New.ID")
			}
		})
	}
}
