package sdkcompare

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/aws-http-auth/credentials"
	"github.com/aws/smithy-go/aws-http-auth/sigv4"
	authv4 "github.com/aws/smithy-go/aws-http-auth/v4"
	hwsigner "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer/algorithm"
	hwrequest "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"

	"github.com/detach-go/detach/signer"
)

// The benchmarks sign the request of one DisassociateProfile call (a DELETE
// with a session token) and one DisassociateRouter call with each signer.
// Each iteration starts from a fresh header map, as an attempt does.

const (
	benchR53Path  = "https://route53profiles.us-east-1.amazonaws.com/profileassociation/Profileid/rp-4987774726example/resourceid/vpc-0af3b96b3example"
	benchEmptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

var benchAWSCreds = signer.AWSCredentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken: "token+/=="}

func benchAWSRequest(b *testing.B) *http.Request {
	req, err := http.NewRequest(http.MethodDelete, benchR53Path, nil)
	if err != nil {
		b.Fatal(err)
	}
	return req
}

func BenchmarkSignV4Detach(b *testing.B) {
	req := benchAWSRequest(b)
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		req.Header = make(http.Header, 4)
		if err := signer.SignV4(req, benchEmptySHA, benchAWSCreds, "route53profiles", "us-east-1", at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignV4AWSSDKV2(b *testing.B) {
	req := benchAWSRequest(b)
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s := awsv4.NewSigner()
	creds := aws.Credentials{AccessKeyID: benchAWSCreds.AccessKeyID, SecretAccessKey: benchAWSCreds.SecretAccessKey, SessionToken: benchAWSCreds.SessionToken}
	b.ReportAllocs()
	for b.Loop() {
		req.Header = make(http.Header, 4)
		if err := s.SignHTTP(context.Background(), creds, req, benchEmptySHA, "route53profiles", "us-east-1", at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSignV4AWSHTTPAuth(b *testing.B) {
	req := benchAWSRequest(b)
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	s := sigv4.New(func(o *authv4.SignerOptions) { o.HeaderRules = detachRules{} })
	hash := make([]byte, 32)
	creds := credentials.Credentials{AccessKeyID: benchAWSCreds.AccessKeyID, SecretAccessKey: benchAWSCreds.SecretAccessKey, SessionToken: benchAWSCreds.SessionToken}
	b.ReportAllocs()
	for b.Loop() {
		req.Header = make(http.Header, 4)
		err := s.SignRequest(&sigv4.SignRequestInput{Request: req, PayloadHash: hash, Credentials: creds, Service: "route53profiles", Region: "us-east-1", Time: at})
		if err != nil {
			b.Fatal(err)
		}
	}
}

const (
	benchDNSURL  = "https://dns.cn-north-4.myhuaweicloud.com/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter"
	benchDNSBody = `{"router":{"router_id":"f8a2b3c4-5d6e-4f70-8a9b-0c1d2e3f4a5b","router_region":"cn-north-4"}}`
	benchDNSHash = "0c9f4e8a1b4ff3d2d4c7a9e2b1f3c5d7e9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9" // any hex SHA-256: detach's signer does not read the body
)

var benchHWCreds = signer.HuaweiCredentials{AccessKey: "HPUAEXAMPLE", SecretKey: "SKEXAMPLE", ProjectID: "0123456789abcdef0123456789abcdef"}

func BenchmarkSignHuaweiDetach(b *testing.B) {
	req, err := http.NewRequest(http.MethodPost, benchDNSURL, strings.NewReader(benchDNSBody))
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		req.Header = http.Header{"Content-Type": {"application/json"}}
		if err := signer.SignHuawei(req, benchDNSHash, benchHWCreds, at); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignHuaweiSDK includes building the SDK's request value, which
// its signer needs and which its client builds for every call anyway, and
// hashing the body, which the SDK's signer does itself (detach's transport
// hashes the body once per call, outside the signer).
func BenchmarkSignHuaweiSDK(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		r := hwrequest.NewHttpRequestBuilder().
			WithEndpoint("https://dns.cn-north-4.myhuaweicloud.com").
			WithPath("/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter").
			WithMethod(http.MethodPost).
			WithSigningAlgorithm(algorithm.HmacSHA256).
			AddHeaderParam("Content-Type", "application/json").
			AddHeaderParam("Host", "dns.cn-north-4.myhuaweicloud.com").
			AddHeaderParam("X-Project-Id", benchHWCreds.ProjectID).
			AddHeaderParam("X-Sdk-Date", "20250102T030405Z").
			WithBody("json", benchDNSBody).
			Build()
		if _, err := (hwsigner.Signer{}).Sign(r, benchHWCreds.AccessKey, benchHWCreds.SecretKey); err != nil {
			b.Fatal(err)
		}
	}
}
