package customerprofiles_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func ExampleClient_DeleteProfileObject() {
	// A stand-in for Customer Profiles; a real client would leave Endpoint
	// empty and reach https://profile.us-east-1.amazonaws.com.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Println(r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"))
		fmt.Println(string(body))
		w.Header().Set("X-Amzn-Requestid", "5c1f-example")
		fmt.Fprint(w, `{"Message":"Profile object deleted."}`)
	}))
	defer srv.Close()

	c, err := customerprofiles.New(customerprofiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.URL,
		Credentials: signer.StaticAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
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
	fmt.Println(out.Message, out.Metadata.RequestID)
	// Output:
	// POST /domains/ExampleDomain/profiles/objects/delete application/json
	// {"ObjectTypeName":"CTR","ProfileId":"db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60","ProfileObjectUniqueKey":"MTIzNDU2Nzg5MA=="}
	// Profile object deleted. 5c1f-example
}

func ExampleClient_DeleteProfileObject_notFound() {
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
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.DeleteProfileObject(context.Background(), &customerprofiles.DeleteProfileObjectInput{
		DomainName:             "ExampleDomain",
		ObjectTypeName:         "CTR",
		ProfileID:              "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60",
		ProfileObjectUniqueKey: "MTIzNDU2Nzg5MA==",
	})
	fmt.Println(errors.Is(err, transport.ErrNotFound))
	fmt.Println(err)
	// Output:
	// true
	// operation error Customer Profiles: DeleteProfileObject, http status 404, request id 9a0e-example: ResourceNotFoundException: Object not found
}

func ExampleDeleteProfileObjectInput_invalid() {
	c, err := customerprofiles.New(customerprofiles.Options{
		Region:      "us-east-1",
		Credentials: signer.StaticAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Checked before anything is sent.
	_, err = c.DeleteProfileObject(context.Background(), &customerprofiles.DeleteProfileObjectInput{
		DomainName:             "ExampleDomain",
		ObjectTypeName:         "CTR",
		ProfileID:              "DB3C2F1B-4A5E-4C8D-9F0A-1B2C3D4E5F60",
		ProfileObjectUniqueKey: "MTIzNDU2Nzg5MA==",
	})
	fmt.Println(err)
	// Output:
	// operation error Customer Profiles: DeleteProfileObject, invalid input: ProfileID must be 32 lower-case hex digits ([a-f0-9]{32})
}
