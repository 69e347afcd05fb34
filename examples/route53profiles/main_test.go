package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/detach-go/detach/internal/fakecloud"
)

// setEnv replaces every variable the command reads; t.Setenv restores them.
// The shared credentials file points at a file that does not exist, so the
// developer's own ~/.aws/credentials is never read.
func setEnv(t *testing.T, vars map[string]string) {
	t.Helper()
	for _, n := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"} {
		t.Setenv(n, vars[n])
	}
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "no-such-file"))
}

func emulatorEnv() map[string]string {
	return map[string]string{
		"AWS_ACCESS_KEY_ID":     fakecloud.AWSAccessKeyID,
		"AWS_SECRET_ACCESS_KEY": fakecloud.AWSSecretKey,
		"AWS_REGION":            "us-east-1",
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

func TestRunAgainstEmulator(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, emulatorEnv())

	var stdout, stderr bytes.Buffer
	code := run([]string{"-endpoint", srv.Endpoint(fakecloud.Route53Profiles),
		"-profile-id", fakecloud.R53ProfileID, "-resource-id", fakecloud.R53VPCID}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	got := fields(stdout.String())
	if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(got["request id"]) {
		t.Errorf("request id = %q, want a UUID", got["request id"])
	}
	for _, k := range []string{"request id", "name", "created", "modified"} {
		if got[k] == "" {
			t.Errorf("%s is missing from the output:\n%s", k, stdout.String())
		}
		delete(got, k)
	}
	want := map[string]string{
		"association":    fakecloud.R53AssociationID,
		"profile":        fakecloud.R53ProfileID,
		"resource":       fakecloud.R53VPCID,
		"owner":          fakecloud.AWSAccountID,
		"status":         "DELETING",
		"status message": "Deleting Profile Association",
		"http status":    "200",
		"attempts":       "1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output (-want +got):\n%s\n%s", diff, stdout.String())
	}
	if _, status := srv.Cloud().ProfileAssociation(fakecloud.R53ProfileID, fakecloud.R53VPCID); status != "DELETING" {
		t.Errorf("emulator association status = %q, want DELETING", status)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr is not empty:\n%s", stderr.String())
	}
}

func TestRunDebugLogsRedacted(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, emulatorEnv())

	var stdout, stderr bytes.Buffer
	code := run([]string{"-debug", "-endpoint", srv.Endpoint(fakecloud.Route53Profiles),
		"-profile-id", fakecloud.R53ProfileID, "-resource-id", fakecloud.R53VPCID}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	log := stderr.String()
	for _, want := range []string{"level=DEBUG", `msg="detach attempt"`, "operation=DisassociateProfile", "status=200"} {
		if !strings.Contains(log, want) {
			t.Errorf("debug log lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, fakecloud.AWSSecretKey) || strings.Contains(log, "Signature=") {
		t.Errorf("debug log shows the secret key or the signature:\n%s", log)
	}
}

func TestRunServiceError(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, emulatorEnv())

	var stdout, stderr bytes.Buffer
	code := run([]string{"-endpoint", srv.Endpoint(fakecloud.Route53Profiles),
		"-profile-id", fakecloud.R53ProfileID, "-resource-id", "vpc-00000000000000000"}, &stdout, &stderr)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFailed, stderr.String())
	}
	for _, want := range []string{"code ResourceNotFoundException, http status 400, request id ", "attempts 1",
		"nothing to disassociate"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout is not empty:\n%s", stdout.String())
	}
}

func TestRunWithoutCredentials(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, map[string]string{"AWS_REGION": "us-east-1"})

	var stdout, stderr bytes.Buffer
	code := run([]string{"-endpoint", srv.Endpoint(fakecloud.Route53Profiles),
		"-profile-id", fakecloud.R53ProfileID, "-resource-id", fakecloud.R53VPCID}, &stdout, &stderr)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
	}
	for _, want := range []string{"no usable AWS credentials", "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if n := srv.Cloud().Requests(fakecloud.OpDisassociateProfile); n != 0 {
		t.Errorf("%d requests reached the emulator, want 0", n)
	}
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantErr  []string
	}{
		{"help", []string{"-h"}, nil, exitOK,
			[]string{"usage: route53profiles", "-profile-id ID", "-debug", "-endpoint URL", "AWS_ACCESS_KEY_ID", "AWS_REGION", "Exit status"}},
		{"no arguments", nil, emulatorEnv(), exitUsage, []string{"-profile-id is required", "usage:"}},
		{"no resource", []string{"-profile-id", "rp-1"}, emulatorEnv(), exitUsage, []string{"-resource-id is required"}},
		{"unknown flag", []string{"-vpc", "x"}, emulatorEnv(), exitUsage, []string{"flag provided but not defined: -vpc"}},
		{"positional argument", []string{"-profile-id", "rp-1", "-resource-id", "vpc-1", "extra"}, emulatorEnv(), exitUsage,
			[]string{"unexpected argument extra"}},
		{"no region", []string{"-profile-id", "rp-1", "-resource-id", "vpc-1"},
			map[string]string{"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"}, exitUsage,
			[]string{"no region: set AWS_REGION"}},
		{"invalid ID", []string{"-profile-id", strings.Repeat("p", 65), "-resource-id", "vpc-1"}, emulatorEnv(), exitUsage,
			[]string{"invalid input: ProfileID must be"}},
		{"bad endpoint", []string{"-profile-id", "rp-1", "-resource-id", "vpc-1", "-endpoint", "ftp://example.com"},
			emulatorEnv(), exitUsage, []string{"Endpoint is not valid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setEnv(t, tt.env)
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.wantCode {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.wantCode, stderr.String())
			}
			for _, want := range tt.wantErr {
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
