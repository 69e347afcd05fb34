package reliability

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// The Route 53 Profiles reads that WaitProfileDisassociated and
// DisassociateAndWait poll, as operations of the suites.

// r53AssocBody is a Route 53 Profiles association as the service writes it.
const r53AssocBody = `{"CreationTime":1717171717.123,"Id":"` + fakecloud.R53AssociationID + `","ModificationTime":1717171800,` +
	`"Name":"n","OwnerId":"123456789012","ProfileId":"` + fakecloud.R53ProfileID + `","ResourceId":"` + fakecloud.R53VPCID +
	`","Status":"COMPLETE","StatusMessage":"Created Profile Association"}`

func runGetProfileAssociation(ctx context.Context, c *route53profiles.Client, in any, opts ...route53profiles.Option) (any, transport.Metadata, error) {
	x, _ := in.(*route53profiles.GetProfileAssociationInput)
	out, err := c.GetProfileAssociation(ctx, x, opts...)
	return result(out, func(o *route53profiles.GetProfileAssociationOutput) transport.Metadata { return o.Metadata }, err)
}

func runListProfileAssociations(ctx context.Context, c *route53profiles.Client, in any, opts ...route53profiles.Option) (any, transport.Metadata, error) {
	x, _ := in.(*route53profiles.ListProfileAssociationsInput)
	out, err := c.ListProfileAssociations(ctx, x, opts...)
	return result(out, func(o *route53profiles.ListProfileAssociationsOutput) transport.Metadata { return o.Metadata }, err)
}

// idBook keeps the IDs the emulator gave the associations seeded for
// inputs, which GetProfileAssociation needs and nothing can predict.
type idBook struct {
	mu  sync.Mutex
	ids map[int]string
}

func (b *idBook) set(i int, id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ids == nil {
		b.ids = map[int]string{}
	}
	b.ids[i] = id
}

func (b *idBook) get(i int) (string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	id, ok := b.ids[i]
	return id, ok
}

// getVPC is the VPC of the association GetProfileAssociation's input i
// reads.
func getVPC(i int) string {
	if i == 0 {
		return fakecloud.R53VPCID
	}
	return "vpc-get-" + strconv.Itoa(i)
}

func opGetProfileAssociation() *operation {
	book := &idBook{}
	// Input i > 0 reads the association seed(i) made; before that it names
	// an association of the same shape that does not exist.
	in := func(i int) any {
		if i == 0 {
			return &route53profiles.GetProfileAssociationInput{ProfileAssociationID: fakecloud.R53AssociationID}
		}
		id, ok := book.get(i)
		if !ok {
			id = fmt.Sprintf("rpassoc-%016x", 0xabc0000+i)
		}
		return &route53profiles.GetProfileAssociationInput{ProfileAssociationID: id}
	}
	return &operation{
		name: "route53profiles", op: fakecloud.OpGetProfileAssociation, col: "r53.get", svc: fakecloud.Route53Profiles,
		method: http.MethodGet, okStatus: 200, decodes: true, aws: true,
		okBody:         `{"ProfileAssociation":` + r53AssocBody + `}`,
		throttleStatus: 400, throttleCode: "ThrottlingException", unavailableCode: "ServiceUnavailable",
		template: []string{"profileassociation", "*"},
		client: func(endpoint string, s transport.Settings) (*opClient, error) {
			return newRoute53ProfilesOp(endpoint, awsKeys(), s, "", runGetProfileAssociation)
		},
		awsClient: func(endpoint string, creds signer.AWSCredentialsProvider, s transport.Settings, ua string) (*opClient, error) {
			return newRoute53ProfilesOp(endpoint, creds, s, ua, runGetProfileAssociation)
		},
		input: in,
		seed: func(c *fakecloud.Cloud, i int) {
			book.set(i, c.AddProfileAssociation(fakecloud.R53ProfileID, getVPC(i)))
		},
		pathIDs: func(v any) []string {
			return []string{v.(*route53profiles.GetProfileAssociationInput).ProfileAssociationID}
		},
		body: func(any) any { return nil },
		check: func(v, out any) error {
			x, o := v.(*route53profiles.GetProfileAssociationInput), out.(*route53profiles.GetProfileAssociationOutput)
			if a := o.ProfileAssociation; a == nil || a.ID != x.ProfileAssociationID || a.Status != route53profiles.ProfileStatusComplete {
				return fmt.Errorf("association %+v does not describe %+v", o.ProfileAssociation, *x)
			}
			return nil
		},
		done: func(c *fakecloud.Cloud, i int) bool {
			ok, status := c.ProfileAssociation(fakecloud.R53ProfileID, getVPC(i))
			return ok && status == "COMPLETE"
		},
	}
}

func opListProfileAssociations() *operation {
	in := func(i int) any {
		if i == 0 {
			return &route53profiles.ListProfileAssociationsInput{ProfileID: fakecloud.R53ProfileID, ResourceID: fakecloud.R53VPCID}
		}
		return &route53profiles.ListProfileAssociationsInput{ProfileID: fakecloud.R53ProfileID,
			ResourceID: "vpc-list-" + strconv.Itoa(i), MaxResults: int32(1 + i%100)}
	}
	return &operation{
		name: "route53profiles", op: fakecloud.OpListProfileAssociations, col: "r53.list", svc: fakecloud.Route53Profiles,
		method: http.MethodGet, okStatus: 200, decodes: true, aws: true, nilInputOK: true,
		okBody:         `{"ProfileAssociations":[` + r53AssocBody + `]}`,
		throttleStatus: 400, throttleCode: "ThrottlingException", unavailableCode: "ServiceUnavailable",
		template: []string{"profileassociations"},
		client: func(endpoint string, s transport.Settings) (*opClient, error) {
			return newRoute53ProfilesOp(endpoint, awsKeys(), s, "", runListProfileAssociations)
		},
		awsClient: func(endpoint string, creds signer.AWSCredentialsProvider, s transport.Settings, ua string) (*opClient, error) {
			return newRoute53ProfilesOp(endpoint, creds, s, ua, runListProfileAssociations)
		},
		input: in,
		seed: func(c *fakecloud.Cloud, i int) {
			x := in(i).(*route53profiles.ListProfileAssociationsInput)
			c.AddProfileAssociation(x.ProfileID, x.ResourceID)
		},
		pathIDs: func(any) []string { return nil },
		query: func(v any) url.Values {
			x, _ := v.(*route53profiles.ListProfileAssociationsInput)
			if x == nil {
				return nil
			}
			q := url.Values{}
			for k, v := range map[string]string{"profileId": x.ProfileID, "resourceId": x.ResourceID, "nextToken": x.NextToken} {
				if v != "" {
					q.Set(k, v)
				}
			}
			if x.MaxResults != 0 {
				q.Set("maxResults", strconv.Itoa(int(x.MaxResults)))
			}
			return q
		},
		body: func(any) any { return nil },
		check: func(v, out any) error {
			x, o := v.(*route53profiles.ListProfileAssociationsInput), out.(*route53profiles.ListProfileAssociationsOutput)
			if len(o.ProfileAssociations) != 1 || o.NextToken != "" {
				return fmt.Errorf("list %+v for %+v is not one association", *o, *x)
			}
			if a := o.ProfileAssociations[0]; a.ProfileID != x.ProfileID || a.ResourceID != x.ResourceID ||
				a.Status != route53profiles.ProfileStatusComplete {
				return fmt.Errorf("association %+v does not describe %+v", a, *x)
			}
			return nil
		},
		done: func(c *fakecloud.Cloud, i int) bool {
			x := in(i).(*route53profiles.ListProfileAssociationsInput)
			ok, status := c.ProfileAssociation(x.ProfileID, x.ResourceID)
			return ok && status == "COMPLETE"
		},
	}
}
