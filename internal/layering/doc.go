// Package layering holds the test that keeps the import graph of detach
// flowing one way (see the package map in the README):
//
//   - signer imports only the standard library;
//   - transport imports neither signer (nor anything under it) nor a service;
//   - the credential sources under signer/ import no service;
//   - no service imports another;
//   - only examples and tests import internal/fakecloud, the emulator;
//   - only signer/cloudsyaml imports the YAML module.
//
// The test reads the real graph with `go list`, so a new import that breaks
// a rule fails `go test ./...`. It has no code of its own.
package layering
