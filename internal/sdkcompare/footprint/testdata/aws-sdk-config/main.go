// Command aws-sdk-config makes one Route 53 Profiles DisassociateProfile call
// with aws-sdk-go-v2 configured the usual way, by config.LoadDefaultConfig.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/route53profiles"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"))
	if err == nil {
		c := route53profiles.NewFromConfig(cfg, func(o *route53profiles.Options) {
			if ep := os.Getenv("FOOTPRINT_ENDPOINT"); ep != "" {
				o.BaseEndpoint = aws.String(ep)
			}
		})
		var out *route53profiles.DisassociateProfileOutput
		out, err = c.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{
			ProfileId:  aws.String("rp-4987774726example"),
			ResourceId: aws.String("vpc-0af3b96b3example"),
		})
		if err == nil {
			fmt.Println(out.ProfileAssociation.Status)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "aws-sdk-config "+stamp+":", err)
	os.Exit(1)
}
