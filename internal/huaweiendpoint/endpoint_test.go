package huaweiendpoint

import "testing"

func TestEndpoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		otc              bool
		region           string
		wantDNS, wantIAM string
	}{
		{false, "cn-north-4", "https://dns.cn-north-4.myhuaweicloud.com", "https://iam.cn-north-4.myhuaweicloud.com"},
		{false, "ap-southeast-1", "https://dns.ap-southeast-1.myhuaweicloud.com", "https://iam.ap-southeast-1.myhuaweicloud.com"},
		{false, "my-kualalumpur-1", "https://dns.my-kualalumpur-1.myhuaweicloud.com", "https://iam.my-kualalumpur-1.myhuaweicloud.com"},
		{false, "", "", "https://iam.myhuaweicloud.com"},
		{true, "eu-de", "https://dns.eu-de.otc.t-systems.com", "https://iam.eu-de.otc.t-systems.com"},
		{true, "eu-nl", "https://dns.eu-nl.otc.t-systems.com", "https://iam.eu-nl.otc.t-systems.com"},
		{true, "eu-ch2", "https://dns.eu-ch2.sc.otc.t-systems.com", "https://iam-pub.eu-ch2.sc.otc.t-systems.com"},
		{true, "", "", ""},
	}
	for _, tc := range tests {
		if got := DNS(tc.otc, tc.region); tc.wantDNS != "" && got != tc.wantDNS {
			t.Errorf("DNS(%t, %q) = %q, want %q", tc.otc, tc.region, got, tc.wantDNS)
		}
		if got := IAM(tc.otc, tc.region); got != tc.wantIAM {
			t.Errorf("IAM(%t, %q) = %q, want %q", tc.otc, tc.region, got, tc.wantIAM)
		}
	}
}

func TestValidRegion(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"cn-north-4": true, "eu-de": true, "eu-ch2": true, "my-kualalumpur-1": true, "a": true,
		"": false, "US East": false, "EU-DE": false, "-eu": false, "eu-": false, "eu.de": false,
		"eu/de": false, "eu_de": false, "x" + string(make([]byte, 63)): false,
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk":  true,  // 63
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl": false, // 64
	}
	for r, want := range tests {
		if got := ValidRegion(r); got != want {
			t.Errorf("ValidRegion(%q) = %t, want %t", r, got, want)
		}
	}
}
