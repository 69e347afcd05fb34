package reliability

import (
	"context"
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
	minLen, maxLen int                    // in characters; maxLen 0: no documented maximum
	path           bool                   // becomes a path segment ("." and ".." forbidden)
	// pattern is true when a documented pattern allows only letters,
	// digits, "_" and "-" (so "/", "?", "#", "%" and "." are invalid).
	pattern bool
	// fit makes an odd but valid value meet the field's other documented
	// rules (an exact length, a prefix), or returns "" when it cannot.
	fit func(v string) string
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
	}
	panic("unknown input type")
}

func fieldsOf(o *operation) []field {
	keep := func(v string) string { return v }
	switch o.name {
	case "route53profiles":
		set := func(f func(*route53profiles.DisassociateProfileInput, string)) func(any, string) {
			return func(in any, v string) { f(in.(*route53profiles.DisassociateProfileInput), v) }
		}
		return []field{
			{name: "ProfileID", minLen: 1, maxLen: 64, path: true, fit: keep,
				set: set(func(x *route53profiles.DisassociateProfileInput, v string) { x.ProfileID = v })},
			{name: "ResourceID", minLen: 1, maxLen: 64, path: true, fit: keep,
				set: set(func(x *route53profiles.DisassociateProfileInput, v string) { x.ResourceID = v })},
		}
	case "customerprofiles":
		set := func(f func(*customerprofiles.DeleteProfileObjectInput, string)) func(any, string) {
			return func(in any, v string) { f(in.(*customerprofiles.DeleteProfileObjectInput), v) }
		}
		return []field{
			{name: "DomainName", minLen: 1, maxLen: 64, path: true, pattern: true, fit: keep,
				set: set(func(x *customerprofiles.DeleteProfileObjectInput, v string) { x.DomainName = v })},
			{name: "ObjectTypeName", minLen: 1, maxLen: 255, pattern: true, fit: keep,
				set: set(func(x *customerprofiles.DeleteProfileObjectInput, v string) { x.ObjectTypeName = v })},
			{name: "ProfileID", minLen: 32, maxLen: 32, pattern: true, fit: keep,
				set: set(func(x *customerprofiles.DeleteProfileObjectInput, v string) { x.ProfileID = v })},
			{name: "ProfileObjectUniqueKey", minLen: 1, maxLen: 255, fit: keep,
				set: set(func(x *customerprofiles.DeleteProfileObjectInput, v string) { x.ProfileObjectUniqueKey = v })},
		}
	case "identitycenter":
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
			{name: "ApplicationInstanceID", minLen: 1, path: true,
				fit: func(v string) string { return "app-ins-" + v },
				set: set(func(x *identitycenter.DeleteProfileInput, v string) { x.ApplicationInstanceID = v })},
			{name: "ProfileID", minLen: 1, path: true, fit: keep,
				set: set(func(x *identitycenter.DeleteProfileInput, v string) { x.ProfileID = v })},
		}
	}
	set := func(f func(*privatedns.DisassociateRouterInput, string)) func(any, string) {
		return func(in any, v string) { f(in.(*privatedns.DisassociateRouterInput), v) }
	}
	return []field{
		{name: "ZoneID", minLen: 1, path: true, fit: keep,
			set: set(func(x *privatedns.DisassociateRouterInput, v string) { x.ZoneID = v })},
		{name: "RouterID", minLen: 1, fit: keep,
			set: set(func(x *privatedns.DisassociateRouterInput, v string) { x.RouterID = v })},
		{name: "RouterRegion", fit: keep, // optional
			set: set(func(x *privatedns.DisassociateRouterInput, v string) { x.RouterRegion = v })},
	}
}

// broken lists values that break f's documented rules, by name.
func broken(f field) map[string]string {
	m := map[string]string{
		"NUL":                 "a\x00b",
		"C0 control":          "a\x1fb",
		"tab":                 "a\tb",
		"DEL":                 "a\x7fb",
		"C1 control (U+0085)": "a\u0085b",
		"CSI (U+009B)":        "a\u009b31mb",
		"line separator":      "a\u2028b",
		"CR LF":               "a\r\nX-Injected: 1",
		"LF":                  "a\nb",
		"invalid UTF-8":       "a\xffb",
		"truncated UTF-8":     "a\xc3",
		"UTF-16 surrogate":    "a\xed\xa0\x80b",
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

// TestBadInput: for every operation, every invalid value of every field is
// a validation error naming the field, and nothing reaches the server; nil
// input and nil context are errors too. Odd values that break no documented
// rule reach the server addressing exactly the named resource.
func TestBadInput(t *testing.T) {
	t.Parallel()
	for _, o := range operations() {
		t.Run(o.name, func(t *testing.T) {
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
				figures.badInput(o.name, false)
			}

			reject("nil input", nil, "input", ctx)
			var nilCtx context.Context // a nil context is an error, as in net/http
			reject("nil context", o.input(0), "", nilCtx)
			for _, f := range fieldsOf(o) {
				for name, v := range broken(f) {
					in := copyInput(o)
					f.set(in, v)
					reject(f.name+" "+name+" "+quoteShort(v), in, f.name, ctx)
				}
				if f.pattern {
					continue
				}
				for name, v := range odd() {
					if v = f.fit(v); v == "" {
						continue
					}
					in := copyInput(o)
					f.set(in, v)
					before := len(srv.Requests())
					_, _, err := c.call(ctx, in)
					if err != nil {
						t.Errorf("%s %s %q: %v", f.name, name, v, err)
						continue
					}
					reqs := srv.Requests()
					if len(reqs) != before+1 {
						t.Errorf("%s %s: server saw %d requests, want 1", f.name, name, len(reqs)-before)
						continue
					}
					r := reqs[len(reqs)-1]
					if r.Method != o.method {
						t.Errorf("%s %s: method %s", f.name, name, r.Method)
					}
					path, query, _ := strings.Cut(r.EscapedURI, "?")
					if query != "" || !strings.HasPrefix(path, prefix) {
						t.Errorf("%s %s: request %q is not under %q without a query", f.name, name, r.EscapedURI, prefix)
						continue
					}
					if err := o.checkPath(strings.TrimPrefix(path, prefix), in); err != nil {
						t.Errorf("%s %s: %v", f.name, name, err)
					}
					if err := o.checkBody(r.Body, in); err != nil {
						t.Errorf("%s %s: %v", f.name, name, err)
					}
					figures.badInput(o.name, true)
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
		t.Run(o.name, func(t *testing.T) {
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
				for name, v := range odd() {
					if v = f.fit(v); v == "" {
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
