package sdkcompare

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	golangsdk "github.com/opentelekomcloud/gophertelekomcloud"
	"github.com/opentelekomcloud/gophertelekomcloud/openstack"

	"github.com/detach-go/detach/signer/cloudsyaml"
)

// The clouds.yaml comparison runs gophertelekomcloud v0.9.8's reading of
// clouds.yaml and OS_* (openstack.NewEnv("OS_").Cloud, then
// openstack.AuthOptionsFromInfo, the path its AuthenticatedClient takes)
// and detach's cloudsyaml.Load over the same files and variables, and
// compares what each would authenticate with.
//
// Each scenario runs in a child process (this test binary, re-executed),
// because gophertelekomcloud fixes its search list (working directory and
// home) when its package is initialised and reads the real environment:
// the child starts in the scenario's working directory with HOME and the
// OS_* variables set, and nothing else inherited. /etc/openstack is the
// machine's own for both.

// childEnvFlag makes the test binary act as the child.
const childEnvFlag = "SDKCOMPARE_CLOUDSYAML_CHILD"

// authView is what a client authenticates with, as both sides resolve it.
type authView struct {
	Method                                  string // password, token or aksk
	AuthURL                                 string
	Username, UserID, Password              string
	DomainName, DomainID                    string
	ProjectName, ProjectID                  string
	Token                                   string
	AccessKey, SecretKey, SecurityToken     string
	AgencyName, AgencyDomainName, Delegated string
	Region, Interface                       string
	Insecure                                bool
}

// childResult is what the child prints: each side's view or its error.
type childResult struct {
	SDK, Ours       *authView
	SDKErr, OursErr string
}

// sdkView turns gophertelekomcloud's resolved cloud into the view. The
// auth options carry the method, user, domain, project, token and keys;
// the security token and the agency fields come from the cloud itself,
// since AuthOptionsFromInfo drops them (terraform-provider-opentelekomcloud
// takes them from the cloud the same way).
func sdkView(cloud *openstack.Cloud) (*authView, error) {
	info := cloud.AuthInfo // AuthOptionsFromInfo edits what it is given
	opts, err := openstack.AuthOptionsFromInfo(&info, cloud.AuthType)
	if err != nil {
		return nil, err
	}
	v := &authView{
		SecurityToken: cloud.AuthInfo.SecurityToken,
		AgencyName:    cloud.AuthInfo.AgencyName, AgencyDomainName: cloud.AuthInfo.AgencyDomainName,
		Delegated: cloud.AuthInfo.DelegatedProject,
		Region:    cloud.RegionName,
		Interface: cloud.EndpointType,
		Insecure:  cloud.Verify != nil && !*cloud.Verify,
	}
	if v.Interface == "" {
		v.Interface = cloud.Interface
	}
	switch o := opts.(type) {
	case golangsdk.AKSKAuthOptions:
		v.Method, v.AuthURL = "aksk", o.IdentityEndpoint
		v.ProjectName, v.ProjectID, v.DomainName, v.DomainID = o.ProjectName, o.ProjectId, o.Domain, o.DomainID
		v.AccessKey, v.SecretKey = o.AccessKey, o.SecretKey
	case golangsdk.AuthOptions:
		v.Method = "password"
		if o.TokenID != "" {
			v.Method = "token" // openstack.v3auth checks the token first
		}
		v.AuthURL, v.Username, v.UserID, v.Password = o.IdentityEndpoint, o.Username, o.UserID, o.Password
		v.DomainName, v.DomainID, v.ProjectName, v.ProjectID, v.Token = o.DomainName, o.DomainID, o.TenantName, o.TenantID, o.TokenID
		// AccessKey and SecretKey are kept only on the AK/SK path.
	default:
		return nil, fmt.Errorf("unexpected options %T", opts)
	}
	return v, nil
}

func oursView(c cloudsyaml.Cloud) *authView {
	v := &authView{
		Method: string(c.Method()), AuthURL: c.AuthURL,
		Username: c.Username, UserID: c.UserID, Password: c.Password,
		DomainName: c.DomainName, DomainID: c.DomainID, ProjectName: c.ProjectName, ProjectID: c.ProjectID,
		Token: c.Token, SecurityToken: c.SecurityToken,
		AgencyName: c.AgencyName, AgencyDomainName: c.AgencyDomainName, Delegated: c.DelegatedProject,
		Region: c.Region, Interface: c.Interface, Insecure: c.Insecure,
	}
	if v.Method == "aksk" {
		v.AccessKey, v.SecretKey = c.AccessKey, c.SecretKey
	}
	return v
}

// TestCloudsYAMLChild is the child's side; it does nothing in a normal run.
func TestCloudsYAMLChild(t *testing.T) {
	if os.Getenv(childEnvFlag) == "" {
		t.Skip("runs only as the child of TestCloudsYAMLAgainstGophertelekomcloud")
	}
	var name []string
	if n := os.Getenv("SDKCOMPARE_CLOUD_ARG"); n != "" {
		name = []string{n}
	}
	var r childResult
	func() {
		defer func() {
			if p := recover(); p != nil {
				r.SDKErr = fmt.Sprint("panic: ", p)
			}
		}()
		cloud, err := openstack.NewEnv("OS_").Cloud(name...)
		if err == nil {
			r.SDK, err = sdkView(cloud)
		}
		if err != nil {
			r.SDKErr = err.Error()
		}
	}()
	opts := cloudsyaml.Options{}
	if len(name) > 0 {
		opts.Cloud = name[0]
	}
	if c, err := cloudsyaml.Load(opts); err != nil {
		r.OursErr = err.Error()
	} else {
		r.Ours = oursView(c)
	}
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("\n%s%s\n", childMarker, out)
}

const childMarker = "CLOUDSYAML-RESULT "

// runChild runs the child in work with HOME and env, and returns its result.
func runChild(t *testing.T, work, home string, env map[string]string) childResult {
	t.Helper()
	all := map[string]string{childEnvFlag: "1", "HOME": home}
	for k, v := range env {
		all[k] = v
	}
	return runChildTest[childResult](t, "child", "TestCloudsYAMLChild", work, childMarker, all)
}
