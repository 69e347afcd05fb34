package sdkcompare

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// runChildTest runs this test binary again with only the test named run,
// in dir (when not ""), with exactly env (plus PATH and TMPDIR, and a
// GORACE that spares a race-enabled child its 1 s sleep at exit), and
// decodes into T the JSON the child printed after marker. Scenarios that
// set process-wide state (the environment, http.DefaultTransport, an
// SDK's caches) run this way, one process each. what names the child in
// failures.
func runChildTest[T any](t *testing.T, what, run, dir, marker string, env map[string]string) T {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+run+"$", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "TMPDIR=" + os.TempDir(), "GORACE=atexit_sleep_ms=0"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", what, err, stdout.String(), stderr.String())
	}
	var r T
	for line := range strings.SplitSeq(stdout.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, marker); ok {
			if err := json.Unmarshal([]byte(rest), &r); err != nil {
				t.Fatalf("%s result %q: %v", what, rest, err)
			}
			return r
		}
	}
	t.Fatalf("%s printed no result\nstdout:\n%s\nstderr:\n%s", what, stdout.String(), stderr.String())
	return r
}
