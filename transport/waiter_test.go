package transport

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPollDelayBounds(t *testing.T) {
	t.Parallel()
	o := WaitOptions{}.WithDefaults(2*time.Second, 30*time.Second)
	for n := 1; n <= 100; n++ {
		ceiling := min(30*time.Second, 2*time.Second<<min(n-1, 10))
		for range 50 {
			if d := pollDelay(o, n); d < 2*time.Second || d > ceiling {
				t.Fatalf("pollDelay(n=%d) = %v, want within [2s, %v]", n, d, ceiling)
			}
		}
	}
	if got := (WaitOptions{MinDelay: 5 * time.Second, MaxDelay: time.Second}).WithDefaults(1, 1); got.MaxDelay != 5*time.Second {
		t.Errorf("MaxDelay below MinDelay = %v, want raised to 5s", got.MaxDelay)
	}
}

func TestPoll(t *testing.T) {
	t.Parallel()
	failed := errors.New("association FAILED: quota")
	pollErr := errors.New("poll broke")
	tests := map[string]struct {
		states   []PollResult
		pollErr  error
		deadline time.Duration
		maxWait  time.Duration
		want     PollResult
		wantErr  error // errors.Is target; nil: success
		wantWait *WaitError
		// bound, when set, is how long the wait may last (else deadline).
		bound time.Duration
	}{
		"done at once": {states: []PollResult{{State: "DELETED", Done: true}}, want: PollResult{State: "DELETED", Done: true}},
		"pending then done": {
			states: []PollResult{{State: "DELETING"}, {State: "DELETING"}, {State: "gone", Done: true}},
			want:   PollResult{State: "gone", Done: true},
		},
		"failed state": {
			states:   []PollResult{{State: "DELETING"}, {State: "FAILED", Failed: failed}},
			want:     PollResult{State: "FAILED", Failed: failed},
			wantErr:  failed,
			wantWait: &WaitError{Waiter: "w", LastState: "FAILED", Polls: 2},
		},
		"poll error": {
			states: []PollResult{{State: "DELETING"}}, pollErr: pollErr,
			want: PollResult{State: "DELETING"}, wantErr: pollErr,
			wantWait: &WaitError{Waiter: "w", LastState: "DELETING", Polls: 2},
		},
		"deadline": {
			states: []PollResult{{State: "DELETING"}}, deadline: 5 * time.Second,
			want: PollResult{State: "DELETING"}, wantErr: ErrWaitDeadline,
			wantWait: &WaitError{Waiter: "w", LastState: "DELETING"},
		},
		"no deadline: DefaultMaxWait ends a state that never comes": {
			states: []PollResult{{State: "DELETING"}}, bound: DefaultMaxWait,
			want: PollResult{State: "DELETING"}, wantErr: ErrWaitDeadline,
			wantWait: &WaitError{Waiter: "w", LastState: "DELETING"},
		},
		"MaxWait before the deadline": {
			states: []PollResult{{State: "DELETING"}}, deadline: time.Hour, maxWait: 7 * time.Second, bound: 7 * time.Second,
			want: PollResult{State: "DELETING"}, wantErr: ErrWaitDeadline,
			wantWait: &WaitError{Waiter: "w", LastState: "DELETING"},
		},
		"deadline before MaxWait": {
			states: []PollResult{{State: "DELETING"}}, deadline: 5 * time.Second, maxWait: time.Hour,
			want: PollResult{State: "DELETING"}, wantErr: ErrWaitDeadline,
			wantWait: &WaitError{Waiter: "w", LastState: "DELETING"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx := context.Background()
				if tt.deadline > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.deadline)
					defer cancel()
				}
				polls := 0
				got, err := Poll(ctx, "w", WaitOptions{MinDelay: time.Second, MaxDelay: 2 * time.Second, MaxWait: tt.maxWait},
					func(context.Context) (PollResult, error) {
						polls++
						if polls > len(tt.states) {
							if tt.pollErr != nil {
								return PollResult{}, tt.pollErr
							}
							return tt.states[len(tt.states)-1], nil
						}
						return tt.states[polls-1], nil
					})
				if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
				if tt.wantErr == nil {
					if err != nil {
						t.Fatalf("Poll error = %v", err)
					}
					return
				}
				var we *WaitError
				if !errors.Is(err, tt.wantErr) || !errors.As(err, &we) {
					t.Fatalf("Poll error = %v, want a *WaitError wrapping %v", err, tt.wantErr)
				}
				if we.Waiter != tt.wantWait.Waiter || we.LastState != tt.wantWait.LastState ||
					(tt.wantWait.Polls > 0 && we.Polls != tt.wantWait.Polls) {
					t.Errorf("WaitError = %+v, want %+v", we, tt.wantWait)
				}
				bound := tt.bound
				if bound == 0 {
					bound = tt.deadline
				}
				if bound > 0 && (we.Waited > bound || we.Waited < bound-3*time.Second) {
					t.Errorf("waited %v, want up to %v and within a poll of it", we.Waited, bound)
				}
			})
		})
	}
}

func TestPollPausesGrowWithinBounds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var at []time.Duration
		start := time.Now()
		_, err := Poll(context.Background(), "w", WaitOptions{MinDelay: time.Second, MaxDelay: 4 * time.Second},
			func(context.Context) (PollResult, error) {
				at = append(at, time.Since(start))
				return PollResult{State: "PENDING", Done: len(at) == 6}, nil
			})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(at); i++ {
			gap, ceiling := at[i]-at[i-1], min(4*time.Second, time.Second<<(i-1))
			if gap < time.Second || gap > ceiling {
				t.Errorf("pause %d = %v, want within [1s, %v]", i, gap, ceiling)
			}
		}
	})
}

func TestPollContextCancelled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(1500 * time.Millisecond); cancel() }()
		_, err := Poll(ctx, "w", WaitOptions{MinDelay: time.Second, MaxDelay: time.Second},
			func(context.Context) (PollResult, error) { return PollResult{State: "PENDING"}, nil })
		var we *WaitError
		if !errors.Is(err, context.Canceled) || !errors.As(err, &we) || we.LastState != "PENDING" || we.Polls != 2 {
			t.Fatalf("Poll = %v, want a WaitError for context.Canceled after 2 polls in PENDING", err)
		}
	})
}
