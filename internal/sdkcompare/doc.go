// Package sdkcompare holds differential tests that check detach against the
// official SDKs: its signers against aws-sdk-go-v2, smithy-go's aws-http-auth
// and huaweicloud-sdk-go-v3, its operations' requests against the requests
// those SDKs send for the same input, and its reading of the AWS shared
// config, credentials files and environment against aws-sdk-go-v2's
// config.LoadDefaultConfig, and signer/cloudsyaml's reading of clouds.yaml
// and OS_* against gophertelekomcloud's.
//
// It is a separate module so that the SDKs never become dependencies of
// detach itself. Everything is in _test.go files; run it with
//
//	cd internal/sdkcompare && go test -race ./...
//
// and vary the generated cases with -seed (or SDKCOMPARE_SEED) and -cases
// (or SDKCOMPARE_CASES). README.md lists what is compared and what is left
// out, with the reasons.
package sdkcompare
