package awscreds

import (
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// maxWebIdentityToken bounds the token file read. STS takes tokens of up to
// 20,000 characters; a larger file is not a token.
const maxWebIdentityToken = 64 << 10

// WebIdentityConfig configures a WebIdentityProvider: what aws-sdk-go-v2's
// stscreds.WebIdentityRoleOptions carries, where to send it, and how.
type WebIdentityConfig struct {
	// RoleARN is the role to assume (required; AWS_ROLE_ARN or role_arn).
	RoleARN string
	// TokenFile holds the OIDC token (required; AWS_WEB_IDENTITY_TOKEN_FILE
	// or web_identity_token_file). It is read again at every call, because
	// EKS and other platforms rotate it, and sent unchanged (a trailing
	// newline included), as the SDK sends it.
	TokenFile string
	// RoleSessionName names the session; empty uses the decimal UnixNano
	// of each call, as the SDK does.
	RoleSessionName string
	// Duration of the session; 0 sends none (STS then gives one hour).
	Duration time.Duration
	// Policy and PolicyARNs are sent when set.
	Policy     string
	PolicyARNs []string

	// Region selects the regional STS endpoint (see STSEndpoint; required).
	Region string
	// Endpoint overrides the endpoint.
	Endpoint              string
	UseFIPS, UseDualStack bool
	// Settings are the transport's: HTTP client, retries, logger, clock.
	Settings transport.Settings
}

// WebIdentityProvider gets credentials from STS AssumeRoleWithWebIdentity
// (POST / with Action=AssumeRoleWithWebIdentity, unsigned: the token is
// the credential). Every call reads the token file and calls STS: wrap the
// provider in signer.NewAWSCredentialsCache. Safe for concurrent use. It
// renders without secrets under fmt, slog and encoding/json.
type WebIdentityProvider struct {
	described
	client    *transport.Client
	form      url.Values // every field but the token and a default session name
	tokenFile string
	roleARN   string
	now       func() time.Time
}

// NewWebIdentityProvider checks cfg and returns the provider. The token
// file is not read until the first call. Errors are *Error wrapping a
// *transport.ValidationError naming the field.
func NewWebIdentityProvider(cfg WebIdentityConfig) (*WebIdentityProvider, error) {
	const src = SourceWebIdentity
	if err := checkRoleARN(src, cfg.RoleARN); err != nil {
		return nil, err
	}
	if cfg.TokenFile == "" {
		return nil, invalid(src, "TokenFile", "is required")
	}
	if err := checkSessionName(src, cfg.RoleSessionName); err != nil {
		return nil, err
	}
	if err := checkDuration(src, cfg.Duration); err != nil {
		return nil, err
	}
	endpoint, _, err := STSEndpoint(cfg.Region, cfg.Endpoint, cfg.UseFIPS, cfg.UseDualStack)
	if err != nil {
		return nil, invalid(src, "Region", err.Error())
	}
	client, err := newClient(src, stsWebIdentityService, endpoint, anonymous{}, cfg.Settings)
	if err != nil {
		return nil, err
	}
	form := url.Values{}
	form.Set("RoleArn", cfg.RoleARN)
	setIf(form, "RoleSessionName", cfg.RoleSessionName)
	if cfg.Duration != 0 {
		form.Set("DurationSeconds", strconv.FormatInt(int64(cfg.Duration/time.Second), 10))
	}
	setIf(form, "Policy", cfg.Policy)
	addMembers(form, "PolicyArns", "arn", cfg.PolicyARNs)
	return &WebIdentityProvider{
		described: described{"awscreds.WebIdentityProvider{RoleARN:" + cfg.RoleARN + " TokenFile:" + cfg.TokenFile +
			" Endpoint:" + endpoint + "}"},
		client:    client,
		form:      form,
		tokenFile: cfg.TokenFile,
		roleARN:   cfg.RoleARN,
		now:       clock(&cfg.Settings),
	}, nil
}

// RetrieveAWS reads the token file and calls AssumeRoleWithWebIdentity
// (Source "WebIdentityCredentials"). The token is registered with the
// transport's redaction, so a service or proxy that echoes it cannot get it
// into an error or a log. Errors are *Error: a missing or unreadable token
// file wraps the *fs.PathError. Retried as the settings allow: throttling,
// 5xx, IDPCommunicationError and InvalidIdentityToken.
func (p *WebIdentityProvider) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	const src = SourceWebIdentity
	if err := checkContext(ctx, src); err != nil {
		return signer.AWSCredentials{}, err
	}
	token, err := readTokenFile(p.tokenFile, maxWebIdentityToken)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "read the web identity token file", Err: err}
	}
	form := make(url.Values, len(p.form)+4)
	for k, v := range p.form {
		form[k] = v
	}
	if form.Get("RoleSessionName") == "" {
		form.Set("RoleSessionName", strconv.FormatInt(p.now().UnixNano(), 10))
	}
	form.Set("WebIdentityToken", token)
	req := stsRequest("AssumeRoleWithWebIdentity", form)
	req.SensitiveBody = true
	req.Secrets = []string{token, url.QueryEscape(token)}
	resp, err := p.client.Do(ctx, "AssumeRoleWithWebIdentity", req, nil)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "assume role " + p.roleARN + " with web identity", Err: err}
	}
	creds, err := decodeSTSCredentials(resp, "AssumeRoleWithWebIdentity", src)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "assume role " + p.roleARN + " with web identity", Err: err}
	}
	return creds, nil
}

// errEmptyToken is a token file with nothing in it.
var errEmptyToken = errors.New("the file is empty")

// readTokenFile reads a whole token file of at most max bytes, unchanged.
// Its content never appears in an error.
func readTokenFile(path string, max int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	switch {
	case err != nil:
		return "", &os.PathError{Op: "read", Path: path, Err: err}
	case int64(len(b)) > max:
		return "", &os.PathError{Op: "read", Path: path, Err: errors.New("the file is larger than " + strconv.FormatInt(max, 10) + " bytes")}
	case len(b) == 0:
		return "", &os.PathError{Op: "read", Path: path, Err: errEmptyToken}
	}
	return string(b), nil
}
