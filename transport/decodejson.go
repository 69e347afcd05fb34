package transport

import (
	"bytes"
	"encoding/json"
	"errors"
)

// DecodeJSON decodes a success body into v. An empty body leaves v as it is
// (some services answer 2xx with no body); anything else that is not the
// JSON v expects is a *DecodeError that keeps the request ID.
func DecodeJSON(resp *Response, v any) error {
	body := bytes.TrimSpace(resp.Body)
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		// encoding/json may quote the body (a map key, a number, a
		// literal): the secrets the request sent are scrubbed from the
		// message before it is cut, and from the snippet.
		var buf [8]string
		secrets := appendSecrets(buf[:0], resp.sent, resp.secrets)
		var ute *json.UnmarshalTypeError
		var se *json.SyntaxError
		var msg string
		switch {
		case errors.As(err, &ute) && ute.Field == "":
			msg = "body: unexpected JSON " + ute.Value // the whole body has the wrong shape
		case errors.As(err, &ute):
			msg = "field " + ute.Field + ": unexpected JSON " + ute.Value
		case errors.As(err, &se):
			msg = "body is not valid JSON"
		default:
			msg = "body does not match the documented shape: " + clean(scrub(err.Error(), secrets), 200)
		}
		return &DecodeError{StatusCode: resp.StatusCode, RequestID: resp.Metadata.RequestID,
			Err: errors.New(scrub(msg, secrets)), Snippet: snippet(resp.Body, secrets)}
	}
	return nil
}
