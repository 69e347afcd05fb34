package sdkcompare

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkcp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	sdkr53p "github.com/aws/aws-sdk-go-v2/service/route53profiles"
	"github.com/aws/smithy-go/aws-http-auth/credentials"
	"github.com/aws/smithy-go/aws-http-auth/sigv4"
	authv4 "github.com/aws/smithy-go/aws-http-auth/v4"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
)

// The AWS operation comparisons: for each input both clients send their
// request to an in-memory recorder; the method, escaped path and body (as
// JSON values) must be equal, and detach's signature must verify when
// aws-http-auth recomputes it over detach's exact request (the same check
// is run on the SDK's request, which proves the check itself).

const awsEndpoint = "https://sdkcompare.example"

// awsSignTime is the clock detach signs with. aws-sdk-go-v2 signs with
// time.Now; its signature is checked the same way, at its own X-Amz-Date.
var awsSignTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

var awsRegions = []string{"us-east-1", "eu-west-2", "ap-northeast-1", "ca-central-1", "eu-central-1", "us-west-2",
	"cn-north-1", "us-gov-west-1", "il-central-1"}

// awsCreds returns the fake credentials of input i: every other input
// carries a session token.
func awsCreds(i int) signer.AWSCredentials {
	c := signer.AWSCredentials{AccessKeyID: "AKIDEXAMPLE" + strconv.Itoa(i), SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" + strconv.Itoa(i)}
	if i%2 == 1 {
		c.AccessKeyID = "ASIA" + c.AccessKeyID
		c.SessionToken = "IQoJb3JpZ2luX2VjEXAMPLE/TOKEN+" + strconv.Itoa(i) + "=="
	}
	return c
}

func sdkCredentials(c signer.AWSCredentials) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Source: "sdkcompare"}, nil
	})
}

// awsIDs are path IDs valid for both clients (1 to 64 characters, no control
// characters, not "." or ".."): plain, reserved and odd characters, escapes
// that must not be decoded, unicode, and both length limits.
var awsIDs = []string{
	"rp-4987774726example", "vpc-0af3b96b3example", "x", strings.Repeat("a", 64), "a/b", "a b", "a+b",
	"a%2Fb", "100%", "a?b#c", "a;b=c&d", "ü", "日本語", "😀", "~._-", ":@!$'()*,", `a\b`, `"quoted"`,
	"[]{}|^`<>", "...", "a..b", "Ω≈ç√", "\u00a0nbsp", strings.Repeat("é", 64),
}

// verifySigV4 recomputes the signature of a captured request with
// aws-http-auth: the same method, escaped path, query and body hash, exactly
// the headers its Authorization lists (so the rule is the client's own), at
// its X-Amz-Date, and checks that the Authorization comes out the same.
func verifySigV4(c captured, creds signer.AWSCredentials, region, service string) error {
	got := c.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(got, "AWS4-HMAC-SHA256 Credential=")
	if !ok {
		return fmt.Errorf("authorization %q is not SigV4", got)
	}
	_, rest, _ = strings.Cut(rest, ", SignedHeaders=")
	signedList, _, _ := strings.Cut(rest, ", Signature=")
	at, err := time.Parse("20060102T150405Z", c.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("x-amz-date: %w", err)
	}
	u, err := url.Parse("https://" + c.Host + c.Path)
	if err != nil {
		return err
	}
	u.RawQuery = c.RawQuery
	req := &http.Request{Method: c.Method, URL: u, Host: c.Host, Header: http.Header{}}
	signed := map[string]bool{}
	for _, name := range strings.Split(signedList, ";") {
		signed[name] = true
		switch name {
		case "host":
		case "content-length": // net/http keeps it in ContentLength, not in the map
			req.Header.Set("Content-Length", strconv.Itoa(len(c.Body)))
		default:
			req.Header[textproto.CanonicalMIMEHeaderKey(name)] = c.Header.Values(name)
		}
	}
	sum := sha256.Sum256(c.Body)
	s := sigv4.New(func(o *authv4.SignerOptions) { o.HeaderRules = headerSet(signed) })
	err = s.SignRequest(&sigv4.SignRequestInput{
		Request:     req,
		PayloadHash: sum[:],
		Credentials: credentials.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken},
		Service:     service,
		Region:      region,
		Time:        at,
	})
	if err != nil {
		return err
	}
	if want := req.Header.Get("Authorization"); want != got {
		return fmt.Errorf("signature does not verify:\n sent:       %s\n recomputed: %s", got, want)
	}
	if tok := c.Header.Get("X-Amz-Security-Token"); tok != creds.SessionToken {
		return fmt.Errorf("x-amz-security-token %q, want %q", tok, creds.SessionToken)
	}
	return nil
}

// headerSet is a SignedHeaderRules listing names.
type headerSet map[string]bool

func (h headerSet) IsSigned(lower string) bool { return h[lower] }

// awsRequestCase is one input's pair of captured requests.
type awsRequestCase struct {
	name      string
	creds     signer.AWSCredentials
	region    string
	service   string
	ours, sdk captured
	oursErr   error
	sdkErr    error
}

// compareAWSRequests checks one input's pair of requests.
//
// The header differences are asserted too: aws-sdk-go-v2 adds and signs
// amz-sdk-invocation-id and amz-sdk-request (its retry bookkeeping) and
// signs content-length when there is a body; detach sends neither header
// and leaves Content-Length, which net/http derives from the body, unsigned.
// Both send their own User-Agent, unsigned. The service checks the headers
// the Authorization lists, so none of this changes what it verifies.
func compareAWSRequests(t *testing.T, c awsRequestCase) {
	t.Helper()
	if c.oursErr != nil || c.sdkErr != nil {
		t.Errorf("%s: detach error %v, SDK error %v", c.name, c.oursErr, c.sdkErr)
		return
	}
	type line struct{ Method, Path, RawQuery, ContentType string }
	want := line{c.sdk.Method, c.sdk.Path, c.sdk.RawQuery, c.sdk.Header.Get("Content-Type")}
	got := line{c.ours.Method, c.ours.Path, c.ours.RawQuery, c.ours.Header.Get("Content-Type")}
	if d := gocmp.Diff(want, got); d != "" {
		t.Errorf("%s: request line differs (-SDK +detach):\n%s", c.name, d)
	}
	if d := jsonDiff(c.sdk.Body, c.ours.Body); d != "" {
		t.Errorf("%s: body differs (-SDK +detach):\n%s\nSDK:    %q\ndetach: %q", c.name, d, c.sdk.Body, c.ours.Body)
	}
	if err := verifySigV4(c.ours, c.creds, c.region, c.service); err != nil {
		t.Errorf("%s: detach's request: %v", c.name, err)
	}
	if err := verifySigV4(c.sdk, c.creds, c.region, c.service); err != nil {
		t.Errorf("%s: the SDK's request (the check itself is wrong): %v", c.name, err)
	}
	wantDiff := headerDiff{
		OnlySDK:       []string{"amz-sdk-invocation-id", "amz-sdk-request"},
		SignedOnlySDK: []string{"amz-sdk-invocation-id", "amz-sdk-request"},
	}
	if len(c.sdk.Body) > 0 {
		wantDiff.SignedOnlySDK = append(wantDiff.SignedOnlySDK, "content-length")
	}
	if d := gocmp.Diff(wantDiff, headerDifferences(c.ours, c.sdk)); d != "" {
		t.Errorf("%s: header differences (-want +got):\n%s", c.name, d)
	}
	if got, want := c.ours.Header.Get("X-Amz-Date"), awsSignTime.Format("20060102T150405Z"); got != want {
		t.Errorf("%s: detach's X-Amz-Date %q, want %q (Options.Now)", c.name, got, want)
	}
	scope := "/" + awsSignTime.Format("20060102") + "/" + c.region + "/" + c.service + "/aws4_request"
	if !strings.Contains(c.ours.Header.Get("Authorization"), "Credential="+c.creds.AccessKeyID+scope+",") {
		t.Errorf("%s: detach's Authorization %q lacks the scope %s", c.name, c.ours.Header.Get("Authorization"), scope)
	}
}

func newOurRoute53Profiles(t *testing.T, rec *recorder, creds signer.AWSCredentials, region string) *route53profiles.Client {
	t.Helper()
	o := route53profiles.Options{
		Region:      region,
		Endpoint:    awsEndpoint,
		Credentials: signer.StaticAWSCredentials(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
	}
	o.HTTPClient = rec
	o.Now = func() time.Time { return awsSignTime }
	c, err := route53profiles.New(o)
	if err != nil {
		t.Fatalf("route53profiles.New: %v", err)
	}
	return c
}

func newSDKRoute53Profiles(rec *recorder, creds signer.AWSCredentials, region string) *sdkr53p.Client {
	return sdkr53p.New(sdkr53p.Options{
		Region:       region,
		BaseEndpoint: aws.String(awsEndpoint),
		Credentials:  sdkCredentials(creds),
		HTTPClient:   rec,
	})
}

func newOurCustomerProfiles(t *testing.T, rec *recorder, creds signer.AWSCredentials, region string) *customerprofiles.Client {
	t.Helper()
	o := customerprofiles.Options{
		Region:      region,
		Endpoint:    awsEndpoint,
		Credentials: signer.StaticAWSCredentials(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
	}
	o.HTTPClient = rec
	o.Now = func() time.Time { return awsSignTime }
	c, err := customerprofiles.New(o)
	if err != nil {
		t.Fatalf("customerprofiles.New: %v", err)
	}
	return c
}

func newSDKCustomerProfiles(rec *recorder, creds signer.AWSCredentials, region string) *sdkcp.Client {
	return sdkcp.New(sdkcp.Options{
		Region:       region,
		BaseEndpoint: aws.String(awsEndpoint),
		Credentials:  sdkCredentials(creds),
		HTTPClient:   rec,
	})
}

const r53pSuccess = `{"ProfileAssociation":{"CreationTime":1.7e9,"Id":"rpassoc-1","ModificationTime":1700000001.5,` +
	`"Name":"n","OwnerId":"123456789012","ProfileId":"rp-1","ResourceId":"vpc-1","Status":"DELETING","StatusMessage":"ok"}}`

// TestRoute53ProfilesRequestsMatchSDK compares DisassociateProfile requests
// for every pair of IDs drawn from awsIDs (each ID once as ProfileID, once
// as ResourceID), over several regions, with and without a session token.
func TestRoute53ProfilesRequestsMatchSDK(t *testing.T) {
	t.Parallel()
	ok := always(cannedResponse{status: 200, header: map[string]string{"X-Amzn-RequestId": "req-1"}, body: r53pSuccess})
	n := 0
	for i, id := range awsIDs {
		other := awsIDs[(i+7)%len(awsIDs)]
		for j, in := range []route53profiles.DisassociateProfileInput{{ProfileID: id, ResourceID: other}, {ProfileID: other, ResourceID: id}} {
			k := 2*i + j
			creds, region := awsCreds(k), awsRegions[k%len(awsRegions)]
			ourRec, sdkRec := &recorder{respond: ok}, &recorder{respond: ok}
			_, oursErr := newOurRoute53Profiles(t, ourRec, creds, region).DisassociateProfile(context.Background(), &in)
			_, sdkErr := newSDKRoute53Profiles(sdkRec, creds, region).DisassociateProfile(context.Background(),
				&sdkr53p.DisassociateProfileInput{ProfileId: aws.String(in.ProfileID), ResourceId: aws.String(in.ResourceID)})
			c := awsRequestCase{name: fmt.Sprintf("input %d %+q", k, in), creds: creds, region: region, service: "route53profiles", oursErr: oursErr, sdkErr: sdkErr}
			if oursErr == nil && sdkErr == nil {
				c.ours, c.sdk = ourRec.requests()[0], sdkRec.requests()[0]
			}
			compareAWSRequests(t, c)
			n++
		}
	}
	t.Logf("route53profiles DisassociateProfile: %d inputs compared", n)
}

// cpInputs are DeleteProfileObject inputs valid for both clients. detach
// checks the model's patterns (DomainName ^[a-zA-Z0-9_-]+$, ObjectTypeName
// ^[a-zA-Z_][a-zA-Z_0-9-]*$, ProfileId [a-f0-9]{32}) and rejects control
// characters; aws-sdk-go-v2 checks only that required members are set, so
// inputs outside those patterns are sent by the SDK but refused by detach
// before any request, and are not compared.
func cpInputs() []customerprofiles.DeleteProfileObjectInput {
	keys := []string{
		"key", "_profile_Reference_Id_1234", "ü", "日本語のキー", "😀", `"quoted\"`, `back\slash`, "<html>&amp;</html>",
		"  spaces  ", "a/b?c#d", "%41%2F", strings.Repeat("k", 255), strings.Repeat("é", 255), "\u00a0", "+=&;",
		"email=a@example.com", "{\"json\":1}", "semi;colon", "[1,2]", "null", "\u2027\u2030", "x",
	}
	domains := []string{"my-domain", "D_1", "a", strings.Repeat("d", 64), "___", "-x-", "Domain-2025"}
	types := []string{"CTR", "_x", "Asset-1", "a", strings.Repeat("T", 255), "_profile_Reference_Id", "Order-2"}
	var ins []customerprofiles.DeleteProfileObjectInput
	for i, k := range keys {
		ins = append(ins, customerprofiles.DeleteProfileObjectInput{
			DomainName:             domains[i%len(domains)],
			ObjectTypeName:         types[i%len(types)],
			ProfileID:              fmt.Sprintf("%016x%016x", uint64(i)*0x9e3779b97f4a7c15, uint64(i+1)*0xbf58476d1ce4e5b9),
			ProfileObjectUniqueKey: k,
		})
	}
	return ins
}

// TestCustomerProfilesRequestsMatchSDK compares DeleteProfileObject requests.
func TestCustomerProfilesRequestsMatchSDK(t *testing.T) {
	t.Parallel()
	ok := always(cannedResponse{status: 200, header: map[string]string{"X-Amzn-RequestId": "req-1"}, body: `{"Message":"deleted"}`})
	n := 0
	for k, in := range cpInputs() {
		creds, region := awsCreds(k), awsRegions[k%len(awsRegions)]
		ourRec, sdkRec := &recorder{respond: ok}, &recorder{respond: ok}
		_, oursErr := newOurCustomerProfiles(t, ourRec, creds, region).DeleteProfileObject(context.Background(), &in)
		_, sdkErr := newSDKCustomerProfiles(sdkRec, creds, region).DeleteProfileObject(context.Background(), &sdkcp.DeleteProfileObjectInput{
			DomainName: aws.String(in.DomainName), ObjectTypeName: aws.String(in.ObjectTypeName),
			ProfileId: aws.String(in.ProfileID), ProfileObjectUniqueKey: aws.String(in.ProfileObjectUniqueKey),
		})
		c := awsRequestCase{name: fmt.Sprintf("input %d %+q", k, in), creds: creds, region: region, service: "profile", oursErr: oursErr, sdkErr: sdkErr}
		if oursErr == nil && sdkErr == nil {
			c.ours, c.sdk = ourRec.requests()[0], sdkRec.requests()[0]
		}
		compareAWSRequests(t, c)
		n++
	}
	t.Logf("customerprofiles DeleteProfileObject: %d inputs compared", n)
}
