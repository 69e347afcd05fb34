package awscreds

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// AssumeRoleConfig configures an AssumeRoleProvider: the fields of STS
// AssumeRole that aws-sdk-go-v2's stscreds.AssumeRoleOptions carries, where
// to send it, and how.
type AssumeRoleConfig struct {
	// Source gives the credentials that sign the call (required): the
	// source profile's, the environment's, instance metadata's, ...
	Source signer.AWSCredentialsProvider
	// RoleARN is the role to assume (required).
	RoleARN string
	// RoleSessionName names the session in CloudTrail; empty picks
	// "aws-go-sdk-<UnixNano>" once, when the provider is made, as the SDK
	// does on its first call.
	RoleSessionName string
	// Duration of the session; 0 means 15 minutes (stscreds.DefaultDuration).
	// The profile rule that ignores duration_seconds under 16 minutes
	// belongs to whoever reads the profile.
	Duration time.Duration
	// ExternalID, Policy, PolicyARNs, SourceIdentity, Tags and
	// TransitiveTagKeys are sent when set.
	ExternalID        string
	Policy            string
	PolicyARNs        []string
	SourceIdentity    string
	Tags              []Tag
	TransitiveTagKeys []string
	// MFASerial is the MFA device (mfa_serial); TokenCode is then asked for
	// a code at every call. MFASerial without TokenCode is a configuration
	// error: nothing prompts on a terminal, nothing hangs.
	MFASerial string
	TokenCode func(ctx context.Context) (string, error)

	// Region selects the regional STS endpoint (see STSEndpoint) and is the
	// signing region (required).
	Region string
	// Endpoint overrides the endpoint (AWS_ENDPOINT_URL_STS and friends).
	Endpoint              string
	UseFIPS, UseDualStack bool
	// Settings are the transport's: HTTP client, retries (default 3
	// attempts, as the SDK's standard retryer), logger, clock.
	Settings transport.Settings
}

// Tag is a session tag.
type Tag struct{ Key, Value string }

// AssumeRoleProvider gets credentials from STS AssumeRole
// (POST / with Action=AssumeRole, Version=2011-06-15, SigV4-signed for
// service "sts" with the Source credentials). Every call is a new request:
// wrap the provider in signer.NewAWSCredentialsCache. Safe for concurrent
// use. It renders without secrets under fmt, slog and encoding/json.
type AssumeRoleProvider struct {
	described
	client    *transport.Client
	form      url.Values // every field but the MFA code
	mfaSerial string
	tokenCode func(ctx context.Context) (string, error)
	roleARN   string
}

// NewAssumeRoleProvider checks cfg and returns the provider. Errors are
// *Error wrapping a *transport.ValidationError naming the field.
func NewAssumeRoleProvider(cfg AssumeRoleConfig) (*AssumeRoleProvider, error) {
	const src = SourceAssumeRole
	if cfg.Source == nil {
		return nil, invalid(src, "Source", "is required: the credentials that sign AssumeRole")
	}
	if err := checkRoleARN(src, cfg.RoleARN); err != nil {
		return nil, err
	}
	if err := checkSessionName(src, cfg.RoleSessionName); err != nil {
		return nil, err
	}
	if err := checkDuration(src, cfg.Duration); err != nil {
		return nil, err
	}
	if cfg.MFASerial != "" && cfg.TokenCode == nil {
		return nil, invalid(src, "TokenCode", "is required when MFASerial is set (mfa_serial): set a function that returns the current MFA code")
	}
	for _, tag := range cfg.Tags {
		if tag.Key == "" {
			return nil, invalid(src, "Tags", "must not have an empty key")
		}
	}
	endpoint, signingRegion, err := STSEndpoint(cfg.Region, cfg.Endpoint, cfg.UseFIPS, cfg.UseDualStack)
	if err != nil {
		return nil, invalid(src, "Region", err.Error())
	}
	client, err := newClient(src, stsService, endpoint,
		&signer.SigV4{Credentials: cfg.Source, Service: "sts", Region: signingRegion}, cfg.Settings)
	if err != nil {
		return nil, err
	}

	name := cfg.RoleSessionName
	if name == "" {
		name = "aws-go-sdk-" + strconv.FormatInt(clock(&cfg.Settings)().UTC().UnixNano(), 10)
	}
	duration := cfg.Duration
	if duration == 0 {
		duration = minSTSDuration
	}
	form := url.Values{}
	form.Set("RoleArn", cfg.RoleARN)
	form.Set("RoleSessionName", name)
	form.Set("DurationSeconds", strconv.FormatInt(int64(duration/time.Second), 10))
	setIf(form, "ExternalId", cfg.ExternalID)
	setIf(form, "Policy", cfg.Policy)
	setIf(form, "SourceIdentity", cfg.SourceIdentity)
	addMembers(form, "PolicyArns", "arn", cfg.PolicyARNs)
	addMembers(form, "TransitiveTagKeys", "", cfg.TransitiveTagKeys)
	for i, tag := range cfg.Tags {
		n := "Tags.member." + strconv.Itoa(i+1)
		form.Set(n+".Key", tag.Key)
		form.Set(n+".Value", tag.Value)
	}
	if cfg.MFASerial != "" {
		form.Set("SerialNumber", cfg.MFASerial)
	}
	return &AssumeRoleProvider{
		described: described{"awscreds.AssumeRoleProvider{RoleARN:" + cfg.RoleARN + " SessionName:" + name +
			" Endpoint:" + endpoint + " Source:" + nameOf(cfg.Source) + "}"},
		client:    client,
		form:      form,
		mfaSerial: cfg.MFASerial,
		tokenCode: cfg.TokenCode,
		roleARN:   cfg.RoleARN,
	}, nil
}

func setIf(form url.Values, key, value string) {
	if value != "" {
		form.Set(key, value)
	}
}

// RetrieveAWS calls AssumeRole and returns the role's temporary
// credentials (Source "AssumeRoleProvider"), expiring when STS says.
// Errors are *Error; the Source provider's errors are wrapped as they are
// (so errors.Is(err, signer.ErrNoCredentials) holds when it has none).
// Retried as the settings allow: throttling, 5xx, IDPCommunicationError.
func (p *AssumeRoleProvider) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	const src = SourceAssumeRole
	if err := checkContext(ctx, src); err != nil {
		return signer.AWSCredentials{}, err
	}
	form := make(url.Values, len(p.form)+3)
	for k, v := range p.form {
		form[k] = v
	}
	if p.mfaSerial != "" {
		code, err := p.tokenCode(ctx)
		if err != nil {
			return signer.AWSCredentials{}, &Error{Source: src, Reason: "get the MFA token code for " + p.mfaSerial, Err: err}
		}
		if len(code) != 6 || !allDigits(code) {
			return signer.AWSCredentials{}, &Error{Source: src, Reason: "invalid MFA token code",
				Err: &transport.ValidationError{Field: "TokenCode", Rule: "must return 6 digits"}}
		}
		form.Set("TokenCode", code)
	}
	req := stsRequest("AssumeRole", form)
	req.SensitiveBody = p.mfaSerial != "" // the one-time code stays out of logs
	resp, err := p.client.Do(ctx, "AssumeRole", req, nil)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "assume role " + p.roleARN, Err: err}
	}
	creds, err := decodeSTSCredentials(resp, "AssumeRole", src)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "assume role " + p.roleARN, Err: err}
	}
	return creds, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
