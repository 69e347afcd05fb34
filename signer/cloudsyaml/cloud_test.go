package cloudsyaml

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func TestMethod(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		c    Cloud
		want AuthMethod
	}{
		{"password", Cloud{Username: "u", Password: "p"}, MethodPassword},
		{"nothing is a password cloud", Cloud{}, MethodPassword},
		{"a token wins over a password", Cloud{Username: "u", Password: "p", Token: "t"}, MethodToken},
		{"an access key without auth_type", Cloud{AccessKey: "ak", Token: "t"}, MethodAKSK},
		{"auth_type password with an access key and no token", Cloud{AuthType: "password", AccessKey: "ak", Password: "p"}, MethodPassword},
		{"auth_type password with a token: the token (v3auth checks it first)", Cloud{AuthType: "v3password", Token: "t"}, MethodToken},
		{"auth_type aksk without keys", Cloud{AuthType: "aksk", Token: "t"}, MethodAKSK},
		{"auth_type token", Cloud{AuthType: "token", Token: "t", AccessKey: "ak"}, MethodToken},
		{"unknown auth_type with an access key", Cloud{AuthType: "v3oidc", AccessKey: "ak"}, MethodPassword},
	}
	for _, tc := range cases {
		if got := tc.c.Method(); got != tc.want {
			t.Errorf("%s: Method = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	base := Cloud{Name: "c", AuthURL: iamEUDE}
	pw := with(base, func(c *Cloud) { c.Username, c.Password, c.DomainName = "u", "pw-FILE", account })
	cases := []struct {
		name   string
		c      Cloud
		fields []string // the FieldErrors' fields, in order; none: valid
	}{
		{"password by user name", pw, nil},
		{"password by user ID, no domain", with(base, func(c *Cloud) { c.UserID, c.Password = "uid", "pw-FILE" }), nil},
		{"token", with(base, func(c *Cloud) { c.Token = "tok-FILE" }), nil},
		{"AK/SK with a security token", with(base, func(c *Cloud) { c.AccessKey, c.SecretKey, c.SecurityToken = "ak", "sk-FILE", "st-FILE" }), nil},
		{"agency without a delegated project (domain scope)", with(pw, func(c *Cloud) { c.AgencyName, c.AgencyDomainName = "ops", "d2" }), nil},
		{"agency with a delegated project", with(pw, func(c *Cloud) { c.AgencyName, c.AgencyDomainName, c.DelegatedProject = "ops", "d2", "eu-de_x" }), nil},
		{"project by ID needs no domain", with(base, func(c *Cloud) { c.UserID, c.Password, c.ProjectID = "uid", "pw-FILE", "pid" }), nil},

		{"no auth URL, nothing", Cloud{}, []string{"AuthURL", "Password", "Username"}},
		{"auth URL not http", with(pw, func(c *Cloud) { c.AuthURL = "ftp://iam.example/v3" }), []string{"AuthURL"}},
		{"auth URL without a host", with(pw, func(c *Cloud) { c.AuthURL = "https:///v3" }), []string{"AuthURL"}},
		{"auth URL with the placeholder", with(pw, func(c *Cloud) { c.AuthURL = "https://iam.{region_name}.example/v3" }), []string{"AuthURL"}},
		{"auth URL with a control character", with(pw, func(c *Cloud) { c.AuthURL = iamEUDE + "\n" }), []string{"AuthURL"}},
		{"unknown auth_type", with(pw, func(c *Cloud) { c.AuthType = "v3applicationcredential" }), []string{"AuthType"}},
		{"password without a user", with(base, func(c *Cloud) { c.Password = "pw-FILE" }), []string{"Username"}},
		{"user name and user ID", with(pw, func(c *Cloud) { c.UserID = "uid" }), []string{"UserID"}},
		{"user name without a domain", with(pw, func(c *Cloud) { c.DomainName = "" }), []string{"DomainName"}},
		{"user name with both domain name and ID", with(pw, func(c *Cloud) { c.DomainID = "did" }), []string{"DomainID"}},
		{"a project name needs a domain, also for a user ID", with(base, func(c *Cloud) { c.UserID, c.Password, c.ProjectName = "uid", "pw-FILE", "eu-de" }), []string{"DomainName"}},
		{"a user without a password", with(pw, func(c *Cloud) { c.Password = "" }), []string{"Password"}},
		{"auth_type token without a token", with(pw, func(c *Cloud) { c.AuthType = "token" }), []string{"Token"}},
		{"auth_type aksk without keys", with(base, func(c *Cloud) { c.AuthType = "aksk" }), []string{"AccessKey", "SecretKey"}},
		{"an access key without its secret", with(base, func(c *Cloud) { c.AccessKey = "ak" }), []string{"SecretKey"}},
		{"agency name alone", with(pw, func(c *Cloud) { c.AgencyName = "ops" }), []string{"AgencyDomainName"}},
		{"agency domain alone", with(pw, func(c *Cloud) { c.AgencyDomainName = "d2" }), []string{"AgencyName"}},
		{"delegated project alone", with(pw, func(c *Cloud) { c.DelegatedProject = "p" }), []string{"DelegatedProject"}},
		{"a CR in a token", with(base, func(c *Cloud) { c.Token = "tok-FILE\r" }), []string{"Token"}},
		{"control characters in IDs and the region", with(pw, func(c *Cloud) { c.ProjectID, c.Region = "p\x00", "eu-de\x7f" }), []string{"ProjectID", "Region"}},
		{"any byte in a password or secret key", with(pw, func(c *Cloud) { c.Password = "pw-FILE\n\x00" }), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.c.Validate()
			var got []string
			if err != nil {
				noSecrets(t, "Validate error", err.Error())
				for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
					var fe *FieldError
					require.True(t, errors.As(e, &fe), "error %v is not a *FieldError", e)
					got = append(got, fe.Field)
					if fe.Cloud != tc.c.Name {
						t.Errorf("FieldError.Cloud = %q, want %q", fe.Cloud, tc.c.Name)
					}
				}
			}
			if d := cmp.Diff(tc.fields, got); d != "" {
				t.Errorf("Validate fields (-want +got):\n%s\nerror: %v", d, err)
			}
		})
	}
}

func TestFieldErrorText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  *FieldError
		want string
	}{
		{&FieldError{Cloud: "prod", Field: "AuthURL", Rule: "is required"},
			`cloudsyaml: cloud "prod": AuthURL (auth.auth_url, OS_AUTH_URL) is required`},
		{&FieldError{Field: "AgencyName", Rule: "is required with AgencyDomainName"},
			`cloudsyaml: OS_* environment: AgencyName (auth.target_agency_name, OS_AGENCY_NAME) is required with AgencyDomainName`},
	}
	for _, tc := range cases {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %s\nwant      %s", got, tc.want)
		}
	}
	fe := &FileError{Path: "/x/clouds.yaml", Line: 3, Reason: "is not valid YAML"}
	if got, want := fe.Error(), "cloudsyaml: /x/clouds.yaml:3: is not valid YAML"; got != want {
		t.Errorf("FileError = %s, want %s", got, want)
	}
}

// TestRedaction renders a Cloud holding every secret in every way a caller
// might and checks that no secret appears, while the other values do.
func TestRedaction(t *testing.T) {
	t.Parallel()
	c := Cloud{
		Name: "prod", AuthURL: iamEUDE, Username: "alice", Password: "pw-FILE", DomainName: account,
		Token: "tok-FILE", AccessKey: "AKVISIBLE", SecretKey: "sk-FILE", SecurityToken: "st-FILE",
		AgencyName: "ops",
	}
	values := map[string]any{
		"Cloud":  c,
		"*Cloud": &c,
		"nested": struct{ A any }{c},
		"slice":  []Cloud{c},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%X", "%10.3v"}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var outs []string
			for _, verb := range verbs {
				outs = append(outs, fmt.Sprintf(verb, v))
			}
			if !strings.Contains(outs[0], "AKVISIBLE") || !strings.Contains(outs[0], "Password:[redacted]") {
				t.Errorf("%%v = %s, want the access key and a redacted password", outs[0])
			}
			js, err := json.Marshal(v)
			require.NoError(t, err)
			outs = append(outs, string(js))
			for _, h := range []func(*bytes.Buffer) slog.Handler{
				func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
				func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			} {
				var buf bytes.Buffer
				slog.New(h(&buf)).Info("msg", "cloud", v, slog.Group("g", "nested", v))
				outs = append(outs, buf.String())
			}
			for _, out := range outs {
				noSecrets(t, "rendering", out)
			}
		})
	}
	t.Run("JSON shape", func(t *testing.T) {
		t.Parallel()
		var m map[string]any
		js, err := json.Marshal(c)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(js, &m))
		want := map[string]any{"Password": "[redacted]", "Token": "[redacted]", "SecretKey": "[redacted]",
			"SecurityToken": "[redacted]", "AccessKey": "AKVISIBLE", "Insecure": false, "Name": "prod"}
		got := map[string]any{}
		for k := range want {
			got[k] = m[k]
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("JSON (-want +got):\n%s", d)
		}
		if len(m) != len(c.fields()) {
			t.Errorf("JSON has %d keys, want %d", len(m), len(c.fields()))
		}
	})
	t.Run("empty secrets stay visible as empty", func(t *testing.T) {
		t.Parallel()
		s := fmt.Sprint(Cloud{Token: "tok-FILE"})
		if !strings.Contains(s, "Password: ") || !strings.Contains(s, "Token:[redacted]") {
			t.Errorf("rendering %s: want an empty Password and a redacted Token", s)
		}
	})
}
