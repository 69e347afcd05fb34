// Package e2e holds the end-to-end tests of detach: every operation,
// through its public client, the real transport and the real signers,
// against the emulator of internal/fakecloud on a loopback server. The
// package has no code of its own; see its _test.go files.
//
// The tests cover, per operation: a success checked against the emulator's
// state, documented errors (sentinel and code), a throttled call retried
// once, a connection reset then a success; and across operations: the three
// authentication modes of privatedns, token refresh after expiry, clock-skew
// correction for SigV4 and Huawei AK/SK, and the one-time IAM lookups of
// project and domain IDs.
package e2e
