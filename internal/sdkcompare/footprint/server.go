package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/detach-go/detach/internal/sigverify"
)

// Fake keys the programs are run with; the server checks their signatures.
const (
	fakeAWSKey      = "AKIDFOOTPRINT0000001"
	fakeAWSSecret   = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYFOOTPRINT"
	fakeHuaweiAK    = "HPUAFOOTPRINT0000001"
	fakeHuaweiSK    = "SKFOOTPRINT00000000000000000000000000000"
	fakeHuaweiProj  = "0123456789abcdef0123456789abcdef"
	r53pPath        = "/profileassociation/Profileid/rp-4987774726example/resourceid/vpc-0af3b96b3example"
	dnsPath         = "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter"
	r53pAnswer      = `{"ProfileAssociation":{"CreationTime":1.735787045123E9,"Id":"rpassoc-489ce212fexample","ModificationTime":1.735787046456E9,"Name":"test-association","OwnerId":"123456789012","ProfileId":"rp-4987774726example","ResourceId":"vpc-0af3b96b3example","Status":"DELETING","StatusMessage":"Deleting the Profile to VPC association"}}`
	dnsAnswer       = `{"router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"cn-north-4","status":"PENDING_DELETE"}`
	maxSigningSkew  = 5 * time.Minute
	maxRequestBytes = 1 << 16
)

// newServer starts a stand-in for Route 53 Profiles and Huawei Cloud DNS
// that answers the programs' one call, after checking its signature with
// detach's verifiers (internal/sigverify, which accept any SignedHeaders list, so the SDKs'
// requests verify too). A request it does not expect, or one whose signature
// does not verify, gets a 4xx, so its program fails.
func newServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(serve))
}

func serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes))
	if err != nil {
		http.Error(w, "cannot read the body", http.StatusBadRequest)
		return
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	now := time.Now()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodDelete && r.URL.EscapedPath() == r53pPath:
		secret := func(ak string) (string, bool) { return fakeAWSSecret, ak == fakeAWSKey }
		if _, err := sigverify.SigV4(r, hash, secret, now, maxSigningSkew); err != nil {
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"message":"signature does not verify"}`)
			return
		}
		w.Header().Set("X-Amzn-Requestid", "7f6c3a52-0d4e-4c8e-9a1b-2f3e4d5c6b7a")
		_, _ = io.WriteString(w, r53pAnswer)
	case r.Method == http.MethodPost && r.URL.EscapedPath() == dnsPath:
		secret := func(ak string) (string, bool) { return fakeHuaweiSK, ak == fakeHuaweiAK }
		id, err := sigverify.Huawei(r, hash, secret, now, maxSigningSkew)
		if err != nil || id.ProjectID != fakeHuaweiProj {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error_code":"APIGW.0301","error_msg":"signature does not verify"}`)
			return
		}
		w.Header().Set("X-Request-Id", "4d3c2b1a0f9e8d7c6b5a4d3c2b1a0f9e")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, dnsAnswer)
	default:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"message":"no such operation here"}`)
	}
}
