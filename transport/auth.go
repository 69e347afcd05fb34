package transport

import (
	"context"
	"net/http"
	"time"
)

// Authorizer authorizes one attempt of a request: it sets the headers that
// carry credentials (a signature, a token) on req. The transport calls it once
// per attempt, after every other header is final, with the hex SHA-256 of the
// exact body bytes and the skew-corrected time to sign with.
//
// Implementations live in package signer; transport knows them only through
// this interface, so a caller may plug in any scheme.
type Authorizer interface {
	Authorize(ctx context.Context, req *http.Request, payloadSHA256 string, now time.Time) error
}

// Reauthorizer is implemented by authorizers whose credentials can be
// refreshed (tokens). When the service rejects an attempt as unauthorized
// (HTTP 401 with a code classified KindUnauthorized), the transport calls
// Reauthorize once per call with the rejected request, and replays the
// request if it returns true.
type Reauthorizer interface {
	Reauthorize(ctx context.Context, rejected *http.Request) bool
}
