package awscreds

import (
	"context"
	"sync"
)

// ctxMutex is a mutex whose waiters give up when their context ends. The
// providers hold theirs across a request (a token refresh), and a
// sync.Mutex would keep a caller whose context is cancelled waiting for
// another caller's network call. The zero value is unlocked.
type ctxMutex struct {
	once sync.Once
	ch   chan struct{} // holds one value while locked
}

// lock takes the mutex, or returns ctx.Err() if ctx ends first.
func (m *ctxMutex) lock(ctx context.Context) error {
	m.once.Do(func() { m.ch = make(chan struct{}, 1) })
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case m.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unlock releases the mutex taken by lock. Unlocking a mutex that is not
// locked is a bug of the caller, reported as sync.Mutex reports it rather
// than left to block forever.
func (m *ctxMutex) unlock() {
	select {
	case <-m.ch:
	default:
		panic("awscreds: unlock of an unlocked ctxMutex")
	}
}
