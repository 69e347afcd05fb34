package awscreds

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/detach-go/detach/internal/awsendpoint"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// stsVersion is the API version every STS query carries.
const stsVersion = "2011-06-15"

// stsService is STS for the transport: the query protocol, with the codes
// aws-sdk-go-v2's STS client retries (service/sts v1.52.0
// finalizeSTSRetryableErrors) marked transient.
var stsService = transport.Service{ID: "STS", Protocol: transport.AWSQuery, DecodeError: decodeQueryError, Codes: map[string]transport.Kind{
	"IDPCommunicationError": transport.KindTransient,
}}

// stsWebIdentityService also retries InvalidIdentityToken, as stscreds'
// web identity provider does (credentials v1.21.1): an identity provider may
// not yet know a token it has just issued.
var stsWebIdentityService = transport.Service{ID: "STS", Protocol: transport.AWSQuery, DecodeError: decodeQueryError, Codes: map[string]transport.Kind{
	"IDPCommunicationError": transport.KindTransient,
	"InvalidIdentityToken":  transport.KindTransient,
}}

// STSEndpoint returns the STS endpoint and the SigV4 signing region for
// region, as aws-sdk-go-v2's STS endpoint rules build them (service/sts
// v1.52.0, checked by running the resolver): https://sts.{region}.{dnsSuffix}
// with the partition's suffix, sts-fips and the dual-stack suffix when
// asked; "aws-global" gives https://sts.amazonaws.com signed for us-east-1;
// FIPS in the GovCloud partition keeps https://sts.{region}.amazonaws.com.
// AWS_STS_REGIONAL_ENDPOINTS is not read, as the SDK does not read it.
// custom, when set, is used as is (and cannot be combined with FIPS or
// dual-stack); the region is still required, since it is the signing
// region.
func STSEndpoint(region, custom string, useFIPS, useDualStack bool) (endpoint, signingRegion string, err error) {
	if custom == "" && region == "aws-global" && !useFIPS && !useDualStack {
		return "https://sts.amazonaws.com", "us-east-1", nil
	}
	endpoint, err = regionalEndpoint("sts", region, custom, useFIPS, useDualStack)
	if err != nil {
		return "", "", err
	}
	return endpoint, region, nil
}

// regionalEndpoint is the endpoint the rules of STS, SSO and SSO OIDC build
// (service/sts v1.52.0, sso v1.39.5, ssooidc v1.44.5): awsendpoint's, except
// that FIPS without dual-stack in the GovCloud partition keeps the plain
// host, its endpoints being FIPS already.
func regionalEndpoint(prefix, region, custom string, useFIPS, useDualStack bool) (string, error) {
	if custom != "" {
		return awsendpoint.Endpoint(prefix, region, custom, useFIPS, useDualStack)
	}
	if err := awsendpoint.CheckRegion(region); err != nil {
		return "", err
	}
	if useFIPS && !useDualStack && strings.HasPrefix(region, "us-gov-") {
		return "https://" + prefix + "." + region + ".amazonaws.com", nil
	}
	return awsendpoint.Resolve(prefix, region, useFIPS, useDualStack)
}

// stsRequest builds a query-protocol request from form fields.
func stsRequest(action string, form url.Values) *transport.Request {
	form.Set("Action", action)
	form.Set("Version", stsVersion)
	return &transport.Request{
		Method:            "POST",
		Path:              "/",
		ContentType:       "application/x-www-form-urlencoded",
		Body:              []byte(form.Encode()), // sorted by key, as the SDK's query encoder
		SensitiveResponse: true,
	}
}

// addMembers adds a query-protocol list: Name.member.1[.field], ...
func addMembers(form url.Values, name, field string, values []string) {
	for i, v := range values {
		key := name + ".member." + strconv.Itoa(i+1)
		if field != "" {
			key += "." + field
		}
		form.Set(key, v)
	}
}

// The parts of an AssumeRole* result the providers use, below the
// <{action}Result> element.
const (
	stsAccessKeyID     = "Credentials/AccessKeyId"
	stsSecretAccessKey = "Credentials/SecretAccessKey"
	stsSessionToken    = "Credentials/SessionToken"
	stsExpiration      = "Credentials/Expiration"
)

// maxSTSTokens bounds the tokens read from a success body.
const maxSTSTokens = 1024

// decodeSTSCredentials reads <{action}Response><{action}Result><Credentials>.
// Errors never quote the body, which holds the secret key.
func decodeSTSCredentials(resp *transport.Response, action, source string) (signer.AWSCredentials, error) {
	d := xml.NewDecoder(bytes.NewReader(resp.Body))
	var res map[string]string
	found, depth, budget := false, 0, maxSTSTokens
	for budget > 0 && !found {
		budget--
		tok, err := d.Token()
		if err != nil {
			return signer.AWSCredentials{}, decodeError(resp, "body is not the documented XML: no "+action+"Result element")
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 1 && t.Name.Local != action+"Response":
				return signer.AWSCredentials{}, decodeError(resp, "body is not an "+action+"Response")
			case depth == 2 && t.Name.Local == action+"Result":
				var err error
				res, err = xmlLeaves(d, &budget, stsAccessKeyID, stsSecretAccessKey, stsSessionToken, stsExpiration)
				if err != nil {
					return signer.AWSCredentials{}, decodeError(resp, "body is not valid XML")
				}
				found = true
			case depth >= 2:
				// Read to its end tag within the budget, as Skip would
				// without one.
				if _, err := xmlLeaves(d, &budget); err != nil {
					return signer.AWSCredentials{}, decodeError(resp, "body is not valid XML")
				}
				depth--
			}
		case xml.EndElement:
			depth--
		}
	}
	if !found {
		return signer.AWSCredentials{}, decodeError(resp, "body has no "+action+"Result element")
	}
	if res[stsAccessKeyID] == "" || res[stsSecretAccessKey] == "" {
		return signer.AWSCredentials{}, decodeError(resp, errNoCredentialsInResponse.Error())
	}
	exp, err := parseTime("Expiration", strings.TrimSpace(res[stsExpiration]))
	if err != nil {
		return signer.AWSCredentials{}, decodeError(resp, err.Error())
	}
	return signer.AWSCredentials{AccessKeyID: res[stsAccessKeyID], SecretAccessKey: res[stsSecretAccessKey],
		SessionToken: res[stsSessionToken], Expires: exp.UTC(), Source: source}, nil
}

// Durations STS accepts (DurationSeconds, 900 to 43200).
const (
	minSTSDuration = 15 * time.Minute
	maxSTSDuration = 12 * time.Hour
)

// checkDuration validates an optional session duration.
func checkDuration(source string, d time.Duration) error {
	if d != 0 && (d < minSTSDuration || d > maxSTSDuration || d%time.Second != 0) {
		return invalid(source, "Duration", "must be whole seconds from 15 minutes to 12 hours (STS DurationSeconds 900 to 43200)")
	}
	return nil
}

// checkSessionName validates a role session name as STS documents it:
// 2 to 64 characters of [\w+=,.@-].
func checkSessionName(source, name string) error {
	if name == "" {
		return nil
	}
	if len(name) < 2 || len(name) > 64 {
		return invalid(source, "RoleSessionName", "must be 2 to 64 characters")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_+=,.@-", c) >= 0) {
			return invalid(source, "RoleSessionName", "must contain only letters, digits and _+=,.@-")
		}
	}
	return nil
}

// checkRoleARN validates a role ARN as STS documents RoleArn: 20 to 2048
// characters, printable.
func checkRoleARN(source, arn string) error {
	switch {
	case arn == "":
		return invalid(source, "RoleARN", "is required")
	case len(arn) < 20 || len(arn) > 2048:
		return invalid(source, "RoleARN", "must be 20 to 2048 characters")
	case hasControl(arn):
		return invalid(source, "RoleARN", "must not contain control characters")
	}
	return nil
}
