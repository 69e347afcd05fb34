package wire

import (
	"strconv"
	"unicode/utf8"

	"github.com/detach-go/detach/transport"
)

func invalid(field, rule string) error {
	return &transport.ValidationError{Field: field, Rule: rule}
}

// Text checks a required string: present, valid UTF-8, without control
// characters, and minLen to maxLen characters long (Unicode code points, as
// Smithy's length trait counts them). maxLen 0 means no upper bound.
func Text(field, v string, minLen, maxLen int) error {
	if v == "" {
		return invalid(field, "is required")
	}
	if !utf8.ValidString(v) {
		return invalid(field, "must be valid UTF-8")
	}
	n := 0
	for _, r := range v {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return invalid(field, "must not contain control characters")
		}
		n++
	}
	if n < minLen || (maxLen > 0 && n > maxLen) {
		if maxLen == 0 {
			return invalid(field, "must be at least "+strconv.Itoa(minLen)+" characters")
		}
		if minLen == maxLen {
			return invalid(field, "must be exactly "+strconv.Itoa(minLen)+" characters")
		}
		return invalid(field, "must be "+strconv.Itoa(minLen)+" to "+strconv.Itoa(maxLen)+" characters")
	}
	return nil
}

// PathID checks a value that becomes one path segment: Text's rules, and not
// "." or "..", which a server or proxy would resolve into another path and so
// address a resource the caller did not name.
func PathID(field, v string, minLen, maxLen int) error {
	if err := Text(field, v, minLen, maxLen); err != nil {
		return err
	}
	if v == "." || v == ".." {
		return invalid(field, `must not be "." or ".."`)
	}
	return nil
}

// Match checks v against a rule given as a predicate; rule says in words
// what the pattern is, for the error.
func Match(field, v string, ok func(string) bool, rule string) error {
	if !ok(v) {
		return invalid(field, rule)
	}
	return nil
}

// Nil is the error for a nil input struct.
func Nil(field string) error { return invalid(field, "is required (got nil)") }
