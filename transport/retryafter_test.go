package transport

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := map[string]struct {
		in   string
		want time.Duration
	}{
		"empty":                     {"", 0},
		"blank":                     {"   ", 0},
		"seconds":                   {"120", 2 * time.Minute},
		"one":                       {"1", time.Second},
		"leading zeros":             {"007", 7 * time.Second},
		"surrounding whitespace":    {" \t5 \r\n", 5 * time.Second},
		"zero":                      {"0", 0},
		"negative":                  {"-5", 0},
		"plus sign":                 {"+5", 0},
		"fraction":                  {"1.5", 0},
		"trailing letters":          {"5s", 0},
		"inner space":               {"1 2", 0},
		"a day":                     {"86400", 24 * time.Hour},
		"over a day: absent":        {"86401", 0},
		"a year: absent":            {"31536000", 0},
		"max int64: absent":         {"9223372036854775807", 0},
		"overflows int64: absent":   {"99999999999999999999", 0},
		"very long digits: absent":  {"1234567890123456789012345678901234567890", 0},
		"digits then junk":          {"99999999999999999999x", 0},
		"malformed":                 {"soon", 0},
		"http-date future":          {date(90 * time.Second), 90 * time.Second},
		"http-date now":             {date(0), 0},
		"http-date past":            {date(-time.Hour), 0},
		"http-date a day ahead":     {date(24 * time.Hour), 24 * time.Hour},
		"http-date over a day":      {date(24*time.Hour + time.Second), 0},
		"http-date far future":      {"Fri, 31 Dec 9999 23:59:59 GMT", 0},
		"http-date year one":        {"Mon, 01 Jan 0001 00:00:00 GMT", 0},
		"http-date not GMT":         {"Wed, 04 Mar 2026 05:07:07 PST", 0},
		"rfc 850 date":              {now.Add(time.Minute).Format(time.RFC850), time.Minute},
		"asctime date":              {now.Add(2 * time.Minute).Format(time.ANSIC), 2 * time.Minute},
		"http-date with whitespace": {"  " + date(10*time.Second) + " ", 10 * time.Second},
		"broken date":               {"Wed, 99 Foo 2026 25:61:61 GMT", 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := ParseRetryAfter(tt.in, now); got != tt.want {
				t.Errorf("ParseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "5", "-1", "86401", "99999999999999999999", "1.5", " 7 ",
		"Wed, 21 Oct 2015 07:28:00 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994",
		"Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT"} {
		f.Add(s, int64(1445412480))
	}
	f.Fuzz(func(t *testing.T, v string, unix int64) {
		now := time.Unix(unix, 0)
		got := ParseRetryAfter(v, now)
		if got < 0 || got > 24*time.Hour {
			t.Errorf("ParseRetryAfter(%q, %v) = %v, want within [0, 24h]", v, now, got)
		}
	})
}
