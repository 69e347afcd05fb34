// Package privatedns calls the private-zone DNS API of Huawei Cloud and Open
// Telekom Cloud (OTC): DisassociateRouter removes a VPC ("router") from a
// private zone.
//
// # Authentication
//
// Choose one, explicitly, in Options:
//
//   - an IAM token (Options.TokenSource), sent as X-Auth-Token:
//     signer.NewIAMPasswordTokenSource obtains a project-scoped token with a
//     user name and password, caches it, refreshes it before it expires and
//     once when DNS answers 401; signer.StaticToken sends a token you already
//     have (for example OS_AUTH_TOKEN, see signer.OpenStackEnv);
//   - an access key pair (Options.Credentials), signed as
//     huaweicloud-sdk-go-v3 signs it on Huawei Cloud, or as
//     gophertelekomcloud signs it on OTC, with the project in X-Project-Id.
//     Without a project ID, the client asks IAM once for the ID of the
//     project named after the region and caches it.
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
//
// # Usage
//
//	ts, err := signer.NewIAMPasswordTokenSource(signer.IAMPasswordConfig{
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
package privatedns
