package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
)

// setEnv replaces every variable the command reads; t.Setenv restores them.
func setEnv(t *testing.T, vars map[string]string) {
	t.Helper()
	for _, n := range []string{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
		"HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_DOMAIN_ID"} {
		t.Setenv(n, vars[n])
	}
}

func keys(ak, sk string) map[string]string {
	return map[string]string{"HUAWEICLOUD_SDK_AK": ak, "HUAWEICLOUD_SDK_SK": sk}
}

func profileArgs(srv *fakecloud.Server, profileID string) []string {
	return []string{"-endpoint", srv.Endpoint(fakecloud.IdentityCenter), "-iam-endpoint", srv.Endpoint(fakecloud.HuaweiIAM),
		"-instance-id", fakecloud.ICInstanceID, "-application-instance-id", fakecloud.ICApplicationInstanceID,
		"-profile-id", profileID}
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

func TestRunAgainstEmulator(t *testing.T) {
	tempKeys := keys(fakecloud.HuaweiTempAK, fakecloud.HuaweiTempSK)
	tempKeys["HUAWEICLOUD_SDK_SECURITY_TOKEN"] = fakecloud.HuaweiSecurityToken
	withDomain := keys(fakecloud.HuaweiAK, fakecloud.HuaweiSK)
	withDomain["HUAWEICLOUD_SDK_DOMAIN_ID"] = fakecloud.HuaweiDomainID
	tests := []struct {
		name        string
		env         map[string]string
		extraArgs   []string
		wantLookups int
	}{
		{"domain ID from IAM", keys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), nil, 1},
		{"domain ID from the environment", withDomain, nil, 0},
		{"domain ID from the flag", keys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), []string{"-domain-id", fakecloud.HuaweiDomainID}, 0},
		{"temporary keys", tempKeys, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakecloud.New().Start()
			t.Cleanup(srv.Close)
			setEnv(t, tt.env)

			var stdout, stderr bytes.Buffer
			if code := run(append(profileArgs(srv, fakecloud.ICProfileID), tt.extraArgs...), &stdout, &stderr); code != exitOK {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
			}
			got := fields(stdout.String())
			if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got["request id"]) {
				t.Errorf("request id = %q, want 32 hex digits", got["request id"])
			}
			delete(got, "request id")
			want := map[string]string{
				"deleted":     "profile " + fakecloud.ICProfileID + " of " + fakecloud.ICApplicationInstanceID,
				"http status": "200",
				"attempts":    "1",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("output (-want +got):\n%s\n%s", diff, stdout.String())
			}
			c := srv.Cloud()
			if c.ApplicationProfile(fakecloud.ICInstanceID, fakecloud.ICApplicationInstanceID, fakecloud.ICProfileID) {
				t.Error("the profile still exists in the emulator")
			}
			if n := c.Requests(fakecloud.OpListAuthDomains); n != tt.wantLookups {
				t.Errorf("%d domain ID lookups, want %d", n, tt.wantLookups)
			}
		})
	}
}

func TestRunDebugLogsRedacted(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, keys(fakecloud.HuaweiAK, fakecloud.HuaweiSK))

	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"-debug"}, profileArgs(srv, fakecloud.ICProfileID)...), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	log := stderr.String()
	for _, want := range []string{"level=DEBUG", "service=IAM operation=ListAuthDomains", "service=IdentityCenter operation=DeleteProfile", "status=200"} {
		if !strings.Contains(log, want) {
			t.Errorf("debug log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{fakecloud.HuaweiSK, "Signature="} {
		if strings.Contains(log, secret) {
			t.Errorf("debug log shows %q:\n%s", secret, log)
		}
	}
}

func TestRunServiceErrors(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		profile string
		want    []string
	}{
		{"not found", keys(fakecloud.HuaweiAK, fakecloud.HuaweiSK), "no-such-profile",
			[]string{"code IIC.1103, http status 404", "nothing to delete"}},
		{"no permission", keys(fakecloud.HuaweiNoPermAK, fakecloud.HuaweiNoPermSK), fakecloud.ICProfileID,
			[]string{"code IIC.1003, http status 403", "encoded authorization message", "may not call IdentityCenter:application:deleteProfile"}},
		{"unknown key", keys("HWUNKNOWNKEY00000001", "secret"), fakecloud.ICProfileID,
			[]string{"ListAuthDomains", "APIGW.0301", "give -domain-id or HUAWEICLOUD_SDK_DOMAIN_ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakecloud.New().Start()
			t.Cleanup(srv.Close)
			setEnv(t, tt.env)
			var stdout, stderr bytes.Buffer
			if code := run(profileArgs(srv, tt.profile), &stdout, &stderr); code != exitFailed {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFailed, stderr.String())
			}
			for _, want := range tt.want {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
				}
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout is not empty:\n%s", stdout.String())
			}
		})
	}
}

func TestRunWithoutCredentials(t *testing.T) {
	tests := map[string]map[string]string{
		"nothing set": nil,
		"no secret":   {"HUAWEICLOUD_SDK_AK": fakecloud.HuaweiAK},
	}
	for name, env := range tests {
		t.Run(name, func(t *testing.T) {
			srv := fakecloud.New().Start()
			t.Cleanup(srv.Close)
			setEnv(t, env)
			var stdout, stderr bytes.Buffer
			if code := run(profileArgs(srv, fakecloud.ICProfileID), &stdout, &stderr); code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			if want := "set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"; !strings.Contains(stderr.String(), want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
			}
			if n := srv.Cloud().Requests(fakecloud.OpDeleteProfile) + srv.Cloud().Requests(fakecloud.OpListAuthDomains); n != 0 {
				t.Errorf("%d requests reached the emulator, want 0", n)
			}
		})
	}
}

func TestRunUsage(t *testing.T) {
	env := keys(fakecloud.HuaweiAK, fakecloud.HuaweiSK)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  []string
	}{
		{"help", []string{"-h"}, exitOK, []string{"usage: identitycenter", "-instance-id ID", "-domain-id ID", "-iam-endpoint URL",
			"-debug", "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_DOMAIN_ID", "Exit status"}},
		{"no arguments", nil, exitUsage, []string{"-instance-id is required", "usage:"}},
		{"no application instance", []string{"-instance-id", fakecloud.ICInstanceID}, exitUsage,
			[]string{"-application-instance-id is required"}},
		{"no profile", []string{"-instance-id", fakecloud.ICInstanceID, "-application-instance-id", "app-ins-1"}, exitUsage,
			[]string{"-profile-id is required"}},
		{"positional argument", []string{"-profile-id", "p", "extra"}, exitUsage, []string{"unexpected argument extra"}},
		{"invalid instance ID", []string{"-instance-id", "ins-1", "-application-instance-id", "app-ins-1", "-profile-id", "p",
			"-domain-id", fakecloud.HuaweiDomainID}, exitUsage, []string{"invalid input: InstanceID"}},
		{"bad endpoint", []string{"-instance-id", fakecloud.ICInstanceID, "-application-instance-id", "app-ins-1", "-profile-id", "p",
			"-endpoint", "identitycenter.example.com"}, exitUsage, []string{"Endpoint is not valid"}},
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
