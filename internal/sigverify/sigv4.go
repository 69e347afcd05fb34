package sigverify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/detach-go/detach/signer"
)

// Verification failures, distinguishable with errors.Is.
var (
	// ErrV4Malformed: the Authorization or X-Amz-Date header is missing or
	// not SigV4 (wrong algorithm, bad credential scope, unsorted
	// SignedHeaders, scope date not matching X-Amz-Date...).
	ErrV4Malformed = errors.New("malformed sigv4 authorization")
	// ErrV4UnknownAccessKey: secretFor does not know the access key id.
	ErrV4UnknownAccessKey = errors.New("unknown access key id")
	// ErrV4SignatureMismatch: the signature is not the one the request's
	// canonical form and the key's secret give.
	ErrV4SignatureMismatch = errors.New("sigv4 signature mismatch")
	// ErrV4Expired: X-Amz-Date is further than maxSkew from now.
	ErrV4Expired = errors.New("sigv4 request time outside allowed skew")
)

// v4DefaultMaxSkew is how far AWS lets X-Amz-Date drift from its clock.
const v4DefaultMaxSkew = 15 * time.Minute

// v4DateFormat is the layout of X-Amz-Date.
const v4DateFormat = "20060102T150405Z"

// V4Identity is who signed a request that SigV4 accepted. Every
// rendering (fmt, slog, JSON) redacts SessionToken.
type V4Identity struct {
	AccessKeyID  string
	SessionToken string // X-Amz-Security-Token, empty when absent
	Service      string // from the credential scope
	Region       string // from the credential scope
	Time         time.Time
}

// SigV4 checks the SigV4 Authorization header of req, as a server
// receives it, and returns who signed it.
//
// payloadSHA256 is the hex SHA-256 of the body the server read (or the
// UNSIGNED-PAYLOAD sentinel if the server allows it). secretFor returns the
// secret access key of an access key id. maxSkew is how far X-Amz-Date may be
// from now; zero or less means AWS's 15 minutes.
//
// The signature is computed again by [signer.SignV4WithOptions], on a copy
// of the request that carries only the headers the request declares in
// SignedHeaders (host must be among them), signed as declared, with the
// path escaped twice as every AWS service but S3 expects, so requests signed
// by aws-sdk-go-v2 and botocore verify as well as SignV4's. If that does not
// match, the path with dot segments and duplicate slashes removed
// (botocore's form) is tried too. Signatures are compared in constant time.
//
// Errors wrap ErrV4Malformed, ErrV4UnknownAccessKey, ErrV4Expired or
// ErrV4SignatureMismatch, and never contain a secret or a signature.
func SigV4(req *http.Request, payloadSHA256 string, secretFor func(accessKeyID string) (string, bool), now time.Time, maxSkew time.Duration) (V4Identity, error) {
	if req == nil || req.URL == nil {
		return V4Identity{}, fmt.Errorf("sigv4 verify: %w: request or its URL is nil", ErrV4Malformed)
	}
	if secretFor == nil {
		return V4Identity{}, errors.New("sigv4 verify: secretFor is nil")
	}
	auth, err := v4ParseAuthorization(req.Header.Get("Authorization"))
	if err != nil {
		return V4Identity{}, err
	}
	amzDate := req.Header.Get("X-Amz-Date")
	t, err := time.Parse(v4DateFormat, amzDate)
	if err != nil || t.Format(v4DateFormat) != amzDate {
		return V4Identity{}, fmt.Errorf("sigv4 verify: %w: X-Amz-Date is missing or not YYYYMMDDTHHMMSSZ", ErrV4Malformed)
	}
	if auth.scope.date != amzDate[:8] {
		return V4Identity{}, fmt.Errorf("sigv4 verify: %w: credential scope date %s does not match X-Amz-Date %s",
			ErrV4Malformed, auth.scope.date, amzDate)
	}
	id := V4Identity{
		AccessKeyID:  auth.accessKeyID,
		SessionToken: req.Header.Get("X-Amz-Security-Token"),
		Service:      auth.scope.service,
		Region:       auth.scope.region,
		Time:         t,
	}
	secret, ok := secretFor(auth.accessKeyID)
	if !ok {
		return V4Identity{}, fmt.Errorf("sigv4 verify: %w %q", ErrV4UnknownAccessKey, auth.accessKeyID)
	}
	if maxSkew <= 0 {
		maxSkew = v4DefaultMaxSkew
	}
	if d := now.Sub(t); d > maxSkew || d < -maxSkew {
		return V4Identity{}, fmt.Errorf("sigv4 verify: %w: X-Amz-Date %s is %s from the server time %s (allowed %s)",
			ErrV4Expired, amzDate, d.Round(time.Second), now.UTC().Format(v4DateFormat), maxSkew)
	}

	creds := signer.AWSCredentials{AccessKeyID: auth.accessKeyID, SecretAccessKey: secret, SessionToken: id.SessionToken}
	// Signing again overwrites what the signer sets, so one copy serves both.
	signed := v4DeclaredCopy(req, auth.signedHeaders)
	for _, normalize := range []bool{false, true} {
		opts := signer.V4Options{SignHeader: declaredSet(auth.signedHeaders), NormalizePath: normalize}
		if err := signer.SignV4WithOptions(signed, payloadSHA256, creds, auth.scope.service, auth.scope.region, t, opts); err != nil {
			// The signer names the argument it refused, never a secret.
			return V4Identity{}, fmt.Errorf("sigv4 verify: %w: %v", ErrV4Malformed, err)
		}
		if sameSignature(signed.Header.Get("Authorization"), auth.signature[:]) {
			return id, nil
		}
	}
	return V4Identity{}, fmt.Errorf("sigv4 verify: %w for access key id %q (signed headers %s)",
		ErrV4SignatureMismatch, auth.accessKeyID, auth.signedHeaders)
}

// v4Authorization is a parsed Authorization header.
type v4Authorization struct {
	accessKeyID   string
	scope         v4Scope
	signedHeaders string
	signature     [sha256.Size]byte
}

// v4ParseAuthorization parses
// "AWS4-HMAC-SHA256 Credential=AK/date/region/service/aws4_request,
// SignedHeaders=a;b, Signature=hex", tolerating spacing around commas.
func v4ParseAuthorization(h string) (v4Authorization, error) {
	var a v4Authorization
	malformed := func(why string) (v4Authorization, error) {
		return v4Authorization{}, fmt.Errorf("sigv4 verify: %w: %s", ErrV4Malformed, why)
	}
	if h == "" {
		return malformed("Authorization header is missing")
	}
	alg, rest, ok := strings.Cut(h, " ")
	if !ok || alg != "AWS4-HMAC-SHA256" {
		return malformed("Authorization is not AWS4-HMAC-SHA256")
	}
	var cred, sig string
	var haveCred, haveSH, haveSig bool
	for field := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(field), "=")
		if !ok {
			return malformed("Authorization has a field without '='")
		}
		var seen *bool
		switch k {
		case "Credential":
			cred, seen = v, &haveCred
		case "SignedHeaders":
			a.signedHeaders, seen = v, &haveSH
		case "Signature":
			sig, seen = v, &haveSig
		default:
			return malformed("Authorization has an unknown field " + strconv.Quote(k))
		}
		if *seen {
			return malformed("Authorization repeats " + k)
		}
		*seen = true
	}
	if !haveCred || !haveSH || !haveSig {
		return malformed("Authorization needs Credential, SignedHeaders and Signature")
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[0] == "" || len(parts[1]) != 8 || parts[2] == "" || parts[3] == "" || parts[4] != "aws4_request" {
		return malformed("Credential must be access-key-id/YYYYMMDD/region/service/aws4_request")
	}
	a.accessKeyID = parts[0]
	a.scope = v4Scope{date: parts[1], region: parts[2], service: parts[3]}
	if len(sig) != 2*sha256.Size {
		return malformed("Signature must be 64 hex digits")
	}
	if _, err := hex.Decode(a.signature[:], []byte(sig)); err != nil {
		return malformed("Signature must be 64 hex digits")
	}
	if err := v4CheckSignedHeaders(a.signedHeaders); err != nil {
		return malformed(err.Error())
	}
	return a, nil
}

// v4CheckSignedHeaders requires a sorted, duplicate-free list of lower-case
// names that includes host, as AWS does.
func v4CheckSignedHeaders(list string) error {
	prev, host := "", false
	for name := range strings.SplitSeq(list, ";") {
		if name == "" {
			return errors.New("SignedHeaders has an empty name")
		}
		for i := 0; i < len(name); i++ {
			if c := name[i]; 'A' <= c && c <= 'Z' || c <= ' ' || c >= 0x7f || c == ':' {
				return errors.New("SignedHeaders names must be lower-case header names")
			}
		}
		if prev != "" && name <= prev {
			return errors.New("SignedHeaders must be sorted without duplicates")
		}
		host = host || name == "host"
		prev = name
	}
	if !host {
		return errors.New("SignedHeaders must include host")
	}
	return nil
}

// v4Scope is the credential scope of an Authorization header.
type v4Scope struct{ date, region, service string }

// v4DeclaredCopy returns a request to sign again: req's method, URL and
// host, and only the headers of list, so that the signer signs exactly
// those. A declared header the request lacks is given an empty value, which
// signs as "name:", what the client's canonical request had for it.
func v4DeclaredCopy(req *http.Request, list string) *http.Request {
	u := *req.URL
	signed := &http.Request{Method: req.Method, URL: &u, Host: req.Host, Header: make(http.Header)}
	for name := range strings.SplitSeq(list, ";") {
		if name == "host" {
			continue // the signer signs req.Host, else the URL's host
		}
		values := req.Header.Values(name)
		// A client-side request keeps its length in ContentLength, not in
		// Header; aws-sdk-go-v2 signs it when positive.
		if len(values) == 0 && name == "content-length" && req.ContentLength > 0 {
			values = []string{strconv.FormatInt(req.ContentLength, 10)}
		}
		if len(values) == 0 {
			values = []string{""}
		}
		signed.Header[http.CanonicalHeaderKey(name)] = values
	}
	return signed
}

// String renders the identity with the session token redacted.
func (id V4Identity) String() string {
	return "{AccessKeyID:" + id.AccessKeyID + " SessionToken:" + signer.Redact(id.SessionToken) +
		" Service:" + id.Service + " Region:" + id.Region + " Time:" + id.Time.UTC().Format(time.RFC3339) + "}"
}

// GoString renders the identity as Go syntax with the session token redacted.
func (id V4Identity) GoString() string {
	return "sigverify.V4Identity{AccessKeyID:" + strconv.Quote(id.AccessKeyID) +
		", SessionToken:" + strconv.Quote(signer.Redact(id.SessionToken)) +
		", Service:" + strconv.Quote(id.Service) + ", Region:" + strconv.Quote(id.Region) +
		", Time:" + strconv.Quote(id.Time.UTC().Format(time.RFC3339)) + "}"
}

// Format implements fmt.Formatter so that no verb prints the session token.
func (id V4Identity) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		signer.FormatRedacted(f, verb, id.GoString())
		return
	}
	signer.FormatRedacted(f, verb, id.String())
}

// LogValue implements slog.LogValuer with the session token redacted.
func (id V4Identity) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("access_key_id", id.AccessKeyID),
		slog.String("session_token", signer.Redact(id.SessionToken)),
		slog.String("service", id.Service),
		slog.String("region", id.Region),
		slog.Time("time", id.Time),
	)
}

// MarshalJSON encodes the identity with the session token redacted.
func (id V4Identity) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		AccessKeyID  string    `json:"AccessKeyID"`
		SessionToken string    `json:"SessionToken,omitempty"`
		Service      string    `json:"Service"`
		Region       string    `json:"Region"`
		Time         time.Time `json:"Time"`
	}{id.AccessKeyID, signer.Redact(id.SessionToken), id.Service, id.Region, id.Time})
}
