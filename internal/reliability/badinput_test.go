package reliability

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/transport"
)

// field is one input field of an operation and its documented rules.
type field struct {
	name           string
	set            func(in any, v string) // sets the field of a copy of a valid input
	minLen, maxLen int                    // in characters (the documented maximum, or the bound where none is documented)
	path           bool                   // becomes a path segment ("." and ".." forbidden)
	// body: the value goes only into the JSON body, which escapes every
	// character, so control characters are valid (invalid UTF-8 is not).
	body bool
	// pattern is true when a documented pattern allows only letters,
	// digits, "_" and "-" (so "/", "?", "#", "%" and "." are invalid).
	pattern bool
	// fit makes an odd but valid value meet the field's other documented
	// rules (an exact length, a prefix), or returns "" when it cannot.
	fit func(v string) string
	// free: no rule but a bound of maxLen bytes (ListProfileAssociations'
	// opaque NextToken). Every shorter string is valid, so the values that
	// break other fields' rules are odd values that must reach the service
	// unchanged.
	free bool
	// numeric: an integer field, set from its decimal form, valid from
	// intMin to intMax or 0 (left out).
	numeric        bool
	intMin, intMax int
}

// copyInput returns a copy of op's valid input 0.
func copyInput(o *operation) any {
	switch x := o.input(0).(type) {
	case *route53profiles.DisassociateProfileInput:
		c := *x
		return &c
	case *customerprofiles.DeleteProfileObjectInput:
		c := *x
		return &c
	case *identitycenter.DeleteProfileInput:
		c := *x
		return &c
	case *privatedns.DisassociateRouterInput:
		c := *x
		return &c
	case *route53profiles.GetProfileAssociationInput:
		c := *x
		return &c
	case *route53profiles.ListProfileAssociationsInput:
		c := *x
		return &c
	case *privatedns.ShowPrivateZoneInput:
		c := *x
		return &c
	case *privatedns.AssociateRouterInput:
		c := *x
		return &c
	}
	panic("unknown input type")
}

func fieldsOf(o *operation) []field {
	keep := func(v string) string { return v }
	switch o.op {
	case fakecloud.OpDisassociateProfile:
		set := func(f func(*route53profiles.DisassociateProfileInput, string)) func(any, string) {
			return func(in any, v string) { f(in.(*route53profiles.DisassociateProfileInput), v) }
		}
		return []field{
			{name: "ProfileID", minLen: 1, maxLen: 64, path: true, fit: keep,
				set: set(func(x *route53profiles.DisassociateProfileInput, v string) { x.ProfileID = v })},
			{name: "ResourceID", minLen: 1, maxLen: 64, path: true, fit: keep,
				set: set(func(x *route53profiles.DisassociateProfileInput, v string) { x.ResourceID = v })},
		}
	case fakecloud.OpGetProfileAssociation:
		return []field{
			{name: "ProfileAssociationID", minLen: 1, maxLen: 64, path: true, fit: keep,
				set: func(in any, v string) { in.(*route53profiles.GetProfileAssociationInput).ProfileAssociationID = v }},
		}
	case fakecloud.OpListProfileAssociations:
		set := func(f func(*route53profiles.ListProfileAssociationsInput, string)) func(any, string) {
			return func(in any, v string) { f(in.(*route53profiles.ListProfileAssociationsInput), v) }
		}
		// The filters are optional (empty leaves them out), 1 to 64
		// characters when given; they travel in the query.
		return []field{
			{name: "ProfileID", maxLen: 64, fit: keep,
				set: set(func(x *route53profiles.ListProfileAssociationsInput, v string) { x.ProfileID = v })},
			{name: "ResourceID", maxLen: 64, fit: keep,
				set: set(func(x *route53profiles.ListProfileAssociationsInput, v string) { x.ResourceID = v })},
			{name: "NextToken", free: true, maxLen: 8192, fit: keep, // in bytes
				set: set(func(x *route53profiles.ListProfileAssociationsInput, v string) { x.NextToken = v })},
			{name: "MaxResults", numeric: true, intMin: 1, intMax: 100, fit: keep,
				set: set(func(x *route53profiles.ListProfileAssociationsInput, v string) {
					n, _ := strconv.ParseInt(v, 10, 32)
					x.MaxResults = int32(n)
				})},
		}
	case fakecloud.OpDeleteProfileObject:
		set := func(f func(*customerprofiles.DeleteProfileObjectInput, string)) func(any, string) {
			return func(in any, v string) { f(in.(*customerprofiles.DeleteProfileObjectInput), v) }
		}
		return []field{
			{name: "DomainName", minLen: 1, maxLen: 64, path: true, pattern: true, fit: keep,
				set: set(func(x *customerprofiles.DeleteProfileObjectInput, v string) { x.DomainName = v })},
			{name: "ObjectTypeName", minLen: 1, maxLen: 255, body: true, pattern: true, fit: keep,
				set: set(func(x *customerprofiles.DeleteProfileObjectInput, v string) { x.ObjectTypeName = v })},
			{name: "ProfileID", minLen: 32, maxLen: 32, body: true, pattern: true, fit: keep,
				set: set(func(x *customerprofiles.DeleteProfileObjectInput, v string) { x.ProfileID = v })},
			{name: "ProfileObjectUniqueKey", minLen: 1, maxLen: 255, body: true, fit: keep,
				set: set(func(x *customerprofiles.DeleteProfileObjectInput, v string) { x.ProfileObjectUniqueKey = v })},
		}
	case fakecloud.OpDeleteProfile:
		set := func(f func(*identitycenter.DeleteProfileInput, string)) func(any, string) {
			return func(in any, v string) { f(in.(*identitycenter.DeleteProfileInput), v) }
		}
		return []field{
			{name: "InstanceID", minLen: 20, maxLen: 20, path: true,
				fit: func(v string) string {
					if n := len([]rune(v)); n <= 20 {
						return v + strings.Repeat("x", 20-n)
					}
					return ""
				},
				set: set(func(x *identitycenter.DeleteProfileInput, v string) { x.InstanceID = v })},
			{name: "ApplicationInstanceID", minLen: 1, maxLen: 255, path: true,
				fit: func(v string) string { return "app-ins-" + v },
				set: set(func(x *identitycenter.DeleteProfileInput, v string) { x.ApplicationInstanceID = v })},
			{name: "ProfileID", minLen: 1, maxLen: 255, path: true, fit: keep,
				set: set(func(x *identitycenter.DeleteProfileInput, v string) { x.ProfileID = v })},
		}
	case fakecloud.OpShowPrivateZone:
		return []field{
			{name: "ZoneID", minLen: 1, maxLen: 255, path: true, fit: keep,
				set: func(in any, v string) { in.(*privatedns.ShowPrivateZoneInput).ZoneID = v }},
		}
	case fakecloud.OpAssociateRouter:
		set := func(f func(*privatedns.AssociateRouterInput, string)) func(any, string) {
			return func(in any, v string) { f(in.(*privatedns.AssociateRouterInput), v) }
		}
		return []field{
			{name: "ZoneID", minLen: 1, maxLen: 255, path: true, fit: keep,
				set: set(func(x *privatedns.AssociateRouterInput, v string) { x.ZoneID = v })},
			{name: "RouterID", minLen: 1, maxLen: 255, body: true, fit: keep,
				set: set(func(x *privatedns.AssociateRouterInput, v string) { x.RouterID = v })},
			{name: "RouterRegion", maxLen: 255, body: true, fit: keep, // optional
				set: set(func(x *privatedns.AssociateRouterInput, v string) { x.RouterRegion = v })},
		}
	}
	set := func(f func(*privatedns.DisassociateRouterInput, string)) func(any, string) {
		return func(in any, v string) { f(in.(*privatedns.DisassociateRouterInput), v) }
	}
	return []field{
		{name: "ZoneID", minLen: 1, maxLen: 255, path: true, fit: keep,
			set: set(func(x *privatedns.DisassociateRouterInput, v string) { x.ZoneID = v })},
		{name: "RouterID", minLen: 1, maxLen: 255, body: true, fit: keep,
			set: set(func(x *privatedns.DisassociateRouterInput, v string) { x.RouterID = v })},
		{name: "RouterRegion", maxLen: 255, body: true, fit: keep, // optional
			set: set(func(x *privatedns.DisassociateRouterInput, v string) { x.RouterRegion = v })},
	}
}

// broken lists values that break f's documented rules, by name.
func broken(f field) map[string]string {
	switch {
	case f.free:
		return map[string]string{"over-long": strings.Repeat("t", f.maxLen+1)}
	case f.numeric:
		// 0 is not among them: it leaves the field out.
		return map[string]string{
			"negative": "-1", "over the maximum": strconv.Itoa(f.intMax + 1),
			"most negative int32": strconv.Itoa(math.MinInt32), "largest int32": strconv.Itoa(math.MaxInt32),
		}
	}
	m := controlValues()
	if f.body && !f.pattern {
		m = notUTF8()
	}
	for k, v := range m {
		m[k] = f.fit(v)
	}
	if f.minLen > 0 {
		m["empty"] = ""
	}
	if f.maxLen > 0 {
		m["over-long"] = strings.Repeat("a", f.maxLen+1)
		m["over-long in characters"] = strings.Repeat("é", f.maxLen+1)
	}
	if f.minLen > 1 {
		m["under-long"] = strings.Repeat("a", f.minLen-1)
	}
	if f.path && f.fit(".") == "." {
		m["dot"] = "."
		m["dot-dot"] = ".."
	}
	if f.pattern {
		for k, v := range odd() {
			if f.name == "ProfileID" {
				// Keep 32 characters, the last one the odd one.
				i := strings.IndexFunc(v, func(r rune) bool { return !('a' <= r && r <= 'z') })
				v = strings.Repeat("a", 31) + v[i:i+1]
			}
			m["pattern: "+k] = v
		}
		switch f.name {
		case "ProfileID":
			m["pattern: upper-case hex"] = strings.Repeat("A", 32)
			m["pattern: not hex"] = strings.Repeat("g", 32)
		case "ObjectTypeName":
			m["pattern: leading digit"] = "1CTR"
			m["pattern: leading hyphen"] = "-CTR"
		}
	}
	return m
}

// odd lists values that look dangerous in a URL but break no documented
// rule: where no pattern forbids them they are valid IDs, escaped into one
// segment (or carried in the JSON body).
func odd() map[string]string {
	return map[string]string{
		"slash": "/", "question mark": "?", "hash": "#", "percent": "%",
		"dot segment inside": "a/../b", "escaped slash": "%2F", "dots and slash": "../x",
		"query-like": "a?b=c#d", "space": "a b", "backslash": `a\b`, "plus": "a+b", "semicolon": "a;b",
		"unicode": "é日本😀", "three dots": "...", "quote": `a"b`, "ampersand": "a&b",
	}
}

// controlValues are values no value in a path, query or header may hold:
// control characters (controlChars) and bytes that are not UTF-8.
func controlValues() map[string]string {
	m := controlChars()
	maps.Copy(m, notUTF8())
	return m
}

// controlChars are control characters (C0, DEL, C1, the line separator) and
// CR/LF that would split a header. A value that goes only into a JSON body
// may hold them: the encoding escapes them.
func controlChars() map[string]string {
	return map[string]string{
		"NUL":                 "a\x00b",
		"C0 control":          "a\x1fb",
		"tab":                 "a\tb",
		"DEL":                 "a\x7fb",
		"C1 control (U+0085)": "a\u0085b",
		"CSI (U+009B)":        "a\u009b31mb",
		"line separator":      "a\u2028b",
		"CR LF":               "a\r\nX-Injected: 1",
		"LF":                  "a\nb",
	}
}

// notUTF8 are byte strings that are not UTF-8, which no field may hold: a
// JSON body cannot carry them unchanged either.
func notUTF8() map[string]string {
	return map[string]string{
		"invalid UTF-8":    "a\xffb",
		"truncated UTF-8":  "a\xc3",
		"UTF-16 surrogate": "a\xed\xa0\x80b",
	}
}

// oddValues lists the odd values f accepts: odd() for an ID, the control
// characters too for a field that goes only into the JSON body, the
// control values too for a field with no rule, and the limits of a
// numeric field. Each must reach the service unchanged.
func oddValues(f field) map[string]string {
	if f.numeric {
		return map[string]string{"minimum": strconv.Itoa(f.intMin), "maximum": strconv.Itoa(f.intMax), "zero (left out)": "0"}
	}
	m := odd()
	if f.body {
		maps.Copy(m, controlChars())
	}
	if f.free {
		maps.Copy(m, controlValues())
		m["empty"] = ""
		m["long"] = strings.Repeat("t", f.maxLen)
	}
	return m
}

// TestBadInput: for every operation, every invalid value of every field is
// a validation error naming the field, and nothing reaches the server; nil
// input and nil context are errors too (except where a nil input is
// documented as valid: it must then be sent as the empty input). Odd values
// that break no documented rule reach the server addressing exactly the
// named resource: path, query and body decode back to the input.
func TestBadInput(t *testing.T) {
	t.Parallel()
	for _, o := range operations() {
		t.Run(o.col, func(t *testing.T) {
			t.Parallel()
			srv := newLoopback(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(o.okStatus)
				w.Write([]byte(o.okBody))
			})
			c, err := o.client(srv.URL()+string(o.svc), transport.Settings{HTTPClient: newHTTPClient(t), Retry: fastRetry()})
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			ctx := context.Background()
			prefix := "/" + strings.TrimPrefix(string(o.svc), "/")

			reject := func(name string, in any, wantField string, ctx context.Context) {
				t.Helper()
				before := srv.hits.Load()
				_, meta, err := c.call(ctx, in)
				got := classify(t, meta, err)
				switch {
				case wantField == "" && got.Kind == "ok":
					t.Errorf("%s: accepted", name)
				case wantField != "" && (got.Kind != "validation" || got.Field != wantField):
					t.Errorf("%s: outcome %+v (%v), want a validation error naming %s", name, got, err, wantField)
				}
				sent := int(srv.hits.Load() - before)
				if sent != 0 {
					t.Errorf("%s: %d requests left the process", name, sent)
				}
				checkErrorText(t, err)
				figures.loss("requests sent for bad input", sent)
				figures.badInput(o.col, false)
			}
			// accept checks that in is sent as exactly one request for it.
			accept := func(name string, in any) bool {
				t.Helper()
				before := len(srv.Requests())
				if _, _, err := c.call(ctx, in); err != nil {
					t.Errorf("%s: %v", name, err)
					return false
				}
				reqs := srv.Requests()
				if len(reqs) != before+1 {
					t.Errorf("%s: server saw %d requests, want 1", name, len(reqs)-before)
					return false
				}
				r := reqs[len(reqs)-1]
				if r.Method != o.method {
					t.Errorf("%s: method %s", name, r.Method)
				}
				path, query, hasQuery := strings.Cut(r.EscapedURI, "?")
				if !strings.HasPrefix(path, prefix) {
					t.Errorf("%s: request %q is not under %q", name, r.EscapedURI, prefix)
					return false
				}
				ok := true
				for _, err := range []error{o.checkPath(strings.TrimPrefix(path, prefix), in), o.checkQuery(query, hasQuery, in),
					o.checkBody(r.Body, in)} {
					if err != nil {
						t.Errorf("%s: %v", name, err)
						ok = false
					}
				}
				return ok
			}

			if o.nilInputOK {
				accept("nil input", nil)
			} else {
				reject("nil input", nil, "input", ctx)
			}
			var nilCtx context.Context // a nil context is an error, as in net/http
			reject("nil context", o.input(0), "ctx", nilCtx)
			for _, f := range fieldsOf(o) {
				for name, v := range broken(f) {
					in := copyInput(o)
					f.set(in, v)
					reject(f.name+" "+name+" "+quoteShort(v), in, f.name, ctx)
				}
				if f.pattern {
					continue
				}
				for name, v := range oddValues(f) {
					if v = f.fit(v); v == "" && !f.free {
						continue
					}
					in := copyInput(o)
					f.set(in, v)
					if accept(fmt.Sprintf("%s %s %s", f.name, name, quoteShort(v)), in) {
						figures.badInput(o.col, true)
					}
				}
			}
		})
	}
}

// quoteShort quotes v for a message, cut to 24 bytes.
func quoteShort(v string) string { return strconv.Quote(v[:min(len(v), 24)]) }

// TestOddIDsSignCorrectly sends the odd but valid IDs to the emulator, which
// verifies every signature as the clouds do: whatever the service then says
// of the ID (not found, invalid), it must not be a signature failure, which
// would mean the signed path and the sent path disagree.
func TestOddIDsSignCorrectly(t *testing.T) {
	t.Parallel()
	cloud := fakecloud.New()
	srv := cloud.Start()
	t.Cleanup(srv.Close)
	for _, o := range operations() {
		t.Run(o.col, func(t *testing.T) {
			t.Parallel()
			c, err := o.client(srv.Endpoint(o.svc), transport.Settings{HTTPClient: newHTTPClient(t),
				Retry: transport.RetryPolicy{MaxAttempts: 1}})
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			for _, f := range fieldsOf(o) {
				if f.pattern {
					continue
				}
				for name, v := range oddValues(f) {
					if v = f.fit(v); v == "" && !f.free {
						continue
					}
					in := copyInput(o)
					f.set(in, v)
					_, meta, err := c.call(context.Background(), in)
					got := classify(t, meta, err)
					switch got.Code {
					case "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignatureException", "APIGW.0301":
						t.Errorf("%s %s %q: the service rejected the signature: %v", f.name, name, v, err)
					}
					if got.Kind != "ok" && got.Kind != "response" {
						t.Errorf("%s %s %q: outcome %+v (%v)", f.name, name, v, got, err)
					}
				}
			}
		})
	}
}
