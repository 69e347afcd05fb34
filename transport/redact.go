package transport

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
)

// Redacted replaces credentials wherever headers are shown.
const Redacted = "[redacted]"

// sensitiveHeader reports whether a header carries a credential. The names
// are canonical (http.CanonicalHeaderKey).
func sensitiveHeader(name string) bool {
	switch name {
	case "Authorization", "Proxy-Authorization", "X-Auth-Token", "X-Subject-Token",
		"X-Security-Token", "X-Amz-Security-Token", "Cookie", "Set-Cookie":
		return true
	}
	return false
}

// redactValue keeps the scheme of an Authorization value (e.g.
// "AWS4-HMAC-SHA256") so logs still say how a request was signed.
func redactValue(name, v string) string {
	if name == "Authorization" || name == "Proxy-Authorization" {
		if i := strings.IndexByte(v, ' '); i > 0 {
			return v[:i] + " " + Redacted
		}
	}
	return Redacted
}

// RedactHeader returns a copy of h with every credential replaced. It is
// what logs and errors show of headers.
func RedactHeader(h http.Header) http.Header { return redactHeader(h) }

func redactHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		if !sensitiveHeader(ck) {
			out[k] = slices.Clone(vs)
			continue
		}
		r := make([]string, len(vs))
		for i, v := range vs {
			r[i] = redactValue(ck, v)
		}
		out[k] = r
	}
	return out
}

// headerLogValue renders headers for slog, sorted and redacted.
func headerLogValue(h http.Header) slog.Value {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	attrs := make([]slog.Attr, 0, len(keys))
	for _, k := range keys {
		ck := http.CanonicalHeaderKey(k)
		vs := h[k]
		v := strings.Join(vs, ", ")
		if sensitiveHeader(ck) {
			v = redactValue(ck, v)
		}
		attrs = append(attrs, slog.String(k, v))
	}
	return slog.GroupValue(attrs...)
}
