package transport

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter is the longest Retry-After taken as meant. A service that
// wants a client back later than a day is not asking for a retry; a larger
// value is a broken or hostile header (a counter, a far-future date, an
// overflowing number) and is ignored like a malformed one. The policy's
// MaxRetryAfter caps what is left.
const maxRetryAfter = 24 * time.Hour

// ParseRetryAfter reads a Retry-After value as delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3) relative to now. It returns 0, as for an absent header,
// for a value that is malformed, not positive, in the past, or more than a
// day away (an integer too large for int64 included): such a header is
// ignored, not trusted and not capped, and the retry falls back to the
// policy's backoff.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if c := v[0]; c >= '0' && c <= '9' {
		// ParseInt fails on a value past int64 and on any non-digit.
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > int64(maxRetryAfter/time.Second) {
			return 0
		}
		d = time.Duration(n) * time.Second
	} else {
		t, err := http.ParseTime(v)
		if err != nil {
			return 0
		}
		d = t.Sub(now) // saturates rather than overflows for any year
	}
	if d <= 0 || d > maxRetryAfter {
		return 0
	}
	return d
}
