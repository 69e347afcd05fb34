package signer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

const tokHeader = "X-Auth-Token"

// TokenAuth authorizes requests with an IAM token in X-Auth-Token, and
// X-Project-Id when ProjectID is set. It implements transport.Authorizer and
// transport.Reauthorizer.
type TokenAuth struct {
	Source    TokenSource
	ProjectID string
}

// Authorize sets X-Auth-Token from Source (and X-Project-Id). The payload
// hash and time are not used: tokens are not bound to a request.
func (a *TokenAuth) Authorize(ctx context.Context, req *http.Request, _ string, _ time.Time) error {
	if a == nil || a.Source == nil {
		return errors.New("signer: TokenAuth has no token source")
	}
	if err := checkContext(ctx); err != nil {
		return err
	}
	if req == nil {
		return errors.New("signer: request is nil")
	}
	tok, err := a.Source.Token(ctx)
	if err != nil {
		return fmt.Errorf("get token: %w", err)
	}
	if tok.Value == "" {
		return fmt.Errorf("signer: token source returned an empty token: %w", ErrNoCredentials)
	}
	if err := hwCheckHeaderValue("token", tok.Value); err != nil {
		return err
	}
	if err := hwCheckHeaderValue("project ID", a.ProjectID); err != nil {
		return err
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	// One backing array for both values, each slice capped so an append by
	// someone else cannot overwrite its neighbour.
	vals := make([]string, 2)
	vals[0] = tok.Value
	req.Header[tokHeader] = vals[0:1:1]
	if a.ProjectID != "" {
		vals[1] = a.ProjectID
		req.Header[hwHeaderProject] = vals[1:2:2]
	}
	return nil
}

// Reauthorize is called after the service rejected req as unauthorized. If
// Source can invalidate tokens (it has a method Invalidate(Token), as
// CachedTokenSource does), it drops the token req carried and returns true,
// so the transport replays the request with a fresh one. It returns false for
// sources that cannot refresh, such as StaticToken, and for a request that
// carried no token.
func (a *TokenAuth) Reauthorize(_ context.Context, rejected *http.Request) bool {
	if a == nil || rejected == nil {
		return false
	}
	inv, ok := a.Source.(interface{ Invalidate(Token) })
	if !ok {
		return false
	}
	v := rejected.Header.Get(tokHeader)
	if v == "" {
		return false
	}
	inv.Invalidate(Token{Value: v})
	return true
}

// String describes the authorizer. The source is shown by type only, since a
// caller's own source may not redact what it holds.
func (a TokenAuth) String() string {
	return fmt.Sprintf("signer.TokenAuth{Source:%T ProjectID:%s}", a.Source, a.ProjectID)
}

// Format writes String for every verb.
func (a TokenAuth) Format(f fmt.State, verb rune) { formatSafe(f, verb, a.String()) }
