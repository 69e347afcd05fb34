package reliability

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// operation describes one of detach's request/response operations for the
// suites, so that every fault, input and secret check runs against all of
// them alike.
type operation struct {
	name string // the package, e.g. "route53profiles"
	op   string // the operation, also fakecloud's name for it
	// col names the operation in the figures' columns (see opColumns).
	col    string
	svc    fakecloud.Service
	method string
	// okStatus and okBody are the documented success answer.
	okStatus int
	okBody   string
	// decodes is false where a success body is ignored (Identity Center
	// documents none), so a 2xx whose body is not JSON is still a success.
	decodes bool
	// throttleStatus and throttleCode are the service's own throttling
	// answer (Route 53 Profiles sends 400, DNS sends 403).
	throttleStatus int
	throttleCode   string
	// unavailableCode is the code the service sends with a 503.
	unavailableCode string
	aws             bool // restJson1 errors, else Huawei's
	// nilInputOK: a nil input is valid (ListProfileAssociations lists
	// everything, as aws-sdk-go-v2 does); elsewhere it is rejected.
	nilInputOK bool
	// template is the path under the endpoint, "*" where an ID goes.
	template []string
	// client builds a client for endpoint with the default test credentials.
	client func(endpoint string, s transport.Settings) (*opClient, error)
	// awsClient (AWS operations) and dnsClient (privatedns) build a client
	// with other credentials, for the secret scans.
	awsClient func(endpoint string, creds signer.AWSCredentialsProvider, s transport.Settings, ua string) (*opClient, error)
	dnsClient func(o privatedns.Options) (*opClient, error)
	// input returns the i-th valid input; 0 is the emulator's seeded resource.
	input func(i int) any
	// seed adds the resource of input i to the emulator.
	seed func(c *fakecloud.Cloud, i int)
	// pathIDs lists the input's values that become path segments, in order.
	pathIDs func(in any) []string
	// query is the query the input must be sent with, decoded; nil: the
	// request has no query.
	query func(in any) url.Values
	// body is the JSON body the input must be sent as; nil: no body.
	body func(in any) any
	// check verifies that a success output describes input i.
	check func(in, out any) error
	// done reports whether the emulator shows what a success for input i
	// must leave behind: the resource removed or being removed, the new
	// association pending, or, for a read, the resource as it was.
	done func(c *fakecloud.Cloud, i int) bool
}

// label names the operation in messages: package and operation.
func (o *operation) label() string { return o.name + " " + o.op }

// opClient is a client of one operation, reduced to what the suites need.
type opClient struct {
	// call runs the operation with in (a pointer to the operation's input
	// type, or nil) and per-call settings changes. out is nil on error.
	call func(ctx context.Context, in any, mods ...func(*transport.Settings)) (out any, meta transport.Metadata, err error)
	// callIdempotent is call with the package's Options.Idempotent on for
	// the call (where the operation has no use for it, it is ignored).
	callIdempotent func(ctx context.Context, in any) (out any, meta transport.Metadata, err error)
	// shown holds the values a caller might print: the client and its options.
	shown []any
}

// errorAnswer is an error response in the operation's documented shape.
func (o *operation) errorAnswer(status int, code, msg string) (http.Header, []byte) {
	h := http.Header{"Content-Type": {"application/json"}}
	var b []byte
	switch {
	case o.aws:
		h.Set("X-Amzn-ErrorType", code)
		b, _ = json.Marshal(map[string]string{"__type": code, "message": msg})
	case o.name == "privatedns":
		b, _ = json.Marshal(map[string]string{"code": code, "message": msg})
	default:
		b, _ = json.Marshal(map[string]string{"error_code": code, "error_msg": msg, "request_id": "0123456789abcdef"})
	}
	return h, b
}

// checkPath verifies that an escaped request path (under the endpoint's
// base path) has the operation's shape and that its ID segments decode back
// to exactly the input's IDs.
func (o *operation) checkPath(escaped string, in any) error {
	segs := strings.Split(strings.TrimPrefix(escaped, "/"), "/")
	if len(segs) != len(o.template) {
		return fmt.Errorf("path %q has %d segments, want %d (%v)", escaped, len(segs), len(o.template), o.template)
	}
	ids := o.pathIDs(in)
	n := 0
	for i, want := range o.template {
		if want != "*" {
			if segs[i] != want {
				return fmt.Errorf("path %q: segment %d is %q, want %q", escaped, i, segs[i], want)
			}
			continue
		}
		got, err := url.PathUnescape(segs[i])
		if err != nil || got != ids[n] {
			return fmt.Errorf("path %q: segment %q decodes to %q (%v), want %q", escaped, segs[i], got, err, ids[n])
		}
		if segs[i] == "." || segs[i] == ".." {
			return fmt.Errorf("path %q has a dot segment", escaped)
		}
		n++
	}
	return nil
}

// checkBody verifies that a request body is the JSON the input must become.
func (o *operation) checkBody(body []byte, in any) error {
	want := o.body(in)
	if want == nil {
		if len(body) != 0 {
			return fmt.Errorf("unexpected body %q", body)
		}
		return nil
	}
	var got any
	if err := json.Unmarshal(body, &got); err != nil {
		return fmt.Errorf("body %q is not JSON: %v", body, err)
	}
	wantJSON, _ := json.Marshal(want)
	var w any
	_ = json.Unmarshal(wantJSON, &w)
	if d := cmp.Diff(w, got); d != "" {
		return fmt.Errorf("body mismatch (-want +got):\n%s", d)
	}
	return nil
}

// checkQuery verifies that a raw request query (hasQuery: the URI had a
// "?") decodes to exactly the query the input must be sent with. For AWS it
// also checks that the query is already SigV4's canonical form (pairs in
// sorted order, every byte but A-Z a-z 0-9 - . _ ~ as upper-case %XX), as
// aws-sdk-go-v2 sends it, so that no server reads it otherwise than it was
// signed.
func (o *operation) checkQuery(raw string, hasQuery bool, in any) error {
	var want url.Values
	if o.query != nil {
		want = o.query(in)
	}
	if len(want) == 0 {
		if hasQuery || raw != "" {
			return fmt.Errorf("unexpected query %q", raw)
		}
		return nil
	}
	got, err := url.ParseQuery(raw)
	if err != nil {
		return fmt.Errorf("query %q does not parse: %v", raw, err)
	}
	if d := cmp.Diff(want, got); d != "" {
		return fmt.Errorf("query %q decodes otherwise than the input (-want +got):\n%s", raw, d)
	}
	if !o.aws {
		return nil
	}
	pairs := strings.Split(raw, "&")
	if !slices.IsSorted(pairs) {
		return fmt.Errorf("query %q is not in canonical order", raw)
	}
	for _, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		for _, part := range []string{k, v} {
			for i := 0; i < len(part); i++ {
				switch c := part[i]; {
				case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
				case c == '%' && i+2 < len(part) && isUpperHex(part[i+1]) && isUpperHex(part[i+2]):
					i += 2
				default:
					return fmt.Errorf("query %q is not canonically escaped at %q", raw, part[i:])
				}
			}
		}
	}
	return nil
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

// operations returns every request/response operation: the four removals
// first, then the reads and the association the waiters are built on. It
// builds them on each call so no test can change another's.
func operations() []*operation {
	return []*operation{opRoute53Profiles(), opGetProfileAssociation(), opListProfileAssociations(),
		opCustomerProfiles(), opIdentityCenter(), opPrivateDNS(), opShowPrivateZone(), opAssociateRouter()}
}

// hex32 returns 32 lower-case hex digits that depend on i.
func hex32(i int) string { return fmt.Sprintf("%032x", 0xabc0000+i) }

// result is the suites' view of an operation's answer.
func result[T any](out *T, meta func(*T) transport.Metadata, err error) (any, transport.Metadata, error) {
	if err != nil {
		return nil, transport.Metadata{}, err
	}
	return out, meta(out), nil
}

// r53Run runs one Route 53 Profiles operation with in (nil, or a pointer
// to its input type).
type r53Run func(ctx context.Context, c *route53profiles.Client, in any, opts ...route53profiles.Option) (any, transport.Metadata, error)

func runDisassociateProfile(ctx context.Context, c *route53profiles.Client, in any, opts ...route53profiles.Option) (any, transport.Metadata, error) {
	x, _ := in.(*route53profiles.DisassociateProfileInput)
	out, err := c.DisassociateProfile(ctx, x, opts...)
	return result(out, func(o *route53profiles.DisassociateProfileOutput) transport.Metadata { return o.Metadata }, err)
}

func opRoute53Profiles() *operation {
	in := func(i int) any {
		if i == 0 {
			return &route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID}
		}
		return &route53profiles.DisassociateProfileInput{ProfileID: fakecloud.R53ProfileID, ResourceID: "vpc-" + strconv.Itoa(1000+i)}
	}
	return &operation{
		name: "route53profiles", op: fakecloud.OpDisassociateProfile, col: "r53.dis", svc: fakecloud.Route53Profiles,
		method: http.MethodDelete, okStatus: 200, decodes: true, aws: true,
		okBody: `{"ProfileAssociation":{"CreationTime":1717171717.123,"Id":"rpassoc-1","ModificationTime":1717171800,` +
			`"Name":"n","OwnerId":"123456789012","ProfileId":"rp-1","ResourceId":"vpc-1","Status":"DELETING","StatusMessage":"Deleting"}}`,
		throttleStatus: 400, throttleCode: "ThrottlingException", unavailableCode: "ServiceUnavailable",
		template: []string{"profileassociation", "Profileid", "*", "resourceid", "*"},
		client: func(endpoint string, s transport.Settings) (*opClient, error) {
			return newRoute53Profiles(endpoint, awsKeys(), s, "")
		},
		awsClient: func(endpoint string, creds signer.AWSCredentialsProvider, s transport.Settings, ua string) (*opClient, error) {
			return newRoute53ProfilesOp(endpoint, creds, s, ua, runDisassociateProfile)
		},
		input: in,
		seed: func(c *fakecloud.Cloud, i int) {
			x := in(i).(*route53profiles.DisassociateProfileInput)
			c.AddProfileAssociation(x.ProfileID, x.ResourceID)
		},
		pathIDs: func(v any) []string {
			x := v.(*route53profiles.DisassociateProfileInput)
			return []string{x.ProfileID, x.ResourceID}
		},
		body: func(any) any { return nil },
		check: func(v, out any) error {
			x, o := v.(*route53profiles.DisassociateProfileInput), out.(*route53profiles.DisassociateProfileOutput)
			if a := o.ProfileAssociation; a == nil || a.ProfileID != x.ProfileID || a.ResourceID != x.ResourceID ||
				a.Status != route53profiles.ProfileStatusDeleting {
				return fmt.Errorf("association %+v does not describe %+v", o.ProfileAssociation, *x)
			}
			return nil
		},
		done: func(c *fakecloud.Cloud, i int) bool {
			x := in(i).(*route53profiles.DisassociateProfileInput)
			ok, status := c.ProfileAssociation(x.ProfileID, x.ResourceID)
			return ok && status == "DELETING"
		},
	}
}

// newRoute53Profiles returns a client of DisassociateProfile.
func newRoute53Profiles(endpoint string, creds signer.AWSCredentialsProvider, s transport.Settings, ua string) (*opClient, error) {
	return newRoute53ProfilesOp(endpoint, creds, s, ua, runDisassociateProfile)
}

// newRoute53ProfilesOp returns a client of the Route 53 Profiles operation
// that run calls.
func newRoute53ProfilesOp(endpoint string, creds signer.AWSCredentialsProvider, s transport.Settings, ua string, run r53Run) (*opClient, error) {
	o := route53profiles.Options{Region: "us-east-1", Endpoint: endpoint, Credentials: creds, UserAgentApp: ua, Settings: s}
	c, err := route53profiles.New(o)
	if err != nil {
		return nil, err
	}
	return &opClient{
		shown: []any{c, o, c.Options()},
		call: func(ctx context.Context, in any, mods ...func(*transport.Settings)) (any, transport.Metadata, error) {
			var opts []route53profiles.Option
			for _, m := range mods {
				opts = append(opts, func(o *route53profiles.Options) { m(&o.Settings) })
			}
			return run(ctx, c, in, opts...)
		},
		callIdempotent: func(ctx context.Context, in any) (any, transport.Metadata, error) {
			return run(ctx, c, in, func(o *route53profiles.Options) { o.Idempotent = true })
		},
	}, nil
}

func opCustomerProfiles() *operation {
	in := func(i int) any {
		if i == 0 {
			return &customerprofiles.DeleteProfileObjectInput{DomainName: fakecloud.CPDomainName,
				ObjectTypeName: fakecloud.CPObjectTypeName, ProfileID: fakecloud.CPProfileID, ProfileObjectUniqueKey: fakecloud.CPObjectKey}
		}
		return &customerprofiles.DeleteProfileObjectInput{DomainName: fakecloud.CPDomainName,
			ObjectTypeName: fakecloud.CPObjectTypeName, ProfileID: hex32(i), ProfileObjectUniqueKey: "key/" + strconv.Itoa(i)}
	}
	return &operation{
		name: "customerprofiles", op: fakecloud.OpDeleteProfileObject, col: "cp.del", svc: fakecloud.CustomerProfiles,
		method: http.MethodPost, okStatus: 200, decodes: true, aws: true,
		okBody:         `{"Message":"Profile object deleted"}`,
		throttleStatus: 429, throttleCode: "ThrottlingException", unavailableCode: "InternalServerException",
		template: []string{"domains", "*", "profiles", "objects", "delete"},
		client: func(endpoint string, s transport.Settings) (*opClient, error) {
			return newCustomerProfiles(endpoint, awsKeys(), s, "")
		},
		awsClient: newCustomerProfiles,
		input:     in,
		seed: func(c *fakecloud.Cloud, i int) {
			x := in(i).(*customerprofiles.DeleteProfileObjectInput)
			c.AddProfileObject(x.DomainName, x.ObjectTypeName, x.ProfileID, x.ProfileObjectUniqueKey)
		},
		pathIDs: func(v any) []string { return []string{v.(*customerprofiles.DeleteProfileObjectInput).DomainName} },
		body: func(v any) any {
			x := v.(*customerprofiles.DeleteProfileObjectInput)
			return map[string]string{"ObjectTypeName": x.ObjectTypeName, "ProfileId": x.ProfileID,
				"ProfileObjectUniqueKey": x.ProfileObjectUniqueKey}
		},
		check: func(_, out any) error {
			if m := out.(*customerprofiles.DeleteProfileObjectOutput).Message; m == "" {
				return errors.New("output has no Message")
			}
			return nil
		},
		done: func(c *fakecloud.Cloud, i int) bool {
			x := in(i).(*customerprofiles.DeleteProfileObjectInput)
			return !c.ProfileObject(x.DomainName, x.ObjectTypeName, x.ProfileID, x.ProfileObjectUniqueKey)
		},
	}
}

func newCustomerProfiles(endpoint string, creds signer.AWSCredentialsProvider, s transport.Settings, ua string) (*opClient, error) {
	o := customerprofiles.Options{Region: "us-east-1", Endpoint: endpoint, Credentials: creds, UserAgentApp: ua, Settings: s}
	c, err := customerprofiles.New(o)
	if err != nil {
		return nil, err
	}
	run := func(ctx context.Context, in any, opts ...customerprofiles.Option) (any, transport.Metadata, error) {
		x, _ := in.(*customerprofiles.DeleteProfileObjectInput)
		out, err := c.DeleteProfileObject(ctx, x, opts...)
		return result(out, func(o *customerprofiles.DeleteProfileObjectOutput) transport.Metadata { return o.Metadata }, err)
	}
	return &opClient{
		shown: []any{c, o, c.Options()},
		call: func(ctx context.Context, in any, mods ...func(*transport.Settings)) (any, transport.Metadata, error) {
			var opts []customerprofiles.Option
			for _, m := range mods {
				opts = append(opts, func(o *customerprofiles.Options) { m(&o.Settings) })
			}
			return run(ctx, in, opts...)
		},
		callIdempotent: func(ctx context.Context, in any) (any, transport.Metadata, error) {
			return run(ctx, in, func(o *customerprofiles.Options) { o.Idempotent = true })
		},
	}, nil
}

func opIdentityCenter() *operation {
	in := func(i int) any {
		if i == 0 {
			return &identitycenter.DeleteProfileInput{InstanceID: fakecloud.ICInstanceID,
				ApplicationInstanceID: fakecloud.ICApplicationInstanceID, ProfileID: fakecloud.ICProfileID}
		}
		return &identitycenter.DeleteProfileInput{InstanceID: fakecloud.ICInstanceID,
			ApplicationInstanceID: fakecloud.ICApplicationInstanceID, ProfileID: "profile-" + strconv.Itoa(i)}
	}
	return &operation{
		name: "identitycenter", op: fakecloud.OpDeleteProfile, col: "ic.del", svc: fakecloud.IdentityCenter,
		method: http.MethodDelete, okStatus: 200, decodes: false,
		throttleStatus: 429, throttleCode: "APIGW.0308", unavailableCode: "APIGW.0201",
		template: []string{"v1", "instances", "*", "application-instances", "*", "profiles", "*"},
		client: func(endpoint string, s transport.Settings) (*opClient, error) {
			return newIdentityCenter(endpoint, hwKeys(nil), fakecloud.HuaweiDomainID, "", s, "")
		},
		input: in,
		seed: func(c *fakecloud.Cloud, i int) {
			x := in(i).(*identitycenter.DeleteProfileInput)
			c.AddApplicationProfile(x.InstanceID, x.ApplicationInstanceID, x.ProfileID)
		},
		pathIDs: func(v any) []string {
			x := v.(*identitycenter.DeleteProfileInput)
			return []string{x.InstanceID, x.ApplicationInstanceID, x.ProfileID}
		},
		body:  func(any) any { return nil },
		check: func(any, any) error { return nil },
		done: func(c *fakecloud.Cloud, i int) bool {
			x := in(i).(*identitycenter.DeleteProfileInput)
			return !c.ApplicationProfile(x.InstanceID, x.ApplicationInstanceID, x.ProfileID)
		},
	}
}

func newIdentityCenter(endpoint string, creds signer.HuaweiCredentialsProvider, domainID, iam string, s transport.Settings, ua string) (*opClient, error) {
	o := identitycenter.Options{Endpoint: endpoint, Credentials: creds, DomainID: domainID, IAMEndpoint: iam,
		UserAgentApp: ua, Settings: s}
	c, err := identitycenter.New(o)
	if err != nil {
		return nil, err
	}
	run := func(ctx context.Context, in any, opts ...identitycenter.Option) (any, transport.Metadata, error) {
		x, _ := in.(*identitycenter.DeleteProfileInput)
		out, err := c.DeleteProfile(ctx, x, opts...)
		return result(out, func(o *identitycenter.DeleteProfileOutput) transport.Metadata { return o.Metadata }, err)
	}
	return &opClient{
		shown: []any{c, o, c.Options()},
		call: func(ctx context.Context, in any, mods ...func(*transport.Settings)) (any, transport.Metadata, error) {
			var opts []identitycenter.Option
			for _, m := range mods {
				opts = append(opts, func(o *identitycenter.Options) { m(&o.Settings) })
			}
			return run(ctx, in, opts...)
		},
		callIdempotent: func(ctx context.Context, in any) (any, transport.Metadata, error) {
			return run(ctx, in, func(o *identitycenter.Options) { o.Idempotent = true })
		},
	}, nil
}

// dnsRun runs one private DNS operation with in (nil, or a pointer to its
// input type).
type dnsRun func(ctx context.Context, c *privatedns.Client, in any, opts ...privatedns.Option) (any, transport.Metadata, error)

func runDisassociateRouter(ctx context.Context, c *privatedns.Client, in any, opts ...privatedns.Option) (any, transport.Metadata, error) {
	x, _ := in.(*privatedns.DisassociateRouterInput)
	out, err := c.DisassociateRouter(ctx, x, opts...)
	return result(out, func(o *privatedns.DisassociateRouterOutput) transport.Metadata { return o.Metadata }, err)
}

// routerBody is the JSON body of associaterouter and disassociaterouter.
func routerBody(routerID, region string) any {
	r := map[string]string{"router_id": routerID}
	if region != "" {
		r["router_region"] = region
	}
	return map[string]any{"router": r}
}

func opPrivateDNS() *operation {
	in := func(i int) any {
		if i == 0 {
			return &privatedns.DisassociateRouterInput{ZoneID: fakecloud.HuaweiZoneID, RouterID: fakecloud.HuaweiVPCID}
		}
		return &privatedns.DisassociateRouterInput{ZoneID: "zone-" + strconv.Itoa(i), RouterID: "vpc-" + strconv.Itoa(i),
			RouterRegion: fakecloud.HuaweiRegion}
	}
	return &operation{
		name: "privatedns", op: fakecloud.OpDisassociateRouter, col: "dns.dis", svc: fakecloud.HuaweiDNS,
		method: http.MethodPost, okStatus: 202, decodes: true,
		okBody:         `{"router_id":"` + fakecloud.HuaweiVPCID + `","router_region":"cn-north-4","status":"PENDING_DELETE"}`,
		throttleStatus: 403, throttleCode: "DNS.0014", unavailableCode: "DNS.0000",
		template: []string{"v2", "zones", "*", "disassociaterouter"},
		client: func(endpoint string, s transport.Settings) (*opClient, error) {
			return newPrivateDNS(dnsOptions(endpoint, func(o *privatedns.Options) { o.Settings = s }))
		},
		dnsClient: newPrivateDNS,
		input:     in,
		seed: func(c *fakecloud.Cloud, i int) {
			x := in(i).(*privatedns.DisassociateRouterInput)
			c.AddZone(fakecloud.Huawei, x.ZoneID, fakecloud.Router{ID: x.RouterID}, fakecloud.Router{ID: "vpc-keep"})
		},
		pathIDs: func(v any) []string { return []string{v.(*privatedns.DisassociateRouterInput).ZoneID} },
		body: func(v any) any {
			x := v.(*privatedns.DisassociateRouterInput)
			return routerBody(x.RouterID, x.RouterRegion)
		},
		check: func(v, out any) error {
			x, o := v.(*privatedns.DisassociateRouterInput), out.(*privatedns.DisassociateRouterOutput)
			if o.RouterID != x.RouterID || o.Status != privatedns.RouterStatusPendingDelete {
				return fmt.Errorf("output %+v does not describe %+v", *o, *x)
			}
			return nil
		},
		done: func(c *fakecloud.Cloud, i int) bool {
			x := in(i).(*privatedns.DisassociateRouterInput)
			return routerStatus(c, x.ZoneID, x.RouterID) == fakecloud.RouterPendingDelete
		},
	}
}

// routerStatus is the status of router routerID in Huawei Cloud's zone
// zoneID, as the emulator holds it; "" when there is none.
func routerStatus(c *fakecloud.Cloud, zoneID, routerID string) string {
	routers, _ := c.Zone(fakecloud.Huawei, zoneID)
	for _, r := range routers {
		if r.ID == routerID {
			return r.Status
		}
	}
	return ""
}

// newPrivateDNS returns a client of DisassociateRouter.
func newPrivateDNS(o privatedns.Options) (*opClient, error) {
	return newPrivateDNSOp(o, runDisassociateRouter)
}

// newPrivateDNSOp returns a client of the private DNS operation that run
// calls.
func newPrivateDNSOp(o privatedns.Options, run dnsRun) (*opClient, error) {
	c, err := privatedns.New(o)
	if err != nil {
		return nil, err
	}
	return &opClient{
		shown: []any{c, o, c.Options()},
		call: func(ctx context.Context, in any, mods ...func(*transport.Settings)) (any, transport.Metadata, error) {
			var opts []privatedns.Option
			for _, m := range mods {
				opts = append(opts, func(o *privatedns.Options) { m(&o.Settings) })
			}
			return run(ctx, c, in, opts...)
		},
		callIdempotent: func(ctx context.Context, in any) (any, transport.Metadata, error) {
			return run(ctx, c, in, func(o *privatedns.Options) { o.Idempotent = true })
		},
	}, nil
}
