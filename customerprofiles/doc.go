// Package customerprofiles calls Amazon Connect Customer Profiles'
// DeleteProfileObject, which removes one object (such as a contact record)
// from a customer profile, without the AWS SDK.
//
// With Options.Idempotent (per client or per call), an object that is
// already gone (ResourceNotFoundException) is reported as a success with
// AlreadyGone set, so a cleanup may run twice.
//
// # Authentication
//
// Requests are signed with AWS Signature Version 4, signing name "profile".
// Credentials come from Options.Credentials, which is required:
// [signer.DefaultAWSCredentials] (the AWS_ACCESS_KEY_ID family of environment
// variables, then the shared credentials file) or awscreds.NewDefaultChain
// (everything aws-sdk-go-v2's config.LoadDefaultConfig finds).
//
// # Endpoints
//
// The endpoint is built from the region as the service's endpoint rule set
// builds it: https://profile.{region}.amazonaws.com, with "-fips" after the
// prefix for UseFIPS and the partition's dual-stack suffix for UseDualStack.
// The rules build a host name for any region, but the service is listed only
// in some aws-partition regions (us-east-1, us-west-2, ca-central-1,
// eu-central-1, eu-west-2, af-south-1, ap-northeast-1/2, ap-southeast-1/2),
// with FIPS endpoints in us-east-1, us-west-2 and ca-central-1.
// Options.Endpoint replaces all of this, e.g. for a VPC interface endpoint or
// a test server.
//
// # Usage
//
//	c, err := customerprofiles.New(customerprofiles.Options{Region: "us-east-1"})
//	if err != nil {
//		return err
//	}
//	out, err := c.DeleteProfileObject(ctx, &customerprofiles.DeleteProfileObjectInput{
//		DomainName:             "ExampleDomain",
//		ObjectTypeName:         "CTR",
//		ProfileID:              "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60",
//		ProfileObjectUniqueKey: "MTIzNDU2Nzg5MA==",
//	})
//
// Every error is a *smithy.OperationError that unwraps to one of transport's
// error types; see [Client.DeleteProfileObject].
package customerprofiles
