package fakecloud

import (
	"net/http"
	"time"
)

// disassociateRouter serves DNS DisassociateRouter on Huawei Cloud and OTC:
// POST /v2/zones/{zone_id}/disassociaterouter with
// {"router":{"router_id":"...","router_region":"..."}} (huawei.md §3 and §4).
//
// Authentication is a project-scoped X-Auth-Token from the same cloud's IAM
// (its project is the one acted on; X-Project-Id is then ignored), or an
// AK/SK signature with X-Project-Id naming one of the key's projects (a
// missing one is 401 APIGW.0301, a foreign one 403 APIGW.0310 "The project
// is unavailable."). router_region defaults to the project's region.
//
// Success is 202 {"router_id","router_region","status":"PENDING_DELETE"};
// the router then stays PENDING_DELETE, no longer counts as associated, and
// is removed after reads of the zone (see [WithRouterTransitionReads]).
// Errors are {"code","message"} with the statuses of dns-error-codes.txt:
//
//	DNS.0002 400  the body is not {"router":{"router_id":...}}
//	DNS.0301 400  zone_id is not 1 to 64 of [A-Za-z0-9_-] (the emulator's rule)
//	DNS.0302 404  no such zone in the project
//	DNS.0209 409  the zone is not ACTIVE (see [Cloud.SetZoneStatus])
//	DNS.0213 400  the zone is disabled or frozen
//	DNS.0706 403  the router is the zone's last associated VPC
//	DNS.0707 400  the router is not associated (or already PENDING_DELETE)
//	DNS.0708 400  the router is PENDING_CREATE
//	DNS.0709 403  the router is the zone's only ACTIVE VPC, others being in ERROR or PENDING_CREATE
//	DNS.1802 403  HuaweiNoPermAK
//	DNS.0014 403, DNS.0021 409, DNS.0000/DNS.0001 5xx  injected faults
func (c *Cloud) disassociateRouter(k *call) {
	proj, ok := c.dnsCall(k, "dns:zone:disassociateRouter")
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
	c.mu.Lock()
	code := c.st.disassociate(k.provider, proj.id, zoneID, target, k.now)
	c.mu.Unlock()
	if code != "" {
		k.answerCode(code)
		return
	}
	k.writeJSON(http.StatusAccepted, routerAnswer{target.ID, target.Region, RouterPendingDelete})
}

// disassociate applies the disassociation rules to the zone and returns the
// DNS error code, or "" after marking the router PENDING_DELETE.
func (st *state) disassociate(p Provider, projectID, zoneID string, target Router, now time.Time) string {
	z := st.zones[p][zoneID]
	if z == nil || z.projectID != projectID {
		return "DNS.0302"
	}
	if code := z.zoneStatusCode(); code != "" {
		return code
	}
	idx, associated, active := -1, 0, 0
	for i, r := range z.routers {
		if r.Status == RouterPendingDelete {
			continue
		}
		associated++
		if r.Status == RouterActive {
			active++
		}
		if r.ID == target.ID && r.Region == target.Region {
			idx = i
		}
	}
	switch {
	case idx < 0:
		return "DNS.0707"
	case z.routers[idx].Status == RouterPendingCreate:
		return "DNS.0708"
	case associated == 1:
		return "DNS.0706"
	case z.routers[idx].Status == RouterActive && active == 1:
		return "DNS.0709"
	}
	z.routers[idx].Status = RouterPendingDelete
	z.restart(z.routers[idx])
	z.touch(now, true)
	return ""
}

// validZoneID is the emulator's zone ID rule: DNS documents DNS.0301
// "Invalid zone ID." without a format, and real IDs are 32 hex digits.
func validZoneID(s string) bool {
	return len(s) <= 64 && isDomainName(s)
}
