package sdkcompare

import (
	"flag"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

// The flags are the only package-level state: go test has no other way to
// take per-run parameters. Each defaults to its environment variable so CI
// can vary the seed without changing the command line.
var (
	flagSeed  = flag.Uint64("seed", envUint("SDKCOMPARE_SEED", 20250102), "seed of the generated signer cases")
	flagCases = flag.Int("cases", int(envUint("SDKCOMPARE_CASES", 10000)), "signer cases compared per SDK")
)

func envUint(name string, def uint64) uint64 {
	if v, err := strconv.ParseUint(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}

// caseGen produces random but reproducible request parts. Every comparison
// draws from its own stream, so changing one generator does not shift the
// cases of another.
type caseGen struct{ r *rand.Rand }

func newCaseGen(seed, stream uint64) *caseGen {
	return &caseGen{r: rand.New(rand.NewPCG(seed, stream))}
}

func (g *caseGen) intn(n int) int        { return g.r.IntN(n) }
func (g *caseGen) chance(p float64) bool { return g.r.Float64() < p }

func pick[T any](g *caseGen, xs ...T) T { return xs[g.r.IntN(len(xs))] }

// urlPart is a piece of a URL as written on the wire (raw) and as the
// server decodes it (decoded).
type urlPart struct{ raw, decoded string }

const (
	unreservedChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
	alnumChars      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	base64Chars     = alnumChars + "+/"
)

// unicodeSamples are multi-byte strings for paths, queries and header
// values: accents, CJK, an emoji, a combining mark, and unicode spaces
// (NBSP, NEL, LINE SEPARATOR) that trimming functions treat differently.
var unicodeSamples = []string{"ü", "é", "ሴ", "日本", "😀", "€", "\u0301", "\u00a0", "\u0085", "\u2028", "Ω≈ç"}

func (g *caseGen) word(chars string, minLen, maxLen int) string {
	n := minLen + g.intn(maxLen-minLen+1)
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[g.intn(len(chars))]
	}
	return string(b)
}

// escapeByte writes %XX with upper- or lower-case hex: both decode the same,
// and a canonicaliser must not care which one the request used.
func (g *caseGen) escapeByte(b *strings.Builder, c byte) {
	const upper, lower = "0123456789ABCDEF", "0123456789abcdef"
	digits := upper
	if g.chance(0.3) {
		digits = lower
	}
	b.WriteByte('%')
	b.WriteByte(digits[c>>4])
	b.WriteByte(digits[c&15])
}

// path returns a raw request path and its decoded form. Segments mix
// unreserved words, literal and escaped unicode, escapes of arbitrary bytes
// (%2F escaped slashes, %25, %00, %FF), sub-delimiters, spaces and other
// characters Go sends literally, "." and ".." segments and empty segments.
// A raw path never holds '?', '#' or a '%' that does not start an escape:
// those would not be part of the path at all.
func (g *caseGen) path() urlPart {
	switch g.intn(16) {
	case 0:
		return urlPart{}
	case 1:
		return urlPart{"/", "/"}
	}
	var raw, dec strings.Builder
	for range 1 + g.intn(5) {
		raw.WriteByte('/')
		dec.WriteByte('/')
		g.pathSegment(&raw, &dec)
	}
	if g.chance(0.2) {
		raw.WriteByte('/')
		dec.WriteByte('/')
	}
	return urlPart{raw.String(), dec.String()}
}

func (g *caseGen) pathSegment(raw, dec *strings.Builder) {
	switch g.intn(14) {
	case 0: // empty segment: a doubled slash
		return
	case 1:
		s := pick(g, ".", "..")
		raw.WriteString(s)
		dec.WriteString(s)
		return
	}
	for range 1 + g.intn(4) {
		switch g.intn(8) {
		case 0, 1:
			s := g.word(unreservedChars, 1, 8)
			raw.WriteString(s)
			dec.WriteString(s)
		case 2: // unicode written literally
			s := pick(g, unicodeSamples...)
			raw.WriteString(s)
			dec.WriteString(s)
		case 3: // unicode percent-encoded
			s := pick(g, unicodeSamples...)
			for i := 0; i < len(s); i++ {
				g.escapeByte(raw, s[i])
			}
			dec.WriteString(s)
		case 4: // any byte escaped, with a bias to the interesting ones
			c := byte(g.intn(256))
			if g.chance(0.5) {
				c = pick(g, byte('/'), '%', ' ', '?', '#', '+', 0, 0xff, '=', '&')
			}
			g.escapeByte(raw, c)
			dec.WriteByte(c)
		case 5:
			s := string(pick(g, []byte("!$&'()*+,;=:@")...))
			raw.WriteString(s)
			dec.WriteString(s)
		case 6:
			s := pick(g, " ", "  ", "<", ">", "[", "]", "{", "}", "|", "\\", "^", "`", "\"")
			raw.WriteString(s)
			dec.WriteString(s)
		case 7: // a byte that is not UTF-8, written literally
			c := string([]byte{byte(0x80 + g.intn(0x80))})
			raw.WriteString(c)
			dec.WriteString(c)
		}
	}
}

// kv is one decoded query pair.
type kv struct{ k, v string }

// query returns a raw query string (without '?') and its decoded pairs in
// order. Keys repeat, values are often empty (written "k=" or just "k"),
// empty segments ("&&") appear, and every character is written in one of
// the forms a client may use: literally where that is unambiguous, '+' for a
// space, or %XX in either case. It never writes a literal ';' or a malformed
// '%' escape: url.ParseQuery rejects those pairs (see README.md).
func (g *caseGen) query() (raw string, pairs []kv) {
	if g.chance(0.35) {
		return "", nil
	}
	var b strings.Builder
	n := 1 + g.intn(6)
	for i := range n {
		if i > 0 || g.chance(0.05) {
			b.WriteByte('&')
		}
		if g.chance(0.08) {
			b.WriteByte('&')
		}
		var p kv
		if len(pairs) > 0 && g.chance(0.3) {
			p.k = pairs[g.intn(len(pairs))].k
		} else if !g.chance(0.04) {
			p.k = g.queryText()
		}
		if !g.chance(0.25) {
			p.v = g.queryText()
		}
		start := b.Len()
		g.writeQueryComponent(&b, p.k)
		if p.v != "" || g.chance(0.6) {
			b.WriteByte('=')
			g.writeQueryComponent(&b, p.v)
		}
		// An empty segment carries no pair: url.ParseQuery skips it.
		if b.Len() > start {
			pairs = append(pairs, p)
		}
	}
	if g.chance(0.05) {
		b.WriteByte('&')
	}
	return b.String(), pairs
}

// queryText is a decoded key or value.
func (g *caseGen) queryText() string {
	var b strings.Builder
	for range 1 + g.intn(4) {
		switch g.intn(6) {
		case 0, 1:
			b.WriteString(g.word(unreservedChars, 1, 6))
		case 2:
			b.WriteString(pick(g, unicodeSamples...))
		case 3:
			b.WriteString(pick(g, " ", "+", "&", "=", ";", "%", "#", "/", "?", ":", "@", "!", "*", "'", "(", ")", ",", "$", "[", "]"))
		case 4:
			b.WriteByte(byte(g.intn(256)))
		case 5:
			b.WriteString(pick(g, "a", "A", "b", "B", "_", "-", "~", ".", "0", "Z"))
		}
	}
	return b.String()
}

// writeQueryComponent writes decoded text s in a randomly chosen but valid
// raw form.
func (g *caseGen) writeQueryComponent(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' && g.chance(0.5):
			b.WriteByte('+')
		case c < 0x20 || c == 0x7f || strings.IndexByte("&=#%+; ", c) >= 0:
			g.escapeByte(b, c)
		case g.chance(0.4):
			g.escapeByte(b, c)
		default:
			b.WriteByte(c)
		}
	}
}

// hostAndScheme returns a scheme and a host with an optional port. The
// port is never the scheme's default: aws-sdk-go-v2 strips a default port
// from the Host it signs, while detach signs the Host net/http sends (see
// README.md).
func (g *caseGen) hostAndScheme() (scheme, host string) {
	scheme = pick(g, "https", "http")
	host = pick(g,
		"route53profiles.us-east-1.amazonaws.com",
		"profile.eu-central-1.amazonaws.com",
		"dns.ap-southeast-1.myhuaweicloud.com",
		"identitycenter.myhuaweicloud.com",
		"dns.eu-de.otc.t-systems.com",
		"localhost", "127.0.0.1", "[::1]",
		"Example.COM",
		g.word("abcdefghijklmnopqrstuvwxyz0123456789-", 1, 12)+".example.org",
	)
	if g.chance(0.3) {
		host += ":" + strconv.Itoa(pick(g, 8080, 8443, 9000, 1, 65535))
	}
	return scheme, host
}

func (g *caseGen) method() string {
	return pick(g, "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "delete", "Post", "PROPFIND")
}

// body returns nil, an empty body or random bytes (JSON-looking or not).
func (g *caseGen) body() []byte {
	switch g.intn(4) {
	case 0:
		return nil
	case 1:
		return []byte{}
	case 2:
		return []byte(`{"ProfileId":"` + g.word(alnumChars, 1, 20) + `","Note":"` + pick(g, unicodeSamples...) + `"}`)
	default:
		b := make([]byte, 1+g.intn(200))
		for i := range b {
			b[i] = byte(g.intn(256))
		}
		return b
	}
}

// signingTime is a random instant between 1990 and 2099, with nanoseconds,
// in a random location: the signers must use its UTC form.
func (g *caseGen) signingTime() time.Time {
	lo := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	t := time.Unix(lo+g.r.Int64N(hi-lo), g.r.Int64N(1e9))
	return t.In(pick(g, time.UTC, time.FixedZone("IST", 5*3600+1800), time.FixedZone("PST", -8*3600), time.FixedZone("X", 14*3600)))
}

// headerValue returns a header value with odd spacing: leading and trailing
// spaces and tabs, inner runs of spaces, inner tabs, commas, quotes, unicode
// (unicode spaces only inside when edgeUnicode is false) and bytes that are
// not UTF-8. It never holds CR, LF or other control characters, which no
// client can send.
func (g *caseGen) headerValue(edgeUnicode bool) string {
	var b strings.Builder
	edge := func() {
		for range g.intn(3) {
			b.WriteByte(pick(g, byte(' '), '\t'))
		}
	}
	edge()
	n := g.intn(5)
	for i := range n {
		if i == 0 || i == n-1 || g.chance(0.5) {
			switch {
			case edgeUnicode && g.chance(0.15):
				b.WriteString(pick(g, "\u00a0", "\u0085", "\u2028", "\u3000"))
			case g.chance(0.15):
				b.WriteString(pick(g, "ü", "日本", "😀", "€"))
			default:
				b.WriteString(g.word(alnumChars+"-_.~/=+;:,\"'()!*", 1, 10))
			}
			continue
		}
		switch g.intn(6) {
		case 0:
			b.WriteString(pick(g, " ", "  ", "   ", "    "))
		case 1:
			b.WriteString(pick(g, "\t", " \t ", "\t\t"))
		case 2:
			b.WriteString(pick(g, ",", ", ", " ,  "))
		case 3:
			b.WriteString(pick(g, unicodeSamples...))
		case 4:
			b.WriteByte(byte(0x80 + g.intn(0x80)))
		default:
			b.WriteString(g.word(alnumChars, 1, 5))
		}
	}
	edge()
	return b.String()
}

// caseVariant spells a header name in canonical form, all lower, all upper
// or mixed case.
func (g *caseGen) caseVariant(name string) string {
	switch g.intn(4) {
	case 0:
		return strings.ToLower(name)
	case 1:
		return strings.ToUpper(name)
	case 2:
		b := []byte(name)
		for i, c := range b {
			if g.chance(0.5) {
				b[i] = byte(strings.ToUpper(string(c))[0])
			} else {
				b[i] = byte(strings.ToLower(string(c))[0])
			}
		}
		return string(b)
	default:
		return name
	}
}
