package transport

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
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
// mangle ordinary text, and a secret that short hidden inside a longer word
// tells nothing anyway.
const minSecretLen = 8

// credentialHeaders are the request headers whose values are credentials.
var credentialHeaders = [...]string{"Authorization", "Proxy-Authorization", "X-Auth-Token", "X-Security-Token",
	"X-Amz-Security-Token", "Cookie"}

// appendSecrets appends to dst every secret an attempt sent with header h
// and extra (Request.Secrets), longest first so that a secret containing
// another is replaced whole. Callers pass a small array's slice as dst: the
// list then lives on the stack, and a call costs no allocation.
func appendSecrets(dst []string, h http.Header, extra []string) []string {
	for k, vs := range h {
		auth := false
		known := false
		for _, name := range credentialHeaders {
			if len(k) == len(name) && strings.EqualFold(k, name) {
				known, auth = true, strings.HasSuffix(name, "Authorization")
				break
			}
		}
		if !known {
			continue
		}
		for _, v := range vs {
			if auth {
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
	// Insertion sort: the lists are a handful long, and sort.Slice would
	// allocate.
	for i := 1; i < len(dst); i++ {
		for j := i; j > 0 && len(dst[j]) > len(dst[j-1]); j-- {
			dst[j], dst[j-1] = dst[j-1], dst[j]
		}
	}
	return dst
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
	if _, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
		return strings.TrimSpace(cred)
	}
	return strings.TrimSpace(v)
}

// scrub returns s with every occurrence of the secrets replaced by
// [Redacted], in the forms an echo may take: as sent, JSON-escaped (once, as
// a JSON body carries it, or twice, as an error quoting that body in a JSON
// string does; with and without encoding/json's HTML escaping), and
// URL-escaped. The escaped forms that differ from the raw one contain '\',
// '%' or '+', so text without those characters is checked for the raw forms
// only, which allocates nothing unless a secret is found. secrets must come
// from appendSecrets (longest first).
func scrub(s string, secrets []string) string {
	if s == "" || len(secrets) == 0 {
		return s
	}
	if !strings.ContainsAny(s, `\%+`) {
		for _, x := range secrets {
			s = replaceSecret(s, x)
		}
		return s
	}
	forms := make([]string, 0, 4*len(secrets))
	for _, x := range secrets {
		forms = appendForms(forms, x)
	}
	for i := 1; i < len(forms); i++ {
		for j := i; j > 0 && len(forms[j]) > len(forms[j-1]); j-- {
			forms[j], forms[j-1] = forms[j-1], forms[j]
		}
	}
	for _, x := range forms {
		s = replaceSecret(s, x)
	}
	return s
}

// appendForms appends x and each distinct escaped form of it.
func appendForms(dst []string, x string) []string {
	start := len(dst)
	add := func(f string) {
		for _, have := range dst[start:] {
			if have == f {
				return
			}
		}
		dst = append(dst, f)
	}
	add(x)
	html, plain := jsonEscape(x, true), jsonEscape(x, false)
	add(html)
	add(plain)
	add(jsonEscape(html, true))
	add(jsonEscape(plain, false))
	add(url.QueryEscape(x))
	add(url.PathEscape(x))
	return dst
}

// jsonEscape is s as encoding/json writes it inside a string, without the
// quotes.
func jsonEscape(s string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if enc.Encode(s) != nil {
		return s
	}
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// replaceSecret replaces x in s: every occurrence when x is at least
// minSecretLen long, otherwise only those that stand alone.
func replaceSecret(s, x string) string {
	i := strings.Index(s, x)
	if i < 0 {
		return s
	}
	if len(x) >= minSecretLen {
		return s[:i] + strings.ReplaceAll(s[i:], x, Redacted)
	}
	var b strings.Builder
	done := 0 // s[:done] is written
	for i >= 0 {
		end := i + len(x)
		if (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end])) {
			b.WriteString(s[done:i])
			b.WriteString(Redacted)
			done = end
		}
		j := strings.Index(s[end:], x)
		if j < 0 {
			break
		}
		i = end + j
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// isWordByte reports whether c belongs to a word: an ASCII letter or digit,
// or a byte of a non-ASCII character.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// scrubError returns err, or a stand-in without the secrets the attempt sent
// (header h and Request.Secrets extra) when its text quotes one: net/http
// quotes a malformed status or header line of a response ("malformed HTTP
// response ...", "malformed MIME header line: ..."), where an echo may have
// put a credential, and a *url.Error quotes the URL with its query.
func scrubError(err error, h http.Header, extra []string) error {
	var buf [8]string
	secrets := appendSecrets(buf[:0], h, extra)
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
// answers as for the original (context.DeadlineExceeded, say), and it is a
// net.Error that reports the original's timeout; errors.As cannot reach the
// original, whose fields hold the text.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }

// Is reports whether the original error matches target.
func (e *scrubbedError) Is(target error) bool { return errors.Is(e.err, target) }

// Timeout reports whether the original error was a timeout.
func (e *scrubbedError) Timeout() bool {
	var ne net.Error
	return errors.As(e.err, &ne) && ne.Timeout()
}

// Temporary reports false: net.Error's Temporary is deprecated and means
// nothing here.
func (e *scrubbedError) Temporary() bool { return false }

// GoString keeps %#v from printing the original error's fields.
func (e *scrubbedError) GoString() string {
	return "&transport.scrubbedError{" + strconv.Quote(e.msg) + "}"
}
