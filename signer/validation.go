package signer

import "context"

// ValidationError reports an argument that breaks a rule, such as a nil
// context, found before any work is done. errors.Is(err,
// transport.ErrInvalidInput) is true for it, as for the transport's own
// *transport.ValidationError: signer imports only the standard library, so
// it matches that sentinel by behaviour (see Is) rather than by identity.
type ValidationError struct {
	// Field names the argument, e.g. "ctx".
	Field string
	// Rule says what the value must be.
	Rule string
}

func (e *ValidationError) Error() string {
	return "signer: invalid input: " + e.Field + " " + e.Rule
}

// Is reports whether target is an invalid-input sentinel: an error with an
// InvalidInput method, as transport.ErrInvalidInput has.
func (e *ValidationError) Is(target error) bool {
	_, ok := target.(interface{ InvalidInput() })
	return ok
}

// checkContext refuses a nil context, as transport.CheckContext does for
// the layers above: a nil context cannot be waited on, and calling it
// panics.
func checkContext(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// errNilContext is checkContext's error: one value, as it says nothing
// about the call.
var errNilContext error = &ValidationError{Field: "ctx", Rule: "must not be nil"}
