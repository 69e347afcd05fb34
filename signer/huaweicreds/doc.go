// Package huaweicreds holds the Huawei Cloud and Open Telekom Cloud
// credential sources that call a service: they ask IAM over the network,
// through the transport, where package signer only signs and reads the
// environment and local files.
//
//   - [NewPasswordTokenSource]: a project-scoped IAM token obtained with an
//     IAM user's name and password (POST /v3/auth/tokens), cached, refreshed
//     before it expires and once, for all callers together, when a service
//     rejects it. [PasswordConfigFromEnv] builds its [PasswordConfig] from
//     the OpenStack-style OS_* variables that [signer.OpenStackEnv] reads.
//   - [NewAgencyTokenSource] and [NewAgencyKeysProvider]: an agency of
//     another domain (IAM's assume_role), from the caller's token (a token
//     scoped to the delegated project) or from the caller's access keys
//     (temporary keys, POST /v3.0/OS-CREDENTIAL/securitytokens), each as
//     gophertelekomcloud gets them, cached and refreshed.
//   - [ProjectIDFromIAM] and [DomainIDFromIAM]: wrap an access-key provider
//     so that credentials without a project or domain ID get it from IAM,
//     asked once and cached, as huaweicloud-sdk-go-v3 does.
//
// The sources plug into the signer: a [PasswordTokenSource] is a
// [signer.TokenSource] for [signer.TokenAuth] (privatedns.Options.TokenSource),
// a [ResolvedCredentials] is a [signer.HuaweiCredentialsProvider].
// identitycenter builds the domain ID lookup itself when its credentials
// lack the ID, and privatedns the project ID lookup when New is given
// privatedns.WithProjectIDFromIAM; a privatedns program without that
// option, the AWS services and the signer do not link the lookups.
//
// Every IAM call is a transport call: retries, timeouts, logging and errors
// are the transport's (errors wrap *smithy.OperationError for service "IAM").
// Secrets never leave in readable form: the types holding a password or a
// token redact it in every fmt verb, slog and JSON rendering, and no error
// quotes it.
package huaweicreds
