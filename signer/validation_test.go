package signer

import (
	"context"
	"errors"
	"testing"
)

// invalidInputSentinel stands for transport.ErrInvalidInput, which signer
// may not import: an error with an InvalidInput method.
type invalidInputSentinel struct{}

func (invalidInputSentinel) Error() string { return "invalid input" }
func (invalidInputSentinel) InvalidInput() {}

func TestValidationErrorMatchesInvalidInput(t *testing.T) {
	t.Parallel()
	var nilCtx context.Context
	err := checkContext(nilCtx)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "ctx" || ve.Rule == "" {
		t.Fatalf("checkContext(nil) = %v, want a *ValidationError naming ctx", err)
	}
	tests := map[string]struct {
		target error
		want   bool
	}{
		"an invalid-input sentinel":   {invalidInputSentinel{}, true},
		"an error without the method": {errors.New("invalid input"), false},
		"ErrNoCredentials":            {ErrNoCredentials, false},
		"context.Canceled":            {context.Canceled, false},
	}
	for name, tt := range tests {
		if got := errors.Is(err, tt.target); got != tt.want {
			t.Errorf("%s: errors.Is = %v, want %v", name, got, tt.want)
		}
	}
	if err := checkContext(context.Background()); err != nil {
		t.Errorf("checkContext(Background) = %v, want nil", err)
	}
}
