package signer

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"sync/atomic"
)

// HMAC-SHA256 built on sha256.Sum256 over stack buffers: crypto/hmac
// allocates two hash states per key, and SigV4 derives four keys per
// signature. The SigV4 authorizer also caches the derived key (v4KeyCache),
// as aws-sdk-go-v2 does.

const v4BlockSize = 64 // SHA-256 block size, the HMAC key block

// v4HMACStart begins an HMAC with key: it returns dst[:0] holding the inner
// padded key block, to which the caller appends the message, and the key
// block that v4HMACSum needs. A key longer than a block is hashed first, as
// RFC 2104 says.
func v4HMACStart(dst, key []byte) ([]byte, [v4BlockSize]byte) {
	var k [v4BlockSize]byte
	if len(key) > v4BlockSize {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	dst = append(dst[:0], k[:]...)
	v4XORPad(dst[:v4BlockSize], &k, 0x36)
	return dst, k
}

// v4XORPad writes the key block k XORed with pad, repeated, to dst. Eight
// bytes at a time: a byte loop costs several percent of a signature.
func v4XORPad(dst []byte, k *[v4BlockSize]byte, pad byte) {
	p := uint64(pad) * 0x0101010101010101
	for i := 0; i < v4BlockSize; i += 8 {
		binary.LittleEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(k[i:])^p)
	}
}

// v4HMACSum finishes an HMAC started by v4HMACStart; inner is the padded key
// block followed by the message.
func v4HMACSum(inner []byte, k *[v4BlockSize]byte) [sha256.Size]byte {
	innerSum := sha256.Sum256(inner)
	var outer [v4BlockSize + sha256.Size]byte
	v4XORPad(outer[:], k, 0x5c)
	copy(outer[v4BlockSize:], innerSum[:])
	return sha256.Sum256(outer[:])
}

// v4HMAC returns HMAC-SHA256(key, msg), using scratch as the work buffer.
func v4HMAC(scratch, key []byte, msg string) ([sha256.Size]byte, []byte) {
	inner, k := v4HMACStart(scratch, key)
	inner = append(inner, msg...)
	return v4HMACSum(inner, &k), inner
}

// v4Scope is the parts of a credential scope: date (YYYYMMDD), region and
// service; the terminator is always aws4_request.
type v4Scope struct {
	date, region, service string
}

// v4AppendScope appends date/region/service/aws4_request.
func v4AppendScope(dst []byte, s v4Scope) []byte {
	dst = append(dst, s.date...)
	dst = append(dst, '/')
	dst = append(dst, s.region...)
	dst = append(dst, '/')
	dst = append(dst, s.service...)
	return append(dst, "/aws4_request"...)
}

// v4Trace receives the intermediate forms of a signature, for tests and for
// diagnosing a mismatch. They hold no secret unless the request carries a
// session token, which appears in the canonical request.
type v4Trace struct {
	canonicalRequest string
	stringToSign     string
}

// v4Signature computes the SigV4 signature of a canonical request:
// the string to sign from its hash, the signing key derived from the secret,
// and the HMAC of the one with the other.
func v4Signature(canonical []byte, amzDate string, scope v4Scope, secret string, trace *v4Trace) [sha256.Size]byte {
	key := v4DeriveKey(secret, scope)
	return v4SignWithKey(canonical, amzDate, scope, &key, trace)
}

// v4DeriveKey derives the signing key of a secret for a scope; the chain
// (date, region, service, "aws4_request") is fixed by AWS.
func v4DeriveKey(secret string, scope v4Scope) [sha256.Size]byte {
	var scratchArr [512]byte
	scratch := scratchArr[:0]
	scratch = append(scratch, "AWS4"...)
	scratch = append(scratch, secret...)
	var kSecretArr [v4BlockSize]byte
	kSecret := kSecretArr[:0]
	if len(scratch) > v4BlockSize {
		sum := sha256.Sum256(scratch)
		kSecret = append(kSecret, sum[:]...)
	} else {
		kSecret = append(kSecret, scratch...)
	}
	key, scratch := v4HMAC(scratch, kSecret, scope.date)
	key, scratch = v4HMAC(scratch, key[:], scope.region)
	key, scratch = v4HMAC(scratch, key[:], scope.service)
	key, _ = v4HMAC(scratch, key[:], "aws4_request")
	return key
}

// v4SignWithKey signs the string to sign of a canonical request with a
// derived key.
func v4SignWithKey(canonical []byte, amzDate string, scope v4Scope, key *[sha256.Size]byte, trace *v4Trace) [sha256.Size]byte {
	var scratchArr [256]byte
	crHash := sha256.Sum256(canonical)
	inner, k := v4HMACStart(scratchArr[:0], key[:])
	inner = append(inner, "AWS4-HMAC-SHA256\n"...)
	inner = append(inner, amzDate...)
	inner = append(inner, '\n')
	inner = v4AppendScope(inner, scope)
	inner = append(inner, '\n')
	inner = hex.AppendEncode(inner, crHash[:])
	if trace != nil {
		trace.canonicalRequest = string(canonical)
		trace.stringToSign = string(inner[v4BlockSize:])
	}
	return v4HMACSum(inner, &k)
}

// v4KeyCache keeps the last derived signing key. A key is valid for one
// secret, day, region and service, so one entry serves an authorizer for the
// whole day; the entry is swapped atomically, never changed in place.
type v4KeyCache struct {
	last atomic.Pointer[v4KeyEntry]
}

// v4KeyEntry is a derived key and what it was derived for. The access key
// ID and session token are kept too, so that a match means the whole of the
// credentials passed v4CheckSignInput.
type v4KeyEntry struct {
	secret, accessKeyID, sessionToken string
	scope                             v4Scope
	key                               [sha256.Size]byte
}

func (e *v4KeyEntry) matches(creds *AWSCredentials) bool {
	return e.secret == creds.SecretAccessKey && e.accessKeyID == creds.AccessKeyID &&
		e.sessionToken == creds.SessionToken
}

// checked reports whether c holds a key for creds, service and region; a nil
// c holds none.
func (c *v4KeyCache) checked(creds *AWSCredentials, service, region string) bool {
	if c == nil {
		return false
	}
	e := c.last.Load()
	return e != nil && e.scope.service == service && e.scope.region == region && e.matches(creds)
}

func (c *v4KeyCache) key(creds *AWSCredentials, scope v4Scope) [sha256.Size]byte {
	if e := c.last.Load(); e != nil && e.scope == scope && e.matches(creds) {
		return e.key
	}
	e := &v4KeyEntry{secret: creds.SecretAccessKey, accessKeyID: creds.AccessKeyID, sessionToken: creds.SessionToken,
		scope: scope, key: v4DeriveKey(creds.SecretAccessKey, scope)}
	c.last.Store(e)
	return e.key
}
