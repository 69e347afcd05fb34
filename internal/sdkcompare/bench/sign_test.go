package bench

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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

	"github.com/detach-go/detach/internal/sigverify"
	"github.com/detach-go/detach/signer"
)

// The signing benchmarks sign the request of one call: for SigV4 the
// DisassociateProfile DELETE and the DeleteProfileObject POST, for Huawei
// AK/SK the DisassociateRouter POST and the DeleteProfile DELETE. Each
// iteration starts from a fresh header map, as every attempt does, and
// every signer gets the same signing time. The body's SHA-256 is given to
// the SigV4 signers (aws-sdk-go-v2 computes it in a middleware, outside its
// signer); the Huawei SDK's signer hashes the body itself, so detach's
// Huawei benchmark hashes it too.

var signTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// signCase is one request to sign.
type signCase struct {
	name        string // the req= key
	method, url string
	body        string
	contentType string
}

var v4Cases = []signCase{
	{name: opR53P, method: http.MethodDelete,
		url: "https://route53profiles.us-east-1.amazonaws.com/profileassociation/Profileid/" + r53pProfileID + "/resourceid/" + r53pResourceID},
	{name: opCP, method: http.MethodPost, url: "https://profile.us-east-1.amazonaws.com/domains/" + cpDomain + "/profiles/objects/delete",
		body: cpBody, contentType: "application/json"},
}

var hwCases = []signCase{
	{name: "privatedns", method: http.MethodPost, url: "https://dns.cn-north-4.myhuaweicloud.com/v2/zones/" + dnsZoneID + "/disassociaterouter",
		body: dnsBody, contentType: "application/json"},
	{name: opIC, method: http.MethodDelete,
		url: "https://identitycenter.myhuaweicloud.com/v1/instances/" + icInstanceID + "/application-instances/" + icAppID + "/profiles/" + icProfileID},
}

func (c signCase) request(tb testing.TB) *http.Request {
	tb.Helper()
	req, err := http.NewRequest(c.method, c.url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return req
}

// freshHeader is the header map an attempt starts from.
func (c signCase) freshHeader() http.Header {
	h := make(http.Header, 6)
	if c.contentType != "" {
		h["Content-Type"] = []string{c.contentType}
	}
	return h
}

func (c signCase) hash() string {
	sum := sha256.Sum256([]byte(c.body))
	return hex.EncodeToString(sum[:])
}

func (c signCase) service() string { return awsService(c.name) }

// sigv4Rules signs what detach signs: host, content-type and x-amz-*.
type sigv4Rules struct{}

func (sigv4Rules) IsSigned(h string) bool {
	return h == "host" || h == "content-type" || strings.HasPrefix(h, "x-amz-")
}

// v4Signers are the SigV4 signers, aws-sdk-go-v2 first: benchstat compares
// every column with the first. Each returns a function that signs req.
var v4Signers = []struct {
	name string
	new  func(c signCase) func(req *http.Request) error
}{
	{"aws-sdk-go-v2", func(c signCase) func(*http.Request) error {
		s := awsv4.NewSigner()
		creds := aws.Credentials{AccessKeyID: awsAccessKey, SecretAccessKey: awsSecretKey}
		hash, svc := c.hash(), c.service()
		return func(req *http.Request) error {
			return s.SignHTTP(context.Background(), creds, req, hash, svc, awsRegion, signTime)
		}
	}},
	{"aws-http-auth", func(c signCase) func(*http.Request) error {
		s := sigv4.New(func(o *authv4.SignerOptions) { o.HeaderRules = sigv4Rules{} })
		sum := sha256.Sum256([]byte(c.body))
		creds := credentials.Credentials{AccessKeyID: awsAccessKey, SecretAccessKey: awsSecretKey}
		svc := c.service()
		return func(req *http.Request) error {
			return s.SignRequest(&sigv4.SignRequestInput{Request: req, PayloadHash: sum[:], Credentials: creds,
				Service: svc, Region: awsRegion, Time: signTime})
		}
	}},
	{"detach-SignV4", func(c signCase) func(*http.Request) error {
		creds := signer.AWSCredentials{AccessKeyID: awsAccessKey, SecretAccessKey: awsSecretKey}
		hash, svc := c.hash(), c.service()
		return func(req *http.Request) error {
			return signer.SignV4(req, hash, creds, svc, awsRegion, signTime)
		}
	}},
	{"detach-SigV4", func(c signCase) func(*http.Request) error {
		// The authorizer the clients use: credentials from a provider on
		// every attempt, the day's derived key cached.
		a := &signer.SigV4{Credentials: signer.StaticAWSCredentials(awsAccessKey, awsSecretKey, ""),
			Service: c.service(), Region: awsRegion}
		hash := c.hash()
		ctx := context.Background()
		return func(req *http.Request) error {
			return a.Authorize(ctx, req, hash, signTime)
		}
	}},
}

// hwSign signs req; a signer that does not set the headers itself (the
// SDK's returns them) returns them instead.
type hwSign func(req *http.Request) (map[string]string, error)

// hwSigners are the Huawei AK/SK signers, the SDK's first.
var hwSigners = []struct {
	name string
	new  func(c signCase) hwSign
}{
	{"huaweicloud-sdk-go-v3", func(c signCase) hwSign {
		// The SDK signs its own request type, which its client builds for
		// every call anyway; it is built once here, so only Sign is timed.
		// Sign reads the headers and returns the ones to add.
		host := strings.TrimPrefix(c.url, "https://")
		host, path, _ := strings.Cut(host, "/")
		b := hwrequest.NewHttpRequestBuilder().
			WithEndpoint("https://"+host).
			WithPath("/"+path).
			WithMethod(c.method).
			WithSigningAlgorithm(algorithm.HmacSHA256).
			AddHeaderParam("X-Sdk-Date", signTime.Format("20060102T150405Z"))
		if c.contentType != "" {
			b = b.AddHeaderParam("Content-Type", c.contentType).WithBody("json", c.body)
		}
		if c.name == opIC {
			b = b.AddHeaderParam("X-Domain-Id", hwDomainID)
		} else {
			b = b.AddHeaderParam("X-Project-Id", hwProjectID)
		}
		r := b.Build()
		return func(*http.Request) (map[string]string, error) {
			return (hwsigner.Signer{}).Sign(r, hwAccessKey, hwSecretKey)
		}
	}},
	{"detach-SignHuawei", func(c signCase) hwSign {
		creds := signer.HuaweiCredentials{AccessKey: hwAccessKey, SecretKey: hwSecretKey}
		if c.name == opIC {
			creds.DomainID = hwDomainID
		} else {
			creds.ProjectID = hwProjectID
		}
		body := []byte(c.body)
		return func(req *http.Request) (map[string]string, error) {
			// As the transport does once per call.
			hash := ""
			if len(body) > 0 {
				sum := sha256.Sum256(body)
				hash = hex.EncodeToString(sum[:])
			}
			return nil, signer.SignHuawei(req, hash, creds, signTime)
		}
	}},
}

// BenchmarkSign times one signature. Names are
// alg=<sigv4|huawei>/req=<operation>/signer=<...>; compare with
// `benchstat -col /signer`.
func BenchmarkSign(b *testing.B) {
	for _, c := range v4Cases {
		for _, s := range v4Signers {
			b.Run("alg=sigv4/req="+c.name+"/signer="+s.name, func(b *testing.B) {
				benchSign(b, c, s.new(c))
			})
		}
	}
	for _, c := range hwCases {
		for _, s := range hwSigners {
			b.Run("alg=huawei/req="+c.name+"/signer="+s.name, func(b *testing.B) {
				sign := s.new(c)
				benchSign(b, c, func(req *http.Request) error {
					_, err := sign(req)
					return err
				})
			})
		}
	}
}

func benchSign(b *testing.B, c signCase, sign func(*http.Request) error) {
	req := c.request(b)
	b.ReportAllocs()
	for b.Loop() {
		req.Header = c.freshHeader()
		if err := sign(req); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSignersAgree checks that the benchmarks compare like with like: every
// SigV4 signer gives the same Authorization for each request, and both
// Huawei signatures verify for the same request.
func TestSignersAgree(t *testing.T) {
	t.Parallel()
	for _, c := range v4Cases {
		want := ""
		for _, s := range v4Signers {
			req := c.request(t)
			req.Header = c.freshHeader()
			if err := s.new(c)(req); err != nil {
				t.Fatalf("%s %s: %v", c.name, s.name, err)
			}
			got := req.Header.Get("Authorization")
			if want == "" {
				want = got
			} else if got != want {
				t.Errorf("%s: %s signs %q, %s %q", c.name, s.name, got, v4Signers[0].name, want)
			}
		}
	}
	for _, c := range hwCases {
		for _, s := range hwSigners {
			req := c.request(t)
			req.Header = c.freshHeader()
			h, err := s.new(c)(req)
			if err != nil {
				t.Fatalf("%s %s: %v", c.name, s.name, err)
			}
			for k, v := range h {
				req.Header.Set(k, v)
			}
			if s.name == hwSigners[0].name {
				// The SDK's request carries these; detach sets them itself.
				if c.name == opIC {
					req.Header.Set("X-Domain-Id", hwDomainID)
				} else {
					req.Header.Set("X-Project-Id", hwProjectID)
				}
			}
			req.Host = req.URL.Host
			secret := func(ak string) (string, bool) { return hwSecretKey, ak == hwAccessKey }
			if _, err := sigverify.Huawei(req, c.hash(), secret, signTime, time.Minute); err != nil {
				t.Errorf("%s: %s's signature does not verify: %v", c.name, s.name, err)
			}
		}
	}
}
