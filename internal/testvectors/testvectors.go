// Package testvectors holds the recorded requests and signatures that the
// tests of several packages check against, written once: what botocore and
// huaweicloud-sdk-go-v3 produced for detach's operations. The signer's tests
// reproduce them and internal/sigverify's tests verify them. Only tests
// import it.
package testvectors

import "time"

// The botocore vectors (reference/aws.md §2.2): the two AWS operations signed
// by botocore at AWSTime in us-east-1 with the documentation's example keys.
const (
	AWSAccessKeyID = "AKIDEXAMPLE"
	AWSSecretKey   = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	// AWSSessionToken is not part of the vectors: tests of temporary
	// credentials use it.
	AWSSessionToken = "IQoJb3JpZ2luX2VjEXAMPLETOKENvalue/with+base64=="
	// EmptySHA256 is the payload hash of an empty body.
	EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

	R53Host          = "route53profiles.us-east-1.amazonaws.com"
	R53Path          = "/profileassociation/Profileid/rp-4987d5b8e8EXAMPLE/resourceid/vpc-0123456789abcdef0"
	R53Authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/route53profiles/aws4_request, " +
		"SignedHeaders=host;x-amz-date, Signature=e9cc74629fe89ce1cd062341fb911c04a6346ebafc432a847e49a695b05e2c4b"

	CPHost = "profile.us-east-1.amazonaws.com"
	CPPath = "/domains/ExampleDomain/profiles/objects/delete"
	CPBody = `{"ProfileId": "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60", "ProfileObjectUniqueKey": "MTIzNDU2Nzg5MA==", "ObjectTypeName": "CTR"}`
	// CPAuthorization signs Content-Type "application/json" too.
	CPAuthorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/profile/aws4_request, " +
		"SignedHeaders=content-type;host;x-amz-date, Signature=2e58e46afdaf09cf8f32a8d6532507b56485bb5e0bef440eb5725083ce5601f1"
)

// AWSTime is the signing time of the botocore vectors: X-Amz-Date
// 20150830T123600Z.
var AWSTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

// Vector s01 (reference/huawei.md §1.6): DNS DisassociateRouter signed by
// huaweicloud-sdk-go-v3 at HuaweiTime, with Content-Type
// "application/json" (not signed) and X-Project-Id S01ProjectID.
const (
	HuaweiAccessKey = "AKEXAMPLE"
	HuaweiSecretKey = "SKEXAMPLE"
	HuaweiHost      = "dns.cn-north-4.myhuaweicloud.com"
	HuaweiDate      = "20250102T030405Z"

	S01Path          = "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter"
	S01Body          = `{"router":{"router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"cn-north-4"}}`
	S01ProjectID     = "0123456789abcdef0123456789abcdef"
	S01Authorization = "SDK-HMAC-SHA256 Access=AKEXAMPLE, SignedHeaders=host;x-project-id;x-sdk-date, " +
		"Signature=49aefb5938c5072d90e85c1a5d7e9ac12a5e373e117001dc68f6b5f4508734b6"
)

// HuaweiTime is the signing time of s01: X-Sdk-Date HuaweiDate.
var HuaweiTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
