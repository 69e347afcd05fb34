package sdkcompare

import (
	"os"
	"path/filepath"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	hwauth "github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/provider"

	"github.com/detach-go/detach/signer"
)

// hwProfileView is what a profile section yields, from either reader.
type hwProfileView struct {
	OK                             bool
	AK, SK, Token, Project, Domain string
	IdP, IDTokenFile, IAMEndpoint  string
}

// TestHuaweiProfileMatchesSDK reads the same credentials files with
// huaweicloud-sdk-go-v3 v0.1.207's profile providers (gopkg.in/ini.v1) and
// with signer.LoadHuaweiProfile, for both sections, and wants the same
// values, or both to fail. Deliberate differences (multi-line and quoted
// key forms, which detach refuses) are not in the table.
func TestHuaweiProfileMatchesSDK(t *testing.T) {
	files := map[string]string{
		"keys":                "[basic]\nak = AK1\nsk = SK1\nproject_id = p1\ndomain_id = d1\n[global]\nak = AK2\nsk = SK2\ndomain_id = d2\nproject_id = p2\n",
		"token":               "[basic]\nak=AK1\nsk=SK1\nsecurity_token=ST1\n",
		"federation wins":     "[basic]\nak=AK1\nsk=SK1\nidp_id=idp\nid_token_file=/t\niam_endpoint=https://iam.example:443\n",
		"idp without file":    "[basic]\nak=AK1\nsk=SK1\nidp_id=idp\n",
		"ak without sk":       "[basic]\nak=AK1\n",
		"inline comments":     "[basic]\nak = AK1 # c\nsk = S;K1\n",
		"quotes":              "[basic]\nak = \"AK1\"\nsk = 'SK1'\nproject_id = `p#1`\n",
		"colon delimiter":     "[basic]\nak: AK1\nsk: SK1\n",
		"CRLF and BOM":        "\uFEFF[basic]\r\nak = AK1\r\nsk = SK1\r\n",
		"indented":            "  [basic]\n\tak = AK1\n  sk = SK1\n",
		"section not trimmed": "[ basic ]\nak=AK1\nsk=SK1\n",
		"section case":        "[Basic]\nak=AK1\nsk=SK1\n",
		"key case":            "[basic]\nAK=AK1\nSK=SK1\n",
		"repeated key":        "[basic]\nak=AK0\nak=AK1\nsk=SK1\n",
		"repeated section":    "[basic]\nak=AK1\n[global]\n[basic]\nsk=SK1\n",
		"default section":     "ak=AK1\nsk=SK1\n[basic]\n",
		"text after header":   "[basic] ; c\nak=AK1\nsk=SK1\n",
		"no delimiter":        "[basic]\nak=AK1\nsk=SK1\noops\n",
		"unclosed section":    "[basic\nak=AK1\nsk=SK1\n",
		"empty":               "",
		"comment lines":       "# c\n; c\n[basic]\n# ak=no\nak=AK1\nsk=SK1\n",
	}
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, "credentials")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", path)
		for _, section := range []string{signer.HuaweiProfileBasic, signer.HuaweiProfileGlobal} {
			want := sdkProfileView(section)
			var got hwProfileView
			if p, err := signer.LoadHuaweiProfile(section); err == nil {
				c := p.Credentials
				got = hwProfileView{true, c.AccessKey, c.SecretKey, c.SecurityToken, c.ProjectID, c.DomainID, p.IdPID, p.IDTokenFile, p.IAMEndpoint}
			}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("%s [%s] (-sdk +detach):\n%s", name, section, diff)
			}
		}
	}
}

func sdkProfileView(section string) hwProfileView {
	var cred hwauth.ICredential
	var err error
	if section == signer.HuaweiProfileBasic {
		cred, err = provider.BasicCredentialProfileProvider().GetCredentials()
	} else {
		cred, err = provider.GlobalCredentialProfileProvider().GetCredentials()
	}
	if err != nil {
		return hwProfileView{}
	}
	var b hwauth.BaseCredentials
	v := hwProfileView{OK: true}
	switch c := cred.(type) {
	case *hwauth.BasicCredentials:
		b, v.Project = c.BaseCredentials, c.ProjectId
	case *hwauth.GlobalCredentials:
		b, v.Domain = c.BaseCredentials, c.DomainId
	default:
		return hwProfileView{}
	}
	v.AK, v.SK, v.Token, v.IdP, v.IDTokenFile, v.IAMEndpoint = b.AK, b.SK, b.SecurityToken, b.IdpId, b.IdTokenFile, b.IamEndpoint
	if v.IdP != "" {
		// The SDK keeps no keys beside federation; neither does detach.
		v.AK, v.SK, v.Token = "", "", ""
	}
	return v
}
