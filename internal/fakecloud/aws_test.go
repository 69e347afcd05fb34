package fakecloud

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func r53pPath(profileID, resourceID string) string {
	return "/profileassociation/Profileid/" + profileID + "/resourceid/" + resourceID
}

func TestDisassociateProfileSuccess(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	clk.Advance(time.Minute)
	req := newRequest(t, srv, Route53Profiles, http.MethodDelete, r53pPath(R53ProfileID, R53VPCID), nil)
	resp := do(t, srv, signAWS(t, req, nil, awsMain, "route53profiles", "us-east-1", clk.Now()))

	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.status, resp.body)
	}
	created := json.Number("1735527845.678")  // t0 - 72h
	modified := json.Number("1735787105.678") // t0 + 1m
	want := map[string]any{"ProfileAssociation": map[string]any{
		"CreationTime": created, "ModificationTime": modified,
		"Id": R53AssociationID, "Name": "fakecloud-association-1", "OwnerId": AWSAccountID,
		"ProfileId": R53ProfileID, "ResourceId": R53VPCID,
		"Status": "DELETING", "StatusMessage": "Deleting Profile Association",
	}}
	if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	checkAWSHeaders(t, resp, clk.Now())
	if ok, status := c.ProfileAssociation(R53ProfileID, R53VPCID); !ok || status != "DELETING" {
		t.Errorf("ProfileAssociation = %v, %q; want true, DELETING", ok, status)
	}
	if ok, status := c.ProfileAssociation(R53ProfileID, R53VPCID2); !ok || status != "COMPLETE" {
		t.Errorf("other association = %v, %q; want true, COMPLETE", ok, status)
	}

	// The operation is idempotent: a retry succeeds with the same body.
	clk.Advance(time.Minute)
	req = newRequest(t, srv, Route53Profiles, http.MethodDelete, r53pPath(R53ProfileID, R53VPCID), nil)
	resp = do(t, srv, signAWS(t, req, nil, awsMain, "route53profiles", "us-east-1", clk.Now()))
	if resp.status != http.StatusOK {
		t.Fatalf("second call: status = %d, body %s", resp.status, resp.body)
	}
	if diff := cmp.Diff(want, resp.jsonBody(t)); diff != "" {
		t.Errorf("second call body (-want +got):\n%s", diff)
	}
}

func checkAWSHeaders(t *testing.T, resp response, now time.Time) {
	t.Helper()
	if got := resp.header.Get("X-Amzn-RequestId"); len(got) != 36 {
		t.Errorf("X-Amzn-RequestId = %q, want a UUID", got)
	}
	if got, want := resp.header.Get("Date"), now.Format(http.TimeFormat); got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
	if got := resp.header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
}

// awsErr is the error part of a restJson1 response.
type awsErr struct {
	Status     int
	HeaderCode string
	Type       string
	Message    string
}

func decodeAWSError(t *testing.T, resp response) awsErr {
	t.Helper()
	m := resp.jsonBody(t)
	typ, _ := m["__type"].(string)
	msg, _ := m["message"].(string)
	return awsErr{resp.status, resp.header.Get("X-Amzn-ErrorType"), typ, msg}
}

func TestDisassociateProfileEscapedIDs(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	// An escaped "/" is part of the ID; so are other escaped characters.
	c.AddProfileAssociation("rp/1 ü", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1")
	path := r53pPath("rp%2F1%20%C3%BC", "arn%3Aaws%3Aec2%3Aus-east-1%3A123456789012%3Avpc%2Fvpc-1")
	req := newRequest(t, srv, Route53Profiles, http.MethodDelete, path, nil)
	resp := do(t, srv, signAWS(t, req, nil, awsMain, "route53profiles", "us-east-1", clk.Now()))
	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.status, resp.body)
	}
	if ok, status := c.ProfileAssociation("rp/1 ü", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-1"); !ok || status != "DELETING" {
		t.Errorf("ProfileAssociation = %v, %q; want true, DELETING", ok, status)
	}
}

func TestDisassociateProfileErrors(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 65)
	tests := []struct {
		name  string
		path  string
		creds awsCreds
		want  awsErr
	}{
		{"unknown association", r53pPath(R53ProfileID, "vpc-unknown"), awsMain, awsErr{400, "ResourceNotFoundException", "ResourceNotFoundException",
			"The profile association between " + R53ProfileID + " and vpc-unknown doesn't exist."}},
		{"profile id too long", r53pPath(long, R53VPCID), awsMain, awsErr{400, "ValidationException", "ValidationException",
			"1 validation error detected: Value '" + long + "' at 'profileId' failed to satisfy constraint: Member must have length between 1 and 64"}},
		{"empty resource id", r53pPath(R53ProfileID, ""), awsMain, awsErr{400, "ValidationException", "ValidationException",
			"1 validation error detected: Value '' at 'resourceId' failed to satisfy constraint: Member must have length between 1 and 64"}},
		{"denied", r53pPath(R53ProfileID, R53VPCID), awsDenied, awsErr{400, "AccessDeniedException", "AccessDeniedException",
			"User: arn:aws:iam::123456789012:user/fakecloud-denied is not authorized to perform: route53profiles:DisassociateProfile"}},
		{"temporary key", r53pPath(R53ProfileID, "vpc-unknown"), awsTemp, awsErr{400, "ResourceNotFoundException", "ResourceNotFoundException",
			"The profile association between " + R53ProfileID + " and vpc-unknown doesn't exist."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			req := newRequest(t, srv, Route53Profiles, http.MethodDelete, tt.path, nil)
			resp := do(t, srv, signAWS(t, req, nil, tt.creds, "route53profiles", "us-east-1", clk.Now()))
			if diff := cmp.Diff(tt.want, decodeAWSError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			checkAWSHeaders(t, resp, clk.Now())
			if ok, status := c.ProfileAssociation(R53ProfileID, R53VPCID); !ok || status != "COMPLETE" {
				t.Errorf("association changed: %v, %q", ok, status)
			}
		})
	}
}

func cpBody(objectType, profileID, key string) []byte {
	b, _ := json.Marshal(map[string]string{"ObjectTypeName": objectType, "ProfileId": profileID, "ProfileObjectUniqueKey": key})
	return b
}

func cpPath(domain string) string { return "/domains/" + domain + "/profiles/objects/delete" }

func TestDeleteProfileObjectSuccess(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	body := cpBody(CPObjectTypeName, CPProfileID, CPObjectKey)
	send := func() response {
		req := newRequest(t, srv, CustomerProfiles, http.MethodPost, cpPath(CPDomainName), body)
		return do(t, srv, signAWS(t, req, body, awsMain, "profile", "us-east-1", clk.Now()))
	}
	resp := send()
	if resp.status != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.status, resp.body)
	}
	if diff := cmp.Diff(map[string]any{"Message": "Profile object deleted."}, resp.jsonBody(t)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	checkAWSHeaders(t, resp, clk.Now())
	if c.ProfileObject(CPDomainName, CPObjectTypeName, CPProfileID, CPObjectKey) {
		t.Error("object still exists")
	}
	if !c.ProfileObject(CPDomainName, CPObjectTypeName, CPProfileID, CPObjectKey2) {
		t.Error("the other object was deleted too")
	}
	// Not idempotent: the object is gone the second time.
	want := awsErr{404, "ResourceNotFoundException", "ResourceNotFoundException", "Profile object was not found."}
	if diff := cmp.Diff(want, decodeAWSError(t, send())); diff != "" {
		t.Errorf("second call (-want +got):\n%s", diff)
	}
}

func TestDeleteProfileObjectErrors(t *testing.T) {
	t.Parallel()
	good := cpBody(CPObjectTypeName, CPProfileID, CPObjectKey)
	tests := []struct {
		name   string
		domain string
		body   []byte
		creds  awsCreds
		want   awsErr
	}{
		{"bad json", CPDomainName, []byte(`{"ObjectTypeName":`), awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "the request body is not a JSON object"}},
		{"json array", CPDomainName, []byte(`[]`), awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "the request body is not a JSON object"}},
		{"missing key", CPDomainName, []byte(`{"ObjectTypeName":"CTR","ProfileId":"` + CPProfileID + `"}`), awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "ProfileObjectUniqueKey is required"}},
		{"member names are case-sensitive", CPDomainName, []byte(`{"objecttypename":"CTR"}`), awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "ObjectTypeName is required"}},
		{"non-string member", CPDomainName, []byte(`{"ObjectTypeName":1}`), awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "ObjectTypeName must be a string"}},
		{"bad type name", CPDomainName, cpBody("9CTR", CPProfileID, CPObjectKey), awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "ObjectTypeName must match the pattern ^[a-zA-Z_][a-zA-Z_0-9-]*$"}},
		{"bad profile id", CPDomainName, cpBody(CPObjectTypeName, "DB3C", CPObjectKey), awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "ProfileId must match the pattern [a-f0-9]{32}"}},
		{"key too long", CPDomainName, cpBody(CPObjectTypeName, CPProfileID, strings.Repeat("k", 256)), awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "ProfileObjectUniqueKey must be between 1 and 255 characters long"}},
		{"bad domain name", "dom%20ain", good, awsMain,
			awsErr{400, "BadRequestException", "BadRequestException", "DomainName must match the pattern ^[a-zA-Z0-9_-]+$"}},
		{"unknown domain", "other-domain", good, awsMain,
			awsErr{404, "ResourceNotFoundException", "ResourceNotFoundException", "Domain other-domain was not found."}},
		{"unknown object", CPDomainName, cpBody(CPObjectTypeName, CPProfileID, "nope"), awsMain,
			awsErr{404, "ResourceNotFoundException", "ResourceNotFoundException", "Profile object was not found."}},
		{"denied", CPDomainName, good, awsDenied,
			awsErr{403, "AccessDeniedException", "AccessDeniedException",
				"User: arn:aws:iam::123456789012:user/fakecloud-denied is not authorized to perform: profile:DeleteProfileObject"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			req := newRequest(t, srv, CustomerProfiles, http.MethodPost, cpPath(tt.domain), tt.body)
			resp := do(t, srv, signAWS(t, req, tt.body, tt.creds, "profile", "us-east-1", clk.Now()))
			if diff := cmp.Diff(tt.want, decodeAWSError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			checkAWSHeaders(t, resp, clk.Now())
			if !c.ProfileObject(CPDomainName, CPObjectTypeName, CPProfileID, CPObjectKey) {
				t.Error("the seeded object was deleted")
			}
		})
	}
}

func TestAWSAuthFailures(t *testing.T) {
	t.Parallel()
	body := cpBody(CPObjectTypeName, CPProfileID, CPObjectKey)
	mismatch := "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	tests := []struct {
		name   string
		svc    Service // Route53Profiles or CustomerProfiles
		modify func(t *testing.T, req *http.Request) *http.Request
		want   awsErr
	}{
		{"no authorization", CustomerProfiles, func(t *testing.T, req *http.Request) *http.Request { return req },
			awsErr{403, "MissingAuthenticationTokenException", "MissingAuthenticationTokenException", "Missing Authentication Token"}},
		{"malformed authorization", Route53Profiles, func(t *testing.T, req *http.Request) *http.Request {
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x")
			return req
		}, awsErr{403, "IncompleteSignatureException", "IncompleteSignatureException", msgIncomplete}},
		{"unknown key", CustomerProfiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, body, awsCreds{"AKIDUNKNOWN", "secret", ""}, "profile", "us-east-1", t0)
		}, awsErr{403, "UnrecognizedClientException", "UnrecognizedClientException", "The security token included in the request is invalid."}},
		{"wrong secret", Route53Profiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, nil, awsCreds{AWSAccessKeyID, "wrong", ""}, "route53profiles", "us-east-1", t0)
		}, awsErr{403, "InvalidSignatureException", "InvalidSignatureException", mismatch}},
		{"body changed after signing", CustomerProfiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, []byte(`{}`), awsMain, "profile", "us-east-1", t0)
		}, awsErr{403, "InvalidSignatureException", "InvalidSignatureException", mismatch}},
		{"stale date", CustomerProfiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, body, awsMain, "profile", "us-east-1", t0.Add(-10*time.Minute))
		}, awsErr{403, "InvalidSignatureException", "InvalidSignatureException",
			"Signature expired: 20250102T025405Z is now earlier than 20250102T025905Z (20250102T030405Z - 5 min.)"}},
		{"future date", Route53Profiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, nil, awsMain, "route53profiles", "us-east-1", t0.Add(6*time.Minute))
		}, awsErr{403, "InvalidSignatureException", "InvalidSignatureException",
			"Signature not yet current: 20250102T031005Z is still later than 20250102T030905Z (20250102T030405Z + 5 min.)"}},
		{"wrong service", Route53Profiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, nil, awsMain, "route53resolver", "us-east-1", t0)
		}, awsErr{403, "InvalidSignatureException", "InvalidSignatureException", "Credential should be scoped to correct service: 'route53profiles'. "}},
		{"wrong region", CustomerProfiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, body, awsMain, "profile", "eu-west-2", t0)
		}, awsErr{403, "InvalidSignatureException", "InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-2'. "}},
		{"temporary key without token", Route53Profiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, nil, awsCreds{AWSTempAccessKeyID, AWSTempSecretKey, ""}, "route53profiles", "us-east-1", t0)
		}, awsErr{403, "UnrecognizedClientException", "UnrecognizedClientException", "The security token included in the request is invalid."}},
		{"temporary key with wrong token", CustomerProfiles, func(t *testing.T, req *http.Request) *http.Request {
			return signAWS(t, req, body, awsCreds{AWSTempAccessKeyID, AWSTempSecretKey, "other"}, "profile", "us-east-1", t0)
		}, awsErr{403, "UnrecognizedClientException", "UnrecognizedClientException", "The security token included in the request is invalid."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv, clk := start(t)
			var req *http.Request
			if tt.svc == Route53Profiles {
				req = newRequest(t, srv, tt.svc, http.MethodDelete, r53pPath(R53ProfileID, R53VPCID), nil)
			} else {
				req = newRequest(t, srv, tt.svc, http.MethodPost, cpPath(CPDomainName), body)
			}
			resp := do(t, srv, tt.modify(t, req))
			if diff := cmp.Diff(tt.want, decodeAWSError(t, resp)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			// The Date header is how a client corrects its clock.
			checkAWSHeaders(t, resp, clk.Now())
			if ok, status := c.ProfileAssociation(R53ProfileID, R53VPCID); !ok || status != "COMPLETE" {
				t.Errorf("association changed: %v, %q", ok, status)
			}
			if !c.ProfileObject(CPDomainName, CPObjectTypeName, CPProfileID, CPObjectKey) {
				t.Error("object deleted")
			}
		})
	}
}

func TestAWSRegionOption(t *testing.T) {
	t.Parallel()
	_, srv, clk := start(t, WithAWSRegion("eu-west-2"))
	body := cpBody(CPObjectTypeName, CPProfileID, CPObjectKey)
	req := newRequest(t, srv, CustomerProfiles, http.MethodPost, cpPath(CPDomainName), body)
	if resp := do(t, srv, signAWS(t, req, body, awsTemp, "profile", "eu-west-2", clk.Now())); resp.status != http.StatusOK {
		t.Fatalf("status = %d, body %s", resp.status, resp.body)
	}
	req = newRequest(t, srv, Route53Profiles, http.MethodDelete, r53pPath(R53ProfileID, R53VPCID), nil)
	resp := do(t, srv, signAWS(t, req, nil, awsMain, "route53profiles", "us-east-1", clk.Now()))
	want := awsErr{403, "InvalidSignatureException", "InvalidSignatureException", "Credential should be scoped to a valid region, not 'us-east-1'. "}
	if diff := cmp.Diff(want, decodeAWSError(t, resp)); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}
