// Package limiterproof holds no code, only tests: they show what
// transport.Limiter does for a client that a service throttles. Clients of
// the emulator (internal/fakecloud), rate-limited with Cloud.LimitRate, make
// calls from several goroutines for half a minute of fake time
// (testing/synctest), with no limiter, with fixed limiters and with an
// adaptive one, and the tests compare throttled answers and throughput.
//
//	go test -v -run TestLimiterUnderThrottling ./internal/limiterproof/
package limiterproof
