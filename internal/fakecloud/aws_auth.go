package fakecloud

import (
	"errors"
	"net/http"
	"time"

	"github.com/detach-go/detach/internal/sigverify"
)

// awsMaxSkew is how far X-Amz-Date may be from the emulator clock: AWS
// refuses a signature more than 5 minutes away from its own time.
const awsMaxSkew = 5 * time.Minute

// The AWS authentication messages are the ones AWS services send.
const (
	msgMissingToken      = "Missing Authentication Token"
	msgIncomplete        = "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters, and the request requires an X-Amz-Date header."
	msgUnrecognized      = "The security token included in the request is invalid."
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// msgExpiredToken is what AWS answers for a session token past its expiry.
const msgExpiredToken = "The security token included in the request is expired"

// awsAuth authenticates k's request with SigV4 for signing name service in
// the Cloud's AWS region. On failure it answers 403 with the error AWS sends
// (MissingAuthenticationTokenException, IncompleteSignatureException,
// UnrecognizedClientException, InvalidSignatureException or, for an issued
// key past its expiry, ExpiredTokenException; STS sends the query-protocol
// names of the same errors, see authError) and returns false.
// Every refusal carries the Date header, from which a client can correct its
// clock.
//
// The keys are the fixed ones of credentials.go and those the credential
// hosts issued (aws_issue.go). STS accepts a credential scope of any
// region: its one emulated endpoint stands for every regional one, and
// the region a client signed for is on record ([CredentialRequest]).
func (c *Cloud) awsAuth(k *call, service string) (awsKey, bool) {
	if k.r.Header.Get("Authorization") == "" {
		k.authError(http.StatusForbidden, "MissingAuthenticationTokenException", msgMissingToken)
		return awsKey{}, false
	}
	var key awsKey
	secretFor := func(id string) (string, bool) {
		var ok bool
		key, ok = c.lookupAWSKey(id)
		return key.secret, ok
	}
	id, err := sigverify.SigV4(k.r, k.bodySHA, secretFor, k.now, awsMaxSkew)
	switch {
	case err == nil:
	case errors.Is(err, sigverify.ErrV4UnknownAccessKey):
		k.authError(http.StatusForbidden, "UnrecognizedClientException", msgUnrecognized)
		return awsKey{}, false
	case errors.Is(err, sigverify.ErrV4SignatureMismatch):
		k.authError(http.StatusForbidden, "InvalidSignatureException", msgSignatureMismatch)
		return awsKey{}, false
	case errors.Is(err, sigverify.ErrV4Expired):
		k.authError(http.StatusForbidden, "InvalidSignatureException", skewMessage(k.r.Header.Get("X-Amz-Date"), k.now))
		return awsKey{}, false
	default: // sigverify.ErrV4Malformed and anything unforeseen
		k.authError(http.StatusForbidden, "IncompleteSignatureException", msgIncomplete)
		return awsKey{}, false
	}
	if id.Service != service {
		k.authError(http.StatusForbidden, "InvalidSignatureException",
			"Credential should be scoped to correct service: '"+service+"'. ")
		return awsKey{}, false
	}
	if id.Region != c.awsRegion && k.host != STSHost {
		k.authError(http.StatusForbidden, "InvalidSignatureException",
			"Credential should be scoped to a valid region, not '"+id.Region+"'. ")
		return awsKey{}, false
	}
	if id.SessionToken != key.sessionToken {
		// A temporary key without its token, a wrong token, or a token sent
		// with a long-term key: AWS calls all of them an invalid token.
		k.authError(http.StatusForbidden, "UnrecognizedClientException", msgUnrecognized)
		return awsKey{}, false
	}
	if !key.expires.IsZero() && !k.now.Before(key.expires) {
		k.authError(http.StatusForbidden, "ExpiredTokenException", msgExpiredToken)
		return awsKey{}, false
	}
	return key, true
}

// lookupAWSKey finds a fixed or issued access key.
func (c *Cloud) lookupAWSKey(id string) (awsKey, bool) {
	if key, ok := c.awsKeys[id]; ok {
		return key, true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key, ok := c.st.issuedKeys[id]
	return key, ok
}

// authError answers an authentication failure. The JSON services get code
// and message as given; STS, a query-protocol service, gets the names its
// protocol uses for the same errors, in its XML shape, and 400 for an
// incomplete signature (the AWS common errors of query APIs).
func (k *call) authError(status int, code, msg string) {
	if k.host != STSHost {
		k.awsError(status, code, msg)
		return
	}
	switch code {
	case "MissingAuthenticationTokenException":
		code, msg = "MissingAuthenticationToken", "Request is missing Authentication Token"
	case "IncompleteSignatureException":
		status, code = http.StatusBadRequest, "IncompleteSignature"
	case "UnrecognizedClientException":
		code = "InvalidClientTokenId"
	case "InvalidSignatureException":
		code = "SignatureDoesNotMatch"
	case "ExpiredTokenException":
		code = "ExpiredToken"
	}
	k.stsError(status, code, msg)
}

// skewMessage words a refused request time the way AWS does, for example
// "Signature expired: 20150830T123600Z is now earlier than 20150830T125600Z
// (20150830T130100Z - 5 min.)".
func skewMessage(amzDate string, now time.Time) string {
	const layout = "20060102T150405Z"
	now = now.UTC()
	t, err := time.Parse(layout, amzDate)
	if err == nil && t.After(now) {
		return "Signature not yet current: " + amzDate + " is still later than " +
			now.Add(awsMaxSkew).Format(layout) + " (" + now.Format(layout) + " + 5 min.)"
	}
	return "Signature expired: " + amzDate + " is now earlier than " +
		now.Add(-awsMaxSkew).Format(layout) + " (" + now.Format(layout) + " - 5 min.)"
}

// awsDenied answers AccessDeniedException for the key that has no permission,
// with the status the service documents for it.
func (k *call) awsDenied(status int, action string) {
	k.awsError(status, "AccessDeniedException",
		"User: arn:aws:iam::"+AWSAccountID+":user/fakecloud-denied is not authorized to perform: "+action)
}
