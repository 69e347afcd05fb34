// Package live holds tests against the real clouds. They are behind the
// build tag "live", never run in CI, and read credentials and IDs from the
// environment; a test whose variables are missing is skipped with a message
// naming them.
//
//	go test -tags live -v ./internal/live/
//
// Two kinds of test run:
//
//   - Probes call each operation with IDs that do not exist. They change
//     nothing and need only credentials: they prove that the request is
//     signed and routed correctly (the service answers "not found" or
//     "invalid", not "unauthorized") and that its error decodes.
//   - Disassociations remove a real association and need its IDs. They run
//     only when every ID variable of the operation is set. Recreate the
//     association before running them again.
//
// AWS (Route 53 Profiles, Customer Profiles): credentials from the default
// chain (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, or
// AWS_PROFILE in the shared credentials file) and AWS_REGION.
//
//	DETACH_LIVE_R53_PROFILE_ID, DETACH_LIVE_R53_VPC_ID
//	        a Route 53 Profile association to remove.
//	DETACH_LIVE_CP_DOMAIN, DETACH_LIVE_CP_OBJECT_TYPE,
//	DETACH_LIVE_CP_PROFILE_ID, DETACH_LIVE_CP_OBJECT_KEY
//	        a Customer Profiles object to delete.
//
// Huawei Cloud (Identity Center, DNS): HUAWEICLOUD_SDK_AK and
// HUAWEICLOUD_SDK_SK (HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys;
// HUAWEICLOUD_SDK_DOMAIN_ID and HUAWEICLOUD_SDK_PROJECT_ID save the IAM
// lookups).
//
//	DETACH_LIVE_HUAWEI_REGION
//	        the DNS region, e.g. cn-north-4 (required for the DNS tests).
//	DETACH_LIVE_IC_INSTANCE_ID, DETACH_LIVE_IC_APP_INSTANCE_ID,
//	DETACH_LIVE_IC_PROFILE_ID
//	        an Identity Center profile to delete.
//	DETACH_LIVE_HUAWEI_ZONE_ID, DETACH_LIVE_HUAWEI_ROUTER_ID
//	        a VPC to remove from a private zone (the zone must keep another).
//
// Open Telekom Cloud (DNS): the OpenStack variables, each authentication
// that is set being tested: OS_AUTH_TOKEN; OS_AUTH_URL, OS_USERNAME,
// OS_PASSWORD, OS_DOMAIN_NAME (and OS_PROJECT_NAME or OS_PROJECT_ID);
// OS_ACCESS_KEY and OS_SECRET_KEY. OS_REGION_NAME is the region (required).
//
//	DETACH_LIVE_OTC_ZONE_ID, DETACH_LIVE_OTC_ROUTER_ID
//	        a VPC to remove from a private zone, with the first
//	        authentication set (token, then password, then access keys).
//
// DETACH_LIVE_DEBUG=1 logs every attempt (redacted) to the test output.
package live
