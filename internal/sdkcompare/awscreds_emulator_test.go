package sdkcompare

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	sdkr53p "github.com/aws/aws-sdk-go-v2/service/route53profiles"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	ssotypes "github.com/aws/aws-sdk-go-v2/service/sso/types"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	oidctypes "github.com/aws/aws-sdk-go-v2/service/ssooidc/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
	gocmp "github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
)

// The emulator's credential hosts (STS, SSO portal, SSO OIDC, IMDS, the
// container endpoint) against aws-sdk-go-v2's own credential providers
// (credentials v1.21.1, with the service clients config v1.33.19 pins):
// each provider, pointed at a host, must obtain exactly the credentials the
// emulator issued, and must see the emulator's refusals as the SDK's typed
// errors. That is the proof that the hosts answer as the real services do,
// so that detach's sources can be tested against them.

// emulated starts a Cloud (on the real clock, as the SDK signs with it) with
// its credential hosts and its AWS services.
func emulated(t *testing.T) (*fakecloud.Cloud, *fakecloud.CredentialServers, *fakecloud.Server) {
	t.Helper()
	c := fakecloud.New()
	hosts := c.StartCredentialServers()
	t.Cleanup(hosts.Close)
	srv := c.Start()
	t.Cleanup(srv.Close)
	return c, hosts, srv
}

// issuedSDK is what the emulator issued, as an aws.Credentials.
func issuedSDK(t *testing.T, c *fakecloud.Cloud, source string) aws.Credentials {
	t.Helper()
	all := c.IssuedCredentials()
	if len(all) == 0 {
		t.Fatal("the emulator issued no credentials")
	}
	ic := all[len(all)-1]
	return aws.Credentials{
		AccessKeyID: ic.AccessKeyID, SecretAccessKey: ic.SecretAccessKey, SessionToken: ic.SessionToken,
		Source: source, CanExpire: true, Expires: ic.Expires, AccountID: ic.AccountID,
	}
}

func staticSDKCreds(id, secret, token string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}, nil
	})
}

func stsClient(hosts *fakecloud.CredentialServers, creds aws.CredentialsProvider) *sts.Client {
	return sts.New(sts.Options{Region: "eu-west-1", BaseEndpoint: aws.String(hosts.STS.URL), Credentials: creds})
}

// apiCode returns the error code and HTTP status of an SDK error.
func apiCode(err error) (string, int) {
	var api smithy.APIError
	var status interface{ HTTPStatusCode() int }
	code, st := "", 0
	if errors.As(err, &api) {
		code = api.ErrorCode()
	}
	if errors.As(err, &status) {
		st = status.HTTPStatusCode()
	}
	return code, st
}

// useWithRoute53Profiles makes one SDK call to the emulated Route 53
// Profiles with creds and returns its error.
func useWithRoute53Profiles(t *testing.T, srv *fakecloud.Server, creds aws.Credentials) error {
	t.Helper()
	client := sdkr53p.New(sdkr53p.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint(fakecloud.Route53Profiles)),
		Credentials: staticSDKCreds(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
	})
	_, err := client.GetProfileAssociation(t.Context(), &sdkr53p.GetProfileAssociationInput{
		ProfileAssociationId: aws.String(fakecloud.R53AssociationID),
	})
	return err
}

func TestEmulatorAssumeRoleWithSDK(t *testing.T) {
	t.Parallel()
	c, hosts, srv := emulated(t)
	client := stsClient(hosts, staticSDKCreds(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, ""))
	p := stscreds.NewAssumeRoleProvider(client, fakecloud.AWSExternalIDRoleARN, func(o *stscreds.AssumeRoleOptions) {
		o.ExternalID = aws.String(fakecloud.AWSRoleExternalID)
		o.RoleSessionName = "sdkcompare"
	})
	got, err := p.Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := issuedSDK(t, c, stscreds.ProviderName)
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-issued +sdk):\n%s", diff)
	}
	if left := time.Until(want.Expires); left > 16*time.Minute || left < 14*time.Minute {
		t.Errorf("Expires = %v: not the SDK's 15-minute default", want.Expires)
	}

	// The request as the emulator recorded it: the form the SDK sent and
	// who signed it for which scope.
	reqs := c.CredentialRequests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests recorded, want 1", len(reqs))
	}
	r := reqs[0]
	gotReq := map[string]any{"op": r.Op, "method": r.Method, "path": r.Path, "form": r.Form,
		"signer": []string{r.SignedBy, r.SigningRegion, r.SigningService}}
	wantReq := map[string]any{"op": fakecloud.OpAssumeRole, "method": "POST", "path": "/",
		"form": url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"}, "RoleArn": {fakecloud.AWSExternalIDRoleARN},
			"RoleSessionName": {"sdkcompare"}, "DurationSeconds": {"900"}, "ExternalId": {fakecloud.AWSRoleExternalID}},
		"signer": []string{fakecloud.AWSAccessKeyID, "eu-west-1", "sts"}}
	if diff := gocmp.Diff(wantReq, gotReq); diff != "" {
		t.Errorf("recorded request (-want +got):\n%s", diff)
	}

	// The assumed-role credentials sign an end-to-end call.
	if err := useWithRoute53Profiles(t, srv, got); err != nil {
		t.Errorf("call with the assumed role: %v", err)
	}
}

func TestEmulatorAssumeRoleErrorsWithSDK(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		id, secret string
		role       string
		externalID *string
		duration   time.Duration
		wantCode   string
		wantStatus int
	}{
		{"missing external id", fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, fakecloud.AWSExternalIDRoleARN, nil, 0, "AccessDenied", 403},
		{"unknown role", fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, "arn:aws:iam::123456789012:role/nope", nil, 0, "AccessDenied", 403},
		{"denied key", fakecloud.AWSDeniedAccessKeyID, fakecloud.AWSDeniedSecretKey, fakecloud.AWSRoleARN, nil, 0, "AccessDenied", 403},
		{"unknown key", "AKIDUNKNOWN", "secret", fakecloud.AWSRoleARN, nil, 0, "InvalidClientTokenId", 403},
		{"wrong secret", fakecloud.AWSAccessKeyID, "wrong", fakecloud.AWSRoleARN, nil, 0, "SignatureDoesNotMatch", 403},
		{"over the role's maximum", fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, fakecloud.AWSExternalIDRoleARN,
			aws.String(fakecloud.AWSRoleExternalID), 2 * time.Hour, "ValidationError", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _ := emulated(t)
			client := stsClient(hosts, staticSDKCreds(tt.id, tt.secret, ""))
			p := stscreds.NewAssumeRoleProvider(client, tt.role, func(o *stscreds.AssumeRoleOptions) {
				o.ExternalID, o.Duration = tt.externalID, tt.duration
			})
			_, err := p.Retrieve(t.Context())
			if code, status := apiCode(err); code != tt.wantCode || status != tt.wantStatus {
				t.Errorf("error %v: code %q status %d, want %q %d", err, code, status, tt.wantCode, tt.wantStatus)
			}
			if n := len(c.IssuedCredentials()); n != 0 {
				t.Errorf("%d credentials issued", n)
			}
		})
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEmulatorWebIdentityWithSDK(t *testing.T) {
	t.Parallel()
	c, hosts, srv := emulated(t)
	tokenFile := writeFile(t, "token", fakecloud.AWSWebIdentityToken)
	// No credentials: the call is unsigned.
	p := stscreds.NewWebIdentityRoleProvider(stsClient(hosts, nil), fakecloud.AWSRoleARN, stscreds.IdentityTokenFile(tokenFile))
	got, err := p.Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(issuedSDK(t, c, stscreds.WebIdentityProviderName), got); diff != "" {
		t.Errorf("credentials (-issued +sdk):\n%s", diff)
	}
	r := c.CredentialRequests()[0]
	if r.Header.Get("Authorization") != "" || r.Form.Get("WebIdentityToken") != fakecloud.AWSWebIdentityToken ||
		r.Form.Has("DurationSeconds") || r.Form.Get("Action") != fakecloud.OpAssumeRoleWithWebIdentity {
		t.Errorf("recorded request: Authorization %q, form %v", r.Header.Get("Authorization"), r.Form)
	}
	if err := useWithRoute53Profiles(t, srv, got); err != nil {
		t.Errorf("call with the web identity role: %v", err)
	}
}

func TestEmulatorWebIdentityErrorsWithSDK(t *testing.T) {
	t.Parallel()
	t.Run("token file with a trailing newline", func(t *testing.T) {
		t.Parallel()
		c, hosts, _ := emulated(t)
		p := stscreds.NewWebIdentityRoleProvider(stsClient(hosts, nil), fakecloud.AWSRoleARN,
			stscreds.IdentityTokenFile(writeFile(t, "token", fakecloud.AWSWebIdentityToken+"\n")))
		_, err := p.Retrieve(t.Context())
		var invalid *ststypes.InvalidIdentityTokenException
		if !errors.As(err, &invalid) {
			t.Fatalf("error %v, want InvalidIdentityTokenException", err)
		}
		// The SDK retries InvalidIdentityToken: 3 attempts, all recorded.
		if n := c.Requests(fakecloud.OpAssumeRoleWithWebIdentity); n != 3 {
			t.Errorf("%d requests, want the SDK's 3 attempts", n)
		}
	})
	t.Run("expired token", func(t *testing.T) {
		t.Parallel()
		_, hosts, _ := emulated(t)
		p := stscreds.NewWebIdentityRoleProvider(stsClient(hosts, nil), fakecloud.AWSRoleARN,
			stscreds.IdentityTokenFile(writeFile(t, "token", fakecloud.AWSExpiredWebIdentityToken)))
		_, err := p.Retrieve(t.Context())
		var expired *ststypes.ExpiredTokenException
		if !errors.As(err, &expired) {
			t.Fatalf("error %v, want ExpiredTokenException", err)
		}
	})
	t.Run("throttled then served", func(t *testing.T) {
		t.Parallel()
		c, hosts, _ := emulated(t)
		c.Inject(fakecloud.OpAssumeRoleWithWebIdentity, fakecloud.Fault{Kind: fakecloud.Throttle})
		c.Inject(fakecloud.OpAssumeRoleWithWebIdentity, fakecloud.Fault{Kind: fakecloud.ServerError, Status: 500})
		p := stscreds.NewWebIdentityRoleProvider(stsClient(hosts, nil), fakecloud.AWSRoleARN,
			stscreds.IdentityTokenFile(writeFile(t, "token", fakecloud.AWSWebIdentityToken)))
		if _, err := p.Retrieve(t.Context()); err != nil {
			t.Fatalf("the SDK did not retry Throttling and InternalFailure: %v", err)
		}
		if n := c.Requests(fakecloud.OpAssumeRoleWithWebIdentity); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
}

// ssoClients are the SDK's portal and OIDC clients for the emulator.
func ssoClients(hosts *fakecloud.CredentialServers) (*sso.Client, *ssooidc.Client) {
	return sso.New(sso.Options{Region: fakecloud.SSORegion, BaseEndpoint: aws.String(hosts.SSO.URL)}),
		ssooidc.New(ssooidc.Options{Region: fakecloud.SSORegion, BaseEndpoint: aws.String(hosts.SSOOIDC.URL)})
}

// ssoCache writes an AWS CLI token cache file.
func ssoCache(t *testing.T, accessToken string, expires time.Time) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{
		"startUrl": fakecloud.SSOStartURL, "region": fakecloud.SSORegion,
		"accessToken": accessToken, "expiresAt": expires.UTC().Format(time.RFC3339),
		"clientId": fakecloud.SSOClientID, "clientSecret": fakecloud.SSOClientSecret,
		"registrationExpiresAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339),
		"refreshToken":          fakecloud.SSORefreshToken,
	})
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, "cache.json", string(b))
}

// retrieveSSO gets the seeded SSO role's credentials with ssocreds and the
// token cache file cache, and checks they are the ones the portal issued.
func retrieveSSO(t *testing.T, c *fakecloud.Cloud, hosts *fakecloud.CredentialServers, cache string) aws.Credentials {
	t.Helper()
	portal, oidc := ssoClients(hosts)
	tp := ssocreds.NewSSOTokenProvider(oidc, cache)
	p := ssocreds.New(portal, fakecloud.SSOAccountID, fakecloud.SSORoleName, fakecloud.SSOStartURL,
		func(o *ssocreds.Options) { o.SSOTokenProvider = tp })
	got, err := p.Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(issuedSDK(t, c, ssocreds.ProviderName), got); diff != "" {
		t.Errorf("credentials (-issued +sdk):\n%s", diff)
	}
	return got
}

func TestEmulatorSSOWithSDK(t *testing.T) {
	t.Parallel()
	t.Run("valid cached token", func(t *testing.T) {
		t.Parallel()
		c, hosts, srv := emulated(t)
		got := retrieveSSO(t, c, hosts, ssoCache(t, fakecloud.SSOAccessToken, time.Now().Add(time.Hour)))
		r := c.CredentialRequests()
		if len(r) != 1 || r[0].Header.Get("X-Amz-Sso_bearer_token") != fakecloud.SSOAccessToken ||
			r[0].Query.Get("account_id") != fakecloud.SSOAccountID || r[0].Query.Get("role_name") != fakecloud.SSORoleName {
			t.Errorf("recorded requests: %v", r)
		}
		if err := useWithRoute53Profiles(t, srv, got); err != nil {
			t.Errorf("call with the SSO role: %v", err)
		}
	})
	t.Run("expired token refreshed through OIDC", func(t *testing.T) {
		t.Parallel()
		c, hosts, _ := emulated(t)
		cache := ssoCache(t, "expired-access-token", time.Now().Add(-time.Minute))
		retrieveSSO(t, c, hosts, cache)
		toks := c.IssuedSSOTokens()
		if len(toks) != 1 {
			t.Fatalf("%d SSO tokens issued, want 1", len(toks))
		}
		b, err := os.ReadFile(cache)
		if err != nil {
			t.Fatal(err)
		}
		var written struct{ AccessToken, RefreshToken, ExpiresAt string }
		if err := json.Unmarshal(b, &written); err != nil {
			t.Fatal(err)
		}
		want := struct{ AccessToken, RefreshToken, ExpiresAt string }{toks[0].AccessToken, toks[0].RefreshToken,
			toks[0].Expires.UTC().Format(time.RFC3339)}
		if diff := gocmp.Diff(want, written); diff != "" {
			t.Errorf("cache written back (-issued +file):\n%s", diff)
		}
		reqs := c.CredentialRequests()
		if len(reqs) != 2 || reqs[0].Op != fakecloud.OpSSOOIDCCreateToken || reqs[1].Op != fakecloud.OpGetRoleCredentials {
			t.Fatalf("recorded requests: %v", reqs)
		}
		wantJSON := map[string]any{"clientId": fakecloud.SSOClientID, "clientSecret": fakecloud.SSOClientSecret,
			"grantType": "refresh_token", "refreshToken": fakecloud.SSORefreshToken}
		if diff := gocmp.Diff(wantJSON, reqs[0].JSON); diff != "" {
			t.Errorf("CreateToken body (-want +got):\n%s", diff)
		}
		if reqs[1].Header.Get("X-Amz-Sso_bearer_token") != toks[0].AccessToken {
			t.Error("the portal was not called with the refreshed token")
		}
	})
	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		_, hosts, _ := emulated(t)
		portal, oidc := ssoClients(hosts)
		retrieve := func(token string, expires time.Time, role string) error {
			tp := ssocreds.NewSSOTokenProvider(oidc, ssoCache(t, token, expires))
			p := ssocreds.New(portal, fakecloud.SSOAccountID, role, fakecloud.SSOStartURL,
				func(o *ssocreds.Options) { o.SSOTokenProvider = tp })
			_, err := p.Retrieve(t.Context())
			return err
		}
		var unauthorized *ssotypes.UnauthorizedException
		if err := retrieve("unknown-token", time.Now().Add(time.Hour), fakecloud.SSORoleName); !errors.As(err, &unauthorized) {
			t.Errorf("unknown token: %v, want UnauthorizedException", err)
		}
		if err := retrieve(fakecloud.SSOAccessToken, time.Now().Add(time.Hour), "OtherRole"); err == nil {
			t.Error("unknown role: no error")
		} else if code, status := apiCode(err); code != "ForbiddenException" || status != 403 {
			t.Errorf("unknown role: %v (code %q, status %d), want ForbiddenException 403", err, code, status)
		}
		// The refresh token is used up by the first refresh: the second
		// gets InvalidGrantException.
		if err := retrieve("expired", time.Now().Add(-time.Minute), fakecloud.SSORoleName); err != nil {
			t.Fatalf("first refresh: %v", err)
		}
		var grant *oidctypes.InvalidGrantException
		if err := retrieve("expired", time.Now().Add(-time.Minute), fakecloud.SSORoleName); !errors.As(err, &grant) {
			t.Errorf("reused refresh token: %v, want InvalidGrantException", err)
		}
	})
}

func TestEmulatorContainerWithSDK(t *testing.T) {
	t.Parallel()
	c, hosts, srv := emulated(t)
	p := endpointcreds.New(hosts.ContainerURI(), func(o *endpointcreds.Options) { o.AuthorizationToken = fakecloud.ContainerAuthToken })
	got, err := p.Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(issuedSDK(t, c, endpointcreds.ProviderName), got); diff != "" {
		t.Errorf("credentials (-issued +sdk):\n%s", diff)
	}
	if r := c.CredentialRequests()[0]; r.Header.Get("Authorization") != fakecloud.ContainerAuthToken || r.Header.Get("Accept") != "application/json" {
		t.Errorf("recorded headers: %v", r.Header)
	}
	if err := useWithRoute53Profiles(t, srv, got); err != nil {
		t.Errorf("call with the container role: %v", err)
	}

	wrong := endpointcreds.New(hosts.ContainerURI(), func(o *endpointcreds.Options) { o.AuthorizationToken = "wrong" })
	if _, err := wrong.Retrieve(t.Context()); err == nil {
		t.Error("wrong token: no error")
	} else if code, status := apiCode(err); code != "AccessDenied" || status != 403 {
		t.Errorf("wrong token: %v (code %q, status %d), want AccessDenied 403", err, code, status)
	}

	// 429 is retried by the SDK's container client.
	c.Inject(fakecloud.OpContainerGetCredentials, fakecloud.Fault{Kind: fakecloud.Throttle})
	if _, err := p.Retrieve(t.Context()); err != nil {
		t.Errorf("after a 429: %v", err)
	}
}

func imdsProvider(hosts *fakecloud.CredentialServers, fallback aws.Ternary) *ec2rolecreds.Provider {
	return ec2rolecreds.New(func(o *ec2rolecreds.Options) {
		o.Client = imds.New(imds.Options{Endpoint: hosts.IMDS.URL, EnableFallback: fallback})
	})
}

func TestEmulatorIMDSWithSDK(t *testing.T) {
	t.Parallel()
	c, hosts, srv := emulated(t)
	got, err := imdsProvider(hosts, aws.UnknownTernary).Retrieve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := issuedSDK(t, c, ec2rolecreds.ProviderName)
	// ec2rolecreds caps Expires at now + 1 hour (v1.21.1, provider.go).
	if got.Expires.After(want.Expires) || want.Expires.Sub(got.Expires) < 4*time.Hour {
		t.Errorf("Expires = %v, issued %v: not capped to an hour", got.Expires, want.Expires)
	}
	want.Expires, want.AccountID = got.Expires, ""
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-issued +sdk):\n%s", diff)
	}
	var ops, tokens []string
	for _, r := range c.CredentialRequests() {
		ops = append(ops, r.Method+" "+r.Path)
		tokens = append(tokens, r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds")+"|"+r.Header.Get("X-Aws-Ec2-Metadata-Token"))
	}
	wantOps := []string{"PUT /latest/api/token", "GET /latest/meta-data/iam/security-credentials/",
		"GET /latest/meta-data/iam/security-credentials/" + fakecloud.IMDSRoleName}
	if diff := gocmp.Diff(wantOps, ops); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	// The SDK asks for a 300-second token (feature/ec2/imds v1.20.9).
	if tokens[0] != "300|" || tokens[1] == "|" || tokens[1] != tokens[2] {
		t.Errorf("TTL|token headers of the three requests: %q", tokens)
	}
	if err := useWithRoute53Profiles(t, srv, got); err != nil {
		t.Errorf("call with the instance role: %v", err)
	}
}

func TestEmulatorIMDSModesWithSDK(t *testing.T) {
	t.Parallel()
	const (
		put    = "PUT /latest/api/token"
		list   = "GET /latest/meta-data/iam/security-credentials/"
		creds  = "GET /latest/meta-data/iam/security-credentials/" + fakecloud.IMDSRoleName
		tokend = " +token"
	)
	tests := []struct {
		name     string
		cfg      fakecloud.IMDSConfig
		fallback aws.Ternary
		wantErr  bool
		want     []string // the requests, " +token" when they carried one
	}{
		{"token refused, v1 allowed: fallback", fakecloud.IMDSConfig{Role: fakecloud.IMDSRoleName, TokenStatus: 403, AllowV1: true},
			aws.UnknownTernary, false, []string{put, list, creds}},
		{"token 404, v1 allowed: fallback", fakecloud.IMDSConfig{Role: fakecloud.IMDSRoleName, TokenStatus: 404, AllowV1: true},
			aws.UnknownTernary, false, []string{put, list, creds}},
		// The SDK falls back, meets 401, takes a token again (refused
		// again), three attempts.
		{"token 405, v2 required", fakecloud.IMDSConfig{Role: fakecloud.IMDSRoleName, TokenStatus: 405},
			aws.UnknownTernary, true, []string{put, list, put, list, put, list}},
		{"token refused, fallback disabled", fakecloud.IMDSConfig{Role: fakecloud.IMDSRoleName, TokenStatus: 403, AllowV1: true},
			aws.FalseTernary, true, []string{put}},
		{"token 400: no fallback", fakecloud.IMDSConfig{Role: fakecloud.IMDSRoleName, TokenStatus: 400, AllowV1: true},
			aws.UnknownTernary, true, []string{put}},
		{"no instance profile", fakecloud.IMDSConfig{}, aws.UnknownTernary, true, []string{put, list + tokend}},
		// A dropped connection is retried, then the SDK falls back to v1.
		{"absent", fakecloud.IMDSConfig{Absent: true}, aws.UnknownTernary, true, []string{put, put, put, list, list, list}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, hosts, _ := emulated(t)
			c.SetIMDS(tt.cfg)
			got, err := imdsProvider(hosts, tt.fallback).Retrieve(t.Context())
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			var seq []string
			for _, r := range c.CredentialRequests() {
				s := r.Method + " " + r.Path
				if r.Header.Get("X-Aws-Ec2-Metadata-Token") != "" {
					s += tokend
				}
				seq = append(seq, s)
			}
			if diff := gocmp.Diff(tt.want, seq); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if !tt.wantErr && got.AccessKeyID != issuedSDK(t, c, "").AccessKeyID {
				t.Errorf("credentials %q are not the ones issued", got.AccessKeyID)
			}
		})
	}
}

// cleanAWSEnv empties every variable LoadDefaultConfig reads and points
// HOME at an empty directory, which it returns.
func cleanAWSEnv(t *testing.T) string {
	t.Helper()
	for _, k := range []string{
		"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN",
		"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
		"AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
		"AWS_EC2_METADATA_V1_DISABLED", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO",
		"AWS_ENDPOINT_URL_SSO_OIDC", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CA_BUNDLE", "AWS_MAX_ATTEMPTS",
		"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT",
	} {
		t.Setenv(k, "")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	return home
}

// TestEmulatorDefaultChainWithSDK runs config.LoadDefaultConfig with the
// emulator's endpoints in the environment (CredentialServers.Env): each
// source the chain picks reaches its host and gets the credentials the
// emulator issued. Not parallel: it sets the process environment.
func TestEmulatorDefaultChainWithSDK(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, home string, c *fakecloud.Cloud, hosts *fakecloud.CredentialServers)
		op    string // the operation that issued the credentials
	}{
		{"profile role_arn with source_profile", func(t *testing.T, home string, c *fakecloud.Cloud, hosts *fakecloud.CredentialServers) {
			t.Setenv("AWS_CONFIG_FILE", writeFile(t, "config", "[profile src]\naws_access_key_id = "+fakecloud.AWSAccessKeyID+
				"\naws_secret_access_key = "+fakecloud.AWSSecretKey+"\n[default]\nrole_arn = "+fakecloud.AWSRoleARN+
				"\nsource_profile = src\nrole_session_name = chain\n"))
		}, fakecloud.OpAssumeRole},
		{"web identity from the environment", func(t *testing.T, home string, c *fakecloud.Cloud, hosts *fakecloud.CredentialServers) {
			t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", writeFile(t, "token", fakecloud.AWSWebIdentityToken))
			t.Setenv("AWS_ROLE_ARN", fakecloud.AWSRoleARN)
			t.Setenv("AWS_ROLE_SESSION_NAME", "irsa")
		}, fakecloud.OpAssumeRoleWithWebIdentity},
		{"sso-session with an expired cached token", func(t *testing.T, home string, c *fakecloud.Cloud, hosts *fakecloud.CredentialServers) {
			t.Setenv("AWS_CONFIG_FILE", writeFile(t, "config", "[default]\nsso_session = emu\nsso_account_id = "+fakecloud.SSOAccountID+
				"\nsso_role_name = "+fakecloud.SSORoleName+"\n[sso-session emu]\nsso_region = "+fakecloud.SSORegion+
				"\nsso_start_url = "+fakecloud.SSOStartURL+"\n"))
			path, err := ssocreds.StandardCachedTokenFilepath("emu")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(ssoCache(t, "expired", time.Now().Add(-time.Hour)))
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}, fakecloud.OpGetRoleCredentials},
		{"container full URI with a token file", func(t *testing.T, home string, c *fakecloud.Cloud, hosts *fakecloud.CredentialServers) {
			t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", hosts.ContainerURI())
			t.Setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", writeFile(t, "token", fakecloud.ContainerAuthToken))
		}, fakecloud.OpContainerGetCredentials},
		{"instance metadata", func(t *testing.T, home string, c *fakecloud.Cloud, hosts *fakecloud.CredentialServers) {},
			fakecloud.OpIMDSGetCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := cleanAWSEnv(t)
			c, hosts, _ := emulated(t)
			for k, v := range hosts.Env() {
				t.Setenv(k, v)
			}
			t.Setenv("AWS_REGION", "us-east-1")
			tt.setup(t, home, c, hosts)
			cfg, err := config.LoadDefaultConfig(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			got, err := cfg.Credentials.Retrieve(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			issued := c.IssuedCredentials()
			if len(issued) != 1 || issued[0].Op != tt.op {
				t.Fatalf("issued %v, want one set from %s", issued, tt.op)
			}
			want := [3]string{issued[0].AccessKeyID, issued[0].SecretAccessKey, issued[0].SessionToken}
			if diff := gocmp.Diff(want, [3]string{got.AccessKeyID, got.SecretAccessKey, got.SessionToken}); diff != "" {
				t.Errorf("credentials (-issued +sdk):\n%s", diff)
			}
		})
	}
}
