// Package sigverify checks request signatures the way the services do: SigV4
// as AWS does, and the SDK-HMAC-SHA256 signatures of Huawei Cloud
// (huaweicloud-sdk-go-v3's flavour) and Open Telekom Cloud
// (gophertelekomcloud's) as their API gateways do. It serves the emulator
// (internal/fakecloud), the tests and the differential tests against the
// official SDKs; no user of detach needs to verify a signature, so it is not
// part of the public API.
//
// It holds no canonical form of its own: [SigV4], [Huawei] and [OTC] parse
// the Authorization header and sign a copy of the request again with the
// signer's public functions ([signer.SignV4WithOptions],
// [signer.SignHuaweiWithOptions]), choosing exactly the headers the client
// declared, so that requests signed by the official SDKs (which sign other
// headers than detach) verify too. What the signer gets wrong, the verifier
// would accept wrongly too: the signer's own tests (the AWS SigV4 suite, the
// recorded SDK signatures, the independent references) and the differential
// tests are what prove the canonical forms.
//
// Errors wrap one sentinel per outcome (malformed, unknown key, signature
// mismatch, expired), so a server can answer as the real one does, and never
// contain a secret or a signature. The identities returned redact their
// session or security token in every rendering.
package sigverify
