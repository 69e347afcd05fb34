package awscreds

import (
	"context"
	"errors"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// Error is what every source in this package returns when it cannot give
// credentials. Its message starts with the source (the aws-sdk-go-v2
// provider name, such as "AssumeRoleProvider") and never contains a secret:
// no token, key, file content or process output.
//
// It unwraps to its cause, so errors.As finds a *transport.ResponseError
// (the service refused), *transport.SendError, *transport.CanceledError,
// *transport.DecodeError, *transport.ValidationError or an *fs.PathError
// (a token file), and errors.Is(err, signer.ErrNoCredentials) holds when
// the source simply has none here (instance metadata off EC2, no role
// attached, disabled), so a chain moves on.
type Error struct {
	// Source is the provider's name, one of the Source* constants.
	Source string
	// Reason says what failed, e.g. "read the web identity token file".
	Reason string
	// Err is the cause; nil when Reason says it all.
	Err error

	noCredentials bool
}

func (e *Error) Error() string {
	msg := e.Source + ": " + e.Reason
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause, and signer.ErrNoCredentials when the source
// has none.
func (e *Error) Unwrap() []error {
	var out []error
	if e.Err != nil {
		out = append(out, e.Err)
	}
	if e.noCredentials {
		out = append(out, signer.ErrNoCredentials)
	}
	return out
}

// The Source of the credentials each provider returns, and the Source of
// its errors: aws-sdk-go-v2's provider names, so that credentials from
// either can be compared.
const (
	SourceAssumeRole  = "AssumeRoleProvider"          // stscreds, AssumeRole
	SourceWebIdentity = "WebIdentityCredentials"      // stscreds, AssumeRoleWithWebIdentity
	SourceSSO         = "SSOProvider"                 // ssocreds
	SourceProcess     = "ProcessProvider"             // processcreds
	SourceContainer   = "CredentialsEndpointProvider" // endpointcreds
	SourceIMDS        = "EC2RoleProvider"             // ec2rolecreds
	SourceLogin       = "LoginProvider"               // logincreds
)

// checkContext refuses a nil context before anything else happens.
func checkContext(ctx context.Context, source string) error {
	if ctx == nil {
		return &Error{Source: source, Reason: "retrieve credentials",
			Err: &transport.ValidationError{Field: "ctx", Rule: "must not be nil"}}
	}
	return nil
}

// invalid is a configuration error found before any traffic.
func invalid(source, field, rule string) error {
	return &Error{Source: source, Reason: "invalid configuration", Err: &transport.ValidationError{Field: field, Rule: rule}}
}

// errNoCredentialsInResponse is a 2xx answer without keys.
var errNoCredentialsInResponse = errors.New("the response has no access key id or secret access key")
