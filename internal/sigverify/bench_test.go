package sigverify

import (
	"net/http"
	"testing"

	"github.com/detach-go/detach/internal/testvectors"
	"github.com/detach-go/detach/signer"
)

// BenchmarkSigV4 measures server-side verification of a signed POST.
func BenchmarkSigV4(b *testing.B) {
	req := newRequest(b, http.MethodPost, "https://"+testvectors.CPHost+testvectors.CPPath, testvectors.CPBody, "Content-Type", "application/json")
	payload := sha256Hex(testvectors.CPBody)
	if err := signer.SignV4(req, payload, v4TestCredsToken, "profile", "us-east-1", testvectors.AWSTime); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SigV4(req, payload, v4SecretFor, testvectors.AWSTime, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHuawei measures server-side verification of a signed POST.
func BenchmarkHuawei(b *testing.B) {
	req := newRequest(b, http.MethodPost, "https://"+testvectors.HuaweiHost+testvectors.S01Path, testvectors.S01Body,
		"Content-Type", "application/json", "User-Agent", "detach/0.1")
	creds := hwTestCreds()
	creds.ProjectID = testvectors.S01ProjectID
	payload := sha256Hex(testvectors.S01Body)
	if err := signer.SignHuawei(req, payload, creds, testvectors.HuaweiTime); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Huawei(req, payload, hwSecrets, testvectors.HuaweiTime, 0); err != nil {
			b.Fatal(err)
		}
	}
}
