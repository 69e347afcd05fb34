package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer/huaweicreds"
)

// setEnv replaces every variable the command reads; t.Setenv restores them.
func setEnv(t *testing.T, vars map[string]string) {
	t.Helper()
	for _, n := range []string{"OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_DOMAIN_NAME", "OS_PROJECT_NAME",
		"OS_PROJECT_ID", "OS_REGION_NAME", "OS_AUTH_TOKEN", "OS_ACCESS_KEY", "OS_SECRET_KEY",
		"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
		"HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_DOMAIN_ID"} {
		t.Setenv(n, vars[n])
	}
}

// fields reads the "name  value" lines of the output.
func fields(out string) map[string]string {
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if k, v, ok := strings.Cut(l, "  "); ok {
			m[k] = strings.TrimSpace(v)
		}
	}
	return m
}

// otcToken logs in to the emulated OTC IAM, as `openstack token issue` would.
func otcToken(t *testing.T, srv *fakecloud.Server) string {
	t.Helper()
	ts, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint: srv.Endpoint(fakecloud.OTCIAM), OTC: true, Region: fakecloud.OTCRegion,
		UserName: fakecloud.OTCUserName, Password: fakecloud.OTCPassword, DomainName: fakecloud.OTCDomainName,
	})
	require.NoError(t, err)
	tok, err := ts.Token(t.Context())
	require.NoError(t, err)
	return tok.Value
}

func TestRunAgainstEmulator(t *testing.T) {
	type counts struct{ Tokens, ProjectLookups int }
	tests := []struct {
		name string
		// env and args build the environment and the flags for the server.
		env        func(t *testing.T, srv *fakecloud.Server) map[string]string
		args       func(srv *fakecloud.Server) []string
		wantAuth   string
		wantRouter fakecloud.Router
		wantCounts counts
	}{
		{
			name: "Huawei, IAM user and password",
			env: func(t *testing.T, srv *fakecloud.Server) map[string]string {
				return map[string]string{
					"OS_AUTH_URL": srv.Endpoint(fakecloud.HuaweiIAM) + "/v3", "OS_USERNAME": fakecloud.HuaweiUserName,
					"OS_PASSWORD": fakecloud.HuaweiPassword, "OS_DOMAIN_NAME": fakecloud.HuaweiDomainName,
					"OS_REGION_NAME": fakecloud.HuaweiRegion,
				}
			},
			args: func(srv *fakecloud.Server) []string {
				return []string{"-cloud", "huawei", "-endpoint", srv.Endpoint(fakecloud.HuaweiDNS),
					"-zone-id", fakecloud.HuaweiZoneID, "-router-id", fakecloud.HuaweiVPCID}
			},
			wantAuth:   "OS_USERNAME and OS_PASSWORD (IAM token)",
			wantRouter: fakecloud.Router{ID: fakecloud.HuaweiVPCID, Region: fakecloud.HuaweiRegion},
			wantCounts: counts{Tokens: 1},
		},
		{
			name: "OTC, token",
			env: func(t *testing.T, srv *fakecloud.Server) map[string]string {
				return map[string]string{"OS_AUTH_TOKEN": otcToken(t, srv), "OS_REGION_NAME": fakecloud.OTCRegion}
			},
			args: func(srv *fakecloud.Server) []string {
				return []string{"-cloud", "otc", "-endpoint", srv.Endpoint(fakecloud.OTCDNS),
					"-zone-id", fakecloud.OTCZoneID, "-router-id", fakecloud.OTCVPCID2}
			},
			wantAuth:   "OS_AUTH_TOKEN (token)",
			wantRouter: fakecloud.Router{ID: fakecloud.OTCVPCID2, Region: fakecloud.OTCRegion},
			wantCounts: counts{Tokens: 1}, // the one otcToken obtained
		},
		{
			name: "OTC, OS access key, project looked up at OS_AUTH_URL",
			env: func(t *testing.T, srv *fakecloud.Server) map[string]string {
				return map[string]string{"OS_ACCESS_KEY": fakecloud.OTCAK, "OS_SECRET_KEY": fakecloud.OTCSK,
					"OS_AUTH_URL": srv.Endpoint(fakecloud.OTCIAM) + "/v3"}
			},
			args: func(srv *fakecloud.Server) []string {
				return []string{"-cloud", "otc", "-region", fakecloud.OTCRegion, "-endpoint", srv.Endpoint(fakecloud.OTCDNS),
					"-zone-id", fakecloud.OTCZoneID, "-router-id", fakecloud.OTCVPCID}
			},
			wantAuth:   "OS_ACCESS_KEY and OS_SECRET_KEY (AK/SK)",
			wantRouter: fakecloud.Router{ID: fakecloud.OTCVPCID, Region: fakecloud.OTCRegion},
			wantCounts: counts{ProjectLookups: 1},
		},
		{
			name: "Huawei, SDK access key, project looked up at -iam-endpoint",
			env: func(t *testing.T, srv *fakecloud.Server) map[string]string {
				return map[string]string{"HUAWEICLOUD_SDK_AK": fakecloud.HuaweiAK, "HUAWEICLOUD_SDK_SK": fakecloud.HuaweiSK}
			},
			args: func(srv *fakecloud.Server) []string {
				return []string{"-cloud", "huawei", "-region", fakecloud.HuaweiRegion,
					"-endpoint", srv.Endpoint(fakecloud.HuaweiDNS), "-iam-endpoint", srv.Endpoint(fakecloud.HuaweiIAM),
					"-zone-id", fakecloud.HuaweiZoneID, "-router-id", fakecloud.HuaweiVPCID2,
					"-router-region", fakecloud.HuaweiRegion}
			},
			wantAuth:   "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (AK/SK)",
			wantRouter: fakecloud.Router{ID: fakecloud.HuaweiVPCID2, Region: fakecloud.HuaweiRegion},
			wantCounts: counts{ProjectLookups: 1},
		},
		{
			name: "Huawei, SDK temporary access key with its project",
			env: func(t *testing.T, srv *fakecloud.Server) map[string]string {
				return map[string]string{"HUAWEICLOUD_SDK_AK": fakecloud.HuaweiTempAK, "HUAWEICLOUD_SDK_SK": fakecloud.HuaweiTempSK,
					"HUAWEICLOUD_SDK_SECURITY_TOKEN": fakecloud.HuaweiSecurityToken,
					"HUAWEICLOUD_SDK_PROJECT_ID":     fakecloud.HuaweiProjectID}
			},
			args: func(srv *fakecloud.Server) []string {
				return []string{"-cloud", "huawei", "-endpoint", srv.Endpoint(fakecloud.HuaweiDNS),
					"-zone-id", fakecloud.HuaweiZoneID, "-router-id", fakecloud.HuaweiVPCID}
			},
			wantAuth:   "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (AK/SK)",
			wantRouter: fakecloud.Router{ID: fakecloud.HuaweiVPCID, Region: fakecloud.HuaweiRegion},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakecloud.New().Start()
			t.Cleanup(srv.Close)
			setEnv(t, tt.env(t, srv))

			var stdout, stderr bytes.Buffer
			if code := run(tt.args(srv), &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
			}
			got := fields(stdout.String())
			if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got["request id"]) {
				t.Errorf("request id = %q, want 32 hex digits", got["request id"])
			}
			delete(got, "request id")
			want := map[string]string{
				"auth":          tt.wantAuth,
				"router":        tt.wantRouter.ID,
				"router region": tt.wantRouter.Region,
				"status":        "PENDING_DELETE",
				"http status":   "202",
				"attempts":      "1",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("output (-want +got):\n%s\n%s", diff, stdout.String())
			}

			c := srv.Cloud()
			p, zone := fakecloud.Huawei, fakecloud.HuaweiZoneID
			if strings.Contains(strings.Join(tt.args(srv), " "), "-cloud otc") {
				p, zone = fakecloud.OTC, fakecloud.OTCZoneID
			}
			routers, _ := c.Zone(p, zone)
			status := "absent"
			for _, r := range routers {
				if r.ID == tt.wantRouter.ID {
					status = r.Status
				}
			}
			if status != fakecloud.RouterPendingDelete {
				t.Errorf("emulator router status = %s, want %s", status, fakecloud.RouterPendingDelete)
			}
			gotCounts := counts{Tokens: c.TokensIssued(), ProjectLookups: c.Requests(fakecloud.OpListProjects)}
			if diff := cmp.Diff(tt.wantCounts, gotCounts); diff != "" {
				t.Errorf("IAM calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunDebugLogsRedacted(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, map[string]string{
		"OS_AUTH_URL": srv.Endpoint(fakecloud.OTCIAM), "OS_USERNAME": fakecloud.OTCUserName,
		"OS_PASSWORD": fakecloud.OTCPassword, "OS_DOMAIN_NAME": fakecloud.OTCDomainName,
		"OS_PROJECT_NAME": fakecloud.OTCRegion,
	})
	var stdout, stderr bytes.Buffer
	code := run([]string{"-debug", "-cloud", "otc", "-endpoint", srv.Endpoint(fakecloud.OTCDNS),
		"-zone-id", fakecloud.OTCZoneID, "-router-id", fakecloud.OTCVPCID}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	log := stderr.String()
	for _, want := range []string{"level=DEBUG", "service=IAM operation=CreateToken", "service=DNS operation=DisassociateRouter", "status=202"} {
		if !strings.Contains(log, want) {
			t.Errorf("debug log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, fakecloud.OTCPassword) || strings.Contains(log, "MIIfakecloud") {
		t.Errorf("debug log shows the password or the token:\n%s", log)
	}
}

func TestRunServiceErrors(t *testing.T) {
	tests := []struct {
		name   string
		env    map[string]string
		zone   string
		router string
		want   []string
	}{
		{"last VPC", map[string]string{"HUAWEICLOUD_SDK_AK": fakecloud.HuaweiAK, "HUAWEICLOUD_SDK_SK": fakecloud.HuaweiSK,
			"HUAWEICLOUD_SDK_PROJECT_ID": fakecloud.HuaweiProjectID},
			fakecloud.HuaweiSingleZoneID, fakecloud.HuaweiSingleVPCID,
			[]string{"code DNS.0706, http status 403", "attempts 1", "associate another VPC first"}},
		{"not associated", map[string]string{"HUAWEICLOUD_SDK_AK": fakecloud.HuaweiAK, "HUAWEICLOUD_SDK_SK": fakecloud.HuaweiSK,
			"HUAWEICLOUD_SDK_PROJECT_ID": fakecloud.HuaweiProjectID},
			fakecloud.HuaweiZoneID, "00000000-0000-4000-8000-000000000000",
			[]string{"code DNS.0707, http status 400", "nothing to do"}},
		{"wrong password", map[string]string{"OS_AUTH_URL": "IAM", "OS_USERNAME": fakecloud.HuaweiUserName,
			"OS_PASSWORD": "wrong", "OS_DOMAIN_NAME": fakecloud.HuaweiDomainName, "OS_REGION_NAME": fakecloud.HuaweiRegion},
			fakecloud.HuaweiZoneID, fakecloud.HuaweiVPCID,
			[]string{"IAM: CreateToken", "http status 401", "getting a token or the project ID from IAM failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakecloud.New().Start()
			t.Cleanup(srv.Close)
			if tt.env["OS_AUTH_URL"] == "IAM" {
				tt.env["OS_AUTH_URL"] = srv.Endpoint(fakecloud.HuaweiIAM)
			}
			setEnv(t, tt.env)
			var stdout, stderr bytes.Buffer
			code := run([]string{"-cloud", "huawei", "-endpoint", srv.Endpoint(fakecloud.HuaweiDNS),
				"-zone-id", tt.zone, "-router-id", tt.router}, &stdout, &stderr)
			if code != exitFailed {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFailed, stderr.String())
			}
			for _, want := range tt.want {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if strings.Contains(stderr.String(), "wrong") {
				t.Errorf("stderr shows the password:\n%s", stderr.String())
			}
		})
	}
}

func TestRunWithoutCredentials(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"nothing set", nil, []string{"no credentials: set one of", "OS_AUTH_TOKEN", "OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME and OS_AUTH_URL",
			"OS_ACCESS_KEY and OS_SECRET_KEY", "HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"}},
		{"password without auth URL", map[string]string{"OS_USERNAME": "u", "OS_PASSWORD": "p"},
			[]string{"environment variable OS_AUTH_URL is not set"}},
		{"password without domain", map[string]string{"OS_AUTH_URL": "https://iam.eu-de.otc.t-systems.com/v3",
			"OS_USERNAME": "u", "OS_PASSWORD": "p"}, []string{"environment variable OS_DOMAIN_NAME is not set"}},
		{"OS access key without secret", map[string]string{"OS_ACCESS_KEY": fakecloud.OTCAK},
			[]string{"environment variable OS_SECRET_KEY is not set"}},
		{"SDK access key without secret", map[string]string{"HUAWEICLOUD_SDK_AK": fakecloud.HuaweiAK},
			[]string{"environment variable HUAWEICLOUD_SDK_SK is not set"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakecloud.New().Start()
			t.Cleanup(srv.Close)
			setEnv(t, tt.env)
			var stdout, stderr bytes.Buffer
			code := run([]string{"-cloud", "otc", "-region", "eu-de", "-endpoint", srv.Endpoint(fakecloud.OTCDNS),
				"-zone-id", fakecloud.OTCZoneID, "-router-id", fakecloud.OTCVPCID}, &stdout, &stderr)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			for _, want := range tt.want {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if n := srv.Cloud().Requests(fakecloud.OpDisassociateRouter); n != 0 {
				t.Errorf("%d requests reached the emulator, want 0", n)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	env := map[string]string{"OS_AUTH_TOKEN": "token"}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  []string
	}{
		{"help", []string{"-h"}, exitOK, []string{"usage: privatedns", "-cloud huawei", "-zone-id ID", "-router-id ID",
			"-project-id ID", "-iam-endpoint URL", "-debug", "OS_AUTH_TOKEN", "OS_USERNAME", "OS_ACCESS_KEY",
			"HUAWEICLOUD_SDK_AK", "OS_REGION_NAME", "Exit status"}},
		{"no arguments", nil, exitUsage, []string{"-cloud is required: huawei or otc", "usage:"}},
		{"unknown cloud", []string{"-cloud", "aws"}, exitUsage, []string{"-cloud must be huawei or otc, not aws"}},
		{"no zone", []string{"-cloud", "otc"}, exitUsage, []string{"-zone-id is required"}},
		{"no router", []string{"-cloud", "otc", "-zone-id", "z"}, exitUsage, []string{"-router-id is required"}},
		{"positional argument", []string{"-cloud", "otc", "extra"}, exitUsage, []string{"unexpected argument extra"}},
		{"no region", []string{"-cloud", "otc", "-zone-id", "z", "-router-id", "r"}, exitUsage,
			[]string{"Region is required unless Endpoint is set"}},
		{"invalid zone ID", []string{"-cloud", "otc", "-region", "eu-de", "-zone-id", "..", "-router-id", "r"}, exitUsage,
			[]string{"invalid input: ZoneID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setEnv(t, env)
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
		})
	}
}
