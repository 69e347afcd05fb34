// Command aws-sdk makes one Route 53 Profiles DisassociateProfile call with
// aws-sdk-go-v2, configured by hand (no config loader).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53profiles"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

func main() {
	o := route53profiles.Options{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY")}, nil
		}),
	}
	if ep := os.Getenv("FOOTPRINT_ENDPOINT"); ep != "" {
		o.BaseEndpoint = aws.String(ep)
	}
	out, err := route53profiles.New(o).DisassociateProfile(context.Background(), &route53profiles.DisassociateProfileInput{
		ProfileId:  aws.String("rp-4987774726example"),
		ResourceId: aws.String("vpc-0af3b96b3example"),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "aws-sdk "+stamp+":", err)
		os.Exit(1)
	}
	fmt.Println(out.ProfileAssociation.Status)
}
