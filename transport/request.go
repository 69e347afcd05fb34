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
	// Secrets are the secret values this request sends outside the
	// well-known credential headers (a token in the body or in an unusual
	// header). They are scrubbed from every value taken from the response
	// (request ID, code, message, snippet, headers) and from the log.
	Secrets []string
	// SensitiveResponse keeps the success body out of logs even when bodies
	// are logged, for calls that answer with credentials.
	SensitiveResponse bool
}

// Response is a 2xx answer, its body already read (through the client's
// MaxResponseBytes limit) and the connection released.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	Metadata   Metadata
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
