// Package bench measures what one call costs with detach, with the official
// SDK of its cloud, and with raw net/http (the same request with a
// precomputed signature, decoding the same JSON: the floor any client can
// reach), for each of detach's operations, and what one signature costs with
// detach's signers and the SDKs' signers.
//
// Each call runs in two settings: over loopback, against an httptest server
// that answers as the service does (real sockets, keep-alive), and over an
// in-memory http.RoundTripper that returns the canned answer, which isolates
// the client's own CPU and allocations from the noise of the network stack.
// Everything is in _test.go files:
//
//	cd internal/sdkcompare
//	go test -run '^$' -bench . -benchtime 1x ./bench/   # smoke run
//	for i in 1 2 3 4 5 6 7 8; do go test -run '^$' -bench . ./bench/; done > bench.txt
//	go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da \
//		-filter '/net:memory /mode:seq' -col /client bench.txt
//
// ../PERFORMANCE.md has the results and the command behind each table.
package bench
