package sdkcompare

import (
	"context"
	"os"
	"testing"
	"testing/synctest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkcp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	sdkr53p "github.com/aws/aws-sdk-go-v2/service/route53profiles"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/route53profiles"
)

// awsErrorCase is one canned error response, given to both clients on
// every attempt. Both run with their default retry settings (3 attempts)
// inside a synctest bubble, so backoff and Retry-After waits take no real
// time and the gaps between attempts can be measured on the fake clock.
type awsErrorCase struct {
	name string
	resp cannedResponse
	// want is what detach's error reports, through smithy.APIError and
	// ServiceRequestID exactly as for an aws-sdk-go-v2 error.
	want errorFacts
	// sdkDiffers names the difference when aws-sdk-go-v2 reports something
	// else (sdkWant); empty when it reports exactly want.
	sdkDiffers string
	sdkWant    errorFacts
	// minGap is the least wait detach must leave between attempts
	// (Retry-After).
	minGap time.Duration
	// sdkWaitsLess asserts that aws-sdk-go-v2's first retry comes before
	// minGap: it does not read Retry-After (its first backoff is at most 2 s).
	sdkWaitsLess bool
}

func jsonResp(status int, rid, body string, kv ...string) cannedResponse {
	h := map[string]string{"Content-Type": "application/json"}
	if rid != "" {
		h["X-Amzn-RequestId"] = rid
	}
	for i := 0; i+1 < len(kv); i += 2 {
		h[kv[i]] = kv[i+1]
	}
	return cannedResponse{status: status, header: h, body: body}
}

// awsCommonErrorCases are the restJson1 error shapes both services share.
// Differences, each named where it occurs:
//
//   - 429 without a throttling code: both retry it (aws-sdk-go-v2 since
//     v1.48.0, whose retry behaviour 2.1 treats an unmodeled 429 as
//     throttling); detach waits Retry-After, the SDK its own backoff (it
//     reads only X-Amz-Retry-After).
//   - no message: aws-sdk-go-v2 reports its placeholder "UnknownError" as
//     the message of an unmodeled error; detach reports "" (no message).
//   - a body that is not JSON: aws-sdk-go-v2 fails to deserialize it and
//     returns no smithy.APIError at all; detach returns a ResponseError with
//     ErrorCode "UnknownError" and the body's start as Snippet.
//   - a request ID in X-Amz-Request-Id only: detach falls back to that
//     header; aws-sdk-go-v2 falls back to "X-Amz-RequestId" instead.
func awsCommonErrorCases() []awsErrorCase {
	return []awsErrorCase{
		{
			name: "unmodeled code in body __type with namespace",
			resp: jsonResp(400, "rid-new", `{"__type":"com.amazonaws.example#SomeNewException","message":"something new"}`),
			want: errorFacts{IsAPIError: true, Code: "SomeNewException", Message: "something new", RequestID: "rid-new", Attempts: 1},
		},
		{
			name: "code in body code field, Message capitalised",
			resp: jsonResp(400, "rid-code", `{"code":"SomeOtherException","Message":"capital M"}`),
			want: errorFacts{IsAPIError: true, Code: "SomeOtherException", Message: "capital M", RequestID: "rid-code", Attempts: 1},
		},
		{
			name: "throttling sent with 400",
			resp: jsonResp(400, "rid-thr", `{"message":"Rate exceeded"}`, "X-Amzn-ErrorType", "ThrottlingException"),
			want: errorFacts{IsAPIError: true, Code: "ThrottlingException", Message: "Rate exceeded", RequestID: "rid-thr", Attempts: 3},
		},
		{
			name: "TooManyRequestsException with 429",
			resp: jsonResp(429, "rid-tmr", `{"__type":"TooManyRequestsException","message":"slow down"}`),
			want: errorFacts{IsAPIError: true, Code: "TooManyRequestsException", Message: "slow down", RequestID: "rid-tmr", Attempts: 3},
		},
		{
			name:         "429 without a code, with Retry-After",
			resp:         jsonResp(429, "rid-429", `{"message":"Too Many Requests"}`, "Retry-After", "7"),
			want:         errorFacts{IsAPIError: true, Code: "UnknownError", Message: "Too Many Requests", RequestID: "rid-429", Attempts: 3},
			minGap:       7 * time.Second,
			sdkWaitsLess: true,
		},
		{
			name: "500 with an unmodeled InternalServerException",
			resp: jsonResp(500, "rid-500", `{"__type":"InternalServerException","message":"internal"}`),
			want: errorFacts{IsAPIError: true, Code: "InternalServerException", Message: "internal", RequestID: "rid-500", Attempts: 3},
		},
		{
			name:       "503 with an empty body",
			resp:       cannedResponse{status: 503, header: map[string]string{"X-Amzn-RequestId": "rid-503"}},
			want:       errorFacts{IsAPIError: true, Code: "UnknownError", Message: "", RequestID: "rid-503", Attempts: 3},
			sdkDiffers: `no message: aws-sdk-go-v2 fills in "UnknownError"; detach leaves the message empty`,
			sdkWant:    errorFacts{IsAPIError: true, Code: "UnknownError", Message: "UnknownError", RequestID: "rid-503", Attempts: 3},
		},
		{
			name: "502 with an HTML body from a proxy",
			resp: cannedResponse{status: 502, header: map[string]string{"Content-Type": "text/html", "X-Amzn-RequestId": "rid-502"},
				body: "<html><body>Bad Gateway</body></html>"},
			want:       errorFacts{IsAPIError: true, Code: "UnknownError", Message: "", RequestID: "rid-502", Attempts: 3},
			sdkDiffers: "a body that is not JSON: aws-sdk-go-v2 returns a deserialization error, not an APIError; detach returns a ResponseError (code UnknownError, body kept as Snippet)",
			sdkWant:    errorFacts{IsAPIError: false, RequestID: "rid-502", Attempts: 3},
		},
		{
			name:       "request ID in X-Amz-Request-Id only",
			resp:       jsonResp(400, "", `{"__type":"SomeNewException","message":"m"}`, "X-Amz-Request-Id", "rid-amz"),
			want:       errorFacts{IsAPIError: true, Code: "SomeNewException", Message: "m", RequestID: "rid-amz", Attempts: 1},
			sdkDiffers: `detach falls back to X-Amz-Request-Id for the request ID; aws-sdk-go-v2 falls back to "X-Amz-RequestId" and finds none`,
			sdkWant:    errorFacts{IsAPIError: true, Code: "SomeNewException", Message: "m", RequestID: "", Attempts: 1},
		},
	}
}

// route53ProfilesErrorCases adds the codes Route 53 Profiles documents, all
// sent with 400.
func route53ProfilesErrorCases() []awsErrorCase {
	return append(awsCommonErrorCases(),
		awsErrorCase{
			name: "ResourceNotFoundException in X-Amzn-ErrorType with a URI suffix",
			resp: jsonResp(400, "rid-nf", `{"message":"The association was not found.","ResourceType":"ProfileAssociation"}`,
				"X-Amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.route53profiles/"),
			want: errorFacts{IsAPIError: true, Code: "ResourceNotFoundException", Message: "The association was not found.", RequestID: "rid-nf", Attempts: 1},
		},
		awsErrorCase{
			name: "AccessDeniedException in body __type",
			resp: jsonResp(400, "rid-ad", `{"__type":"com.amazonaws.route53profiles#AccessDeniedException","Message":"not authorized"}`),
			want: errorFacts{IsAPIError: true, Code: "AccessDeniedException", Message: "not authorized", RequestID: "rid-ad", Attempts: 1},
		},
		awsErrorCase{
			name: "ValidationException",
			resp: jsonResp(400, "rid-val", `{"__type":"ValidationException","message":"1 validation error detected","FieldName":"ProfileId"}`),
			want: errorFacts{IsAPIError: true, Code: "ValidationException", Message: "1 validation error detected", RequestID: "rid-val", Attempts: 1},
		},
		awsErrorCase{
			name: "InvalidParameterException",
			resp: jsonResp(400, "rid-ip", `{"__type":"InvalidParameterException","message":"bad id","FieldName":"ResourceId"}`),
			want: errorFacts{IsAPIError: true, Code: "InvalidParameterException", Message: "bad id", RequestID: "rid-ip", Attempts: 1},
		},
		awsErrorCase{
			name:       "LimitExceededException",
			resp:       jsonResp(400, "rid-le", `{"__type":"LimitExceededException","message":"quota reached","ResourceType":"ProfileAssociation"}`),
			want:       errorFacts{IsAPIError: true, Code: "LimitExceededException", Message: "quota reached", RequestID: "rid-le", Attempts: 1},
			sdkDiffers: "aws-sdk-go-v2 lists LimitExceededException among its throttling codes and retries it; detach treats Route 53 Profiles' LimitExceededException as the documented account quota (transport.ErrQuotaExceeded), which a retry cannot fix",
			sdkWant:    errorFacts{IsAPIError: true, Code: "LimitExceededException", Message: "quota reached", RequestID: "rid-le", Attempts: 3},
		},
	)
}

// customerProfilesErrorCases adds the codes Customer Profiles documents,
// each with its HTTP status.
func customerProfilesErrorCases() []awsErrorCase {
	return append(awsCommonErrorCases(),
		awsErrorCase{
			name: "ResourceNotFoundException 404",
			resp: jsonResp(404, "rid-nf", `{"Message":"Object not found"}`, "X-Amzn-ErrorType", "ResourceNotFoundException"),
			want: errorFacts{IsAPIError: true, Code: "ResourceNotFoundException", Message: "Object not found", RequestID: "rid-nf", Attempts: 1},
		},
		awsErrorCase{
			name: "AccessDeniedException 403",
			resp: jsonResp(403, "rid-ad", `{"__type":"AccessDeniedException","Message":"denied"}`),
			want: errorFacts{IsAPIError: true, Code: "AccessDeniedException", Message: "denied", RequestID: "rid-ad", Attempts: 1},
		},
		awsErrorCase{
			name: "BadRequestException 400",
			resp: jsonResp(400, "rid-br", `{"__type":"BadRequestException","message":"bad request"}`),
			want: errorFacts{IsAPIError: true, Code: "BadRequestException", Message: "bad request", RequestID: "rid-br", Attempts: 1},
		},
		awsErrorCase{
			name: "InternalServerException 500",
			resp: jsonResp(500, "rid-ise", `{"Message":"try again"}`, "X-Amzn-ErrorType", "InternalServerException"),
			want: errorFacts{IsAPIError: true, Code: "InternalServerException", Message: "try again", RequestID: "rid-ise", Attempts: 3},
		},
		awsErrorCase{
			name:         "ThrottlingException 429 with Retry-After",
			resp:         jsonResp(429, "rid-thr", `{"__type":"ThrottlingException","message":"slow down"}`, "Retry-After", "4"),
			want:         errorFacts{IsAPIError: true, Code: "ThrottlingException", Message: "slow down", RequestID: "rid-thr", Attempts: 3},
			minGap:       4 * time.Second,
			sdkWaitsLess: true,
		},
	)
}

// runAWSErrorCase gives the canned response to one client call and returns
// what the error reports and the smallest gap between attempts.
func runAWSErrorCase(call func(rec *recorder) error, resp cannedResponse) (errorFacts, time.Duration) {
	rec := &recorder{respond: always(resp)}
	err := call(rec)
	reqs := rec.requests()
	minGap := time.Duration(-1)
	for i := 1; i < len(reqs); i++ {
		if gap := reqs[i].At.Sub(reqs[i-1].At); minGap < 0 || gap < minGap {
			minGap = gap
		}
	}
	if err == nil {
		return errorFacts{Attempts: len(reqs), Code: "<no error>"}, minGap
	}
	return factsOf(err, len(reqs)), minGap
}

func checkAWSErrorCase(t *testing.T, c awsErrorCase, ours func(*recorder) error, sdk func(*recorder) error) {
	t.Helper()
	if os.Getenv("AWS_NEW_RETRIES_2026") == "true" {
		t.Skip("AWS_NEW_RETRIES_2026 changes aws-sdk-go-v2's retry rules; the expectations here are for its default (legacy) mode")
	}
	synctest.Test(t, func(t *testing.T) {
		got, gap := runAWSErrorCase(ours, c.resp)
		if d := gocmp.Diff(c.want, got); d != "" {
			t.Errorf("detach (-want +got):\n%s", d)
		}
		if c.minGap > 0 && gap < c.minGap {
			t.Errorf("detach waited %v between attempts, want at least %v (Retry-After)", gap, c.minGap)
		}
		sdkGot, sdkGap := runAWSErrorCase(sdk, c.resp)
		if c.sdkWaitsLess {
			t.Logf("named difference: detach waited %v (Retry-After), aws-sdk-go-v2 %v (its own jittered backoff; it ignores Retry-After)", gap, sdkGap)
			if sdkGap >= c.minGap {
				t.Errorf("aws-sdk-go-v2 waited %v, expected less than Retry-After %v", sdkGap, c.minGap)
			}
		}
		want := c.want
		if c.sdkDiffers != "" {
			want = c.sdkWant
			t.Logf("named difference: %s", c.sdkDiffers)
		}
		if d := gocmp.Diff(want, sdkGot); d != "" {
			t.Errorf("aws-sdk-go-v2 (-want +got):\n%s", d)
		}
	})
}

// TestRoute53ProfilesErrorsMatchSDK gives the same canned error responses
// to both clients' DisassociateProfile.
func TestRoute53ProfilesErrorsMatchSDK(t *testing.T) {
	t.Parallel()
	creds := awsCreds(1)
	in := &route53profiles.DisassociateProfileInput{ProfileID: "rp-1", ResourceID: "vpc-1"}
	for _, c := range route53ProfilesErrorCases() {
		t.Run(c.name, func(t *testing.T) {
			checkAWSErrorCase(t, c,
				func(rec *recorder) error {
					_, err := newOurRoute53Profiles(t, rec, creds, "us-east-1").DisassociateProfile(context.Background(), in)
					return err
				},
				func(rec *recorder) error {
					_, err := newSDKRoute53Profiles(rec, creds, "us-east-1").DisassociateProfile(context.Background(),
						&sdkr53p.DisassociateProfileInput{ProfileId: aws.String(in.ProfileID), ResourceId: aws.String(in.ResourceID)})
					return err
				})
		})
	}
}

// TestCustomerProfilesErrorsMatchSDK gives the same canned error responses
// to both clients' DeleteProfileObject.
func TestCustomerProfilesErrorsMatchSDK(t *testing.T) {
	t.Parallel()
	creds := awsCreds(2)
	in := cpInputs()[0]
	for _, c := range customerProfilesErrorCases() {
		t.Run(c.name, func(t *testing.T) {
			checkAWSErrorCase(t, c,
				func(rec *recorder) error {
					_, err := newOurCustomerProfiles(t, rec, creds, "us-east-1").DeleteProfileObject(context.Background(), &in)
					return err
				},
				func(rec *recorder) error {
					_, err := newSDKCustomerProfiles(rec, creds, "us-east-1").DeleteProfileObject(context.Background(), &sdkcp.DeleteProfileObjectInput{
						DomainName: aws.String(in.DomainName), ObjectTypeName: aws.String(in.ObjectTypeName),
						ProfileId: aws.String(in.ProfileID), ProfileObjectUniqueKey: aws.String(in.ProfileObjectUniqueKey),
					})
					return err
				})
		})
	}
}
