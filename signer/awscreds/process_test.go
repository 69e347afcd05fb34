package awscreds

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const processSecret = "process-SECRET-key-0123456789"

// TestProcessHelper is the credential process the tests run: this test
// binary again, doing what its first argument after -- says.
func TestProcessHelper(t *testing.T) {
	if os.Getenv("AWSCREDS_HELPER") != "1" {
		t.Skip("run as a credential process by the process tests")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	out := os.Stdout
	switch args[0] {
	case "ok":
		fmt.Fprintf(out, `{"Version":1,"AccessKeyId":"AKPROC","SecretAccessKey":"%s","SessionToken":"tok","Expiration":"2025-06-01T13:00:00Z","AccountId":"123456789012"}`, processSecret)
	case "noexp":
		fmt.Fprintf(out, `{"Version":1,"AccessKeyId":"AKPROC","SecretAccessKey":"%s"}`, processSecret)
	case "args":
		fmt.Fprintf(out, `{"Version":1,"AccessKeyId":%q,"SecretAccessKey":"s"}`, strings.Join(args[1:], "|"))
	case "badversion":
		fmt.Fprintf(out, `{"Version":2,"AccessKeyId":"AK","SecretAccessKey":"%s"}`, processSecret)
	case "garbage":
		fmt.Fprintf(out, `not json at all: %s`, processSecret)
	case "nosecret":
		fmt.Fprint(out, `{"Version":1,"AccessKeyId":"AK"}`)
	case "badexpiry":
		fmt.Fprintf(out, `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"s","Expiration":"%s"}`, processSecret)
	case "fail":
		fmt.Fprintf(out, `{"Version":1,"AccessKeyId":"AK","SecretAccessKey":"%s"}`, processSecret)
		fmt.Fprint(os.Stderr, "helper: cannot reach the vault")
		os.Exit(3)
	case "sleep":
		time.Sleep(time.Minute)
	case "orphan":
		// Leaves a child that holds standard output open for 5 s after
		// this process has printed its credentials and exited.
		_, err := os.StartProcess(os.Args[0], []string{os.Args[0], "-test.run=^TestProcessHelper$", "--", "sleep5"},
			&os.ProcAttr{Files: []*os.File{nil, os.Stdout, nil}})
		if err != nil {
			os.Exit(1)
		}
		fmt.Fprintf(out, `{"Version":1,"AccessKeyId":"AKPROC","SecretAccessKey":"%s"}`, processSecret)
	case "sleep5":
		time.Sleep(5 * time.Second)
	case "flood":
		chunk := strings.Repeat(processSecret, 1024)
		for range 1000 {
			if _, err := out.WriteString(chunk); err != nil {
				os.Exit(1)
			}
		}
	}
	os.Exit(0)
}

// helperCommand is a credential_process line that runs the helper.
func helperCommand(mode string, args ...string) string {
	cmd := "'" + os.Args[0] + "' '-test.run=^TestProcessHelper$' -- " + mode
	for _, a := range args {
		cmd += " " + a
	}
	return cmd
}

func helperEnv() []string { return append(os.Environ(), "AWSCREDS_HELPER=1") }

func TestProcessCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode, args string
		want       signer.AWSCredentials
	}{
		{"ok", "", signer.AWSCredentials{AccessKeyID: "AKPROC", SecretAccessKey: processSecret, SessionToken: "tok",
			Expires: time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC), Source: SourceProcess}},
		{"noexp", "", signer.AWSCredentials{AccessKeyID: "AKPROC", SecretAccessKey: processSecret, Source: SourceProcess}},
		// Arguments reach the program as the AWS CLI splits them, no shell
		// in between.
		{"args", `plain 'single $quoted' "double \"x\" \\ \n" back\ slash '' --k=v`, signer.AWSCredentials{
			AccessKeyID: `plain|single $quoted|double "x" \ \n|back slash||--k=v`, SecretAccessKey: "s", Source: SourceProcess}},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			t.Parallel()
			p, err := NewProcessProvider(ProcessConfig{Command: helperCommand(tc.mode, tc.args), Env: helperEnv()})
			require.NoError(t, err)
			got, err := p.RetrieveAWS(t.Context())
			require.NoError(t, err)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for the process's writer and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProcessErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode       string
		cfg        ProcessConfig
		wantText   string
		wantIs     error
		wantStderr string
	}{
		{mode: "badversion", wantText: "the output's Version is not 1"},
		{mode: "garbage", wantText: "the output is not the documented JSON: not valid JSON"},
		{mode: "nosecret", wantText: "the output has no SecretAccessKey"},
		{mode: "badexpiry", wantText: "the output's field Expiration is not an RFC 3339 time"},
		{mode: "fail", wantText: "run " + os.Args[0] + ": exit status 3", wantStderr: "helper: cannot reach the vault"},
		{mode: "sleep", cfg: ProcessConfig{Timeout: 200 * time.Millisecond}, wantText: "timed out after 200ms", wantIs: context.DeadlineExceeded},
		{mode: "flood", wantText: "the output is larger than 1048576 bytes"},
		{mode: "flood", cfg: ProcessConfig{MaxOutput: 100}, wantText: "the output is larger than 100 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.mode+tc.wantText, func(t *testing.T) {
			t.Parallel()
			stderr := &syncBuffer{}
			cfg := tc.cfg
			cfg.Command, cfg.Env, cfg.Stderr = helperCommand(tc.mode), helperEnv(), stderr
			p, err := NewProcessProvider(cfg)
			require.NoError(t, err)
			start := time.Now()
			_, err = p.RetrieveAWS(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.wantText) || !strings.HasPrefix(err.Error(), "ProcessProvider: ") {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantText)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("errors.Is(%v) = false", tc.wantIs)
			}
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
			if tc.wantStderr != "" && !strings.Contains(stderr.String(), tc.wantStderr) {
				t.Errorf("stderr = %q, want it passed through", stderr.String())
			}
			noLeak(t, errTexts(err), processSecret, "cannot reach the vault")
		})
	}
}

// TestProcessOrphanHoldsOutput: a process that exits while a child of its
// own keeps standard output open is cut off processWaitDelay later, not
// when the child ends, as exec.Cmd.WaitDelay would.
func TestProcessOrphanHoldsOutput(t *testing.T) {
	t.Parallel()
	p, err := NewProcessProvider(ProcessConfig{Command: helperCommand("orphan"), Env: helperEnv(), Stderr: &syncBuffer{}})
	require.NoError(t, err)
	start := time.Now()
	_, err = p.RetrieveAWS(t.Context())
	if err == nil || !strings.Contains(err.Error(), "its output was still open 1s after it ended") {
		t.Errorf("err = %v, want the wait delay's", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("took %v: the orphan's 5 s were waited for", d)
	}
	noLeak(t, errTexts(err), processSecret)
}

// TestProcessFoundInPATH: a program named without a slash is looked up in
// PATH, as exec.LookPath does, and one found through a relative entry is
// refused, as exec.Cmd refuses it (exec.ErrDot).
func TestProcessFoundInPATH(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the helper is a shell script")
	}
	dir := t.TempDir()
	script := "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKPATH\",\"SecretAccessKey\":\"s\"}'\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "detach-creds-helper"), []byte(script), 0o700))

	t.Setenv("PATH", dir)
	p, err := NewProcessProvider(ProcessConfig{Command: "detach-creds-helper --profile x"})
	require.NoError(t, err)
	creds, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if creds.AccessKeyID != "AKPATH" {
		t.Errorf("AccessKeyID = %q", creds.AccessKeyID)
	}

	t.Chdir(dir)
	t.Setenv("PATH", ".")
	_, err = p.RetrieveAWS(t.Context())
	if !errors.Is(err, exec.ErrDot) {
		t.Errorf("err = %v, want exec.ErrDot", err)
	}
}

// TestProcessEnv: the environment is handed on as exec.Cmd hands it on.
func TestProcessEnv(t *testing.T) {
	t.Setenv("SYSTEMROOT", `C:\Windows`)
	tests := []struct {
		name    string
		env     []string
		windows bool
		want    []string
		wantErr bool
	}{
		{name: "nil is this program's", env: nil, want: nil},
		{name: "the last of a name wins, in its first place", env: []string{"A=1", "B=2", "A=3"}, want: []string{"B=2", "A=3"}},
		{name: "names differ by case on Unix", env: []string{"a=1", "A=2"}, want: []string{"a=1", "A=2"}},
		{name: "names match without case on Windows", env: []string{"Path=x", "PATH=y", "SYSTEMROOT=r"}, windows: true,
			want: []string{"PATH=y", "SYSTEMROOT=r"}},
		{name: "SYSTEMROOT added on Windows", env: []string{"A=1"}, windows: true, want: []string{"A=1", `SYSTEMROOT=C:\Windows`}},
		{name: "a drive's directory entry on Windows", env: []string{"=C:=C:\\x", "=C:=C:\\y", "SystemRoot=r"}, windows: true,
			want: []string{"=C:=C:\\y", "SystemRoot=r"}},
		{name: "entries without '=' kept, empty ones dropped", env: []string{"odd", "", "A=1"}, want: []string{"odd", "A=1"}},
		{name: "a NUL byte is refused", env: []string{"A=1\x00B=2"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := processEnv(tt.env, tt.windows)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v", tt.name, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestProcessEnvOverride: a variable appended to os.Environ() reaches the
// process with the appended value, and a failed run's error is an
// *exec.ExitError with its code, as with exec.Cmd.
func TestProcessEnvOverride(t *testing.T) {
	t.Parallel()
	p, err := NewProcessProvider(ProcessConfig{Command: helperCommand("noexp"),
		Env: append(os.Environ(), "AWSCREDS_HELPER=0", "AWSCREDS_HELPER=1")})
	require.NoError(t, err)
	if _, err := p.RetrieveAWS(t.Context()); err != nil {
		t.Errorf("the helper did not see AWSCREDS_HELPER=1: %v", err)
	}
	p, err = NewProcessProvider(ProcessConfig{Command: helperCommand("fail"), Env: helperEnv(), Stderr: &syncBuffer{}})
	require.NoError(t, err)
	_, err = p.RetrieveAWS(t.Context())
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Errorf("err = %v, want an *exec.ExitError with code 3", err)
	}
}

func TestProcessCallerCancel(t *testing.T) {
	t.Parallel()
	p, err := NewProcessProvider(ProcessConfig{Command: helperCommand("sleep"), Env: helperEnv()})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.RetrieveAWS(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 20*time.Second {
		t.Errorf("err = %v after %v", err, time.Since(start))
	}
}

func TestProcessStartFails(t *testing.T) {
	t.Parallel()
	p, err := NewProcessProvider(ProcessConfig{Command: "/nonexistent/credential-helper --profile x"})
	require.NoError(t, err)
	_, err = p.RetrieveAWS(t.Context())
	var pe *os.PathError
	var ee *exec.Error
	if !errors.As(err, &pe) && !errors.As(err, &ee) {
		t.Errorf("err = %v, want the start failure", err)
	}
	//lint:ignore SA1012 a nil context is what is tested
	if _, err := p.RetrieveAWS(nil); !errors.Is(err, transport.ErrInvalidInput) {
		t.Errorf("nil context: %v", err)
	}
}

func TestProcessConfigErrors(t *testing.T) {
	t.Parallel()
	for _, cmd := range []string{"", "   ", "get-creds | jq .", "x > out", "a; b", "echo $HOME", "run `x`", "'open", `"open`,
		"X=1 get-creds", "get-creds *", "#comment", "~root/bin/x", "a\\\nb", `"$x"`} {
		_, err := NewProcessProvider(ProcessConfig{Command: cmd})
		var ve *transport.ValidationError
		if !errors.As(err, &ve) || ve.Field != "Command" {
			t.Errorf("%q: err = %v, want a ValidationError on Command", cmd, err)
		}
	}
}

func TestProcessRendersWithoutArguments(t *testing.T) {
	t.Parallel()
	p, err := NewProcessProvider(ProcessConfig{Command: "/usr/bin/vault-creds --token SECRET-ARG"})
	require.NoError(t, err)
	noLeak(t, renderings(t, p), "SECRET-ARG")
	if p.String() != "awscreds.ProcessProvider{Program:/usr/bin/vault-creds Args:2}" {
		t.Errorf("String = %q", p.String())
	}
}

func TestSplitCommand(t *testing.T) {
	home, err := os.UserHomeDir()
	require.NoError(t, err)
	tests := []struct {
		line string
		want []string
	}{
		{"aws-vault exec prod --json", []string{"aws-vault", "exec", "prod", "--json"}},
		{"  spaced\t\targs\n", []string{"spaced", "args"}},
		{`'/path with space/x' "a b" c\ d`, []string{"/path with space/x", "a b", "c d"}},
		{`'it''s' "q\"uote" "back\\slash" "keep\n"`, []string{"its", `q"uote`, `back\slash`, `keep\n`}},
		{`'$HOME|;&><*?' "#!"`, []string{"$HOME|;&><*?", "#!"}},
		{`x '' ""`, []string{"x", "", ""}},
		{`a#b c=d`, []string{"a#b", "c=d"}},
		{`~/bin/creds ~ a~b`, []string{home + "/bin/creds", home, "a~b"}},
		{`'X=1' cmd`, []string{"X=1", "cmd"}},
	}
	for _, tc := range tests {
		got, err := SplitCommand(tc.line)
		if err != nil || !cmp.Equal(got, tc.want) {
			t.Errorf("SplitCommand(%q) = %q, %v; want %q", tc.line, got, err, tc.want)
		}
	}
}

func FuzzSplitCommand(f *testing.F) {
	for _, s := range []string{"a b c", `'x y' "z\"w"`, `a\ b`, "x | y", `"$x"`, "~/a ~b", "#c", "X=1 y", `""`, "'", `a\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args, err := SplitCommand(line)
		if err != nil {
			return
		}
		if len(args) == 0 || args[0] == "" {
			t.Fatalf("SplitCommand(%q) = %q without an error", line, args)
		}
		// Quoting every argument in single quotes gives them back.
		var b strings.Builder
		for i, a := range args {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString("'" + strings.ReplaceAll(a, "'", `'\''`) + "'")
		}
		again, err := SplitCommand(b.String())
		if err != nil || !cmp.Equal(again, args) {
			t.Fatalf("round trip of %q: %q, %v", args, again, err)
		}
	})
}

func FuzzDecodeProcessOutput(f *testing.F) {
	f.Add([]byte(`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2025-06-01T13:00:00Z"}`))
	f.Add([]byte(`{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":null}`))
	f.Add([]byte(`{"Version":"1"}`))
	f.Add([]byte(`[` + processSecret + `]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		creds, err := decodeProcessOutput(b)
		if err != nil {
			if len(b) >= 16 && strings.Contains(err.Error(), string(b)) {
				t.Errorf("the error quotes the output: %v", err)
			}
			return
		}
		if creds.AccessKeyID == "" || creds.SecretAccessKey == "" || creds.Source != SourceProcess {
			t.Errorf("accepted %+v", creds)
		}
	})
}
