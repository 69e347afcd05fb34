package reliability

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/transport"
)

// The private-zone read that the router waiters poll, and the association
// that ReplaceRouter starts with, as operations of the suites.

// zoneBody is a private zone as Huawei Cloud's DNS writes it.
const zoneBody = `{"id":"` + fakecloud.HuaweiZoneID + `","name":"example.com.","description":"d","email":"xx@example.com",` +
	`"ttl":300,"serial":1,"masters":[],"status":"ACTIVE","links":{"self":"https://dns.test/v2/zones/z"},` +
	`"pool_id":"ff8080825ab738f4015ab7513298010e","project_id":"` + fakecloud.HuaweiProjectID + `","zone_type":"private",` +
	`"created_at":"2017-04-22T08:17:08.997","updated_at":"2017-04-22T08:17:09.997","record_num":2,"routers":[` +
	`{"status":"ACTIVE","router_id":"` + fakecloud.HuaweiVPCID + `","router_region":"cn-north-4"},` +
	`{"status":"PENDING_DELETE","router_id":"` + fakecloud.HuaweiVPCID2 + `","router_region":"cn-north-4"}]}`

// assocVPCID is a VPC no seeded zone is associated with.
const assocVPCID = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e"

func runShowPrivateZone(ctx context.Context, c *privatedns.Client, in any, opts ...privatedns.Option) (any, transport.Metadata, error) {
	x, _ := in.(*privatedns.ShowPrivateZoneInput)
	out, err := c.ShowPrivateZone(ctx, x, opts...)
	return result(out, func(o *privatedns.ShowPrivateZoneOutput) transport.Metadata { return o.Metadata }, err)
}

func runAssociateRouter(ctx context.Context, c *privatedns.Client, in any, opts ...privatedns.Option) (any, transport.Metadata, error) {
	x, _ := in.(*privatedns.AssociateRouterInput)
	out, err := c.AssociateRouter(ctx, x, opts...)
	return result(out, func(o *privatedns.AssociateRouterOutput) transport.Metadata { return o.Metadata }, err)
}

// showVPC is a VPC of the zone ShowPrivateZone's input i reads.
func showVPC(i int) string {
	if i == 0 {
		return fakecloud.HuaweiVPCID
	}
	return "vpc-show-" + strconv.Itoa(i)
}

func opShowPrivateZone() *operation {
	in := func(i int) any {
		if i == 0 {
			return &privatedns.ShowPrivateZoneInput{ZoneID: fakecloud.HuaweiZoneID}
		}
		return &privatedns.ShowPrivateZoneInput{ZoneID: "zone-show-" + strconv.Itoa(i)}
	}
	return &operation{
		name: "privatedns", op: fakecloud.OpShowPrivateZone, col: "dns.show", svc: fakecloud.HuaweiDNS,
		method: http.MethodGet, okStatus: 200, decodes: true,
		okBody:         zoneBody,
		throttleStatus: 403, throttleCode: "DNS.0014", unavailableCode: "DNS.0000",
		template: []string{"v2", "zones", "*"},
		client: func(endpoint string, s transport.Settings) (*opClient, error) {
			return newPrivateDNSOp(dnsOptions(endpoint, func(o *privatedns.Options) { o.Settings = s }), runShowPrivateZone)
		},
		dnsClient: func(o privatedns.Options) (*opClient, error) { return newPrivateDNSOp(o, runShowPrivateZone) },
		input:     in,
		seed: func(c *fakecloud.Cloud, i int) {
			c.AddZone(fakecloud.Huawei, in(i).(*privatedns.ShowPrivateZoneInput).ZoneID,
				fakecloud.Router{ID: showVPC(i)}, fakecloud.Router{ID: "vpc-keep"})
		},
		pathIDs: func(v any) []string { return []string{v.(*privatedns.ShowPrivateZoneInput).ZoneID} },
		body:    func(any) any { return nil },
		check: func(v, out any) error {
			x, o := v.(*privatedns.ShowPrivateZoneInput), out.(*privatedns.ShowPrivateZoneOutput)
			if o.ID != x.ZoneID || len(o.Routers) != 2 {
				return fmt.Errorf("zone %+v does not describe %+v", *o, *x)
			}
			for _, r := range o.Routers {
				if r.Status != privatedns.RouterStatusActive {
					return fmt.Errorf("zone %+v: router %+v is not ACTIVE", *o, r)
				}
			}
			return nil
		},
		done: func(c *fakecloud.Cloud, i int) bool {
			return routerStatus(c, in(i).(*privatedns.ShowPrivateZoneInput).ZoneID, showVPC(i)) == fakecloud.RouterActive
		},
	}
}

func opAssociateRouter() *operation {
	in := func(i int) any {
		if i == 0 {
			return &privatedns.AssociateRouterInput{ZoneID: fakecloud.HuaweiZoneID, RouterID: assocVPCID}
		}
		return &privatedns.AssociateRouterInput{ZoneID: "zone-assoc-" + strconv.Itoa(i), RouterID: "vpc-assoc-" + strconv.Itoa(i),
			RouterRegion: fakecloud.HuaweiRegion}
	}
	return &operation{
		name: "privatedns", op: fakecloud.OpAssociateRouter, col: "dns.asoc", svc: fakecloud.HuaweiDNS,
		method: http.MethodPost, okStatus: 202, decodes: true,
		okBody:         `{"router_id":"` + assocVPCID + `","router_region":"cn-north-4","status":"PENDING_CREATE"}`,
		throttleStatus: 403, throttleCode: "DNS.0014", unavailableCode: "DNS.0000",
		template: []string{"v2", "zones", "*", "associaterouter"},
		client: func(endpoint string, s transport.Settings) (*opClient, error) {
			return newPrivateDNSOp(dnsOptions(endpoint, func(o *privatedns.Options) { o.Settings = s }), runAssociateRouter)
		},
		dnsClient: func(o privatedns.Options) (*opClient, error) { return newPrivateDNSOp(o, runAssociateRouter) },
		input:     in,
		seed: func(c *fakecloud.Cloud, i int) {
			c.AddZone(fakecloud.Huawei, in(i).(*privatedns.AssociateRouterInput).ZoneID, fakecloud.Router{ID: "vpc-keep"})
		},
		pathIDs: func(v any) []string { return []string{v.(*privatedns.AssociateRouterInput).ZoneID} },
		body: func(v any) any {
			x := v.(*privatedns.AssociateRouterInput)
			return routerBody(x.RouterID, x.RouterRegion)
		},
		check: func(v, out any) error {
			x, o := v.(*privatedns.AssociateRouterInput), out.(*privatedns.AssociateRouterOutput)
			if o.RouterID != x.RouterID || o.Status != privatedns.RouterStatusPendingCreate {
				return fmt.Errorf("output %+v does not describe %+v", *o, *x)
			}
			return nil
		},
		done: func(c *fakecloud.Cloud, i int) bool {
			x := in(i).(*privatedns.AssociateRouterInput)
			return routerStatus(c, x.ZoneID, x.RouterID) == fakecloud.RouterPendingCreate
		},
	}
}
