package fakecloud

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Role is an IAM role that STS lets callers assume. Trust is not modelled:
// every key the Cloud knows, but the denied one, may assume every role,
// and every known web identity token may too.
type Role struct {
	// ARN is "arn:aws:iam::<account>:role/<name>"; the account becomes the
	// AccountId of the credentials.
	ARN string
	// MaxSessionDuration caps DurationSeconds; zero means 1 hour, IAM's
	// default. IAM allows 1 to 12 hours.
	MaxSessionDuration time.Duration
	// ExternalID, when set, must be sent as ExternalId by AssumeRole.
	ExternalID string
}

// WebIdentity is an OIDC token AssumeRoleWithWebIdentity accepts. The
// emulator does not parse tokens: it compares them byte for byte.
type WebIdentity struct {
	Token string
	// Expires, when set, is when the token stops being accepted
	// (ExpiredTokenException from then on).
	Expires time.Time
	// Subject, Audience and Provider are echoed in the answer
	// (SubjectFromWebIdentityToken, Audience, Provider); empty ones get
	// defaults.
	Subject, Audience, Provider string
}

// AddRole makes role r assumable, replacing any role with the same ARN.
func (c *Cloud) AddRole(r Role) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.addRole(r)
}

// AddWebIdentity makes STS accept token w.Token, replacing any identity
// with the same token.
func (c *Cloud) AddWebIdentity(w WebIdentity) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.addWebIdentity(w)
}

func (st *state) addRole(r Role) {
	if r.MaxSessionDuration <= 0 {
		r.MaxSessionDuration = time.Hour
	}
	st.roles[r.ARN] = r
}

func (st *state) addWebIdentity(w WebIdentity) {
	if w.Subject == "" {
		w.Subject = "system:serviceaccount:default:fakecloud"
	}
	if w.Audience == "" {
		w.Audience = "sts.amazonaws.com"
	}
	if w.Provider == "" {
		w.Provider = "arn:aws:iam::" + AWSAccountID + ":oidc-provider/oidc.fakecloud.invalid"
	}
	st.webIdentities[w.Token] = w
}

// IssuedCredentials are temporary AWS credentials a credential host handed
// out. The Cloud's AWS services (STS included) accept them until Expires,
// and answer ExpiredTokenException after. Every issue makes a new key.
//
// Its String, Format and LogValue show the operation, key ID and times
// only, never the secret or the token.
type IssuedCredentials struct {
	Op string // the operation that issued them (OpAssumeRole, ...)
	// AccessKeyID starts with ASIA, as AWS temporary keys do.
	AccessKeyID, SecretAccessKey, SessionToken string
	AccountID                                  string
	Issued, Expires                            time.Time
}

func (ic IssuedCredentials) redactedString() string {
	return "fakecloud.IssuedCredentials{" + ic.Op + " " + ic.AccessKeyID + " expires " + ic.Expires.Format(time.RFC3339) + "}"
}

// String shows the operation, key ID and expiry.
func (ic IssuedCredentials) String() string { return ic.redactedString() }

// GoString is String.
func (ic IssuedCredentials) GoString() string { return ic.redactedString() }

// Format writes String for every verb.
func (ic IssuedCredentials) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, ic.redactedString())
}

// LogValue renders the credentials without their secret and token.
func (ic IssuedCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("op", ic.Op), slog.String("access_key_id", ic.AccessKeyID),
		slog.Time("expires", ic.Expires))
}

// IssuedCredentials returns the credentials the hosts issued since New or
// Reset, oldest first.
func (c *Cloud) IssuedCredentials() []IssuedCredentials {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]IssuedCredentials, len(c.st.issued))
	copy(out, c.st.issued)
	return out
}

// issue makes new temporary credentials for op, valid from now for ttl
// with the expiry truncated to precision (the resolution the answer
// writes, so that client and emulator agree on it), and registers them
// as a role session of principal arn. c.mu must be held.
func (st *state) issue(op, arn, accountID string, now time.Time, ttl, precision time.Duration) IssuedCredentials {
	ic := IssuedCredentials{
		Op:              op,
		AccessKeyID:     "ASIA" + randomBase32(16),
		SecretAccessKey: randomBase64(30),
		SessionToken:    randomBase64(144),
		AccountID:       accountID,
		Issued:          now,
		Expires:         now.Add(ttl).Truncate(precision).UTC(),
	}
	st.issuedKeys[ic.AccessKeyID] = awsKey{
		secret: ic.SecretAccessKey, sessionToken: ic.SessionToken,
		arn: arn, expires: ic.Expires, roleSession: true,
	}
	st.issued = append(st.issued, ic)
	return ic
}

// accountOfARN returns field 5 of an ARN, the account ID, as aws-sdk-go-v2
// (stscreds, v1.21.1) reads it from AssumedRoleUser.Arn.
func accountOfARN(arn string) string {
	f := strings.SplitN(arn, ":", 6)
	if len(f) < 5 {
		return ""
	}
	return f[4]
}

// roleName returns the last path segment of a role ARN's resource.
func roleName(arn string) string {
	f := strings.SplitN(arn, ":", 6)
	if len(f) < 6 {
		return ""
	}
	res := f[5]
	return res[strings.LastIndexByte(res, '/')+1:]
}

const base32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// randomBase32 returns n random characters of the upper-case base32
// alphabet, the form of AWS access key IDs.
func randomBase32(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (it crashes the program instead)
	for i := range b {
		b[i] = base32Upper[b[i]&31]
	}
	return string(b)
}

// randomBase64 returns n random bytes in standard base64, which puts "/"
// and "+" in secrets and tokens as AWS's do.
func randomBase64(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (it crashes the program instead)
	return base64.StdEncoding.EncodeToString(b)
}
