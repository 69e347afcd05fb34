// Package crosscheck holds tests that hold detach's packages to one another
// and to their documentation. It has no API: everything is in its tests.
//
//   - fields_test.go: every field of every operation's input (the waiters
//     and helpers included), its documented rule and where its value goes
//     (path, query, JSON body), tested at its edges through the public
//     clients: the longest valid value is sent where the table says, one
//     character more is refused before any request, a control character is
//     refused in a path or query and sent in a JSON body.
//   - docids_test.go: every ID in a package's doc comments, examples and the
//     READMEs passes that package's validation.
//   - classify_test.go: an error code that two packages can meet is
//     classified alike by both.
//   - godoc_test.go: no doc comment says the same sentence twice.
//   - readme_test.go: the README's install steps work, and what it says of
//     the CI steps, the SigV4 suite, request IDs and idempotency is what the
//     repository does.
package crosscheck
