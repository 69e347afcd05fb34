// Package awscreds holds the AWS credential sources that call a service or
// run a process, each usable on its own: STS AssumeRole and
// AssumeRoleWithWebIdentity, IAM Identity Center (SSO), credential_process,
// container credentials endpoints (ECS, EKS Pod Identity), EC2 instance
// metadata (IMDSv2), and `aws login` sessions. It sits above the transport;
// the providers that read only the environment and local files are in
// package signer, which does not link this one.
//
// Every provider satisfies signer.AWSCredentialsProvider and fetches on
// every call, so wrap it in signer.NewAWSCredentialsCache, which refreshes
// before expiry once for all callers:
//
//	p, err := awscreds.NewWebIdentityProvider(awscreds.WebIdentityConfig{
//		RoleARN:   os.Getenv("AWS_ROLE_ARN"),
//		TokenFile: os.Getenv("AWS_WEB_IDENTITY_TOKEN_FILE"),
//		Region:    "eu-west-1",
//	})
//	if err != nil {
//		return err
//	}
//	creds := signer.NewAWSCredentialsCache(p)
//	c, err := route53profiles.New(route53profiles.Options{Region: "eu-west-1", Credentials: creds})
//
// Constructors take explicit values: reading the shared config files and
// the environment into them is the caller's job, or NewDefaultChain's,
// which picks and builds the source config.LoadDefaultConfig would (`aws
// login` profiles only with DefaultChainOptions.Login, see there). The
// behaviour of each source follows aws-sdk-go-v2 (credentials v1.21.1,
// feature/ec2/imds v1.20.9, service/sts v1.52.0, sso v1.39.5, ssooidc
// v1.44.5, signin v1.13.1); where it differs, the type's comment says how
// and why.
//
// Every network call goes through package transport: bounded retries,
// bounded bodies, typed errors, no redirects. Every secret a source sends
// or reads (web identity, SSO and container tokens, refresh tokens, client
// secrets, the IMDS session token, process output) is kept out of errors
// and logs, including when a service echoes it back. Errors are *Error.
package awscreds
