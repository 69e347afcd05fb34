package signer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Token is an IAM (Keystone) token, sent as X-Auth-Token. Huawei Cloud and
// OTC tokens live 24 hours.
//
// Value is never rendered: fmt (every verb), slog and encoding/json print
// "[redacted]" instead.
type Token struct {
	Value     string    // secret
	ExpiresAt time.Time // zero: unknown, treated as never expiring
}

func (t Token) redactedString() string {
	return "signer.Token{Value:" + mask(t.Value) + " ExpiresAt:" + hwFormatTime(t.ExpiresAt) + "}"
}

// String returns the token with its value redacted.
func (t Token) String() string { return t.redactedString() }

// GoString returns the token with its value redacted.
func (t Token) GoString() string { return t.redactedString() }

// Format writes the redacted rendering for every verb.
func (t Token) Format(f fmt.State, verb rune) { formatSafe(f, verb, t.redactedString()) }

// LogValue renders the token for log/slog with its value redacted.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("value", mask(t.Value)),
		slog.String("expires_at", hwFormatTime(t.ExpiresAt)),
	)
}

// MarshalJSON encodes the token with its value redacted.
func (t Token) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Value     string
		ExpiresAt time.Time
	}{mask(t.Value), t.ExpiresAt})
}

// TokenSource supplies the token for a request. It is called once per
// attempt, so implementations should be cheap when the token is cached.
type TokenSource interface {
	Token(ctx context.Context) (Token, error)
}

// TokenFetcher obtains a fresh token, for example from IAM's
// POST /v3/auth/tokens (as huaweicreds.NewPasswordTokenSource does).
// CachedTokenSource calls it.
type TokenFetcher func(ctx context.Context) (Token, error)

// StaticToken returns a source that always returns value, with an unknown
// expiry. An empty value is an error when the token is used (wrapping
// ErrNoCredentials). A 401 cannot refresh a static token, so TokenAuth does
// not retry with it.
func StaticToken(value string) TokenSource { return &tokStatic{value: value} }

// tokStatic holds a token; it renders redacted because a source is easily
// printed as a field of an options struct. It is handed out as a pointer:
// fmt prints the fields of a value held in an unexported field by
// reflection, past every method, but only the address of a pointer.
type tokStatic struct{ value string }

func (s tokStatic) Token(ctx context.Context) (Token, error) {
	if err := checkContext(ctx); err != nil {
		return Token{}, err
	}
	if s.value == "" {
		return Token{}, fmt.Errorf("signer: static token is empty: %w", ErrNoCredentials)
	}
	return Token{Value: s.value}, nil
}

func (s tokStatic) String() string                { return "StaticToken(" + mask(s.value) + ")" }
func (s tokStatic) GoString() string              { return s.String() }
func (s tokStatic) Format(f fmt.State, verb rune) { formatSafe(f, verb, s.String()) }
func (s tokStatic) LogValue() slog.Value          { return slog.StringValue(s.String()) }
func (s tokStatic) MarshalJSON() ([]byte, error)  { return json.Marshal(s.String()) }

// errTokEmpty is returned when a fetcher reports success without a token.
var errTokEmpty = errors.New("signer: token fetcher returned an empty token")
