package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkcp "github.com/aws/aws-sdk-go-v2/service/customerprofiles"
	sdkr53p "github.com/aws/aws-sdk-go-v2/service/route53profiles"
	sdkr53ptypes "github.com/aws/aws-sdk-go-v2/service/route53profiles/types"
	hwauth "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	hwconfig "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	hwdns "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2"
	hwdnsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/dns/v2/model"
	hwic "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenter/v1"
	hwicmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/identitycenter/v1/model"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
)

// call makes one call of an operation and checks its decoded answer.
type call func(ctx context.Context) error

// Client kinds, the client= key of the benchmark names. raw comes first:
// benchstat compares every column with the first.
const (
	clientRaw    = "raw"
	clientDetach = "detach"
	clientSDK    = "sdk"
)

var clientKinds = []string{clientRaw, clientDetach, clientSDK}

// newCall builds the client of kind for operation o at tg, outside any
// timing, and returns its call. ok is false when kind has no client for o:
// huaweicloud-sdk-go-v3 has no IAM token mode (its DNS client accepts only
// BasicCredentials, which sign with an access key).
func newCall(tb testing.TB, o *op, kind string, tg target) (c call, ok bool) {
	tb.Helper()
	switch kind {
	case clientRaw:
		return rawCall(tb, o, tg), true
	case clientDetach:
		return detachCall(tb, o.name, tg), true
	case clientSDK:
		if o.name == opDNSToken {
			return nil, false
		}
		return sdkCall(tb, o.name, tg), true
	}
	tb.Fatalf("unknown client kind %q", kind)
	return nil, false
}

// Raw net/http: the request a careful hand-written client sends, its
// signature computed once before the benchmark (the cost of signing is the
// one thing this floor leaves out), and the same JSON decoded into a struct.

// rawCall returns the raw net/http call of o: build the request, set the
// precomputed headers, send, read the body, check the status, decode.
func rawCall(tb testing.TB, o *op, tg target) call {
	tb.Helper()
	url := tg.endpoint + o.path
	headers := presign(tb, o, url)
	body := []byte(o.reqBody)
	decode := rawDecoder(o.name)
	return func(ctx context.Context) error {
		var rd io.Reader
		if len(body) > 0 {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, o.method, url, rd)
		if err != nil {
			return err
		}
		for _, h := range headers {
			req.Header.Set(h[0], h[1])
		}
		resp, err := tg.client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("status %d: %s", resp.StatusCode, b)
		}
		return decode(b)
	}
}

// rawDecoder decodes and checks the answer of the operation name as a
// hand-written client would: into a struct of the documented fields.
func rawDecoder(name string) func([]byte) error {
	switch name {
	case opR53P:
		return func(b []byte) error {
			var out struct {
				ProfileAssociation *struct {
					CreationTime, ModificationTime                              float64
					ID                                                          string `json:"Id"`
					Name, OwnerID, ProfileID, ResourceID, Status, StatusMessage string
				}
			}
			if err := json.Unmarshal(b, &out); err != nil {
				return err
			}
			if out.ProfileAssociation == nil || out.ProfileAssociation.Status != "DELETING" {
				return errors.New("no DELETING association in the answer")
			}
			return nil
		}
	case opCP:
		return func(b []byte) error {
			var out struct{ Message string }
			if err := json.Unmarshal(b, &out); err != nil {
				return err
			}
			if out.Message == "" {
				return errors.New("no message in the answer")
			}
			return nil
		}
	case opDNSToken, opDNSAKSK:
		return func(b []byte) error {
			var out struct {
				RouterID     string `json:"router_id"`
				RouterRegion string `json:"router_region"`
				Status       string `json:"status"`
			}
			if err := json.Unmarshal(b, &out); err != nil {
				return err
			}
			if out.Status != "PENDING_DELETE" {
				return errors.New("status is not PENDING_DELETE")
			}
			return nil
		}
	}
	return func([]byte) error { return nil } // identitycenter answers with no body
}

// presign signs o's request once, now, and returns the headers the raw
// client sets on every call.
func presign(tb testing.TB, o *op, url string) [][2]string {
	tb.Helper()
	req, err := http.NewRequest(o.method, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	sum := sha256.Sum256([]byte(o.reqBody))
	hash := hex.EncodeToString(sum[:])
	now := time.Now()
	var names []string
	switch o.name {
	case opR53P, opCP:
		err = signer.SignV4(req, hash, signer.AWSCredentials{AccessKeyID: awsAccessKey, SecretAccessKey: awsSecretKey},
			awsService(o.name), awsRegion, now)
		names = []string{"Authorization", "X-Amz-Date"}
	case opIC:
		err = signer.SignHuawei(req, hash, signer.HuaweiCredentials{AccessKey: hwAccessKey, SecretKey: hwSecretKey, DomainID: hwDomainID}, now)
		names = []string{"Authorization", "X-Sdk-Date", "X-Domain-Id"}
	case opDNSAKSK:
		err = signer.SignHuawei(req, hash, signer.HuaweiCredentials{AccessKey: hwAccessKey, SecretKey: hwSecretKey, ProjectID: hwProjectID}, now)
		names = []string{"Authorization", "X-Sdk-Date", "X-Project-Id"}
	case opDNSToken:
		req.Header.Set("X-Auth-Token", hwToken)
		req.Header.Set("X-Project-Id", hwProjectID)
		names = []string{"X-Auth-Token", "X-Project-Id"}
	}
	if err != nil {
		tb.Fatal(err)
	}
	var hs [][2]string
	if o.reqBody != "" {
		hs = append(hs, [2]string{"Content-Type", "application/json"})
	}
	for _, n := range names {
		hs = append(hs, [2]string{n, req.Header.Get(n)})
	}
	return hs
}

func awsService(name string) string {
	if name == opCP {
		return "profile"
	}
	return "route53profiles"
}

// detach: each client built as its documentation shows, with static
// credentials, the IDs given (so no IAM lookup) and the endpoint set.

func detachCall(tb testing.TB, name string, tg target) call {
	tb.Helper()
	awsCreds := signer.StaticAWSCredentials(awsAccessKey, awsSecretKey, "")
	hwCreds := signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: hwAccessKey, SecretKey: hwSecretKey})
	var err error
	var c call
	switch name {
	case opR53P:
		o := route53profiles.Options{Region: awsRegion, Endpoint: tg.endpoint, Credentials: awsCreds}
		o.HTTPClient = tg.client
		var cl *route53profiles.Client
		cl, err = route53profiles.New(o)
		in := &route53profiles.DisassociateProfileInput{ProfileID: r53pProfileID, ResourceID: r53pResourceID}
		c = func(ctx context.Context) error {
			out, err := cl.DisassociateProfile(ctx, in)
			if err != nil {
				return err
			}
			if out.ProfileAssociation == nil || out.ProfileAssociation.Status != route53profiles.ProfileStatusDeleting {
				return errors.New("no DELETING association in the answer")
			}
			return nil
		}
	case opCP:
		o := customerprofiles.Options{Region: awsRegion, Endpoint: tg.endpoint, Credentials: awsCreds}
		o.HTTPClient = tg.client
		var cl *customerprofiles.Client
		cl, err = customerprofiles.New(o)
		in := &customerprofiles.DeleteProfileObjectInput{DomainName: cpDomain, ObjectTypeName: cpType, ProfileID: cpProfileID, ProfileObjectUniqueKey: cpKey}
		c = func(ctx context.Context) error {
			out, err := cl.DeleteProfileObject(ctx, in)
			if err != nil {
				return err
			}
			if out.Message == "" {
				return errors.New("no message in the answer")
			}
			return nil
		}
	case opIC:
		o := identitycenter.Options{Endpoint: tg.endpoint, Credentials: hwCreds, DomainID: hwDomainID}
		o.HTTPClient = tg.client
		var cl *identitycenter.Client
		cl, err = identitycenter.New(o)
		in := &identitycenter.DeleteProfileInput{InstanceID: icInstanceID, ApplicationInstanceID: icAppID, ProfileID: icProfileID}
		c = func(ctx context.Context) error {
			_, err := cl.DeleteProfile(ctx, in)
			return err
		}
	case opDNSToken, opDNSAKSK:
		o := privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: hwRegion, Endpoint: tg.endpoint, ProjectID: hwProjectID}
		if name == opDNSToken {
			o.TokenSource = signer.StaticToken(hwToken)
		} else {
			o.Credentials = hwCreds
		}
		o.HTTPClient = tg.client
		var cl *privatedns.Client
		cl, err = privatedns.New(o)
		in := &privatedns.DisassociateRouterInput{ZoneID: dnsZoneID, RouterID: dnsRouterID, RouterRegion: hwRegion}
		c = func(ctx context.Context) error {
			out, err := cl.DisassociateRouter(ctx, in)
			if err != nil {
				return err
			}
			if out.Status != privatedns.RouterStatusPendingDelete {
				return errors.New("status is not PENDING_DELETE")
			}
			return nil
		}
	default:
		tb.Fatalf("unknown operation %q", name)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// The official SDKs: aws-sdk-go-v2 with static credentials, BaseEndpoint
// and the HTTP client; huaweicloud-sdk-go-v3 with BasicCredentials (DNS) or
// GlobalCredentials (Identity Center), the project or domain ID given, the
// endpoint set and its default HttpConfig around the RoundTripper.

// sdkAWSCredentials is a static provider. aws-sdk-go-v2's own
// credentials.StaticCredentialsProvider (a separate module) does the same:
// it returns a fixed value.
func sdkAWSCredentials() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: awsAccessKey, SecretAccessKey: awsSecretKey, Source: "bench"}, nil
	})
}

func hwHTTPConfig(tg target) *hwconfig.HttpConfig {
	if tr, ok := tg.rt.(*http.Transport); ok {
		return hwconfig.DefaultHttpConfig().WithHttpTransport(tr)
	}
	return hwconfig.DefaultHttpConfig().WithHttpRoundTripper(tg.rt)
}

func sdkCall(tb testing.TB, name string, tg target) call {
	tb.Helper()
	switch name {
	case opR53P:
		cl := sdkr53p.New(sdkr53p.Options{Region: awsRegion, BaseEndpoint: aws.String(tg.endpoint),
			Credentials: sdkAWSCredentials(), HTTPClient: tg.client})
		in := &sdkr53p.DisassociateProfileInput{ProfileId: aws.String(r53pProfileID), ResourceId: aws.String(r53pResourceID)}
		return func(ctx context.Context) error {
			out, err := cl.DisassociateProfile(ctx, in)
			if err != nil {
				return err
			}
			if out.ProfileAssociation == nil || out.ProfileAssociation.Status != sdkr53ptypes.ProfileStatusDeleting {
				return errors.New("no DELETING association in the answer")
			}
			return nil
		}
	case opCP:
		cl := sdkcp.New(sdkcp.Options{Region: awsRegion, BaseEndpoint: aws.String(tg.endpoint),
			Credentials: sdkAWSCredentials(), HTTPClient: tg.client})
		in := &sdkcp.DeleteProfileObjectInput{DomainName: aws.String(cpDomain), ObjectTypeName: aws.String(cpType),
			ProfileId: aws.String(cpProfileID), ProfileObjectUniqueKey: aws.String(cpKey)}
		return func(ctx context.Context) error {
			out, err := cl.DeleteProfileObject(ctx, in)
			if err != nil {
				return err
			}
			if out.Message == nil || *out.Message == "" {
				return errors.New("no message in the answer")
			}
			return nil
		}
	case opIC:
		hc, err := hwic.IdentityCenterClientBuilder().WithEndpoints([]string{tg.endpoint}).WithHttpConfig(hwHTTPConfig(tg)).
			WithCredential(&hwauth.GlobalCredentials{
				BaseCredentials: hwauth.BaseCredentials{AK: hwAccessKey, SK: hwSecretKey},
				DomainId:        hwDomainID,
			}).SafeBuild()
		if err != nil {
			tb.Fatal(err)
		}
		cl := hwic.NewIdentityCenterClient(hc)
		in := &hwicmodel.DeleteProfileRequest{InstanceId: icInstanceID, ApplicationInstanceId: icAppID, ProfileId: icProfileID}
		return func(context.Context) error {
			_, err := cl.DeleteProfile(in)
			return err
		}
	case opDNSAKSK:
		hc, err := hwdns.DnsClientBuilder().WithEndpoints([]string{tg.endpoint}).WithHttpConfig(hwHTTPConfig(tg)).
			WithCredential(&hwauth.BasicCredentials{
				BaseCredentials: hwauth.BaseCredentials{AK: hwAccessKey, SK: hwSecretKey},
				ProjectId:       hwProjectID,
			}).SafeBuild()
		if err != nil {
			tb.Fatal(err)
		}
		cl := hwdns.NewDnsClient(hc)
		region := hwRegion
		in := &hwdnsmodel.DisassociateRouterRequest{ZoneId: dnsZoneID,
			Body: &hwdnsmodel.DisassociaterouterRequestBody{Router: &hwdnsmodel.Router{RouterId: dnsRouterID, RouterRegion: &region}}}
		return func(context.Context) error {
			out, err := cl.DisassociateRouter(in)
			if err != nil {
				return err
			}
			if out.Status == nil || *out.Status != "PENDING_DELETE" {
				return errors.New("status is not PENDING_DELETE")
			}
			return nil
		}
	}
	tb.Fatalf("no SDK client for %q", name)
	return nil
}
