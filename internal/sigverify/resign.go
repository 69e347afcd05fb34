package sigverify

import (
	"crypto/subtle"
	"encoding/hex"
	"slices"
	"strings"
)

// Each verifier parses the Authorization header, then has the signer sign a
// copy of the request that carries only the headers the client declared,
// with the key of the access key named and at the time of the request, and
// compares the two signatures. The canonical forms are the signer's: they
// are written once, there.

// declaredSet returns a SignHeader choosing the names of a SignedHeaders
// list.
func declaredSet(list string) func(lowerName string) bool {
	names := strings.Split(list, ";")
	return func(name string) bool { return slices.Contains(names, name) }
}

// sameSignature reports, in constant time, whether the Authorization value
// the signer wrote carries the signature want.
func sameSignature(authorization string, want []byte) bool {
	_, sig, ok := strings.Cut(authorization, "Signature=")
	got, err := hex.DecodeString(sig)
	return ok && err == nil && subtle.ConstantTimeCompare(got, want) == 1
}
