package fakecloud

import "time"

// Each cloud has a second account, the delegating domain, which trusts the
// first one through an agency: a caller of the first account assumes the
// agency (IAM's assume_role) and gets a token or temporary keys that act in
// the delegating domain's project. Like the rest of credentials.go these
// identities are fake.
const (
	// HuaweiAgencyDomainID and HuaweiAgencyDomainName are the delegating
	// domain on Huawei Cloud; HuaweiAgencyName is its agency, which trusts
	// HuaweiDomainID. HuaweiAgencyProjectID is its project in HuaweiRegion.
	HuaweiAgencyDomainID   = "4a3b2c1d0e9f4a8b7c6d5e4f3a2b1c0d"
	HuaweiAgencyDomainName = "fakecloud-delegating"
	HuaweiAgencyName       = "fakecloud-agency"
	HuaweiAgencyProjectID  = "4d5e6f7a8b9c40718293a4b5c6d7e8f3"
	// HuaweiAgencyZoneID is a private zone of the delegating project,
	// associated with HuaweiAgencyVPCID and HuaweiAgencyVPCID2.
	HuaweiAgencyZoneID = "ff8080825b8fc86c015b94bc6f8712e5"
	HuaweiAgencyVPCID  = "6c5d4e3f-2a1b-4c0d-9e8f-7a6b5c4d3e2f"
	HuaweiAgencyVPCID2 = "8e7f6a5b-4c3d-4e2f-8a1b-0c9d8e7f6a5b"

	// OTCAgencyDomainID and OTCAgencyDomainName are the delegating domain
	// on OTC; OTCAgencyName is its agency, which trusts OTCDomainID.
	// OTCAgencyProjectID is its project in OTCRegion.
	OTCAgencyDomainID   = "5b4c3d2e1f0a4b9c8d7e6f5a4b3c2d1e"
	OTCAgencyDomainName = "OTC00000000001000088888"
	OTCAgencyName       = "fakecloud-otc-agency"
	OTCAgencyProjectID  = "5e6f7a8b9c0d40718293a4b5c6d7e8f4"
	// OTCAgencyZoneID is a private zone of the delegating project,
	// associated with OTCAgencyVPCID and OTCAgencyVPCID2.
	OTCAgencyZoneID = "ff80808275f5fc0f017611ad77d2213d"
	OTCAgencyVPCID  = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
	OTCAgencyVPCID2 = "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f"
)

// The lifetimes IAM grants temporary keys (POST
// /v3.0/OS-CREDENTIAL/securitytokens, both methods): 15 minutes unless
// duration_seconds says otherwise, which may ask for 15 minutes to 24 hours
// (Huawei IAM API reference, "Obtaining a Temporary Access Key and Security
// Token Through a Token").
const (
	DefaultTemporaryKeyDuration = 15 * time.Minute
	MinTemporaryKeyDuration     = 15 * time.Minute
	MaxTemporaryKeyDuration     = 24 * time.Hour
)

// delegatingAccountOf returns the delegating domain of cloud p. It has no
// IAM user of its own: only the agency reaches it.
func delegatingAccountOf(p Provider) account {
	if p == OTC {
		return account{
			provider: OTC, domainID: OTCAgencyDomainID, domainName: OTCAgencyDomainName,
			projects: []project{{OTCAgencyProjectID, OTCRegion}},
		}
	}
	return account{
		provider: Huawei, domainID: HuaweiAgencyDomainID, domainName: HuaweiAgencyDomainName,
		projects: []project{{HuaweiAgencyProjectID, HuaweiRegion}},
	}
}

// agencyNameOf returns the name of the agency of cloud p's delegating domain.
func agencyNameOf(p Provider) string {
	if p == OTC {
		return OTCAgencyName
	}
	return HuaweiAgencyName
}

// accountByDomainID returns the account of cloud p with domain ID id: the
// cloud's own ("" also means it) or its delegating domain.
func accountByDomainID(p Provider, id string) (account, bool) {
	for _, a := range []account{accountOf(p), delegatingAccountOf(p)} {
		if id == "" && a.domainID == accountOf(p).domainID || id != "" && a.domainID == id {
			return a, true
		}
	}
	return accountOf(p), false
}

// accountByDomain finds an account of cloud p by domain ID, else by name.
func accountByDomain(p Provider, d idOrName) (account, bool) {
	for _, a := range []account{accountOf(p), delegatingAccountOf(p)} {
		if d.ID != "" && d.ID == a.domainID || d.ID == "" && d.Name != "" && d.Name == a.domainName {
			return a, true
		}
	}
	return account{}, false
}

// assumeRoleRequest is the assume_role object of both IAM calls that take
// it: POST /v3/auth/tokens and POST /v3.0/OS-CREDENTIAL/securitytokens.
// Huawei's models name the agency agency_name (huaweicloud-sdk-go-v3
// v0.1.207, services/iam/v3/model AgencyTokenAssumerole and
// IdentityAssumerole); gophertelekomcloud sends xrole_name to
// /v3/auth/tokens (v0.9.8, auth_options.go AgencyAuthOptions) and
// agency_name to securitytokens. The emulator accepts either name on both
// clouds.
type assumeRoleRequest struct {
	DomainID        string       `json:"domain_id"`
	DomainName      string       `json:"domain_name"`
	AgencyName      string       `json:"agency_name"`
	XRoleName       string       `json:"xrole_name"`
	DurationSeconds *flexSeconds `json:"duration_seconds"`
}

func (a assumeRoleRequest) agency() string {
	if a.AgencyName != "" {
		return a.AgencyName
	}
	return a.XRoleName
}

// agencyRefusal says why caller may not assume the agency a names.
type agencyRefusal int

const (
	agencyOK           agencyRefusal = iota
	agencyBadRequest                 // no agency name, or no domain
	agencyNotFound                   // no such domain or agency
	agencyNotTrusted                 // the caller is not of the trusted domain
	agencyInvalidField               // duration_seconds out of range or not a number
)

// assume checks that caller, of cloud p, may assume the agency a names and
// returns the delegating domain and the lifetime asked for (zero when
// duration_seconds is absent).
func assume(p Provider, caller account, a assumeRoleRequest) (account, time.Duration, agencyRefusal) {
	if a.agency() == "" || a.DomainID == "" && a.DomainName == "" {
		return account{}, 0, agencyBadRequest
	}
	d, ok := durationOf(a.DurationSeconds)
	if !ok {
		return account{}, 0, agencyInvalidField
	}
	target, ok := accountByDomain(p, idOrName{ID: a.DomainID, Name: a.DomainName})
	if !ok || target.domainID != delegatingAccountOf(p).domainID || a.agency() != agencyNameOf(p) {
		return account{}, 0, agencyNotFound
	}
	if caller.domainID != accountOf(p).domainID {
		return account{}, 0, agencyNotTrusted
	}
	return target, d, agencyOK
}

// seedAgencyZones creates the private zones of the delegating domains.
func (st *state) seedAgencyZones() {
	for _, z := range []struct {
		p          Provider
		id, r1, r2 string
	}{
		{Huawei, HuaweiAgencyZoneID, HuaweiAgencyVPCID, HuaweiAgencyVPCID2},
		{OTC, OTCAgencyZoneID, OTCAgencyVPCID, OTCAgencyVPCID2},
	} {
		st.addZoneIn(z.p, delegatingAccountOf(z.p).defaultProject(), z.id, []Router{{ID: z.r1}, {ID: z.r2}})
	}
}
