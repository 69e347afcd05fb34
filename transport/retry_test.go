package transport

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// answer is one scripted server response.
type answer struct {
	status int
	body   string
	header []string // name, value, ...
}

// scriptedServer answers hit n with answers[n], repeating the last one.
func scriptedServer(t testing.TB, answers ...answer) *server {
	var s *server
	s = newServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		a := answers[min(int(s.hits.Load())-1, len(answers)-1)]
		for i := 0; i+1 < len(a.header); i += 2 {
			w.Header().Set(a.header[i], a.header[i+1])
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	})
	return s
}

func TestRetryByStatusAndCode(t *testing.T) {
	t.Parallel()
	huawei := func(codes map[string]Kind) Service { return Service{ID: "DNS", Protocol: HuaweiJSON, Codes: codes} }
	aws := func(codes map[string]Kind) Service { return Service{ID: "Test", Protocol: AWSRestJSON, Codes: codes} }
	dnsCodes := map[string]Kind{"DNS.0014": KindThrottled, "DNS.0706": KindConflict}
	quota := map[string]Kind{"LimitExceededException": KindQuota}
	tests := map[string]struct {
		service     Service
		maxAttempts int
		answers     []answer
		wantHits    int64
		wantStatus  int // of the final ResponseError; 0: success
		wantCode    string
		wantKind    Kind
		wantIs      error
	}{
		"500 retried":    {service: aws(nil), answers: []answer{{status: 500}}, wantHits: 3, wantStatus: 500, wantKind: KindTransient},
		"502 retried":    {service: aws(nil), answers: []answer{{status: 502}}, wantHits: 3, wantStatus: 502, wantKind: KindTransient},
		"503 retried":    {service: aws(nil), answers: []answer{{status: 503}}, wantHits: 3, wantStatus: 503, wantKind: KindTransient},
		"504 retried":    {service: aws(nil), answers: []answer{{status: 504}}, wantHits: 3, wantStatus: 504, wantKind: KindTransient},
		"429 retried":    {service: aws(nil), answers: []answer{{status: 429}}, wantHits: 3, wantStatus: 429, wantKind: KindThrottled, wantIs: ErrThrottled},
		"huawei 503":     {service: huawei(nil), answers: []answer{{status: 503, body: "<html>busy</html>"}}, wantHits: 3, wantStatus: 503, wantKind: KindTransient},
		"400 not":        {service: aws(nil), answers: []answer{{status: 400}}, wantHits: 1, wantStatus: 400, wantKind: KindInvalidInput, wantIs: ErrInvalidInput},
		"403 not":        {service: aws(nil), answers: []answer{{status: 403}}, wantHits: 1, wantStatus: 403, wantKind: KindAccessDenied, wantIs: ErrAccessDenied},
		"404 not":        {service: aws(nil), answers: []answer{{status: 404}}, wantHits: 1, wantStatus: 404, wantKind: KindNotFound, wantIs: ErrNotFound},
		"409 not":        {service: aws(nil), answers: []answer{{status: 409}}, wantHits: 1, wantStatus: 409, wantKind: KindConflict, wantIs: ErrConflict},
		"501 not":        {service: aws(nil), answers: []answer{{status: 501}}, wantHits: 1, wantStatus: 501, wantKind: KindUnknown},
		"max attempts 1": {service: aws(nil), maxAttempts: 1, answers: []answer{{status: 503}}, wantHits: 1, wantStatus: 503, wantKind: KindTransient},
		"max attempts 5": {service: aws(nil), maxAttempts: 5, answers: []answer{{status: 500}}, wantHits: 5, wantStatus: 500, wantKind: KindTransient},
		"503, 503, then success": {service: aws(nil),
			answers: []answer{{status: 503}, {status: 503}, {status: 200, body: "{}"}}, wantHits: 3},
		"DNS.0014 at 400 retried": {service: huawei(dnsCodes),
			answers:  []answer{{status: 400, body: `{"code":"DNS.0014","message":"flow control"}`}},
			wantHits: 3, wantStatus: 400, wantCode: "DNS.0014", wantKind: KindThrottled, wantIs: ErrThrottled},
		"DNS.0014 at 403 retried": {service: huawei(dnsCodes),
			answers:  []answer{{status: 403, body: `{"code":"DNS.0014","message":"flow control"}`}},
			wantHits: 3, wantStatus: 403, wantCode: "DNS.0014", wantKind: KindThrottled, wantIs: ErrThrottled},
		"DNS.0014 then success": {service: huawei(dnsCodes),
			answers: []answer{{status: 403, body: `{"code":"DNS.0014","message":"flow control"}`}, {status: 202, body: "{}"}}, wantHits: 2},
		"DNS.0706 conflict at 400 not retried": {service: huawei(dnsCodes),
			answers:  []answer{{status: 400, body: `{"code":"DNS.0706","message":"last vpc"}`}},
			wantHits: 1, wantStatus: 400, wantCode: "DNS.0706", wantKind: KindConflict, wantIs: ErrConflict},
		"APIGW.0308 gateway throttling retried": {service: huawei(nil),
			answers:  []answer{{status: 429, body: `{"error_code":"APIGW.0308","error_msg":"The request is throttled"}`}},
			wantHits: 3, wantStatus: 429, wantCode: "APIGW.0308", wantKind: KindThrottled, wantIs: ErrThrottled},
		"ThrottlingException at 400 retried (common list, body)": {service: aws(nil),
			answers:  []answer{{status: 400, body: `{"__type":"com.amazonaws#ThrottlingException","message":"Rate exceeded"}`}},
			wantHits: 3, wantStatus: 400, wantCode: "ThrottlingException", wantKind: KindThrottled, wantIs: ErrThrottled},
		"ThrottlingException at 400 retried (common list, header)": {service: aws(nil),
			answers:  []answer{{status: 400, header: []string{"X-Amzn-ErrorType", "ThrottlingException:http://internal"}}},
			wantHits: 3, wantStatus: 400, wantCode: "ThrottlingException", wantKind: KindThrottled, wantIs: ErrThrottled},
		"InternalFailure at 400 retried": {service: aws(nil),
			answers:  []answer{{status: 400, body: `{"code":"InternalFailure"}`}},
			wantHits: 3, wantStatus: 400, wantCode: "InternalFailure", wantKind: KindTransient},
		"LimitExceededException as quota at 400 not retried": {service: aws(quota),
			answers:  []answer{{status: 400, body: `{"__type":"LimitExceededException","Message":"too many"}`}},
			wantHits: 1, wantStatus: 400, wantCode: "LimitExceededException", wantKind: KindQuota, wantIs: ErrQuotaExceeded},
		"LimitExceededException as quota at 429 not retried": {service: aws(quota),
			answers:  []answer{{status: 429, body: `{"__type":"LimitExceededException","Message":"too many"}`}},
			wantHits: 1, wantStatus: 429, wantCode: "LimitExceededException", wantKind: KindQuota, wantIs: ErrQuotaExceeded},
		"ValidationException at 500 not retried (code wins)": {service: aws(nil),
			answers:  []answer{{status: 500, body: `{"code":"ValidationException"}`}},
			wantHits: 1, wantStatus: 500, wantCode: "ValidationException", wantKind: KindInvalidInput, wantIs: ErrInvalidInput},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := scriptedServer(t, tt.answers...)
			c := newClient(t, Config{Service: tt.service, Endpoint: srv.URL,
				Settings: Settings{Retry: RetryPolicy{MaxAttempts: tt.maxAttempts}}})
			resp, err := c.Do(context.Background(), "Op", &Request{Method: "POST", Path: "/x", Body: []byte("{}")}, nil)
			if got := srv.hits.Load(); got != tt.wantHits {
				t.Errorf("server hits = %d, want %d", got, tt.wantHits)
			}
			if tt.wantStatus == 0 {
				if err != nil {
					t.Fatalf("Do() error = %v, want success", err)
				}
				if resp.Metadata.Attempts != int(tt.wantHits) {
					t.Errorf("Metadata.Attempts = %d, want %d", resp.Metadata.Attempts, tt.wantHits)
				}
				return
			}
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("Do() error = %v, want a *ResponseError", err)
			}
			got := []any{re.StatusCode, re.Code, re.Kind, re.Attempts}
			want := []any{tt.wantStatus, tt.wantCode, tt.wantKind, int(tt.wantHits)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("status, code, kind, attempts (-want +got):\n%s", diff)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	defaults := RetryPolicy{}.withDefaults()
	half := func() float64 { return 0.5 }
	almostOne := func() float64 { return 0.999 }
	zero := func() float64 { return 0 }
	// ceilings of the default policy: min(20s, 1s·2^(n-1)).
	ceilings := []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second,
		20 * time.Second, 20 * time.Second, 20 * time.Second, 20 * time.Second, 20 * time.Second}
	for i, ceiling := range ceilings {
		n := i + 1
		if got := defaults.backoff(n, 0, half); got != ceiling/2 {
			t.Errorf("backoff(%d) with jitter 0.5 = %v, want %v", n, got, ceiling/2)
		}
		if got := defaults.backoff(n, 0, zero); got != 0 {
			t.Errorf("backoff(%d) with jitter 0 = %v, want 0", n, got)
		}
		if got := defaults.backoff(n, 0, almostOne); got >= ceiling || got < ceiling*998/1000 {
			t.Errorf("backoff(%d) with jitter 0.999 = %v, want just under %v", n, got, ceiling)
		}
		for range 50 {
			if got := defaults.backoff(n, 0, nil); got < 0 || got >= ceiling {
				t.Fatalf("backoff(%d) with math/rand = %v, want in [0, %v)", n, got, ceiling)
			}
		}
	}

	tests := map[string]struct {
		policy     RetryPolicy
		n          int
		retryAfter time.Duration
		want       time.Duration // with jitter 0.5
	}{
		"small base below cap":        {RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxBackoff: time.Second}, 4, 0, 400 * time.Millisecond},
		"small base at cap":           {RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxBackoff: time.Second}, 5, 0, 500 * time.Millisecond},
		"n 0 treated as 1":            {defaults, 0, 0, 500 * time.Millisecond},
		"negative n treated as 1":     {defaults, -7, 0, 500 * time.Millisecond},
		"n 62":                        {defaults, 62, 0, 10 * time.Second},
		"n 63":                        {defaults, 63, 0, 10 * time.Second},
		"n 64":                        {defaults, 64, 0, 10 * time.Second},
		"n max int":                   {defaults, math.MaxInt, 0, 10 * time.Second},
		"huge base overflows to cap":  {RetryPolicy{BaseDelay: math.MaxInt64 / 2, MaxBackoff: math.MaxInt64}, 3, 0, math.MaxInt64 / 2},
		"huge cap, shift overflow":    {RetryPolicy{BaseDelay: time.Second, MaxBackoff: math.MaxInt64}, 40, 0, math.MaxInt64 / 2},
		"retry-after replaces jitter": {defaults, 1, 5 * time.Second, 5 * time.Second},
		"retry-after capped":          {defaults, 1, time.Hour, 20 * time.Second},
		"retry-after custom cap":      {RetryPolicy{MaxRetryAfter: 3 * time.Second}.withDefaults(), 2, 10 * time.Second, 3 * time.Second},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p := tt.policy.withDefaults()
			got := p.backoff(tt.n, tt.retryAfter, half)
			// Allow float rounding on huge values only.
			if d := got - tt.want; d < -1024 || d > 1024 {
				t.Errorf("backoff(%d, %v) = %v, want %v", tt.n, tt.retryAfter, got, tt.want)
			}
			if got < 0 {
				t.Errorf("backoff(%d, %v) = %v, negative", tt.n, tt.retryAfter, got)
			}
		})
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	t.Parallel()
	want := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxBackoff: 20 * time.Second, MaxRetryAfter: 20 * time.Second}
	for _, p := range []RetryPolicy{{}, {MaxAttempts: -1, BaseDelay: -1, MaxBackoff: -1, MaxRetryAfter: -1}} {
		if diff := cmp.Diff(want, p.withDefaults()); diff != "" {
			t.Errorf("%+v.withDefaults() (-want +got):\n%s", p, diff)
		}
	}
	kept := RetryPolicy{MaxAttempts: 1, BaseDelay: 2, MaxBackoff: 3, MaxRetryAfter: 4}
	if diff := cmp.Diff(kept, kept.withDefaults()); diff != "" {
		t.Errorf("set values changed (-want +got):\n%s", diff)
	}
}
