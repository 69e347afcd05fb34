// Package privatedns calls the private-zone DNS API of Huawei Cloud and Open
// Telekom Cloud (OTC): DisassociateRouter removes a VPC ("router") from a
// private zone, AssociateRouter adds one, and ShowPrivateZone describes a
// zone with the state of each association.
//
// # Asynchronous changes
//
// DNS answers a disassociation with PENDING_DELETE and an association with
// PENDING_CREATE, and completes them later. Deleting a VPC before its
// disassociation has completed fails, so:
//
//   - WaitRouterDisassociated and WaitRouterActive poll ShowPrivateZone
//     until the change has completed (RouterWaitOptions bounds them);
//   - DisassociateAndWait looks first, disassociates only when needed (never
//     twice), and waits: safe to run again after any failure;
//   - ReplaceRouter replaces a zone's last VPC, which cannot simply be
//     disassociated (CodeLastVPC): associate the new one, wait until it is
//     ACTIVE, then disassociate the old one and wait.
//
// Options.Idempotent (per client or per call) makes DisassociateRouter
// answer AlreadyGone instead of CodeVPCNotAssociated, so that a retried
// cleanup is not an error. Bulk cleanups that meet DNS's flow control
// (CodeFlowControl) can pace every call of a client with a
// transport.Limiter in Options.Limiter.
//
// # Authentication
//
// Choose one, explicitly, in Options:
//
//   - an IAM token (Options.TokenSource), sent as X-Auth-Token:
//     huaweicreds.NewPasswordTokenSource obtains a project-scoped token with a
//     user name and password, caches it, refreshes it before it expires and
//     once when DNS answers 401; signer.StaticToken sends a token you already
//     have (for example OS_AUTH_TOKEN, see signer.OpenStackEnv);
//   - an access key pair (Options.Credentials), signed as
//     huaweicloud-sdk-go-v3 signs it on Huawei Cloud, or as
//     gophertelekomcloud signs it on OTC, with the project in X-Project-Id:
//     Options.ProjectID, else the credentials' own (HUAWEICLOUD_SDK_PROJECT_ID,
//     the profile's project_id). Keys that carry none (ECS metadata, CCE pod
//     identity, federation) need WithProjectIDFromIAM, given to New: the
//     client then asks IAM once for the ID of the project named after the
//     region and caches it, as huaweicloud-sdk-go-v3 does by default. The
//     lookup is asked for rather than implied so that a program that has its
//     project ID does not link the IAM client (about 29 KB).
//
// # Endpoints
//
// Huawei Cloud: https://dns.{region}.myhuaweicloud.com. OTC:
// https://dns.{region}.otc.t-systems.com (eu-de, eu-nl); for the Swiss
// region eu-ch2, https://dns.eu-ch2.sc.otc.t-systems.com, which follows the
// Swiss cloud's host pattern but is not confirmed by a published endpoint
// table. Options.Endpoint replaces the derived endpoint.
//
// # Errors
//
// Errors are *smithy.OperationError values unwrapping to the transport's
// error types. The DNS error codes DisassociateRouter can meet are the Code
// constants, each mapped to a sentinel: the last VPC of a zone
// (CodeLastVPC) is transport.ErrConflict; a VPC that is not associated
// (CodeVPCNotAssociated) is transport.ErrNotFound; DNS's flow control
// (CodeFlowControl, sent with 403) is transport.ErrThrottled and retried.
// The waiters' errors are *transport.WaitError values naming the last state
// seen; ReplaceRouter's are *ReplaceRouterError values naming the step.
//
// # Usage
//
//	ts, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
//		Region: "eu-de", OTC: true,
//		UserName: "user", Password: os.Getenv("OS_PASSWORD"), DomainName: "OTC-EU-DE-000000000010000XXXXX",
//	})
//	if err != nil { ... }
//	c, err := privatedns.New(privatedns.Options{
//		Cloud: privatedns.OpenTelekomCloud, Region: "eu-de", TokenSource: ts,
//	})
//	if err != nil { ... }
//	out, err := c.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{
//		ZoneID:   "ff8080825b8fc86c015b94bc6f8712c3",
//		RouterID: "f0791650-db3c-4c5a-9e6e-2ca5a6f4d4a4",
//	})
//	switch {
//	case errors.Is(err, transport.ErrNotFound): // already disassociated
//	case errors.Is(err, transport.ErrConflict): // e.g. the zone's last VPC
//	}
//
// Or, to remove the association and wait until the VPC can be deleted:
//
//	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
//	defer cancel()
//	_, err = c.DisassociateAndWait(ctx, zoneID, vpcID, "", privatedns.RouterWaitOptions{})
package privatedns
