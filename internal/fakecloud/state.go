package fakecloud

import (
	"slices"
	"strconv"
	"time"
)

// Seeded Route 53 Profiles data: one profile associated with two VPCs, both
// COMPLETE, owned by AWSAccountID.
const (
	R53ProfileID      = "rp-4987774726e0f1a2"
	R53VPCID          = "vpc-0af3b96b3e2c1d4f5"
	R53AssociationID  = "rpassoc-489ce212fb5e0c1d"
	R53VPCID2         = "vpc-07d1e2f3a4b5c6d78"
	R53AssociationID2 = "rpassoc-5a0df323ac6f1d2e"
)

// Seeded Customer Profiles data: one domain with two objects of type
// CPObjectTypeName on profile CPProfileID.
const (
	CPDomainName     = "fakecloud-domain"
	CPProfileID      = "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60"
	CPObjectTypeName = "CTR"
	CPObjectKey      = "MTIzNDU2Nzg5MA=="
	CPObjectKey2     = "MTIzNDU2Nzg5MQ=="
)

// Seeded Identity Center data: one instance ("ins-" and 16 hex digits, the
// documented length 20) with one application instance holding two profiles.
const (
	ICInstanceID            = "ins-2c1e4a7b9d0f3c6e"
	ICApplicationInstanceID = "app-ins-5f3a9c2e7b1d4f60"
	ICProfileID             = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	ICProfileID2            = "2f1b5a3c-9d8e-4c7b-a6f5-0e1d2c3b4a59"
)

// Seeded DNS data. Each cloud has, in its default project and region, a
// private zone associated with two VPCs and a zone associated with a single
// VPC, which cannot be disassociated (DNS.0706).
const (
	HuaweiZoneID       = "ff8080825b8fc86c015b94bc6f8712c3"
	HuaweiVPCID        = "4f0e3a2b-1c9d-4e8f-a7b6-5c4d3e2f1a09"
	HuaweiVPCID2       = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
	HuaweiSingleZoneID = "ff8080825b8fc86c015b94bc6f8712d4"
	HuaweiSingleVPCID  = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
	OTCZoneID          = "ff80808275f5fc0f017611ad77d2211b"
	OTCVPCID           = "7d6c5b4a-3e2f-4a1b-9c0d-8e7f6a5b4c3d"
	OTCVPCID2          = "1e2f3a4b-5c6d-4e7f-8a9b-0c1d2e3f4a5b"
	OTCSingleZoneID    = "ff80808275f5fc0f017611ad77d2212c"
	OTCSingleVPCID     = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"
)

// Router association statuses of a private zone (huawei.md §3).
const (
	RouterActive        = "ACTIVE"
	RouterPendingCreate = "PENDING_CREATE"
	RouterPendingDelete = "PENDING_DELETE"
	RouterError         = "ERROR"
)

// Router is a VPC associated with a private zone.
type Router struct {
	ID string
	// Region defaults to the cloud's default region (HuaweiRegion, OTCRegion).
	Region string
	// Status is one of the Router* constants; it defaults to RouterActive.
	Status string
}

// state is everything requests can change. Cloud.mu guards it.
type state struct {
	assocs  map[assocKey]*profileAssociation
	cpObjs  map[string]map[cpObjectKey]bool // domain → objects
	ic      map[string]map[string]map[string]bool
	zones   map[Provider]map[string]*zone
	hw      *hwCredState // ID tokens, issued keys and the metadata settings (huawei_issue.go)
	tokens  map[string]token
	nextSeq int

	// The credential hosts (hosts_seed.go).
	roles         map[string]Role
	webIdentities map[string]WebIdentity
	issuedKeys    map[string]awsKey // temporary keys the hosts issued
	issued        []IssuedCredentials
	sso           ssoState
	imds          IMDSConfig
	imdsTokens    map[string]time.Time // IMDSv2 token → expiry
	container     ContainerConfig
}

type assocKey struct{ profileID, resourceID string }

type profileAssociation struct {
	id, name, ownerID, status, statusMessage string
	created, modified                        time.Time
	deleteReads                              int // reads seen while DELETING
}

type cpObjectKey struct{ objectType, profileID, uniqueKey string }

type zone struct {
	projectID string
	routers   []Router
	dns       zoneDNS // status, times and pending reads (dns_zone.go)
}

// token is an IAM token the Cloud issued.
type token struct {
	provider  Provider
	project   project // the project of a project-scoped token; zero otherwise
	issued    time.Time
	expiresAt time.Time

	// acct is the domain the token acts in: the user's, or for an agency
	// token the delegating domain. A zero acct means the provider's own.
	acct    account
	scope   tokenScope
	methods []string // nil: password
	user    tokenUser
}

func seed(now time.Time) *state {
	st := &state{
		assocs: map[assocKey]*profileAssociation{},
		cpObjs: map[string]map[cpObjectKey]bool{},
		ic:     map[string]map[string]map[string]bool{},
		zones:  map[Provider]map[string]*zone{Huawei: {}, OTC: {}},
		tokens: map[string]token{},
		hw:     newHWCredState(),
	}
	created := now.Add(-72 * time.Hour).Truncate(time.Millisecond)
	st.addAssociation(R53AssociationID, R53ProfileID, R53VPCID, created)
	st.addAssociation(R53AssociationID2, R53ProfileID, R53VPCID2, created)
	st.addProfileObject(CPDomainName, CPObjectTypeName, CPProfileID, CPObjectKey)
	st.addProfileObject(CPDomainName, CPObjectTypeName, CPProfileID, CPObjectKey2)
	st.addApplicationProfile(ICInstanceID, ICApplicationInstanceID, ICProfileID)
	st.addApplicationProfile(ICInstanceID, ICApplicationInstanceID, ICProfileID2)
	st.seedAgencyZones()
	st.addZone(Huawei, HuaweiZoneID, []Router{{ID: HuaweiVPCID}, {ID: HuaweiVPCID2}})
	st.addZone(Huawei, HuaweiSingleZoneID, []Router{{ID: HuaweiSingleVPCID}})
	st.addZone(OTC, OTCZoneID, []Router{{ID: OTCVPCID}, {ID: OTCVPCID2}})
	st.addZone(OTC, OTCSingleZoneID, []Router{{ID: OTCSingleVPCID}})
	st.seedHosts(now)
	return st
}

func (st *state) addAssociation(id, profileID, resourceID string, created time.Time) {
	st.nextSeq++
	st.assocs[assocKey{profileID, resourceID}] = &profileAssociation{
		id: id, name: "fakecloud-association-" + strconv.Itoa(st.nextSeq), ownerID: AWSAccountID,
		status: "COMPLETE", statusMessage: "Created Profile Association",
		created: created, modified: created,
	}
}

func (st *state) addProfileObject(domain, objectType, profileID, uniqueKey string) {
	objs := st.cpObjs[domain]
	if objs == nil {
		objs = map[cpObjectKey]bool{}
		st.cpObjs[domain] = objs
	}
	objs[cpObjectKey{objectType, profileID, uniqueKey}] = true
}

func (st *state) addApplicationProfile(instanceID, appInstanceID, profileID string) {
	apps := st.ic[instanceID]
	if apps == nil {
		apps = map[string]map[string]bool{}
		st.ic[instanceID] = apps
	}
	profiles := apps[appInstanceID]
	if profiles == nil {
		profiles = map[string]bool{}
		apps[appInstanceID] = profiles
	}
	profiles[profileID] = true
}

func (st *state) addZone(p Provider, zoneID string, routers []Router) {
	st.addZoneIn(p, accountOf(p).defaultProject(), zoneID, routers)
}

// addZoneIn creates private zone zoneID in project proj of cloud p.
func (st *state) addZoneIn(p Provider, proj project, zoneID string, routers []Router) {
	rs := make([]Router, len(routers))
	for i, r := range routers {
		if r.Region == "" {
			r.Region = proj.name
		}
		if r.Status == "" {
			r.Status = RouterActive
		}
		rs[i] = r
	}
	if st.zones[p] == nil {
		st.zones[p] = map[string]*zone{}
	}
	st.zones[p][zoneID] = &zone{projectID: proj.id, routers: rs}
}

// AddProfileAssociation associates Route 53 profile profileID with resource
// resourceID (status COMPLETE, owner AWSAccountID), replacing any existing
// association of the pair, and returns the new association's ID.
func (c *Cloud) AddProfileAssociation(profileID, resourceID string) string {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	id := "rpassoc-" + newHex32()[:16]
	c.st.addAssociation(id, profileID, resourceID, now)
	return id
}

// ProfileAssociation reports whether profile profileID is associated with
// resource resourceID and, if so, the association's status: COMPLETE, or
// DELETING once disassociated, until reads through the API remove it (see
// [WithProfileDeletionReads]); from then on there is no association. It is
// not itself a read: calling it changes nothing.
func (c *Cloud) ProfileAssociation(profileID, resourceID string) (ok bool, status string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.st.assocs[assocKey{profileID, resourceID}]
	if a == nil {
		return false, ""
	}
	return true, a.status
}

// AddProfileObject adds a Customer Profiles object to domain (creating the
// domain if needed).
func (c *Cloud) AddProfileObject(domain, objectType, profileID, uniqueKey string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.addProfileObject(domain, objectType, profileID, uniqueKey)
}

// ProfileObject reports whether the Customer Profiles object exists.
func (c *Cloud) ProfileObject(domain, objectType, profileID, uniqueKey string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.cpObjs[domain][cpObjectKey{objectType, profileID, uniqueKey}]
}

// AddApplicationProfile adds an Identity Center profile to an application
// instance, creating the instance and application instance if needed.
func (c *Cloud) AddApplicationProfile(instanceID, appInstanceID, profileID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.addApplicationProfile(instanceID, appInstanceID, profileID)
}

// ApplicationProfile reports whether the Identity Center profile exists.
func (c *Cloud) ApplicationProfile(instanceID, appInstanceID, profileID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.ic[instanceID][appInstanceID][profileID]
}

// AddZone creates (or replaces) private zone zoneID in cloud p's default
// project, associated with routers. Zone IDs the DNS API would call invalid
// (see DNS.0301 in the disassociaterouter handler) cannot be reached.
func (c *Cloud) AddZone(p Provider, zoneID string, routers ...Router) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st.addZone(p, zoneID, routers)
}

// Zone returns a copy of the routers of cloud p's zone zoneID, with their
// statuses, and whether the zone exists.
func (c *Cloud) Zone(p Provider, zoneID string) ([]Router, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	z := c.st.zones[p][zoneID]
	if z == nil {
		return nil, false
	}
	return slices.Clone(z.routers), true
}
