// Package redact renders values that hold secrets, for the packages above
// the signer (the credential sources and the signature verifiers): the
// secret becomes "[redacted]" in every fmt verb, so that no rendering can
// print it through reflection.
//
// signer has the same two helpers unexported: it imports only the standard
// library, so it cannot use these.
package redact

import (
	"fmt"
	"io"
)

// Redacted stands in for a secret wherever a value is rendered.
const Redacted = "[redacted]"

// Mask renders a secret field: empty stays empty (so "no token" is still
// visible), anything else becomes Redacted.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	return Redacted
}

// Format writes safe, the redacted rendering of a value, for every fmt verb.
// Types holding secrets implement fmt.Formatter with it because Stringer
// alone is not consulted for verbs such as %d, which would otherwise print
// the raw fields.
func Format(f fmt.State, verb rune, safe string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", safe)
		return
	}
	io.WriteString(f, safe)
}
