package awscreds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/detach-go/detach/transport"
)

// anonymous authorizes nothing: AssumeRoleWithWebIdentity, the SSO portal
// and OIDC, the container endpoint and instance metadata are called
// unsigned (their credential, if any, is in the request itself).
type anonymous struct{}

func (anonymous) Authorize(context.Context, *http.Request, string, time.Time) error { return nil }

// newClient builds the transport client of one source.
func newClient(source string, svc transport.Service, endpoint string, auth transport.Authorizer, s transport.Settings) (*transport.Client, error) {
	if endpoint != "" {
		if _, err := transport.ParseEndpoint(endpoint); err != nil {
			return nil, invalid(source, "Endpoint", "must be an absolute http or https URL without user info, query or fragment ("+err.Error()+")")
		}
	}
	c, err := transport.New(transport.Config{Service: svc, Endpoint: endpoint, Auth: auth, Settings: s})
	if err != nil {
		return nil, &Error{Source: source, Reason: "invalid configuration", Err: err}
	}
	return c, nil
}

// clock returns the settings' clock, time.Now when unset.
func clock(s *transport.Settings) func() time.Time {
	if s.Now != nil {
		return s.Now
	}
	return time.Now
}

// decodeError is a 2xx body that is not what the API documents. It keeps no
// snippet of the body, which carries credentials, and cause never quotes
// the body either.
func decodeError(resp *transport.Response, cause string) error {
	return &transport.DecodeError{StatusCode: resp.StatusCode, RequestID: resp.Metadata.RequestID, Err: errors.New(cause)}
}

// decodeJSON decodes a body that carries credentials: an error names only
// the field and the JSON kind, never the text.
func decodeJSON(resp *transport.Response, v any) error {
	if err := json.Unmarshal(resp.Body, v); err != nil {
		return decodeError(resp, jsonProblem(err))
	}
	return nil
}

// jsonProblem describes a JSON error without quoting the input.
func jsonProblem(err error) string {
	var ute *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &ute) && ute.Field != "":
		return "field " + ute.Field + ": unexpected JSON " + ute.Value
	case errors.As(err, &ute):
		return "unexpected JSON " + ute.Value
	case errors.As(err, &se):
		return "not valid JSON (at byte " + strconv.FormatInt(se.Offset, 10) + ")"
	}
	return "not the documented JSON"
}

// parseTime reads an RFC 3339 timestamp (fractional seconds allowed), as
// aws-sdk-go-v2 reads time.Time fields.
func parseTime(field, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errors.New("field " + field + " is not an RFC 3339 time")
	}
	return t, nil
}

// hasControl reports whether s has a control character, which has no place
// in a header value or an identifier.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// described gives a provider its renderings: every fmt verb, slog and
// encoding/json show the description, which holds no secret, and never the
// fields (fmt would print them by reflection).
type described struct{ desc string }

// String describes the provider without secrets.
func (d described) String() string { return d.desc }

// GoString is String.
func (d described) GoString() string { return d.desc }

// Format writes String for every verb.
func (d described) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", d.desc)
		return
	}
	io.WriteString(f, d.desc)
}

// LogValue renders String for log/slog.
func (d described) LogValue() slog.Value { return slog.StringValue(d.desc) }

// MarshalJSON encodes String.
func (d described) MarshalJSON() ([]byte, error) { return json.Marshal(d.desc) }

// nameOf renders a provider given to this one (a source) by its String,
// or its type when it has none; never its fields.
func nameOf(v any) string {
	if s, ok := v.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", v)
}

// jsonBody encodes a request body.
func jsonBody(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, errors.New("cannot encode the request body")
	}
	return b, nil
}
