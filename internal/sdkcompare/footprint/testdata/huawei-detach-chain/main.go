// Command huawei-detach-chain makes one Huawei Cloud DNS DisassociateRouter
// call with detach, its credentials found as huaweicloud-sdk-go-v3's
// BasicCredentialProviderChain finds them (the environment with OIDC
// federation, the profile file, ECS metadata, CCE pod identity) and the
// project ID asked of IAM when the source has none, as a program that runs
// on ECS, in CCE and in CI would: the full Huawei chain, linked whole.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer/huaweicreds"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

func main() {
	err := run()
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, "huawei-detach-chain "+stamp+":", err)
	os.Exit(1)
}

func run() error {
	c, err := privatedns.New(privatedns.Options{
		Cloud:       privatedns.HuaweiCloud,
		Region:      "cn-north-4",
		Endpoint:    os.Getenv("FOOTPRINT_ENDPOINT"), // empty: the region's endpoint
		Credentials: huaweicreds.BasicChain(huaweicreds.ChainConfig{}),
	}, privatedns.WithProjectIDFromIAM())
	if err != nil {
		return err
	}
	out, err := c.DisassociateRouter(context.Background(), &privatedns.DisassociateRouterInput{
		ZoneID:       "ff8080825b8fc86c015b94bc6f8712c3",
		RouterID:     "f0791650-db8c-4a20-8a44-a06c6e24b15b",
		RouterRegion: "cn-north-4",
	})
	if err != nil {
		return err
	}
	fmt.Println(out.Status)
	return nil
}
