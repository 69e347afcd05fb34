package awscreds

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// runProcess runs argv without a shell as exec.CommandContext(...).Run
// would with ProcessProvider's settings (credentials v1.21.1's
// processcreds also uses exec.CommandContext): argv[0] found by
// exec.LookPath (so a program found through a relative PATH entry is
// refused, as there), stdin this program's, stdout into out, stderr to
// stderr, env (nil: this program's), killed when ctx is done, and the
// pipes closed at most processWaitDelay after the process exits or is
// killed, in case a child it left behind holds them open (as
// exec.Cmd.WaitDelay does).
//
// It starts the process with os.StartProcess rather than through
// exec.Cmd, whose machinery cost every program with the default chain
// 25 KB (measured 2026-12-03); only LookPath is linked from os/exec. The
// error is the lookup's, the environment's (see processEnv), the start's,
// a copy's (out refusing more output), errWaitDelay, or an
// *exec.ExitError saying how the process ended ("exit status 3",
// "signal: killed").
func runProcess(ctx context.Context, argv, env []string, stderr, out io.Writer) error {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return err
	}
	if env, err = processEnv(env, runtime.GOOS == "windows"); err != nil {
		return err
	}
	var pipes processPipes
	defer pipes.closeAll()
	stdoutFile, err := pipes.to(out)
	if err != nil {
		return err
	}
	stderrFile, err := pipes.to(stderr)
	if err != nil {
		return err
	}
	proc, err := os.StartProcess(path, argv, &os.ProcAttr{Env: env, Files: []*os.File{os.Stdin, stdoutFile, stderrFile}})
	// Our copies of the child's ends are closed whatever happened, so that
	// the reads see the end of the output when the child and its children
	// are gone.
	pipes.closeChildEnds()
	if err != nil {
		return err
	}
	copied := pipes.start(proc)

	exited := make(chan struct{})
	var state *os.ProcessState
	var waitErr error
	go func() {
		state, waitErr = proc.Wait()
		close(exited)
	}()
	select {
	case <-exited:
	case <-ctx.Done():
		proc.Kill()
		<-exited
	}
	copyErr := pipes.wait(copied, processWaitDelay)
	switch {
	case waitErr != nil:
		return waitErr
	case copyErr != nil:
		return copyErr
	case !state.Success():
		// The type exec.Cmd returns, so that errors.As finds the exit code.
		return &exec.ExitError{ProcessState: state}
	}
	return nil
}

// processEnv is env as exec.Cmd hands it to a process (os/exec in Go 1.26:
// dedupEnv and addCriticalEnv): nil stays nil (this program's
// environment); a variable set more than once keeps its last value, so
// that appending to os.Environ() overrides; on Windows names match without
// regard to case, a name may start with '=' (the per-drive directories),
// and SYSTEMROOT is added when missing, since many programs cannot start
// without it. An entry holding a NUL byte is refused, as exec refuses it,
// since it would cut the entry short.
func processEnv(env []string, windows bool) ([]string, error) {
	if env == nil {
		return nil, nil
	}
	// Walked from the end, so the first of a name seen is the last set.
	keep := make([]bool, len(env))
	seen := make(map[string]bool, len(env))
	hasRoot := false
	for i := len(env) - 1; i >= 0; i-- {
		kv := env[i]
		if strings.IndexByte(kv, 0) >= 0 {
			return nil, errors.New("an environment variable contains a NUL byte")
		}
		eq := strings.IndexByte(kv, '=')
		if eq == 0 {
			eq = strings.IndexByte(kv[1:], '=') + 1
		}
		if eq <= 0 {
			keep[i] = kv != "" // not name=value: handed on as it is, as exec does
			continue
		}
		name := kv[:eq]
		if windows {
			name = strings.ToUpper(name)
		}
		if !seen[name] {
			seen[name], keep[i] = true, true
		}
		hasRoot = hasRoot || name == "SYSTEMROOT"
	}
	out := make([]string, 0, len(env)+1)
	for i, kv := range env {
		if keep[i] {
			out = append(out, kv)
		}
	}
	if windows && !hasRoot {
		out = append(out, "SYSTEMROOT="+os.Getenv("SYSTEMROOT"))
	}
	return out, nil
}

// processPipes are the pipes of one run: for each writer that is not an
// *os.File, a pipe whose read end a goroutine copies into the writer.
type processPipes struct {
	child  []*os.File // the write ends, given to the child
	copies []pipeCopy
}

// pipeCopy is a pipe's read end and where it is copied to.
type pipeCopy struct {
	r *os.File
	w io.Writer
}

// to returns the file the child writes to for w: w itself when it is a
// file, else the write end of a new pipe.
func (p *processPipes) to(w io.Writer) (*os.File, error) {
	if f, ok := w.(*os.File); ok {
		return f, nil
	}
	r, wf, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p.child = append(p.child, wf)
	p.copies = append(p.copies, pipeCopy{r: r, w: w})
	return wf, nil
}

// closeChildEnds closes our copies of the write ends.
func (p *processPipes) closeChildEnds() {
	for _, f := range p.child {
		f.Close()
	}
	p.child = nil
}

// start copies each pipe on a goroutine of its own. A copy that fails (the
// writer refused more output) closes its pipe and kills the process, which
// would otherwise block writing into it.
func (p *processPipes) start(proc *os.Process) <-chan error {
	errs := make(chan error, len(p.copies))
	for _, c := range p.copies {
		go func() {
			_, err := io.Copy(c.w, c.r)
			if err != nil {
				c.r.Close()
				proc.Kill()
			}
			errs <- err
		}()
	}
	return errs
}

// wait collects the copies' results, the first error first. Copies still
// running delay after it is called are cut off by closing their pipes,
// which is errWaitDelay unless a copy failed on its own.
func (p *processPipes) wait(errs <-chan error, delay time.Duration) error {
	timer := time.NewTimer(delay)
	defer timer.Stop()
	var first error
	cut := false
	for range p.copies {
		var err error
		select {
		case err = <-errs:
		case <-timer.C:
			cut = true
			p.closeAll()
			err = <-errs
		}
		if first == nil && err != nil && !(cut && errors.Is(err, os.ErrClosed)) {
			first = err
		}
	}
	if first == nil && cut {
		return errWaitDelay
	}
	return first
}

// errWaitDelay is output still open processWaitDelay after the process
// ended: a process it started holds the pipe.
var errWaitDelay = errors.New("its output was still open " + processWaitDelay.String() +
	" after it ended (a process it started holds it)")

// closeAll closes every pipe end; closing one twice does nothing.
func (p *processPipes) closeAll() {
	for _, f := range p.child {
		f.Close()
	}
	for _, c := range p.copies {
		c.r.Close()
	}
}
