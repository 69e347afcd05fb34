package signer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrNoCredentials is wrapped by every error that means "this source has no
// credentials" (variables not set, file or profile missing), so a chain moves
// on to its next source and callers can test for it with errors.Is.
// Misconfiguration (half a key pair, a malformed file) is a different error:
// it stops a chain instead of silently falling through to another identity.
var ErrNoCredentials = errors.New("no credentials found")

// AWSCredentials is an AWS access key pair, with a session token for
// temporary credentials.
//
// Every rendering (fmt verbs including %d and %x, String, GoString, slog and
// JSON) redacts SecretAccessKey and SessionToken; AccessKeyID is shown.
type AWSCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string    // empty for long-term keys
	Expires         time.Time // zero: never expires
	Source          string    // where they came from, e.g. "environment"
}

// Expired reports whether the credentials have expired at now. Credentials
// with a zero Expires never expire.
func (c AWSCredentials) Expired(now time.Time) bool {
	return !c.Expires.IsZero() && !now.Before(c.Expires)
}

// sourceName is Source, or a placeholder so messages always name a source.
func (c AWSCredentials) sourceName() string {
	if c.Source == "" {
		return "unnamed source"
	}
	return c.Source
}

// String renders the credentials with the secrets redacted.
func (c AWSCredentials) String() string {
	// One concatenation: the same text as a strings.Builder in a fifth of
	// the code, which every program with AWS keys links.
	expires := ""
	if !c.Expires.IsZero() {
		expires = " Expires:" + c.Expires.Format(time.RFC3339)
	}
	return "{AccessKeyID:" + c.AccessKeyID + " SecretAccessKey:" + mask(c.SecretAccessKey) +
		" SessionToken:" + mask(c.SessionToken) + expires + " Source:" + c.Source + "}"
}

// GoString renders the credentials as Go syntax with the secrets redacted.
func (c AWSCredentials) GoString() string {
	s := "signer.AWSCredentials{AccessKeyID:" + strconv.Quote(c.AccessKeyID) +
		", SecretAccessKey:" + strconv.Quote(mask(c.SecretAccessKey)) +
		", SessionToken:" + strconv.Quote(mask(c.SessionToken))
	if !c.Expires.IsZero() {
		s += ", Expires:" + strconv.Quote(c.Expires.Format(time.RFC3339))
	}
	return s + ", Source:" + strconv.Quote(c.Source) + "}"
}

// Format implements fmt.Formatter so that no verb prints the secrets.
func (c AWSCredentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		formatSafe(f, verb, c.GoString())
		return
	}
	formatSafe(f, verb, c.String())
}

// LogValue implements slog.LogValuer with the secrets redacted.
func (c AWSCredentials) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("access_key_id", c.AccessKeyID),
		slog.String("secret_access_key", mask(c.SecretAccessKey)),
		slog.String("session_token", mask(c.SessionToken)),
	}
	if !c.Expires.IsZero() {
		attrs = append(attrs, slog.Time("expires", c.Expires))
	}
	attrs = append(attrs, slog.String("source", c.Source))
	return slog.GroupValue(attrs...)
}

// MarshalJSON encodes the credentials with the secrets redacted, so they
// cannot leak through a JSON dump of a larger value.
func (c AWSCredentials) MarshalJSON() ([]byte, error) {
	v := struct {
		AccessKeyID     string     `json:"AccessKeyID"`
		SecretAccessKey string     `json:"SecretAccessKey"`
		SessionToken    string     `json:"SessionToken,omitempty"`
		Expires         *time.Time `json:"Expires,omitempty"`
		Source          string     `json:"Source,omitempty"`
	}{c.AccessKeyID, mask(c.SecretAccessKey), mask(c.SessionToken), nil, c.Source}
	if !c.Expires.IsZero() {
		v.Expires = &c.Expires
	}
	return json.Marshal(v)
}

// AWSCredentialsProvider supplies AWS credentials. RetrieveAWS is called for
// every request attempt, so implementations that fetch remotely should
// cache. Errors say which source failed, wrap ErrNoCredentials when the
// source simply has none, and must not contain secrets.
type AWSCredentialsProvider interface {
	RetrieveAWS(ctx context.Context) (AWSCredentials, error)
}

// StaticAWSCredentials returns a provider of fixed credentials (Source
// "static"). Leaving both keys empty yields an error wrapping
// ErrNoCredentials; leaving one empty is an error naming it.
func StaticAWSCredentials(accessKeyID, secretAccessKey, sessionToken string) AWSCredentialsProvider {
	return &awsStaticProvider{creds: AWSCredentials{
		AccessKeyID:     accessKeyID,
		SecretAccessKey: secretAccessKey,
		SessionToken:    sessionToken,
		Source:          "static",
	}}
}

// awsStaticProvider is a pointer type with its own renderings so that
// printing a struct that holds it never reaches the secret by reflection.
type awsStaticProvider struct{ creds AWSCredentials }

func (p *awsStaticProvider) RetrieveAWS(ctx context.Context) (AWSCredentials, error) {
	if err := checkContext(ctx); err != nil {
		return AWSCredentials{}, err
	}
	c := p.creds
	switch {
	case c.AccessKeyID == "" && c.SecretAccessKey == "":
		return AWSCredentials{}, &awsSourceError{source: "static credentials", reason: "access key id and secret access key are empty", err: ErrNoCredentials}
	case c.AccessKeyID == "":
		return AWSCredentials{}, &awsSourceError{source: "static credentials", reason: "access key id is empty"}
	case c.SecretAccessKey == "":
		return AWSCredentials{}, &awsSourceError{source: "static credentials", reason: "secret access key is empty"}
	}
	return c, nil
}

func (p *awsStaticProvider) String() string { return "StaticAWSCredentials" + p.creds.String() }
func (p *awsStaticProvider) GoString() string {
	return "signer.StaticAWSCredentials(" + p.creds.GoString() + ")"
}
func (p *awsStaticProvider) Format(f fmt.State, verb rune) { awsFormatProvider(f, verb, p) }
func (p *awsStaticProvider) LogValue() slog.Value          { return slog.StringValue(p.String()) }
func (p *awsStaticProvider) MarshalJSON() ([]byte, error)  { return json.Marshal(p.String()) }

// awsFormatProvider renders a provider through its safe String/GoString.
func awsFormatProvider(f fmt.State, verb rune, p interface {
	String() string
	GoString() string
}) {
	if verb == 'v' && f.Flag('#') {
		formatSafe(f, verb, p.GoString())
		return
	}
	formatSafe(f, verb, p.String())
}

// awsSourceError is a failure of one credentials source. Its message starts
// with the source ("environment: ...") and never contains a secret.
type awsSourceError struct {
	source string
	reason string
	err    error // ErrNoCredentials, an I/O error, or nil
}

func (e *awsSourceError) Error() string {
	msg := e.source + ": " + e.reason
	if e.err != nil && e.err != ErrNoCredentials {
		msg += ": " + e.err.Error()
	}
	return msg
}

func (e *awsSourceError) Unwrap() error { return e.err }

// AWSCredentialsChain returns a provider that tries providers in order and
// returns the first credentials found. A source that has none (its error
// wraps ErrNoCredentials) is skipped; any other error stops the chain, since
// half-configured credentials should be fixed rather than silently replaced
// by another identity (botocore behaves the same). The error names every
// source tried and why it failed, and wraps each source's error.
func AWSCredentialsChain(providers ...AWSCredentialsProvider) AWSCredentialsProvider {
	return &awsChainProvider{providers: slices.DeleteFunc(slices.Clone(providers),
		func(p AWSCredentialsProvider) bool { return p == nil })}
}

type awsChainProvider struct{ providers []AWSCredentialsProvider }

func (p *awsChainProvider) RetrieveAWS(ctx context.Context) (AWSCredentials, error) {
	if err := checkContext(ctx); err != nil {
		return AWSCredentials{}, err
	}
	if len(p.providers) == 0 {
		return AWSCredentials{}, fmt.Errorf("aws credentials chain is empty: %w", ErrNoCredentials)
	}
	var errs []error
	for _, prov := range p.providers {
		if err := ctx.Err(); err != nil {
			return AWSCredentials{}, &awsChainError{errs: append(errs, err)}
		}
		c, err := prov.RetrieveAWS(ctx)
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if !errors.Is(err, ErrNoCredentials) {
			break
		}
	}
	return AWSCredentials{}, &awsChainError{errs: errs}
}

func (p *awsChainProvider) String() string {
	var b strings.Builder
	b.WriteString("AWSCredentialsChain(")
	for i, prov := range p.providers {
		if i > 0 {
			b.WriteString(", ")
		}
		if s, ok := prov.(fmt.Stringer); ok {
			b.WriteString(s.String())
		} else {
			fmt.Fprintf(&b, "%T", prov)
		}
	}
	b.WriteString(")")
	return b.String()
}

func (p *awsChainProvider) GoString() string              { return p.String() }
func (p *awsChainProvider) Format(f fmt.State, verb rune) { awsFormatProvider(f, verb, p) }

// awsChainError lists why each source of a chain failed.
type awsChainError struct{ errs []error }

func (e *awsChainError) Error() string {
	var b strings.Builder
	if e.notFound() {
		b.WriteString("no aws credentials found: ")
	} else {
		b.WriteString("aws credentials: ")
	}
	for i, err := range e.errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// notFound reports whether every source merely had no credentials.
func (e *awsChainError) notFound() bool {
	for _, err := range e.errs {
		if !errors.Is(err, ErrNoCredentials) {
			return false
		}
	}
	return len(e.errs) > 0
}

// Unwrap exposes the errors that decided the outcome: every source's error
// when all merely had none (so errors.Is(err, ErrNoCredentials) holds), else
// only the errors that stopped the chain (a misconfiguration, a context
// error), so a hard failure is not mistaken for "none found".
func (e *awsChainError) Unwrap() []error {
	if e.notFound() {
		return e.errs
	}
	return slices.DeleteFunc(slices.Clone(e.errs), func(err error) bool { return errors.Is(err, ErrNoCredentials) })
}
