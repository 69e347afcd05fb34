package reliability

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// The values of options and credentials that would break a header.
const (
	crlf = "x\r\nX-Injected: 1"
	lf   = "x\nX-Injected: 1"
)

func awsKeys() signer.AWSCredentialsProvider {
	return signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, "")
}

func hwKeys(mod func(*signer.HuaweiCredentials)) signer.HuaweiCredentialsProvider {
	c := signer.HuaweiCredentials{AccessKey: fakecloud.HuaweiAK, SecretKey: fakecloud.HuaweiSK}
	if mod != nil {
		mod(&c)
	}
	return signer.StaticHuaweiCredentials(c)
}

func dnsOptions(endpoint string, mod func(*privatedns.Options)) privatedns.Options {
	o := privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: fakecloud.HuaweiRegion, Endpoint: endpoint,
		ProjectID: fakecloud.HuaweiProjectID, Credentials: hwKeys(nil)}
	if mod != nil {
		mod(&o)
	}
	return o
}

// TestOptionsThatBecomeHeaders: an option or credential that becomes a
// header (user agent, region, domain and project IDs, tokens, keys) and
// carries CR/LF or another control character is rejected, by New or at the
// call before anything is sent, with an error naming it.
func TestOptionsThatBecomeHeaders(t *testing.T) {
	t.Parallel()
	srv := newLoopback(t, nil)
	base := srv.URL()
	s := transport.Settings{HTTPClient: newHTTPClient(t), Retry: fastRetry()}
	type optCase struct {
		name  string
		want  string // a word the error must contain
		in    any
		build func() (*opClient, error)
	}
	var tests []optCase
	cur := "" // the bad value of the cases being added
	add := func(name string, want string, in any, build func() (*opClient, error)) {
		tests = append(tests, optCase{name + " " + strconv.Quote(cur), want, in, build})
	}
	r53, cp, ic, dns := opRoute53Profiles().input(0), opCustomerProfiles().input(0), opIdentityCenter().input(0), opPrivateDNS().input(0)
	for _, v := range []string{crlf, lf} {
		cur = v
		add("route53profiles UserAgentApp", "UserAgentApp", r53, func() (*opClient, error) {
			return newRoute53Profiles(base, awsKeys(), s, v)
		})
		add("customerprofiles UserAgentApp", "UserAgentApp", cp, func() (*opClient, error) {
			return newCustomerProfiles(base, awsKeys(), s, v)
		})
		add("identitycenter UserAgentApp", "UserAgentApp", ic, func() (*opClient, error) {
			return newIdentityCenter(base, hwKeys(nil), fakecloud.HuaweiDomainID, "", s, v)
		})
		add("privatedns UserAgentApp", "UserAgentApp", dns, func() (*opClient, error) {
			return newPrivateDNS(dnsOptions(base, func(o *privatedns.Options) { o.UserAgentApp = v }))
		})
		add("route53profiles Region", "Region", r53, func() (*opClient, error) {
			_, err := route53profiles.New(route53profiles.Options{Region: "us-east-1" + v, Endpoint: base, Credentials: awsKeys()})
			return nil, err
		})
		add("customerprofiles Endpoint", "Endpoint", cp, func() (*opClient, error) {
			return newCustomerProfiles(base+"/"+v, awsKeys(), s, "")
		})
		add("identitycenter DomainID", "DomainID", ic, func() (*opClient, error) {
			return newIdentityCenter(base, hwKeys(nil), "d"+v, "", s, "")
		})
		add("privatedns ProjectID with keys", "ProjectID", dns, func() (*opClient, error) {
			return newPrivateDNS(dnsOptions(base, func(o *privatedns.Options) { o.ProjectID = "p" + v }))
		})
		add("privatedns ProjectID with a token", "ProjectID", dns, func() (*opClient, error) {
			return newPrivateDNS(dnsOptions(base, func(o *privatedns.Options) {
				o.ProjectID, o.Credentials, o.TokenSource = "p"+v, nil, signer.StaticToken("token")
			}))
		})
		add("privatedns Region", "Region", dns, func() (*opClient, error) {
			return newPrivateDNS(dnsOptions(base, func(o *privatedns.Options) { o.Region = "cn-north-4" + v }))
		})
		add("privatedns Endpoint", "Endpoint", dns, func() (*opClient, error) {
			return newPrivateDNS(dnsOptions(base+"/"+v, nil))
		})
		add("privatedns static token", "token", dns, func() (*opClient, error) {
			return newPrivateDNS(dnsOptions(base, func(o *privatedns.Options) {
				o.Credentials, o.TokenSource = nil, signer.StaticToken("t"+v)
			}))
		})
		add("privatedns security token", "security token", dns, func() (*opClient, error) {
			return newPrivateDNS(dnsOptions(base, func(o *privatedns.Options) {
				o.Credentials = hwKeys(func(c *signer.HuaweiCredentials) { c.SecurityToken = "st" + v })
			}))
		})
		add("privatedns credentials' project ID", "project ID", dns, func() (*opClient, error) {
			return newPrivateDNS(dnsOptions(base, func(o *privatedns.Options) {
				o.ProjectID = ""
				o.Region = ""
				o.Credentials = hwKeys(func(c *signer.HuaweiCredentials) { c.ProjectID = "p" + v })
			}))
		})
		add("identitycenter access key", "access key", ic, func() (*opClient, error) {
			return newIdentityCenter(base, hwKeys(func(c *signer.HuaweiCredentials) { c.AccessKey = "AK" + v }),
				fakecloud.HuaweiDomainID, "", s, "")
		})
		add("identitycenter credentials' domain ID", "domain ID", ic, func() (*opClient, error) {
			return newIdentityCenter(base, hwKeys(func(c *signer.HuaweiCredentials) { c.DomainID = "d" + v }), "", base, s, "")
		})
		add("customerprofiles access key ID", "access key", cp, func() (*opClient, error) {
			return newCustomerProfiles(base, signer.StaticAWSCredentials("AKID"+v, fakecloud.AWSSecretKey, ""), s, "")
		})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.hits.Load()
			c, err := tc.build()
			if err == nil && c == nil {
				t.Fatal("accepted")
			}
			if err == nil {
				var meta transport.Metadata
				_, meta, err = c.call(context.Background(), tc.in)
				if got := classify(t, meta, err); err != nil && got.Kind != "auth" {
					t.Errorf("call outcome %+v (%v), want an auth error before any attempt is sent", got, err)
				}
			}
			if err == nil {
				t.Fatalf("accepted")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not name %q", err, tc.want)
			}
			sent := int(srv.hits.Load() - before)
			if sent != 0 {
				t.Errorf("%d requests left the process", sent)
			}
			checkErrorText(t, err)
			figures.loss("requests sent for bad input", sent)
			figures.badOption()
		})
	}
}

// TestIAMPasswordConfigControlCharacters: the IAM login fields are checked
// when the source is created, and the password is never echoed.
func TestIAMPasswordConfigControlCharacters(t *testing.T) {
	t.Parallel()
	const password = "hunter2-secret-password"
	for _, name := range []string{"UserName", "Password", "DomainName", "ProjectName"} {
		for _, v := range []string{crlf, lf, "x\x00", "x\xff"} {
			t.Run(name+" "+strconv.Quote(v), func(t *testing.T) {
				cfg := huaweicreds.PasswordConfig{Endpoint: "http://127.0.0.1:1", Region: fakecloud.HuaweiRegion,
					UserName: "u", Password: password, DomainName: "d"}
				switch name {
				case "UserName":
					cfg.UserName = v
				case "Password":
					cfg.Password = password + v
				case "DomainName":
					cfg.DomainName = v
				case "ProjectName":
					cfg.ProjectName = v
				}
				_, err := huaweicreds.NewPasswordTokenSource(cfg)
				if err == nil {
					t.Fatal("accepted")
				}
				if !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), password) {
					t.Errorf("error %q does not name %s, or shows the password", err, name)
				}
				figures.badOption()
			})
		}
	}
}
