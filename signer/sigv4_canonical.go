package signer

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
)

// This file builds the parts of the SigV4 canonical request: URI, query and
// header lines. Every function appends to a caller-owned buffer so one
// signature needs no intermediate strings.

const v4UpperHex = "0123456789ABCDEF"

// v4Unreserved reports whether c is in RFC 3986's unreserved set, the only
// bytes SigV4's URI encoding leaves alone.
func v4Unreserved(c byte) bool { return v4UnreservedSet[c] }

// v4UnreservedSet is v4Unreserved as a table: one load per byte instead of a
// chain of comparisons, in loops that run over every byte of a path.
var v4UnreservedSet = func() (set [256]bool) {
	for c := range set {
		set[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
	}
	return set
}()

// v4AppendEscapedByte appends c, percent-encoded unless it is unreserved.
func v4AppendEscapedByte(dst []byte, c byte) []byte {
	if v4Unreserved(c) {
		return append(dst, c)
	}
	return append(dst, '%', v4UpperHex[c>>4], v4UpperHex[c&15])
}

// v4AppendEscaped appends s URI-encoded the AWS way: every byte but the
// unreserved ones (and '/' when keepSlash) becomes %XX with upper-case hex.
func v4AppendEscaped(dst []byte, s string, keepSlash bool) []byte {
	for len(s) > 0 {
		// Copy the longest run that needs no escaping in one append.
		n := v4PlainLen(s, keepSlash)
		dst = append(dst, s[:n]...)
		if n == len(s) {
			break
		}
		c := s[n]
		dst = append(dst, '%', v4UpperHex[c>>4], v4UpperHex[c&15])
		s = s[n+1:]
	}
	return dst
}

// v4AppendCanonicalURI appends the canonical URI of u.
//
// By default it is the escaped path (URL.EscapedPath, what goes on the wire)
// encoded a second time, which is what every AWS service but S3 expects
// (aws-sdk-go-v2 and botocore both do this). With single, the decoded path is
// encoded once instead (S3, and the raw paths of the public test suite).
func v4AppendCanonicalURI(dst []byte, u *url.URL, single, normalize bool) []byte {
	var p string
	switch {
	case u.Opaque != "":
		p = v4OpaquePath(u.Opaque)
	case single:
		p = u.Path
	case u.RawPath == "" && !normalize && u.Path != "" && v4PlainLen(u.Path, true) == len(u.Path):
		// The usual path, of unreserved bytes and '/' only, escapes to
		// itself both for the wire and again here: skip both scans.
		return append(dst, u.Path...)
	default:
		p = u.EscapedPath()
	}
	if normalize {
		p = v4RemoveDotSegments(p)
	}
	if p == "" {
		return append(dst, '/')
	}
	return v4AppendEscaped(dst, p, true)
}

// v4PlainLen returns the length of the prefix of s that v4AppendEscaped
// leaves as it is.
func v4PlainLen(s string, keepSlash bool) int {
	n := 0
	for n < len(s) && (v4Unreserved(s[n]) || keepSlash && s[n] == '/') {
		n++
	}
	return n
}

// v4OpaquePath extracts the path from an opaque URL ("//host/path"), the way
// aws-sdk-go-v2's GetURIPath does.
func v4OpaquePath(opaque string) string {
	if i := strings.IndexByte(opaque, '?'); i >= 0 {
		opaque = opaque[:i]
	}
	opaque = strings.TrimPrefix(opaque, "//")
	if i := strings.IndexByte(opaque, '/'); i >= 0 {
		return opaque[i:]
	}
	return ""
}

// v4RemoveDotSegments removes "." and ".." segments and empty segments
// (duplicate slashes), keeping a leading and a trailing slash. This is the
// normalisation of botocore's remove_dot_segments and of the test suite's
// "normalize" flag.
func v4RemoveDotSegments(p string) string {
	if p == "" {
		return ""
	}
	segs := make([]string, 0, strings.Count(p, "/")+1)
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(segs) > 0 {
				segs = segs[:len(segs)-1]
			}
		default:
			segs = append(segs, seg)
		}
	}
	var b strings.Builder
	b.Grow(len(p))
	if p[0] == '/' {
		b.WriteByte('/')
	}
	for i, seg := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(seg)
	}
	if p[len(p)-1] == '/' && len(segs) > 0 {
		b.WriteByte('/')
	}
	return b.String()
}

// v4AppendQueryComponent appends one query key or value, decoded the way
// url.ParseQuery decodes ('+' is a space, %XX a byte) and then AWS-encoded.
// A '%' that does not start a valid escape is taken literally rather than
// dropping the pair as url.ParseQuery would, so nothing the request carries
// goes unsigned.
func v4AppendQueryComponent(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			dst = append(dst, "%20"...)
		case c == '%' && i+2 < len(s) && v4IsHex(s[i+1]) && v4IsHex(s[i+2]):
			dst = v4AppendEscapedByte(dst, v4Unhex(s[i+1])<<4|v4Unhex(s[i+2]))
			i += 2
		default:
			dst = v4AppendEscapedByte(dst, c)
		}
	}
	return dst
}

func v4IsHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func v4Unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// v4QueryPair locates one encoded pair inside a scratch buffer.
type v4QueryPair struct{ k0, k1, v1 int32 } // key scratch[k0:k1], value scratch[k1:v1]

// v4AppendCanonicalQuery appends the canonical query string of rawQuery:
// every key and value decoded and AWS-encoded ("%20" for a space), pairs
// sorted by encoded key and then encoded value (the order AWS defines: after
// encoding), joined as k=v with '&'. Empty segments ("a&&b") are skipped as
// url.ParseQuery skips them; a key without '=' gets an empty value.
func v4AppendCanonicalQuery(dst []byte, rawQuery string) []byte {
	if rawQuery == "" {
		return dst
	}
	var scratchArr [512]byte
	var pairArr [16]v4QueryPair
	scratch, pairs := scratchArr[:0], pairArr[:0]
	sorted := true
	for seg := range strings.SplitSeq(rawQuery, "&") {
		if seg == "" {
			continue
		}
		key, value, _ := strings.Cut(seg, "=")
		p := v4QueryPair{k0: int32(len(scratch))}
		scratch = v4AppendQueryComponent(scratch, key)
		p.k1 = int32(len(scratch))
		scratch = v4AppendQueryComponent(scratch, value)
		p.v1 = int32(len(scratch))
		if len(pairs) > 0 && v4ComparePairs(scratch, pairs[len(pairs)-1], p) > 0 {
			sorted = false
		}
		pairs = append(pairs, p)
	}
	if !sorted {
		sortStable(pairs, func(a, b v4QueryPair) int { return v4ComparePairs(scratch, a, b) })
	}
	for i, p := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, scratch[p.k0:p.k1]...)
		dst = append(dst, '=')
		dst = append(dst, scratch[p.k1:p.v1]...)
	}
	return dst
}

func v4ComparePairs(scratch []byte, a, b v4QueryPair) int {
	if c := bytes.Compare(scratch[a.k0:a.k1], scratch[b.k0:b.k1]); c != 0 {
		return c
	}
	return bytes.Compare(scratch[a.k1:a.v1], scratch[b.k1:b.v1])
}

// v4AppendHeaderValue appends one header value canonicalised: leading and
// trailing spaces and tabs trimmed, inner runs of spaces collapsed to one
// (AWS's "Trimall"; aws-sdk-go-v2 collapses spaces only, as here).
//
// It copies whole runs between double spaces: most values have none and are
// copied in one append.
func v4AppendHeaderValue(dst []byte, v string) []byte {
	v = v4TrimSpaceTab(v)
	for {
		i := strings.Index(v, "  ")
		if i < 0 {
			return append(dst, v...)
		}
		dst = append(dst, v[:i+1]...)
		v = strings.TrimLeft(v[i:], " ") // v is trimmed, so a byte follows
	}
}

// v4TrimSpaceTab is strings.Trim(v, " \t") without building a cut set on
// every call.
func v4TrimSpaceTab(v string) string {
	for len(v) > 0 && (v[0] == ' ' || v[0] == '\t') {
		v = v[1:]
	}
	for len(v) > 0 && (v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		v = v[:len(v)-1]
	}
	return v
}

// v4AppendLower appends s in ASCII lower case. It copies first and then
// lowers in place, which is cheaper than appending byte by byte.
func v4AppendLower(dst []byte, s string) []byte {
	start := len(dst)
	dst = append(dst, s...)
	for i := start; i < len(dst); i++ {
		if c := dst[i]; 'A' <= c && c <= 'Z' {
			dst[i] = c + 'a' - 'A'
		}
	}
	return dst
}

// v4EqualFold reports whether a and b are equal ignoring ASCII case. Header
// names of different lengths, the usual neighbours, differ at once.
func v4EqualFold(a, b string) bool {
	return len(a) == len(b) && v4CompareFold(a, b) == 0
}

// v4CompareFold compares a and b as if both were in ASCII lower case.
func v4CompareFold(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		ca, cb := v4Lower(a[i]), v4Lower(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}

func v4Lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// v4HasPrefixFold reports whether s starts with the lower-case prefix,
// ignoring the case of s.
func v4HasPrefixFold(s, lowerPrefix string) bool {
	if len(s) < len(lowerPrefix) {
		return false
	}
	for i := 0; i < len(lowerPrefix); i++ {
		if v4Lower(s[i]) != lowerPrefix[i] {
			return false
		}
	}
	return true
}

// v4DefaultSigned is the default rule: host, content-type and x-amz-*.
// Content-Type is signed, as botocore does, so a proxy cannot change how the
// body is interpreted; aws-sdk-go-v2 signs it too.
func v4DefaultSigned(name string) bool {
	return len(name) == len("content-type") && v4HasPrefixFold(name, "content-type") ||
		v4HasPrefixFold(name, "x-amz-")
}

// v4Header is one header to sign: its map key and its values, or a single
// value in one when values is nil (the Host, which is not in the map; a
// slice of a local array would make that array escape to the heap).
type v4Header struct {
	name   string
	values []string
	one    string
}

// v4HostHeader returns the Host the request is sent with: req.Host, else the
// URL's host. It is signed verbatim, port included, because that is what
// net/http writes on the wire. (net/http sends a non-ASCII host in punycode;
// callers must pass the ASCII form for the signature to match.)
func v4HostHeader(req *http.Request) string {
	if req.Host != "" {
		return req.Host
	}
	if req.URL != nil {
		return req.URL.Host
	}
	return ""
}
