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
		var ute *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &ute) && ute.Field == "":
			err = errors.New("body: unexpected JSON " + ute.Value) // the whole body has the wrong shape
		case errors.As(err, &ute):
			err = errors.New("field " + ute.Field + ": unexpected JSON " + ute.Value)
		case errors.As(err, &se):
			err = errors.New("body is not valid JSON")
		default:
			err = errors.New("body does not match the documented shape: " + clean(err.Error(), 200))
		}
		return &DecodeError{StatusCode: resp.StatusCode, RequestID: resp.Metadata.RequestID, Err: err, Snippet: snippet(resp.Body)}
	}
	return nil
}
