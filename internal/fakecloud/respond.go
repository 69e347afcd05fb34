package fakecloud

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// maxBody bounds what the emulator reads of a request body. The documented
// bodies are a few hundred bytes.
const maxBody = 1 << 20

// call is one request being served.
type call struct {
	w   http.ResponseWriter
	r   *http.Request
	now time.Time // emulator clock, read once per request

	family   family
	svc      Service
	provider Provider
	host     Host // credential hosts only (hosts.go)
	op       string
	args     []string // wildcard path segments, still escaped

	requestID string
	body      []byte
	bodySHA   string // hex SHA-256 of body, the payload hash the signers use
}

// start sets the headers every response carries. The Date header comes from
// the emulator clock so that clients can correct their clock skew from it.
func (k *call) start() {
	h := k.w.Header()
	h.Set("Date", k.now.UTC().Format(http.TimeFormat))
	switch k.family {
	case familyAWS:
		k.requestID = newUUID()
		h.Set("X-Amzn-RequestId", k.requestID)
		return
	case familyHost:
		return
	}
	k.requestID = newHex32()
	h.Set("X-Request-Id", k.requestID)
}

// readBody reads the request body (bounded) and hashes it. On failure it
// answers with the service's bad-request error and returns false.
func (k *call) readBody() bool {
	if k.r.Body != nil {
		b, err := io.ReadAll(io.LimitReader(k.r.Body, maxBody+1))
		if err != nil || len(b) > maxBody {
			k.badRequest("the request body could not be read or is larger than 1 MiB")
			return false
		}
		k.body = b
	}
	sum := sha256.Sum256(k.body)
	k.bodySHA = hex.EncodeToString(sum[:])
	return true
}

// arg decodes wildcard path segment i. An ID may contain any character the
// client escaped, "%2F" included: it is part of the ID, not a separator.
func (k *call) arg(i int) (string, bool) {
	v, err := url.PathUnescape(k.args[i])
	return v, err == nil
}

// badRequest answers a malformed request in the shape of the current service.
func (k *call) badRequest(msg string) {
	if k.host != "" {
		k.hostBadRequest(msg)
		return
	}
	switch k.svc {
	case Route53Profiles:
		k.awsError(http.StatusBadRequest, "ValidationException", msg)
	case CustomerProfiles:
		k.awsError(http.StatusBadRequest, "BadRequestException", msg)
	case IdentityCenter:
		k.iicError(http.StatusBadRequest, ICCodeInvalidParameter, msg, "")
	case HuaweiDNS, OTCDNS:
		k.dnsError(http.StatusBadRequest, "DNS.0002", "Invalid request.")
	case HuaweiIAM, OTCIAM:
		if k.isIAMV30() {
			k.iamError(http.StatusBadRequest, iamCodeInvalidBody, msgIAMInvalidBody)
			return
		}
		k.keystoneError(http.StatusBadRequest, msg)
	case HuaweiMetadata, HuaweiPodIdentity:
		k.credentialServiceError(http.StatusBadRequest)
	default:
		k.writeJSON(http.StatusBadRequest, map[string]string{"message": msg})
	}
}

// writeJSON writes v as the JSON body with the given status.
func (k *call) writeJSON(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only the emulator's own types are marshalled; this cannot happen.
		status, b = http.StatusInternalServerError, []byte(`{"message":"fakecloud: response encoding failed"}`)
	}
	h := k.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	k.w.WriteHeader(status)
	k.w.Write(b) // a write error means the client is gone: nothing to do
}

// awsError answers in the restJson1 error shape: the code in X-Amzn-ErrorType
// and in the body's __type, the message in the body's "message", which is
// what aws-sdk-go-v2 and botocore read (aws.md §3).
func (k *call) awsError(status int, code, msg string) {
	k.w.Header().Set("X-Amzn-ErrorType", code)
	k.writeJSON(status, struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{code, msg})
}

// apigwError answers in the API Gateway shape of Huawei and OTC
// (huawei.md §3.2): {"error_code","error_msg","request_id"}.
func (k *call) apigwError(status int, code, msg string) {
	k.writeJSON(status, struct {
		Code      string `json:"error_code"`
		Msg       string `json:"error_msg"`
		RequestID string `json:"request_id"`
	}{code, msg, k.requestID})
}

// iicError answers in the Identity Center shape (huawei.md §2), which is the
// API Gateway shape plus encoded_authorization_message on a 403.
func (k *call) iicError(status int, code, msg, encodedAuth string) {
	k.writeJSON(status, struct {
		Code        string `json:"error_code"`
		Msg         string `json:"error_msg"`
		RequestID   string `json:"request_id"`
		EncodedAuth string `json:"encoded_authorization_message,omitempty"`
	}{code, msg, k.requestID, encodedAuth})
}

// dnsError answers in the DNS service shape (huawei.md §3):
// {"code":"DNS.xxxx","message":"..."}.
func (k *call) dnsError(status int, code, msg string) {
	k.writeJSON(status, struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{code, msg})
}

// keystoneError answers in the Keystone shape IAM uses for its own errors:
// {"error":{"code":401,"message":"...","title":"Unauthorized"}}.
func (k *call) keystoneError(status int, msg string) {
	type kerr struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Title   string `json:"title"`
	}
	k.writeJSON(status, struct {
		Error kerr `json:"error"`
	}{kerr{status, msg, http.StatusText(status)}})
}

// newUUID returns a random version-4 UUID, the form of AWS request IDs.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (it crashes the program instead)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// newHex32 returns 32 random lowercase hex digits, the form of Huawei request
// IDs.
func newHex32() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (it crashes the program instead)
	return hex.EncodeToString(b[:])
}
