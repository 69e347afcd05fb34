package signer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Building blocks shared by the two SDK-HMAC-SHA256 flavours (Huawei v3 SDK
// and gophertelekomcloud) and by their verifiers. They append to caller-owned
// buffers so that signing a small request stays on the stack.

const (
	hwAlgorithm     = "SDK-HMAC-SHA256"
	hwDateLayout    = "20060102T150405Z"
	hwHeaderDate    = "X-Sdk-Date"
	hwHeaderProject = "X-Project-Id"
	hwHeaderDomain  = "X-Domain-Id"
	hwHeaderToken   = "X-Security-Token"
	hwHeaderAuth    = "Authorization"

	// hwEmptySHA256 is the payload hash of an empty body.
	hwEmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// hwAppendEscaped appends s with every byte outside the unreserved set written
// as %XX (uppercase hex, byte by byte, so UTF-8 is encoded per byte and a
// literal % becomes %25). With keepSlash, '/' is kept literal too: escaping a
// whole path that way equals splitting it on '/', escaping each segment and
// joining again, which is how the Huawei v3 SDK builds its canonical URI.
//
// Both SDKs keep exactly A-Z a-z 0-9 - _ . ~ (the Huawei v3 SDK's
// shouldEscape, gophertelekomcloud's noEscape table): RFC 3986's unreserved
// set, which SigV4's encoding keeps too, so SigV4's encoder does the work.
func hwAppendEscaped(dst []byte, s string, keepSlash bool) []byte {
	return v4AppendEscaped(dst, s, keepSlash)
}

// hwAppendCanonicalURI appends the canonical form of the decoded path: each
// segment escaped, and a trailing '/' added when missing (both SDKs do this,
// so "/v2/zones/x/disassociaterouter" signs as ".../disassociaterouter/").
// leadingSlash adds a missing leading '/', as gophertelekomcloud does; the
// Huawei v3 SDK does not, but a request URL's path always has one or is empty.
func hwAppendCanonicalURI(dst []byte, path string, leadingSlash bool) []byte {
	start := len(dst)
	if leadingSlash && !strings.HasPrefix(path, "/") {
		dst = append(dst, '/')
	}
	dst = hwAppendEscaped(dst, path, true)
	if len(dst) == start || dst[len(dst)-1] != '/' {
		dst = append(dst, '/')
	}
	return dst
}

// hwParseQuery decodes the raw query. A malformed query is an error rather
// than silently dropped pairs, since the server would see different pairs
// than were signed.
func hwParseQuery(rawQuery string) (url.Values, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, fmt.Errorf("signer: malformed query: %w", err)
	}
	return q, nil
}

// hwAppendCanonicalQuery appends the Huawei v3 SDK's canonical query: keys
// sorted, each key's values sorted (so repeated keys are canonical), key and
// value escaped, "k=v" pairs joined by '&'. Keys and values are sorted in their
// decoded form, then escaped, as the SDK's canonicalQueryString does.
func hwAppendCanonicalQuery(dst []byte, rawQuery string) ([]byte, error) {
	if rawQuery == "" {
		return dst, nil
	}
	q, err := hwParseQuery(rawQuery)
	if err != nil {
		return dst, err
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	first := true
	for _, k := range keys {
		vals := slices.Clone(q[k])
		slices.Sort(vals)
		for _, v := range vals {
			if !first {
				dst = append(dst, '&')
			}
			first = false
			dst = hwAppendEscaped(dst, k, false)
			dst = append(dst, '=')
			dst = hwAppendEscaped(dst, v, false)
		}
	}
	return dst, nil
}

// hwHeader is one header taking part in a signature.
type hwHeader struct {
	name string   // as found in the request (any case), or "host"
	vals []string // the values; nil for host
	one  string   // the value when vals is nil
}

// hwCompareFold orders header names by their ASCII lower-case form, which is
// the order of the lower-cased, sorted SignedHeaders both SDKs produce,
// without allocating a lower-cased copy. Ties fall back to the raw bytes so
// the order is deterministic.
func hwCompareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		ca, cb := hwLower(a[i]), hwLower(b[i])
		if ca != cb {
			return int(ca) - int(cb)
		}
	}
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func hwLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func hwHasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hwIsToken reports whether name is a valid HTTP field name (RFC 9110 token):
// anything else could not be sent, and characters such as ';' or ',' would
// corrupt the SignedHeaders list in the Authorization header.
func hwIsToken(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// hwRequestHost is the host the request is sent to (req.Host wins over
// URL.Host, as in net/http), or, on the server side, the Host it arrived with.
func hwRequestHost(req *http.Request) (string, error) {
	if req.Host != "" {
		return req.Host, nil
	}
	if req.URL.Host != "" {
		return req.URL.Host, nil
	}
	return "", errors.New("signer: request has no host")
}

// hwSortHeaders sorts the signed headers and rejects one header given twice
// under different letter case, which would be ambiguous to sign.
func hwSortHeaders(hs []hwHeader) error {
	sortStable(hs, func(a, b hwHeader) int { return hwCompareFold(a.name, b.name) })
	for i := 1; i < len(hs); i++ {
		if strings.EqualFold(hs[i-1].name, hs[i].name) {
			return fmt.Errorf("signer: header %q is present twice with different letter case", hwTruncate(hs[i].name))
		}
	}
	return nil
}

// hwAppendLower appends s lower-cased (ASCII).
func hwAppendLower(dst []byte, s string) []byte {
	return v4AppendLower(dst, s)
}

// hwAppendSignedHeaders appends the lower-cased names joined by ';'.
func hwAppendSignedHeaders(dst []byte, hs []hwHeader) []byte {
	for i, h := range hs {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = hwAppendLower(dst, h.name)
	}
	return dst
}

// hwAppendHeaderValueHuawei appends a header's canonical value as the Huawei
// v3 SDK writes it: strings.TrimSpace of the value. The SDK holds one value
// per header; several values of an http.Header are each trimmed and joined
// by ','.
func hwAppendHeaderValueHuawei(dst []byte, h hwHeader) []byte {
	if h.vals == nil {
		return append(dst, strings.TrimSpace(h.one)...)
	}
	for i, v := range h.vals {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, strings.TrimSpace(v)...)
	}
	return dst
}

// hwAppendHeaderValueOTC appends a header's canonical value as
// gophertelekomcloud writes it: only the first value (Header.Get), every run
// of white space (RE2 \s: tab, LF, FF, CR, space) replaced by one space, and
// no trimming.
func hwAppendHeaderValueOTC(dst []byte, h hwHeader) []byte {
	v := h.one
	if h.vals != nil {
		v = h.vals[0]
	}
	inSpace := false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\t', '\n', '\f', '\r', ' ':
			if !inSpace {
				dst = append(dst, ' ')
			}
			inSpace = true
		default:
			dst = append(dst, c)
			inSpace = false
		}
	}
	return dst
}

// hwAppendCanonicalTail appends the part of the canonical request that
// follows the query: one "name:value\n" line per signed header, an empty line,
// the SignedHeaders list, and the payload hash. It is the same in both
// flavours except for how a value is written.
func hwAppendCanonicalTail(dst []byte, hs []hwHeader, otc bool, payloadSHA256 string) []byte {
	dst = append(dst, '\n')
	for _, h := range hs {
		dst = hwAppendLower(dst, h.name)
		dst = append(dst, ':')
		if otc {
			dst = hwAppendHeaderValueOTC(dst, h)
		} else {
			dst = hwAppendHeaderValueHuawei(dst, h)
		}
		dst = append(dst, '\n')
	}
	dst = append(dst, '\n')
	dst = hwAppendSignedHeaders(dst, hs)
	dst = append(dst, '\n')
	return append(dst, payloadSHA256...)
}

// hwAppendDate appends t in UTC in hwDateLayout. The SigV4 date has the same
// layout and a formatter several times faster than time.AppendFormat, which
// is left only the years that layout's four digits cannot hold.
func hwAppendDate(dst []byte, t time.Time) []byte {
	if d, ok := v4AppendAmzDate(dst, t); ok {
		return d
	}
	return t.UTC().AppendFormat(dst, hwDateLayout)
}

// hwPayloadHash checks the caller's payload hash: the empty string stands for
// an empty body; anything else must be lowercase hex SHA-256, the form both
// SDKs put in the canonical request.
func hwPayloadHash(payloadSHA256 string) (string, error) {
	if payloadSHA256 == "" {
		return hwEmptySHA256, nil
	}
	if len(payloadSHA256) != 2*sha256.Size {
		return "", errors.New("signer: payload hash must be 64 lowercase hex digits")
	}
	for i := 0; i < len(payloadSHA256); i++ {
		c := payloadSHA256[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return "", errors.New("signer: payload hash must be 64 lowercase hex digits")
		}
	}
	return payloadSHA256, nil
}

// hwHMAC computes HMAC-SHA256 (RFC 2104) with sha256.Sum256 over stack
// buffers. crypto/hmac allocates its state on every hmac.New, and the OTC
// flavour derives four keys per request; this keeps signing allocation-free.
// The tests check it against crypto/hmac.
func hwHMAC(key, msg []byte) [sha256.Size]byte {
	const block = 64
	var k [block]byte
	if len(key) > block {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	var inner [block + 192]byte // room for a typical string-to-sign
	in := inner[:block]
	v4XORPad(in, &k, 0x36)
	in = append(in, msg...)
	innerSum := sha256.Sum256(in)
	var outer [block + sha256.Size]byte
	v4XORPad(outer[:], &k, 0x5c)
	copy(outer[block:], innerSum[:])
	return sha256.Sum256(outer[:])
}

// hwAppendHex appends the lowercase hex form of b.
func hwAppendHex(dst []byte, b []byte) []byte {
	return hex.AppendEncode(dst, b)
}

// hwCheckHeaderValue rejects a value that could not be sent as a header
// value (control characters other than tab); the field is named, the value
// never shown since it may be secret.
func hwCheckHeaderValue(field, v string) error {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return fmt.Errorf("signer: %s contains a control character", field)
		}
	}
	return nil
}

// hwTruncate shortens a name quoted in an error message.
func hwTruncate(s string) string {
	const limit = 64
	if len(s) > limit {
		return s[:limit] + "..."
	}
	return s
}
