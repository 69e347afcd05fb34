package fakecloud

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// The ID tokens the identity providers of both clouds accept (see
// [Cloud.AddIDToken]). Like the keys in credentials.go they are fake; a new
// or Reset Cloud knows them.
const (
	// HuaweiIdPID is the identity provider of HuaweiDomainID, OTCIdPID that
	// of OTCDomainID: the X-Idp-Id of a federated login
	// (HUAWEICLOUD_SDK_IDP_ID). Their protocol is "oidc".
	HuaweiIdPID = "fakecloud-idp"
	OTCIdPID    = "fakecloud-otc-idp"
	// IDTokenValue is an OIDC ID token both identity providers accept,
	// byte for byte (a token file is trimmed by the SDK before it is
	// sent), for subject IDTokenSubject. It never expires.
	// ExpiredIDTokenValue expired before any clock a test uses.
	IDTokenValue        = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2VjbG91ZC1pZHAifQ.eyJzdWIiOiJmYWtlY2xvdWQtZmVkZXJhdGVkIn0.ZmFrZWNsb3VkLWlkcA"
	ExpiredIDTokenValue = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2VjbG91ZC1pZHAifQ.eyJleHAiOjEwMDAwMDAwMDB9.ZXhwaXJlZC1pZHA"
	IDTokenSubject      = "fakecloud-federated"
)

// IDToken is an OIDC ID token the identity providers accept. The emulator
// does not parse tokens: it compares them byte for byte.
type IDToken struct {
	Token string
	// Expires, when set, is when the token stops being accepted.
	Expires time.Time
	// Subject becomes the federated user's name; empty means
	// IDTokenSubject.
	Subject string
}

// HuaweiIssuedCredentials are temporary keys the Cloud handed out on
// Huawei Cloud or OTC: by IAM (securitytokens), the ECS metadata service or
// the CCE pod identity endpoint. DNS, Identity Center and IAM accept them,
// with their security token, until Expires and refuse them after. Every
// issue makes a new key.
//
// Its String, Format and LogValue show the operation, access key and times
// only, never the secret or the security token.
type HuaweiIssuedCredentials struct {
	Op       string // the operation that issued them
	Provider Provider
	// AccessKey is 20 upper-case letters and digits, as IAM's are.
	AccessKey, SecretKey, SecurityToken string
	// DomainID is the account they act in: the provider's own, or for an
	// agency's keys the delegating domain.
	DomainID        string
	Issued, Expires time.Time
}

func (ic HuaweiIssuedCredentials) redactedString() string {
	return "fakecloud.HuaweiIssuedCredentials{" + ic.Op + " " + ic.AccessKey + " expires " + ic.Expires.Format(time.RFC3339) + "}"
}

// String shows the operation, access key and expiry.
func (ic HuaweiIssuedCredentials) String() string { return ic.redactedString() }

// GoString is String.
func (ic HuaweiIssuedCredentials) GoString() string { return ic.redactedString() }

// Format writes String for every verb, so that no verb reaches the secret
// or the security token.
func (ic HuaweiIssuedCredentials) Format(f fmt.State, verb rune) {
	writeRedacted(f, verb, ic.redactedString())
}

// LogValue renders the credentials without their secret and token.
func (ic HuaweiIssuedCredentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("op", ic.Op), slog.String("access_key", ic.AccessKey),
		slog.Time("expires", ic.Expires))
}

// writeRedacted writes s, quoted for %q, whatever the verb.
func writeRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	f.Write([]byte(s))
}

// hwCredState is the Huawei and OTC credential state of a Cloud: the ID
// tokens the identity providers accept, the keys the Cloud issued, and the
// ECS metadata and pod identity settings. Cloud.mu guards it.
type hwCredState struct {
	idTokens map[string]IDToken
	keys     map[string]hwKey // issued temporary keys, by access key
	issued   []HuaweiIssuedCredentials

	metadata       ECSMetadataConfig
	metadataTokens map[string]time.Time // metadata session token → expiry
	pod            PodIdentityConfig
}

func newHWCredState() *hwCredState {
	st := &hwCredState{
		idTokens:       map[string]IDToken{},
		keys:           map[string]hwKey{},
		metadataTokens: map[string]time.Time{},
		pod:            PodIdentityConfig{Token: PodIdentityToken},
	}
	st.addIDToken(IDToken{Token: IDTokenValue})
	st.addIDToken(IDToken{Token: ExpiredIDTokenValue, Expires: time.Unix(1_000_000_000, 0).UTC()})
	return st
}

// AddIDToken makes both clouds' identity providers accept t.Token,
// replacing any ID token with the same value, until [Cloud.Reset].
func (c *Cloud) AddIDToken(t IDToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.hw.addIDToken(t)
}

func (st *hwCredState) addIDToken(t IDToken) {
	if t.Subject == "" {
		t.Subject = IDTokenSubject
	}
	st.idTokens[t.Token] = t
}

// IssuedHuaweiCredentials returns the temporary keys the Cloud issued on
// Huawei Cloud and OTC since New or Reset, oldest first.
func (c *Cloud) IssuedHuaweiCredentials() []HuaweiIssuedCredentials {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]HuaweiIssuedCredentials, len(c.st.hw.issued))
	copy(out, c.st.hw.issued)
	return out
}

// credentialTimeLayout is how IAM, the metadata service and the pod
// identity endpoint write the expiry of temporary keys, and IAM the times
// of a federated token: UTC with microseconds ("2020-01-08T03:50:07.574000Z"
// in the IAM API reference and in huaweicloud-sdk-go-v3 v0.1.207's
// metadata and pod identity tests). Issued expiries are truncated to it, so
// that client and emulator agree on them.
const credentialTimeLayout = "2006-01-02T15:04:05.000000Z"

// issueHuaweiKey makes a new temporary key of cloud p for op, acting in
// domain domainID ("" for the cloud's own account), valid from now for
// ttl. c.mu must be held.
func (st *state) issueHuaweiKey(op string, p Provider, domainID string, now time.Time, ttl time.Duration) HuaweiIssuedCredentials {
	ic := HuaweiIssuedCredentials{
		Op: op, Provider: p,
		AccessKey:     randomAlnum(20, upperAlnum),
		SecretKey:     randomAlnum(40, mixedAlnum),
		SecurityToken: "gQ" + base64.StdEncoding.EncodeToString(randomBytes(120)),
		DomainID:      domainID,
		Issued:        now,
		Expires:       now.Add(ttl).Truncate(time.Microsecond).UTC(),
	}
	if domainID == "" {
		ic.DomainID = accountOf(p).domainID
	}
	st.hw.keys[ic.AccessKey] = hwKey{
		provider: p, secret: ic.SecretKey, securityToken: ic.SecurityToken,
		domainID: domainID, expires: ic.Expires,
	}
	st.hw.issued = append(st.hw.issued, ic)
	return ic
}

// issueKey issues a key of k's cloud for k's operation, acting in domain
// domainID ("" for the cloud's own account), valid for ttl, or for def
// when ttl is zero or less.
func (c *Cloud) issueKey(k *call, domainID string, ttl, def time.Duration) HuaweiIssuedCredentials {
	if ttl <= 0 {
		ttl = def
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.issueHuaweiKey(k.op, k.provider, domainID, k.now, ttl)
}

// credentialJSON is the credential object of IAM's and the metadata
// service's answers: {"access","secret","securitytoken","expires_at"}
// (credentials.md §2.6).
func (ic HuaweiIssuedCredentials) credentialJSON() map[string]string {
	return map[string]string{
		"access": ic.AccessKey, "secret": ic.SecretKey, "securitytoken": ic.SecurityToken,
		"expires_at": ic.Expires.Format(credentialTimeLayout),
	}
}

const (
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	mixedAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// randomAlnum returns n random characters of alphabet.
func randomAlnum(n int, alphabet string) string {
	b := randomBytes(n)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (it crashes the program instead)
	return b
}

// flexSeconds is a count of seconds written as a JSON number or as a
// string holding one: IAM's examples show duration_seconds both ways
// ("900" in "Obtaining a Temporary Access Key and Security Token Through a
// Token", 900 in its older version).
type flexSeconds struct{ n int64 }

// UnmarshalJSON reads a number or a numeric string.
func (f *flexSeconds) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil {
		s = string(b)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("duration_seconds is not a whole number")
	}
	f.n = n
	return nil
}

// durationOf returns the lifetime f asks for, zero when f is absent; false
// when it is outside [MinTemporaryKeyDuration, MaxTemporaryKeyDuration].
func durationOf(f *flexSeconds) (time.Duration, bool) {
	if f == nil {
		return 0, true
	}
	if f.n < int64(MinTemporaryKeyDuration/time.Second) || f.n > int64(MaxTemporaryKeyDuration/time.Second) {
		return 0, false
	}
	return time.Duration(f.n) * time.Second, true
}
