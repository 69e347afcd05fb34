package identitycenter_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

func Example() {
	// A stand-in for Identity Center: it deletes a profile once, then
	// answers 404 as the real service does for a profile that is gone.
	deleted := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.Path, "X-Domain-Id:", r.Header.Get("X-Domain-Id"))
		if deleted {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error_code":"IIC.1002","error_msg":"profile not found","request_id":"r-2"}`)
			return
		}
		deleted = true
		w.Header().Set("X-Request-Id", "r-1")
	}))
	defer srv.Close()

	c, err := identitycenter.New(identitycenter.Options{
		Endpoint: srv.URL, // omit for https://identitycenter.myhuaweicloud.com
		Credentials: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{
			AccessKey: "AKEXAMPLE", SecretKey: "SKEXAMPLE",
		}),
		DomainID: "0123456789abcdef0123456789abcdef", // saves a lookup in IAM
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	in := &identitycenter.DeleteProfileInput{
		InstanceID:            "ins-2c1e000000f3c6ab",
		ApplicationInstanceID: "app-ins-0123456789abcdef",
		ProfileID:             "prof-0123456789",
	}
	out, err := c.DeleteProfile(context.Background(), in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("deleted, request", out.Metadata.RequestID)

	_, err = c.DeleteProfile(context.Background(), in)
	fmt.Println("again, already gone:", errors.Is(err, transport.ErrNotFound))
	// Output:
	// DELETE /v1/instances/ins-2c1e000000f3c6ab/application-instances/app-ins-0123456789abcdef/profiles/prof-0123456789 X-Domain-Id: 0123456789abcdef0123456789abcdef
	// deleted, request r-1
	// DELETE /v1/instances/ins-2c1e000000f3c6ab/application-instances/app-ins-0123456789abcdef/profiles/prof-0123456789 X-Domain-Id: 0123456789abcdef0123456789abcdef
	// again, already gone: true
}

func ExampleClient_DeleteProfile_badInput() {
	c, err := identitycenter.New(identitycenter.Options{
		Credentials: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: "AKEXAMPLE", SecretKey: "SKEXAMPLE"}),
		DomainID:    "0123456789abcdef0123456789abcdef",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = c.DeleteProfile(context.Background(), &identitycenter.DeleteProfileInput{
		InstanceID:            "ins-2c1e000000f3c6ab",
		ApplicationInstanceID: "app-0123456789abcdef",
		ProfileID:             "prof-0123456789",
	})
	fmt.Println(err)
	// Output:
	// operation error IdentityCenter: DeleteProfile, invalid input: ApplicationInstanceID must start with "app-ins-"
}

// With Idempotent, deleting a profile that is already gone succeeds and
// says so: a cleanup can run again without special-casing 404.
func ExampleClient_DeleteProfile_idempotent() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "r-404")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error_code":"IIC.1002","error_msg":"profile not found"}`)
	}))
	defer srv.Close()

	c, err := identitycenter.New(identitycenter.Options{
		Endpoint:    srv.URL,
		Credentials: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: "AKEXAMPLE", SecretKey: "SKEXAMPLE"}),
		DomainID:    "0123456789abcdef0123456789abcdef",
		Idempotent:  true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := c.DeleteProfile(context.Background(), &identitycenter.DeleteProfileInput{
		InstanceID:            "ins-2c1e000000f3c6ab",
		ApplicationInstanceID: "app-ins-0123456789abcdef",
		ProfileID:             "prof-0123456789",
	})
	fmt.Println(out.AlreadyGone, out.Metadata.StatusCode, out.Metadata.RequestID, err)
	// Output:
	// true 404 r-404 <nil>
}
