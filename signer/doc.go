// Package signer holds detach's credentials and request signers. Each signer
// is a transport.Authorizer: the transport calls it once per attempt, after
// every other header is final, with the hex SHA-256 of the body and the time
// to sign with, so signing is a pure function of its inputs.
//
//   - AWS Signature Version 4: [SigV4] (credentials from an
//     [AWSCredentialsProvider] such as [DefaultAWSCredentials]) and the
//     lower-level [SignV4] and [SignV4WithOptions]. It passes the public AWS
//     SigV4 test suite.
//   - Huawei Cloud and Open Telekom Cloud AK/SK signing (SDK-HMAC-SHA256,
//     with X-Security-Token for temporary keys): [HuaweiAKSK], and the
//     lower-level [SignHuawei], [SignOTC] and [SignHuaweiWithOptions].
//   - Token authorization (X-Auth-Token): [TokenAuth] with a [TokenSource],
//     static ([StaticToken]) or cached by [CachedTokenSource] around a fetch
//     function, which refreshes it once, for all callers together, when the
//     service rejects it.
//   - The AWS shared config and credentials files and the environment, read
//     as aws-sdk-go-v2's config.LoadDefaultConfig reads them: [LoadAWSConfig]
//     gives the credential plan ([AWSConfig.CredentialPlan]) that sources
//     above the transport execute, and each client's settings
//     ([AWSConfig.Settings]).
//
// The credential sources here read only the process environment and local
// files (static keys, AWS_* and HUAWEICLOUD_SDK_* variables, the AWS shared
// credentials file, the OpenStack OS_* variables). Sources that call a
// service live above the transport, in packages of their own: Huawei Cloud
// and OTC IAM in signer/huaweicreds. This package imports only the standard
// library (internal/layering checks it): nothing in it calls a service.
//
// Secrets never leave this package in readable form: credential types redact
// their secret fields in every fmt verb, String, GoString, slog and JSON
// rendering, and errors name the source and field that failed, never a
// secret or a signature. One exception is fmt's own: %p given a struct value
// (not a pointer) prints its fields without asking the type, so do not use
// %p on credential values. The providers and sources handed out here are
// pointers, which %p prints as an address.
//
// Every provider, token source and Authorizer here refuses a nil context
// with a *ValidationError naming "ctx", which answers
// errors.Is(err, transport.ErrInvalidInput) like the transport's own.
package signer
