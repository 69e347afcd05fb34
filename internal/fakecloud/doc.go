// Package fakecloud is an in-process emulator of the four services detach
// talks to: AWS Route 53 Profiles and Customer Profiles, Huawei Cloud IAM
// Identity Center, and the private-zone DNS of Huawei Cloud and Open Telekom
// Cloud, with the IAM token and lookup calls their clients need.
//
// It serves end-to-end tests and examples/tour, which a newcomer runs with no
// cloud account. It follows the services' documentation (the notes under
// shared/reference: aws.md, huawei.md, dns-error-codes.txt), never our own
// client: wire shapes, status codes, error bodies and auth failures are the
// documented ones. Where the documentation is silent the emulator makes a
// choice and says so in the doc comment of the handler that makes it.
//
// A [Cloud] is an [net/http.Handler] serving every service under its own path
// prefix (see [Service]); [Cloud.Start] runs it on a loopback httptest server
// and [Server.Endpoint] gives the base URL a client should be configured
// with. The prefix is part of the path the client signs.
//
// Requests are really authenticated: SigV4 for AWS, Huawei AK/SK (both the
// huaweicloud-sdk-go-v3 "Access=" form and the gophertelekomcloud
// "Credential=" form) and IAM tokens for Huawei and OTC. The known
// credentials are exported constants (they are fake). A new Cloud is seeded
// with a small data set whose IDs are exported constants too.
//
// Tests change the state with the Add* methods, read it back with the getters,
// make the next requests fail with [Cloud.Inject], and count them with
// [Cloud.Requests] and [Cloud.TokensIssued]. A Cloud is safe for concurrent use.
package fakecloud
