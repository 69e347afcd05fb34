package signer

import (
	"fmt"
	"io"
)

// redacted stands in for a secret wherever a value is rendered.
const redacted = "[redacted]"

// mask renders a secret field: empty stays empty (so "no token" is still
// visible), anything else becomes redacted.
func mask(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// formatSafe writes safe, the redacted rendering of a value, for every fmt
// verb. Types holding secrets implement fmt.Formatter with it because
// Stringer alone is not consulted for verbs such as %d, which would otherwise
// print the raw fields.
func formatSafe(f fmt.State, verb rune, safe string) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", safe)
	default:
		io.WriteString(f, safe)
	}
}
