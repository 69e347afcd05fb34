package route53profiles_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
)

func staticCreds() signer.AWSCredentialsProvider {
	return signer.StaticAWSCredentials(testAccessKey, testSecretKey, testToken)
}

func TestNewEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		o    route53profiles.Options
		want string
	}{
		{"us-east-1", route53profiles.Options{Region: "us-east-1"}, "https://route53profiles.us-east-1.amazonaws.com"},
		{"cn-north-1", route53profiles.Options{Region: "cn-north-1"}, "https://route53profiles.cn-north-1.amazonaws.com.cn"},
		{"us-gov-west-1", route53profiles.Options{Region: "us-gov-west-1"}, "https://route53profiles.us-gov-west-1.amazonaws.com"},
		{"us-iso-east-1", route53profiles.Options{Region: "us-iso-east-1"}, "https://route53profiles.us-iso-east-1.c2s.ic.gov"},
		{"eu-isoe-west-1", route53profiles.Options{Region: "eu-isoe-west-1"}, "https://route53profiles.eu-isoe-west-1.cloud.adc-e.uk"},
		{"fips", route53profiles.Options{Region: "us-east-1", UseFIPS: true}, "https://route53profiles-fips.us-east-1.amazonaws.com"},
		{"dual-stack", route53profiles.Options{Region: "us-east-1", UseDualStack: true}, "https://route53profiles.us-east-1.api.aws"},
		{"fips and dual-stack", route53profiles.Options{Region: "us-gov-east-1", UseFIPS: true, UseDualStack: true}, "https://route53profiles-fips.us-gov-east-1.api.aws"},
		{"custom", route53profiles.Options{Region: "us-east-1", Endpoint: "https://vpce-1.route53profiles.us-east-1.vpce.amazonaws.com"}, "https://vpce-1.route53profiles.us-east-1.vpce.amazonaws.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.o.Credentials = staticCreds()
			c, err := route53profiles.New(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Endpoint(); got != tt.want {
				t.Errorf("Endpoint() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		o    route53profiles.Options
		want string
	}{
		{"upper case region", route53profiles.Options{Region: "US East"}, `route53profiles: Region "US East" is not a valid region`},
		{"dotted region", route53profiles.Options{Region: "us-east-1.evil.example"}, `route53profiles: Region "us-east-1.evil.example" is not a valid region`},
		{"slash region", route53profiles.Options{Region: "us/east"}, `route53profiles: Region "us/east" is not a valid region`},
		{"long region", route53profiles.Options{Region: strings.Repeat("a", 64)}, `route53profiles: Region "aaaa`},
		{"fips with endpoint", route53profiles.Options{Region: "us-east-1", Endpoint: "https://x.example", UseFIPS: true}, "route53profiles: UseFIPS cannot be combined with Endpoint"},
		{"dual-stack with endpoint", route53profiles.Options{Region: "us-east-1", Endpoint: "https://x.example", UseDualStack: true}, "route53profiles: UseDualStack cannot be combined with Endpoint"},
		{"endpoint without host", route53profiles.Options{Region: "us-east-1", Endpoint: "https://"}, "route53profiles: Endpoint is not valid: endpoint has no host"},
		{"endpoint scheme", route53profiles.Options{Region: "us-east-1", Endpoint: "ftp://x.example"}, "route53profiles: Endpoint is not valid: endpoint must be an http or https URL"},
		{"endpoint user info", route53profiles.Options{Region: "us-east-1", Endpoint: "https://user:hunter2@x.example"}, "route53profiles: Endpoint is not valid: endpoint must not contain user info"},
		{"user agent line break", route53profiles.Options{Region: "us-east-1", UserAgentApp: "app\r\nX: y"}, "route53profiles: transport: UserAgentApp must not contain "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.o.Credentials = staticCreds()
			c, err := route53profiles.New(tt.o)
			if err == nil {
				t.Fatalf("New = %v, want an error", c)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to start with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the endpoint's password", err)
			}
		})
	}
}

// Not parallel: t.Setenv.
func TestNewRegionFromEnv(t *testing.T) {
	tests := []struct {
		name, explicit, awsRegion, awsDefault string
		want, wantErr                         string
	}{
		{name: "AWS_REGION", awsRegion: "eu-west-2", awsDefault: "us-west-2", want: "eu-west-2"},
		{name: "AWS_DEFAULT_REGION", awsDefault: "us-west-2", want: "us-west-2"},
		{name: "explicit wins", explicit: "ap-south-1", awsRegion: "eu-west-2", want: "ap-south-1"},
		{name: "none", wantErr: "route53profiles: Region is required"},
		{name: "bad env", awsRegion: "EU West", wantErr: `route53profiles: Region "EU West" is not a valid region`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("AWS_REGION", tt.awsRegion)
			t.Setenv("AWS_DEFAULT_REGION", tt.awsDefault)
			c, err := route53profiles.New(route53profiles.Options{Region: tt.explicit, Credentials: staticCreds()})
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("New error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Options().Region; got != tt.want {
				t.Errorf("Region = %q, want %q", got, tt.want)
			}
			if got, want := c.Endpoint(), "https://route53profiles."+tt.want+".amazonaws.com"; got != want {
				t.Errorf("Endpoint = %q, want %q", got, want)
			}
		})
	}
}

func TestNewOptionsAndRequiredCredentials(t *testing.T) {
	t.Parallel()
	creds := staticCreds()
	c, err := route53profiles.New(route53profiles.Options{Region: "us-east-1", Credentials: creds}, nil, func(o *route53profiles.Options) {
		o.Region = "eu-central-1"
	})
	if err != nil {
		t.Fatal(err)
	}
	if o := c.Options(); o.Region != "eu-central-1" || o.Credentials != creds {
		t.Errorf("Options() = Region %q, Credentials %v; want eu-central-1 and the given provider", o.Region, o.Credentials)
	}

	// No default: the caller chooses static keys or the full chain.
	_, err = route53profiles.New(route53profiles.Options{Region: "us-east-1"})
	if err == nil || !strings.Contains(err.Error(), "route53profiles: Credentials is required") ||
		!strings.Contains(err.Error(), "awscreds.NewDefaultChain") {
		t.Errorf("New without Credentials: err = %v, want one naming Credentials and the chain", err)
	}
}

func TestClientRenderingHidesCredentials(t *testing.T) {
	t.Parallel()
	c, err := route53profiles.New(route53profiles.Options{Region: "us-west-2", Credentials: staticCreds(), UserAgentApp: "myapp"})
	if err != nil {
		t.Fatal(err)
	}
	want := "route53profiles.Client{Endpoint:https://route53profiles.us-west-2.amazonaws.com Region:us-west-2}"
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q", "%T %v"} {
		outs = append(outs, fmt.Sprintf(verb, c))
	}
	outs = append(outs, fmt.Sprint(c), fmt.Sprintf("%v", []any{c}), fmt.Sprintf("%+v", struct{ C *route53profiles.Client }{c}))
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("client", "c", c)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("client", "c", c)
	outs = append(outs, buf.String())
	js, _ := json.Marshal(c)
	outs = append(outs, string(js))
	for _, s := range outs {
		if strings.Contains(s, testSecretKey) || strings.Contains(s, testToken) || strings.Contains(s, "EXAMPLEKEY") {
			t.Errorf("rendering leaks a secret: %s", s)
		}
	}
	if got := fmt.Sprintf("%v", c); got != want {
		t.Errorf("%%v = %q, want %q", got, want)
	}
	if !strings.Contains(buf.String(), `"endpoint":"https://route53profiles.us-west-2.amazonaws.com"`) {
		t.Errorf("slog output %q lacks the endpoint", buf.String())
	}
	var nilClient *route53profiles.Client
	if got := fmt.Sprintf("%v", nilClient); got != "<nil>" { // fmt's rendering of a nil pointer
		t.Errorf("nil client renders as %q", got)
	}
}
