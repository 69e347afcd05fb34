package privatedns

import "strconv"

// RouterStatus is the state of a zone's association with a VPC ("router").
type RouterStatus string

// The documented statuses (huaweicloud-sdk-go-v3 services/dns/v2/model
// Router). A disassociation answers RouterStatusPendingDelete; the
// association disappears when it completes.
const (
	RouterStatusActive        RouterStatus = "ACTIVE"
	RouterStatusPendingCreate RouterStatus = "PENDING_CREATE"
	RouterStatusPendingDelete RouterStatus = "PENDING_DELETE"
	RouterStatusError         RouterStatus = "ERROR"
)

// Router is one VPC ("router") associated with a private zone, as
// ShowPrivateZone reports it.
type Router struct {
	// RouterID is the VPC's ID.
	RouterID string `json:"router_id"`
	// RouterRegion is the VPC's region.
	RouterRegion string `json:"router_region"`
	// Status is the association's state; a status not among the
	// RouterStatus constants is kept as sent.
	Status RouterStatus `json:"status"`
}

// RouterRef names a VPC for ReplaceRouter: its ID and, optionally, its
// region (empty: the region of the project the request acts on), with the
// rules of DisassociateRouterInput's RouterID and RouterRegion.
type RouterRef struct {
	ID     string
	Region string
}

// ZoneStatus is the state of a private zone.
type ZoneStatus string

// The zone statuses huaweicloud-sdk-go-v3 documents (services/dns/v2/model
// ShowPrivateZoneResponse); OTC documents the first four. A zone that is
// not ZoneStatusActive refuses association changes with CodeZoneNotNormal,
// or CodeZoneDisabled when suspended.
const (
	ZoneStatusActive         ZoneStatus = "ACTIVE"
	ZoneStatusPendingCreate  ZoneStatus = "PENDING_CREATE"
	ZoneStatusPendingDelete  ZoneStatus = "PENDING_DELETE"
	ZoneStatusError          ZoneStatus = "ERROR"
	ZoneStatusPendingUpdate  ZoneStatus = "PENDING_UPDATE"
	ZoneStatusPendingFreeze  ZoneStatus = "PENDING_FREEZE"
	ZoneStatusFreeze         ZoneStatus = "FREEZE"
	ZoneStatusIllegal        ZoneStatus = "ILLEGAL"
	ZoneStatusPolice         ZoneStatus = "POLICE"
	ZoneStatusPendingDisable ZoneStatus = "PENDING_DISABLE"
	ZoneStatusDisable        ZoneStatus = "DISABLE"
)

// Cloud selects the provider: the host names and, for access keys, the
// signing flavour.
type Cloud uint8

const (
	// HuaweiCloud: https://dns.{region}.myhuaweicloud.com, IAM
	// https://iam.{region}.myhuaweicloud.com, access keys signed as
	// huaweicloud-sdk-go-v3 signs them.
	HuaweiCloud Cloud = iota + 1
	// OpenTelekomCloud: https://dns.{region}.otc.t-systems.com (eu-de,
	// eu-nl), IAM https://iam.{region}.otc.t-systems.com, access keys signed
	// as gophertelekomcloud signs them. For the Swiss region eu-ch2 the hosts
	// are dns.eu-ch2.sc.otc.t-systems.com (inferred from the Swiss cloud's
	// host pattern, not confirmed by a published endpoint table) and
	// iam-pub.eu-ch2.sc.otc.t-systems.com; the Swiss DNS documentation
	// describes token authentication only.
	OpenTelekomCloud
)

// String names the cloud.
func (c Cloud) String() string {
	switch c {
	case HuaweiCloud:
		return "HuaweiCloud"
	case OpenTelekomCloud:
		return "OpenTelekomCloud"
	case 0:
		return "Cloud(unset)"
	}
	return "Cloud(" + strconv.Itoa(int(c)) + ")"
}
