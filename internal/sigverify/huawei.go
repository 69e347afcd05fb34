package sigverify

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/detach-go/detach/signer"
)

// Errors returned by Huawei and OTC, wrapped with details; test
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

// The parts of an SDK-HMAC-SHA256 Authorization header and of X-Sdk-Date.
const (
	hwAlgorithm    = "SDK-HMAC-SHA256"
	otcScopeSuffix = "sdk_request"
	hwDateLayout   = "20060102T150405Z"
)

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
	return "sigverify.HuaweiIdentity{AccessKey:" + id.AccessKey +
		" SecurityToken:" + signer.Redact(id.SecurityToken) +
		" ProjectID:" + id.ProjectID +
		" DomainID:" + id.DomainID +
		" Time:" + id.Time.UTC().Format(time.RFC3339) + "}"
}

// String returns the identity with the security token redacted.
func (id HuaweiIdentity) String() string { return id.redactedString() }

// GoString returns the identity with the security token redacted.
func (id HuaweiIdentity) GoString() string { return id.redactedString() }

// Format writes the redacted rendering for every verb.
func (id HuaweiIdentity) Format(f fmt.State, verb rune) {
	signer.FormatRedacted(f, verb, id.redactedString())
}

// LogValue renders the identity for log/slog with the security token redacted.
func (id HuaweiIdentity) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key", id.AccessKey),
		slog.String("security_token", signer.Redact(id.SecurityToken)),
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
	}{id.AccessKey, signer.Redact(id.SecurityToken), id.ProjectID, id.DomainID, id.Time})
}

// Huawei checks a request signed in the Huawei v3 SDK flavour (see
// [signer.SignHuawei]), as the API gateway would, and returns who signed
// it. The signature is computed again by [signer.SignHuaweiWithOptions] on a
// copy of the request carrying only the headers that the Authorization
// header declares in SignedHeaders, signed as declared, so requests signed
// by the official SDK (which signs User-Agent and not host) verify too.
// "host" is taken from req.Host. SignedHeaders must be sorted lower-case
// names without duplicates, as both SDKs write it, and include x-sdk-date.
//
// payloadSHA256 is the lowercase hex SHA-256 of the body the server received
// ("" for an empty body). secretFor returns the secret key of an access key.
// The request time must be within maxSkew of now (maxSkew <= 0: 15 minutes).
// Errors wrap ErrHWMalformed, ErrHWUnknownAccessKey, ErrHWSignatureMismatch
// or ErrHWExpired, checked in that order, so ErrHWExpired means the
// signature itself was valid. Signatures are compared in constant time.
func Huawei(req *http.Request, payloadSHA256 string, secretFor func(ak string) (string, bool), now time.Time, maxSkew time.Duration) (HuaweiIdentity, error) {
	return hwVerify(req, payloadSHA256, secretFor, now, maxSkew, false)
}

// OTC checks a request signed in the gophertelekomcloud flavour (see
// [signer.SignOTC]): Authorization "SDK-HMAC-SHA256 Credential=<AK>/<yyyymmdd>/<region>/<service>/sdk_request, ...".
// Region and service are taken from the credential scope (SignOTC leaves
// them empty) and the scope's day must be X-Sdk-Date's. Otherwise it behaves
// as Huawei. X-Project-Id, X-Domain-Id and X-Security-Token are reported in
// the identity even though this flavour leaves them unsigned.
func OTC(req *http.Request, payloadSHA256 string, secretFor func(ak string) (string, bool), now time.Time, maxSkew time.Duration) (HuaweiIdentity, error) {
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
		return p, fmt.Errorf("sigverify: authorization header does not start with %q: %w", hwAlgorithm, ErrHWMalformed)
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
			return p, fmt.Errorf("sigverify: authorization header has an unknown parameter %.64q: %w", k, ErrHWMalformed)
		}
		if *dst != "" || val == "" {
			return p, fmt.Errorf("sigverify: authorization parameter %s is empty or repeated: %w", k, ErrHWMalformed)
		}
		*dst = val
	}
	if p.signedHeaders == "" || p.signature == "" {
		return p, fmt.Errorf("sigverify: authorization header lacks SignedHeaders or Signature: %w", ErrHWMalformed)
	}
	return p, nil
}

// otcParseCredential splits "<AK>/<yyyymmdd>/<region>/<service>/sdk_request".
func otcParseCredential(c string) (ak, day, region, service string, err error) {
	parts := strings.Split(c, "/")
	if len(parts) != 5 || parts[0] == "" || len(parts[1]) != 8 || parts[4] != otcScopeSuffix {
		return "", "", "", "", fmt.Errorf("sigverify: credential is not <AK>/<yyyymmdd>/<region>/<service>/sdk_request: %w", ErrHWMalformed)
	}
	return parts[0], parts[1], parts[2], parts[3], nil
}

// hwDeclaredCopy returns a request to sign again: req's method, URL and
// host, and only the headers of list, so that the signer signs exactly
// those. Every declared header must be in the request, x-sdk-date among
// them, and the list sorted and free of duplicates.
func hwDeclaredCopy(req *http.Request, list string) (*http.Request, error) {
	u := *req.URL
	signed := &http.Request{Method: req.Method, URL: &u, Host: req.Host, Header: make(http.Header)}
	hasDate, prev := false, ""
	for name := range strings.SplitSeq(list, ";") {
		if strings.ToLower(name) != name {
			return nil, fmt.Errorf("sigverify: signed header name %.64q is not lower-case: %w", name, ErrHWMalformed)
		}
		if prev != "" && name <= prev {
			return nil, fmt.Errorf("sigverify: SignedHeaders is not sorted or repeats %.64q: %w", name, ErrHWMalformed)
		}
		prev = name
		if name == "host" {
			continue // the signer signs req.Host, else the URL's host
		}
		vals := hwHeaderValues(req.Header, name)
		if len(vals) == 0 {
			return nil, fmt.Errorf("sigverify: signed header %.64q is not in the request: %w", name, ErrHWMalformed)
		}
		hasDate = hasDate || name == "x-sdk-date"
		signed.Header[textproto.CanonicalMIMEHeaderKey(name)] = vals
	}
	if !hasDate {
		return nil, fmt.Errorf("sigverify: x-sdk-date is not among the signed headers: %w", ErrHWMalformed)
	}
	return signed, nil
}

func hwVerify(req *http.Request, payloadSHA256 string, secretFor func(string) (string, bool), now time.Time, maxSkew time.Duration, otc bool) (HuaweiIdentity, error) {
	if req == nil || req.URL == nil {
		return HuaweiIdentity{}, errors.New("sigverify: request or its URL is nil")
	}
	if secretFor == nil {
		return HuaweiIdentity{}, errors.New("sigverify: secretFor is nil")
	}
	if payloadSHA256 != "" && !hwLowerHex(payloadSHA256) {
		return HuaweiIdentity{}, errors.New("sigverify: payload hash must be 64 lowercase hex digits")
	}
	authz := hwHeaderValues(req.Header, "authorization")
	if len(authz) != 1 {
		return HuaweiIdentity{}, fmt.Errorf("sigverify: request needs exactly one authorization header: %w", ErrHWMalformed)
	}
	p, err := hwParseAuthorization(authz[0])
	if err != nil {
		return HuaweiIdentity{}, err
	}
	sig, err := hex.DecodeString(p.signature)
	if err != nil || len(sig) != 32 {
		return HuaweiIdentity{}, fmt.Errorf("sigverify: signature is not 64 hex digits: %w", ErrHWMalformed)
	}
	dates := hwHeaderValues(req.Header, "x-sdk-date")
	if len(dates) != 1 {
		return HuaweiIdentity{}, fmt.Errorf("sigverify: request needs exactly one X-Sdk-Date header: %w", ErrHWMalformed)
	}
	date := dates[0]
	t, err := time.Parse(hwDateLayout, date)
	if err != nil || t.Format(hwDateLayout) != date {
		return HuaweiIdentity{}, fmt.Errorf("sigverify: X-Sdk-Date %.64q is not in the form 20060102T150405Z: %w", date, ErrHWMalformed)
	}

	ak := p.access
	var region, service string
	if otc {
		if p.access != "" || p.credential == "" {
			return HuaweiIdentity{}, fmt.Errorf("sigverify: OTC authorization needs Credential, not Access: %w", ErrHWMalformed)
		}
		var day string
		if ak, day, region, service, err = otcParseCredential(p.credential); err != nil {
			return HuaweiIdentity{}, err
		}
		if day != date[:8] {
			return HuaweiIdentity{}, fmt.Errorf("sigverify: credential day %q is not the day of X-Sdk-Date: %w", day, ErrHWMalformed)
		}
	} else if p.access == "" || p.credential != "" {
		return HuaweiIdentity{}, fmt.Errorf("sigverify: authorization needs Access, not Credential: %w", ErrHWMalformed)
	}
	signed, err := hwDeclaredCopy(req, p.signedHeaders)
	if err != nil {
		return HuaweiIdentity{}, err
	}

	sk, ok := secretFor(ak)
	if !ok {
		return HuaweiIdentity{}, fmt.Errorf("sigverify: access key %.64q: %w", ak, ErrHWUnknownAccessKey)
	}
	// The Huawei flavour sets X-Security-Token from the credentials (and
	// removes it without one), so a declared token must come back through
	// them; the other headers it sets from credentials are left unset here and
	// keep the request's values. The OTC flavour sets them after signing.
	creds := signer.HuaweiCredentials{AccessKey: ak, SecretKey: sk}
	if !otc {
		creds.SecurityToken = signed.Header.Get("X-Security-Token")
	}
	opts := signer.HuaweiOptions{OTC: otc, SignHeader: declaredSet(p.signedHeaders), Region: region, Service: service}
	if err := signer.SignHuaweiWithOptions(signed, payloadSHA256, creds, t, opts); err != nil {
		// The signer names what it refused, never a secret.
		return HuaweiIdentity{}, fmt.Errorf("%w: %w", err, ErrHWMalformed)
	}
	if !sameSignature(signed.Header.Get("Authorization"), sig) {
		return HuaweiIdentity{}, fmt.Errorf("sigverify: access key %.64q: %w", ak, ErrHWSignatureMismatch)
	}

	if maxSkew <= 0 {
		maxSkew = hwDefaultMaxSkew
	}
	if d := now.Sub(t); d > maxSkew || d < -maxSkew {
		return HuaweiIdentity{}, fmt.Errorf("sigverify: X-Sdk-Date %s is %s from now, more than %s: %w", date, d.Round(time.Second), maxSkew, ErrHWExpired)
	}
	return HuaweiIdentity{
		AccessKey:     ak,
		SecurityToken: hwFirst(req.Header, "x-security-token"),
		ProjectID:     hwFirst(req.Header, "x-project-id"),
		DomainID:      hwFirst(req.Header, "x-domain-id"),
		Time:          t,
	}, nil
}

// hwLowerHex reports whether s is a lowercase hex SHA-256, the form both
// SDKs put in the canonical request.
func hwLowerHex(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32 && strings.ToLower(s) == s
}

func hwFirst(h http.Header, lname string) string {
	if v := hwHeaderValues(h, lname); len(v) > 0 {
		return v[0]
	}
	return ""
}

// hwHeaderValues returns the values of header lname (lower case), looking
// first under its canonical key and then case-insensitively, so a verifier
// finds headers however a test or proxy spelled them.
func hwHeaderValues(h http.Header, lname string) []string {
	if v, ok := h[textproto.CanonicalMIMEHeaderKey(lname)]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, lname) {
			return v
		}
	}
	return nil
}
