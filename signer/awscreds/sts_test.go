package awscreds

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const (
	stsAK     = "ASIAROLEEXAMPLE00001"
	stsSecret = "role-SECRET-key-0123456789"
	stsToken  = "role-SESSION-token-0123456789"
)

func stsSuccess(action string) string {
	return `<` + action + `Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><` + action + `Result>` +
		`<SourceIdentity>x</SourceIdentity><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>` +
		`<AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>` + stsAK + `</AccessKeyId>` +
		`<SecretAccessKey>` + stsSecret + `</SecretAccessKey><SessionToken>` + stsToken + `</SessionToken>` +
		`<Expiration>2025-06-01T13:00:00.123Z</Expiration></Credentials></` + action + `Result>` +
		`<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></` + action + `Response>`
}

func stsOK(action string) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, _ *http.Request, _ string) {
		w.Header().Set("X-Amzn-RequestId", "req-1")
		respond(w, 200, "text/xml", stsSuccess(action))
	}
}

var wantSTSCreds = func(source string) signer.AWSCredentials {
	return signer.AWSCredentials{AccessKeyID: stsAK, SecretAccessKey: stsSecret, SessionToken: stsToken,
		Expires: time.Date(2025, 6, 1, 13, 0, 0, 123e6, time.UTC), Source: source}
}

func TestAssumeRoleWire(t *testing.T) {
	t.Parallel()
	srv := newFake(t, stsOK("AssumeRole"))
	p, err := NewAssumeRoleProvider(AssumeRoleConfig{
		Source:            signer.StaticAWSCredentials("AKIDSOURCE", "source-secret", "source-token"),
		RoleARN:           "arn:aws:iam::123456789012:role/cleanup",
		RoleSessionName:   "detach-test",
		Duration:          time.Hour,
		ExternalID:        "ext-123",
		Policy:            `{"Version":"2012-10-17"}`,
		PolicyARNs:        []string{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/Other"},
		SourceIdentity:    "alice",
		Tags:              []Tag{{"team", "ops"}, {"env", "prod"}},
		TransitiveTagKeys: []string{"team"},
		MFASerial:         "arn:aws:iam::123456789012:mfa/alice",
		TokenCode:         func(context.Context) (string, error) { return "123456", nil },
		Region:            "eu-west-1",
		Endpoint:          srv.URL,
		Settings:          fast(func() time.Time { return t0 }, nil),
	})
	require.NoError(t, err)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if diff := cmp.Diff(wantSTSCreds(SourceAssumeRole), got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	reqs := srv.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	if diff := cmp.Diff(map[string]string{
		"Action": "AssumeRole", "Version": "2011-06-15",
		"RoleArn": "arn:aws:iam::123456789012:role/cleanup", "RoleSessionName": "detach-test", "DurationSeconds": "3600",
		"ExternalId": "ext-123", "Policy": `{"Version":"2012-10-17"}`,
		"PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/ReadOnlyAccess", "PolicyArns.member.2.arn": "arn:aws:iam::aws:policy/Other",
		"SourceIdentity": "alice", "Tags.member.1.Key": "team", "Tags.member.1.Value": "ops",
		"Tags.member.2.Key": "env", "Tags.member.2.Value": "prod", "TransitiveTagKeys.member.1": "team",
		"SerialNumber": "arn:aws:iam::123456789012:mfa/alice", "TokenCode": "123456",
	}, r.form(t)); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
	wire := map[string]string{"method": r.Method, "path": r.Path, "content-type": r.Header.Get("Content-Type"),
		"token": r.Header.Get("X-Amz-Security-Token"), "date": r.Header.Get("X-Amz-Date")}
	if diff := cmp.Diff(map[string]string{"method": "POST", "path": "/", "content-type": "application/x-www-form-urlencoded",
		"token": "source-token", "date": "20250601T120000Z"}, wire); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=AKIDSOURCE/20250601/eu-west-1/sts/aws4_request, ") {
		t.Errorf("Authorization = %q, want a SigV4 signature for sts in eu-west-1 with the source key", a)
	}
	// The body is sorted by key, as the SDK's query encoder writes it.
	if !strings.HasPrefix(r.Body, "Action=AssumeRole&DurationSeconds=3600&ExternalId=ext-123&Policy=") {
		t.Errorf("body order: %s", r.Body)
	}
}

func TestAssumeRoleDefaults(t *testing.T) {
	t.Parallel()
	srv := newFake(t, stsOK("AssumeRole"))
	p, err := NewAssumeRoleProvider(AssumeRoleConfig{
		Source: signer.StaticAWSCredentials("AKIDSOURCE", "source-secret", ""), RoleARN: "arn:aws:iam::123456789012:role/cleanup",
		Region: "us-east-1", Endpoint: srv.URL, Settings: fast(nil, nil)})
	require.NoError(t, err)
	for range 2 {
		_, err = p.RetrieveAWS(t.Context())
		require.NoError(t, err)
	}
	reqs := srv.requests()
	f1, f2 := reqs[0].form(t), reqs[1].form(t)
	if !regexp.MustCompile(`^aws-go-sdk-\d{19}$`).MatchString(f1["RoleSessionName"]) || f1["RoleSessionName"] != f2["RoleSessionName"] {
		t.Errorf("session names %q, %q: want one aws-go-sdk-<UnixNano> for the provider's life", f1["RoleSessionName"], f2["RoleSessionName"])
	}
	if f1["DurationSeconds"] != "900" {
		t.Errorf("DurationSeconds = %q, want 900", f1["DurationSeconds"])
	}
	for _, k := range []string{"ExternalId", "Policy", "SerialNumber", "TokenCode", "SourceIdentity"} {
		if _, ok := f1[k]; ok {
			t.Errorf("%s sent without being set", k)
		}
	}
	if reqs[0].Header.Get("X-Amz-Security-Token") != "" {
		t.Error("a security token header without a source session token")
	}
}

func TestAssumeRoleConfigErrors(t *testing.T) {
	t.Parallel()
	src := signer.StaticAWSCredentials("AK", "SK", "")
	arn := "arn:aws:iam::123456789012:role/cleanup"
	tests := []struct {
		name      string
		cfg       AssumeRoleConfig
		wantField string
	}{
		{"no source", AssumeRoleConfig{RoleARN: arn, Region: "us-east-1"}, "Source"},
		{"no role", AssumeRoleConfig{Source: src, Region: "us-east-1"}, "RoleARN"},
		{"short role", AssumeRoleConfig{Source: src, RoleARN: "arn:aws:iam::1:r", Region: "us-east-1"}, "RoleARN"},
		{"control in role", AssumeRoleConfig{Source: src, RoleARN: arn + "\n", Region: "us-east-1"}, "RoleARN"},
		{"mfa without a token code", AssumeRoleConfig{Source: src, RoleARN: arn, Region: "us-east-1", MFASerial: "arn:aws:iam::1:mfa/a"}, "TokenCode"},
		{"duration too short", AssumeRoleConfig{Source: src, RoleARN: arn, Region: "us-east-1", Duration: 10 * time.Minute}, "Duration"},
		{"duration too long", AssumeRoleConfig{Source: src, RoleARN: arn, Region: "us-east-1", Duration: 13 * time.Hour}, "Duration"},
		{"bad session name", AssumeRoleConfig{Source: src, RoleARN: arn, Region: "us-east-1", RoleSessionName: "a b"}, "RoleSessionName"},
		{"no region", AssumeRoleConfig{Source: src, RoleARN: arn}, "Region"},
		{"bad region", AssumeRoleConfig{Source: src, RoleARN: arn, Region: "US_EAST"}, "Region"},
		{"fips with endpoint", AssumeRoleConfig{Source: src, RoleARN: arn, Region: "us-east-1", Endpoint: "https://x", UseFIPS: true}, "Region"},
		{"bad endpoint", AssumeRoleConfig{Source: src, RoleARN: arn, Region: "us-east-1", Endpoint: "ftp://x"}, "Endpoint"},
		{"empty tag key", AssumeRoleConfig{Source: src, RoleARN: arn, Region: "us-east-1", Tags: []Tag{{"", "v"}}}, "Tags"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := NewAssumeRoleProvider(tc.cfg)
			var ve *transport.ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.wantField || !errors.Is(err, transport.ErrInvalidInput) {
				t.Fatalf("err = %v, want a ValidationError on %s", err, tc.wantField)
			}
			if !strings.HasPrefix(err.Error(), "AssumeRoleProvider: ") {
				t.Errorf("error does not name the source: %v", err)
			}
		})
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	t.Parallel()
	arn := "arn:aws:iam::123456789012:role/cleanup"
	t.Run("nil context", func(t *testing.T) {
		t.Parallel()
		p, err := NewAssumeRoleProvider(AssumeRoleConfig{Source: signer.StaticAWSCredentials("AK", "SK", ""), RoleARN: arn, Region: "us-east-1"})
		require.NoError(t, err)
		//lint:ignore SA1012 a nil context is what is tested
		_, err = p.RetrieveAWS(nil)
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || ve.Field != "ctx" {
			t.Errorf("err = %v, want a ValidationError on ctx", err)
		}
	})
	t.Run("source has none", func(t *testing.T) {
		t.Parallel()
		srv := newFake(t, stsOK("AssumeRole"))
		p, err := NewAssumeRoleProvider(AssumeRoleConfig{Source: signer.StaticAWSCredentials("", "", ""), RoleARN: arn,
			Region: "us-east-1", Endpoint: srv.URL, Settings: fast(nil, nil)})
		require.NoError(t, err)
		_, err = p.RetrieveAWS(t.Context())
		var ae *transport.AuthError
		if !errors.Is(err, signer.ErrNoCredentials) || !errors.As(err, &ae) || len(srv.requests()) != 0 {
			t.Errorf("err = %v after %d requests, want the source's ErrNoCredentials and no request", err, len(srv.requests()))
		}
	})
	t.Run("token code fails", func(t *testing.T) {
		t.Parallel()
		boom := errors.New("no terminal")
		p, err := NewAssumeRoleProvider(AssumeRoleConfig{Source: signer.StaticAWSCredentials("AK", "SK", ""), RoleARN: arn,
			Region: "us-east-1", MFASerial: "arn:aws:iam::1:mfa/a", TokenCode: func(context.Context) (string, error) { return "", boom }})
		require.NoError(t, err)
		if _, err = p.RetrieveAWS(t.Context()); !errors.Is(err, boom) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("token code malformed", func(t *testing.T) {
		t.Parallel()
		p, err := NewAssumeRoleProvider(AssumeRoleConfig{Source: signer.StaticAWSCredentials("AK", "SK", ""), RoleARN: arn,
			Region: "us-east-1", MFASerial: "arn:aws:iam::1:mfa/a", TokenCode: func(context.Context) (string, error) { return "12a456", nil }})
		require.NoError(t, err)
		var ve *transport.ValidationError
		if _, err = p.RetrieveAWS(t.Context()); !errors.As(err, &ve) || ve.Field != "TokenCode" {
			t.Errorf("err = %v", err)
		}
	})

	tests := []struct {
		name      string
		status    int
		body      string
		wantCode  string
		wantTries int
		wantIs    error
		wantText  string
	}{
		{"access denied", 403, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform sts:AssumeRole</Message></Error><RequestId>r-9</RequestId></ErrorResponse>`,
			"AccessDenied", 1, transport.ErrAccessDenied, "request id r-9"},
		{"throttled, retried", 400, `<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>`,
			"Throttling", 3, transport.ErrThrottled, "Throttling: Rate exceeded"},
		{"IDP communication, retried", 400, `<ErrorResponse><Error><Code>IDPCommunicationError</Code></Error></ErrorResponse>`,
			"IDPCommunicationError", 3, nil, "IDPCommunicationError"},
		{"expired source token", 403, `<ErrorResponse><Error><Code>ExpiredTokenException</Code><Message>expired</Message></Error></ErrorResponse>`,
			"ExpiredTokenException", 1, transport.ErrUnauthorized, "ExpiredTokenException"},
		{"proxy page", 502, `<html>bad gateway</html>`, "", 3, nil, "http status 502"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ string) { respond(w, tc.status, "text/xml", tc.body) })
			p, err := NewAssumeRoleProvider(AssumeRoleConfig{Source: signer.StaticAWSCredentials("AK", "SK", ""), RoleARN: arn,
				Region: "us-east-1", Endpoint: srv.URL, Settings: fast(nil, nil)})
			require.NoError(t, err)
			_, err = p.RetrieveAWS(t.Context())
			var re *transport.ResponseError
			if !errors.As(err, &re) || re.Code != tc.wantCode || len(srv.requests()) != tc.wantTries {
				t.Fatalf("err = %v after %d tries, want code %q after %d", err, len(srv.requests()), tc.wantCode, tc.wantTries)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("errors.Is(%v) = false", tc.wantIs)
			}
			if !strings.Contains(err.Error(), tc.wantText) || !strings.Contains(err.Error(), "AssumeRoleProvider: assume role "+arn) {
				t.Errorf("error %q lacks %q or the source", err, tc.wantText)
			}
		})
	}
}

// Bodies that are 200 but not credentials: an error that keeps the request
// ID and never shows the body, which may hold a key.
func TestSTSDecodeErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"other action":   stsSuccess("GetCallerIdentity"),
		"no result":      `<AssumeRoleResponse><ResponseMetadata/></AssumeRoleResponse>`,
		"no secret":      strings.Replace(stsSuccess("AssumeRole"), "<SecretAccessKey>"+stsSecret+"</SecretAccessKey>", "", 1),
		"bad expiration": strings.Replace(stsSuccess("AssumeRole"), "2025-06-01T13:00:00.123Z", stsSecret, 1),
		"no expiration":  strings.Replace(stsSuccess("AssumeRole"), "<Expiration>2025-06-01T13:00:00.123Z</Expiration>", "", 1),
		"truncated":      stsSuccess("AssumeRole")[:300],
		"JSON":           `{"SecretAccessKey":"` + stsSecret + `"}`,
		"entity":         `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>&` + stsSecret + `;</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>`,
		"empty":          ``,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
				w.Header().Set("X-Amzn-RequestId", "req-7")
				respond(w, 200, "text/xml", body)
			})
			p, err := NewAssumeRoleProvider(AssumeRoleConfig{Source: signer.StaticAWSCredentials("AK", "SK", ""),
				RoleARN: "arn:aws:iam::123456789012:role/cleanup", Region: "us-east-1", Endpoint: srv.URL, Settings: fast(nil, nil)})
			require.NoError(t, err)
			_, err = p.RetrieveAWS(t.Context())
			var de *transport.DecodeError
			if !errors.As(err, &de) || de.RequestID != "req-7" || de.Snippet != "" {
				t.Fatalf("err = %v, want a DecodeError with the request ID and no snippet", err)
			}
			noLeak(t, errTexts(err), stsSecret)
		})
	}
}

func TestSTSEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		region, custom    string
		fips, dual        bool
		wantURL, wantSign string
		wantErr           bool
	}{
		// Checked against service/sts v1.52.0's resolver.
		{region: "us-east-1", wantURL: "https://sts.us-east-1.amazonaws.com", wantSign: "us-east-1"},
		{region: "cn-north-1", wantURL: "https://sts.cn-north-1.amazonaws.com.cn", wantSign: "cn-north-1"},
		{region: "us-east-1", fips: true, wantURL: "https://sts-fips.us-east-1.amazonaws.com", wantSign: "us-east-1"},
		{region: "us-east-1", dual: true, wantURL: "https://sts.us-east-1.api.aws", wantSign: "us-east-1"},
		{region: "us-east-1", fips: true, dual: true, wantURL: "https://sts-fips.us-east-1.api.aws", wantSign: "us-east-1"},
		{region: "us-gov-west-1", fips: true, wantURL: "https://sts.us-gov-west-1.amazonaws.com", wantSign: "us-gov-west-1"},
		{region: "us-gov-west-1", fips: true, dual: true, wantURL: "https://sts-fips.us-gov-west-1.api.aws", wantSign: "us-gov-west-1"},
		{region: "us-iso-east-1", wantURL: "https://sts.us-iso-east-1.c2s.ic.gov", wantSign: "us-iso-east-1"},
		{region: "eusc-de-east-1", dual: true, wantURL: "https://sts.eusc-de-east-1.api.amazonwebservices.eu", wantSign: "eusc-de-east-1"},
		{region: "aws-global", wantURL: "https://sts.amazonaws.com", wantSign: "us-east-1"},
		{region: "aws-global", fips: true, wantURL: "https://sts-fips.aws-global.amazonaws.com", wantSign: "aws-global"},
		{region: "us-west-2", custom: "http://127.0.0.1:9000", wantURL: "http://127.0.0.1:9000", wantSign: "us-west-2"},
		{region: "", wantErr: true},
		{region: "us-west-2", custom: "http://x", dual: true, wantErr: true},
	}
	for _, tc := range tests {
		gotURL, gotSign, err := STSEndpoint(tc.region, tc.custom, tc.fips, tc.dual)
		if (err != nil) != tc.wantErr || gotURL != tc.wantURL || gotSign != tc.wantSign {
			t.Errorf("STSEndpoint(%q, %q, %t, %t) = %q, %q, %v; want %q, %q, error %t",
				tc.region, tc.custom, tc.fips, tc.dual, gotURL, gotSign, err, tc.wantURL, tc.wantSign, tc.wantErr)
		}
	}
}

func writeToken(t *testing.T, path, token string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(token), 0o600))
}

func TestWebIdentityWire(t *testing.T) {
	t.Parallel()
	srv := newFake(t, stsOK("AssumeRoleWithWebIdentity"))
	file := filepath.Join(t.TempDir(), "token")
	writeToken(t, file, "eyJ.first-token.sig\n")
	p, err := NewWebIdentityProvider(WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", TokenFile: file,
		Region: "eu-central-1", Endpoint: srv.URL, Policy: "{}", PolicyARNs: []string{"arn:aws:iam::aws:policy/A"},
		Duration: 2 * time.Hour, Settings: fast(nil, nil)})
	require.NoError(t, err)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if diff := cmp.Diff(wantSTSCreds(SourceWebIdentity), got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	// EKS rotates the file: the next call reads it again.
	writeToken(t, file, "eyJ.second-token.sig")
	_, err = p.RetrieveAWS(t.Context())
	require.NoError(t, err)

	reqs := srv.requests()
	require.Len(t, reqs, 2)
	for i, want := range []string{"eyJ.first-token.sig\n", "eyJ.second-token.sig"} {
		f := reqs[i].form(t)
		name := f["RoleSessionName"]
		if !regexp.MustCompile(`^\d{19}$`).MatchString(name) {
			t.Errorf("RoleSessionName = %q, want the decimal UnixNano", name)
		}
		delete(f, "RoleSessionName")
		if diff := cmp.Diff(map[string]string{"Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15",
			"RoleArn": "arn:aws:iam::123456789012:role/irsa", "WebIdentityToken": want, "DurationSeconds": "7200",
			"Policy": "{}", "PolicyArns.member.1.arn": "arn:aws:iam::aws:policy/A"}, f); diff != "" {
			t.Errorf("request %d form (-want +got):\n%s", i, diff)
		}
		if a := reqs[i].Header.Get("Authorization"); a != "" || reqs[i].Method != "POST" || reqs[i].Path != "/" {
			t.Errorf("request %d: %s %s with Authorization %q; want an unsigned POST /", i, reqs[i].Method, reqs[i].Path, a)
		}
	}
	// Sent unchanged: the trailing newline goes out encoded.
	if !strings.Contains(reqs[0].Body, "WebIdentityToken=eyJ.first-token.sig%0A") {
		t.Errorf("body %q does not carry the token unchanged", reqs[0].Body)
	}
}

func TestWebIdentityTokenFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	writeToken(t, empty, "")
	huge := filepath.Join(dir, "huge")
	writeToken(t, huge, strings.Repeat("x", maxWebIdentityToken+1))
	for name, file := range map[string]string{"missing": filepath.Join(dir, "nope"), "empty": empty, "huge": huge, "a directory": dir} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newFake(t, stsOK("AssumeRoleWithWebIdentity"))
			p, err := NewWebIdentityProvider(WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", TokenFile: file,
				Region: "us-east-1", Endpoint: srv.URL})
			require.NoError(t, err)
			_, err = p.RetrieveAWS(t.Context())
			var pe *fs.PathError
			if !errors.As(err, &pe) || len(srv.requests()) != 0 || errors.Is(err, signer.ErrNoCredentials) {
				t.Errorf("err = %v after %d requests, want a PathError, no request, not ErrNoCredentials", err, len(srv.requests()))
			}
			if !strings.Contains(err.Error(), "WebIdentityCredentials: read the web identity token file") {
				t.Errorf("error %q does not say what failed", err)
			}
		})
	}
}

func TestWebIdentityConfigErrors(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		cfg   WebIdentityConfig
		field string
	}{
		"no role":      {WebIdentityConfig{TokenFile: "/t", Region: "us-east-1"}, "RoleARN"},
		"no file":      {WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", Region: "us-east-1"}, "TokenFile"},
		"no region":    {WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", TokenFile: "/t"}, "Region"},
		"bad duration": {WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", TokenFile: "/t", Region: "us-east-1", Duration: time.Minute}, "Duration"},
	} {
		_, err := NewWebIdentityProvider(tc.cfg)
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || ve.Field != tc.field {
			t.Errorf("%s: err = %v, want a ValidationError on %s", name, err, tc.field)
		}
	}
}

// A service or proxy that echoes the token back, in the message, the
// request ID or a header, does not get it into the error, its renderings
// or the log, even with bodies logged.
func TestWebIdentityTokenEchoNotLeaked(t *testing.T) {
	t.Parallel()
	const token = "eyJhbGciOiJSUzI1NiJ9.SECRET-claims.signature"
	file := filepath.Join(t.TempDir(), "token")
	writeToken(t, file, token)
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, body string) {
		w.Header().Set("X-Amzn-RequestId", token)
		w.Header().Set("X-Debug", "got "+token)
		respond(w, 400, "text/xml", `<ErrorResponse><Error><Code>InvalidIdentityToken</Code><Message>bad token `+token+
			` in `+html.EscapeString(body)+`</Message></Error><RequestId>`+token+`</RequestId></ErrorResponse>`)
	})
	var logs bytes.Buffer
	p, err := NewWebIdentityProvider(WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", TokenFile: file,
		Region: "us-east-1", Endpoint: srv.URL, Settings: fast(nil, &logs)})
	require.NoError(t, err)
	_, err = p.RetrieveAWS(t.Context())
	var re *transport.ResponseError
	if !errors.As(err, &re) || re.Code != "InvalidIdentityToken" {
		t.Fatalf("err = %v", err)
	}
	if n := len(srv.requests()); n != 3 {
		t.Errorf("InvalidIdentityToken tried %d times, want 3 (the SDK retries it)", n)
	}
	texts := append(errTexts(err), logs.String(), re.RequestID, re.Message, re.Snippet)
	for k, v := range re.Header() {
		texts = append(texts, k+": "+strings.Join(v, ","))
	}
	noLeak(t, texts, token, "SECRET-claims")
	if !strings.Contains(logs.String(), "detach attempt") {
		t.Error("nothing was logged")
	}
}

func TestSTSProvidersRenderWithoutSecrets(t *testing.T) {
	t.Parallel()
	ar, err := NewAssumeRoleProvider(AssumeRoleConfig{Source: signer.StaticAWSCredentials("AKIDSOURCE", "source-SECRET", "source-TOKEN"),
		RoleARN: "arn:aws:iam::123456789012:role/cleanup", RoleSessionName: "s1", Region: "us-east-1",
		MFASerial: "arn:aws:iam::1:mfa/a", TokenCode: func(context.Context) (string, error) { return "123456", nil }})
	require.NoError(t, err)
	wi, err := NewWebIdentityProvider(WebIdentityConfig{RoleARN: "arn:aws:iam::123456789012:role/irsa", TokenFile: "/var/run/token", Region: "us-east-1"})
	require.NoError(t, err)
	noLeak(t, append(renderings(t, ar), renderings(t, wi)...), "source-SECRET", "source-TOKEN")
	want := "awscreds.AssumeRoleProvider{RoleARN:arn:aws:iam::123456789012:role/cleanup SessionName:s1 " +
		"Endpoint:https://sts.us-east-1.amazonaws.com Source:StaticAWSCredentials{AccessKeyID:AKIDSOURCE SecretAccessKey:[redacted] SessionToken:[redacted] Source:static}}"
	if diff := cmp.Diff(want, ar.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("awscreds.WebIdentityProvider{RoleARN:arn:aws:iam::123456789012:role/irsa TokenFile:/var/run/token Endpoint:https://sts.us-east-1.amazonaws.com}", wi.String()); diff != "" {
		t.Errorf("String (-want +got):\n%s", diff)
	}
}
