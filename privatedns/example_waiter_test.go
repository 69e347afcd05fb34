package privatedns_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// fakeZone stands in for DNS with one private zone, "zone-1". As on the
// real service, association changes take a while: here a VPC stays
// PENDING_CREATE or PENDING_DELETE for one read of the zone, and the next
// read finds the change complete. It prints each request.
type fakeZone struct {
	mu      sync.Mutex
	routers []privatedns.Router
	seen    map[string]bool // pending VPCs already read once
}

func newFakeZone(vpcs ...string) *httptest.Server {
	z := &fakeZone{seen: map[string]bool{}}
	for _, v := range vpcs {
		z.routers = append(z.routers, privatedns.Router{RouterID: v, RouterRegion: "eu-de", Status: privatedns.RouterStatusActive})
	}
	return httptest.NewServer(z)
}

func (z *fakeZone) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	z.mu.Lock()
	defer z.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	reply := func(status int, v any) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	if r.Method == http.MethodGet {
		z.read()
		fmt.Printf("GET  zone: %s\n", z.describe())
		reply(200, map[string]any{"id": "zone-1", "name": "example.com.", "zone_type": "private", "routers": z.routers})
		return
	}
	var body struct{ Router privatedns.Router }
	b, _ := io.ReadAll(r.Body)
	json.Unmarshal(b, &body)
	id := body.Router.RouterID
	action := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	fmt.Printf("POST %s %s\n", action, id)
	i := slices.IndexFunc(z.routers, func(x privatedns.Router) bool { return x.RouterID == id })
	switch {
	case action == "associaterouter" && i >= 0:
		reply(400, map[string]string{"code": "DNS.0212", "message": "This VPC has already been associated with the zone."})
	case action == "associaterouter":
		z.routers = append(z.routers, privatedns.Router{RouterID: id, RouterRegion: "eu-de", Status: privatedns.RouterStatusPendingCreate})
		reply(202, z.routers[len(z.routers)-1])
	case i < 0:
		reply(400, map[string]string{"code": "DNS.0707", "message": "The VPC is not associated with the zone."})
	case len(z.routers) == 1:
		reply(403, map[string]string{"code": "DNS.0706", "message": "You are not allowed to disassociate this VPC because this is the last VPC associated with this zone."})
	default:
		z.routers[i].Status = privatedns.RouterStatusPendingDelete
		reply(202, z.routers[i])
	}
}

// read completes the changes an earlier read has seen pending.
func (z *fakeZone) read() {
	var kept []privatedns.Router
	for _, r := range z.routers {
		pending := r.Status == privatedns.RouterStatusPendingCreate || r.Status == privatedns.RouterStatusPendingDelete
		switch {
		case pending && !z.seen[r.RouterID]:
			z.seen[r.RouterID] = true
		case r.Status == privatedns.RouterStatusPendingDelete:
			delete(z.seen, r.RouterID)
			continue
		case r.Status == privatedns.RouterStatusPendingCreate:
			delete(z.seen, r.RouterID)
			r.Status = privatedns.RouterStatusActive
		}
		kept = append(kept, r)
	}
	z.routers = kept
}

func (z *fakeZone) describe() string {
	var s []string
	for _, r := range z.routers {
		s = append(s, r.RouterID+" "+string(r.Status))
	}
	return strings.Join(s, ", ")
}

func exampleClient(endpoint string, opts ...privatedns.Option) *privatedns.Client {
	c, err := privatedns.New(privatedns.Options{
		Cloud:       privatedns.OpenTelekomCloud,
		Region:      "eu-de",
		Endpoint:    endpoint, // omit for https://dns.eu-de.otc.t-systems.com
		TokenSource: signer.StaticToken("token"),
	}, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// Replace the only VPC of a zone: associate the new one, wait until it is
// ACTIVE, then disassociate the old one and wait until it is gone.
func ExampleClient_ReplaceRouter() {
	srv := newFakeZone("vpc-old")
	defer srv.Close()
	c := exampleClient(srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Disassociating the last VPC is refused.
	_, err := c.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{ZoneID: "zone-1", RouterID: "vpc-old"})
	fmt.Println("conflict:", err != nil && strings.Contains(err.Error(), privatedns.CodeLastVPC))

	wait := privatedns.RouterWaitOptions{WaitOptions: transport.WaitOptions{MinDelay: 100 * time.Millisecond}}
	out, err := c.ReplaceRouter(ctx, "zone-1", privatedns.RouterRef{ID: "vpc-old"}, privatedns.RouterRef{ID: "vpc-new"}, wait)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("associated:", out.Associated.Status, "- old one already gone:", out.Disassociated.AlreadyGone)
	// Output:
	// POST disassociaterouter vpc-old
	// conflict: true
	// POST associaterouter vpc-new
	// GET  zone: vpc-old ACTIVE, vpc-new PENDING_CREATE
	// GET  zone: vpc-old ACTIVE, vpc-new ACTIVE
	// GET  zone: vpc-old ACTIVE, vpc-new ACTIVE
	// POST disassociaterouter vpc-old
	// GET  zone: vpc-old PENDING_DELETE, vpc-new ACTIVE
	// GET  zone: vpc-new ACTIVE
	// associated: PENDING_CREATE - old one already gone: false
}

// Disassociate a VPC and wait until DNS has removed it, so that the VPC can
// be deleted. Run again, it finds nothing to do and sends nothing.
func ExampleClient_DisassociateAndWait() {
	srv := newFakeZone("vpc-1", "vpc-2")
	defer srv.Close()
	c := exampleClient(srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	wait := privatedns.RouterWaitOptions{WaitOptions: transport.WaitOptions{MinDelay: 100 * time.Millisecond}}
	for range 2 {
		out, err := c.DisassociateAndWait(ctx, "zone-1", "vpc-1", "", wait)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("already gone:", out.AlreadyGone)
	}
	// Output:
	// GET  zone: vpc-1 ACTIVE, vpc-2 ACTIVE
	// POST disassociaterouter vpc-1
	// GET  zone: vpc-1 PENDING_DELETE, vpc-2 ACTIVE
	// GET  zone: vpc-2 ACTIVE
	// already gone: false
	// GET  zone: vpc-2 ACTIVE
	// already gone: true
}

// With Idempotent, disassociating a VPC that is not associated (any more)
// is a success that says so; the zone's last VPC is still an error.
func ExampleClient_DisassociateRouter_idempotent() {
	srv := newFakeZone("vpc-2")
	defer srv.Close()
	c := exampleClient(srv.URL, func(o *privatedns.Options) { o.Idempotent = true })

	out, err := c.DisassociateRouter(context.Background(), &privatedns.DisassociateRouterInput{ZoneID: "zone-1", RouterID: "vpc-1"})
	fmt.Println("already gone:", out.AlreadyGone, err)
	_, err = c.DisassociateRouter(context.Background(), &privatedns.DisassociateRouterInput{ZoneID: "zone-1", RouterID: "vpc-2"})
	var re *transport.ResponseError
	if errors.As(err, &re) {
		fmt.Println("still an error:", re.Code)
	}
	// Output:
	// POST disassociaterouter vpc-1
	// already gone: true <nil>
	// POST disassociaterouter vpc-2
	// still an error: DNS.0706
}

// ShowPrivateZone lists the zone's VPCs with the state of each association.
func ExampleClient_ShowPrivateZone() {
	srv := newFakeZone("vpc-1", "vpc-2")
	defer srv.Close()
	z, err := exampleClient(srv.URL).ShowPrivateZone(context.Background(), &privatedns.ShowPrivateZoneInput{ZoneID: "zone-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, ok := z.Router("vpc-2")
	fmt.Println(z.Name, len(z.Routers), "VPCs; vpc-2:", r.Status, ok)
	// Output:
	// GET  zone: vpc-1 ACTIVE, vpc-2 ACTIVE
	// example.com. 2 VPCs; vpc-2: ACTIVE true
}
