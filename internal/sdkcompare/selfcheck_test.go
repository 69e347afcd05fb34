package sdkcompare

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// These tests check the harness itself: that the generators produce the
// inputs the README promises, and that a comparison notices when detach
// signs something other than what the SDK signed. Without them, "zero
// mismatches" could also mean "nothing was compared".

// TestGeneratorCoverage counts the features of generated cases; each must
// appear in a fair share of them.
func TestGeneratorCoverage(t *testing.T) {
	t.Parallel()
	const n = 3000
	g := newCaseGen(*flagSeed, 1)
	counts := map[string]int{}
	count := func(name string, ok bool) {
		if ok {
			counts[name]++
		}
	}
	for i := range n {
		c := g.sigv4Case(i, 1)
		_, rest, _ := strings.Cut(c.url, "://")
		_, rawPath, _ := strings.Cut(strings.SplitN(rest, "?", 2)[0], "/")
		rawPath = "/" + rawPath
		count("empty path", !strings.Contains(rest, "/"))
		count("escaped slash %2F", strings.Contains(strings.ToUpper(rawPath), "%2F"))
		count("escaped percent %25", strings.Contains(rawPath, "%25"))
		count("lower-case escape", strings.ContainsAny(rawPath, "abcdef") && strings.Contains(rawPath, "%") && rawPath != strings.ToUpper(rawPath))
		count("literal unicode in path", strings.ContainsAny(rawPath, "üéሴ日😀€"))
		count("space in path", strings.Contains(rawPath, " "))
		count("dot segment", strings.Contains(rawPath, "/./") || strings.Contains(rawPath, "/../") || strings.HasSuffix(rawPath, "/.."))
		count("empty segment", strings.Contains(rawPath, "//"))
		count("sub-delims in path", strings.ContainsAny(rawPath, "!$&'()*+,;=:@"))
		count("query", len(c.pairs) > 0)
		keys := map[string]int{}
		for _, p := range c.pairs {
			keys[p.k]++
			count("empty query value", p.v == "")
			count("empty query key", p.k == "")
		}
		for _, k := range keys {
			count("repeated query key", k > 1)
		}
		count("plus in query", strings.Contains(c.url, "?") && strings.Contains(c.url[strings.Index(c.url, "?"):], "+"))
		count("session token", c.creds.SessionToken != "")
		count("empty body", len(c.body) == 0)
		count("non-empty body", len(c.body) > 0)
		count("UNSIGNED-PAYLOAD", c.payloadHash == "UNSIGNED-PAYLOAD")
		for k, vs := range c.header {
			count("repeated header", len(vs) > 1)
			count("non-canonical header key", k != http.CanonicalHeaderKey(k))
			count("x-amz header", strings.HasPrefix(strings.ToLower(k), "x-amz-"))
			count("content-type header", strings.EqualFold(k, "content-type"))
			for _, v := range vs {
				count("edge spaces in value", v != strings.TrimSpace(v))
				count("inner double space", strings.Contains(strings.TrimSpace(v), "  "))
				count("tab in value", strings.Contains(v, "\t"))
				count("empty value", v == "")
			}
		}
		count("non-UTC signing time", c.at.Location() != time.UTC)
		count("custom port", strings.Contains(strings.TrimPrefix(strings.SplitN(rest, "/", 2)[0], "[::1]"), ":"))
	}
	h := newCaseGen(*flagSeed, 10)
	for i := range n {
		c := h.huaweiCase(i, 10)
		count("huawei project id", c.creds.ProjectID != "")
		count("huawei domain id", c.creds.DomainID != "")
		count("huawei security token", c.creds.SecurityToken != "")
		count("huawei json content-type", c.header["Content-Type"] != "")
		count("huawei user-agent (detach only)", hasHeaderFold(c.detachOnly, "User-Agent"))
		count("huawei empty payload hash argument", c.payloadHash == "")
		for k, v := range c.header {
			count("huawei unsigned name with '_'", strings.Contains(k, "_"))
			count("huawei unicode space at value edge", strings.TrimSpace(v) != strings.Trim(v, " \t"))
		}
	}
	for _, name := range []string{
		"empty path", "escaped slash %2F", "escaped percent %25", "lower-case escape", "literal unicode in path",
		"space in path", "dot segment", "empty segment", "sub-delims in path", "query", "empty query value",
		"empty query key", "repeated query key", "plus in query", "session token", "empty body", "non-empty body",
		"UNSIGNED-PAYLOAD", "repeated header", "non-canonical header key", "x-amz header", "content-type header",
		"edge spaces in value", "inner double space", "tab in value", "empty value", "non-UTC signing time",
		"custom port", "huawei project id", "huawei domain id", "huawei security token", "huawei json content-type",
		"huawei user-agent (detach only)", "huawei empty payload hash argument", "huawei unsigned name with '_'",
		"huawei unicode space at value edge",
	} {
		t.Logf("%-36s %5d occurrences in %d cases", name, counts[name], n)
		if counts[name] < n/100 {
			t.Errorf("feature %q in %d of %d cases, want at least %d", name, counts[name], n, n/100)
		}
	}
}

// TestSigV4ComparisonDetectsDifferences changes one input of detach's side
// of a case at a time; every change must show up as a difference from
// aws-sdk-go-v2's signature.
func TestSigV4ComparisonDetectsDifferences(t *testing.T) {
	t.Parallel()
	mutations := map[string]func(c *sigv4Case){
		"time":         func(c *sigv4Case) { c.at = c.at.Add(time.Second) },
		"region":       func(c *sigv4Case) { c.region += "x" },
		"service":      func(c *sigv4Case) { c.service += "x" },
		"secret":       func(c *sigv4Case) { c.creds.SecretAccessKey += "x" },
		"payload hash": func(c *sigv4Case) { c.payloadHash = strings.Repeat("0", 64) },
		"host":         func(c *sigv4Case) { c.url = strings.Replace(c.url, "://", "://x", 1) },
		"path": func(c *sigv4Case) {
			scheme, rest, _ := strings.Cut(c.url, "://")
			host, tail, _ := strings.Cut(rest, "/")
			c.url = scheme + "://" + host + "/x/" + tail
		},
		"method": func(c *sigv4Case) { c.method = "X" + c.method },
		"query":  func(c *sigv4Case) { c.url += "&zz=1" },
		"signed header": func(c *sigv4Case) {
			c.header = c.header.Clone()
			c.header["X-Amz-Mutant"] = []string{"1"}
		},
		"token": func(c *sigv4Case) { c.creds.SessionToken += "x" },
	}
	g := newCaseGen(*flagSeed, 99)
	for name, mutate := range mutations {
		for i := range 50 {
			c := g.sigv4Case(i, 99)
			if name == "query" && !strings.Contains(c.url, "?") {
				c.url += "?"
			}
			theirs, theirsErr := signSDKV2(c, true, nil)
			mutated := *c
			mutate(&mutated)
			ours, oursErr := signDetachV4(&mutated, nil)
			if diffOutputs(ours, oursErr, theirs, theirsErr) == "" {
				t.Errorf("mutation %q of case %d went unnoticed\n%s", name, i, c)
			}
		}
	}
}

// TestHuaweiComparisonDetectsDifferences does the same for the Huawei
// comparison.
func TestHuaweiComparisonDetectsDifferences(t *testing.T) {
	t.Parallel()
	mutations := map[string]func(c *huaweiCase){
		"time":    func(c *huaweiCase) { c.at = c.at.Add(time.Second) },
		"secret":  func(c *huaweiCase) { c.creds.SecretKey += "x" },
		"body":    func(c *huaweiCase) { c.payloadHash = strings.Repeat("0", 64) },
		"path":    func(c *huaweiCase) { c.path.raw += "x"; c.path.decoded += "x" },
		"method":  func(c *huaweiCase) { c.method = "X" + c.method },
		"query":   func(c *huaweiCase) { c.rawQuery += "&zz=1" },
		"host":    func(c *huaweiCase) { c.host = "x" + c.host },
		"project": func(c *huaweiCase) { c.creds.ProjectID += "0"; c.creds.DomainID = "" },
		"token":   func(c *huaweiCase) { c.creds.SecurityToken += "x" },
		"header":  func(c *huaweiCase) { c.header["X-Mutant"] = "1" },
	}
	g := newCaseGen(*flagSeed, 98)
	for name, mutate := range mutations {
		for i := range 50 {
			c := g.huaweiCase(i, 98)
			theirs, theirsErr := signHuaweiSDK(c)
			mutated := *c
			mutated.header = map[string]string{}
			for k, v := range c.header {
				mutated.header[k] = v
			}
			mutate(&mutated)
			ours, oursErr := signDetachHuawei(&mutated)
			if theirsErr != nil || (oursErr == nil && ours == theirs) {
				t.Errorf("mutation %q of case %d went unnoticed (SDK error %v)\n%s", name, i, theirsErr, c)
			}
		}
	}
}

// hasHeaderFold reports whether h has a value under name in any letter case:
// the case generator also writes keys that are not canonical.
func hasHeaderFold(h http.Header, name string) bool {
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return true
		}
	}
	return false
}
