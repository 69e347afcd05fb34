package crosscheck

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// place is where a field's value goes in the request.
type place string

const (
	inPath  place = "path segment"
	inQuery place = "query"
	inBody  place = "JSON body"
	// later: not in the entry's first request; a waiter compares it with
	// the service's answer, or a later step sends it.
	later place = "not in the first request"
)

// fieldCase is one field of one entry point (an operation, a waiter or a
// helper), its rule and where it goes.
type fieldCase struct {
	entry, field string // the field as transport.ValidationError names it
	place        place
	rule         string // the rule, and where it comes from
	// min and max bound the length in characters (in bytes when bytes is
	// set); min 0: the field is optional (empty leaves it out). Every string
	// field has a max: the documented one, or a bound where none is
	// documented.
	min, max int
	bytes    bool
	// tabOK: a TAB (a control character) is valid. It never is in a path
	// segment; in the query only for an opaque token, escaped; in a JSON
	// body wherever no pattern forbids it.
	tabOK bool
	// numeric: an integer field, set from its decimal form; 0 leaves it out.
	numeric bool
	// value returns a valid value of n characters (or bytes), n from min
	// to max, and a value of that length that breaks nothing but the
	// length otherwise.
	value func(n int) string
	// call runs the entry with the field set to v and every other field
	// valid.
	call func(c *clients, v string) error
}

// Valid values of the other fields.
const (
	r53Profile = "rp-4987774726example"
	r53VPC     = "vpc-0af3b96b3example"
	r53Assoc   = "rpassoc-489ce212fexample"
	cpDomain   = "ExampleDomain"
	cpType     = "CTR"
	cpProfile  = "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60"
	cpKey      = "MTIzNDU2Nzg5MA=="
	icInstance = "ins-2c1e00000000f3c6"
	icApp      = "app-ins-0123456789abcdef"
	icProfile  = "a3e2b2c1-0d9e-4f7a-8b6c-5d4e3f2a1b0c"
	dnsZone    = "ff8080825b8fc86c015b94bc6f8712c3"
	dnsRouter  = "f0791650-db8c-4a20-8a44-a06c6e24b15b"
	dnsRegion  = "cn-north-4"
)

// filled returns values of n characters: prefix, then fill repeated.
func filled(prefix string, fill rune) func(n int) string {
	return func(n int) string {
		p := []rune(prefix)
		if n <= len(p) {
			return string(p[:max(n, 0)])
		}
		return prefix + strings.Repeat(string(fill), n-len(p))
	}
}

func fieldCases() []fieldCase {
	var (
		anyChars = filled("", 'é') // two bytes each: lengths count characters
		letters  = filled("", 'd')
		hex      = filled("", 'a')
		typeName = filled("T", 't')
		instance = filled("ins-", 'é')
		appIns   = filled("app-ins-", 'é')
	)
	r53Dis := func(p, r string) func(c *clients) error {
		return func(c *clients) error {
			_, err := c.r53.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{ProfileID: p, ResourceID: r})
			return err
		}
	}
	cp := func(mod func(*customerprofiles.DeleteProfileObjectInput)) func(c *clients) error {
		return func(c *clients) error {
			in := &customerprofiles.DeleteProfileObjectInput{DomainName: cpDomain, ObjectTypeName: cpType, ProfileID: cpProfile, ProfileObjectUniqueKey: cpKey}
			mod(in)
			_, err := c.cp.DeleteProfileObject(ctx, in)
			return err
		}
	}
	ic := func(mod func(*identitycenter.DeleteProfileInput)) func(c *clients) error {
		return func(c *clients) error {
			in := &identitycenter.DeleteProfileInput{InstanceID: icInstance, ApplicationInstanceID: icApp, ProfileID: icProfile}
			mod(in)
			_, err := c.ic.DeleteProfile(ctx, in)
			return err
		}
	}
	dnsDis := func(z, r, region string) func(c *clients) error {
		return func(c *clients) error {
			_, err := c.dns.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{ZoneID: z, RouterID: r, RouterRegion: region})
			return err
		}
	}
	dnsAsoc := func(z, r, region string) func(c *clients) error {
		return func(c *clients) error {
			_, err := c.dns.AssociateRouter(ctx, &privatedns.AssociateRouterInput{ZoneID: z, RouterID: r, RouterRegion: region})
			return err
		}
	}
	rwo := privatedns.RouterWaitOptions{}
	wo := transport.WaitOptions{}
	replace := func(z string, o, n privatedns.RouterRef) func(c *clients) error {
		return func(c *clients) error {
			_, err := c.dns.ReplaceRouter(ctx, z, o, n, rwo)
			return err
		}
	}
	at := func(f func(v string) func(c *clients) error) func(c *clients, v string) error {
		return func(c *clients, v string) error { return f(v)(c) }
	}
	const (
		r53Rule     = "model: shape ResourceId, 1 to 64 characters, no pattern"
		undocRule   = "no length documented: bounded at 255 characters"
		r53ListRule = "model: ResourceId, 1 to 64 characters when given"
	)
	return []fieldCase{
		// Route 53 Profiles.
		{entry: "route53profiles DisassociateProfile", field: "ProfileID", place: inPath, rule: r53Rule, min: 1, max: 64, value: anyChars,
			call: at(func(v string) func(*clients) error { return r53Dis(v, r53VPC) })},
		{entry: "route53profiles DisassociateProfile", field: "ResourceID", place: inPath, rule: r53Rule, min: 1, max: 64, value: anyChars,
			call: at(func(v string) func(*clients) error { return r53Dis(r53Profile, v) })},
		{entry: "route53profiles GetProfileAssociation", field: "ProfileAssociationID", place: inPath, rule: r53Rule, min: 1, max: 64, value: anyChars,
			call: func(c *clients, v string) error {
				_, err := c.r53.GetProfileAssociation(ctx, &route53profiles.GetProfileAssociationInput{ProfileAssociationID: v})
				return err
			}},
		{entry: "route53profiles ListProfileAssociations", field: "ProfileID", place: inQuery, rule: r53ListRule, min: 0, max: 64, value: anyChars,
			call: func(c *clients, v string) error {
				_, err := c.r53.ListProfileAssociations(ctx, &route53profiles.ListProfileAssociationsInput{ProfileID: v})
				return err
			}},
		{entry: "route53profiles ListProfileAssociations", field: "ResourceID", place: inQuery, rule: r53ListRule, min: 0, max: 64, value: anyChars,
			call: func(c *clients, v string) error {
				_, err := c.r53.ListProfileAssociations(ctx, &route53profiles.ListProfileAssociationsInput{ResourceID: v})
				return err
			}},
		{entry: "route53profiles ListProfileAssociations", field: "NextToken", place: inQuery,
			rule: "model: opaque string, no length: bounded at 8192 bytes, the request-line limit of common servers",
			min:  0, max: 8192, bytes: true, tabOK: true, value: filled("", 't'),
			call: func(c *clients, v string) error {
				_, err := c.r53.ListProfileAssociations(ctx, &route53profiles.ListProfileAssociationsInput{NextToken: v})
				return err
			}},
		{entry: "route53profiles ListProfileAssociations", field: "MaxResults", place: inQuery, rule: "model: 1 to 100 when given",
			min: 1, max: 100, numeric: true,
			call: func(c *clients, v string) error {
				n, err := strconv.Atoi(v)
				if err != nil {
					return err
				}
				_, err = c.r53.ListProfileAssociations(ctx, &route53profiles.ListProfileAssociationsInput{MaxResults: int32(n)})
				return err
			}},
		{entry: "route53profiles WaitProfileDisassociated", field: "ProfileID", place: inQuery, rule: "DisassociateProfile's: " + r53Rule,
			min: 1, max: 64, value: anyChars,
			call: func(c *clients, v string) error { return c.r53.WaitProfileDisassociated(ctx, v, r53VPC, wo) }},
		{entry: "route53profiles WaitProfileDisassociated", field: "ResourceID", place: inQuery, rule: "DisassociateProfile's: " + r53Rule,
			min: 1, max: 64, value: anyChars,
			call: func(c *clients, v string) error { return c.r53.WaitProfileDisassociated(ctx, r53Profile, v, wo) }},
		{entry: "route53profiles DisassociateAndWait", field: "ProfileID", place: inQuery, rule: "DisassociateProfile's: " + r53Rule,
			min: 1, max: 64, value: anyChars,
			call: func(c *clients, v string) error { _, err := c.r53.DisassociateAndWait(ctx, v, r53VPC, wo); return err }},
		{entry: "route53profiles DisassociateAndWait", field: "ResourceID", place: inQuery, rule: "DisassociateProfile's: " + r53Rule,
			min: 1, max: 64, value: anyChars,
			call: func(c *clients, v string) error {
				_, err := c.r53.DisassociateAndWait(ctx, r53Profile, v, wo)
				return err
			}},

		// Customer Profiles.
		{entry: "customerprofiles DeleteProfileObject", field: "DomainName", place: inPath, rule: "model: 1 to 64, ^[a-zA-Z0-9_-]+$",
			min: 1, max: 64, value: letters,
			call: at(func(v string) func(*clients) error {
				return cp(func(in *customerprofiles.DeleteProfileObjectInput) { in.DomainName = v })
			})},
		{entry: "customerprofiles DeleteProfileObject", field: "ObjectTypeName", place: inBody, rule: "model: 1 to 255, ^[a-zA-Z_][a-zA-Z_0-9-]*$ (no TAB)",
			min: 1, max: 255, value: typeName,
			call: at(func(v string) func(*clients) error {
				return cp(func(in *customerprofiles.DeleteProfileObjectInput) { in.ObjectTypeName = v })
			})},
		{entry: "customerprofiles DeleteProfileObject", field: "ProfileID", place: inBody, rule: "model: [a-f0-9]{32}, the whole value",
			min: 32, max: 32, value: hex,
			call: at(func(v string) func(*clients) error {
				return cp(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileID = v })
			})},
		{entry: "customerprofiles DeleteProfileObject", field: "ProfileObjectUniqueKey", place: inBody, rule: "model: 1 to 255, no pattern",
			min: 1, max: 255, tabOK: true, value: anyChars,
			call: at(func(v string) func(*clients) error {
				return cp(func(in *customerprofiles.DeleteProfileObjectInput) { in.ProfileObjectUniqueKey = v })
			})},

		// Identity Center.
		{entry: "identitycenter DeleteProfile", field: "InstanceID", place: inPath, rule: "documented: exactly 20 characters",
			min: 20, max: 20, value: instance,
			call: at(func(v string) func(*clients) error {
				return ic(func(in *identitycenter.DeleteProfileInput) { in.InstanceID = v })
			})},
		{entry: "identitycenter DeleteProfile", field: "ApplicationInstanceID", place: inPath, rule: `documented: prefix "app-ins-"; ` + undocRule,
			min: 8, max: 255, value: appIns,
			call: at(func(v string) func(*clients) error {
				return ic(func(in *identitycenter.DeleteProfileInput) { in.ApplicationInstanceID = v })
			})},
		{entry: "identitycenter DeleteProfile", field: "ProfileID", place: inPath, rule: "no format documented; " + undocRule,
			min: 1, max: 255, value: anyChars,
			call: at(func(v string) func(*clients) error {
				return ic(func(in *identitycenter.DeleteProfileInput) { in.ProfileID = v })
			})},

		// DNS.
		{entry: "privatedns DisassociateRouter", field: "ZoneID", place: inPath, rule: undocRule, min: 1, max: 255, value: anyChars,
			call: at(func(v string) func(*clients) error { return dnsDis(v, dnsRouter, dnsRegion) })},
		{entry: "privatedns DisassociateRouter", field: "RouterID", place: inBody, rule: undocRule, min: 1, max: 255, tabOK: true, value: anyChars,
			call: at(func(v string) func(*clients) error { return dnsDis(dnsZone, v, dnsRegion) })},
		{entry: "privatedns DisassociateRouter", field: "RouterRegion", place: inBody, rule: "optional; " + undocRule, min: 0, max: 255, tabOK: true,
			value: anyChars, call: at(func(v string) func(*clients) error { return dnsDis(dnsZone, dnsRouter, v) })},
		{entry: "privatedns AssociateRouter", field: "ZoneID", place: inPath, rule: undocRule, min: 1, max: 255, value: anyChars,
			call: at(func(v string) func(*clients) error { return dnsAsoc(v, dnsRouter, dnsRegion) })},
		{entry: "privatedns AssociateRouter", field: "RouterID", place: inBody, rule: undocRule, min: 1, max: 255, tabOK: true, value: anyChars,
			call: at(func(v string) func(*clients) error { return dnsAsoc(dnsZone, v, dnsRegion) })},
		{entry: "privatedns AssociateRouter", field: "RouterRegion", place: inBody, rule: "optional; " + undocRule, min: 0, max: 255, tabOK: true,
			value: anyChars, call: at(func(v string) func(*clients) error { return dnsAsoc(dnsZone, dnsRouter, v) })},
		{entry: "privatedns ShowPrivateZone", field: "ZoneID", place: inPath, rule: undocRule, min: 1, max: 255, value: anyChars,
			call: func(c *clients, v string) error {
				_, err := c.dns.ShowPrivateZone(ctx, &privatedns.ShowPrivateZoneInput{ZoneID: v})
				return err
			}},
		{entry: "privatedns WaitRouterDisassociated", field: "ZoneID", place: inPath, rule: undocRule, min: 1, max: 255, value: anyChars,
			call: func(c *clients, v string) error { return c.dns.WaitRouterDisassociated(ctx, v, dnsRouter, rwo) }},
		{entry: "privatedns WaitRouterDisassociated", field: "RouterID", place: later, rule: "DisassociateRouter's: " + undocRule,
			min: 1, max: 255, tabOK: true, value: anyChars,
			call: func(c *clients, v string) error { return c.dns.WaitRouterDisassociated(ctx, dnsZone, v, rwo) }},
		{entry: "privatedns WaitRouterActive", field: "ZoneID", place: inPath, rule: undocRule, min: 1, max: 255, value: anyChars,
			call: func(c *clients, v string) error { return c.dns.WaitRouterActive(ctx, v, dnsRouter, rwo) }},
		{entry: "privatedns WaitRouterActive", field: "RouterID", place: later, rule: "AssociateRouter's: " + undocRule,
			min: 1, max: 255, tabOK: true, value: anyChars,
			call: func(c *clients, v string) error { return c.dns.WaitRouterActive(ctx, dnsZone, v, rwo) }},
		{entry: "privatedns DisassociateAndWait", field: "ZoneID", place: inPath, rule: undocRule, min: 1, max: 255, value: anyChars,
			call: func(c *clients, v string) error {
				_, err := c.dns.DisassociateAndWait(ctx, v, dnsRouter, dnsRegion, rwo)
				return err
			}},
		{entry: "privatedns DisassociateAndWait", field: "RouterID", place: later, rule: "DisassociateRouter's: " + undocRule,
			min: 1, max: 255, tabOK: true, value: anyChars,
			call: func(c *clients, v string) error {
				_, err := c.dns.DisassociateAndWait(ctx, dnsZone, v, dnsRegion, rwo)
				return err
			}},
		{entry: "privatedns DisassociateAndWait", field: "RouterRegion", place: later, rule: "DisassociateRouter's: optional; " + undocRule,
			min: 0, max: 255, tabOK: true, value: anyChars,
			call: func(c *clients, v string) error {
				_, err := c.dns.DisassociateAndWait(ctx, dnsZone, dnsRouter, v, rwo)
				return err
			}},
		{entry: "privatedns ReplaceRouter", field: "ZoneID", place: inPath, rule: undocRule, min: 1, max: 255, value: anyChars,
			call: at(func(v string) func(*clients) error {
				return replace(v, privatedns.RouterRef{ID: "vpc-old"}, privatedns.RouterRef{ID: "vpc-new"})
			})},
		{entry: "privatedns ReplaceRouter", field: "Old.ID", place: later, rule: "DisassociateRouter's RouterID: " + undocRule,
			min: 1, max: 255, tabOK: true, value: anyChars,
			call: at(func(v string) func(*clients) error {
				return replace(dnsZone, privatedns.RouterRef{ID: v}, privatedns.RouterRef{ID: "vpc-new"})
			})},
		{entry: "privatedns ReplaceRouter", field: "Old.Region", place: later, rule: "DisassociateRouter's RouterRegion: optional; " + undocRule,
			min: 0, max: 255, tabOK: true, value: anyChars,
			call: at(func(v string) func(*clients) error {
				return replace(dnsZone, privatedns.RouterRef{ID: "vpc-old", Region: v}, privatedns.RouterRef{ID: "vpc-new"})
			})},
		{entry: "privatedns ReplaceRouter", field: "New.ID", place: inBody, rule: "AssociateRouter's RouterID: " + undocRule,
			min: 1, max: 255, tabOK: true, value: anyChars,
			call: at(func(v string) func(*clients) error {
				return replace(dnsZone, privatedns.RouterRef{ID: "vpc-old"}, privatedns.RouterRef{ID: v})
			})},
		{entry: "privatedns ReplaceRouter", field: "New.Region", place: inBody, rule: "AssociateRouter's RouterRegion: optional; " + undocRule,
			min: 0, max: 255, tabOK: true, value: anyChars,
			call: at(func(v string) func(*clients) error {
				return replace(dnsZone, privatedns.RouterRef{ID: "vpc-old"}, privatedns.RouterRef{ID: "vpc-new", Region: v})
			})},
	}
}

// TestFieldEdges runs every field of the table at its edges through the
// public clients: the longest valid value (and the shortest, or empty for an
// optional field) is sent, and lands where the table says; one character
// more, one less, a 10 kB value and (where the table says so) a TAB are
// refused with a validation error naming the field, before any request. A
// TAB is refused in every path segment and query value but an opaque token,
// and accepted in a JSON body wherever no pattern forbids it.
func TestFieldEdges(t *testing.T) {
	t.Parallel()
	for _, fc := range fieldCases() {
		t.Run(fc.entry+" "+fc.field, func(t *testing.T) {
			t.Parallel()
			switch {
			case fc.tabOK && fc.place == inPath:
				t.Fatalf("table: %s goes into a path segment, which must refuse control characters", fc.field)
			case fc.tabOK && fc.place == inQuery && !fc.bytes:
				t.Fatalf("table: %s goes into the query; only an opaque token may hold control characters there", fc.field)
			case !fc.numeric && fc.max == 0:
				t.Fatalf("table: %s has no upper bound", fc.field)
			}
			c := newClients(t, nil)
			accept := func(what, v string) {
				t.Helper()
				err := fc.call(c, v)
				reqs := c.rec.requests()
				var ve *transport.ValidationError
				if errors.As(err, &ve) || len(reqs) == 0 {
					t.Errorf("%s (%d bytes): refused, want it sent: %v", what, len(v), err)
					return
				}
				if v == "" || v == "0" && fc.numeric {
					return // left out
				}
				if err := placed(fc.place, v, reqs[0]); err != nil {
					t.Errorf("%s: %v", what, err)
				}
			}
			refuse := func(what, v string) {
				t.Helper()
				err := fc.call(c, v)
				var ve *transport.ValidationError
				if !errors.As(err, &ve) || ve.Field != fc.field || !errors.Is(err, transport.ErrInvalidInput) {
					t.Errorf("%s (%d bytes): error %v, want a ValidationError naming %s", what, len(v), err, fc.field)
				}
				if n := len(c.rec.requests()); n != 0 {
					t.Errorf("%s: %d requests sent for bad input", what, n)
				}
			}
			if fc.numeric {
				accept("the maximum", strconv.Itoa(fc.max))
				accept("the minimum", strconv.Itoa(fc.min))
				accept("zero (left out)", "0")
				refuse("one over the maximum", strconv.Itoa(fc.max+1))
				refuse("one under the minimum, negative", strconv.Itoa(min(fc.min-1, -1)))
				return
			}
			length := func(v string) int {
				if fc.bytes {
					return len(v)
				}
				return utf8.RuneCountInString(v)
			}
			for _, n := range []int{fc.min, fc.max, fc.max + 1} {
				if got := length(fc.value(n)); got != n {
					t.Fatalf("table: value(%d) has length %d", n, got)
				}
			}
			accept("the longest valid value", fc.value(fc.max))
			refuse("one over the longest", fc.value(fc.max+1))
			refuse("10 kB", fc.value(10240))
			switch fc.min {
			case 0:
				accept("empty (optional, left out)", "")
			case 1:
				refuse("empty", "")
				accept("the shortest valid value", fc.value(1))
			default:
				refuse("one under the shortest", fc.value(fc.min-1))
				accept("the shortest valid value", fc.value(fc.min))
			}
			v := fc.value(min(max(fc.min, 12), fc.max))
			_, size := utf8.DecodeLastRuneInString(v)
			tab := v[:len(v)-size] + "\t"
			if fc.tabOK {
				accept("a TAB", tab)
			} else {
				refuse("a TAB", tab)
			}
		})
	}
}

// placed checks that v went where p says in r.
func placed(p place, v string, r sent) error {
	switch p {
	case inPath:
		for _, seg := range strings.Split(r.EscapedPath, "/") {
			if s, err := url.PathUnescape(seg); err == nil && s == v {
				return nil
			}
		}
		return errors.New("not a segment of the path " + r.EscapedPath)
	case inQuery:
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			return err
		}
		for _, vs := range q {
			for _, s := range vs {
				if s == v {
					return nil
				}
			}
		}
		return errors.New("not a value of the query " + r.RawQuery)
	case inBody:
		var doc any
		if err := json.Unmarshal(r.Body, &doc); err != nil {
			return err
		}
		if !jsonHas(doc, v) {
			return errors.New("not a string of the body " + string(r.Body))
		}
	}
	return nil
}

// jsonHas reports whether v is a string somewhere in the decoded JSON doc.
func jsonHas(doc any, v string) bool {
	switch d := doc.(type) {
	case string:
		return d == v
	case map[string]any:
		for _, x := range d {
			if jsonHas(x, v) {
				return true
			}
		}
	case []any:
		for _, x := range d {
			if jsonHas(x, v) {
				return true
			}
		}
	}
	return false
}
