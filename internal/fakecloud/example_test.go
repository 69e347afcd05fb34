package fakecloud_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/detach-go/detach/internal/fakecloud"
)

// Log in to the emulated Huawei IAM and disassociate a VPC from a private
// zone with the token, using nothing but net/http.
func ExampleCloud_Start() {
	srv := fakecloud.New().Start()
	defer srv.Close()

	login := `{"auth":{"identity":{"methods":["password"],"password":{"user":{` +
		`"domain":{"name":"` + fakecloud.HuaweiDomainName + `"},` +
		`"name":"` + fakecloud.HuaweiUserName + `","password":"` + fakecloud.HuaweiPassword + `"}}},` +
		`"scope":{"project":{"name":"` + fakecloud.HuaweiRegion + `"}}}}`
	resp, err := srv.Client().Post(srv.Endpoint(fakecloud.HuaweiIAM)+"/v3/auth/tokens", "application/json", strings.NewReader(login))
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println("login:", resp.StatusCode)

	url := srv.Endpoint(fakecloud.HuaweiDNS) + "/v2/zones/" + fakecloud.HuaweiZoneID + "/disassociaterouter"
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"router":{"router_id":"`+fakecloud.HuaweiVPCID+`"}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Auth-Token", resp.Header.Get("X-Subject-Token"))
	resp, err = srv.Client().Do(req)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// login: 201
	// 202 {"router_id":"4f0e3a2b-1c9d-4e8f-a7b6-5c4d3e2f1a09","router_region":"cn-north-4","status":"PENDING_DELETE"}
}

// Make the next two token requests fail with the gateway's throttling error.
func ExampleCloud_Inject() {
	c := fakecloud.New()
	c.Inject(fakecloud.OpCreateToken, fakecloud.Fault{Kind: fakecloud.Throttle, Count: 2})
	srv := c.Start()
	defer srv.Close()

	for range 3 {
		resp, err := srv.Client().Post(srv.Endpoint(fakecloud.OTCIAM)+"/v3/auth/tokens", "application/json", strings.NewReader(`{}`))
		if err != nil {
			fmt.Println(err)
			return
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, strings.Contains(string(body), "APIGW.0308"))
	}
	fmt.Println("requests:", c.Requests(fakecloud.OpCreateToken))
	// Output:
	// 429 true
	// 429 true
	// 400 false
	// requests: 3
}
