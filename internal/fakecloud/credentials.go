package fakecloud

import "time"

// The credentials below are fake and known to every Cloud. They are exported
// so tests and examples/tour can sign requests the emulator accepts.

// AWS account and keys. Signatures are checked with SigV4 for the signing
// name of each service and the region given by [WithAWSRegion].
const (
	// AWSAccountID owns the seeded Route 53 Profiles associations.
	AWSAccountID = "123456789012"
	// AWSAccessKeyID and AWSSecretKey are a long-term key with every permission.
	AWSAccessKeyID = "AKIDFAKECLOUD"
	AWSSecretKey   = "fakecloud/wJalrXUtnFEMI/K7MDENG+bPxRfiCYKEY"
	// AWSTempAccessKeyID and AWSTempSecretKey are temporary credentials: the
	// request must carry AWSSessionToken in X-Amz-Security-Token.
	AWSTempAccessKeyID = "ASIAFAKECLOUD"
	AWSTempSecretKey   = "fakecloud/temporary/secret/key/EXAMPLEKEY"
	AWSSessionToken    = "fakecloud-aws-session-token"
	// AWSDeniedAccessKeyID and AWSDeniedSecretKey sign correctly but have no
	// permission: every operation answers AccessDeniedException.
	AWSDeniedAccessKeyID = "AKIDFAKECLOUDDENIED"
	AWSDeniedSecretKey   = "fakecloud/denied/secret/key/EXAMPLEKEY"
)

// Huawei Cloud account. The AK/SK pairs are accepted by Identity Center, DNS
// and the IAM lookups of the Huawei services only.
const (
	// HuaweiDomainID and HuaweiDomainName are the account (domain) that owns
	// the keys and projects; Identity Center requires the ID in X-Domain-Id.
	HuaweiDomainID   = "0c5b9a2f6e4d4b8a9f1e2d3c4b5a6978"
	HuaweiDomainName = "fakecloud-account"
	// HuaweiUserID, HuaweiUserName and HuaweiPassword log in to IAM
	// (POST /v3/auth/tokens) with HuaweiDomainName.
	HuaweiUserID   = "5d8e3f1a2b4c4d6e8f0a1b2c3d4e5f60"
	HuaweiUserName = "fakecloud-user"
	HuaweiPassword = "fakecloud-password"
	// HuaweiAK and HuaweiSK are a permanent key with every permission.
	HuaweiAK = "HWFAKECLOUDAK0000001"
	HuaweiSK = "hwfakecloudSecretKey0000000000000000001"
	// HuaweiTempAK and HuaweiTempSK are a temporary key: the request must
	// carry HuaweiSecurityToken in X-Security-Token.
	HuaweiTempAK        = "HWFAKECLOUDTEMP00001"
	HuaweiTempSK        = "hwfakecloudTemporarySecretKey0000000001"
	HuaweiSecurityToken = "fakecloud-huawei-security-token"
	// HuaweiNoPermAK and HuaweiNoPermSK sign correctly but lack permission:
	// Identity Center answers 403 with encoded_authorization_message and DNS
	// answers 403 DNS.1802.
	HuaweiNoPermAK = "HWFAKECLOUDNOPERM001"
	HuaweiNoPermSK = "hwfakecloudNoPermissionSecretKey0000001"
	// HuaweiRegion is the default region; HuaweiProjectID is its project.
	HuaweiRegion    = "cn-north-4"
	HuaweiProjectID = "0a1b2c3d4e5f40718293a4b5c6d7e8f9"
	// HuaweiRegion2 and HuaweiProjectID2 are a second region and project of
	// the same account, with no zones.
	HuaweiRegion2    = "ap-southeast-1"
	HuaweiProjectID2 = "1b2c3d4e5f6a40718293a4b5c6d7e8f0"
)

// Open Telekom Cloud account, separate from the Huawei one: OTC keys and
// tokens are refused by the Huawei services and the other way round.
const (
	// OTCDomainID and OTCDomainName are the OTC account (domain).
	OTCDomainID   = "9f8e7d6c5b4a4f3e8d2c1b0a99887766"
	OTCDomainName = "OTC00000000001000099999"
	// OTCUserID, OTCUserName and OTCPassword log in to the OTC IAM with
	// OTCDomainName.
	OTCUserID   = "6e9f4a2b3c5d4e7f9a1b2c3d4e5f6071"
	OTCUserName = "fakecloud-otc-user"
	OTCPassword = "fakecloud-otc-password"
	// OTCAK and OTCSK are a permanent key with every permission.
	OTCAK = "OTCFAKECLOUDAK000001"
	OTCSK = "otcfakecloudSecretKey000000000000000001"
	// OTCRegion is the default region; OTCProjectID is its project.
	OTCRegion    = "eu-de"
	OTCProjectID = "2c3d4e5f6a7b40718293a4b5c6d7e8f1"
	// OTCRegion2 and OTCProjectID2 are a second region and project.
	OTCRegion2    = "eu-nl"
	OTCProjectID2 = "3d4e5f6a7b8c40718293a4b5c6d7e8f2"
)

// ProjectID returns the project of region in provider p's account, as IAM's
// GET /v3/projects?name=<region> reports it.
func ProjectID(p Provider, region string) (string, bool) {
	if p != Huawei && p != OTC {
		return "", false
	}
	for _, pr := range accountOf(p).projects {
		if pr.name == region {
			return pr.id, true
		}
	}
	return "", false
}

// account is the fixed identity data of one Huawei-style cloud.
type account struct {
	provider                   Provider
	domainID, domainName       string
	userID, userName, password string
	projects                   []project // projects[0] is the default region
}

type project struct{ id, name string }

func (a account) defaultProject() project { return a.projects[0] }

func (a account) projectByID(id string) (project, bool) {
	for _, p := range a.projects {
		if p.id == id {
			return p, true
		}
	}
	return project{}, false
}

func (a account) projectByName(name string) (project, bool) {
	for _, p := range a.projects {
		if p.name == name {
			return p, true
		}
	}
	return project{}, false
}

// accountOf returns the account of p, built on each call so that no table is
// package-level mutable state. Unknown providers get the Huawei account.
func accountOf(p Provider) account {
	if p == OTC {
		return account{
			provider: OTC, domainID: OTCDomainID, domainName: OTCDomainName,
			userID: OTCUserID, userName: OTCUserName, password: OTCPassword,
			projects: []project{{OTCProjectID, OTCRegion}, {OTCProjectID2, OTCRegion2}},
		}
	}
	return account{
		provider: Huawei, domainID: HuaweiDomainID, domainName: HuaweiDomainName,
		userID: HuaweiUserID, userName: HuaweiUserName, password: HuaweiPassword,
		projects: []project{{HuaweiProjectID, HuaweiRegion}, {HuaweiProjectID2, HuaweiRegion2}},
	}
}

// awsKey is one AWS access key the emulator knows.
type awsKey struct {
	secret       string
	sessionToken string // required in X-Amz-Security-Token when set
	denied       bool   // authenticates, but every operation is denied

	// Set for the keys the credential hosts issue (aws_issue.go).
	arn         string    // the principal, for STS's AccessDenied messages; "" means awsUserARN
	expires     time.Time // zero: never; from then on ExpiredTokenException
	roleSession bool      // an assumed role: STS limits role chaining to 1 hour
}

// awsUserARN is the IAM user that owns the long-term and the temporary key.
const awsUserARN = "arn:aws:iam::" + AWSAccountID + ":user/fakecloud"

// principal is the ARN STS names the key's owner by.
func (k awsKey) principal() string {
	switch {
	case k.arn != "":
		return k.arn
	case k.denied:
		return "arn:aws:iam::" + AWSAccountID + ":user/fakecloud-denied"
	}
	return awsUserARN
}

// hwKey is one Huawei or OTC access key the emulator knows.
type hwKey struct {
	provider      Provider
	secret        string
	securityToken string // required in X-Security-Token when set
	noPermission  bool

	// Set for the temporary keys the Cloud issues (huawei_issue.go).
	domainID string    // the owner's domain; "" is the provider's own account
	expires  time.Time // zero: never
}

func awsKeys() map[string]awsKey {
	return map[string]awsKey{
		AWSAccessKeyID:       {secret: AWSSecretKey},
		AWSTempAccessKeyID:   {secret: AWSTempSecretKey, sessionToken: AWSSessionToken},
		AWSDeniedAccessKeyID: {secret: AWSDeniedSecretKey, denied: true},
	}
}

func hwKeys() map[string]hwKey {
	return map[string]hwKey{
		HuaweiAK:       {provider: Huawei, secret: HuaweiSK},
		HuaweiTempAK:   {provider: Huawei, secret: HuaweiTempSK, securityToken: HuaweiSecurityToken},
		HuaweiNoPermAK: {provider: Huawei, secret: HuaweiNoPermSK, noPermission: true},
		OTCAK:          {provider: OTC, secret: OTCSK},
	}
}
