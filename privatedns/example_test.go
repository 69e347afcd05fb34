package privatedns_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// fakeOTC stands in for OTC's IAM and DNS: IAM issues a token for a
// password, DNS disassociates a VPC once and then reports it as not
// associated (DNS.0707), as the real service does.
func fakeOTC() *httptest.Server {
	associated := true
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/iam/v3/auth/tokens":
			fmt.Println("IAM:", r.Method, r.URL.Path)
			w.Header().Set("X-Subject-Token", "token-1")
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, `{"token":{"expires_at":"2099-01-01T00:00:00.000000Z"}}`)
		case r.Header.Get("X-Auth-Token") != "token-1":
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}`)
		case associated:
			body, _ := io.ReadAll(r.Body)
			fmt.Println("DNS:", r.Method, r.URL.Path, strings.TrimSpace(string(body)))
			associated = false
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"status":"PENDING_DELETE","router_id":"vpc-1","router_region":"eu-de"}`)
		default:
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"code":"DNS.0707","message":"The VPC is not associated with the zone."}`)
		}
	}))
}

func Example() {
	srv := fakeOTC()
	defer srv.Close()

	ts, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint: srv.URL + "/iam", // omit for https://iam.eu-de.otc.t-systems.com
		Region:   "eu-de", OTC: true,
		UserName: "alice", Password: "secret", DomainName: "OTC-EU-DE-00000000001000000001",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := privatedns.New(privatedns.Options{
		Cloud:       privatedns.OpenTelekomCloud,
		Region:      "eu-de",
		Endpoint:    srv.URL + "/dns", // omit for https://dns.eu-de.otc.t-systems.com
		TokenSource: ts,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	in := &privatedns.DisassociateRouterInput{ZoneID: "zone-1", RouterID: "vpc-1", RouterRegion: "eu-de"}
	out, err := c.DisassociateRouter(context.Background(), in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", out.Status)

	_, err = c.DisassociateRouter(context.Background(), in)
	var re *transport.ResponseError
	if errors.As(err, &re) && errors.Is(err, transport.ErrNotFound) {
		fmt.Println("again:", re.Code, "- already disassociated")
	}
	// Output:
	// IAM: POST /iam/v3/auth/tokens
	// DNS: POST /dns/v2/zones/zone-1/disassociaterouter {"router":{"router_id":"vpc-1","router_region":"eu-de"}}
	// status: PENDING_DELETE
	// again: DNS.0707 - already disassociated
}

func ExampleNew_chooseAuthentication() {
	_, err := privatedns.New(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: "cn-north-4"})
	fmt.Println(err)
	_, err = privatedns.New(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: "US East",
		TokenSource: signer.StaticToken("token")})
	fmt.Println(err)
	c, err := privatedns.New(privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: "cn-north-4",
		Credentials: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: "AKEXAMPLE", SecretKey: "SKEXAMPLE"})})
	fmt.Println(c, err)
	// Output:
	// privatedns: TokenSource or Credentials is required (e.g. huaweicreds.NewPasswordTokenSource, signer.StaticToken or signer.HuaweiCredentialsFromEnv())
	// privatedns: Region "US East" is not a valid region
	// privatedns.Client{Cloud:HuaweiCloud Region:cn-north-4 Endpoint:https://dns.cn-north-4.myhuaweicloud.com Auth:huawei-aksk(*signer.hwStaticProvider) ProjectID:} <nil>
}

// ExampleWithProjectIDFromIAM: keys without a project ID (here static ones
// standing in for ECS metadata or federated keys) get the ID of the project
// named after the region from IAM, once; later calls use the cached ID.
func ExampleWithProjectIDFromIAM() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/iam/v3/projects":
			fmt.Println("IAM:", r.Method, r.URL.Path+"?"+r.URL.RawQuery)
			io.WriteString(w, `{"projects":[{"id":"0123456789abcdef0123456789abcdef","name":"cn-north-4"}]}`)
		default:
			fmt.Println("DNS: X-Project-Id", r.Header.Get("X-Project-Id"))
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"status":"PENDING_DELETE","router_id":"vpc-1","router_region":"cn-north-4"}`)
		}
	}))
	defer srv.Close()

	c, err := privatedns.New(privatedns.Options{
		Cloud:       privatedns.HuaweiCloud,
		Region:      "cn-north-4",
		Endpoint:    srv.URL + "/dns", // omit for https://dns.cn-north-4.myhuaweicloud.com
		IAMEndpoint: srv.URL + "/iam", // omit for https://iam.cn-north-4.myhuaweicloud.com
		// In a program: huaweicreds.BasicChain(huaweicreds.ChainConfig{}).
		Credentials: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: "AK", SecretKey: "SK"}),
	}, privatedns.WithProjectIDFromIAM())
	if err != nil {
		fmt.Println(err)
		return
	}
	in := &privatedns.DisassociateRouterInput{ZoneID: "zone-1", RouterID: "vpc-1", RouterRegion: "cn-north-4"}
	for range 2 {
		out, err := c.DisassociateRouter(context.Background(), in)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("status:", out.Status)
	}
	// Output:
	// IAM: GET /iam/v3/projects?name=cn-north-4
	// DNS: X-Project-Id 0123456789abcdef0123456789abcdef
	// status: PENDING_DELETE
	// DNS: X-Project-Id 0123456789abcdef0123456789abcdef
	// status: PENDING_DELETE
}
