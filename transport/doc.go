// Package transport runs detach's operations: one attempt loop per call, with
// signing, typed errors, retries with full-jitter backoff, Retry-After,
// clock-skew correction and token refresh. It has no middleware framework and
// no package-level state.
//
// Service packages describe a call as a [Request] and hand it to
// [Client.Do]; they never touch net/http themselves. Users meet this package
// through its errors ([ResponseError], [ValidationError], [SendError],
// [CanceledError], [DecodeError], [WaitError]), its sentinels ([ErrNotFound],
// [ErrThrottled], ...), [Metadata], and the [Settings] every client takes
// ([RetryPolicy], [Limiter]). [Client] itself is exported too, so that
// another API of these clouds can be called through the same loop: give it a
// [Service], an endpoint and an [Authorizer] from package signer.
//
// What the loop guarantees:
//   - The body is built once as bytes and replayed on every attempt; the
//     request is signed again on every attempt with the current time.
//   - Redirects are never followed, so X-Auth-Token and X-Security-Token never
//     reach another host.
//   - Every wait ends when the context ends, and no wait is started that would
//     outlast the context's deadline.
//   - Bodies are read through limits and every response body is drained (up
//     to a bound) and closed, so keep-alive connections are reused.
//   - Secrets never reach a log record or an error string, even when a
//     server or proxy echoes them: every secret an attempt sent (the
//     credential headers' values under any spelling of the name, and
//     [Request.Secrets]) is scrubbed from every value taken from the response
//     that an error, a log record or [Metadata] holds. [Response.Scrub] does
//     the same for code above the transport that quotes a response.
package transport
