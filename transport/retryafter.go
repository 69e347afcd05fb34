package transport

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfterSeconds bounds a parsed Retry-After before the policy's cap,
// so the arithmetic cannot overflow on a hostile value.
const maxRetryAfterSeconds = 24 * 60 * 60

// ParseRetryAfter reads a Retry-After value as delay-seconds or an HTTP-date
// (RFC 9110 §10.2.3) relative to now. It returns 0 for an absent, negative,
// past or malformed value: such a header is ignored, not trusted.
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if c := v[0]; c >= '0' && c <= '9' {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			if err != nil && allDigits(v) {
				// Too many digits for int64: a huge, not a malformed, value.
				return maxRetryAfterSeconds * time.Second
			}
			return 0
		}
		return time.Duration(min(n, maxRetryAfterSeconds)) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	d := t.Sub(now)
	if d <= 0 {
		return 0
	}
	return min(d, maxRetryAfterSeconds*time.Second)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
