package sigverify

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
)

// The AWS fixtures are those of the botocore vectors (reference/aws.md §2.2).
const (
	v4EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	v4R53Host     = "route53profiles.us-east-1.amazonaws.com"
	v4R53Path     = "/profileassociation/Profileid/rp-4987d5b8e8EXAMPLE/resourceid/vpc-0123456789abcdef0"
	v4CPHost      = "profile.us-east-1.amazonaws.com"
	v4CPPath      = "/domains/ExampleDomain/profiles/objects/delete"
	v4CPBody      = `{"ProfileId": "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60", "ProfileObjectUniqueKey": "MTIzNDU2Nzg5MA==", "ObjectTypeName": "CTR"}`
	v4TestAK      = "AKIDEXAMPLE"
	v4TestSecret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	v4TestToken   = "IQoJb3JpZ2luX2VjEXAMPLETOKENvalue/with+base64=="
)

// v4T0 is the time of every recorded vector: 2015-08-30T12:36:00Z.
var v4T0 = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

var (
	v4TestCreds      = signer.AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret}
	v4TestCredsToken = signer.AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, SessionToken: v4TestToken}
)

func v4SecretFor(ak string) (string, bool) {
	if ak == v4TestAK {
		return v4TestSecret, true
	}
	return "", false
}

// The Huawei fixtures are those of vector s01 (reference/huawei.md §1.6).
const (
	hwTestDate = "20250102T030405Z"
	hwTestHost = "dns.cn-north-4.myhuaweicloud.com"
	hwS01Path  = "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter"
	hwS01Body  = `{"router":{"router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"cn-north-4"}}`
)

var hwTestTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

func hwTestCreds() signer.HuaweiCredentials {
	return signer.HuaweiCredentials{AccessKey: "AKEXAMPLE", SecretKey: "SKEXAMPLE"}
}

func hwSecrets(ak string) (string, bool) {
	if ak == "AKEXAMPLE" {
		return "SKEXAMPLE", true
	}
	return "", false
}

// sha256Hex is the payload hash of body.
func sha256Hex(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// newRequest builds a request from an already escaped URL, as the service
// packages do; headers are added in order, as name, value pairs.
func newRequest(t testing.TB, method, rawURL, body string, headers ...string) *http.Request {
	t.Helper()
	var r *http.Request
	var err error
	if body == "" {
		r, err = http.NewRequest(method, rawURL, nil)
	} else {
		r, err = http.NewRequest(method, rawURL, strings.NewReader(body))
	}
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

// assertNoSecret fails if s contains one of secrets, as is or in hex (as %x
// of a raw field would print it).
func assertNoSecret(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		if strings.Contains(s, secret) || strings.Contains(strings.ToLower(s), hex.EncodeToString([]byte(secret))) {
			t.Errorf("%q contains a secret", s)
		}
	}
}
