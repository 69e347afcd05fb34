package customerprofiles

import "github.com/detach-go/detach/transport"

// The error codes Customer Profiles documents for DeleteProfileObject, as
// found in transport.ResponseError.Code (and smithy.APIError's ErrorCode),
// with the HTTP status the model gives each. Classification is by code.
const (
	// CodeAccessDenied (403): the caller lacks permission
	// (transport.ErrAccessDenied).
	CodeAccessDenied = "AccessDeniedException"
	// CodeBadRequest (400): the input failed the service's checks
	// (transport.ErrInvalidInput).
	CodeBadRequest = "BadRequestException"
	// CodeInternalServer (500): a failure in the service; retried.
	CodeInternalServer = "InternalServerException"
	// CodeResourceNotFound (404): no such domain, profile or object
	// (transport.ErrNotFound).
	CodeResourceNotFound = "ResourceNotFoundException"
	// CodeThrottling (429): the request rate is too high
	// (transport.ErrThrottled); retried.
	CodeThrottling = "ThrottlingException"
)

// serviceID is the service's ID in errors and logs, as aws-sdk-go-v2 names it.
const serviceID = "Customer Profiles"

// service describes the API for the transport. It is built per client rather
// than kept in a package variable, so no state is shared between clients.
func service() transport.Service {
	return transport.Service{
		ID:       serviceID,
		Protocol: transport.AWSRestJSON,
		Codes: map[string]transport.Kind{
			CodeAccessDenied:     transport.KindAccessDenied,
			CodeBadRequest:       transport.KindInvalidInput,
			CodeInternalServer:   transport.KindTransient,
			CodeResourceNotFound: transport.KindNotFound,
			CodeThrottling:       transport.KindThrottled,
		},
	}
}
