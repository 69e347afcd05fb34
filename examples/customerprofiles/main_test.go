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
		"AWS_ACCESS_KEY_ID":     fakecloud.AWSTempAccessKeyID,
		"AWS_SECRET_ACCESS_KEY": fakecloud.AWSTempSecretKey,
		"AWS_SESSION_TOKEN":     fakecloud.AWSSessionToken,
		"AWS_DEFAULT_REGION":    "us-east-1",
	}
}

func objectArgs(srv *fakecloud.Server, key string) []string {
	return []string{"-endpoint", srv.Endpoint(fakecloud.CustomerProfiles), "-domain", fakecloud.CPDomainName,
		"-object-type", fakecloud.CPObjectTypeName, "-profile-id", fakecloud.CPProfileID, "-object-key", key}
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
	if code := run(objectArgs(srv, fakecloud.CPObjectKey), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	got := fields(stdout.String())
	if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(got["request id"]) {
		t.Errorf("request id = %q, want a UUID", got["request id"])
	}
	delete(got, "request id")
	want := map[string]string{"message": "Profile object deleted.", "http status": "200", "attempts": "1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output (-want +got):\n%s\n%s", diff, stdout.String())
	}
	c := srv.Cloud()
	if c.ProfileObject(fakecloud.CPDomainName, fakecloud.CPObjectTypeName, fakecloud.CPProfileID, fakecloud.CPObjectKey) {
		t.Error("the object still exists in the emulator")
	}
	if !c.ProfileObject(fakecloud.CPDomainName, fakecloud.CPObjectTypeName, fakecloud.CPProfileID, fakecloud.CPObjectKey2) {
		t.Error("the other object was deleted too")
	}
}

func TestRunDebugLogsRedacted(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, emulatorEnv())

	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"-debug"}, objectArgs(srv, fakecloud.CPObjectKey)...), &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	log := stderr.String()
	for _, want := range []string{"level=DEBUG", `msg="detach attempt"`, "operation=DeleteProfileObject", "status=200"} {
		if !strings.Contains(log, want) {
			t.Errorf("debug log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{fakecloud.AWSTempSecretKey, fakecloud.AWSSessionToken, "Signature="} {
		if strings.Contains(log, secret) {
			t.Errorf("debug log shows %q:\n%s", secret, log)
		}
	}
}

func TestRunServiceError(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, emulatorEnv())

	var stdout, stderr bytes.Buffer
	if code := run(objectArgs(srv, "bm8tc3VjaC1vYmplY3Q="), &stdout, &stderr); code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFailed, stderr.String())
	}
	for _, want := range []string{"code ResourceNotFoundException, http status 404, request id ", "attempts 1",
		"nothing to delete"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestRunWithoutCredentials(t *testing.T) {
	srv := fakecloud.New().Start()
	t.Cleanup(srv.Close)
	setEnv(t, map[string]string{"AWS_REGION": "us-east-1"})

	var stdout, stderr bytes.Buffer
	if code := run(objectArgs(srv, fakecloud.CPObjectKey), &stdout, &stderr); code != exitUsage {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
	}
	for _, want := range []string{"no usable AWS credentials", "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if n := srv.Cloud().Requests(fakecloud.OpDeleteProfileObject); n != 0 {
		t.Errorf("%d requests reached the emulator, want 0", n)
	}
}

func TestRunUsage(t *testing.T) {
	full := []string{"-domain", "d", "-object-type", "CTR", "-profile-id", fakecloud.CPProfileID, "-object-key", "k"}
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantErr  []string
	}{
		{"help", []string{"-help"}, nil, exitOK,
			[]string{"usage: customerprofiles", "-domain name", "-object-key key", "-debug", "-endpoint URL",
				"AWS_ACCESS_KEY_ID", "AWS_REGION", "Exit status"}},
		{"no arguments", nil, emulatorEnv(), exitUsage, []string{"-domain is required", "usage:"}},
		{"no object type", []string{"-domain", "d"}, emulatorEnv(), exitUsage, []string{"-object-type is required"}},
		{"no profile", []string{"-domain", "d", "-object-type", "CTR"}, emulatorEnv(), exitUsage, []string{"-profile-id is required"}},
		{"no key", []string{"-domain", "d", "-object-type", "CTR", "-profile-id", "p"}, emulatorEnv(), exitUsage,
			[]string{"-object-key is required"}},
		{"positional argument", append(full[:len(full):len(full)], "extra"), emulatorEnv(), exitUsage,
			[]string{"unexpected argument extra"}},
		{"no region", full, map[string]string{"AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret"}, exitUsage,
			[]string{"no region: set AWS_REGION"}},
		{"invalid profile ID", []string{"-domain", "d", "-object-type", "CTR", "-profile-id", "DB3C", "-object-key", "k"},
			emulatorEnv(), exitUsage, []string{"invalid input: ProfileID must be 32 lower-case hex digits"}},
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
