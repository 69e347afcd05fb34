package privatedns

import "github.com/detach-go/detach/transport"

// ServiceID names the service in errors (smithy.OperationError.ServiceID)
// and logs.
const ServiceID = "DNS"

// Error codes of the DNS API that the operations here can meet, from the DNS
// error code table (identical on Huawei Cloud and Open Telekom Cloud), with
// the HTTP status the table gives and the sentinel (transport.ErrXxx) that
// errors.Is matches. Only the kinds throttled and transient are retried.
const (
	// CodeLastVPC (403): the VPC is the last one associated with the zone,
	// which cannot be left without any. A conflict the caller must resolve
	// (associate another VPC first): transport.ErrConflict, not retried.
	CodeLastVPC = "DNS.0706"
	// CodeOnlyNormalVPC (403): the VPC is the only one in normal state; the
	// others are in abnormal association states. transport.ErrConflict, not
	// retried: disassociate the abnormal VPCs or associate another first.
	CodeOnlyNormalVPC = "DNS.0709"
	// CodeVPCNotAssociated (400): the VPC is not associated with the zone —
	// the goal of the call is already reached, e.g. by an earlier attempt
	// whose response was lost. transport.ErrNotFound.
	CodeVPCNotAssociated = "DNS.0707"
	// CodeVPCBeingAssociated (400): the VPC is still being associated.
	// transport.ErrConflict, not retried: the association can take longer
	// than the retry backoff; wait until it is ACTIVE, then call again.
	CodeVPCBeingAssociated = "DNS.0708"
	// CodeVPCAlreadyAssociated (400 or 409): AssociateRouter found the VPC
	// already associated with the zone (in any state). transport.ErrConflict,
	// not retried; after a lost response it means the association exists.
	CodeVPCAlreadyAssociated = "DNS.0212"
	// CodeVPCNotSteady (400): the VPC's association is changing.
	// transport.ErrConflict, not retried, as CodeVPCBeingAssociated.
	CodeVPCNotSteady = "DNS.0704"
	// CodeNoVPCAssociated (400): no VPC is associated with the zone.
	// transport.ErrNotFound: the association is absent.
	CodeNoVPCAssociated = "DNS.0705"
	// CodeInvalidVPC (400): the router ID or region is not valid.
	// transport.ErrInvalidInput.
	CodeInvalidVPC = "DNS.0701"
	// CodeVPCNotFound (404): the VPC does not exist. transport.ErrNotFound.
	CodeVPCNotFound = "DNS.0711"
	// CodeInvalidVPCEndpoint (500): the VPC endpoint configuration for the
	// region is invalid, usually a wrong RouterRegion. Not a passing fault:
	// transport.ErrInvalidInput, not retried.
	CodeInvalidVPCEndpoint = "DNS.0710"
	// CodeVPCCheckFailed (400 or 500): checking the VPC failed; the table
	// says to retry. Transient, retried.
	CodeVPCCheckFailed = "DNS.0805"
	// CodeInvalidZoneID (400): transport.ErrInvalidInput.
	CodeInvalidZoneID = "DNS.0301"
	// CodeZoneNotFound (400 or 404): the zone does not exist, so neither does
	// the association. transport.ErrNotFound.
	CodeZoneNotFound = "DNS.0302"
	// CodeZoneNotNormal (400, 409 or 500): the zone's state is changing; the
	// table says to try again later. Transient, retried.
	CodeZoneNotNormal = "DNS.0209"
	// CodeZoneDisabled (400): the zone is suspended. transport.ErrConflict,
	// not retried.
	CodeZoneDisabled = "DNS.0213"
	// CodeInvalidRequest (400): transport.ErrInvalidInput.
	CodeInvalidRequest = "DNS.0002"
	// CodeAuthRequired (401): the token is missing, invalid or expired.
	// transport.ErrUnauthorized; with a refreshable token source (such as
	// huaweicreds.NewPasswordTokenSource) the token is refreshed once and the
	// request replayed.
	CodeAuthRequired = "DNS.0005"
	// CodeNoAPIPermission (403): the project may be frozen or the user may
	// not use the API. transport.ErrAccessDenied.
	CodeNoAPIPermission = "DNS.0013"
	// CodeFlowControl (403): DNS's own rate limit. transport.ErrThrottled,
	// retried with backoff despite the 403.
	CodeFlowControl = "DNS.0014"
	// CodeLockFailed (409): the zone's lock is held by another change; the
	// table says to try again later. Transient, retried.
	CodeLockFailed = "DNS.0021"
	// CodeOperationNotAllowed, CodeUserNotAllowed, CodePolicyDenied (403):
	// transport.ErrAccessDenied.
	CodeOperationNotAllowed = "DNS.0030"
	CodeUserNotAllowed      = "DNS.0031"
	CodePolicyDenied        = "DNS.1802"
	// CodeSystemBusy, CodeInternalError, CodeDatabaseError (500), and
	// CodeVPCServiceError, CodeIAMServiceError (500, a dependency failed):
	// transient, retried.
	CodeSystemBusy      = "DNS.0000"
	CodeInternalError   = "DNS.0001"
	CodeDatabaseError   = "DNS.0003"
	CodeVPCServiceError = "DNS.0012"
	CodeIAMServiceError = "DNS.0015"
)

// Error codes of Huawei's API gateway, which answers before DNS does; the
// transport classifies them for every Huawei and OTC service.
const (
	// CodeGatewayUnauthorized (401): the token is invalid or expired
	// ("token expires"), or the signature or keys were rejected.
	// transport.ErrUnauthorized. A refreshable token is refreshed once and
	// the request replayed; a signed request is retried once after
	// correcting the clock when the response's Date shows a skew.
	CodeGatewayUnauthorized = "APIGW.0301"
	// CodeGatewayAccessDenied (403): transport.ErrAccessDenied.
	CodeGatewayAccessDenied = "APIGW.0302"
	// CodeGatewayThrottled (429): transport.ErrThrottled, retried.
	CodeGatewayThrottled = "APIGW.0308"
)

// service describes DNS for the transport. A code not listed falls back to
// the gateway's codes, then to the HTTP status.
func service() transport.Service {
	return transport.Service{ID: ServiceID, Protocol: transport.HuaweiJSON, Codes: map[string]transport.Kind{
		CodeLastVPC:              transport.KindConflict,
		CodeOnlyNormalVPC:        transport.KindConflict,
		CodeVPCNotAssociated:     transport.KindNotFound,
		CodeVPCBeingAssociated:   transport.KindConflict,
		CodeVPCAlreadyAssociated: transport.KindConflict,
		CodeVPCNotSteady:         transport.KindConflict,
		CodeNoVPCAssociated:      transport.KindNotFound,
		CodeInvalidVPC:           transport.KindInvalidInput,
		CodeVPCNotFound:          transport.KindNotFound,
		CodeInvalidVPCEndpoint:   transport.KindInvalidInput,
		CodeVPCCheckFailed:       transport.KindTransient,
		CodeInvalidZoneID:        transport.KindInvalidInput,
		CodeZoneNotFound:         transport.KindNotFound,
		CodeZoneNotNormal:        transport.KindTransient,
		CodeZoneDisabled:         transport.KindConflict,
		CodeInvalidRequest:       transport.KindInvalidInput,
		CodeAuthRequired:         transport.KindUnauthorized,
		CodeNoAPIPermission:      transport.KindAccessDenied,
		CodeFlowControl:          transport.KindThrottled,
		CodeLockFailed:           transport.KindTransient,
		CodeOperationNotAllowed:  transport.KindAccessDenied,
		CodeUserNotAllowed:       transport.KindAccessDenied,
		CodePolicyDenied:         transport.KindAccessDenied,
		CodeSystemBusy:           transport.KindTransient,
		CodeInternalError:        transport.KindTransient,
		CodeDatabaseError:        transport.KindTransient,
		CodeVPCServiceError:      transport.KindTransient,
		CodeIAMServiceError:      transport.KindTransient,
	}}
}
