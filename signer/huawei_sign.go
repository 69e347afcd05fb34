package signer

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SignHuawei signs req for the Huawei Cloud API gateway (APIG) with
// SDK-HMAC-SHA256, computed as huaweicloud-sdk-go-v3 does
// (core/auth/signer/signer.go), and sets the headers that carry it:
//
//   - X-Sdk-Date: t in UTC, "20060102T150405Z";
//   - X-Security-Token, X-Project-Id, X-Domain-Id from creds when non-empty,
//     set before signing so that they are signed, as the SDK does;
//   - Authorization: "SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h;...>, Signature=<hex>".
//
// payloadSHA256 is the lowercase hex SHA-256 of the exact body bytes sent
// ("" means an empty body). The canonical request is
// METHOD, URI, query, headers, signed headers and payload hash, one per line:
//
//   - URI: req.URL.Path (decoded) with each segment percent-encoded (only
//     A-Z a-z 0-9 - _ . ~ literal, other bytes %XX uppercase) and a trailing
//     "/" added;
//   - query: keys sorted, each key's values sorted, both encoded the same
//     way, "k=v" joined by "&";
//   - signed headers: "host" (req.Host, else req.URL.Host) and every header in
//     req.Header, lower-cased and sorted, except Authorization, names starting
//     with "content-type", names containing "_" (the SDK's exclusions), and
//     User-Agent, and except headers with no value. One line per header:
//     "name:" + the trimmed value, several values joined with ",".
//
// Two deliberate differences from the Go SDK, both within what the gateway
// accepts (it verifies whatever SignedHeaders the client declares): host is
// signed, as Huawei's API signing guide recommends and the Node.js SDK does;
// User-Agent is not, because proxies rewrite it (AWS's SigV4 signer leaves it
// out for the same reason). Content-Type stays unsigned as in the SDK.
//
// Signing a request twice is safe: every header it sets is overwritten. The
// signature is hex(HMAC-SHA256(SK, "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" +
// hex(SHA-256(canonical request)))); no key derivation and no scope.
func SignHuawei(req *http.Request, payloadSHA256 string, creds HuaweiCredentials, t time.Time) error {
	return hwSign(req, payloadSHA256, creds, t, nil)
}

// HuaweiOptions changes what SignHuaweiWithOptions signs. The zero value
// signs as SignHuawei.
type HuaweiOptions struct {
	// OTC selects the flavour of SignOTC (gophertelekomcloud's) instead of
	// SignHuawei's (huaweicloud-sdk-go-v3's).
	OTC bool

	// SignHeader reports whether a header, given by its lower-case name, is
	// signed; it is asked "host" for the host (req.Host, else req.URL.Host).
	// Nil: the flavour's own choice, as SignHuawei and SignOTC describe.
	// Authorization and a Host entry of req.Header are never signed. For
	// example, huaweicloud-sdk-go-v3 signs every header present but those
	// starting with content-type and those with '_' in their name, User-Agent
	// included, and host only when the request's header map has it.
	SignHeader func(lowerName string) bool

	// Region and Service go into the OTC flavour's credential scope
	// "<yyyymmdd>/<region>/<service>/sdk_request" and key derivation, as the
	// RegionName and ServiceName of gophertelekomcloud's SignOptions do. Its
	// client sets neither, nor does SignOTC: empty is what the gateway
	// expects. The Huawei flavour has no scope and ignores them.
	Region, Service string
}

// SignHuaweiWithOptions is SignHuawei, or SignOTC when opts.OTC is set, with
// the signed headers (and OTC's credential scope) that opts choose. Region
// and Service must not contain '/', ',', '=', spaces or control characters,
// which would break the Authorization header.
func SignHuaweiWithOptions(req *http.Request, payloadSHA256 string, creds HuaweiCredentials, t time.Time, opts HuaweiOptions) error {
	if opts.OTC {
		if !v4ScopeToken(opts.Region) || !v4ScopeToken(opts.Service) {
			return errors.New("signer: OTC region and service must not contain '/', ',', '=', spaces or control characters")
		}
		return otcSign(req, payloadSHA256, creds, t, &opts)
	}
	return hwSign(req, payloadSHA256, creds, t, opts.SignHeader)
}

// hwSign is SignHuawei with an optional choice of signed headers.
func hwSign(req *http.Request, payloadSHA256 string, creds HuaweiCredentials, t time.Time, signHeader func(string) bool) error {
	payload, host, err := hwPrepare(req, payloadSHA256, creds)
	if err != nil {
		return err
	}
	h := req.Header
	var dateBuf [len(hwDateLayout)]byte
	date := hwAppendDate(dateBuf[:0], t)
	// One backing array, of the exact size, for the values set here; each
	// slice is capped so an append by someone else cannot overwrite its
	// neighbour. vals[0] is the date, whose string is made below before any
	// value is read; the last is Authorization.
	n := 2
	for _, v := range [...]string{creds.SecurityToken, creds.ProjectID, creds.DomainID} {
		if v != "" {
			n++
		}
	}
	vals := make([]string, n)
	h[hwHeaderDate] = vals[0:1:1]
	k := 1
	if creds.SecurityToken != "" {
		vals[k] = creds.SecurityToken
		h[hwHeaderToken] = vals[k : k+1 : k+1]
		k++
	} else {
		// Signing again with permanent keys: a token left from temporary
		// ones would be signed and rejected.
		delete(h, hwHeaderToken)
	}
	if creds.ProjectID != "" {
		vals[k] = creds.ProjectID
		h[hwHeaderProject] = vals[k : k+1 : k+1]
		k++
	}
	if creds.DomainID != "" {
		vals[k] = creds.DomainID
		h[hwHeaderDomain] = vals[k : k+1 : k+1]
	}

	var hsBuf [16]hwHeader
	hs, err := hwCollect(hsBuf[:0], h, host, false, signHeader)
	if err != nil {
		return err
	}
	var shBuf [256]byte
	signed := hwAppendSignedHeaders(shBuf[:0], hs)

	// X-Sdk-Date and Authorization share one allocation: a strings.Builder
	// sized for both. A string it returned stays valid as it is written on,
	// so the date can be taken first and the Authorization value after.
	const (
		akPrefix  = hwAlgorithm + " Access="
		shPrefix  = ", SignedHeaders="
		sigPrefix = ", Signature="
	)
	var out strings.Builder
	out.Grow(len(date) + len(akPrefix) + len(creds.AccessKey) + len(shPrefix) + len(signed) +
		len(sigPrefix) + 2*sha256.Size)
	out.Write(date)
	vals[0] = out.String()

	var crBuf [1024]byte
	cr := append(crBuf[:0], req.Method...)
	cr = append(cr, '\n')
	cr = hwAppendCanonicalURI(cr, req.URL.Path, false)
	cr = append(cr, '\n')
	if cr, err = hwAppendCanonicalQuery(cr, req.URL.RawQuery); err != nil {
		return err
	}
	cr = hwAppendCanonicalTail(cr, hs, false, payload)

	sig := hwSignatureHuawei(creds.SecretKey, date, cr)

	var authBuf [512]byte
	auth := append(authBuf[:0], akPrefix...)
	auth = append(auth, creds.AccessKey...)
	auth = append(auth, shPrefix...)
	auth = append(auth, signed...)
	auth = append(auth, sigPrefix...)
	auth = hwAppendHex(auth, sig[:])
	out.Write(auth)
	vals[n-1] = out.String()[len(date):]
	h[hwHeaderAuth] = vals[n-1 : n : n]
	return nil
}

// hwSignatureHuawei computes HMAC-SHA256(SK, string to sign) for the Huawei
// v3 flavour: the raw SK is the key.
func hwSignatureHuawei(secretKey string, date, canonicalRequest []byte) [sha256.Size]byte {
	crSum := sha256.Sum256(canonicalRequest)
	var stsBuf [128]byte
	sts := append(stsBuf[:0], hwAlgorithm+"\n"...)
	sts = append(sts, date...)
	sts = append(sts, '\n')
	sts = hwAppendHex(sts, crSum[:])
	var keyBuf [64]byte
	key := append(keyBuf[:0], secretKey...)
	return hwHMAC(key, sts)
}

// hwPrepare performs the checks common to both signers and makes sure
// req.Header exists.
func hwPrepare(req *http.Request, payloadSHA256 string, creds HuaweiCredentials) (payload, host string, err error) {
	if req == nil || req.URL == nil {
		return "", "", errors.New("signer: request or its URL is nil")
	}
	if err := hwCheckCredentials(creds); err != nil {
		return "", "", err
	}
	if payload, err = hwPayloadHash(payloadSHA256); err != nil {
		return "", "", err
	}
	if host, err = hwRequestHost(req); err != nil {
		return "", "", err
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	return payload, host, nil
}

// hwSigned reports whether header name of req.Header is signed: never
// Authorization, which carries the result, nor a Host entry in the map
// (net/http ignores it when sending; host is signed from req.Host instead);
// then as signHeader says, when given; else every header in the OTC flavour,
// and in the Huawei flavour all but the SDK's exclusions (names starting
// with content-type, names containing '_') and User-Agent (see SignHuawei).
func hwSigned(name string, otc bool, signHeader func(string) bool) bool {
	switch {
	case strings.EqualFold(name, "authorization") || strings.EqualFold(name, "host"):
		return false
	case signHeader != nil:
		return signHeader(strings.ToLower(name))
	case otc:
		return true
	}
	return !hwHasPrefixFold(name, "content-type") &&
		strings.IndexByte(name, '_') < 0 &&
		!strings.EqualFold(name, "user-agent")
}

// hwCollect appends host and the headers of h that the flavour signs (see
// hwSigned), sorted case-insensitively, as both SDKs sort them.
func hwCollect(dst []hwHeader, h http.Header, host string, otc bool, signHeader func(string) bool) ([]hwHeader, error) {
	if signHeader == nil || signHeader("host") {
		dst = append(dst, hwHeader{name: "host", one: host})
	}
	for name, vals := range h {
		if len(vals) == 0 || !hwSigned(name, otc, signHeader) {
			continue
		}
		if !hwIsToken(name) {
			return nil, fmt.Errorf("signer: header name %q is not a valid HTTP token", hwTruncate(name))
		}
		dst = append(dst, hwHeader{name: name, vals: vals})
	}
	if err := hwSortHeaders(dst); err != nil {
		return nil, err
	}
	return dst, nil
}
