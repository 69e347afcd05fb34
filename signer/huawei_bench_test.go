package signer

import (
	"net/http"
	"testing"
	"time"
)

func hwBenchRequest(b *testing.B) (*http.Request, HuaweiCredentials, string) {
	req := hwNewRequest(b, http.MethodPost, "https://"+hwTestHost+"/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter",
		"Content-Type", "application/json", "User-Agent", "detach/0.1")
	creds := hwTestCreds()
	creds.ProjectID = "0123456789abcdef0123456789abcdef"
	return req, creds, hwSHA(hwS01Body)
}

func benchmarkSign(b *testing.B, sign func(*http.Request, string, HuaweiCredentials, time.Time) error) {
	req, creds, payload := hwBenchRequest(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := sign(req, payload, creds, hwTestTime); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignHuawei(b *testing.B) { benchmarkSign(b, SignHuawei) }

func BenchmarkSignOTC(b *testing.B) { benchmarkSign(b, SignOTC) }
