// Package identitycenter calls Huawei Cloud IAM Identity Center's
// DeleteProfile, which removes the association (a "profile") between an
// application instance and its users or groups.
//
// # Authentication
//
// Requests are signed with an access key pair (SDK-HMAC-SHA256, as
// huaweicloud-sdk-go-v3 signs them) and carry the account's domain ID in
// X-Domain-Id, since Identity Center is a global service with no project.
// Temporary keys add their security token as X-Security-Token. Credentials
// default to signer.HuaweiCredentialsFromEnv() (HUAWEICLOUD_SDK_AK,
// HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN,
// HUAWEICLOUD_SDK_DOMAIN_ID).
//
// The domain ID comes from Options.DomainID, else from the credentials, else
// from IAM: the client asks GET /v3/auth/domains once (signed with the same
// keys, at Options.IAMEndpoint, default https://iam.myhuaweicloud.com) and
// caches the answer, as the v3 SDK does. Giving the ID saves that request.
//
// # Endpoint
//
// Identity Center has a single host, https://identitycenter.myhuaweicloud.com
// (DefaultEndpoint); Options.Endpoint replaces it.
//
// # Errors
//
// Errors are *smithy.OperationError values unwrapping to the transport's
// error types; service errors are *transport.ResponseError with the code,
// message and request ID. Huawei does not publish Identity Center's own
// error codes, so they are classified by HTTP status; the API gateway's
// codes (CodeGatewayUnauthorized, ...) are classified by code.
//
// # Usage
//
//	c, err := identitycenter.New(identitycenter.Options{
//		Credentials: signer.HuaweiCredentialsFromEnv(),
//		DomainID:    "0123456789abcdef0123456789abcdef", // optional: saves an IAM call
//	})
//	if err != nil { ... }
//	_, err = c.DeleteProfile(ctx, &identitycenter.DeleteProfileInput{
//		InstanceID:            "ins-2c1e00000000f3c6",
//		ApplicationInstanceID: "app-ins-0123456789abcdef",
//		ProfileID:             "0123456789abcdef",
//	})
//	if errors.Is(err, transport.ErrNotFound) { /* already gone */ }
//
// With Options.Idempotent (per client, or per call as an Option), a profile
// that is already gone is a success: the output's AlreadyGone is set. Only
// Identity Center's own 404 counts (an error body with an IIC. code); a bare
// 404 from a proxy or a wrong base path stays an error.
package identitycenter
