package awscreds

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"time"
)

// The DPoP proof (RFC 9449) the sign-in service asks for with a refresh,
// built as aws-sdk-go-v2's logincreds builds it (credentials v1.21.1,
// dpop.go): a compact JWS, ES256, its header carrying the public key as a
// JWK, both parts indented JSON before base64url, the signature raw r‖s.

// dpopKeyContext carries the key of one refresh to the authorizer.
type dpopKeyContext struct{}

func dpopContext(ctx context.Context, key *ecdsa.PrivateKey) context.Context {
	return context.WithValue(ctx, dpopKeyContext{}, key)
}

// dpopAuth sets the DPoP header on every attempt: each proof has its own
// jti and time, as each attempt is a new request to the service.
type dpopAuth struct{}

func (dpopAuth) Authorize(ctx context.Context, req *http.Request, _ string, now time.Time) error {
	key, _ := ctx.Value(dpopKeyContext{}).(*ecdsa.PrivateKey)
	if key == nil {
		return errors.New("no DPoP key for this request")
	}
	proof, err := dpopProof(key, req.Method, req.URL.String(), now)
	if err != nil {
		return err
	}
	req.Header.Set("DPoP", proof)
	return nil
}

// parseDPoPKey reads the session's PEM EC private key on P-256: SEC 1, as
// `aws login` writes it and as aws-sdk-go-v2 reads it (credentials v1.21.1,
// logincreds/dpop.go: x509.ParseECPrivateKey only). PKCS #8 is refused as
// the SDK refuses it; reading it would link the RSA and Ed25519 key parsers
// into every program with the default chain. Errors never show the key.
func parseDPoPKey(pemText string) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil, errors.New("dpopKey is not PEM")
	}
	key, err := x509.ParseECPrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("dpopKey is not a SEC 1 EC private key")
	}
	if key.Curve != elliptic.P256() {
		return nil, errors.New("dpopKey is not on curve P-256")
	}
	return key, nil
}

type dpopHeader struct {
	Typ string  `json:"typ"`
	Alg string  `json:"alg"`
	JWK dpopJWK `json:"jwk"`
}

type dpopJWK struct {
	Kty string `json:"kty"`
	X   string `json:"x"`
	Y   string `json:"y"`
	Crv string `json:"crv"`
}

type dpopPayload struct {
	JTI string `json:"jti"`
	HTM string `json:"htm"`
	HTU string `json:"htu"`
	IAT int64  `json:"iat"`
}

// dpopProof signs a proof for one request.
func dpopProof(key *ecdsa.PrivateKey, method, url string, now time.Time) (string, error) {
	point, err := key.PublicKey.Bytes() // 0x04 ‖ X ‖ Y, each 32 bytes on P-256
	if err != nil || len(point) != 65 {
		return "", errors.New("the DPoP public key cannot be encoded")
	}
	jti, err := uuid4()
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	header, err := json.MarshalIndent(dpopHeader{Typ: "dpop+jwt", Alg: "ES256", JWK: dpopJWK{Kty: "EC",
		X: enc.EncodeToString(point[1:33]), Y: enc.EncodeToString(point[33:]), Crv: "P-256"}}, "", "  ")
	if err != nil {
		return "", err
	}
	payload, err := json.MarshalIndent(dpopPayload{JTI: jti, HTM: method, HTU: url, IAT: now.Unix()}, "", "  ")
	if err != nil {
		return "", err
	}
	msg := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	sum := sha256.Sum256([]byte(msg))
	r, s, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		return "", errors.New("the DPoP proof cannot be signed")
	}
	var sig [64]byte
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return msg + "." + enc.EncodeToString(sig[:]), nil
}

// uuid4 is a random (version 4) UUID, the proof's jti.
func uuid4() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", errors.New("no randomness for the DPoP jti")
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}
