// Command aws-detach-chain makes one Route 53 Profiles DisassociateProfile
// call with detach, its settings and credentials found as aws-sdk-go-v2's
// config.LoadDefaultConfig finds them: the shared configuration and the
// full default credential chain (roles, web identity, SSO, process,
// container, instance metadata), linked whole.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/awscreds"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

func main() {
	err := run()
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "aws-detach-chain "+stamp+":", err)
	os.Exit(1)
}

func run() error {
	shared, err := signer.LoadAWSConfig(signer.AWSConfigSource{})
	if err != nil {
		return err
	}
	creds, err := awscreds.NewDefaultChain(awscreds.DefaultChainOptions{})
	if err != nil {
		return err
	}
	c, err := route53profiles.New(route53profiles.Options{
		SharedConfig: shared,
		Region:       "us-east-1",
		Endpoint:     os.Getenv("FOOTPRINT_ENDPOINT"), // empty: the region's endpoint
		Credentials:  creds,
	})
	if err != nil {
		return err
	}
	out, err := c.DisassociateProfile(context.Background(), &route53profiles.DisassociateProfileInput{
		ProfileID:  "rp-4987774726example",
		ResourceID: "vpc-0af3b96b3example",
	})
	if err != nil {
		return err
	}
	fmt.Println(out.ProfileAssociation.Status)
	return nil
}
