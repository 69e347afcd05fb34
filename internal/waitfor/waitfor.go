// Package waitfor helps tests check that a call returns while something
// else is blocked: it runs the call on its own goroutine and fails the test
// if the answer does not come within a generous bound. The bound is a
// watchdog, not a wait: a test whose code is right passes at once, and one
// whose code is wrong fails instead of hanging until the test binary's
// timeout. Only tests import it.
package waitfor

import (
	"testing"
	"time"
)

// Bound is how long Within waits before it declares a call blocked.
const Bound = 10 * time.Second

// Result is what a call run by Go returned.
type Result[T any] struct {
	Value T
	Err   error
}

// Go runs f on its own goroutine; the channel delivers its result.
func Go[T any](f func() (T, error)) <-chan Result[T] {
	out := make(chan Result[T], 1)
	go func() {
		v, err := f()
		out <- Result[T]{v, err}
	}()
	return out
}

// Within returns what ch delivers, and fails t (naming what) if it is
// still blocked after Bound.
func Within[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(Bound):
		t.Fatalf("%s: still blocked after %s", what, Bound)
	}
	var zero T
	return zero
}
