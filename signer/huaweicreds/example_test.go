package huaweicreds_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
)

func ExampleNewPasswordTokenSource() {
	// A stand-in for IAM's POST /v3/auth/tokens.
	calls := 0
	iam := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("X-Subject-Token", "MIIexample")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"token":{"expires_at":"2099-01-02T03:04:05.000000Z"}}`)
	}))
	defer iam.Close()

	ts, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint:   iam.URL, // omit for https://iam.cn-north-4.myhuaweicloud.com
		Region:     "cn-north-4",
		UserName:   "alice",
		Password:   "correct horse battery staple",
		DomainName: "my-account",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 3 {
		tok, err := ts.Token(context.Background())
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(tok) // the value is never printed
	}
	fmt.Println("IAM requests:", calls)
	// Output:
	// signer.Token{Value:[redacted] ExpiresAt:2099-01-02T03:04:05Z}
	// signer.Token{Value:[redacted] ExpiresAt:2099-01-02T03:04:05Z}
	// signer.Token{Value:[redacted] ExpiresAt:2099-01-02T03:04:05Z}
	// IAM requests: 1
}

func ExamplePasswordConfigFromEnv() {
	// Usually: env := signer.OpenStackEnv()
	env := signer.OpenStackEnvironment{
		AuthURL:     "https://iam.eu-de.otc.t-systems.com/v3",
		Username:    "alice",
		Password:    "correct horse battery staple",
		DomainName:  "OTC-EU-DE-00000000001000000001",
		ProjectName: "eu-de",
	}
	cfg, err := huaweicreds.PasswordConfigFromEnv(env)
	fmt.Println(cfg, err)

	env.DomainName = ""
	_, err = huaweicreds.PasswordConfigFromEnv(env)
	fmt.Println(err)
	// Output:
	// huaweicreds.PasswordConfig{Endpoint:https://iam.eu-de.otc.t-systems.com Region: OTC:true UserName:alice Password:[redacted] DomainName:OTC-EU-DE-00000000001000000001 DomainID: ProjectName:eu-de ProjectID:} <nil>
	// huaweicreds: environment variable OS_DOMAIN_NAME is not set: no credentials found
}

func ExampleProjectIDFromIAM() {
	// A stand-in for IAM's GET /v3/projects?name=<region>.
	iam := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.URL.RequestURI())
		io.WriteString(w, `{"projects":[{"id":"0123456789abcdef0123456789abcdef","name":"cn-north-4"}]}`)
	}))
	defer iam.Close()

	keys := signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: "AKEXAMPLE", SecretKey: "SKEXAMPLE"})
	creds, err := huaweicreds.ProjectIDFromIAM(keys, huaweicreds.LookupConfig{Endpoint: iam.URL, Region: "cn-north-4"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for range 2 { // looked up once, then cached
		c, err := creds.RetrieveHuawei(context.Background())
		fmt.Println(c.ProjectID, err)
	}
	// Output:
	// GET /v3/projects?name=cn-north-4
	// 0123456789abcdef0123456789abcdef <nil>
	// 0123456789abcdef0123456789abcdef <nil>
}
