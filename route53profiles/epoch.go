package route53profiles

import (
	"strconv"
	"strings"
	"time"
)

// maxEpochDigits bounds the integer part of an epoch-seconds value so the
// seconds fit an int64 (18 digits reach past the year 31 billion).
const maxEpochDigits = 18

// parseEpochSeconds reads a restJson1 timestamp: epoch seconds as a JSON
// number, possibly with a fraction or an exponent ("1717171717.123",
// "1.717171717123E9"). It works on the decimal digits, not a float64, so
// 1717171717.123 is exactly that instant; digits past nanoseconds are
// truncated toward zero. (aws-sdk-go-v2 goes through float64 and keeps
// milliseconds, smithy-go time.ParseEpochSeconds.) ok is false for anything
// that is not a JSON number, or for a value out of range.
func parseEpochSeconds(s string) (t time.Time, ok bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	mant, exp := s, 0
	if k := strings.IndexAny(s, "eE"); k >= 0 {
		mant = s[:k]
		es := s[k+1:]
		ds := es
		if len(ds) > 0 && (ds[0] == '+' || ds[0] == '-') {
			ds = ds[1:]
		}
		if ds == "" || !allDigits(ds) {
			return time.Time{}, false
		}
		e, err := strconv.Atoi(es)
		switch {
		case err != nil || e > 1_000_000:
			exp = 1_000_001 // decided below, once we know whether the value is zero
		case e < -1_000_000:
			exp = -1_000_001
		default:
			exp = e
		}
	}
	intDigits, fracDigits := mant, ""
	if k := strings.IndexByte(mant, '.'); k >= 0 {
		intDigits, fracDigits = mant[:k], mant[k+1:]
		if fracDigits == "" {
			return time.Time{}, false
		}
	}
	// JSON: no empty integer part, no leading zero before other digits.
	if intDigits == "" || !allDigits(intDigits) || !allDigits(fracDigits) ||
		len(intDigits) > 1 && intDigits[0] == '0' {
		return time.Time{}, false
	}

	n := len(intDigits) + len(fracDigits)
	digit := func(i int) int64 { // the i-th digit of intDigits+fracDigits, 0 outside
		switch {
		case i < 0 || i >= n:
			return 0
		case i < len(intDigits):
			return int64(intDigits[i] - '0')
		}
		return int64(fracDigits[i-len(intDigits)] - '0')
	}
	first := -1 // the first non-zero digit
	for i := 0; i < n; i++ {
		if digit(i) != 0 {
			first = i
			break
		}
	}
	if first < 0 {
		return time.Unix(0, 0).UTC(), true
	}
	switch {
	case exp > 1_000_000:
		return time.Time{}, false
	case exp < -1_000_000:
		return time.Unix(0, 0).UTC(), true // below a nanosecond
	}
	point := len(intDigits) + exp // digits before point are the integer part
	if point-first > maxEpochDigits {
		return time.Time{}, false
	}
	var sec, nsec int64
	for i := first; i < point; i++ {
		sec = sec*10 + digit(i)
	}
	for i := point; i < point+9; i++ {
		nsec = nsec*10 + digit(i)
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	return time.Unix(sec, nsec).UTC(), true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
