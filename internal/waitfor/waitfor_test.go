package waitfor

import (
	"errors"
	"testing"
)

func TestGoDeliversTheResult(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name string
		v    int
		err  error
	}{{"value", 7, nil}, {"error", 0, errBoom}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Within(t, Go(func() (int, error) { return tt.v, tt.err }), "the call")
			if r.Value != tt.v || !errors.Is(r.Err, tt.err) {
				t.Errorf("got %d, %v; want %d, %v", r.Value, r.Err, tt.v, tt.err)
			}
		})
	}
}
