package signer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// V4Options changes how SignV4WithOptions builds the canonical request. The
// zero value is what AWS's JSON and REST services (everything but S3) expect.
type V4Options struct {
	// SignHeader reports whether a header, given by its lower-case name, is
	// signed. Nil signs host, content-type and every x-amz-* header present.
	// Host is always signed.
	SignHeader func(lowerName string) bool

	// SingleEscapePath builds the canonical URI from the decoded path
	// escaped once (S3, and requests written with raw paths such as the
	// public SigV4 test suite's) instead of the escaped path escaped again.
	SingleEscapePath bool

	// NormalizePath removes "." and ".." segments and duplicate slashes from
	// the path before escaping it (the test suite's "normalize" flag and
	// botocore's behaviour). aws-sdk-go-v2 does not normalise.
	NormalizePath bool
}

// v4DateFormat is the layout of X-Amz-Date.
const v4DateFormat = "20060102T150405Z"

// SignV4 signs req with AWS Signature Version 4 for service (the signing
// name, such as "route53profiles") in region, at time t, with the default
// [V4Options].
//
// payloadSHA256 is the lower-case hex SHA-256 of the exact body bytes
// (e3b0c442…b855 for no body) or "UNSIGNED-PAYLOAD"; SignV4 never reads the
// body. It sets X-Amz-Date, sets X-Amz-Security-Token when creds has a session
// token (and removes a stale one when it has none), and sets Authorization;
// no other header is changed, so signing the same request again (a retry)
// replaces the previous signature cleanly. The Host signed is req.Host, else
// req.URL.Host, exactly as net/http will send it.
//
// Errors name the invalid argument and never contain a secret.
func SignV4(req *http.Request, payloadSHA256 string, creds AWSCredentials, service, region string, t time.Time) error {
	return v4Sign(req, payloadSHA256, creds, service, region, t, &V4Options{}, nil)
}

// SignV4WithOptions is [SignV4] with explicit canonicalisation options.
func SignV4WithOptions(req *http.Request, payloadSHA256 string, creds AWSCredentials, service, region string, t time.Time, opts V4Options) error {
	return v4Sign(req, payloadSHA256, creds, service, region, t, &opts, nil)
}

// SigV4 authorizes requests to an AWS service: for each attempt it retrieves
// credentials from Credentials and signs with [SignV4]. It satisfies
// transport.Authorizer. The zero value is not usable; set all three fields.
//
// It keeps the day's derived signing key, as aws-sdk-go-v2's signer does,
// which halves the cost of a signature; so a SigV4 must not be copied after
// first use (go vet says so).
type SigV4 struct {
	Credentials AWSCredentialsProvider
	Service     string // signing name, e.g. "route53profiles" or "profile"
	Region      string // e.g. "us-east-1"

	keys v4KeyCache
}

// Authorize signs req at now. Credential errors wrap the provider's error
// (errors.Is(err, ErrNoCredentials) when none were found); expired
// credentials also wrap ErrNoCredentials. Errors never contain secrets.
func (s *SigV4) Authorize(ctx context.Context, req *http.Request, payloadSHA256 string, now time.Time) error {
	if s == nil || s.Credentials == nil {
		return fmt.Errorf("sigv4: no credentials provider configured: %w", ErrNoCredentials)
	}
	if err := checkContext(ctx); err != nil {
		return err
	}
	creds, err := s.Credentials.RetrieveAWS(ctx)
	if err != nil {
		return fmt.Errorf("sigv4: %w", err)
	}
	if creds.Expired(now) {
		return fmt.Errorf("sigv4: credentials from %s expired at %s: %w",
			creds.sourceName(), creds.Expires.UTC().Format(time.RFC3339), ErrNoCredentials)
	}
	return v4SignCached(req, payloadSHA256, creds, s.Service, s.Region, now, &V4Options{}, nil, &s.keys)
}

// v4Sign is SignV4WithOptions; trace, when not nil, receives the canonical
// request and the string to sign.
func v4Sign(req *http.Request, payloadSHA256 string, creds AWSCredentials, service, region string, t time.Time, opts *V4Options, trace *v4Trace) error {
	return v4SignCached(req, payloadSHA256, creds, service, region, t, opts, trace, nil)
}

// v4SignCached is v4Sign with an optional cache of the derived signing key.
func v4SignCached(req *http.Request, payloadSHA256 string, creds AWSCredentials, service, region string, t time.Time, opts *V4Options, trace *v4Trace, keys *v4KeyCache) error {
	if err := v4CheckSignInput(req, payloadSHA256, creds, service, region, keys); err != nil {
		return err
	}
	host := v4HostHeader(req)
	if host == "" {
		return errors.New("sigv4: request has no host (set req.Host or req.URL.Host)")
	}

	var dateArr [len(v4DateFormat)]byte
	date, ok := v4AppendAmzDate(dateArr[:0], t)
	if !ok {
		return fmt.Errorf("sigv4: signing time year %d is outside 0000-9999", t.UTC().Year())
	}
	h := req.Header
	if h == nil {
		h = make(http.Header, 3)
		req.Header = h
	}
	delete(h, "Authorization")
	// One backing array for the three values; each slice is capped so an
	// append by someone else cannot overwrite its neighbour. The date's
	// string is made below and put in vals[0] before any value is read.
	vals := make([]string, 3)
	h["X-Amz-Date"] = vals[0:1:1]
	if creds.SessionToken != "" {
		vals[1] = creds.SessionToken
		h["X-Amz-Security-Token"] = vals[1:2:2]
	} else {
		delete(h, "X-Amz-Security-Token")
	}

	var hdrArr [16]v4Header
	hdrs := append(hdrArr[:0], v4Header{name: "host", one: host})
	for k, vs := range h {
		if len(vs) == 0 || len(k) == len("host") && v4HasPrefixFold(k, "host") {
			continue
		}
		if opts.SignHeader == nil {
			if !v4DefaultSigned(k) {
				continue
			}
		} else if !opts.SignHeader(strings.ToLower(k)) {
			continue
		}
		hdrs = append(hdrs, v4Header{name: k, values: vs})
	}
	sortStable(hdrs, func(a, b v4Header) int {
		if c := v4CompareFold(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})

	var shArr [256]byte
	signed := v4AppendSignedHeaders(shArr[:0], hdrs)

	// X-Amz-Date and Authorization share one allocation: a strings.Builder
	// sized for both. A string it returned stays valid as it is written on,
	// so the date can be taken first and the Authorization value after.
	const (
		credPrefix = "AWS4-HMAC-SHA256 Credential="
		shPrefix   = ", SignedHeaders="
		sigPrefix  = ", Signature="
	)
	var out strings.Builder
	out.Grow(len(date) + len(credPrefix) + len(creds.AccessKeyID) + 1 + v4ScopeLen(region, service) +
		len(shPrefix) + len(signed) + len(sigPrefix) + 2*sha256.Size)
	out.Write(date)
	amzDate := out.String()
	vals[0] = amzDate

	var bufArr [1024]byte
	buf := bufArr[:0]
	buf = v4AppendRequestLines(buf, req, opts.SingleEscapePath, opts.NormalizePath)
	buf = v4AppendHeaderLines(buf, hdrs)
	buf = append(buf, '\n')
	buf = append(buf, signed...)
	buf = append(buf, '\n')
	buf = append(buf, payloadSHA256...)

	scope := v4Scope{date: amzDate[:8], region: region, service: service}
	var sig [sha256.Size]byte
	if keys != nil {
		key := keys.key(&creds, scope)
		sig = v4SignWithKey(buf, amzDate, scope, &key, trace)
	} else {
		sig = v4Signature(buf, amzDate, scope, creds.SecretAccessKey, trace)
	}

	var authArr [512]byte
	auth := append(authArr[:0], credPrefix...)
	auth = append(auth, creds.AccessKeyID...)
	auth = append(auth, '/')
	auth = v4AppendScope(auth, scope)
	auth = append(auth, shPrefix...)
	auth = append(auth, signed...)
	auth = append(auth, sigPrefix...)
	auth = hex.AppendEncode(auth, sig[:])
	out.Write(auth)
	vals[2] = out.String()[len(date):]
	h["Authorization"] = vals[2:3:3]
	return nil
}

// v4ScopeLen is the length of what v4AppendScope appends.
func v4ScopeLen(region, service string) int {
	return len("yyyymmdd/") + len(region) + 1 + len(service) + len("/aws4_request")
}

// v4AppendRequestLines appends the method, canonical URI and canonical query
// lines of the canonical request.
func v4AppendRequestLines(dst []byte, req *http.Request, single, normalize bool) []byte {
	method := req.Method
	if method == "" {
		method = http.MethodGet // what net/http sends for an empty Method
	}
	dst = append(dst, method...)
	dst = append(dst, '\n')
	dst = v4AppendCanonicalURI(dst, req.URL, single, normalize)
	dst = append(dst, '\n')
	dst = v4AppendCanonicalQuery(dst, req.URL.RawQuery)
	return append(dst, '\n')
}

// v4AppendHeaderLines appends "name:value\n" for each header of the sorted
// list. Map keys that differ only in case are merged into one line, their
// values joined with ',' as AWS requires for repeated headers.
func v4AppendHeaderLines(dst []byte, hdrs []v4Header) []byte {
	for i := 0; i < len(hdrs); {
		j := i + 1
		for j < len(hdrs) && v4EqualFold(hdrs[i].name, hdrs[j].name) {
			j++
		}
		dst = v4AppendLower(dst, hdrs[i].name)
		dst = append(dst, ':')
		dst = v4AppendHeaderValues(dst, hdrs[i:j])
		dst = append(dst, '\n')
		i = j
	}
	return dst
}

// v4AppendHeaderValues appends the values of entries of one header, each
// canonicalised, joined with ','. Every entry has at least one value.
func v4AppendHeaderValues(dst []byte, same []v4Header) []byte {
	for i, hd := range same {
		if i > 0 {
			dst = append(dst, ',')
		}
		if hd.values == nil {
			dst = v4AppendHeaderValue(dst, hd.one)
			continue
		}
		for j, v := range hd.values {
			if j > 0 {
				dst = append(dst, ',')
			}
			dst = v4AppendHeaderValue(dst, v)
		}
	}
	return dst
}

// v4AppendSignedHeaders appends the lower-case names of the sorted list,
// without duplicates, joined with ';'.
func v4AppendSignedHeaders(dst []byte, hdrs []v4Header) []byte {
	for i, hd := range hdrs {
		if i > 0 {
			if v4EqualFold(hdrs[i-1].name, hd.name) {
				continue
			}
			dst = append(dst, ';')
		}
		dst = v4AppendLower(dst, hd.name)
	}
	return dst
}

// v4AppendAmzDate appends t in UTC as YYYYMMDDTHHMMSSZ, or reports false,
// appending nothing, when the year is outside 0-9999 and does not fit the
// layout. Written by hand: time.AppendFormat is several times slower for
// this fixed layout.
func v4AppendAmzDate(dst []byte, t time.Time) ([]byte, bool) {
	t = t.UTC()
	y, mo, d := t.Date()
	if y < 0 || y > 9999 {
		return dst, false
	}
	hh, mm, ss := t.Clock()
	dst = append(dst, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	dst = v4Append2(dst, int(mo))
	dst = v4Append2(dst, d)
	dst = append(dst, 'T')
	dst = v4Append2(dst, hh)
	dst = v4Append2(dst, mm)
	dst = v4Append2(dst, ss)
	return append(dst, 'Z'), true
}

func v4Append2(dst []byte, n int) []byte {
	return append(dst, byte('0'+n/10), byte('0'+n%10))
}

// v4CheckSignInput rejects arguments that would produce an unusable or
// ambiguous signature. Messages name the argument, never its secret value.
// Credentials, service and region that keys holds a key for are not checked
// again: they passed when it was derived.
func v4CheckSignInput(req *http.Request, payloadSHA256 string, creds AWSCredentials, service, region string, keys *v4KeyCache) error {
	switch {
	case req == nil:
		return errors.New("sigv4: request is nil")
	case req.URL == nil:
		return errors.New("sigv4: request URL is nil")
	case keys.checked(&creds, service, region):
	case creds.AccessKeyID == "":
		return fmt.Errorf("sigv4: access key id from %s is empty", creds.sourceName())
	case creds.SecretAccessKey == "":
		return fmt.Errorf("sigv4: secret access key from %s is empty", creds.sourceName())
	case !v4ScopeToken(creds.AccessKeyID):
		return fmt.Errorf("sigv4: access key id from %s must not contain '/', ',', '=', spaces or control characters", creds.sourceName())
	case !v4HeaderValueOK(creds.SessionToken):
		return fmt.Errorf("sigv4: session token from %s must not contain control characters", creds.sourceName())
	case service == "" || !v4ScopeToken(service):
		return fmt.Errorf("sigv4: service %q must be non-empty, without '/', ',', '=', spaces or control characters", service)
	case region == "" || !v4ScopeToken(region):
		return fmt.Errorf("sigv4: region %q must be non-empty, without '/', ',', '=', spaces or control characters", region)
	}
	if !v4PayloadHashOK(payloadSHA256) {
		return errors.New("sigv4: payload hash must be 64 lower-case hex digits (SHA-256 of the body) or UNSIGNED-PAYLOAD")
	}
	return nil
}

// v4HeaderValueOK reports whether s can be sent as a header value: no
// control characters, which net/http would refuse only after signing (and
// then as a retryable send failure).
func v4HeaderValueOK(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// v4ScopeToken reports whether s can sit in a credential scope and be parsed
// back out of an Authorization header.
func v4ScopeToken(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c <= ' ' || c == 0x7f || c == '/' || c == ',' || c == '=':
			return false
		}
	}
	return true
}

// v4PayloadHashOK accepts a hex SHA-256 or the UNSIGNED-PAYLOAD sentinel.
func v4PayloadHashOK(s string) bool {
	if s == "UNSIGNED-PAYLOAD" {
		return true
	}
	if len(s) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
