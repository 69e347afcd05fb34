package signer

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Signing a request again with permanent keys, after temporary ones, must
// not keep (and sign) the old security token.
func TestSignHuaweiAgainDropsStaleSecurityToken(t *testing.T) {
	t.Parallel()
	req, err := http.NewRequest(http.MethodGet, "https://dns.cn-north-4.myhuaweicloud.com/v2/zones", nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	temp := HuaweiCredentials{AccessKey: "AKTEMP", SecretKey: "SKTEMP", SecurityToken: "TOKEN"}
	if err := SignHuawei(req, hwEmptySHA256ForTest, temp, at); err != nil {
		t.Fatal(err)
	}
	if err := SignHuawei(req, hwEmptySHA256ForTest, HuaweiCredentials{AccessKey: "AK", SecretKey: "SK"}, at); err != nil {
		t.Fatal(err)
	}
	if v := req.Header.Get("X-Security-Token"); v != "" {
		t.Errorf("X-Security-Token = %q after signing with permanent keys, want none", v)
	}
	if auth := req.Header.Get("Authorization"); strings.Contains(auth, "x-security-token") {
		t.Errorf("Authorization still signs x-security-token: %s", auth)
	}
}

// Static sources are pointers: a struct that keeps one in an unexported
// field prints its address, not the secret, even through reflection.
func TestStaticSourcesPrintNoSecretThroughReflection(t *testing.T) {
	t.Parallel()
	type holder struct {
		tok TokenSource
		hw  HuaweiCredentialsProvider
	}
	h := holder{tok: StaticToken("TOKSECRET"), hw: StaticHuaweiCredentials(HuaweiCredentials{AccessKey: "AK", SecretKey: "HWSECRET"})}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		if s := fmt.Sprintf(verb, h); strings.Contains(s, "TOKSECRET") || strings.Contains(s, "HWSECRET") {
			t.Errorf("%s of a holder shows a secret: %s", verb, s)
		}
	}
}

const hwEmptySHA256ForTest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
