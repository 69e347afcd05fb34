package route53profiles

import "github.com/detach-go/detach/transport"

// The error codes Route 53 Profiles documents for the operations here, as
// found in transport.ResponseError.Code (and smithy.APIError's ErrorCode).
// Each operation's doc comment lists the ones it may return.
// The model gives none of them an HTTP status, so the service sends them all
// with 400 (Smithy's default for a client error); they are told apart by
// code only.
const (
	// CodeAccessDenied: the caller lacks permission (transport.ErrAccessDenied).
	CodeAccessDenied = "AccessDeniedException"
	// CodeInvalidNextToken: ListProfileAssociations was given a NextToken
	// the service does not accept, e.g. an expired one
	// (transport.ErrInvalidInput).
	CodeInvalidNextToken = "InvalidNextTokenException"
	// CodeInvalidParameter: a parameter is not valid (transport.ErrInvalidInput).
	CodeInvalidParameter = "InvalidParameterException"
	// CodeLimitExceeded: an account quota was reached
	// (transport.ErrQuotaExceeded). Not retried.
	CodeLimitExceeded = "LimitExceededException"
	// CodeResourceNotFound: no such Profile association
	// (transport.ErrNotFound).
	CodeResourceNotFound = "ResourceNotFoundException"
	// CodeThrottling: the request rate is too high (transport.ErrThrottled).
	// Retried, although sent with HTTP 400.
	CodeThrottling = "ThrottlingException"
	// CodeValidation: the request failed the service's validation
	// (transport.ErrInvalidInput).
	CodeValidation = "ValidationException"
)

// serviceID is the service's ID in errors and logs, as aws-sdk-go-v2 names it.
const serviceID = "Route53Profiles"

// service describes the API for the transport. It is built per client rather
// than kept in a package variable, so no state is shared between clients.
func service() transport.Service {
	return transport.Service{
		ID:       serviceID,
		Protocol: transport.AWSRestJSON,
		Codes: map[string]transport.Kind{
			CodeAccessDenied:     transport.KindAccessDenied,
			CodeInvalidNextToken: transport.KindInvalidInput,
			CodeInvalidParameter: transport.KindInvalidInput,
			// aws-sdk-go-v2 and botocore retry LimitExceededException as
			// throttling (it is in their default throttle-code lists). Here
			// it means an account quota was reached, which no retry within
			// seconds can lift, so we report it at once.
			CodeLimitExceeded:    transport.KindQuota,
			CodeResourceNotFound: transport.KindNotFound,
			CodeThrottling:       transport.KindThrottled,
			CodeValidation:       transport.KindInvalidInput,
		},
	}
}
