// Command huawei-detach makes one Huawei Cloud DNS DisassociateRouter call
// with detach.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

func main() {
	c, err := privatedns.New(privatedns.Options{
		Cloud:       privatedns.HuaweiCloud,
		Region:      "cn-north-4",
		Endpoint:    os.Getenv("FOOTPRINT_ENDPOINT"), // empty: the region's endpoint
		Credentials: signer.HuaweiCredentialsFromEnv(),
	})
	if err == nil {
		var out *privatedns.DisassociateRouterOutput
		out, err = c.DisassociateRouter(context.Background(), &privatedns.DisassociateRouterInput{
			ZoneID:       "ff8080825b8fc86c015b94bc6f8712c3",
			RouterID:     "f0791650-db8c-4a20-8a44-a06c6e24b15b",
			RouterRegion: "cn-north-4",
		})
		if err == nil {
			fmt.Println(out.Status)
			return
		}
	}
	fmt.Fprintln(os.Stderr, "huawei-detach "+stamp+":", err)
	os.Exit(1)
}
