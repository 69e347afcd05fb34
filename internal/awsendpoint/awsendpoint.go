// Package awsendpoint builds the endpoint of an AWS regional service the way
// the services' endpoint rule sets do, without a rules engine: it picks the
// region's partition and joins the service's prefix, the region and the
// partition's DNS suffix.
//
// The partition facts (region patterns, DNS suffixes) are those of
// aws-sdk-go-v2's internal/endpoints/awsrulesfn/partitions.json (v1.47.7),
// which botocore's data/partitions.json repeats. They are written as code
// rather than a package-level table so that importing the package costs
// nothing at init.
package awsendpoint

import (
	"errors"
	"os"
	"strconv"
	"strings"
)

// partition is what the rules need of an AWS partition. Every partition
// supports FIPS and dual-stack, so the rules' "this partition does not
// support ..." errors never apply.
type partition struct {
	dns       string // dnsSuffix
	dualStack string // dualStackDnsSuffix
}

// partitionOf returns the partition the rules pick for a well-formed region
// (awsrulesfn getPartition): a region listed by name, then the first
// partition whose regionRegex matches, then aws.
func partitionOf(region string) partition {
	switch region {
	// Listed by name in partitions.json without matching any pattern.
	case "aws-cn-global":
		return partition{"amazonaws.com.cn", "api.amazonwebservices.com.cn"}
	case "aws-us-gov-global":
		return partition{"amazonaws.com", "api.aws"}
	case "aws-iso-global":
		return partition{"c2s.ic.gov", "api.aws.ic.gov"}
	case "aws-iso-b-global":
		return partition{"sc2s.sgov.gov", "api.aws.scloud"}
	case "aws-iso-e-global":
		return partition{"cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"}
	case "aws-iso-f-global":
		return partition{"csp.hci.ic.gov", "api.aws.hci.ic.gov"}
	}
	// aws's own pattern, ^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$, is not
	// tested: it overlaps none of the others, and aws is the fallback anyway.
	switch {
	case matches(region, "cn-"): // ^cn\-\w+\-\d+$
		return partition{"amazonaws.com.cn", "api.amazonwebservices.com.cn"}
	case matches(region, "eusc-de-"): // ^eusc\-(de)\-\w+\-\d+$
		return partition{"amazonaws.eu", "api.amazonwebservices.eu"}
	case matches(region, "us-iso-"): // ^us\-iso\-\w+\-\d+$
		return partition{"c2s.ic.gov", "api.aws.ic.gov"}
	case matches(region, "us-isob-"): // ^us\-isob\-\w+\-\d+$
		return partition{"sc2s.sgov.gov", "api.aws.scloud"}
	case matches(region, "eu-isoe-"): // ^eu\-isoe\-\w+\-\d+$
		return partition{"cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"}
	case matches(region, "us-isof-"): // ^us\-isof\-\w+\-\d+$
		return partition{"csp.hci.ic.gov", "api.aws.hci.ic.gov"}
	case matches(region, "us-gov-"): // ^us\-gov\-\w+\-\d+$
		return partition{"amazonaws.com", "api.aws"}
	}
	return partition{"amazonaws.com", "api.aws"}
}

// matches reports whether region is prefix followed by \w+-\d+. The region
// is already a valid lower-case label, so \w here means [a-z0-9].
func matches(region, prefix string) bool {
	if len(region) <= len(prefix) || region[:len(prefix)] != prefix {
		return false
	}
	rest := region[len(prefix):]
	i := 0
	for i < len(rest) && rest[i] != '-' {
		i++
	}
	if i == 0 || i >= len(rest)-1 {
		return false // no word, or no digits after the hyphen
	}
	for j := i + 1; j < len(rest); j++ {
		if c := rest[j]; c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// maxRegionLen is the longest DNS label, which the region must be since it
// becomes one in the host name.
const maxRegionLen = 63

// CheckRegion reports whether region can be used: a DNS label of lower-case
// letters, digits and hyphens, neither starting nor ending with a hyphen, at
// most 63 characters. The error names the Region field and the rule.
func CheckRegion(region string) error {
	if region == "" {
		//lint:ignore ST1005 errors here start with the name of the field at fault
		return errors.New("Region is required (set it, or AWS_REGION or AWS_DEFAULT_REGION)")
	}
	if !validLabel(region) {
		return errors.New("Region " + quote(region) + " is not a valid region: it must be lower-case letters, " +
			"digits and inner hyphens, at most 63 characters (e.g. us-east-1)")
	}
	return nil
}

func validLabel(s string) bool {
	if len(s) == 0 || len(s) > maxRegionLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// quote renders a rejected region for an error, cut short so that a huge
// value cannot flood a log line.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}

// Resolve returns the endpoint URL of the service whose endpoint prefix is
// prefix (e.g. "route53profiles", "profile") in region, as the generic AWS
// endpoint rule set builds it:
//
//	FIPS and dual-stack  https://{prefix}-fips.{region}.{dualStackDnsSuffix}
//	FIPS                 https://{prefix}-fips.{region}.{dnsSuffix}
//	dual-stack           https://{prefix}.{region}.{dualStackDnsSuffix}
//	neither              https://{prefix}.{region}.{dnsSuffix}
//
// A well-formed region of no known partition falls into aws, as the rules
// do. The rules build a host name for any region; whether the service is
// offered there is not checked. An invalid region is an error (CheckRegion).
func Resolve(prefix, region string, fips, dualStack bool) (string, error) {
	if err := CheckRegion(region); err != nil {
		return "", err
	}
	p := partitionOf(region)
	suffix := p.dns
	if dualStack {
		suffix = p.dualStack
	}
	var b strings.Builder
	b.Grow(len("https://") + len(prefix) + len("-fips.") + len(region) + 1 + len(suffix))
	b.WriteString("https://")
	b.WriteString(prefix)
	if fips {
		b.WriteString("-fips")
	}
	b.WriteByte('.')
	b.WriteString(region)
	b.WriteByte('.')
	b.WriteString(suffix)
	return b.String(), nil
}

// Endpoint returns the endpoint a client uses: custom when it is set (the
// rules take a custom endpoint as is, and reject it together with FIPS or
// dual-stack), otherwise Resolve's. The region is checked either way, since
// it is also the signing region.
func Endpoint(prefix, region, custom string, fips, dualStack bool) (string, error) {
	if custom == "" {
		return Resolve(prefix, region, fips, dualStack)
	}
	switch {
	case fips:
		return "", errors.New("UseFIPS cannot be combined with Endpoint (the endpoint rules do not support FIPS with a custom endpoint)")
	case dualStack:
		return "", errors.New("UseDualStack cannot be combined with Endpoint (the endpoint rules do not support dual-stack with a custom endpoint)")
	}
	if err := CheckRegion(region); err != nil {
		return "", err
	}
	return custom, nil
}

// RegionFromEnv returns AWS_REGION, else AWS_DEFAULT_REGION, else "", the
// order of aws-sdk-go-v2's config package (botocore reads only
// AWS_DEFAULT_REGION).
func RegionFromEnv() string {
	if r := os.Getenv("AWS_REGION"); r != "" {
		return r
	}
	return os.Getenv("AWS_DEFAULT_REGION")
}
