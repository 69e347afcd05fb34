package signer

import (
	"crypto/sha256"
	"net/http"
	"time"
)

// otcScopeSuffix ends the credential scope "<yyyymmdd>/<region>/<service>/sdk_request".
const otcScopeSuffix = "sdk_request"

// SignOTC signs req with the SDK-HMAC-SHA256 flavour that gophertelekomcloud
// uses for Open Telekom Cloud (signer_helper.go Sign, called from
// provider_client.go Request), and sets X-Sdk-Date and Authorization:
//
//	SDK-HMAC-SHA256 Credential=<AK>/<yyyymmdd>///sdk_request, SignedHeaders=<h;...>, Signature=<hex>
//
// It differs from SignHuawei in four ways, all as that SDK does:
//
//   - the key is derived: kDate = HMAC("SDK"+SK, yyyymmdd), then HMAC with the
//     region, the service and "sdk_request"; the SDK passes neither region nor
//     service, so both are empty and the scope is "<yyyymmdd>///sdk_request";
//   - the string to sign has the scope as its third line;
//   - every header present is signed (Content-Type, Accept, User-Agent
//     included), plus host from req.Host or req.URL.Host, with each value
//     being the header's first value with runs of white space collapsed to
//     one space; query keys are sorted case-insensitively and only a key's
//     first value is signed;
//   - X-Project-Id, X-Domain-Id and X-Security-Token are set from creds after
//     signing, so they are not signed (the gateway does not require it).
//
// As in SignHuawei, the canonical path is req.URL.Path percent-encoded with
// "/" kept and a trailing "/" added, and payloadSHA256 is the lowercase hex
// SHA-256 of the exact body ("" for an empty body). Differences from the
// SDK: an Authorization header already present is replaced, not signed; a
// Host entry in req.Header is ignored (net/http does not send it); and the
// SDK's special case for a POST with a nil body (query hashed as the payload)
// is not reproduced, since our POSTs always carry a body.
func SignOTC(req *http.Request, payloadSHA256 string, creds HuaweiCredentials, t time.Time) error {
	return otcSign(req, payloadSHA256, creds, t, &HuaweiOptions{OTC: true})
}

// otcSign is SignOTC with the signed headers and credential scope of opts.
func otcSign(req *http.Request, payloadSHA256 string, creds HuaweiCredentials, t time.Time, opts *HuaweiOptions) error {
	payload, host, err := hwPrepare(req, payloadSHA256, creds)
	if err != nil {
		return err
	}
	h := req.Header
	delete(h, hwHeaderAuth)
	// Values that are set after signing must not be signed from a previous
	// attempt's headers.
	if creds.SecurityToken != "" {
		delete(h, hwHeaderToken)
	}
	if creds.ProjectID != "" {
		delete(h, hwHeaderProject)
	}
	if creds.DomainID != "" {
		delete(h, hwHeaderDomain)
	}
	var dateBuf [len(hwDateLayout)]byte
	date := hwAppendDate(dateBuf[:0], t)
	h[hwHeaderDate] = []string{string(date)}

	var hsBuf [16]hwHeader
	hs, err := hwCollect(hsBuf[:0], h, host, true, opts.SignHeader)
	if err != nil {
		return err
	}
	var crBuf [1024]byte
	cr, err := otcAppendCanonicalRequest(crBuf[:0], req, hs, payload)
	if err != nil {
		return err
	}
	sig := otcSignature(creds.SecretKey, date, opts.Region, opts.Service, cr)

	var authBuf [512]byte
	auth := append(authBuf[:0], hwAlgorithm+" Credential="...)
	auth = append(auth, creds.AccessKey...)
	auth = append(auth, '/')
	auth = otcAppendScope(auth, date, opts.Region, opts.Service)
	auth = append(auth, ", SignedHeaders="...)
	auth = hwAppendSignedHeaders(auth, hs)
	auth = append(auth, ", Signature="...)
	auth = hwAppendHex(auth, sig[:])
	h[hwHeaderAuth] = []string{string(auth)}

	// gophertelekomcloud sends X-Project-Id only when no domain ID is
	// configured; here each is sent when set, as in SignHuawei, so leave
	// ProjectID empty to reproduce that.
	if creds.ProjectID != "" {
		h[hwHeaderProject] = []string{creds.ProjectID}
	}
	if creds.DomainID != "" {
		h[hwHeaderDomain] = []string{creds.DomainID}
	}
	if creds.SecurityToken != "" {
		h[hwHeaderToken] = []string{creds.SecurityToken}
	}
	return nil
}

// otcAppendCanonicalRequest appends the OTC flavour's canonical request for
// the given signed headers (in the order given).
func otcAppendCanonicalRequest(dst []byte, req *http.Request, hs []hwHeader, payload string) ([]byte, error) {
	dst = append(dst, req.Method...)
	dst = append(dst, '\n')
	dst = hwAppendCanonicalURI(dst, req.URL.Path, true)
	dst = append(dst, '\n')
	dst, err := otcAppendCanonicalQuery(dst, req.URL.RawQuery)
	if err != nil {
		return dst, err
	}
	return hwAppendCanonicalTail(dst, hs, true, payload), nil
}

// otcAppendCanonicalQuery appends gophertelekomcloud's canonical query
// (encodeQueryString): keys escaped, then sorted case-insensitively; each
// key signed once with its first value.
func otcAppendCanonicalQuery(dst []byte, rawQuery string) ([]byte, error) {
	if rawQuery == "" {
		return dst, nil
	}
	q, err := hwParseQuery(rawQuery)
	if err != nil {
		return dst, err
	}
	// The pairs are hwHeaders (name: the escaped key, one: the raw value)
	// so that the headers' instance of sortStable sorts them too: another
	// element type would compile it again, 2 KB more of every binary.
	pairs := make([]hwHeader, 0, len(q))
	for k, vs := range q {
		pairs = append(pairs, hwHeader{name: string(hwAppendEscaped(nil, k, false)), one: vs[0]})
	}
	sortStable(pairs, func(a, b hwHeader) int { return hwCompareFold(a.name, b.name) })
	for i, p := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.name...)
		dst = append(dst, '=')
		dst = hwAppendEscaped(dst, p.one, false)
	}
	return dst, nil
}

// otcAppendScope appends "<yyyymmdd>/<region>/<service>/sdk_request"; date
// is the X-Sdk-Date value, whose first eight bytes are the day.
func otcAppendScope(dst, date []byte, region, service string) []byte {
	dst = append(dst, date[:8]...)
	dst = append(dst, '/')
	dst = append(dst, region...)
	dst = append(dst, '/')
	dst = append(dst, service...)
	dst = append(dst, '/')
	return append(dst, otcScopeSuffix...)
}

// otcSignature derives the signing key and signs the string to sign
// "SDK-HMAC-SHA256\n<X-Sdk-Date>\n<scope>\n<hex sha256(canonical request)>".
func otcSignature(secretKey string, date []byte, region, service string, canonicalRequest []byte) [sha256.Size]byte {
	var keyBuf [64]byte
	k := append(keyBuf[:0], "SDK"...)
	k = append(k, secretKey...)
	kDate := hwHMAC(k, date[:8])
	kRegion := hwHMAC(kDate[:], []byte(region))
	kService := hwHMAC(kRegion[:], []byte(service))
	kSigning := hwHMAC(kService[:], []byte(otcScopeSuffix))

	crSum := sha256.Sum256(canonicalRequest)
	var stsBuf [192]byte
	sts := append(stsBuf[:0], hwAlgorithm+"\n"...)
	sts = append(sts, date...)
	sts = append(sts, '\n')
	sts = otcAppendScope(sts, date, region, service)
	sts = append(sts, '\n')
	sts = hwAppendHex(sts, crSum[:])
	return hwHMAC(kSigning[:], sts)
}
