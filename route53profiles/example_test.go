package route53profiles_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func ExampleClient_DisassociateProfile() {
	// A stand-in for Route 53 Profiles; a real client would leave Endpoint
	// empty and reach https://route53profiles.us-east-1.amazonaws.com.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.EscapedPath())
		w.Header().Set("X-Amzn-Requestid", "7d8e1b2a-example")
		fmt.Fprint(w, `{"ProfileAssociation":{"Id":"rpassoc-489ce212fEXAMPLE","ProfileId":"rp-4987774726EXAMPLE",`+
			`"ResourceId":"vpc-0af3b96b3EXAMPLE","Status":"DELETING","CreationTime":1717171717.123}}`)
	}))
	defer srv.Close()

	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.URL,
		Credentials: signer.StaticAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.DisassociateProfile(context.Background(), &route53profiles.DisassociateProfileInput{
		ProfileID:  "rp-4987774726EXAMPLE",
		ResourceID: "vpc-0af3b96b3EXAMPLE",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	a := out.ProfileAssociation
	fmt.Println(a.ID, a.Status, a.CreationTime.Format("2006-01-02T15:04:05.000Z"))
	fmt.Println("request", out.Metadata.RequestID)
	// Output:
	// DELETE /profileassociation/Profileid/rp-4987774726EXAMPLE/resourceid/vpc-0af3b96b3EXAMPLE
	// rpassoc-489ce212fEXAMPLE DELETING 2024-05-31T16:08:37.123Z
	// request 7d8e1b2a-example
}

func ExampleClient_DisassociateProfile_notFound() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Route 53 Profiles sends every documented error with status 400.
		w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
		w.Header().Set("X-Amzn-Requestid", "0b1c-example")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"Message":"The profile association doesn't exist."}`)
	}))
	defer srv.Close()

	c, err := route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.URL,
		Credentials: signer.StaticAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.DisassociateProfile(context.Background(), &route53profiles.DisassociateProfileInput{
		ProfileID:  "rp-4987774726EXAMPLE",
		ResourceID: "vpc-0af3b96b3EXAMPLE",
	})
	var re *transport.ResponseError
	if errors.Is(err, transport.ErrNotFound) && errors.As(err, &re) {
		fmt.Println("already gone:", re.Code, re.RequestID)
	}
	fmt.Println(err)
	// Output:
	// already gone: ResourceNotFoundException 0b1c-example
	// operation error Route53Profiles: DisassociateProfile, http status 400, request id 0b1c-example: ResourceNotFoundException: The profile association doesn't exist.
}

func ExampleNew_invalidRegion() {
	_, err := route53profiles.New(route53profiles.Options{Region: "US East"})
	fmt.Println(err)
	// Output:
	// route53profiles: Region "US East" is not a valid region: it must be lower-case letters, digits and inner hyphens, at most 63 characters (e.g. us-east-1)
}
