package fakecloud

import (
	"crypto/sha256"
	"encoding/xml"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// stsVersion is the only API version STS has.
const stsVersion = "2011-06-15"

// stsTimeLayout is how STS writes Expiration: ISO 8601 in UTC, whole seconds.
const stsTimeLayout = "2006-01-02T15:04:05Z"

// stsRoute reads the query-protocol parameters (the form body of a POST /,
// or the query string of a GET /, both of which STS accepts) and picks the
// operation from Action and Version. aws-sdk-go-v2 (service/sts v1.52.0)
// sends POST / with Content-Type application/x-www-form-urlencoded.
func stsRoute(k *call) (func(*Cloud, *call), string) {
	params := k.r.URL.Query()
	if k.r.Method == http.MethodPost {
		mt, _, _ := mime.ParseMediaType(k.r.Header.Get("Content-Type"))
		params = url.Values{}
		if mt == "application/x-www-form-urlencoded" {
			if p, err := url.ParseQuery(string(k.body)); err == nil {
				params = p
			}
		}
	}
	if k.r.URL.EscapedPath() != "/" || (k.r.Method != http.MethodPost && k.r.Method != http.MethodGet) {
		return func(c *Cloud, k *call) {
			k.stsError(http.StatusNotFound, "UnknownOperationException", "STS serves POST / and GET / only")
		}, ""
	}
	action, version := params.Get("Action"), params.Get("Version")
	switch {
	case version == stsVersion && action == OpAssumeRole:
		return func(c *Cloud, k *call) { c.assumeRole(k, params) }, OpAssumeRole
	case version == stsVersion && action == OpAssumeRoleWithWebIdentity:
		return func(c *Cloud, k *call) { c.assumeRoleWithWebIdentity(k, params) }, OpAssumeRoleWithWebIdentity
	case action == "":
		return func(c *Cloud, k *call) { k.stsError(http.StatusBadRequest, "MissingAction", "Missing Action") }, ""
	}
	// Real STS serves more actions; these are the ones credential sources call.
	return func(c *Cloud, k *call) {
		k.stsError(http.StatusBadRequest, "InvalidAction", "Could not find operation "+action+" for version "+version)
	}, ""
}

// assumeRole serves STS AssumeRole (credentials.md §1.6): SigV4 with
// signing name "sts", any region. It checks, in this order, the signature,
// the parameters (ValidationError, 400, worded as AWS words its model
// constraints), the caller's permission (the denied key gets AccessDenied,
// 403), that the role exists and the ExternalId it demands was sent (both
// AccessDenied, the one answer AWS gives for an untrusted caller), and the
// duration against the role's MaxSessionDuration and, for a caller that is
// itself a role session, the 1-hour limit of role chaining. Success issues
// new credentials (default 1 hour) that the Cloud's AWS services accept.
func (c *Cloud) assumeRole(k *call, p url.Values) {
	key, ok := c.awsAuth(k, "sts")
	if !ok {
		return
	}
	var v stsValidation
	roleARN := v.str(p, "RoleArn", "roleArn", 20, 2048, nil)
	session := v.str(p, "RoleSessionName", "roleSessionName", 2, 64, sessionNamePattern)
	duration := v.duration(p)
	externalID, hasExternalID := p.Get("ExternalId"), p.Has("ExternalId")
	if hasExternalID {
		v.check(p, "ExternalId", "externalId", 2, 1224, externalIDPattern)
	}
	if p.Has("SourceIdentity") {
		v.check(p, "SourceIdentity", "sourceIdentity", 2, 64, sessionNamePattern)
	}
	if v.failed(k) {
		return
	}
	denied := func() {
		k.stsError(http.StatusForbidden, "AccessDenied", "User: "+key.principal()+
			" is not authorized to perform: sts:AssumeRole on resource: "+roleARN)
	}
	if key.denied {
		denied()
		return
	}
	c.mu.Lock()
	role, known := c.st.roles[roleARN]
	c.mu.Unlock()
	if !known || (role.ExternalID != "" && externalID != role.ExternalID) {
		denied()
		return
	}
	if !c.sessionDurationOK(k, role, duration, key.roleSession) {
		return
	}
	out := c.issueRoleSession(k, OpAssumeRole, role, session, duration)
	out.SourceIdentity = p.Get("SourceIdentity")
	k.writeXML(http.StatusOK, struct {
		XMLName   xml.Name  `xml:"AssumeRoleResponse"`
		Xmlns     string    `xml:"xmlns,attr"`
		Result    stsResult `xml:"AssumeRoleResult"`
		RequestID string    `xml:"ResponseMetadata>RequestId"`
	}{Xmlns: stsNamespace, Result: out, RequestID: k.requestID})
}

// assumeRoleWithWebIdentity serves STS AssumeRoleWithWebIdentity
// (credentials.md §1.6), which is unsigned: an Authorization header, if
// any, is ignored. After the parameters it checks the token, compared byte
// for byte with the configured web identities (unknown: 400
// InvalidIdentityToken; past its Expires: 400 ExpiredTokenException, the
// code STS uses here), then the role (unknown: 403 AccessDenied) and the
// duration. The answer carries the identity's subject, audience and
// provider.
func (c *Cloud) assumeRoleWithWebIdentity(k *call, p url.Values) {
	var v stsValidation
	roleARN := v.str(p, "RoleArn", "roleArn", 20, 2048, nil)
	session := v.str(p, "RoleSessionName", "roleSessionName", 2, 64, sessionNamePattern)
	token := v.str(p, "WebIdentityToken", "webIdentityToken", 4, 20000, nil)
	duration := v.duration(p)
	if v.failed(k) {
		return
	}
	c.mu.Lock()
	wi, knownToken := c.st.webIdentities[token]
	role, knownRole := c.st.roles[roleARN]
	c.mu.Unlock()
	switch {
	case !knownToken:
		k.stsError(http.StatusBadRequest, "InvalidIdentityToken",
			"The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)")
		return
	case !wi.Expires.IsZero() && !k.now.Before(wi.Expires):
		k.stsError(http.StatusBadRequest, "ExpiredTokenException", "Token expired: current date/time "+
			strconv.FormatInt(k.now.Unix(), 10)+" must be before the expiration date/time "+strconv.FormatInt(wi.Expires.Unix(), 10))
		return
	case !knownRole:
		k.stsError(http.StatusForbidden, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
		return
	}
	if !c.sessionDurationOK(k, role, duration, false) {
		return
	}
	out := c.issueRoleSession(k, OpAssumeRoleWithWebIdentity, role, session, duration)
	k.writeXML(http.StatusOK, struct {
		XMLName   xml.Name          `xml:"AssumeRoleWithWebIdentityResponse"`
		Xmlns     string            `xml:"xmlns,attr"`
		Result    webIdentityResult `xml:"AssumeRoleWithWebIdentityResult"`
		RequestID string            `xml:"ResponseMetadata>RequestId"`
	}{Xmlns: stsNamespace, Result: webIdentityResult{wi.Subject, wi.Audience, out, wi.Provider}, RequestID: k.requestID})
}

// sessionDurationOK answers ValidationError and returns false when d is
// more than the role allows, or more than 1 hour for a caller that is
// itself a role session (role chaining).
func (c *Cloud) sessionDurationOK(k *call, role Role, d time.Duration, chained bool) bool {
	switch {
	case d > role.MaxSessionDuration:
		k.stsError(http.StatusBadRequest, "ValidationError",
			"The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		return false
	case chained && d > time.Hour:
		k.stsError(http.StatusBadRequest, "ValidationError",
			"The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
		return false
	}
	return true
}

// stsResult is what both operations return about the new session.
type stsResult struct {
	AssumedRoleUser struct {
		Arn           string
		AssumedRoleID string `xml:"AssumedRoleId"`
	}
	Credentials struct {
		AccessKeyID     string `xml:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
	SourceIdentity string `xml:",omitempty"`
}

// webIdentityResult is the AssumeRoleWithWebIdentityResult element: the
// session plus what STS read from the token.
type webIdentityResult struct {
	SubjectFromWebIdentityToken string
	Audience                    string
	stsResult
	Provider string
}

// issueRoleSession issues credentials for session of role, valid for d
// (DefaultAssumeRoleDuration when d is 0).
func (c *Cloud) issueRoleSession(k *call, op string, role Role, session string, d time.Duration) stsResult {
	if d == 0 {
		d = DefaultAssumeRoleDuration
	}
	acct := accountOfARN(role.ARN)
	sessionARN := "arn:aws:sts::" + acct + ":assumed-role/" + roleName(role.ARN) + "/" + session
	c.mu.Lock()
	ic := c.st.issue(op, sessionARN, acct, k.now, d, time.Second)
	c.mu.Unlock()
	var out stsResult
	out.AssumedRoleUser.Arn = sessionARN
	out.AssumedRoleUser.AssumedRoleID = roleID(role.ARN) + ":" + session
	out.Credentials.AccessKeyID = ic.AccessKeyID
	out.Credentials.SecretAccessKey = ic.SecretAccessKey
	out.Credentials.SessionToken = ic.SessionToken
	out.Credentials.Expiration = ic.Expires.Format(stsTimeLayout)
	return out
}

// roleID derives a stable role ID ("AROA" and 17 characters, the form of
// IAM's unique IDs) from a role ARN.
func roleID(arn string) string {
	sum := sha256.Sum256([]byte(arn))
	b := make([]byte, 17)
	for i := range b {
		b[i] = base32Upper[sum[i]&31]
	}
	return "AROA" + string(b)
}

// The model patterns of RoleSessionName (and SourceIdentity) and ExternalId.
var (
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDPattern  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
)

// stsValidation collects the constraint failures of one request, which STS
// reports together: "2 validation errors detected: Value ... ; Value ...".
type stsValidation struct{ msgs []string }

// str returns parameter name, checking that it is present and within its
// length and pattern; member is the name AWS's messages use.
func (v *stsValidation) str(p url.Values, name, member string, minLen, maxLen int, pattern *regexp.Regexp) string {
	if !p.Has(name) {
		v.msgs = append(v.msgs, "Value null at '"+member+"' failed to satisfy constraint: Member must not be null")
		return ""
	}
	v.check(p, name, member, minLen, maxLen, pattern)
	return p.Get(name)
}

// check applies the length and pattern constraints to a present parameter.
func (v *stsValidation) check(p url.Values, name, member string, minLen, maxLen int, pattern *regexp.Regexp) {
	s := p.Get(name)
	prefix := "Value '" + s + "' at '" + member + "' failed to satisfy constraint: Member must "
	switch n := utf8.RuneCountInString(s); {
	case n < minLen:
		v.msgs = append(v.msgs, prefix+"have length greater than or equal to "+strconv.Itoa(minLen))
	case n > maxLen:
		v.msgs = append(v.msgs, prefix+"have length less than or equal to "+strconv.Itoa(maxLen))
	}
	if pattern != nil && !pattern.MatchString(s) {
		v.msgs = append(v.msgs, prefix+"satisfy regular expression pattern: "+
			strings.TrimSuffix(strings.TrimPrefix(pattern.String(), "^"), "$"))
	}
}

// duration reads DurationSeconds (900 to 43200 in the model); 0 when it
// was not sent.
func (v *stsValidation) duration(p url.Values) time.Duration {
	if !p.Has("DurationSeconds") {
		return 0
	}
	s := p.Get("DurationSeconds")
	n, err := strconv.ParseInt(s, 10, 32)
	prefix := "Value '" + s + "' at 'durationSeconds' failed to satisfy constraint: Member must "
	switch {
	case err != nil:
		// The emulator's wording: STS's answer to a non-number is not documented.
		v.msgs = append(v.msgs, prefix+"be an integer")
	case n < 900:
		v.msgs = append(v.msgs, prefix+"have value greater than or equal to 900")
	case n > 43200:
		v.msgs = append(v.msgs, prefix+"have value less than or equal to 43200")
	default:
		return time.Duration(n) * time.Second
	}
	return 0
}

// failed answers ValidationError and returns true when a check failed.
func (v *stsValidation) failed(k *call) bool {
	switch len(v.msgs) {
	case 0:
		return false
	case 1:
		k.stsError(http.StatusBadRequest, "ValidationError", "1 validation error detected: "+v.msgs[0])
	default:
		k.stsError(http.StatusBadRequest, "ValidationError",
			strconv.Itoa(len(v.msgs))+" validation errors detected: "+strings.Join(v.msgs, "; "))
	}
	return true
}
