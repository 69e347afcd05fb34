package awscreds

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/detach-go/detach/signer"
)

// Process defaults: aws-sdk-go-v2's processcreds.DefaultTimeout (1 minute,
// credentials v1.21.1), and a bound on the output the SDK does not have.
const (
	DefaultProcessTimeout   = time.Minute
	DefaultProcessMaxOutput = 1 << 20
	// processWaitDelay bounds the wait for the output pipe after the
	// process exits or is killed, in case a child it left holds it open.
	processWaitDelay = time.Second
)

// ProcessConfig configures a ProcessProvider.
type ProcessConfig struct {
	// Command is the profile's credential_process line (required), split
	// into a program and arguments by SplitCommand and run without a shell.
	Command string
	// Timeout bounds each run; 0 means 1 minute. The process is killed
	// when it ends, or when the caller's context does.
	Timeout time.Duration
	// MaxOutput bounds what the process may write to standard output;
	// 0 means 1 MiB. More is an error, and the process is stopped.
	MaxOutput int64
	// Stderr receives the process's standard error; nil means os.Stderr,
	// so prompts and diagnostics reach the user, as in the SDK. Stdin is
	// the program's own, also as in the SDK (for an MFA prompt).
	Stderr io.Writer
	// Env is the process's environment; nil means this program's.
	Env []string
}

// ProcessProvider runs a credential_process command and reads the version 1
// JSON it prints: {"Version":1,"AccessKeyId","SecretAccessKey",
// "SessionToken","Expiration"}. Credentials without an Expiration never
// expire. Every call runs the command: wrap the provider in
// signer.NewAWSCredentialsCache. Safe for concurrent use. It renders as
// the program's name only, since arguments may hold secrets.
type ProcessProvider struct {
	described
	argv      []string
	timeout   time.Duration
	maxOutput int64
	stderr    io.Writer
	env       []string
}

// NewProcessProvider checks cfg and splits the command. Errors are *Error
// wrapping a *transport.ValidationError naming the field; a command that
// needs a shell is refused (see SplitCommand).
func NewProcessProvider(cfg ProcessConfig) (*ProcessProvider, error) {
	const src = SourceProcess
	argv, err := SplitCommand(cfg.Command)
	if err != nil {
		return nil, invalid(src, "Command", "cannot be run without a shell: "+err.Error())
	}
	p := &ProcessProvider{
		described: described{"awscreds.ProcessProvider{Program:" + argv[0] + " Args:" + strconv.Itoa(len(argv)-1) + "}"},
		argv:      argv,
		timeout:   cfg.Timeout,
		maxOutput: cfg.MaxOutput,
		stderr:    cfg.Stderr,
		env:       cfg.Env,
	}
	if p.timeout <= 0 {
		p.timeout = DefaultProcessTimeout
	}
	if p.maxOutput <= 0 {
		p.maxOutput = DefaultProcessMaxOutput
	}
	if p.stderr == nil {
		p.stderr = os.Stderr
	}
	return p, nil
}

// errOutputTooLarge stops a process that writes more than MaxOutput.
var errOutputTooLarge = errors.New("the process wrote more than the output limit")

// limitedBuffer keeps at most max bytes and fails the write past them,
// which closes the pipe under the process.
type limitedBuffer struct {
	buf  bytes.Buffer
	max  int64
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if int64(b.buf.Len())+int64(len(p)) > b.max {
		b.over = true
		return 0, errOutputTooLarge
	}
	return b.buf.Write(p)
}

// RetrieveAWS runs the command and returns its credentials (Source
// "ProcessProvider"). Errors are *Error and never contain the output: a
// failed start, a non-zero exit, a timeout (wrapping
// context.DeadlineExceeded), too much output, or output that is not version
// 1 JSON with both keys.
func (p *ProcessProvider) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	const src = SourceProcess
	if err := checkContext(ctx, src); err != nil {
		return signer.AWSCredentials{}, err
	}
	rctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	out := &limitedBuffer{max: p.maxOutput}
	err := runProcess(rctx, p.argv, p.env, p.stderr, out)
	switch {
	case out.over:
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "run " + p.argv[0],
			Err: errors.New("the output is larger than " + strconv.FormatInt(p.maxOutput, 10) + " bytes")}
	case rctx.Err() != nil && ctx.Err() == nil:
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "run " + p.argv[0],
			Err: &timeoutError{after: p.timeout}}
	case ctx.Err() != nil:
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "run " + p.argv[0], Err: ctx.Err()}
	case err != nil:
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "run " + p.argv[0], Err: err}
	}
	creds, err := decodeProcessOutput(out.buf.Bytes())
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "read the output of " + p.argv[0], Err: err}
	}
	return creds, nil
}

// timeoutError is a process killed for running past its timeout.
type timeoutError struct{ after time.Duration }

func (e *timeoutError) Error() string { return "timed out after " + e.after.String() }
func (e *timeoutError) Unwrap() error { return context.DeadlineExceeded }

// decodeProcessOutput reads version 1 of the credential_process output.
// Errors name what is wrong, never the text.
func decodeProcessOutput(b []byte) (signer.AWSCredentials, error) {
	var doc struct {
		Version         int
		AccessKeyID     string `json:"AccessKeyId"`
		SecretAccessKey string
		SessionToken    string
		Expiration      *string
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return signer.AWSCredentials{}, errors.New("the output is not the documented JSON: " + jsonProblem(err))
	}
	switch {
	case doc.Version != 1:
		return signer.AWSCredentials{}, errors.New("the output's Version is not 1")
	case doc.AccessKeyID == "":
		return signer.AWSCredentials{}, errors.New("the output has no AccessKeyId")
	case doc.SecretAccessKey == "":
		return signer.AWSCredentials{}, errors.New("the output has no SecretAccessKey")
	}
	creds := signer.AWSCredentials{AccessKeyID: doc.AccessKeyID, SecretAccessKey: doc.SecretAccessKey,
		SessionToken: doc.SessionToken, Source: SourceProcess}
	if doc.Expiration != nil {
		exp, err := parseTime("Expiration", *doc.Expiration)
		if err != nil {
			return signer.AWSCredentials{}, errors.New("the output's " + err.Error())
		}
		creds.Expires = exp.UTC()
	}
	return creds, nil
}
