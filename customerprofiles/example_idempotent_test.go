package customerprofiles_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/signer"
)

func ExampleClient_DeleteProfileObject_idempotent() {
	// The object was deleted earlier: the service answers 404.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-Errortype", "ResourceNotFoundException")
		w.Header().Set("X-Amzn-Requestid", "9a0e-example")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"Message":"Object not found"}`)
	}))
	defer srv.Close()

	c, err := customerprofiles.New(customerprofiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.URL,
		Credentials: signer.StaticAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
		Idempotent:  true, // a cleanup that may run twice
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.DeleteProfileObject(context.Background(), &customerprofiles.DeleteProfileObjectInput{
		DomainName:             "ExampleDomain",
		ObjectTypeName:         "CTR",
		ProfileID:              "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60",
		ProfileObjectUniqueKey: "MTIzNDU2Nzg5MA==",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("already gone:", out.AlreadyGone, "request", out.Metadata.RequestID)
	// Output:
	// already gone: true request 9a0e-example
}
