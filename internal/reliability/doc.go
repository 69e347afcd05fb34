// Package reliability holds detach's reliability and security suites. It has
// no API: everything is in its tests, which drive detach's operations through
// their public clients against loopback servers, the fakecloud emulator and
// in-memory transports: the four removals (DisassociateProfile,
// DeleteProfileObject, DeleteProfile, DisassociateRouter) and the calls the
// waiters are built on (GetProfileAssociation, ListProfileAssociations,
// ShowPrivateZone, AssociateRouter), all alike, then the waiters and the
// helpers built on them, ListProfileAssociationsAll's paging and the
// transport's rate limiter.
//
// The suites check the promises detach makes to unattended callers: bounded
// time and memory under faults and hostile responses, typed outcomes, no
// panics, no leaked goroutines, no leaked secrets, no request for a
// resource the caller did not name, waits that end within their deadline
// naming the last state they saw, and pacing that keeps to the rate. Run
// them with
//
//	go test -race ./internal/reliability/
//
// and see the figures with -v (printed at the end of the run) or write them
// to testdata/figures.txt with -figures. bugs_test.go keeps, as
// regressions, the bugs the suites found in other packages.
package reliability
