// Package fakecloud is an in-process emulator of the four services detach
// talks to: AWS Route 53 Profiles and Customer Profiles, Huawei Cloud IAM
// Identity Center, and the private-zone DNS of Huawei Cloud and Open Telekom
// Cloud, with the IAM token and lookup calls their clients need, and of the
// AWS credential services (STS, SSO, instance and container metadata).
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
// with. The prefix is part of the path the client signs. [LocalDoer] serves
// a client's requests with no socket at all: inside a testing/synctest
// bubble, where sockets are not allowed, client and emulator then share the
// fake clock.
//
// Requests are really authenticated: SigV4 for AWS, Huawei AK/SK (both the
// huaweicloud-sdk-go-v3 "Access=" form and the gophertelekomcloud
// "Credential=" form) and IAM tokens for Huawei and OTC. The known
// credentials are exported constants (they are fake). A new Cloud is seeded
// with a small data set whose IDs are exported constants too.
//
// Besides the four removals, the Cloud serves the calls that waiting for
// them takes: Route 53 Profiles GetProfileAssociation and
// ListProfileAssociations (paged, with NextTokens of its own), and DNS
// ShowPrivateZone and AssociateRouter. The Op* constants name every
// operation.
//
// # Changes that complete as they are read
//
// Removals and associations are asynchronous in the real services: the call
// answers with a pending state and the change completes later. The emulator
// completes them on reads rather than on time, so that a test decides
// exactly when they happen:
//
//   - A disassociated Route 53 Profiles association is DELETING. The first N
//     reads of it (a GetProfileAssociation, or a ListProfileAssociations page
//     that lists it) see it DELETING; the next read finds it gone, and from
//     then on GetProfileAssociation answers ResourceNotFoundException and
//     ListProfileAssociations leaves it out, as the service does (it keeps no
//     DELETED associations). N is [DefaultProfileDeletionReads] unless
//     [WithProfileDeletionReads] says otherwise; 0 means the first read
//     already finds it gone.
//   - A DNS router association being disassociated is PENDING_DELETE, and
//     a new one (AssociateRouter) is PENDING_CREATE. The first N reads of the
//     zone (ShowPrivateZone) see it so; the next read completes the change:
//     a PENDING_DELETE router is gone from the zone's routers, a
//     PENDING_CREATE one is ACTIVE. N is [DefaultRouterTransitionReads]
//     unless [WithRouterTransitionReads] says otherwise.
//
// The getters ([Cloud.ProfileAssociation], [Cloud.Zone]) are not reads: a
// test that never reads through the API keeps seeing the pending state.
//
// # Huawei Cloud and OTC credential sources
//
// The Cloud also emulates what the Huawei Cloud and OTC credential sources
// call (shared/reference/credentials.md §2.4 to §2.8, §3.4 and §3.5), in
// the shapes huaweicloud-sdk-go-v3 v0.1.207 and gophertelekomcloud v0.9.8
// read:
//
//   - IAM (both clouds): federation with an OIDC ID token (POST
//     /v3.0/OS-AUTH/id-token/tokens, X-Idp-Id HuaweiIdPID or OTCIdPID,
//     ID token IDTokenValue or any added with [Cloud.AddIDToken]),
//     temporary keys for a token or an agency (POST
//     /v3.0/OS-CREDENTIAL/securitytokens), agency tokens (assume_role in
//     POST /v3/auth/tokens), domain-scoped password tokens, token
//     validation (GET /v3/auth/tokens) and the catalog (GET
//     /v3/auth/catalog). Each cloud has a delegating domain whose agency
//     (HuaweiAgencyName, OTCAgencyName) trusts its own account, with a
//     project and a private zone (HuaweiAgencyZoneID, OTCAgencyZoneID).
//   - The ECS metadata service ([HuaweiMetadata]: session tokens and
//     /openstack/latest/securitykey; [Cloud.SetECSMetadata] takes the
//     token API away, demands a token, unbinds the agency or removes the
//     service).
//   - The CCE pod identity endpoint ([HuaweiPodIdentity], POST
//     PodIdentityPath with PodIdentityToken; [Cloud.SetPodIdentity]).
//
// Every key they issue is new ([Cloud.IssuedHuaweiCredentials]), expires on
// the emulator clock, and is accepted with its security token by DNS,
// Identity Center and IAM until then. Faults and quotas apply to their
// operations (OpCreateTokenWithIDToken, OpCreateTemporaryAccessKey,
// OpMetadataGetToken, ...) as to the others. Every request a service
// receives is kept ([Cloud.ServiceRequests]: method, path, query, identity
// headers, JSON fields, the signing access key), so that a test can compare
// what two clients send. The SDKs replace an endpoint's path with the
// API's, and their metadata address is fixed: [Cloud.StartAt] and
// [Cloud.StartTLSAt] serve one service at the root of its own server (over
// HTTPS for HUAWEICLOUD_SDK_IAM_ENDPOINT, which the SDK reaches by HTTPS
// only).
//
// # Hooks
//
// Tests change the state with the Add* methods and read it back with the
// getters. They put resources in states no call of a client leads to with
// [Cloud.SetProfileAssociationStatus] (FAILED, CREATING, or DELETING as if
// someone else had started the removal), [Cloud.SetRouterStatus] (ERROR,
// which stays until changed, or a PENDING_* state) and [Cloud.SetZoneStatus]
// (a zone that is not ACTIVE refuses router changes), and remove a zone
// with its associations with [Cloud.DeleteZone]. Setting a pending state
// starts its count of reads anew.
//
// They make the next requests for an operation fail with [Cloud.Inject]
// (throttling, server errors, resets, slow answers, in order), give an
// operation an API quota with [Cloud.LimitRate] (a token bucket on the
// emulator clock; the requests over it get the service's own throttling
// answer), and count requests with [Cloud.Requests] and issued tokens with
// [Cloud.TokensIssued]. [Cloud.Reset] restores the seed data and clears
// faults and counts; the options of [New] and the quotas stay.
//
// # Credential hosts
//
// The Cloud also emulates the services AWS credential sources call, each
// a [Host] served from the root of its own base URL ([Cloud.HostHandler],
// [Cloud.StartHost], or all five with [Cloud.StartCredentialServers],
// whose Env and ContainerURI give the settings that point aws-sdk-go-v2
// at them): STS AssumeRole (SigV4, with the same keys as the services) and
// AssumeRoleWithWebIdentity, the SSO portal's GetRoleCredentials, SSO OIDC
// CreateToken (refresh_token grant), the EC2 instance metadata service
// (IMDSv2, v1 when allowed) and the ECS / EKS Pod Identity container
// endpoint. Their answers follow aws-sdk-go-v2's snapshots of the real
// services (shared/reference/credentials.md §1.6 to §1.9), and
// internal/sdkcompare checks them with the SDK's own providers.
//
// Roles ([Cloud.AddRole]), web identity tokens ([Cloud.AddWebIdentity]),
// SSO tokens, roles and clients ([Cloud.AddSSOAccessToken],
// [Cloud.AddSSORole], [Cloud.AddSSOClient], [Cloud.AddSSORefreshToken]),
// the metadata service ([Cloud.SetIMDS]) and the container endpoint
// ([Cloud.SetContainer]) are set up in the existing style, over a seed of
// exported constants (AWSRoleARN, AWSWebIdentityToken, SSOAccessToken,
// IMDSRoleName, ContainerAuthToken, ...). Every set of credentials the
// hosts issue is new ([Cloud.IssuedCredentials]), expires on the emulator
// clock, and is accepted by the Cloud's AWS services, STS included, until
// then (ExpiredTokenException after). Every request a host receives is
// kept ([Cloud.CredentialRequests]: method, path, query, form or JSON
// fields, identity headers, who signed it), so that a test can compare
// what two clients send; faults and quotas apply to the hosts' operations
// (the Op* constants of hosts.go) as to the services'.
//
// A Cloud is safe for concurrent use.
package fakecloud
