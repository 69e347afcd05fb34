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

// awsAuth authenticates k's request with SigV4 for signing name service in
// the Cloud's AWS region. On failure it answers 403 with the error AWS sends
// (MissingAuthenticationTokenException, IncompleteSignatureException,
// UnrecognizedClientException or InvalidSignatureException) and returns false.
// Every refusal carries the Date header, from which a client can correct its
// clock.
func (c *Cloud) awsAuth(k *call, service string) (awsKey, bool) {
	if k.r.Header.Get("Authorization") == "" {
		k.awsError(http.StatusForbidden, "MissingAuthenticationTokenException", msgMissingToken)
		return awsKey{}, false
	}
	secretFor := func(id string) (string, bool) {
		key, ok := c.awsKeys[id]
		return key.secret, ok
	}
	id, err := sigverify.SigV4(k.r, k.bodySHA, secretFor, k.now, awsMaxSkew)
	switch {
	case err == nil:
	case errors.Is(err, sigverify.ErrV4UnknownAccessKey):
		k.awsError(http.StatusForbidden, "UnrecognizedClientException", msgUnrecognized)
		return awsKey{}, false
	case errors.Is(err, sigverify.ErrV4SignatureMismatch):
		k.awsError(http.StatusForbidden, "InvalidSignatureException", msgSignatureMismatch)
		return awsKey{}, false
	case errors.Is(err, sigverify.ErrV4Expired):
		k.awsError(http.StatusForbidden, "InvalidSignatureException", skewMessage(k.r.Header.Get("X-Amz-Date"), k.now))
		return awsKey{}, false
	default: // sigverify.ErrV4Malformed and anything unforeseen
		k.awsError(http.StatusForbidden, "IncompleteSignatureException", msgIncomplete)
		return awsKey{}, false
	}
	if id.Service != service {
		k.awsError(http.StatusForbidden, "InvalidSignatureException",
			"Credential should be scoped to correct service: '"+service+"'. ")
		return awsKey{}, false
	}
	if id.Region != c.awsRegion {
		k.awsError(http.StatusForbidden, "InvalidSignatureException",
			"Credential should be scoped to a valid region, not '"+id.Region+"'. ")
		return awsKey{}, false
	}
	key := c.awsKeys[id.AccessKeyID]
	if id.SessionToken != key.sessionToken {
		// A temporary key without its token, a wrong token, or a token sent
		// with a long-term key: AWS calls all of them an invalid token.
		k.awsError(http.StatusForbidden, "UnrecognizedClientException", msgUnrecognized)
		return awsKey{}, false
	}
	return key, true
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
