package route53profiles_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func exampleClient(endpoint string) (*route53profiles.Client, error) {
	return route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    endpoint,
		Credentials: signer.StaticAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
	})
}

func ExampleClient_DisassociateAndWait() {
	// A stand-in for Route 53 Profiles: the association is COMPLETE, turns
	// DELETING when disassociated, and is gone after being listed twice.
	var mu sync.Mutex
	status, reads := "COMPLETE", 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Println(r.Method, r.URL.RequestURI())
		if r.Method == http.MethodDelete {
			status = "DELETING"
			fmt.Fprint(w, `{"ProfileAssociation":{"Id":"rpassoc-489ce212fexample","Status":"DELETING"}}`)
			return
		}
		if status == "DELETING" {
			if reads++; reads > 2 {
				fmt.Fprint(w, `{"ProfileAssociations":[]}`)
				return
			}
		}
		fmt.Fprintf(w, `{"ProfileAssociations":[{"Id":"rpassoc-489ce212fexample","ProfileId":"rp-4987774726example",`+
			`"ResourceId":"vpc-0af3b96b3example","Status":%q}]}`, status)
	}))
	defer srv.Close()

	c, err := exampleClient(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// Short delays for the example; the defaults poll every 2 to 30 s.
	wopts := transport.WaitOptions{MinDelay: time.Millisecond, MaxDelay: time.Millisecond}
	out, err := c.DisassociateAndWait(ctx, "rp-4987774726example", "vpc-0af3b96b3example", wopts)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("was", out.ProfileAssociation.Status, "disassociated:", out.Disassociated, "already gone:", out.AlreadyGone)
	// Output:
	// GET /profileassociations?profileId=rp-4987774726example&resourceId=vpc-0af3b96b3example
	// DELETE /profileassociation/Profileid/rp-4987774726example/resourceid/vpc-0af3b96b3example
	// GET /profileassociations?profileId=rp-4987774726example&resourceId=vpc-0af3b96b3example
	// GET /profileassociations?profileId=rp-4987774726example&resourceId=vpc-0af3b96b3example
	// GET /profileassociations?profileId=rp-4987774726example&resourceId=vpc-0af3b96b3example
	// was COMPLETE disassociated: true already gone: false
}

func ExampleClient_ListProfileAssociationsAll() {
	// Two pages: the first ends with a NextToken.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.RequestURI())
		if r.URL.Query().Get("nextToken") == "" {
			fmt.Fprint(w, `{"ProfileAssociations":[{"Id":"rpassoc-1","ResourceId":"vpc-1","Status":"COMPLETE"},`+
				`{"Id":"rpassoc-2","ResourceId":"vpc-2","Status":"DELETING"}],"NextToken":"page2"}`)
			return
		}
		fmt.Fprint(w, `{"ProfileAssociations":[{"Id":"rpassoc-3","ResourceId":"vpc-3","Status":"COMPLETE"}]}`)
	}))
	defer srv.Close()

	c, err := exampleClient(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	in := &route53profiles.ListProfileAssociationsInput{ProfileID: "rp-4987774726example", MaxResults: 2}
	for a, err := range c.ListProfileAssociationsAll(context.Background(), in) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(a.ID, a.ResourceID, a.Status)
	}
	// Output:
	// GET /profileassociations?maxResults=2&profileId=rp-4987774726example
	// rpassoc-1 vpc-1 COMPLETE
	// rpassoc-2 vpc-2 DELETING
	// GET /profileassociations?maxResults=2&nextToken=page2&profileId=rp-4987774726example
	// rpassoc-3 vpc-3 COMPLETE
}

func ExampleClient_DisassociateProfile_idempotent() {
	// The association was removed earlier: the service answers not found.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
		w.Header().Set("X-Amzn-Requestid", "0b1c-example")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"Message":"The profile association doesn't exist."}`)
	}))
	defer srv.Close()

	c, err := exampleClient(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Idempotent may be set in Options for every call, or per call.
	out, err := c.DisassociateProfile(context.Background(), &route53profiles.DisassociateProfileInput{
		ProfileID:  "rp-4987774726example",
		ResourceID: "vpc-0af3b96b3example",
	}, func(o *route53profiles.Options) { o.Idempotent = true })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("already gone:", out.AlreadyGone, "request", out.Metadata.RequestID, "status", out.Metadata.StatusCode)
	// Output:
	// already gone: true request 0b1c-example status 400
}

func ExampleClient_GetProfileAssociation() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.EscapedPath())
		fmt.Fprint(w, getBody)
	}))
	defer srv.Close()

	c, err := exampleClient(srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.GetProfileAssociation(context.Background(), &route53profiles.GetProfileAssociationInput{
		ProfileAssociationID: "rpassoc-489ce212fexample",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := out.ProfileAssociation
	fmt.Println(a.ResourceID, a.Status, a.ModificationTime.Format(time.RFC3339Nano))
	// Output:
	// GET /profileassociation/rpassoc-489ce212fexample
	// vpc-0af3b96b3example COMPLETE 2024-03-02T00:22:54.772Z
}
