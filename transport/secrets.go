package transport

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// What a server or proxy may echo back: every secret an attempt sent. The
// transport collects them per attempt, after the Authorizer has run, from
// two places:
//
//   - the credential headers, found under any spelling of their names:
//     the signature of Authorization (or, for another scheme such as Bearer,
//     everything after the scheme) and of Proxy-Authorization, and the whole
//     values of X-Auth-Token, X-Security-Token, X-Amz-Security-Token and
//     Cookie;
//   - Request.Secrets, for what travels in a body or an unknown header.
//
// Every value taken from a response that can reach an error, a log record or
// a public field passes through scrub with them.

// minSecretLen is the length from which a secret is replaced wherever it
// occurs. A shorter one (a weak password, say) is replaced only where it
// stands alone, not flanked by a letter or digit: the whole value, or a word
// of a message. Replacing every occurrence of a three-letter value would
// mangle ordinary text, and such a value inside a longer word is most likely
// that word, not an echo.
const minSecretLen = 8

// credentialHeader reports whether the request header named k carries a
// credential, under any spelling of its name, and whether that is an
// Authorization header, whose scheme is not secret.
func credentialHeader(k string) (credential, authorization bool) {
	var lower [len("X-Amz-Security-Token")]byte
	if len(k) > len(lower) {
		return false, false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	switch string(lower[:len(k)]) {
	case "authorization", "proxy-authorization":
		return true, true
	case "x-auth-token", "x-security-token", "x-amz-security-token", "cookie":
		return true, false
	}
	return false, false
}

// appendSecrets appends to dst every secret an attempt sent with header h
// and extra (Request.Secrets), longest first so that a secret containing
// another is replaced whole. Callers pass a small array's slice as dst: the
// list then lives on the stack, and a call costs no allocation.
func appendSecrets(dst []string, h http.Header, extra []string) []string {
	for k, vs := range h {
		credential, authorization := credentialHeader(k)
		if !credential {
			continue
		}
		for _, v := range vs {
			if authorization {
				v = authorizationSecret(v)
			}
			if v != "" {
				dst = append(dst, v)
			}
		}
	}
	for _, s := range extra {
		if s != "" {
			dst = append(dst, s)
		}
	}
	sortLongestFirst(dst)
	return dst
}

// sortLongestFirst is an insertion sort: the lists are a handful long, and
// sort.Slice would allocate.
func sortLongestFirst(list []string) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && len(list[j]) > len(list[j-1]); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

// authorizationSecret is the secret part of an Authorization value: the
// signature of AWS SigV4 and Huawei's SDK-HMAC-SHA256 (the access key and
// signed headers are not secret, and logs keep them), or the credentials
// after the scheme of any other scheme (Bearer, Basic, ...).
func authorizationSecret(v string) string {
	if _, sig, ok := strings.Cut(v, "Signature="); ok {
		sig, _, _ = strings.Cut(sig, ",")
		return strings.TrimSpace(sig)
	}
	v = strings.TrimSpace(v)
	if _, cred, ok := strings.Cut(v, " "); ok {
		return strings.TrimSpace(cred)
	}
	return v
}

// scrub returns s with every occurrence of the secrets replaced by
// [Redacted], in the forms an echo may take: as sent, JSON-escaped (once, as
// a JSON body carries it, or twice, as an error quoting that body in a JSON
// string does; with and without encoding/json's HTML escaping), and
// URL-escaped. The escaped forms that differ from the raw one contain '\',
// '%' or '+', so text without those characters is checked for the raw forms
// only, which allocates nothing unless a secret is found. secrets must come
// from appendSecrets: longest first, so that a secret containing another is
// replaced whole, and each secret's escaped forms (longer) before it.
func scrub(s string, secrets []string) string {
	escaped := strings.ContainsAny(s, `\%+`)
	for _, x := range secrets {
		if escaped {
			h, p := jsonEscape(x, true), jsonEscape(x, false)
			// Some JSON writers (PHP's, Java's older ones) also escape '/',
			// which base64 tokens and AWS secret keys hold.
			slashed := strings.ReplaceAll(p, "/", `\/`)
			for _, f := range [...]string{jsonEscape(h, true), jsonEscape(p, false), h, p, slashed, url.QueryEscape(x), url.PathEscape(x)} {
				if f != x {
					s = replaceSecret(s, f)
				}
			}
		}
		s = replaceSecret(s, x)
	}
	return s
}

// scrubBody returns a success body with the secrets scrubbed as scrub
// scrubs a string, so that a service's data fields (a status, a message, a
// name) cannot carry an echoed secret to the caller's values, %v or logs.
// Redacted has nothing JSON escapes, so a JSON body stays JSON. A body that
// holds none of the secrets is returned as it is, without allocating: the
// check looks for each secret's leading run of characters that no escaping
// changes, which every form of it shares.
func scrubBody(body []byte, secrets []string) []byte {
	for _, x := range secrets {
		if bodyMayHold(body, x) {
			return []byte(scrub(string(body), secrets))
		}
	}
	return body
}

// bodyMayHold reports whether body may hold a form of secret x: false only
// when x starts with at least minSecretLen characters that JSON, query and
// path escaping leave alone and body does not contain them. At most 32 of
// them are looked for, which keeps the conversion on the stack.
func bodyMayHold(body []byte, x string) bool {
	n := 0
	for n < len(x) && n < 32 && unescaped(x[n]) {
		n++
	}
	if n < minSecretLen {
		return true
	}
	return bytes.Contains(body, []byte(x[:n]))
}

// unescaped reports whether c is left as it is by every escaping scrub
// undoes: JSON's (with its HTML escaping), url.QueryEscape and PathEscape.
func unescaped(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// jsonEscape is s as encoding/json writes it inside a string, without the
// quotes; html adds its escaping of <, > and &. (encoding/json's Encoder
// would do, but links its indenting code for nothing.)
func jsonEscape(s string, html bool) string {
	const hex = "0123456789abcdef"
	var b []byte
	done := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		esc, n, w := [6]byte{'\\', c}, 2, 1 // the escape, its length, the bytes of s it stands for
		switch {
		case c == '"' || c == '\\':
		case c < 0x20 || html && (c == '<' || c == '>' || c == '&'):
			if k := strings.IndexByte("\b\f\n\r\t", c); k >= 0 {
				esc[1] = "bfnrt"[k]
			} else {
				esc, n = [6]byte{'\\', 'u', '0', '0', hex[c>>4], hex[c&0xf]}, 6
			}
		case c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&^1 == 0xa8: // U+2028, U+2029
			esc, n, w = [6]byte{'\\', 'u', '2', '0', '2', hex[s[i+2]&0xf]}, 6, 3
		default:
			continue
		}
		b = append(append(b, s[done:i]...), esc[:n]...)
		done = i + w
		i += w - 1
	}
	if b == nil {
		return s
	}
	return string(append(b, s[done:]...))
}

// replaceSecret replaces x in s: every occurrence when x is at least
// minSecretLen long, otherwise only those that stand alone (not flanked by
// a letter or digit).
func replaceSecret(s, x string) string {
	var b []byte
	done := 0 // s[:done] is in b
	for from := 0; ; {
		j := strings.Index(s[from:], x)
		if j < 0 {
			break
		}
		i, end := from+j, from+j+len(x)
		if len(x) >= minSecretLen || (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end])) {
			b = append(append(b, s[done:i]...), Redacted...)
			done = end
		}
		from = end
	}
	if b == nil {
		return s
	}
	return string(append(b, s[done:]...))
}

// isWordByte reports whether c belongs to a word: an ASCII letter or digit,
// or a byte of a non-ASCII character.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// scrubError returns err, or a stand-in without the secrets the attempt sent
// (from appendSecrets) when its text quotes one: net/http quotes a malformed
// status or header line of a response ("malformed HTTP response ...",
// "malformed MIME header line: ..."), where an echo may have put a
// credential, and a *url.Error quotes the URL with its query.
func scrubError(err error, secrets []string) error {
	if len(secrets) == 0 {
		return err
	}
	msg := err.Error()
	if s := scrub(msg, secrets); s != msg {
		return &scrubbedError{msg: s, err: err}
	}
	return err
}

// scrubbedError stands in for an error whose text held a secret. errors.Is
// answers as for the original (context.DeadlineExceeded, say); errors.As
// cannot reach the original, whose fields hold the text.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }

// Is reports whether the original error matches target.
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }
