package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// An independent, deliberately plain re-implementation of both signing
// flavours, written from huawei.md §1.1 and §4 with strings, sort and
// crypto/hmac. It shares no code with the signer; the tests compare the two.

const refUnreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"

func refEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(refUnreserved, s[i]) >= 0 {
			b.WriteByte(s[i])
		} else {
			fmt.Fprintf(&b, "%%%02X", s[i])
		}
	}
	return b.String()
}

// refURI splits the path on "/", escapes each segment, joins, and adds a
// trailing slash (the Huawei v3 SDK's canonicalURI).
func refURI(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = refEscape(s)
	}
	u := strings.Join(segs, "/")
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// refQuery sorts keys and each key's values (Huawei v3 SDK).
func refQuery(raw string) string {
	q, err := url.ParseQuery(raw)
	if err != nil {
		panic(err)
	}
	var keys []string
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		vs := append([]string(nil), q[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			pairs = append(pairs, refEscape(k)+"="+refEscape(v))
		}
	}
	return strings.Join(pairs, "&")
}

// refOTCQuery: keys escaped, sorted case-insensitively, first value only
// (gophertelekomcloud encodeQueryString).
func refOTCQuery(raw string) string {
	q, err := url.ParseQuery(raw)
	if err != nil {
		panic(err)
	}
	type kv struct{ k, v string }
	var pairs []kv
	for k, vs := range q {
		pairs = append(pairs, kv{refEscape(k), vs[0]})
	}
	sort.Slice(pairs, func(i, j int) bool { return strings.ToLower(pairs[i].k) < strings.ToLower(pairs[j].k) })
	var out []string
	for _, p := range pairs {
		out = append(out, p.k+"="+refEscape(p.v))
	}
	return strings.Join(out, "&")
}

func refHex256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func refHMAC(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// refCanonical builds the canonical request from literal header lines
// ("name:value", already in order).
func refCanonical(method, uri, query string, headerLines []string, payloadHash string) (cr, signed string) {
	var names []string
	for _, l := range headerLines {
		names = append(names, l[:strings.IndexByte(l, ':')])
	}
	signed = strings.Join(names, ";")
	cr = fmt.Sprintf("%s\n%s\n%s\n%s\n\n%s\n%s", method, uri, query, strings.Join(headerLines, "\n"), signed, payloadHash)
	return cr, signed
}

// refHuaweiAuthorization returns the Authorization value of the Huawei v3
// flavour.
func refHuaweiAuthorization(ak, sk, date, cr, signed string) string {
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + refHex256(cr)
	sig := hex.EncodeToString(refHMAC([]byte(sk), sts))
	return "SDK-HMAC-SHA256 Access=" + ak + ", SignedHeaders=" + signed + ", Signature=" + sig
}

// refOTCAuthorization returns the Authorization value of the
// gophertelekomcloud flavour with the given scope (its client leaves region
// and service empty).
func refOTCAuthorization(ak, sk, date, region, service, cr, signed string) string {
	day := date[:8]
	kDate := refHMAC([]byte("SDK"+sk), day)
	kRegion := refHMAC(kDate, region)
	kService := refHMAC(kRegion, service)
	kSigning := refHMAC(kService, "sdk_request")
	scope := day + "/" + region + "/" + service + "/sdk_request"
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + scope + "\n" + refHex256(cr)
	sig := hex.EncodeToString(refHMAC(kSigning, sts))
	return "SDK-HMAC-SHA256 Credential=" + ak + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + sig
}
