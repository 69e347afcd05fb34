package sdkcompare

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	hwauth "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	hwdns "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2"
	hwdnsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/model"
	hwic "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenter/v1"
	hwicmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenter/v1/model"

	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// hwErrorFacts is what a caller learns from a Huawei error: detach's
// transport.ResponseError and the SDK's sdkerr.ServiceResponseError carry
// the same fields.
type hwErrorFacts struct {
	Status        int
	Code          string
	Message       string
	RequestID     string
	EncodedAuthzM string
	Attempts      int
}

// hwErrorCase is one canned error response, given to both clients on every
// attempt; detach runs with its default retries inside a synctest bubble.
type hwErrorCase struct {
	name       string
	resp       cannedResponse
	want       hwErrorFacts // detach
	sdkDiffers string       // names the difference; empty: the SDK reports want
	sdkWant    hwErrorFacts
}

func hwResp(status int, rid, body string) cannedResponse {
	h := map[string]string{"Content-Type": "application/json"}
	if rid != "" {
		h["X-Request-Id"] = rid
	}
	return cannedResponse{status: status, header: h, body: body}
}

// noRetryInSDK is the difference for every response detach retries: the
// SDK's synchronous call makes a single attempt unless the caller wraps it
// in an invoker with a retry policy.
const noRetryInSDK = "detach retries throttling and 5xx (3 attempts by default); huaweicloud-sdk-go-v3's synchronous call makes one attempt"

func hwErrorCases() []hwErrorCase {
	return []hwErrorCase{
		{
			name: "service code and message",
			resp: hwResp(400, "rid-1", `{"code":"DNS.0302","message":"The zone does not exist."}`),
			want: hwErrorFacts{Status: 400, Code: "DNS.0302", Message: "The zone does not exist.", RequestID: "rid-1", Attempts: 1},
		},
		{
			name: "gateway error_code and error_msg",
			resp: hwResp(401, "rid-2", `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"rid-2"}`),
			want: hwErrorFacts{Status: 401, Code: "APIGW.0301", Message: "Incorrect IAM authentication information: verify aksk signature fail", RequestID: "rid-2", Attempts: 1},
		},
		{
			name: "403 with encoded_authorization_message",
			resp: hwResp(403, "rid-3", `{"error_code":"IAM.0003","error_msg":"Policy doesn't allow identitycenter:application:deleteProfile","encoded_authorization_message":"ENCODED=="}`),
			want: hwErrorFacts{Status: 403, Code: "IAM.0003", Message: "Policy doesn't allow identitycenter:application:deleteProfile", RequestID: "rid-3", EncodedAuthzM: "ENCODED==", Attempts: 1},
		},
		{
			name: "nested error object",
			resp: hwResp(404, "rid-4", `{"error":{"code":"IC.0404","message":"profile not found"}}`),
			want: hwErrorFacts{Status: 404, Code: "IC.0404", Message: "profile not found", RequestID: "rid-4", Attempts: 1},
		},
		{
			name:       "gateway throttling APIGW.0308",
			resp:       hwResp(429, "rid-5", `{"error_code":"APIGW.0308","error_msg":"The throttling threshold has been reached","request_id":"rid-5"}`),
			want:       hwErrorFacts{Status: 429, Code: "APIGW.0308", Message: "The throttling threshold has been reached", RequestID: "rid-5", Attempts: 3},
			sdkDiffers: noRetryInSDK,
			sdkWant:    hwErrorFacts{Status: 429, Code: "APIGW.0308", Message: "The throttling threshold has been reached", RequestID: "rid-5", Attempts: 1},
		},
		{
			name:       "request ID only in the body",
			resp:       hwResp(400, "", `{"error_code":"APIGW.0101","error_msg":"The API does not exist","request_id":"rid-body"}`),
			want:       hwErrorFacts{Status: 400, Code: "APIGW.0101", Message: "The API does not exist", RequestID: "rid-body", Attempts: 1},
			sdkDiffers: "detach takes the body's request_id when X-Request-Id is missing; the SDK reads the header only",
			sdkWant:    hwErrorFacts{Status: 400, Code: "APIGW.0101", Message: "The API does not exist", RequestID: "", Attempts: 1},
		},
		{
			name:       "500 with an empty body",
			resp:       cannedResponse{status: 500, header: map[string]string{"X-Request-Id": "rid-7"}},
			want:       hwErrorFacts{Status: 500, RequestID: "rid-7", Attempts: 3},
			sdkDiffers: noRetryInSDK,
			sdkWant:    hwErrorFacts{Status: 500, RequestID: "rid-7", Attempts: 1},
		},
		{
			name: "502 with an HTML body",
			resp: cannedResponse{status: 502, header: map[string]string{"Content-Type": "text/html", "X-Request-Id": "rid-8"},
				body: "<html>Bad Gateway</html>"},
			want: hwErrorFacts{Status: 502, RequestID: "rid-8", Attempts: 3},
			sdkDiffers: noRetryInSDK + "; and for a body without a code the SDK makes the whole body the message, " +
				"detach leaves Message empty and keeps the body's start in ResponseError.Snippet",
			sdkWant: hwErrorFacts{Status: 502, Message: "<html>Bad Gateway</html>", RequestID: "rid-8", Attempts: 1},
		},
	}
}

func hwFactsOfOurs(err error, attempts int) hwErrorFacts {
	var re *transport.ResponseError
	if !errors.As(err, &re) {
		return hwErrorFacts{Code: fmt.Sprintf("<not a ResponseError: %v>", err), Attempts: attempts}
	}
	return hwErrorFacts{re.StatusCode, re.Code, re.Message, re.RequestID, re.EncodedAuthorizationMessage, attempts}
}

func hwFactsOfSDK(err error, attempts int) hwErrorFacts {
	var re *sdkerr.ServiceResponseError
	if !errors.As(err, &re) {
		return hwErrorFacts{Code: fmt.Sprintf("<not a ServiceResponseError: %v>", err), Attempts: attempts}
	}
	return hwErrorFacts{re.StatusCode, re.ErrorCode, re.ErrorMessage, re.RequestId, re.EncodedAuthorizationMessage, attempts}
}

func checkHuaweiErrorCase(t *testing.T, c hwErrorCase, ours, sdk func(*recorder) error) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{respond: always(c.resp)}
		got := hwFactsOfOurs(ours(rec), len(rec.requests()))
		if d := gocmp.Diff(c.want, got); d != "" {
			t.Errorf("detach (-want +got):\n%s", d)
		}
		srec := &recorder{respond: always(c.resp)}
		sdkGot := hwFactsOfSDK(sdk(srec), len(srec.requests()))
		want := c.want
		if c.sdkDiffers != "" {
			want = c.sdkWant
			t.Logf("named difference: %s", c.sdkDiffers)
		}
		if d := gocmp.Diff(want, sdkGot); d != "" {
			t.Errorf("huaweicloud-sdk-go-v3 (-want +got):\n%s", d)
		}
	})
}

// TestPrivateDNSErrorsMatchSDK gives the same canned error responses to
// both clients' DisassociateRouter.
func TestPrivateDNSErrorsMatchSDK(t *testing.T) {
	t.Parallel()
	creds := hwCreds(3)
	const projectID = "0123456789abcdef0123456789abcdef"
	in := &privatedns.DisassociateRouterInput{ZoneID: "ff8080825b8fc86c015b94bc6f8712c3", RouterID: "vpc-1", RouterRegion: "cn-north-4"}
	for _, c := range hwErrorCases() {
		t.Run(c.name, func(t *testing.T) {
			checkHuaweiErrorCase(t, c,
				func(rec *recorder) error {
					o := privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: "cn-north-4", Endpoint: hwEndpoint,
						Credentials: signer.StaticHuaweiCredentials(creds), ProjectID: projectID}
					o.HTTPClient = rec
					o.Now = func() time.Time { return hwSignTime }
					cl, err := privatedns.New(o)
					if err != nil {
						return err
					}
					_, err = cl.DisassociateRouter(context.Background(), in)
					return err
				},
				func(rec *recorder) error {
					hc, err := hwdns.DnsClientBuilder().WithEndpoints([]string{hwEndpoint}).WithHttpConfig(hwSDKConfig(rec)).
						WithCredential(&hwauth.BasicCredentials{
							BaseCredentials: hwauth.BaseCredentials{AK: creds.AccessKey, SK: creds.SecretKey, SecurityToken: creds.SecurityToken},
							ProjectId:       projectID,
						}).SafeBuild()
					if err != nil {
						return err
					}
					_, err = hwdns.NewDnsClient(hc).DisassociateRouter(&hwdnsmodel.DisassociateRouterRequest{ZoneId: in.ZoneID,
						Body: &hwdnsmodel.DisassociaterouterRequestBody{Router: &hwdnsmodel.Router{RouterId: in.RouterID, RouterRegion: &in.RouterRegion}}})
					return err
				})
		})
	}
}

// TestIdentityCenterErrorsMatchSDK gives the same canned error responses to
// both clients' DeleteProfile.
func TestIdentityCenterErrorsMatchSDK(t *testing.T) {
	t.Parallel()
	creds := hwCreds(4)
	const domainID = "fedcba9876543210fedcba9876543210"
	in := &identitycenter.DeleteProfileInput{InstanceID: "ins-2c1e0000000000f3", ApplicationInstanceID: "app-ins-1", ProfileID: "p-1"}
	for _, c := range hwErrorCases() {
		t.Run(c.name, func(t *testing.T) {
			checkHuaweiErrorCase(t, c,
				func(rec *recorder) error {
					o := identitycenter.Options{Endpoint: hwEndpoint, Credentials: signer.StaticHuaweiCredentials(creds), DomainID: domainID}
					o.HTTPClient = rec
					o.Now = func() time.Time { return hwSignTime }
					cl, err := identitycenter.New(o)
					if err != nil {
						return err
					}
					_, err = cl.DeleteProfile(context.Background(), in)
					return err
				},
				func(rec *recorder) error {
					hc, err := hwic.IdentityCenterClientBuilder().WithEndpoints([]string{hwEndpoint}).WithHttpConfig(hwSDKConfig(rec)).
						WithCredential(&hwauth.GlobalCredentials{
							BaseCredentials: hwauth.BaseCredentials{AK: creds.AccessKey, SK: creds.SecretKey, SecurityToken: creds.SecurityToken},
							DomainId:        domainID,
						}).SafeBuild()
					if err != nil {
						return err
					}
					_, err = hwic.NewIdentityCenterClient(hc).DeleteProfile(&hwicmodel.DeleteProfileRequest{
						InstanceId: in.InstanceID, ApplicationInstanceId: in.ApplicationInstanceID, ProfileId: in.ProfileID})
					return err
				})
		})
	}
}
