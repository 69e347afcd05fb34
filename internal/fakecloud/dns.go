package fakecloud

import (
	"encoding/json"
	"net/http"
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
// the router then stays PENDING_DELETE and no longer counts as associated.
// Errors are {"code","message"} with the statuses of dns-error-codes.txt:
//
//	DNS.0002 400  the body is not {"router":{"router_id":...}}
//	DNS.0301 400  zone_id is not 1 to 64 of [A-Za-z0-9_-] (the emulator's rule)
//	DNS.0302 404  no such zone in the project
//	DNS.0706 403  the router is the zone's last associated VPC
//	DNS.0707 400  the router is not associated (or already PENDING_DELETE)
//	DNS.0708 400  the router is PENDING_CREATE
//	DNS.0709 403  the router is the zone's only ACTIVE VPC, others being in ERROR or PENDING_CREATE
//	DNS.1802 403  HuaweiNoPermAK
//	DNS.0014 403, DNS.0021 409, DNS.0000/DNS.0001 5xx  injected faults
func (c *Cloud) disassociateRouter(k *call) {
	caller, ok := c.huaweiAuth(k, true)
	if !ok {
		return
	}
	proj := caller.tokenProject
	if !caller.byToken {
		pid := k.r.Header.Get("X-Project-Id")
		if pid == "" {
			k.apigwError(http.StatusUnauthorized, "APIGW.0301", msgIAMAuth+"X-Project-Id is required with AK/SK for a project-level service")
			return
		}
		if proj, ok = caller.acct.projectByID(pid); !ok {
			k.apigwError(http.StatusForbidden, "APIGW.0310", "The project is unavailable.")
			return
		}
	}
	if caller.key.noPermission {
		k.dnsError(http.StatusForbidden, "DNS.1802", "Policy doesn't allow dns:zone:disassociateRouter to be performed.")
		return
	}
	zoneID, ok := k.arg(0)
	if !ok || !validZoneID(zoneID) {
		k.dnsError(http.StatusBadRequest, "DNS.0301", "Invalid zone ID.")
		return
	}
	var in struct {
		Router *struct {
			RouterID     string `json:"router_id"`
			RouterRegion string `json:"router_region"`
		} `json:"router"`
	}
	if err := json.Unmarshal(k.body, &in); err != nil || in.Router == nil || in.Router.RouterID == "" {
		k.dnsError(http.StatusBadRequest, "DNS.0002", "Invalid request.")
		return
	}
	target := Router{ID: in.Router.RouterID, Region: in.Router.RouterRegion}
	if target.Region == "" {
		target.Region = proj.name
	}

	c.mu.Lock()
	code := c.st.disassociate(k.provider, proj.id, zoneID, target)
	c.mu.Unlock()

	switch code {
	case "":
		k.writeJSON(http.StatusAccepted, struct {
			RouterID     string `json:"router_id"`
			RouterRegion string `json:"router_region"`
			Status       string `json:"status"`
		}{target.ID, target.Region, RouterPendingDelete})
	case "DNS.0302":
		k.dnsError(http.StatusNotFound, code, "This zone does not exist.")
	case "DNS.0706":
		k.dnsError(http.StatusForbidden, code, "You are not allowed to disassociate this VPC because this is the last VPC associated with this zone.")
	case "DNS.0707":
		k.dnsError(http.StatusBadRequest, code, "The VPC is not associated with the zone.")
	case "DNS.0708":
		k.dnsError(http.StatusBadRequest, code, "This VPC cannot be disassociated because it is being associated with the zone.")
	case "DNS.0709":
		k.dnsError(http.StatusForbidden, code, "This VPC cannot be disassociated because this is the only normal VPC associated with this zone.")
	}
}

// disassociate applies the disassociation rules to the zone and returns the
// DNS error code, or "" after marking the router PENDING_DELETE.
func (st *state) disassociate(p Provider, projectID, zoneID string, target Router) string {
	z := st.zones[p][zoneID]
	if z == nil || z.projectID != projectID {
		return "DNS.0302"
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
	return ""
}

// validZoneID is the emulator's zone ID rule: DNS documents DNS.0301
// "Invalid zone ID." without a format, and real IDs are 32 hex digits.
func validZoneID(s string) bool {
	return len(s) <= 64 && isDomainName(s)
}
