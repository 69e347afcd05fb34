package transport

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/aws/smithy-go"
)

// Sentinels that errors.Is answers for a [ResponseError] of the matching
// [Kind], so callers need not know each service's codes.
var (
	ErrNotFound      = errors.New("not found")
	ErrThrottled     = errors.New("throttled")
	ErrAccessDenied  = errors.New("access denied")
	ErrUnauthorized  = errors.New("unauthorized")
	ErrInvalidInput  = error(&invalidInput{})
	ErrConflict      = errors.New("conflict")
	ErrQuotaExceeded = errors.New("quota exceeded")
)

// invalidInput is ErrInvalidInput's type. Its InvalidInput method lets
// errors from packages beneath the transport, which cannot import it (the
// signer's validation errors), match ErrInvalidInput by behaviour: their Is
// method accepts any target that has an InvalidInput method.
type invalidInput struct{}

func (*invalidInput) Error() string { return "invalid input" }

// InvalidInput marks the sentinel: see invalidInput.
func (*invalidInput) InvalidInput() {}

// Kind classifies a service's error code. It decides the sentinel a
// [ResponseError] matches and whether the transport retries it.
type Kind uint8

// The kinds. Only KindThrottled and KindTransient are retried; KindUnauthorized
// refreshes token credentials once.
const (
	KindUnknown Kind = iota
	KindNotFound
	KindThrottled
	KindTransient
	KindAccessDenied
	KindUnauthorized
	KindInvalidInput
	KindConflict
	KindQuota
)

var kindNames = [...]string{"unknown", "not found", "throttled", "transient", "access denied",
	"unauthorized", "invalid input", "conflict", "quota exceeded"}

// String names the kind for logs.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Retryable reports whether errors of this kind are retried.
func (k Kind) Retryable() bool { return k == KindThrottled || k == KindTransient }

func (k Kind) sentinel() error {
	switch k {
	case KindNotFound:
		return ErrNotFound
	case KindThrottled:
		return ErrThrottled
	case KindAccessDenied:
		return ErrAccessDenied
	case KindUnauthorized:
		return ErrUnauthorized
	case KindInvalidInput:
		return ErrInvalidInput
	case KindConflict:
		return ErrConflict
	case KindQuota:
		return ErrQuotaExceeded
	}
	return nil
}

// ResponseError is the error for a response the service sent with a non-2xx
// status. It implements [smithy.APIError], so code written for aws-sdk-go-v2
// error handling (errors.As into smithy.APIError, ErrorCode()) keeps working,
// and answers errors.Is for the sentinel of its Kind.
//
// Every string it holds, and every header it keeps, is scrubbed of the
// secrets the request sent (see [Request.Secrets]): a server or proxy that
// echoes a credential in any field shows [Redacted] there instead.
type ResponseError struct {
	StatusCode int
	// Code is the service's error code (e.g. "ResourceNotFoundException",
	// "DNS.0706", "APIGW.0308"); empty when the body carried none.
	Code string
	// Message is the service's message.
	Message string
	// RequestID is the service's request ID: for AWS, the X-Amzn-RequestId
	// header, else the x-amz-request-id header; for Huawei Cloud and OTC,
	// X-Request-Id, else the body's request_id.
	RequestID string
	// EncodedAuthorizationMessage is Huawei's encoded_authorization_message,
	// given with some 403s; decode it with IAM to learn which policy denied.
	EncodedAuthorizationMessage string
	// RetryAfter is the service's Retry-After, zero when absent or invalid.
	RetryAfter time.Duration
	// Kind is the class of Code (or of the status, for an unknown code):
	// it decides the sentinel errors.Is matches and whether it was retried.
	Kind Kind
	// Snippet is the start of the body (at most 256 bytes, control characters
	// replaced), kept for bodies that carried no code, such as a proxy's HTML.
	Snippet string
	// Attempts is how many attempts the call made before giving up.
	Attempts int
	header   http.Header
}

func (e *ResponseError) Error() string {
	// Concatenations rather than a strings.Builder: the same text in less
	// code, which every program links.
	s := "http status " + strconv.Itoa(e.StatusCode)
	if e.RequestID != "" {
		s += ", request id " + clean(e.RequestID, 128)
	}
	if e.Attempts > 1 {
		s += ", after " + strconv.Itoa(e.Attempts) + " attempts"
	}
	s += ": "
	if e.Code != "" {
		s += clean(e.Code, 128) + ": "
	}
	if e.Message != "" {
		return s + clean(e.Message, 512)
	}
	return s + strings.ToLower(http.StatusText(e.StatusCode))
}

// ErrorCode returns Code, or "UnknownError" when there is none, as
// aws-sdk-go-v2 does.
func (e *ResponseError) ErrorCode() string {
	if e.Code == "" {
		return "UnknownError"
	}
	return e.Code
}

// ErrorMessage returns Message.
func (e *ResponseError) ErrorMessage() string { return e.Message }

// ErrorFault is FaultServer for 5xx statuses and FaultClient otherwise.
func (e *ResponseError) ErrorFault() smithy.ErrorFault {
	if e.StatusCode >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

// HTTPStatusCode returns StatusCode, as aws-sdk-go-v2's response errors do.
func (e *ResponseError) HTTPStatusCode() int { return e.StatusCode }

// ServiceRequestID returns RequestID, as aws-sdk-go-v2's response errors do.
func (e *ResponseError) ServiceRequestID() string { return e.RequestID }

// Header returns a copy of the response headers with credentials redacted.
func (e *ResponseError) Header() http.Header { return redactHeader(e.header) }

// Is reports whether target is the sentinel of e's Kind.
func (e *ResponseError) Is(target error) bool {
	s := e.Kind.sentinel()
	return s != nil && s == target
}

// ValidationError reports input that breaks a documented rule, found before
// any network traffic. errors.Is(err, ErrInvalidInput) is true for it.
type ValidationError struct {
	// Field is the input's Go field name, e.g. "ProfileID".
	Field string
	// Rule says what the value must be, e.g. "must be 1 to 64 characters".
	Rule string
}

func (e *ValidationError) Error() string {
	return "invalid input: " + e.Field + " " + e.Rule
}

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }

// CheckContext returns a *ValidationError naming "ctx" when ctx is nil, and
// nil otherwise. Every detach entry point that takes a context checks it
// first, as net/http refuses a nil context: a nil context has no deadline
// and no cancellation, and calling it panics.
func CheckContext(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// errNilContext is CheckContext's error: one value, as it says nothing
// about the call.
var errNilContext error = &ValidationError{Field: "ctx", Rule: "must not be nil"}

// SendError is a failure to get a response: a refused or reset connection,
// an attempt timeout, a TLS failure, a body cut short. Err is the last
// attempt's error (errors.Is works through it, e.g. for
// context.DeadlineExceeded of an attempt timeout). When its text would quote
// a secret the request sent (net/http quotes a malformed status or header
// line of the response), Err is a stand-in with the secret replaced:
// errors.Is answers as for the original, but errors.As does not reach it.
type SendError struct {
	Attempts int   // attempts the call made
	Err      error // the last attempt's failure
}

func (e *SendError) Error() string {
	s := "send request"
	if e.Attempts > 1 {
		s += " (" + strconv.Itoa(e.Attempts) + " attempts)"
	}
	return s + ": " + errText(e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// CanceledError is returned when the call's context ended before the call
// could finish. errors.Is(err, context.Canceled) or
// errors.Is(err, context.DeadlineExceeded) is true for it, and errors.As
// still finds the service's last answer (a *ResponseError) when an attempt
// got one, or else the last failure to get one (a *SendError): the attempt
// the context cut off does not replace what came before it. Its own error
// is Last only when nothing came before.
type CanceledError struct {
	Err error // the context's error
	// Last is the last answer of the service, else the last attempt's
	// failure; nil when no attempt was made.
	Last     error
	Attempts int // requests sent
}

func (e *CanceledError) Error() string {
	s := errText(e.Err)
	if e.Attempts > 0 {
		s += " after " + strconv.Itoa(e.Attempts) + " attempt"
		if e.Attempts > 1 {
			s += "s"
		}
	}
	if e.Last != nil {
		s += ", last error: " + e.Last.Error()
	}
	return s
}

func (e *CanceledError) Unwrap() []error {
	if e.Last == nil {
		return []error{e.Err}
	}
	return []error{e.Err, e.Last}
}

// CanceledError reports true, as smithy.CanceledError does, so code that
// checks for that method keeps working.
func (e *CanceledError) CanceledError() bool { return true }

// DecodeError is a 2xx response whose body is not what the API documents.
// It keeps the request ID so the call can be traced. The transport's own
// DecodeErrors (and DecodeJSON's) are scrubbed of the request's secrets like
// a ResponseError; code that builds one from a Response takes RequestID from
// its Metadata (already scrubbed) and passes any quoted part of the body
// through [Response.Scrub].
type DecodeError struct {
	StatusCode int    // the 2xx status the body came with
	RequestID  string // the service's request ID
	Err        error  // what was wrong with the body
	Snippet    string // the start of the body, printable
}

func (e *DecodeError) Error() string {
	s := "decode response (http status " + strconv.Itoa(e.StatusCode)
	if e.RequestID != "" {
		s += ", request id " + clean(e.RequestID, 128)
	}
	return s + "): " + errText(e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// AuthError is a failure to obtain credentials or sign a request. It never
// contains a secret.
type AuthError struct{ Err error }

func (e *AuthError) Error() string { return "authorize request: " + errText(e.Err) }

// errText is err's message; a zero-value error type has no cause, and its
// Error must not panic.
func errText(err error) string {
	if err == nil {
		return "unknown cause"
	}
	return err.Error()
}
func (e *AuthError) Unwrap() error { return e.Err }

// clean makes untrusted text safe for one line of an error string: control
// characters (C0, DEL and C1, such as the terminal escape U+009B) and line
// separators become spaces and it is cut to max bytes on a rune boundary.
func clean(s string, max int) string {
	// Printable ASCII is returned as is; anything else takes the rune loop.
	ok := len(s) <= max
	for i := 0; ok && i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			ok = false
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i >= max {
			b.WriteString("...")
			break
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}
