package signer

import (
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Errors returned by VerifyHuawei and VerifyOTC, wrapped with details; test
// with errors.Is.
var (
	// ErrHWMalformed: the Authorization or X-Sdk-Date header is missing or
	// not in the expected form, or a declared signed header is absent.
	ErrHWMalformed = errors.New("malformed huawei signed request")
	// ErrHWUnknownAccessKey: secretFor does not know the access key.
	ErrHWUnknownAccessKey = errors.New("unknown huawei access key")
	// ErrHWSignatureMismatch: the signature does not match the request.
	ErrHWSignatureMismatch = errors.New("huawei signature does not match")
	// ErrHWExpired: the signature is valid but X-Sdk-Date is further from
	// now than the allowed skew.
	ErrHWExpired = errors.New("huawei request time is outside the allowed skew")
)

// hwDefaultMaxSkew applies when the caller passes maxSkew <= 0. Huawei does
// not document the gateway's limit; 15 minutes is SigV4's.
const hwDefaultMaxSkew = 15 * time.Minute

// HuaweiIdentity is who signed a verified request and what it asked for.
// SecurityToken is never rendered by fmt, slog or encoding/json.
type HuaweiIdentity struct {
	AccessKey     string
	SecurityToken string    // X-Security-Token, if sent
	ProjectID     string    // X-Project-Id, if sent
	DomainID      string    // X-Domain-Id, if sent
	Time          time.Time // X-Sdk-Date
}

func (id HuaweiIdentity) redactedString() string {
	return "signer.HuaweiIdentity{AccessKey:" + id.AccessKey +
		" SecurityToken:" + mask(id.SecurityToken) +
		" ProjectID:" + id.ProjectID +
		" DomainID:" + id.DomainID +
		" Time:" + id.Time.UTC().Format(time.RFC3339) + "}"
}

// String returns the identity with the security token redacted.
func (id HuaweiIdentity) String() string { return id.redactedString() }

// GoString returns the identity with the security token redacted.
func (id HuaweiIdentity) GoString() string { return id.redactedString() }

// Format writes the redacted rendering for every verb.
func (id HuaweiIdentity) Format(f fmt.State, verb rune) { formatSafe(f, verb, id.redactedString()) }

// LogValue renders the identity for log/slog with the security token redacted.
func (id HuaweiIdentity) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key", id.AccessKey),
		slog.String("security_token", mask(id.SecurityToken)),
		slog.String("project_id", id.ProjectID),
		slog.String("domain_id", id.DomainID),
		slog.Time("time", id.Time),
	)
}

// MarshalJSON encodes the identity with the security token redacted.
func (id HuaweiIdentity) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		AccessKey     string
		SecurityToken string
		ProjectID     string
		DomainID      string
		Time          time.Time
	}{id.AccessKey, mask(id.SecurityToken), id.ProjectID, id.DomainID, id.Time})
}

// VerifyHuawei checks a request signed in the Huawei v3 SDK flavour (see
// SignHuawei), as the API gateway would: it recomputes the signature over
// the headers the Authorization header declares in SignedHeaders, in the
// declared order, so requests signed by the official SDK (which signs
// User-Agent and not host) verify too. "host" is taken from req.Host.
//
// payloadSHA256 is the lowercase hex SHA-256 of the body the server received
// ("" for an empty body). secretFor returns the secret key of an access key.
// The request time must be within maxSkew of now (maxSkew <= 0: 15 minutes).
// SignedHeaders must include x-sdk-date. Errors wrap ErrHWMalformed,
// ErrHWUnknownAccessKey, ErrHWSignatureMismatch or ErrHWExpired, checked in
// that order, so ErrHWExpired means the signature itself was valid.
func VerifyHuawei(req *http.Request, payloadSHA256 string, secretFor func(ak string) (string, bool), now time.Time, maxSkew time.Duration) (HuaweiIdentity, error) {
	return hwVerify(req, payloadSHA256, secretFor, now, maxSkew, false)
}

// VerifyOTC checks a request signed in the gophertelekomcloud flavour (see
// SignOTC): Authorization "SDK-HMAC-SHA256 Credential=<AK>/<yyyymmdd>/<region>/<service>/sdk_request, ...".
// Region and service are taken from the credential scope (SignOTC leaves
// them empty) and the scope's day must be X-Sdk-Date's. Otherwise it behaves
// as VerifyHuawei. X-Project-Id, X-Domain-Id and X-Security-Token are
// reported in the identity even though this flavour leaves them unsigned.
func VerifyOTC(req *http.Request, payloadSHA256 string, secretFor func(ak string) (string, bool), now time.Time, maxSkew time.Duration) (HuaweiIdentity, error) {
	return hwVerify(req, payloadSHA256, secretFor, now, maxSkew, true)
}

// hwAuthParams are the parameters of an SDK-HMAC-SHA256 Authorization header.
type hwAuthParams struct {
	access, credential, signedHeaders, signature string
}

// hwParseAuthorization parses "SDK-HMAC-SHA256 K=V, K=V, ...". It never puts
// the signature into an error.
func hwParseAuthorization(v string) (hwAuthParams, error) {
	var p hwAuthParams
	rest, ok := strings.CutPrefix(v, hwAlgorithm+" ")
	if !ok {
		return p, fmt.Errorf("signer: authorization header does not start with %q: %w", hwAlgorithm, ErrHWMalformed)
	}
	for part := range strings.SplitSeq(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		var dst *string
		switch k {
		case "Access":
			dst = &p.access
		case "Credential":
			dst = &p.credential
		case "SignedHeaders":
			dst = &p.signedHeaders
		case "Signature":
			dst = &p.signature
		}
		if !ok || dst == nil {
			return p, fmt.Errorf("signer: authorization header has an unknown parameter %q: %w", hwTruncate(k), ErrHWMalformed)
		}
		if *dst != "" || val == "" {
			return p, fmt.Errorf("signer: authorization parameter %s is empty or repeated: %w", k, ErrHWMalformed)
		}
		*dst = val
	}
	if p.signedHeaders == "" || p.signature == "" {
		return p, fmt.Errorf("signer: authorization header lacks SignedHeaders or Signature: %w", ErrHWMalformed)
	}
	return p, nil
}

// otcParseCredential splits "<AK>/<yyyymmdd>/<region>/<service>/sdk_request".
func otcParseCredential(c string) (ak, day, region, service string, err error) {
	parts := strings.Split(c, "/")
	if len(parts) != 5 || parts[0] == "" || len(parts[1]) != 8 || parts[4] != otcScopeSuffix {
		return "", "", "", "", fmt.Errorf("signer: credential is not <AK>/<yyyymmdd>/<region>/<service>/sdk_request: %w", ErrHWMalformed)
	}
	return parts[0], parts[1], parts[2], parts[3], nil
}

// hwDeclaredHeaders resolves the declared SignedHeaders against the request.
func hwDeclaredHeaders(req *http.Request, list string) ([]hwHeader, error) {
	var hs []hwHeader
	hasDate := false
	for name := range strings.SplitSeq(list, ";") {
		if !hwIsToken(name) || strings.ToLower(name) != name {
			return nil, fmt.Errorf("signer: signed header name %q is not a lower-case HTTP token: %w", hwTruncate(name), ErrHWMalformed)
		}
		if name == "host" {
			host, err := hwRequestHost(req)
			if err != nil {
				return nil, fmt.Errorf("%w: %w", err, ErrHWMalformed)
			}
			hs = append(hs, hwHeader{name: name, one: host})
			continue
		}
		vals := hwHeaderValues(req.Header, name)
		if len(vals) == 0 {
			return nil, fmt.Errorf("signer: signed header %q is not in the request: %w", name, ErrHWMalformed)
		}
		hasDate = hasDate || name == "x-sdk-date"
		hs = append(hs, hwHeader{name: name, vals: vals})
	}
	if !hasDate {
		return nil, fmt.Errorf("signer: x-sdk-date is not among the signed headers: %w", ErrHWMalformed)
	}
	return hs, nil
}

func hwVerify(req *http.Request, payloadSHA256 string, secretFor func(string) (string, bool), now time.Time, maxSkew time.Duration, otc bool) (HuaweiIdentity, error) {
	if req == nil || req.URL == nil {
		return HuaweiIdentity{}, errors.New("signer: request or its URL is nil")
	}
	if secretFor == nil {
		return HuaweiIdentity{}, errors.New("signer: secretFor is nil")
	}
	payload, err := hwPayloadHash(payloadSHA256)
	if err != nil {
		return HuaweiIdentity{}, err
	}
	authz := hwHeaderValues(req.Header, "authorization")
	if len(authz) != 1 {
		return HuaweiIdentity{}, fmt.Errorf("signer: request needs exactly one authorization header: %w", ErrHWMalformed)
	}
	p, err := hwParseAuthorization(authz[0])
	if err != nil {
		return HuaweiIdentity{}, err
	}
	sig, err := hex.DecodeString(p.signature)
	if err != nil || len(sig) != 32 {
		return HuaweiIdentity{}, fmt.Errorf("signer: signature is not 64 hex digits: %w", ErrHWMalformed)
	}
	dates := hwHeaderValues(req.Header, "x-sdk-date")
	if len(dates) != 1 {
		return HuaweiIdentity{}, fmt.Errorf("signer: request needs exactly one X-Sdk-Date header: %w", ErrHWMalformed)
	}
	date := dates[0]
	t, err := time.Parse(hwDateLayout, date)
	if err != nil {
		return HuaweiIdentity{}, fmt.Errorf("signer: X-Sdk-Date %q is not in the form 20060102T150405Z: %w", hwTruncate(date), ErrHWMalformed)
	}

	ak := p.access
	var region, service string
	if otc {
		if p.access != "" || p.credential == "" {
			return HuaweiIdentity{}, fmt.Errorf("signer: OTC authorization needs Credential, not Access: %w", ErrHWMalformed)
		}
		var day string
		if ak, day, region, service, err = otcParseCredential(p.credential); err != nil {
			return HuaweiIdentity{}, err
		}
		if day != date[:8] {
			return HuaweiIdentity{}, fmt.Errorf("signer: credential day %q is not the day of X-Sdk-Date: %w", day, ErrHWMalformed)
		}
	} else if p.access == "" || p.credential != "" {
		return HuaweiIdentity{}, fmt.Errorf("signer: authorization needs Access, not Credential: %w", ErrHWMalformed)
	}
	hs, err := hwDeclaredHeaders(req, p.signedHeaders)
	if err != nil {
		return HuaweiIdentity{}, err
	}

	sk, ok := secretFor(ak)
	if !ok {
		return HuaweiIdentity{}, fmt.Errorf("signer: access key %q: %w", hwTruncate(ak), ErrHWUnknownAccessKey)
	}
	var want [32]byte
	if otc {
		cr, err := otcAppendCanonicalRequest(nil, req, hs, payload)
		if err != nil {
			return HuaweiIdentity{}, fmt.Errorf("%w: %w", err, ErrHWMalformed)
		}
		want = otcSignature(sk, []byte(date), region, service, cr)
	} else {
		cr := append([]byte(req.Method), '\n')
		cr = hwAppendCanonicalURI(cr, req.URL.Path, false)
		cr = append(cr, '\n')
		if cr, err = hwAppendCanonicalQuery(cr, req.URL.RawQuery); err != nil {
			return HuaweiIdentity{}, fmt.Errorf("%w: %w", err, ErrHWMalformed)
		}
		cr = hwAppendCanonicalTail(cr, hs, false, payload)
		want = hwSignatureHuawei(sk, []byte(date), cr)
	}
	if !hmac.Equal(sig, want[:]) {
		return HuaweiIdentity{}, fmt.Errorf("signer: access key %q: %w", hwTruncate(ak), ErrHWSignatureMismatch)
	}

	if maxSkew <= 0 {
		maxSkew = hwDefaultMaxSkew
	}
	if d := now.Sub(t); d > maxSkew || d < -maxSkew {
		return HuaweiIdentity{}, fmt.Errorf("signer: X-Sdk-Date %s is %s from now, more than %s: %w", date, d.Round(time.Second), maxSkew, ErrHWExpired)
	}
	return HuaweiIdentity{
		AccessKey:     ak,
		SecurityToken: hwFirst(req.Header, "x-security-token"),
		ProjectID:     hwFirst(req.Header, "x-project-id"),
		DomainID:      hwFirst(req.Header, "x-domain-id"),
		Time:          t,
	}, nil
}

func hwFirst(h http.Header, lname string) string {
	if v := hwHeaderValues(h, lname); len(v) > 0 {
		return v[0]
	}
	return ""
}
