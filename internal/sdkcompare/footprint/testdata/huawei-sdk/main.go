// Command huawei-sdk makes one Huawei Cloud DNS DisassociateRouter call with
// huaweicloud-sdk-go-v3.
package main

import (
	"fmt"
	"os"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	dns "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/model"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/region"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "huawei-sdk "+stamp+":", err)
		os.Exit(1)
	}
}

func run() error {
	auth, err := basic.NewCredentialsBuilder().
		WithAk(os.Getenv("HUAWEICLOUD_SDK_AK")).
		WithSk(os.Getenv("HUAWEICLOUD_SDK_SK")).
		WithProjectId(os.Getenv("HUAWEICLOUD_SDK_PROJECT_ID")).
		SafeBuild()
	if err != nil {
		return err
	}
	b := dns.DnsClientBuilder().WithCredential(auth)
	if ep := os.Getenv("FOOTPRINT_ENDPOINT"); ep != "" {
		b = b.WithEndpoints([]string{ep})
	} else {
		r, err := region.SafeValueOf("cn-north-4")
		if err != nil {
			return err
		}
		b = b.WithRegion(r)
	}
	hc, err := b.SafeBuild()
	if err != nil {
		return err
	}
	routerRegion := "cn-north-4"
	out, err := dns.NewDnsClient(hc).DisassociateRouter(&model.DisassociateRouterRequest{
		ZoneId: "ff8080825b8fc86c015b94bc6f8712c3",
		Body: &model.DisassociaterouterRequestBody{Router: &model.Router{
			RouterId: "f0791650-db8c-4a20-8a44-a06c6e24b15b", RouterRegion: &routerRegion,
		}},
	})
	if err != nil {
		return err
	}
	fmt.Println(*out.Status)
	return nil
}
