// Package reliability holds detach's reliability and security suites. It has
// no API: everything is in its tests, which drive the four operations through
// their public clients against loopback servers, the fakecloud emulator and
// in-memory transports.
//
// The suites check the promises detach makes to unattended callers: bounded
// time and memory under faults and hostile responses, typed outcomes, no
// panics, no leaked goroutines, no leaked secrets, and no request for a
// resource the caller did not name. Run them with
//
//	go test -race ./internal/reliability/
//
// and see the figures with -v (printed at the end of the run) or write them
// to testdata/figures.txt with -figures.
package reliability
