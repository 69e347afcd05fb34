package identitycenter

import "github.com/detach-go/detach/transport"

// ServiceID names the service in errors (smithy.OperationError.ServiceID)
// and logs.
const ServiceID = "IdentityCenter"

// codePrefix starts Identity Center's own error codes: the only one Huawei's
// pages show (IIC.1215, in the API reference's example error body) has it,
// while the API gateway's codes start with APIGW. and other services' with
// their own prefix.
const codePrefix = "IIC."

// Error codes of Huawei's API gateway, which answers before Identity Center
// does; the transport classifies them for every Huawei service.
const (
	// CodeGatewayUnauthorized (401): the signature, the keys or the security
	// token were rejected, or X-Sdk-Date is too far from the gateway's
	// clock. transport.ErrUnauthorized; retried once after correcting the
	// clock when the response's Date shows a skew, otherwise not retried.
	CodeGatewayUnauthorized = "APIGW.0301"
	// CodeGatewayAccessDenied (403): the IAM user may not call the API.
	// transport.ErrAccessDenied; not retried.
	CodeGatewayAccessDenied = "APIGW.0302"
	// CodeGatewayThrottled (429): the gateway's rate limit was reached.
	// transport.ErrThrottled; retried with backoff.
	CodeGatewayThrottled = "APIGW.0308"
)

// service describes Identity Center for the transport. Huawei publishes no
// catalogue of Identity Center's own error codes (IIC.xxxx; only examples
// such as IIC.1215 appear in its pages), so none is mapped here: an
// Identity Center error is classified by its HTTP status — 400
// transport.ErrInvalidInput, 403 transport.ErrAccessDenied, 404
// transport.ErrNotFound, 409 transport.ErrConflict, 429 throttled and
// 500/502/503/504 transient (both retried) — and its code is kept in
// ResponseError.Code.
func service() transport.Service {
	return transport.Service{ID: ServiceID, Protocol: transport.HuaweiJSON}
}
