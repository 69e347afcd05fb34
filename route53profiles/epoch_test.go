package route53profiles

import (
	"fmt"
	"math"
	"strconv"
	"testing"
	"time"
)

func TestParseEpochSeconds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1717171717.123", time.Unix(1717171717, 123_000_000), true},
		{"1717171717", time.Unix(1717171717, 0), true},
		{"0", time.Unix(0, 0), true},
		{"-0", time.Unix(0, 0), true},
		{"0.000", time.Unix(0, 0), true},
		{"1.5", time.Unix(1, 500_000_000), true},
		{"-1.5", time.Unix(-2, 500_000_000), true},
		{"1717171717.123456789", time.Unix(1717171717, 123456789), true},
		{"1717171717.1234567899", time.Unix(1717171717, 123456789), true}, // truncated past ns
		{"1.717171717123E9", time.Unix(1717171717, 123_000_000), true},
		{"1.717171717123e+9", time.Unix(1717171717, 123_000_000), true},
		{"1717171717123e-3", time.Unix(1717171717, 123_000_000), true},
		{"17e-1", time.Unix(1, 700_000_000), true},
		{"5e-10", time.Unix(0, 0), true},
		{"5e-9", time.Unix(0, 5), true},
		{"0e999999999999", time.Unix(0, 0), true},
		{"1e-99999999999", time.Unix(0, 0), true},
		{"253402300799", time.Unix(253402300799, 0), true},
		{"999999999999999999", time.Unix(999999999999999999, 0), true},
		{"1e18", time.Time{}, false},
		{"1e300", time.Time{}, false},
		{"1e99999999999", time.Time{}, false},
		{`"1717171717"`, time.Time{}, false},
		{"true", time.Time{}, false},
		{"", time.Time{}, false},
		{"-", time.Time{}, false},
		{"1.", time.Time{}, false},
		{".5", time.Time{}, false},
		{"01", time.Time{}, false},
		{"1e", time.Time{}, false},
		{"1e+", time.Time{}, false},
		{"1x", time.Time{}, false},
		{"--1", time.Time{}, false},
		{"1.2.3", time.Time{}, false},
		{"NaN", time.Time{}, false},
		{"Infinity", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseEpochSeconds(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) || (ok && got.Location() != time.UTC) {
			t.Errorf("parseEpochSeconds(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want.UTC(), tt.ok)
		}
	}
}

// FuzzParseEpochSeconds: never panics; a decimal written from an instant
// parses back to it exactly; an accepted value is close to its float64.
func FuzzParseEpochSeconds(f *testing.F) {
	f.Add("1717171717.123", int64(1717171717), int64(123_000_000))
	f.Add("-1.5e3", int64(-5), int64(999_999_999))
	f.Add("9.99999999999999999e17", int64(0), int64(0))
	f.Fuzz(func(t *testing.T, s string, sec, nsec int64) {
		if got, ok := parseEpochSeconds(s); ok {
			fl, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("accepted %q, which is not a number: %v", s, err)
			}
			approx := float64(got.Unix()) + float64(got.Nanosecond())/1e9
			if math.Abs(approx-fl) > 1e-6*math.Max(1, math.Abs(fl)) {
				t.Fatalf("parseEpochSeconds(%q) = %v (%v), float %v", s, got, approx, fl)
			}
		}
		sec %= 1e15
		nsec %= 1e9
		if nsec < 0 {
			nsec = -nsec
		}
		want := time.Unix(sec, nsec)
		// Written the way a service writes it: integer and fraction of the
		// value, with the sign in front.
		text := fmt.Sprintf("%d.%09d", sec, nsec)
		if sec < 0 && nsec > 0 {
			// sec + nsec/1e9 is -(|sec|-1) - (1e9-nsec)/1e9.
			text = fmt.Sprintf("-%d.%09d", -sec-1, int64(1e9)-nsec)
		}
		got, ok := parseEpochSeconds(text)
		if !ok || !got.Equal(want) {
			t.Fatalf("parseEpochSeconds(%q) = %v, %v; want %v", text, got, ok, want)
		}
	})
}
