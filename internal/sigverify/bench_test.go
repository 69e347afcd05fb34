package sigverify

import (
	"net/http"
	"testing"

	"github.com/detach-go/detach/signer"
)

// BenchmarkSigV4 measures server-side verification of a signed POST.
func BenchmarkSigV4(b *testing.B) {
	req := newRequest(b, http.MethodPost, "https://"+v4CPHost+v4CPPath, v4CPBody, "Content-Type", "application/json")
	payload := sha256Hex(v4CPBody)
	if err := signer.SignV4(req, payload, v4TestCredsToken, "profile", "us-east-1", v4T0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SigV4(req, payload, v4SecretFor, v4T0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHuawei measures server-side verification of a signed POST.
func BenchmarkHuawei(b *testing.B) {
	req := newRequest(b, http.MethodPost, "https://"+hwTestHost+hwS01Path, hwS01Body,
		"Content-Type", "application/json", "User-Agent", "detach/0.1")
	creds := hwTestCreds()
	creds.ProjectID = "0123456789abcdef0123456789abcdef"
	payload := sha256Hex(hwS01Body)
	if err := signer.SignHuawei(req, payload, creds, hwTestTime); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Huawei(req, payload, hwSecrets, hwTestTime, 0); err != nil {
			b.Fatal(err)
		}
	}
}
