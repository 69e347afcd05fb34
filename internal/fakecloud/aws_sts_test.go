package fakecloud

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAssumeRoleSuccess(t *testing.T) {
	t.Parallel()
	c, hosts, srv, clk := startHosts(t)
	form := stsForm("AssumeRole", "RoleArn", AWSExternalIDRoleARN, "RoleSessionName", "emu-session",
		"DurationSeconds", "900", "ExternalId", AWSRoleExternalID)
	got := decodeSTS(t, stsCall(t, hosts, form, awsMain, "ap-south-2", clk.Now()))

	issued := c.IssuedCredentials()
	if len(issued) != 1 {
		t.Fatalf("issued %d credentials, want 1", len(issued))
	}
	ic := issued[0]
	want := stsAnswer{
		Status: 200, AccessKeyID: ic.AccessKeyID, Secret: ic.SecretAccessKey, Token: ic.SessionToken,
		Expiration: "2025-01-02T03:19:05Z", // t0 + 900 s, whole seconds
		Arn:        "arn:aws:sts::123456789012:assumed-role/fakecloud-external-id-role/emu-session",
		RoleID:     roleID(AWSExternalIDRoleARN) + ":emu-session",
		Namespace:  stsNamespace,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(ic.AccessKeyID, "ASIA") || len(ic.AccessKeyID) != 20 || ic.AccountID != AWSAccountID ||
		ic.Op != OpAssumeRole || !ic.Issued.Equal(t0) || !ic.Expires.Equal(t0.Add(900*time.Second).Truncate(time.Second)) {
		t.Errorf("issued %+v", ic)
	}

	// The assumed-role credentials sign requests to the AWS services until
	// they expire, then get ExpiredTokenException.
	if status, code := r53pGet(t, srv, credsOf(ic), clk.Now()); status != 200 {
		t.Errorf("call with the new credentials: %d %s", status, code)
	}
	clk.Advance(899 * time.Second) // 03:19:04.678, before the expiry at 03:19:05
	if status, code := r53pGet(t, srv, credsOf(ic), clk.Now()); status != 200 {
		t.Errorf("call just before expiry: %d %s", status, code)
	}
	clk.Advance(time.Second)
	if status, code := r53pGet(t, srv, credsOf(ic), clk.Now()); status != 403 || code != "ExpiredTokenException" {
		t.Errorf("call after expiry: %d %s, want 403 ExpiredTokenException", status, code)
	}
	got = decodeSTS(t, stsCall(t, hosts, stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "again"),
		credsOf(ic), "us-east-1", clk.Now()))
	wantErr := stsAnswer{Status: 403, Code: "ExpiredToken", Message: "The security token included in the request is expired",
		Type: "Sender", Namespace: stsNamespace}
	if diff := cmp.Diff(wantErr, got); diff != "" {
		t.Errorf("STS call after expiry (-want +got):\n%s", diff)
	}
}

func TestAssumeRoleRotatesAndChains(t *testing.T) {
	t.Parallel()
	c, hosts, _, clk := startHosts(t)
	form := stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "s1")
	a := decodeSTS(t, stsCall(t, hosts, form, awsMain, "us-east-1", clk.Now()))
	b := decodeSTS(t, stsCall(t, hosts, form, awsTemp, "us-east-1", clk.Now()))
	if a.AccessKeyID == b.AccessKeyID || a.Secret == b.Secret || a.Token == b.Token {
		t.Error("a second AssumeRole returned the same credentials")
	}
	// Without DurationSeconds STS grants 1 hour.
	if a.Expiration != "2025-01-02T04:04:05Z" {
		t.Errorf("Expiration = %s, want t0 + 1h", a.Expiration)
	}

	// Role chaining: the assumed role may assume a role for up to 1 hour.
	chained := credsOf(c.IssuedCredentials()[0])
	ok := decodeSTS(t, stsCall(t, hosts, stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "s2",
		"DurationSeconds", "3600"), chained, "us-east-1", clk.Now()))
	if ok.Status != 200 {
		t.Errorf("chained AssumeRole for 1 hour: %+v", ok)
	}
	tooLong := decodeSTS(t, stsCall(t, hosts, stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "s3",
		"DurationSeconds", "3601"), chained, "us-east-1", clk.Now()))
	want := stsAnswer{Status: 400, Code: "ValidationError", Type: "Sender", Namespace: stsNamespace,
		Message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."}
	if diff := cmp.Diff(want, tooLong); diff != "" {
		t.Errorf("chained AssumeRole over 1 hour (-want +got):\n%s", diff)
	}
	// A long-term key may ask for the role's 12 hours.
	long := decodeSTS(t, stsCall(t, hosts, stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "s4",
		"DurationSeconds", "43200"), awsMain, "us-east-1", clk.Now()))
	if long.Status != 200 || long.Expiration != "2025-01-02T15:04:05Z" {
		t.Errorf("12-hour session: %+v", long)
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("r", 65)
	tests := []struct {
		name  string
		form  []string // after Action=AssumeRole
		creds awsCreds
		code  string
		msg   string
	}{
		{"denied key", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "ss"}, awsDenied, "AccessDenied",
			"User: arn:aws:iam::123456789012:user/fakecloud-denied is not authorized to perform: sts:AssumeRole on resource: " + AWSRoleARN},
		{"unknown role", []string{"RoleArn", "arn:aws:iam::123456789012:role/none", "RoleSessionName", "ss"}, awsMain, "AccessDenied",
			"User: arn:aws:iam::123456789012:user/fakecloud is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/none"},
		{"missing external id", []string{"RoleArn", AWSExternalIDRoleARN, "RoleSessionName", "ss"}, awsMain, "AccessDenied",
			"User: arn:aws:iam::123456789012:user/fakecloud is not authorized to perform: sts:AssumeRole on resource: " + AWSExternalIDRoleARN},
		{"wrong external id", []string{"RoleArn", AWSExternalIDRoleARN, "RoleSessionName", "ss", "ExternalId", "other"}, awsTemp, "AccessDenied",
			"User: arn:aws:iam::123456789012:user/fakecloud is not authorized to perform: sts:AssumeRole on resource: " + AWSExternalIDRoleARN},
		{"over the role's maximum", []string{"RoleArn", AWSExternalIDRoleARN, "RoleSessionName", "ss", "ExternalId", AWSRoleExternalID,
			"DurationSeconds", "3601"}, awsMain, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"missing role and session", nil, awsMain, "ValidationError",
			"2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"},
		{"session name too short", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "s"}, awsMain, "ValidationError",
			"1 validation error detected: Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"session name too long", []string{"RoleArn", AWSRoleARN, "RoleSessionName", long}, awsMain, "ValidationError",
			"1 validation error detected: Value '" + long + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"session name pattern", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "a b"}, awsMain, "ValidationError",
			`1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"role arn too short", []string{"RoleArn", "arn:aws:iam::1:r", "RoleSessionName", "ss"}, awsMain, "ValidationError",
			"1 validation error detected: Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"duration too short", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "ss", "DurationSeconds", "899"}, awsMain, "ValidationError",
			"1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration too long", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "ss", "DurationSeconds", "43201"}, awsMain, "ValidationError",
			"1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"duration not a number", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "ss", "DurationSeconds", "1h"}, awsMain, "ValidationError",
			"1 validation error detected: Value '1h' at 'durationSeconds' failed to satisfy constraint: Member must be an integer"},
		{"external id too short", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "ss", "ExternalId", "x"}, awsMain, "ValidationError",
			"1 validation error detected: Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _, clk := startHosts(t)
			got := decodeSTS(t, stsCall(t, hosts, stsForm("AssumeRole", tt.form...), tt.creds, "us-east-1", clk.Now()))
			status := 400
			if tt.code == "AccessDenied" {
				status = 403
			}
			want := stsAnswer{Status: status, Code: tt.code, Message: tt.msg, Type: "Sender", Namespace: stsNamespace}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if n := len(c.IssuedCredentials()); n != 0 {
				t.Errorf("issued %d credentials", n)
			}
		})
	}
}

// TestSTSAuthFailures checks that STS answers authentication failures with
// the query-protocol codes, in XML.
func TestSTSAuthFailures(t *testing.T) {
	t.Parallel()
	form := stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "ss")
	mismatch := "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	tests := []struct {
		name   string
		creds  awsCreds
		svc    string
		offset time.Duration
		status int
		code   string
		msg    string
	}{
		{"unsigned", awsCreds{}, "sts", 0, 403, "MissingAuthenticationToken", "Request is missing Authentication Token"},
		{"unknown key", awsCreds{"AKIDUNKNOWN", "x", ""}, "sts", 0, 403, "InvalidClientTokenId", "The security token included in the request is invalid."},
		{"wrong secret", awsCreds{AWSAccessKeyID, "wrong", ""}, "sts", 0, 403, "SignatureDoesNotMatch", mismatch},
		{"temporary key without its token", awsCreds{AWSTempAccessKeyID, AWSTempSecretKey, ""}, "sts", 0, 403, "InvalidClientTokenId",
			"The security token included in the request is invalid."},
		{"wrong service", awsMain, "iam", 0, 403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'. "},
		{"stale", awsMain, "sts", -6 * time.Minute, 403, "SignatureDoesNotMatch",
			"Signature expired: 20250102T025805Z is now earlier than 20250102T025905Z (20250102T030405Z - 5 min.)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, hosts, _, clk := startHosts(t)
			body := []byte(form.Encode())
			var got stsAnswer
			if tt.svc == "sts" {
				got = decodeSTS(t, stsCall(t, hosts, form, tt.creds, "us-east-1", clk.Now().Add(tt.offset)))
			} else {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, hosts.STS.URL+"/", strings.NewReader(string(body)))
				mustOK(t, err)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				got = decodeSTS(t, do(t, hosts.STS, signAWS(t, req, body, tt.creds, tt.svc, "us-east-1", clk.Now())))
			}
			want := stsAnswer{Status: tt.status, Code: tt.code, Message: tt.msg, Type: "Sender", Namespace: stsNamespace}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("malformed authorization", func(t *testing.T) {
		t.Parallel()
		_, hosts, _, _ := startHosts(t)
		resp := hostDo(t, hosts.STS, http.MethodPost, "/", http.Header{
			"Content-Type":  {"application/x-www-form-urlencoded"},
			"Authorization": {"AWS4-HMAC-SHA256 Credential=x"},
		}, []byte(form.Encode()))
		got := decodeSTS(t, resp)
		if got.Status != 400 || got.Code != "IncompleteSignature" {
			t.Errorf("got %d %s, want 400 IncompleteSignature", got.Status, got.Code)
		}
	})
}

func TestSTSActions(t *testing.T) {
	t.Parallel()
	_, hosts, _, _ := startHosts(t)
	formHeader := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	tests := []struct {
		name, method, path string
		header             http.Header
		body               string
		status             int
		code, msg          string
	}{
		{"no action", http.MethodPost, "/", formHeader, "Version=2011-06-15", 400, "MissingAction", "Missing Action"},
		{"unknown action", http.MethodPost, "/", formHeader, "Action=GetCallerIdentity&Version=2011-06-15", 400, "InvalidAction",
			"Could not find operation GetCallerIdentity for version 2011-06-15"},
		{"other version", http.MethodPost, "/", formHeader, "Action=AssumeRole&Version=2011-06-16", 400, "InvalidAction",
			"Could not find operation AssumeRole for version 2011-06-16"},
		{"body that is not a form", http.MethodPost, "/", http.Header{"Content-Type": {"application/json"}},
			`{"Action":"AssumeRole"}`, 400, "MissingAction", "Missing Action"},
		{"other path", http.MethodPost, "/x", formHeader, "Action=AssumeRole&Version=2011-06-15", 404, "UnknownOperationException",
			"STS serves POST / and GET / only"},
		{"other method", http.MethodPut, "/", formHeader, "", 404, "UnknownOperationException", "STS serves POST / and GET / only"},
		// A GET carries the parameters in the query; unsigned, it is refused.
		{"get", http.MethodGet, "/?Action=AssumeRole&Version=2011-06-15", nil, "", 403, "MissingAuthenticationToken",
			"Request is missing Authentication Token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.body != "" {
				body = []byte(tt.body)
			}
			got := decodeSTS(t, hostDo(t, hosts.STS, tt.method, tt.path, tt.header, body))
			want := stsAnswer{Status: tt.status, Code: tt.code, Message: tt.msg, Type: "Sender", Namespace: stsNamespace}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAssumeRoleWithWebIdentity(t *testing.T) {
	t.Parallel()
	c, hosts, srv, clk := startHosts(t)
	c.AddRole(Role{ARN: "arn:aws:iam::210987654321:role/ci", MaxSessionDuration: 2 * time.Hour})
	c.AddWebIdentity(WebIdentity{Token: "ci-token\n", Subject: "repo:org/app:ref:refs/heads/main", Audience: "sts.amazonaws.com",
		Expires: t0.Add(10 * time.Minute)})
	form := stsForm("AssumeRoleWithWebIdentity", "RoleArn", "arn:aws:iam::210987654321:role/ci",
		"RoleSessionName", "1735787045678000000", "WebIdentityToken", "ci-token\n", "DurationSeconds", "7200")
	// An Authorization header is ignored: the call is unsigned.
	got := decodeSTS(t, stsCall(t, hosts, form, awsCreds{"AKIDUNKNOWN", "x", ""}, "us-east-1", clk.Now()))
	ic := c.IssuedCredentials()[0]
	want := stsAnswer{
		Status: 200, AccessKeyID: ic.AccessKeyID, Secret: ic.SecretAccessKey, Token: ic.SessionToken,
		Expiration: "2025-01-02T05:04:05Z", Arn: "arn:aws:sts::210987654321:assumed-role/ci/1735787045678000000",
		RoleID:  roleID("arn:aws:iam::210987654321:role/ci") + ":1735787045678000000",
		Subject: "repo:org/app:ref:refs/heads/main", Audience: "sts.amazonaws.com", Namespace: stsNamespace,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
	if ic.Op != OpAssumeRoleWithWebIdentity || ic.AccountID != "210987654321" {
		t.Errorf("issued %+v", ic)
	}
	if status, code := r53pGet(t, srv, credsOf(ic), clk.Now()); status != 200 {
		t.Errorf("call with the web identity role: %d %s", status, code)
	}

	// The token expires on the emulator clock.
	clk.Advance(10 * time.Minute)
	got = decodeSTS(t, stsCall(t, hosts, form, awsCreds{}, "", clk.Now()))
	wantErr := stsAnswer{Status: 400, Code: "ExpiredTokenException", Type: "Sender", Namespace: stsNamespace,
		Message: "Token expired: current date/time 1735787645 must be before the expiration date/time 1735787645"}
	if diff := cmp.Diff(wantErr, got); diff != "" {
		t.Errorf("expired token (-want +got):\n%s", diff)
	}
}

func TestAssumeRoleWithWebIdentityErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		form   []string
		status int
		code   string
		msg    string
	}{
		{"token with a trailing newline", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "ss", "WebIdentityToken", AWSWebIdentityToken + "\n"},
			400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"},
		{"expired seed token", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "ss", "WebIdentityToken", AWSExpiredWebIdentityToken},
			400, "ExpiredTokenException", "Token expired: current date/time 1735787045 must be before the expiration date/time 1000000000"},
		{"unknown role", []string{"RoleArn", "arn:aws:iam::123456789012:role/none", "RoleSessionName", "ss", "WebIdentityToken", AWSWebIdentityToken},
			403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{"over the role's maximum", []string{"RoleArn", AWSExternalIDRoleARN, "RoleSessionName", "ss", "WebIdentityToken", AWSWebIdentityToken,
			"DurationSeconds", "7200"}, 400, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"missing token", []string{"RoleArn", AWSRoleARN, "RoleSessionName", "ss"}, 400, "ValidationError",
			"1 validation error detected: Value null at 'webIdentityToken' failed to satisfy constraint: Member must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _, clk := startHosts(t)
			got := decodeSTS(t, stsCall(t, hosts, stsForm("AssumeRoleWithWebIdentity", tt.form...), awsCreds{}, "", clk.Now()))
			want := stsAnswer{Status: tt.status, Code: tt.code, Message: tt.msg, Type: "Sender", Namespace: stsNamespace}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if n := len(c.IssuedCredentials()); n != 0 {
				t.Errorf("issued %d credentials", n)
			}
		})
	}
}

// TestSTSAnswerShape pins the literal XML of a success, element for
// element, against the shape of aws-sdk-go-v2's response snapshot
// (service/sts v1.52.0, AssumeRole.response.snap).
func TestSTSAnswerShape(t *testing.T) {
	t.Parallel()
	_, hosts, _, clk := startHosts(t)
	resp := stsCall(t, hosts, stsForm("AssumeRole", "RoleArn", AWSRoleARN, "RoleSessionName", "ss", "SourceIdentity", "dev-user"),
		awsMain, "us-east-1", clk.Now())
	body := string(resp.body)
	for _, part := range []string{
		`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><AssumedRoleUser><Arn>`,
		`</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>ASIA`,
		`</Expiration></Credentials><SourceIdentity>dev-user</SourceIdentity></AssumeRoleResult><ResponseMetadata><RequestId>`,
		`</RequestId></ResponseMetadata></AssumeRoleResponse>`,
	} {
		if !strings.Contains(body, part) {
			t.Errorf("answer lacks %q:\n%s", part, oneLine(resp.body))
		}
	}
}
