package fakecloud

import "time"

// Seeded identities of the credential hosts. Like the keys in
// credentials.go they are fake; a new or Reset Cloud knows them.
const (
	// AWSRoleARN is a role any known key may assume (AssumeRole) and any
	// known web identity token may assume (AssumeRoleWithWebIdentity), for
	// up to 12 hours.
	AWSRoleARN = "arn:aws:iam::" + AWSAccountID + ":role/fakecloud-role"
	// AWSExternalIDRoleARN demands ExternalId AWSRoleExternalID; its
	// sessions last at most 1 hour, IAM's default.
	AWSExternalIDRoleARN = "arn:aws:iam::" + AWSAccountID + ":role/fakecloud-external-id-role"
	AWSRoleExternalID    = "fakecloud-external-id"
	// AWSWebIdentityToken is accepted by AssumeRoleWithWebIdentity, byte
	// for byte (a token file ending in a newline does not match it). It
	// never expires. AWSExpiredWebIdentityToken expired before any clock a
	// test uses and gets ExpiredTokenException.
	AWSWebIdentityToken        = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2VjbG91ZCJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpmYWtlY2xvdWQifQ.ZmFrZWNsb3Vk"
	AWSExpiredWebIdentityToken = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImZha2VjbG91ZCJ9.eyJleHAiOjEwMDAwMDAwMDB9.ZXhwaXJlZA"

	// SSOAccountID and SSORoleName are the account and permission set the
	// SSO portal gives credentials for.
	SSOAccountID = AWSAccountID
	SSORoleName  = "FakecloudAdministrator"
	// SSOAccessToken is valid at the portal for SSOAccessTokenLifetime after
	// New or Reset (the AWS CLI's cache holds it as accessToken).
	SSOAccessToken         = "fakecloud-sso-access-token"
	SSOAccessTokenLifetime = 8 * time.Hour
	// SSOClientID and SSOClientSecret are a client registered with SSO
	// OIDC; SSORefreshToken is a refresh token issued to it. A refresh
	// token is used up by the CreateToken call that uses it.
	SSOClientID     = "fakecloud-sso-client-id"
	SSOClientSecret = "fakecloud-sso-client-secret"
	SSORefreshToken = "fakecloud-sso-refresh-token"
	// SSOStartURL and SSORegion are what a profile's sso-session names; the
	// emulator does not check them (the portal URL stands for every region).
	SSOStartURL = "https://fakecloud.awsapps.com/start"
	SSORegion   = "us-east-1"

	// IMDSRoleName is the instance profile role the metadata service lists.
	IMDSRoleName = "fakecloud-instance-role"

	// ContainerPath and ContainerAuthToken are where the container endpoint
	// serves credentials and the Authorization value it demands (the EKS
	// Pod Identity path; ECS uses a per-task path, see SetContainer).
	ContainerPath      = "/v1/credentials"
	ContainerAuthToken = "fakecloud-container-authorization-token"
)

// Default lifetimes of the credentials and tokens the hosts issue.
const (
	// DefaultAssumeRoleDuration is what STS grants when DurationSeconds is
	// not sent: 1 hour.
	DefaultAssumeRoleDuration = time.Hour
	// DefaultSSOOIDCTokenLifetime is the expiresIn of SSO OIDC access tokens.
	DefaultSSOOIDCTokenLifetime = time.Hour
	// DefaultSSORoleCredentialLifetime is the lifetime of portal role
	// credentials (a permission set's default session duration).
	DefaultSSORoleCredentialLifetime = time.Hour
	// DefaultIMDSCredentialLifetime and DefaultContainerCredentialLifetime
	// are 6 hours, what EC2 and ECS hand out.
	DefaultIMDSCredentialLifetime      = 6 * time.Hour
	DefaultContainerCredentialLifetime = 6 * time.Hour
)

// seedHosts adds the credential hosts' seed data to st.
func (st *state) seedHosts(now time.Time) {
	st.roles = map[string]Role{}
	st.webIdentities = map[string]WebIdentity{}
	st.issuedKeys = map[string]awsKey{}
	st.issued = nil
	st.addRole(Role{ARN: AWSRoleARN, MaxSessionDuration: 12 * time.Hour})
	st.addRole(Role{ARN: AWSExternalIDRoleARN, ExternalID: AWSRoleExternalID})
	st.addWebIdentity(WebIdentity{Token: AWSWebIdentityToken})
	st.addWebIdentity(WebIdentity{Token: AWSExpiredWebIdentityToken, Expires: time.Unix(1_000_000_000, 0).UTC()})

	st.sso = ssoState{
		accessTokens:  map[string]time.Time{SSOAccessToken: now.Add(SSOAccessTokenLifetime)},
		roles:         map[ssoRoleKey]bool{{SSOAccountID, SSORoleName}: true},
		clients:       map[string]SSOClient{SSOClientID: {ID: SSOClientID, Secret: SSOClientSecret}},
		refreshTokens: map[string]string{SSORefreshToken: SSOClientID},
	}

	st.imds = IMDSConfig{Role: IMDSRoleName}
	st.imdsTokens = map[string]time.Time{}
	st.container = ContainerConfig{Path: ContainerPath, Token: ContainerAuthToken, AccountID: AWSAccountID}
}
