package sdkcompare

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkr53p "github.com/aws/aws-sdk-go-v2/service/route53profiles"
	sdkr53ptypes "github.com/aws/aws-sdk-go-v2/service/route53profiles/types"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/route53profiles"
)

// The Route 53 Profiles read operations that the waiters are built on,
// GetProfileAssociation and ListProfileAssociations, compared with
// aws-sdk-go-v2 as DisassociateProfile is (aws_ops_test.go): the request
// line (method, escaped path, query), body and signature; then the decoded
// answers and the errors.

// TestGetProfileAssociationRequestsMatchSDK sends every ID of awsIDs.
func TestGetProfileAssociationRequestsMatchSDK(t *testing.T) {
	t.Parallel()
	ok := always(cannedResponse{status: 200, header: map[string]string{"X-Amzn-RequestId": "req-1"}, body: r53pGetSuccess})
	for k, id := range awsIDs {
		creds, region := awsCreds(k), awsRegions[k%len(awsRegions)]
		ourRec, sdkRec := &recorder{respond: ok}, &recorder{respond: ok}
		_, oursErr := newOurRoute53Profiles(t, ourRec, creds, region).GetProfileAssociation(context.Background(),
			&route53profiles.GetProfileAssociationInput{ProfileAssociationID: id})
		_, sdkErr := newSDKRoute53Profiles(sdkRec, creds, region).GetProfileAssociation(context.Background(),
			&sdkr53p.GetProfileAssociationInput{ProfileAssociationId: aws.String(id)})
		c := awsRequestCase{name: fmt.Sprintf("input %d %+q", k, id), creds: creds, region: region, service: "route53profiles", oursErr: oursErr, sdkErr: sdkErr}
		if oursErr == nil && sdkErr == nil {
			c.ours, c.sdk = ourRec.requests()[0], sdkRec.requests()[0]
		}
		compareAWSRequests(t, c)
	}
	t.Logf("route53profiles GetProfileAssociation: %d inputs compared", len(awsIDs))
}

// listInputs are ListProfileAssociations inputs valid for both clients:
// every combination of the filters being given or not, MaxResults at both
// limits, and IDs and tokens with characters the query escaping must
// handle (space, +, /, =, %, &, #, unicode).
func listInputs() []route53profiles.ListProfileAssociationsInput {
	tokens := []string{"", "AAMA-EFRSURBSGl0WlZwL2ZhNGFQ", "a b+c/d==", "%2F%", "&x=1#frag", "ü😀", "~._-", strings.Repeat("t", 512)}
	maxes := []int32{0, 1, 100, 50}
	var ins []route53profiles.ListProfileAssociationsInput
	for i, id := range awsIDs {
		in := route53profiles.ListProfileAssociationsInput{MaxResults: maxes[i%len(maxes)], NextToken: tokens[i%len(tokens)]}
		switch i % 3 {
		case 0:
			in.ProfileID = id
		case 1:
			in.ResourceID = id
		case 2:
			in.ProfileID, in.ResourceID = id, awsIDs[(i+5)%len(awsIDs)]
		}
		ins = append(ins, in)
	}
	return append(ins, route53profiles.ListProfileAssociationsInput{}, route53profiles.ListProfileAssociationsInput{MaxResults: 100})
}

func sdkListInput(in route53profiles.ListProfileAssociationsInput) *sdkr53p.ListProfileAssociationsInput {
	s := &sdkr53p.ListProfileAssociationsInput{}
	if in.ProfileID != "" {
		s.ProfileId = aws.String(in.ProfileID)
	}
	if in.ResourceID != "" {
		s.ResourceId = aws.String(in.ResourceID)
	}
	if in.MaxResults != 0 {
		s.MaxResults = aws.Int32(in.MaxResults)
	}
	if in.NextToken != "" {
		s.NextToken = aws.String(in.NextToken)
	}
	return s
}

// TestListProfileAssociationsRequestsMatchSDK compares the query strings
// byte for byte: order, escaping and the parameters left out.
func TestListProfileAssociationsRequestsMatchSDK(t *testing.T) {
	t.Parallel()
	ok := always(cannedResponse{status: 200, header: map[string]string{"X-Amzn-RequestId": "req-1"}, body: r53pListSuccess})
	ins := listInputs()
	for k, in := range ins {
		creds, region := awsCreds(k), awsRegions[k%len(awsRegions)]
		ourRec, sdkRec := &recorder{respond: ok}, &recorder{respond: ok}
		_, oursErr := newOurRoute53Profiles(t, ourRec, creds, region).ListProfileAssociations(context.Background(), &in)
		_, sdkErr := newSDKRoute53Profiles(sdkRec, creds, region).ListProfileAssociations(context.Background(), sdkListInput(in))
		c := awsRequestCase{name: fmt.Sprintf("input %d %+v", k, in), creds: creds, region: region, service: "route53profiles", oursErr: oursErr, sdkErr: sdkErr}
		if oursErr == nil && sdkErr == nil {
			c.ours, c.sdk = ourRec.requests()[0], sdkRec.requests()[0]
			if in.NextToken != "" && !strings.Contains(c.ours.RawQuery, "nextToken=") {
				t.Errorf("%s: no nextToken in %q", c.name, c.ours.RawQuery)
			}
		}
		compareAWSRequests(t, c)
	}
	t.Logf("route53profiles ListProfileAssociations: %d inputs compared", len(ins))
}

const (
	r53pAssocJSON = `{"CreationTime":1709338817.148,"Id":"rpassoc-489ce212fexample","ModificationTime":1.709338974772E9,` +
		`"Name":"test-association","OwnerId":"123456789012","ProfileId":"rp-4987774726example","ResourceId":"vpc-0af3b96b3example",` +
		`"Status":"DELETING","StatusMessage":"Deleting Profile Association"}`
	r53pGetSuccess  = `{"ProfileAssociation":` + r53pAssocJSON + `}`
	r53pListSuccess = `{"ProfileAssociations":[` + r53pAssocJSON + `,{"Id":"rpassoc-2","Status":"NEW_STATE","CreationTime":-1.5},{}],"NextToken":"next+/="}`
)

// assocFacts is a ProfileAssociation in a form both clients' types map to:
// absent strings and times are empty.
type assocFacts struct {
	ID, Name, OwnerID, ProfileID, ResourceID, Status, StatusMessage string
	CreationTime, ModificationTime                                  time.Time
}

func ourFacts(a route53profiles.ProfileAssociation) assocFacts {
	return assocFacts{a.ID, a.Name, a.OwnerID, a.ProfileID, a.ResourceID, string(a.Status), a.StatusMessage, a.CreationTime, a.ModificationTime}
}

func sdkFacts(a sdkr53ptypes.ProfileAssociation) assocFacts {
	t := func(p *time.Time) time.Time {
		if p == nil {
			return time.Time{}
		}
		return p.UTC()
	}
	return assocFacts{aws.ToString(a.Id), aws.ToString(a.Name), aws.ToString(a.OwnerId), aws.ToString(a.ProfileId),
		aws.ToString(a.ResourceId), string(a.Status), aws.ToString(a.StatusMessage), t(a.CreationTime), t(a.ModificationTime)}
}

// TestRoute53ProfilesReadOutputsMatchSDK decodes the same answers with both
// clients: every field, timestamps to the millisecond, an unknown status
// kept, absent members empty, the NextToken.
func TestRoute53ProfilesReadOutputsMatchSDK(t *testing.T) {
	t.Parallel()
	creds := awsCreds(3)
	resp := func(body string) func(int) cannedResponse {
		return always(cannedResponse{status: 200, header: map[string]string{"X-Amzn-RequestId": "req-out"}, body: body})
	}

	ours, err := newOurRoute53Profiles(t, &recorder{respond: resp(r53pGetSuccess)}, creds, "us-east-1").
		GetProfileAssociation(context.Background(), &route53profiles.GetProfileAssociationInput{ProfileAssociationID: "a"})
	if err != nil {
		t.Fatal(err)
	}
	sdk, err := newSDKRoute53Profiles(&recorder{respond: resp(r53pGetSuccess)}, creds, "us-east-1").
		GetProfileAssociation(context.Background(), &sdkr53p.GetProfileAssociationInput{ProfileAssociationId: aws.String("a")})
	if err != nil {
		t.Fatal(err)
	}
	if d := gocmp.Diff(sdkFacts(*sdk.ProfileAssociation), ourFacts(*ours.ProfileAssociation)); d != "" {
		t.Errorf("GetProfileAssociation output (-SDK +detach):\n%s", d)
	}

	ol, err := newOurRoute53Profiles(t, &recorder{respond: resp(r53pListSuccess)}, creds, "us-east-1").
		ListProfileAssociations(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sl, err := newSDKRoute53Profiles(&recorder{respond: resp(r53pListSuccess)}, creds, "us-east-1").
		ListProfileAssociations(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var want, got []assocFacts
	for _, a := range sl.ProfileAssociations {
		want = append(want, sdkFacts(a))
	}
	for _, a := range ol.ProfileAssociations {
		got = append(got, ourFacts(a))
	}
	if d := gocmp.Diff(want, got); d != "" {
		t.Errorf("ListProfileAssociations output (-SDK +detach):\n%s", d)
	}
	if aws.ToString(sl.NextToken) != ol.NextToken {
		t.Errorf("NextToken: SDK %q, detach %q", aws.ToString(sl.NextToken), ol.NextToken)
	}
}

// TestRoute53ProfilesReadErrorsMatchSDK gives the canned error responses of
// DisassociateProfile's comparison, and InvalidNextTokenException, to both
// clients' GetProfileAssociation and ListProfileAssociations.
func TestRoute53ProfilesReadErrorsMatchSDK(t *testing.T) {
	t.Parallel()
	creds := awsCreds(5)
	cases := append(route53ProfilesErrorCases(), awsErrorCase{
		name: "InvalidNextTokenException",
		resp: jsonResp(400, "rid-tok", `{"__type":"InvalidNextTokenException","Message":"token expired"}`),
		want: errorFacts{IsAPIError: true, Code: "InvalidNextTokenException", Message: "token expired", RequestID: "rid-tok", Attempts: 1},
	})
	for _, c := range cases {
		t.Run("Get/"+c.name, func(t *testing.T) {
			checkAWSErrorCase(t, c,
				func(rec *recorder) error {
					_, err := newOurRoute53Profiles(t, rec, creds, "us-east-1").GetProfileAssociation(context.Background(),
						&route53profiles.GetProfileAssociationInput{ProfileAssociationID: "rpassoc-1"})
					return err
				},
				func(rec *recorder) error {
					_, err := newSDKRoute53Profiles(rec, creds, "us-east-1").GetProfileAssociation(context.Background(),
						&sdkr53p.GetProfileAssociationInput{ProfileAssociationId: aws.String("rpassoc-1")})
					return err
				})
		})
		t.Run("List/"+c.name, func(t *testing.T) {
			checkAWSErrorCase(t, c,
				func(rec *recorder) error {
					_, err := newOurRoute53Profiles(t, rec, creds, "us-east-1").ListProfileAssociations(context.Background(),
						&route53profiles.ListProfileAssociationsInput{NextToken: "t"})
					return err
				},
				func(rec *recorder) error {
					_, err := newSDKRoute53Profiles(rec, creds, "us-east-1").ListProfileAssociations(context.Background(),
						&sdkr53p.ListProfileAssociationsInput{NextToken: aws.String("t")})
					return err
				})
		})
	}
}
