package wire

import (
	"strconv"
	"unicode/utf8"

	"github.com/detach-go/detach/transport"
)

// MaxUndocumented bounds, in characters, an ID the documentation gives no
// length for (Identity Center's application instance and profile IDs, the
// DNS zone and router IDs and router regions). It is several times the
// longest ID the services' pages, SDK models and examples show (36-character
// UUIDs, 32-hex-digit zone IDs, 20-character Identity Center instances), so
// no ID the service could accept is refused, while a runaway value (10 kB
// read from the wrong file) is refused before any request instead of being
// sent in a URL or body that no service would take.
const MaxUndocumented = 255

func invalid(field, rule string) error {
	return &transport.ValidationError{Field: field, Rule: rule}
}

// Text checks a required string that goes into a path, a query or a
// header: present, valid UTF-8, without control characters (C0, DEL, C1,
// U+2028 and U+2029, which a header would split on or a log line would
// break at), and minLen to maxLen characters long (Unicode code points, as
// Smithy's length trait counts them). maxLen 0 means no upper bound.
func Text(field, v string, minLen, maxLen int) error {
	return text(field, v, minLen, maxLen, true)
}

// BodyText checks a required string that goes only into a JSON body:
// present, valid UTF-8 (JSON cannot carry other bytes unchanged) and minLen
// to maxLen characters long. Control characters are allowed: the JSON
// encoding escapes them, so they cannot break the request, and refusing
// them would refuse values the service's model allows. maxLen 0 means no
// upper bound.
func BodyText(field, v string, minLen, maxLen int) error {
	return text(field, v, minLen, maxLen, false)
}

func text(field, v string, minLen, maxLen int, noControl bool) error {
	if v == "" {
		return invalid(field, "is required")
	}
	if !utf8.ValidString(v) {
		return invalid(field, "must be valid UTF-8")
	}
	n := 0
	for _, r := range v {
		if noControl && isControl(r) {
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

func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029'
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
