// Package route53profiles calls Amazon Route 53 Profiles' DisassociateProfile,
// which removes the association between a Route 53 Profile and a VPC, without
// the AWS SDK, together with what it takes to see the removal through:
// GetProfileAssociation and ListProfileAssociations (with
// ListProfileAssociationsAll, an iterator over every page), the waiter
// WaitProfileDisassociated and DisassociateAndWait.
//
// # Asynchronous removal
//
// DisassociateProfile answers at once with the association in status
// DELETING; the service removes it later, and until then deleting the VPC or
// the Profile fails. WaitProfileDisassociated polls ListProfileAssociations
// until the association is gone; DisassociateAndWait looks first, sends
// DisassociateProfile only when no removal is under way, and waits.
//
// # Repeated cleanups and throttling
//
// With Options.Idempotent, DisassociateProfile reports an association that
// no longer exists as a success (AlreadyGone) instead of an error, so a
// cleanup may run twice. Bulk cleanups should share one transport.Limiter
// (Options.Limiter, see transport.NewLimiter with transport.Adaptive) so
// that their calls slow down when the service throttles them.
//
// # Authentication
//
// Requests are signed with AWS Signature Version 4, signing name
// "route53profiles". Credentials come from Options.Credentials, which is required:
// [signer.DefaultAWSCredentials] (the AWS_ACCESS_KEY_ID family of environment
// variables, then the shared credentials file) or awscreds.NewDefaultChain
// (everything aws-sdk-go-v2's config.LoadDefaultConfig finds).
//
// # Endpoints
//
// The endpoint is built from the region as the service's endpoint rule set
// builds it: https://route53profiles.{region}.amazonaws.com, with
// "-fips" after the prefix for UseFIPS and the partition's dual-stack suffix
// (api.aws in the aws partition) for UseDualStack. Every partition resolves
// (China to amazonaws.com.cn, the ISO partitions to their own suffixes);
// the service is listed in the commercial regions, China, GovCloud,
// aws-iso-e, aws-iso-f and the European Sovereign Cloud. Options.Endpoint
// replaces all of this, e.g. for a VPC interface endpoint or a test server.
//
// # Usage
//
//	c, err := route53profiles.New(route53profiles.Options{Region: "us-east-1"})
//	if err != nil {
//		return err
//	}
//	out, err := c.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{
//		ProfileID:  "rp-4987774726example",
//		ResourceID: "vpc-0af3b96b3example",
//	})
//	if errors.Is(err, transport.ErrNotFound) {
//		// already gone
//	}
//
// Every error of an operation is a *smithy.OperationError that unwraps to one
// of transport's error types; see [Client.DisassociateProfile]. The waiters
// return a *transport.WaitError.
package route53profiles
