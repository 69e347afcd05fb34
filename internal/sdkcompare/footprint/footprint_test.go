package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/signer"
)

func TestLinkedModules(t *testing.T) {
	t.Parallel()
	report := "/tmp/x/aws-detach: go1.26.8\n" +
		"\tpath\tfootprint.example/aws-detach\n" +
		"\tmod\tfootprint.example/aws-detach\t(devel)\t\n" +
		"\tdep\tgithub.com/aws/smithy-go\tv1.28.8\th1:abc=\n" +
		"\tdep\tgithub.com/detach-go/detach\tv0.0.0-00010101000000-000000000000\n" +
		"\t=>\t/work/main\t(devel)\t\n" +
		"\tbuild\t-trimpath=true\n"
	want := []string{"github.com/aws/smithy-go", "github.com/detach-go/detach"}
	if d := cmp.Diff(want, linkedModules(report)); d != "" {
		t.Errorf("linkedModules (-want +got):\n%s", d)
	}
	if got := linkedModules("/tmp/x/aws-raw: go1.26.8\n\tpath\tfootprint.example/aws-raw\n"); len(got) != 0 {
		t.Errorf("linkedModules of a program without dependencies = %q", got)
	}
}

func TestMedian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{3}, 3},
		{[]time.Duration{5, 1, 3}, 3},
		{[]time.Duration{4, 1, 3, 2}, 2}, // (2+3)/2 in integer nanoseconds
	}
	for _, tc := range tests {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestPrograms checks the program list: every program's source exists and
// carries the stamp a rebuild changes, every raw and detach program (and no
// SDK program) is built in -check mode, and each cloud has exactly one raw
// and one static-key detach program (the one without a limit of its own).
func TestPrograms(t *testing.T) {
	t.Parallel()
	count := map[string]int{}
	var checked []string
	for _, p := range programs() {
		src, err := p.source()
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		if n := bytes.Count(src, []byte(stampLine)); n != 1 {
			t.Errorf("%s: %d lines %q, want 1", p.name, n, stampLine)
		}
		if bytes.Equal(withStamp(src, "7"), src) {
			t.Errorf("%s: withStamp changes nothing", p.name)
		}
		if p.check != (p.kind == kindRaw || p.kind == kindDetach) {
			t.Errorf("%s: check = %v for a %s program", p.name, p.check, p.kind)
		}
		if p.check {
			checked = append(checked, p.name)
		}
		if p.limit == 0 {
			count[p.cloud+"/"+p.kind]++
		}
	}
	for _, k := range []string{"aws/raw", "aws/detach", "huawei/raw", "huawei/detach"} {
		if count[k] != 1 {
			t.Errorf("%d programs of %s, want 1", count[k], k)
		}
	}
	want := []string{"aws-raw", "aws-detach", "aws-detach-chain", "huawei-raw", "huawei-detach", "huawei-detach-chain"}
	if d := cmp.Diff(want, checked); d != "" {
		t.Errorf("programs built with -check (-want +got):\n%s", d)
	}
}

// TestServer checks the stand-in the programs are run against: a request
// signed with the fake keys gets the answer, one signed with other keys or
// sent to another path does not.
func TestServer(t *testing.T) {
	t.Parallel()
	srv := newServer()
	t.Cleanup(srv.Close)
	now := time.Now()
	awsSign := func(secret string) func(*http.Request, string) error {
		return func(r *http.Request, hash string) error {
			return signer.SignV4(r, hash, signer.AWSCredentials{AccessKeyID: fakeAWSKey, SecretAccessKey: secret}, "route53profiles", "us-east-1", now)
		}
	}
	hwSign := func(secret, project string) func(*http.Request, string) error {
		return func(r *http.Request, hash string) error {
			return signer.SignHuawei(r, hash, signer.HuaweiCredentials{AccessKey: fakeHuaweiAK, SecretKey: secret, ProjectID: project}, now)
		}
	}
	const dnsBody = `{"router":{"router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b"}}`
	tests := []struct {
		name, method, path, body string
		sign                     func(*http.Request, string) error
		status                   int
		answer                   string
	}{
		{"aws", http.MethodDelete, r53pPath, "", awsSign(fakeAWSSecret), http.StatusOK, "DELETING"},
		{"aws other key", http.MethodDelete, r53pPath, "", awsSign("other"), http.StatusForbidden, ""},
		{"aws unsigned", http.MethodDelete, r53pPath, "", nil, http.StatusForbidden, ""},
		{"huawei", http.MethodPost, dnsPath, dnsBody, hwSign(fakeHuaweiSK, fakeHuaweiProj), http.StatusAccepted, "PENDING_DELETE"},
		{"huawei other key", http.MethodPost, dnsPath, dnsBody, hwSign("other", fakeHuaweiProj), http.StatusUnauthorized, ""},
		{"huawei other project", http.MethodPost, dnsPath, dnsBody, hwSign(fakeHuaweiSK, "other"), http.StatusUnauthorized, ""},
		{"other path", http.MethodGet, "/v2/zones", "", awsSign(fakeAWSSecret), http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.sign != nil {
				sum := sha256.Sum256([]byte(tc.body))
				if err := tc.sign(req, hex.EncodeToString(sum[:])); err != nil {
					t.Fatal(err)
				}
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			if _, err := b.ReadFrom(resp.Body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.status, b.String())
			}
			if tc.answer != "" && !strings.Contains(b.String(), `"`+tc.answer+`"`) {
				t.Errorf("answer %s does not contain %q", b.String(), tc.answer)
			}
		})
	}
}

// TestVerdict checks the CI check: a detach binary over the limit (-limit,
// or the program's own), a program that did not make its call and an
// unexpected linked module each fail it; a result within bounds passes.
func TestVerdict(t *testing.T) {
	t.Parallel()
	raw := result{prog: program{name: "aws-raw", cloud: "aws", kind: kindRaw}, size: 1_000_000}
	det := func(size int64, linked ...string) result {
		return result{prog: program{name: "aws-detach", cloud: "aws", kind: kindDetach}, size: size, linked: linked}
	}
	chain := func(size int64) result {
		return result{prog: program{name: "aws-detach-chain", cloud: "aws", kind: kindDetach, limit: 600_000}, size: size}
	}
	tests := []struct {
		name    string
		results []result
		want    bool
	}{
		{"within", []result{raw, det(1_300_000, detachPath, "github.com/aws/smithy-go")}, true},
		{"over", []result{raw, det(1_300_001, detachPath)}, false},
		{"extra module", []result{raw, det(1_100_000, detachPath, "github.com/google/go-cmp")}, false},
		{"call failed", []result{raw, {prog: raw.prog, ran: errTest}}, false},
		{"own limit within", []result{raw, chain(1_600_000)}, true},
		{"own limit over", []result{raw, chain(1_600_001)}, false},
	}
	for _, tc := range tests {
		var out bytes.Buffer
		if got := verdict(&out, tc.results, 300_000); got != tc.want {
			t.Errorf("%s: verdict = %v, want %v; output:\n%s", tc.name, got, tc.want, out.String())
		}
	}
}

var errTest = errors.New("exit status 1")
