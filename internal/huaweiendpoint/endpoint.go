// Package huaweiendpoint builds the default host names of the Huawei Cloud
// and Open Telekom Cloud services detach calls. The patterns, not a region
// list, decide: a region the cloud adds later works without a release, and a
// syntactically valid region is never rejected here.
package huaweiendpoint

// Global hosts of Huawei Cloud.
const (
	// IdentityCenter is IAM Identity Center's only host
	// (huaweicloud-sdk-go-v3 services/identitycenter/v1/region/region.go).
	IdentityCenter = "https://identitycenter.myhuaweicloud.com"
	// GlobalIAM is Huawei Cloud's global IAM host, the v3 SDK's
	// DefaultIamEndpoint (core/auth/internal/iam_helper.go).
	GlobalIAM = "https://iam.myhuaweicloud.com"
)

// swissRegion is Open Telekom Cloud's Swiss region, whose hosts carry a
// ".sc." infix (and IAM the "iam-pub" name).
const swissRegion = "eu-ch2"

// ValidRegion reports whether r can be a region ID and so a host label:
// 1 to 63 characters of a-z, 0-9 and "-", neither starting nor ending with
// "-". Every Huawei and OTC region ID has this form ("cn-north-4", "eu-de",
// "my-kualalumpur-1").
func ValidRegion(r string) bool {
	if len(r) == 0 || len(r) > 63 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// DNS returns the DNS API base URL of a region: Huawei Cloud
// "https://dns.{region}.myhuaweicloud.com" (the v3 SDK's
// services/dns/v2/region table follows this pattern), OTC
// "https://dns.{region}.otc.t-systems.com", and for OTC eu-ch2
// "https://dns.eu-ch2.sc.otc.t-systems.com", which follows the Swiss
// cloud's host pattern but is not confirmed by a published endpoint table.
// The region must satisfy ValidRegion.
func DNS(otc bool, region string) string {
	if !otc {
		return "https://dns." + region + ".myhuaweicloud.com"
	}
	if region == swissRegion {
		return "https://dns." + swissRegion + ".sc.otc.t-systems.com"
	}
	return "https://dns." + region + ".otc.t-systems.com"
}

// IAM returns the IAM base URL of a region: Huawei Cloud
// "https://iam.{region}.myhuaweicloud.com" (GlobalIAM when region is empty),
// OTC "https://iam.{region}.otc.t-systems.com" (gophertelekomcloud's
// OTCVendorConfig), and for OTC eu-ch2
// "https://iam-pub.eu-ch2.sc.otc.t-systems.com". OTC has no global IAM: an
// empty region gives "" for OTC.
func IAM(otc bool, region string) string {
	switch {
	case !otc && region == "":
		return GlobalIAM
	case !otc:
		return "https://iam." + region + ".myhuaweicloud.com"
	case region == "":
		return ""
	case region == swissRegion:
		return "https://iam-pub." + swissRegion + ".sc.otc.t-systems.com"
	}
	return "https://iam." + region + ".otc.t-systems.com"
}
