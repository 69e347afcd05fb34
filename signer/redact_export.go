package signer

import "fmt"

// Redact returns how a secret is rendered: "" when it is empty (so that
// "not set" stays visible) and "[redacted]" otherwise. Packages above signer
// that hold credentials (passwords, tokens, secret keys) use it in their
// String, LogValue and MarshalJSON methods so that every package renders
// secrets the same way.
func Redact(secret string) string { return mask(secret) }

// FormatRedacted writes safe, a value's already redacted rendering, for
// every fmt verb (%q quotes it). A type holding a secret implements
// fmt.Formatter with it, because fmt consults String only for some verbs and
// would print the raw fields for others, such as %d or %x.
func FormatRedacted(f fmt.State, verb rune, safe string) { formatSafe(f, verb, safe) }
