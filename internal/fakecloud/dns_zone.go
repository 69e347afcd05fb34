package fakecloud

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// The DNS read and associate operations, counted by [Cloud.Requests] and
// targeted by [Cloud.Inject] and [Cloud.LimitRate] like the others. Huawei
// and OTC share them.
const (
	OpShowPrivateZone = "ShowPrivateZone" // Huawei and OTC DNS, GET /v2/zones/{zone_id}
	OpAssociateRouter = "AssociateRouter" // Huawei and OTC DNS
)

// UnknownVPCID is a VPC ID the emulator's VPC service does not know:
// associating it answers 404 DNS.0711.
const UnknownVPCID = "00000000-0000-4000-8000-00000000dead"

// DefaultRouterTransitionReads is how many reads of a zone see a router
// association PENDING_DELETE or PENDING_CREATE before it completes, unless
// [WithRouterTransitionReads] says otherwise.
const DefaultRouterTransitionReads = 2

// WithRouterTransitionReads sets how many reads of a zone (GET
// /v2/zones/{zone_id}) see a router association in PENDING_DELETE or
// PENDING_CREATE; the read after them finds the change complete: a
// PENDING_DELETE router is gone from routers[], a PENDING_CREATE one is
// ACTIVE. Zero means the first read already finds it complete; a negative n
// keeps the default, [DefaultRouterTransitionReads].
//
// Changes advance on reads rather than on time so that a test decides
// exactly when they happen, and tests that never read keep seeing the
// pending state, as [Cloud.Zone] (which is not a read) reports it.
func WithRouterTransitionReads(n int) Option {
	return func(c *Cloud) {
		if n >= 0 {
			c.dnsTransitionReads = &n
		}
	}
}

func (c *Cloud) routerTransitionReads() int {
	if c.dnsTransitionReads == nil {
		return DefaultRouterTransitionReads
	}
	return *c.dnsTransitionReads
}

// Zone statuses of a private zone, as ShowPrivateZone reports them
// (huaweicloud-sdk-go-v3 ShowPrivateZoneResponse). A new zone is
// ZoneActive; [Cloud.SetZoneStatus] changes it.
const (
	ZoneActive        = "ACTIVE"
	ZonePendingUpdate = "PENDING_UPDATE"
	ZoneDisabled      = "DISABLE"
	ZoneFrozen        = "FREEZE"
	ZoneError         = "ERROR"
)

// zoneDNS is what the DNS API knows of a zone beyond its routers.
type zoneDNS struct {
	status           string // "" is ZoneActive
	created, updated time.Time
	// reads counts, per router in a PENDING_* state, the reads that have
	// seen it so; no entry is zero.
	reads map[routerKey]int
}

type routerKey struct{ id, region string }

// touch records a change of z at now; the first touch also stamps the
// creation time (the emulator stamps a zone when the API first reads or
// changes it).
func (z *zone) touch(now time.Time, changed bool) {
	if z.dns.created.IsZero() {
		z.dns.created, z.dns.updated = now, now
	}
	if changed {
		z.dns.updated = now
	}
}

// restart starts the pending count of router r anew.
func (z *zone) restart(r Router) { delete(z.dns.reads, routerKey{r.ID, r.Region}) }

// advance is one read of z at now: every PENDING_* router that the
// configured number of reads has seen completes, the others count this
// read. c.mu must be held.
func (c *Cloud) advance(z *zone, now time.Time) {
	n := c.routerTransitionReads()
	changed := false
	kept := z.routers[:0]
	for _, r := range z.routers {
		if r.Status != RouterPendingDelete && r.Status != RouterPendingCreate {
			kept = append(kept, r)
			continue
		}
		key := routerKey{r.ID, r.Region}
		if z.dns.reads[key] < n {
			if z.dns.reads == nil {
				z.dns.reads = map[routerKey]int{}
			}
			z.dns.reads[key]++
			kept = append(kept, r)
			continue
		}
		delete(z.dns.reads, key)
		changed = true
		if r.Status == RouterPendingCreate {
			r.Status = RouterActive
			kept = append(kept, r)
		}
	}
	clear(z.routers[len(kept):])
	z.routers = kept
	z.touch(now, changed)
}

// zoneStatusCode is the DNS error a zone in z's status answers to a change
// of its routers, or "".
func (z *zone) zoneStatusCode() string {
	switch z.dns.status {
	case "", ZoneActive:
		return ""
	case ZoneDisabled, ZoneFrozen, "PENDING_DISABLE", "PENDING_FREEZE", "ILLEGAL", "POLICE":
		return "DNS.0213"
	}
	return "DNS.0209"
}

// dnsCall authenticates a DNS request and returns the project it acts on:
// the token's project (a token with none is 401 APIGW.0301), or with AK/SK
// the project named by X-Project-Id, which must be one of the key's
// account's (a missing one is 401 APIGW.0301, a foreign one 403 APIGW.0310
// "The project is unavailable."). A key without
// permission gets 403 DNS.1802 naming action. On failure it has answered
// and returns false.
func (c *Cloud) dnsCall(k *call, action string) (project, bool) {
	caller, ok := c.huaweiAuth(k, true)
	if !ok {
		return project{}, false
	}
	proj := caller.tokenProject
	if caller.byToken && proj.id == "" {
		// A domain-scoped token (the wording is the emulator's).
		k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+"a project-scoped token is required for a project-level service")
		return project{}, false
	}
	if !caller.byToken {
		pid := k.r.Header.Get("X-Project-Id")
		if pid == "" {
			k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+"X-Project-Id is required with AK/SK for a project-level service")
			return project{}, false
		}
		if proj, ok = caller.acct.projectByID(pid); !ok {
			k.apigwError(http.StatusForbidden, "APIGW.0310", "The project is unavailable.")
			return project{}, false
		}
	}
	if caller.key.noPermission {
		k.dnsError(http.StatusForbidden, "DNS.1802", "Policy doesn't allow "+action+" to be performed.")
		return project{}, false
	}
	return proj, true
}

// zoneArg decodes and checks the zone_id path segment; on failure it has
// answered 400 DNS.0301.
func (k *call) zoneArg() (string, bool) {
	zoneID, ok := k.arg(0)
	if !ok || !validZoneID(zoneID) {
		k.dnsError(http.StatusBadRequest, "DNS.0301", "Invalid zone ID.")
		return "", false
	}
	return zoneID, true
}

// routerArg decodes the body {"router":{"router_id":...,"router_region":...}}
// of associaterouter and disassociaterouter; router_region defaults to the
// project's region. On failure it has answered 400 DNS.0002.
func (k *call) routerArg(proj project) (Router, bool) {
	var in struct {
		Router *struct {
			RouterID     string `json:"router_id"`
			RouterRegion string `json:"router_region"`
		} `json:"router"`
	}
	if err := json.Unmarshal(k.body, &in); err != nil || in.Router == nil || in.Router.RouterID == "" {
		k.dnsError(http.StatusBadRequest, "DNS.0002", "Invalid request.")
		return Router{}, false
	}
	r := Router{ID: in.Router.RouterID, Region: in.Router.RouterRegion}
	if r.Region == "" {
		r.Region = proj.name
	}
	return r, true
}

// dnsErrors are the statuses and messages of the DNS codes the emulator
// answers (dns-error-codes.txt; where the table gives several statuses, the
// emulator's choice is the first, except DNS.0209, which is 409, the
// status of a conflict that passes).
var dnsErrors = map[string]struct {
	status int
	msg    string
}{
	"DNS.0209": {http.StatusConflict, "The zone is not in the Normal state."},
	"DNS.0212": {http.StatusBadRequest, "This VPC has already been associated with the zone."},
	"DNS.0213": {http.StatusBadRequest, "The zone is disabled."},
	"DNS.0302": {http.StatusNotFound, "This zone does not exist."},
	"DNS.0704": {http.StatusBadRequest, "The VPC is not in a steady state."},
	"DNS.0706": {http.StatusForbidden, "You are not allowed to disassociate this VPC because this is the last VPC associated with this zone."},
	"DNS.0707": {http.StatusBadRequest, "The VPC is not associated with the zone."},
	"DNS.0708": {http.StatusBadRequest, "This VPC cannot be disassociated because it is being associated with the zone."},
	"DNS.0709": {http.StatusForbidden, "This VPC cannot be disassociated because this is the only normal VPC associated with this zone."},
	"DNS.0710": {http.StatusInternalServerError, "Invalid VPC URL configuration."},
	"DNS.0711": {http.StatusNotFound, "This VPC could not be found."},
}

// answerCode answers with the DNS error code, from dnsErrors.
func (k *call) answerCode(code string) {
	e := dnsErrors[code]
	k.dnsError(e.status, code, e.msg)
}

// routerAnswer is the success body of associaterouter and disassociaterouter.
type routerAnswer struct {
	RouterID     string `json:"router_id"`
	RouterRegion string `json:"router_region"`
	Status       string `json:"status"`
}

// showPrivateZone serves DNS ShowPrivateZone on Huawei Cloud and OTC:
// GET /v2/zones/{zone_id} (huawei.md §3; OTC "Querying a Private Zone"),
// authenticated as disassociaterouter is. Each request is a read that
// advances the zone's pending router changes (see
// [WithRouterTransitionReads]) before answering.
//
// Success is 200 with the zone in the documented shape: id, name,
// description, email, zone_type "private", ttl, serial, masters, status,
// links.self, pool_id, project_id, created_at and updated_at (UTC,
// yyyy-MM-ddTHH:mm:ss.SSS, no zone, as documented), record_num, routers[]
// ({router_id, router_region, status}, PENDING_DELETE ones included), and
// proxy_pattern and enterprise_project_id, which Huawei Cloud adds. The
// values the emulator makes up: the name is "<zone_id>.fakecloud.internal."
// in lower case, the email "hostmaster@fakecloud.internal", ttl 300,
// record_num 2 (the SOA and NS record sets), serial the Unix time of
// updated_at, and created_at is when the API first read or changed the
// zone.
//
// Errors: DNS.0301 400 (zone_id is not the emulator's format), DNS.0302 404
// (no such zone in the project), DNS.1802 403 (HuaweiNoPermAK), and the
// gateway's authentication errors.
func (c *Cloud) showPrivateZone(k *call) {
	proj, ok := c.dnsCall(k, "dns:zone:get")
	if !ok {
		return
	}
	zoneID, ok := k.zoneArg()
	if !ok {
		return
	}
	c.mu.Lock()
	z := c.st.zones[k.provider][zoneID]
	if z == nil || z.projectID != proj.id {
		c.mu.Unlock()
		k.answerCode("DNS.0302")
		return
	}
	c.advance(z, k.now)
	out := zoneAnswerOf(zoneID, z, k)
	c.mu.Unlock()
	k.writeJSON(http.StatusOK, out)
}

// zoneAnswer is the documented ShowPrivateZone body, in the documented
// order.
type zoneAnswer struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Email       string            `json:"email"`
	TTL         int               `json:"ttl"`
	Serial      int64             `json:"serial"`
	Masters     []string          `json:"masters"`
	Status      string            `json:"status"`
	Links       map[string]string `json:"links"`
	PoolID      string            `json:"pool_id"`
	ProjectID   string            `json:"project_id"`
	ZoneType    string            `json:"zone_type"`
	CreatedAt   string            `json:"created_at"`
	UpdatedAt   string            `json:"updated_at"`
	RecordNum   int               `json:"record_num"`
	Routers     []routerAnswer    `json:"routers"`
	// Huawei Cloud's additions; clients must ignore what they do not know.
	ProxyPattern        string `json:"proxy_pattern"`
	EnterpriseProjectID string `json:"enterprise_project_id"`
}

// zoneTimeLayout is the documented format of created_at and updated_at.
const zoneTimeLayout = "2006-01-02T15:04:05.000"

// fakePoolID is the pool every emulated zone is hosted in.
const fakePoolID = "ff8080825ab738f4015ab7513298010e"

func zoneAnswerOf(zoneID string, z *zone, k *call) zoneAnswer {
	status := z.dns.status
	if status == "" {
		status = ZoneActive
	}
	scheme := "http"
	if k.r.TLS != nil {
		scheme = "https"
	}
	routers := make([]routerAnswer, len(z.routers))
	for i, r := range z.routers {
		routers[i] = routerAnswer{r.ID, r.Region, r.Status}
	}
	return zoneAnswer{
		ID: zoneID, Name: strings.ToLower(zoneID) + ".fakecloud.internal.", Description: "fakecloud private zone",
		Email: "hostmaster@fakecloud.internal", TTL: 300, Serial: z.dns.updated.Unix(),
		Masters: []string{}, Status: status,
		Links:  map[string]string{"self": scheme + "://" + k.r.Host + string(k.svc) + "/v2/zones/" + zoneID},
		PoolID: fakePoolID, ProjectID: z.projectID, ZoneType: "private",
		CreatedAt: z.dns.created.UTC().Format(zoneTimeLayout), UpdatedAt: z.dns.updated.UTC().Format(zoneTimeLayout),
		RecordNum: 2, Routers: routers, ProxyPattern: "AUTHORITY", EnterpriseProjectID: "0",
	}
}

// associateRouter serves DNS AssociateRouter on Huawei Cloud and OTC:
// POST /v2/zones/{zone_id}/associaterouter with
// {"router":{"router_id":"...","router_region":"..."}} (OTC "Associating a
// Private Zone with a VPC"), authenticated as disassociaterouter is;
// router_region defaults to the project's region.
//
// Success is 202 {"router_id","router_region","status":"PENDING_CREATE"};
// the router is added to the zone as PENDING_CREATE and becomes ACTIVE
// after reads of the zone (see [WithRouterTransitionReads]). Errors are
// {"code","message"}:
//
//	DNS.0002 400  the body is not {"router":{"router_id":...}}
//	DNS.0301 400  zone_id is not the emulator's format
//	DNS.0302 404  no such zone in the project
//	DNS.0209 409  the zone is not ACTIVE (see [Cloud.SetZoneStatus])
//	DNS.0213 400  the zone is disabled or frozen
//	DNS.0212 400  the router (ID and region) is already associated, in any state but PENDING_DELETE
//	DNS.0704 400  the router is PENDING_DELETE (the emulator's choice: not in a steady state)
//	DNS.0710 500  router_region is not a region of the account
//	DNS.0711 404  router_id is UnknownVPCID
//	DNS.1802 403  HuaweiNoPermAK
func (c *Cloud) associateRouter(k *call) {
	proj, ok := c.dnsCall(k, "dns:zone:associateRouter")
	if !ok {
		return
	}
	zoneID, ok := k.zoneArg()
	if !ok {
		return
	}
	target, ok := k.routerArg(proj)
	if !ok {
		return
	}
	acct := c.accounts[k.provider]
	c.mu.Lock()
	code := c.st.associate(k.provider, proj.id, zoneID, target, acct, k.now)
	c.mu.Unlock()
	if code != "" {
		k.answerCode(code)
		return
	}
	k.writeJSON(http.StatusAccepted, routerAnswer{target.ID, target.Region, RouterPendingCreate})
}

// associate applies the association rules and returns the DNS error code,
// or "" after adding the router PENDING_CREATE.
func (st *state) associate(p Provider, projectID, zoneID string, target Router, acct account, now time.Time) string {
	z := st.zones[p][zoneID]
	switch {
	case z == nil || z.projectID != projectID:
		return "DNS.0302"
	case z.zoneStatusCode() != "":
		return z.zoneStatusCode()
	case target.ID == UnknownVPCID:
		return "DNS.0711"
	}
	if _, ok := acct.projectByName(target.Region); !ok {
		return "DNS.0710"
	}
	for _, r := range z.routers {
		if r.ID == target.ID && r.Region == target.Region {
			if r.Status == RouterPendingDelete {
				return "DNS.0704"
			}
			return "DNS.0212"
		}
	}
	target.Status = RouterPendingCreate
	z.routers = append(z.routers, target)
	z.restart(target)
	z.touch(now, true)
	return ""
}

// SetRouterStatus sets the status of router routerID in cloud p's zone
// zoneID (every region it is associated in) and reports whether there was
// such a router. RouterError models a failed association, which stays
// until changed; RouterPendingDelete or RouterPendingCreate models a change
// someone else started, and starts the count of
// [WithRouterTransitionReads] anew.
func (c *Cloud) SetRouterStatus(p Provider, zoneID, routerID, status string) bool {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	z := c.st.zones[p][zoneID]
	if z == nil {
		return false
	}
	found := false
	for i, r := range z.routers {
		if r.ID == routerID {
			z.routers[i].Status = status
			z.restart(r)
			found = true
		}
	}
	if found {
		z.touch(now, true)
	}
	return found
}

// SetZoneStatus sets the status of cloud p's zone zoneID (one of the Zone*
// constants, or any status the API documents) and reports whether the zone
// exists. A zone that is not ZoneActive refuses router changes: DNS.0213
// when disabled or frozen, DNS.0209 otherwise.
func (c *Cloud) SetZoneStatus(p Provider, zoneID, status string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	z := c.st.zones[p][zoneID]
	if z == nil {
		return false
	}
	z.dns.status = status
	return true
}

// DeleteZone removes cloud p's zone zoneID with its associations, as
// deleting the zone would, and reports whether it existed.
func (c *Cloud) DeleteZone(p Provider, zoneID string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.st.zones[p][zoneID] == nil {
		return false
	}
	delete(c.st.zones[p], zoneID)
	return true
}
