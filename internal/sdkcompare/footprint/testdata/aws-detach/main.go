// Command aws-detach makes one Route 53 Profiles DisassociateProfile call
// with detach.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

func main() {
	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    os.Getenv("FOOTPRINT_ENDPOINT"), // empty: the region's endpoint
		Credentials: signer.AWSCredentialsFromEnv(),
	})
	if err == nil {
		var out *route53profiles.DisassociateProfileOutput
		out, err = c.DisassociateProfile(context.Background(), &route53profiles.DisassociateProfileInput{
			ProfileID:  "rp-4987774726example",
			ResourceID: "vpc-0af3b96b3example",
		})
		if err == nil {
			fmt.Println(out.ProfileAssociation.Status)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "aws-detach "+stamp+":", err)
	os.Exit(1)
}
