package awsendpoint

import (
	"regexp"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		prefix, region  string
		fips, dualStack bool
		want            string
	}{
		// The first rows are the resolutions aws.md §1.5 records from botocore.
		{"route53profiles", "us-east-1", false, false, "https://route53profiles.us-east-1.amazonaws.com"},
		{"route53profiles", "us-east-1", true, false, "https://route53profiles-fips.us-east-1.amazonaws.com"},
		{"route53profiles", "us-east-1", false, true, "https://route53profiles.us-east-1.api.aws"},
		{"route53profiles", "us-east-1", true, true, "https://route53profiles-fips.us-east-1.api.aws"},
		{"route53profiles", "cn-north-1", false, false, "https://route53profiles.cn-north-1.amazonaws.com.cn"},
		{"route53profiles", "cn-north-1", false, true, "https://route53profiles.cn-north-1.api.amazonwebservices.com.cn"},
		{"route53profiles", "cn-northwest-1", true, true, "https://route53profiles-fips.cn-northwest-1.api.amazonwebservices.com.cn"},
		{"profile", "us-east-1", false, false, "https://profile.us-east-1.amazonaws.com"},
		{"profile", "us-east-1", true, false, "https://profile-fips.us-east-1.amazonaws.com"},
		{"profile", "us-east-1", false, true, "https://profile.us-east-1.api.aws"},
		{"route53profiles", "us-gov-west-1", false, false, "https://route53profiles.us-gov-west-1.amazonaws.com"},
		{"route53profiles", "us-gov-east-1", true, true, "https://route53profiles-fips.us-gov-east-1.api.aws"},
		{"route53profiles", "us-iso-east-1", false, false, "https://route53profiles.us-iso-east-1.c2s.ic.gov"},
		{"route53profiles", "us-iso-east-1", false, true, "https://route53profiles.us-iso-east-1.api.aws.ic.gov"},
		{"route53profiles", "us-isob-east-1", false, false, "https://route53profiles.us-isob-east-1.sc2s.sgov.gov"},
		{"route53profiles", "us-isob-east-1", true, true, "https://route53profiles-fips.us-isob-east-1.api.aws.scloud"},
		{"route53profiles", "eu-isoe-west-1", false, false, "https://route53profiles.eu-isoe-west-1.cloud.adc-e.uk"},
		{"route53profiles", "eu-isoe-west-1", false, true, "https://route53profiles.eu-isoe-west-1.api.cloud-aws.adc-e.uk"},
		{"route53profiles", "us-isof-south-1", false, false, "https://route53profiles.us-isof-south-1.csp.hci.ic.gov"},
		{"route53profiles", "us-isof-east-1", false, true, "https://route53profiles.us-isof-east-1.api.aws.hci.ic.gov"},
		{"route53profiles", "eusc-de-east-1", false, false, "https://route53profiles.eusc-de-east-1.amazonaws.eu"},
		{"route53profiles", "eusc-de-east-1", false, true, "https://route53profiles.eusc-de-east-1.api.amazonwebservices.eu"},
		// Well-formed regions of no pattern fall into aws, as getPartition does.
		{"profile", "xx-new-7", false, false, "https://profile.xx-new-7.amazonaws.com"},
		{"profile", "localregion", false, false, "https://profile.localregion.amazonaws.com"},
		{"profile", "eusc-fr-east-1", false, false, "https://profile.eusc-fr-east-1.amazonaws.com"}, // only (de) is eusc
		{"profile", "cn-north", false, false, "https://profile.cn-north.amazonaws.com"},             // no digits: not aws-cn
		{"profile", "cn-north-1a", false, false, "https://profile.cn-north-1a.amazonaws.com"},       // \d+$ fails
		{"profile", "us-gov-west-north-1", false, false, "https://profile.us-gov-west-north-1.amazonaws.com"},
		// Pseudo-regions listed by name.
		{"profile", "aws-global", false, false, "https://profile.aws-global.amazonaws.com"},
		{"profile", "aws-cn-global", false, false, "https://profile.aws-cn-global.amazonaws.com.cn"},
		{"profile", "aws-us-gov-global", false, true, "https://profile.aws-us-gov-global.api.aws"},
		{"profile", "aws-iso-global", false, false, "https://profile.aws-iso-global.c2s.ic.gov"},
		{"profile", "aws-iso-b-global", false, false, "https://profile.aws-iso-b-global.sc2s.sgov.gov"},
		{"profile", "aws-iso-e-global", false, false, "https://profile.aws-iso-e-global.cloud.adc-e.uk"},
		{"profile", "aws-iso-f-global", false, false, "https://profile.aws-iso-f-global.csp.hci.ic.gov"},
		{"profile", strings.Repeat("a", 63), false, false, "https://profile." + strings.Repeat("a", 63) + ".amazonaws.com"},
	}
	for _, tt := range tests {
		got, err := Resolve(tt.prefix, tt.region, tt.fips, tt.dualStack)
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q, %q, fips=%v, dualStack=%v) = %q, %v; want %q", tt.prefix, tt.region, tt.fips, tt.dualStack, got, err, tt.want)
		}
	}
}

func TestResolveInvalidRegion(t *testing.T) {
	t.Parallel()
	for _, region := range []string{
		"", "US-EAST-1", "Us-east-1", "US East", "us east 1", "us-east-1.", "us.east.1", "us/east/1",
		"us-east-1/", "-us-east-1", "us-east-1-", "us_east_1", strings.Repeat("a", 64), "us-east-1\n",
		"ü-east-1", "us-east-1#", "us-east-1@evil.example", "us-east-1:443", "us-east-1%2f",
	} {
		got, err := Resolve("profile", region, false, false)
		if err == nil {
			t.Errorf("Resolve(%q) = %q, want an error", region, got)
			continue
		}
		if !strings.HasPrefix(err.Error(), "Region ") {
			t.Errorf("Resolve(%q) error %q does not name Region", region, err)
		}
	}
}

func TestCheckRegionMessage(t *testing.T) {
	t.Parallel()
	err := CheckRegion("US East")
	want := `Region "US East" is not a valid region: it must be lower-case letters, digits and inner hyphens, at most 63 characters (e.g. us-east-1)`
	if err == nil || err.Error() != want {
		t.Errorf("CheckRegion = %v, want %s", err, want)
	}
	long := CheckRegion(strings.Repeat("X", 10000))
	if long == nil || len(long.Error()) > 300 {
		t.Errorf("CheckRegion of a huge value = %v, want a short error", long)
	}
	if err := CheckRegion(""); err == nil || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Errorf("CheckRegion(\"\") = %v, want an error mentioning AWS_REGION", err)
	}
}

func TestEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		region, custom  string
		fips, dualStack bool
		want, wantErr   string
	}{
		{name: "resolved", region: "eu-west-2", want: "https://profile.eu-west-2.amazonaws.com"},
		{name: "custom", region: "eu-west-2", custom: "http://127.0.0.1:8080/base", want: "http://127.0.0.1:8080/base"},
		{name: "custom with fips", region: "us-east-1", custom: "https://x.example", fips: true, wantErr: "UseFIPS cannot be combined with Endpoint"},
		{name: "custom with dual-stack", region: "us-east-1", custom: "https://x.example", dualStack: true, wantErr: "UseDualStack cannot be combined with Endpoint"},
		{name: "custom needs a region", custom: "https://x.example", wantErr: "Region is required"},
		{name: "custom checks the region", region: "Bad Region", custom: "https://x.example", wantErr: `Region "Bad Region" is not a valid region`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Endpoint("profile", tt.region, tt.custom, tt.fips, tt.dualStack)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("Endpoint = %q, %v; want error starting %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Endpoint = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// Not parallel: t.Setenv.
func TestRegionFromEnv(t *testing.T) {
	tests := []struct{ region, defaultRegion, want string }{
		{"eu-west-1", "us-west-2", "eu-west-1"},
		{"", "us-west-2", "us-west-2"},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Setenv("AWS_REGION", tt.region)
		t.Setenv("AWS_DEFAULT_REGION", tt.defaultRegion)
		if got := RegionFromEnv(); got != tt.want {
			t.Errorf("AWS_REGION=%q AWS_DEFAULT_REGION=%q: RegionFromEnv() = %q, want %q", tt.region, tt.defaultRegion, got, tt.want)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"us-east-1", "cn-north-1", "us-gov-west-1", "US East", "", "a-b-", "eusc-de-x-9"} {
		f.Add(s, false, true)
	}
	f.Fuzz(func(t *testing.T, region string, fips, dualStack bool) {
		got, err := Resolve("profile", region, fips, dualStack)
		if err != nil {
			return
		}
		// A resolved endpoint is https://profile[-fips].{region}.{suffix}.
		prefix := "https://profile."
		if fips {
			prefix = "https://profile-fips."
		}
		if !strings.HasPrefix(got, prefix+region+".") {
			t.Fatalf("Resolve(%q) = %q", region, got)
		}
	})
}

func BenchmarkResolve(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Resolve("route53profiles", "us-gov-west-1", true, true); err != nil {
			b.Fatal(err)
		}
	}
}

// referencePartition is getPartition of aws-sdk-go-v2's awsrulesfn written
// with its regular expressions (regionRegex of partitions.json), to check
// the hand-written matcher against.
func referencePartition(region string) partition {
	named := map[string]partition{
		"aws-cn-global":     {"amazonaws.com.cn", "api.amazonwebservices.com.cn"},
		"aws-us-gov-global": {"amazonaws.com", "api.aws"},
		"aws-iso-global":    {"c2s.ic.gov", "api.aws.ic.gov"},
		"aws-iso-b-global":  {"sc2s.sgov.gov", "api.aws.scloud"},
		"aws-iso-e-global":  {"cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"},
		"aws-iso-f-global":  {"csp.hci.ic.gov", "api.aws.hci.ic.gov"},
	}
	if p, ok := named[region]; ok {
		return p
	}
	patterns := []struct {
		re string
		p  partition
	}{
		{`^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`, partition{"amazonaws.com", "api.aws"}},
		{`^cn\-\w+\-\d+$`, partition{"amazonaws.com.cn", "api.amazonwebservices.com.cn"}},
		{`^eusc\-(de)\-\w+\-\d+$`, partition{"amazonaws.eu", "api.amazonwebservices.eu"}},
		{`^us\-iso\-\w+\-\d+$`, partition{"c2s.ic.gov", "api.aws.ic.gov"}},
		{`^us\-isob\-\w+\-\d+$`, partition{"sc2s.sgov.gov", "api.aws.scloud"}},
		{`^eu\-isoe\-\w+\-\d+$`, partition{"cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"}},
		{`^us\-isof\-\w+\-\d+$`, partition{"csp.hci.ic.gov", "api.aws.hci.ic.gov"}},
		{`^us\-gov\-\w+\-\d+$`, partition{"amazonaws.com", "api.aws"}},
	}
	for _, pt := range patterns {
		if regexp.MustCompile(pt.re).MatchString(region) {
			return pt.p
		}
	}
	return partition{"amazonaws.com", "api.aws"}
}

func FuzzPartitionOf(f *testing.F) {
	for _, s := range []string{"us-east-1", "cn-north-1", "cn-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1",
		"eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1", "aws-iso-b-global", "us-isob-east-1a", "eu-isoe-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, region string) {
		if !validLabel(region) {
			return
		}
		if got, want := partitionOf(region), referencePartition(region); got != want {
			t.Fatalf("partitionOf(%q) = %v, want %v", region, got, want)
		}
	})
}
