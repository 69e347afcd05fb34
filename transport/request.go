package transport

import "net/http"

// Request describes one call. It is built once and replayed on every attempt.
type Request struct {
	Method string
	// Path is the escaped path, starting with "/", relative to the
	// endpoint's base path. Service packages escape each segment themselves.
	Path string
	// RawQuery is the escaped query string without "?".
	RawQuery string
	// ContentType is sent as Content-Type when not empty.
	ContentType string
	// Header holds further headers; nil is fine.
	Header http.Header
	// Body is sent as is; nil sends no body.
	Body []byte
	// SensitiveBody keeps Body out of logs even when bodies are logged, for
	// requests that carry a password.
	SensitiveBody bool
	// Secrets lists every secret this request sends that the transport
	// cannot tell from the credential headers: a password or token in Body
	// (or RawQuery), a token under a header name of its own. Credential
	// sources that send such a value set it here. Together with the values
	// of the credential headers (Authorization's signature or credentials,
	// Proxy-Authorization's, X-Auth-Token, X-Security-Token,
	// X-Amz-Security-Token and Cookie, under any spelling of the name), the
	// transport scrubs them from every value it takes from a response (the
	// request ID, code, message, encoded authorization message and snippet
	// of a ResponseError, Metadata.RequestID and a DecodeError, the headers
	// errors keep, a send error's text, a success body unless
	// SensitiveResponse is set) and from every log field (request and
	// response headers and bodies), replacing them with [Redacted]: as
	// sent, JSON-escaped once or twice (also with '/' escaped), and
	// URL-escaped. A value of 8
	// bytes or more is replaced wherever it occurs; a shorter one only where
	// it stands alone (not flanked by a letter or digit), since replacing
	// every occurrence of a short string would mangle ordinary text. Empty
	// strings are ignored.
	Secrets []string
	// SensitiveResponse keeps the success body out of logs even when bodies
	// are logged, for calls that answer with credentials, and hands it on
	// whole: such an answer may rightly hold what was sent (an SSO refresh
	// token that was not rotated), so it is not scrubbed.
	SensitiveResponse bool
}

// Response is a 2xx answer, its body already read (through the client's
// MaxResponseBytes limit) and the connection released.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	// Metadata.RequestID is scrubbed of the request's secrets; Header and
	// Body are as the service sent them.
	Metadata Metadata

	sent    http.Header // the request's headers as sent, for Scrub
	secrets []string    // the request's Secrets, for Scrub
}

// Scrub returns s with every secret the request sent replaced by
// [Redacted], as [Request.Secrets] describes. Code that quotes a part of a
// response in an error or a log record passes it through Scrub first, before
// cutting or quoting it.
func (r *Response) Scrub(s string) string {
	if r == nil {
		return s
	}
	var buf [8]string
	return scrub(s, appendSecrets(buf[:0], r.sent, r.secrets))
}

// Metadata is what every operation's output reports about the call.
type Metadata struct {
	// RequestID is the service's ID for the request that succeeded; give it
	// to the cloud's support when asking about a call.
	RequestID string
	// StatusCode is the HTTP status of the successful attempt.
	StatusCode int
	// Attempts counts every attempt the call made, retries included.
	Attempts int
}
