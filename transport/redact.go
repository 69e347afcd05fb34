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

func redactHeader(h http.Header) http.Header { return redactHeaderOf(h, nil) }

// redactHeaderOf is RedactHeader that also scrubs the given secrets (from
// appendSecrets) from every other value and from every name: a server or
// proxy may echo a credential under any header.
func redactHeaderOf(h http.Header, secrets []string) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		r := make([]string, len(vs))
		for i, v := range vs {
			if sensitiveHeader(ck) {
				r[i] = redactValue(ck, v)
			} else {
				r[i] = scrub(v, secrets)
			}
		}
		out[scrub(k, secrets)] = r
	}
	return out
}

// loggedHeaders renders h for a log record: a slog group, sorted, redacted,
// and with every secret the request carried scrubbed from every value. It is
// built when the record is, since a retry re-signs the same request. A
// slog.Value rather than a LogValuer, so that handlers which do not resolve
// values still see a group; other loggers print it through its String method.
func loggedHeaders(h http.Header, secrets []string) slog.Value {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	attrs := make([]slog.Attr, 0, len(keys))
	for _, k := range keys {
		ck := http.CanonicalHeaderKey(k)
		v := strings.Join(h[k], ", ")
		if sensitiveHeader(ck) {
			v = redactValue(ck, v)
		} else {
			v = scrub(v, secrets)
		}
		attrs = append(attrs, slog.String(scrub(k, secrets), v))
	}
	return slog.GroupValue(attrs...)
}
