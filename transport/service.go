package transport

import (
	"net/http"
	"strings"
)

// Protocol says how a service encodes its errors and request IDs: one of
// AWSRestJSON, AWSQuery and HuaweiJSON. Each is a table of that protocol's
// readers rather than a number the transport switches on, so that a program
// links the readers of the protocols it uses and no others: an AWS program
// does not carry the Huawei error reader and gateway codes, nor a Huawei
// program the AWS ones (about 8 KB of binary each).
type Protocol struct {
	name string
	// decode reads an error body; nil: Service.DecodeError is required.
	decode    func(h http.Header, body []byte) errorFields
	kind      func(code string, status int) Kind
	requestID func(h http.Header) string
	skew      func(code string, req *http.Request) bool
}

// String names the protocol.
func (p *Protocol) String() string {
	if p == nil {
		return "<nil>"
	}
	return p.name
}

// The protocols. Each variable is initialized statically, so one that no
// code refers to is left out of the binary with what it refers to. They
// are variables only for that reason: never assign to them.
var (
	// AWSRestJSON is AWS restJson1: the code in X-Amzn-ErrorType or the
	// body's code/Code/__type, the request ID in X-Amzn-RequestId.
	AWSRestJSON = &Protocol{name: "AWSRestJSON", decode: decodeAWSError, kind: awsCommonKind,
		requestID: awsRequestID, skew: awsSkewCandidate}
	// HuaweiJSON is Huawei Cloud and OTC: error_code/error_msg or
	// code/message (possibly nested), the request ID in X-Request-Id.
	HuaweiJSON = &Protocol{name: "HuaweiJSON", decode: decodeHuaweiError, kind: huaweiGatewayKind,
		requestID: huaweiRequestID, skew: huaweiSkewCandidate}
	// AWSQuery is the AWS query protocol (STS): form-encoded requests, XML
	// errors, the request ID in X-Amzn-RequestId; codes are classified as
	// AWSRestJSON's. Its errors are read by Service.DecodeError, which must
	// be set: the XML decoder lives with the callers (signer/awscreds), since
	// importing encoding/xml here would cost every program about 20 KB.
	AWSQuery = &Protocol{name: "AWSQuery", kind: awsCommonKind, requestID: awsRequestID,
		skew: awsSkewCandidate}
)

func (p *Protocol) valid() bool {
	return p != nil && p.kind != nil && p.requestID != nil && p.skew != nil
}

// Service describes one API for the transport.
type Service struct {
	// ID names the service in errors (smithy.OperationError.ServiceID) and logs.
	ID       string
	Protocol *Protocol
	// Codes maps the service's documented error codes to their kinds. A code
	// not listed falls back to the protocol's common codes (AWS throttling
	// codes, Huawei API gateway codes), then to the HTTP status.
	Codes map[string]Kind
	// DecodeError, when set, reads an error response's code, message and
	// request ID in place of the protocol's own decoder (required for
	// AWSQuery). What it returns is scrubbed of the request's secrets like
	// the built-in decoders' fields; a code of "" keeps a body snippet.
	DecodeError func(h http.Header, body []byte) (code, message, requestID string)
}

// Classify returns the kind of an error response.
func (s *Service) Classify(status int, code string) Kind {
	if code != "" {
		if k, ok := s.Codes[code]; ok {
			return k
		}
		if s.Protocol.valid() {
			if k := s.Protocol.kind(code, status); k != KindUnknown {
				return k
			}
		}
	}
	return statusKind(status)
}

func statusKind(status int) Kind {
	switch status {
	case 400, 422:
		return KindInvalidInput
	case 401:
		return KindUnauthorized
	case 403:
		return KindAccessDenied
	case 404, 410:
		return KindNotFound
	case 409:
		return KindConflict
	case 429:
		return KindThrottled
	case 408, 500, 502, 503, 504:
		return KindTransient
	}
	return KindUnknown
}

// awsCommonKind knows the codes every AWS service may send. The throttling
// and transient lists are aws-sdk-go-v2's DefaultThrottleErrorCodes and
// DefaultRetryableErrorCodes (aws/retry/standard.go), except
// LimitExceededException, which services here document as a quota error:
// it is a quota for every AWS service, so that the same code never means
// "quota" from one package and "invalid input" from another.
func awsCommonKind(code string, _ int) Kind {
	switch code {
	case "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
		"TooManyRequestsException", "ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
		"RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException":
		return KindThrottled
	case "RequestTimeout", "RequestTimeoutException", "InternalFailure", "InternalServerError",
		"ServiceUnavailable", "ServiceUnavailableException":
		return KindTransient
	case "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch",
		"IncompleteSignatureException", "MissingAuthenticationTokenException",
		"InvalidClientTokenId", "ExpiredTokenException", "AuthFailure", "RequestTimeTooSkewed":
		return KindUnauthorized
	case "AccessDeniedException", "AccessDenied":
		return KindAccessDenied
	case "ValidationException", "SerializationException":
		return KindInvalidInput
	case "LimitExceededException":
		return KindQuota
	}
	return KindUnknown
}

// huaweiGatewayKind knows the API gateway's codes (Huawei's API signing
// guide, error codes), under both the APIGW. and the older APIG. prefix.
func huaweiGatewayKind(code string, status int) Kind {
	var n string
	switch {
	case strings.HasPrefix(code, "APIGW."):
		n = code[len("APIGW."):]
	case strings.HasPrefix(code, "APIG."):
		n = code[len("APIG."):]
	default:
		return KindUnknown
	}
	switch n {
	case "0301", "0303", "0305", "0307":
		return KindUnauthorized
	case "0302", "0306", "0310":
		return KindAccessDenied
	case "0308":
		return KindThrottled
	case "0101":
		return KindNotFound
	case "0601", "0610", "0613":
		return KindTransient
	case "0201":
		if status >= 500 {
			return KindTransient // backend unavailable or timed out
		}
		return KindInvalidInput
	}
	return KindUnknown
}

// skewCandidate reports whether an error code may mean the request was
// signed with a clock too far from the server's.
func (s *Service) skewCandidate(code string, req *http.Request) bool {
	return s.Protocol.valid() && s.Protocol.skew(code, req)
}

// awsSkewCandidate: the list is aws-sdk-go-v2's (aws/retry/middleware.go).
func awsSkewCandidate(code string, _ *http.Request) bool {
	switch code {
	case "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure",
		"RequestTimeTooSkewed", "AccessDeniedException", "RequestExpired":
		return true
	}
	return false
}

// huaweiSkewCandidate: Huawei's gateway reports an X-Sdk-Date out of range
// as APIGW.0301, like other authentication failures, so only a request that
// was signed with X-Sdk-Date is a candidate: a rejected token has nothing to
// do with the clock.
func huaweiSkewCandidate(code string, req *http.Request) bool {
	return (code == "APIGW.0301" || code == "APIG.0301") && req != nil && req.Header.Get("X-Sdk-Date") != ""
}

// awsRequestID is where AWS puts the request ID: X-Amzn-RequestId, or
// X-Amz-Request-Id on older front ends.
func awsRequestID(h http.Header) string {
	if id := h.Get("X-Amzn-Requestid"); id != "" {
		return id
	}
	return h.Get("X-Amz-Request-Id")
}

// huaweiRequestID is where Huawei Cloud and OTC put the request ID.
func huaweiRequestID(h http.Header) string { return h.Get("X-Request-Id") }
