package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// skewAnswer is a response whose Date is offset from the test's clock.
type skewAnswer struct {
	status int
	body   string
	date   time.Duration
	age    bool   // mark the answer as cached
	raw    string // a Date to send as is instead
}

func TestClockSkew(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	const awsSkew = `{"__type":"InvalidSignatureException","message":"Signature expired: 20260304T050607Z is now earlier than 20260304T051107Z"}`
	tests := map[string]struct {
		protocol    *Protocol
		authHeaders map[string]string // what the Authorizer sets
		maxAttempts int
		answers     []skewAnswer
		wantNows    []time.Duration // offsets from now the Authorizer saw
		wantStatus  int             // final error; 0: success
		wantSkew    time.Duration
	}{
		"10 minutes ahead: one free retry": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: 10 * time.Minute}, {status: 200, body: "{}", date: 10 * time.Minute}},
			wantNows: []time.Duration{0, 10 * time.Minute}, wantSkew: 10 * time.Minute,
		},
		"10 minutes behind": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: -10 * time.Minute}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0, -10 * time.Minute}, wantSkew: -10 * time.Minute,
		},
		"RequestTimeTooSkewed at 400": {
			answers:  []skewAnswer{{status: 400, body: `{"code":"RequestTimeTooSkewed"}`, date: 5 * time.Minute}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0, 5 * time.Minute}, wantSkew: 5 * time.Minute,
		},
		"free retry with MaxAttempts 1": {
			maxAttempts: 1,
			answers:     []skewAnswer{{status: 403, body: awsSkew, date: 10 * time.Minute}, {status: 200, body: "{}"}},
			wantNows:    []time.Duration{0, 10 * time.Minute}, wantSkew: 10 * time.Minute,
		},
		"24 hours ahead: the most learned": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: 24 * time.Hour}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0, 24 * time.Hour}, wantSkew: 24 * time.Hour,
		},
		"24 hours behind": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: -24 * time.Hour}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0, -24 * time.Hour}, wantSkew: -24 * time.Hour,
		},
		"a second over 24 hours: implausible, not learned": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: 24*time.Hour + time.Second}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0}, wantStatus: 403,
		},
		"ten years ahead: implausible, not learned": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: 10 * 365 * 24 * time.Hour}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0}, wantStatus: 403,
		},
		"ten years behind: implausible, not learned": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: -10 * 365 * 24 * time.Hour}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0}, wantStatus: 403,
		},
		"year 9999: implausible, not learned": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, raw: "Fri, 31 Dec 9999 23:59:59 GMT"}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0}, wantStatus: 403,
		},
		"under 4 minutes: no retry": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: 3*time.Minute + 59*time.Second}},
			wantNows: []time.Duration{0}, wantStatus: 403,
		},
		"second skew error in the call not retried": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: 10 * time.Minute}, {status: 403, body: awsSkew, date: 20 * time.Minute}},
			wantNows: []time.Duration{0, 10 * time.Minute}, wantStatus: 403, wantSkew: 10 * time.Minute,
		},
		"cached answer not trusted": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, date: 10 * time.Minute, age: true}},
			wantNows: []time.Duration{0}, wantStatus: 403,
		},
		"malformed Date": {
			answers:  []skewAnswer{{status: 403, body: awsSkew, raw: "yesterday-ish"}},
			wantNows: []time.Duration{0}, wantStatus: 403,
		},
		"other code with a skewed Date": {
			answers:  []skewAnswer{{status: 400, body: `{"__type":"ValidationException"}`, date: 10 * time.Minute}},
			wantNows: []time.Duration{0}, wantStatus: 400,
		},
		"huawei APIGW.0301 on an AK/SK request": {
			protocol:    HuaweiJSON,
			authHeaders: map[string]string{"X-Sdk-Date": "20260304T050607Z", "Authorization": "SDK-HMAC-SHA256 x"},
			answers: []skewAnswer{{status: 401, body: `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}`,
				date: -15 * time.Minute}, {status: 200, body: "{}"}},
			wantNows: []time.Duration{0, -15 * time.Minute}, wantSkew: -15 * time.Minute,
		},
		"huawei APIGW.0301 on a token request: the clock is not the cause": {
			protocol:    HuaweiJSON,
			authHeaders: map[string]string{"X-Auth-Token": "tok"},
			answers: []skewAnswer{{status: 401, body: `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: token expires"}`,
				date: -15 * time.Minute}},
			wantNows: []time.Duration{0}, wantStatus: 401,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var srv *server
			srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				a := tt.answers[min(int(srv.hits.Load())-1, len(tt.answers)-1)]
				w.Header().Set("Date", now.Add(a.date).Format(http.TimeFormat))
				if a.raw != "" {
					w.Header().Set("Date", a.raw)
				}
				if a.age {
					w.Header().Set("Age", "30")
				}
				w.WriteHeader(a.status)
				io.WriteString(w, a.body)
			})
			protocol := tt.protocol
			if protocol == nil {
				protocol = AWSRestJSON
			}
			auth := &fakeAuth{set: tt.authHeaders}
			c := newClient(t, Config{Service: Service{ID: "Test", Protocol: protocol}, Endpoint: srv.URL, Auth: auth,
				Settings: Settings{Now: fixedClock(now), Retry: RetryPolicy{MaxAttempts: tt.maxAttempts}}})

			resp, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
			var gotNows []time.Duration
			for _, n := range auth.Nows() {
				gotNows = append(gotNows, n.Sub(now))
			}
			if diff := cmp.Diff(tt.wantNows, gotNows); diff != "" {
				t.Errorf("signing times minus the local clock (-want +got):\n%s", diff)
			}
			if got := c.ClockSkew(); got != tt.wantSkew {
				t.Errorf("ClockSkew() = %v, want %v", got, tt.wantSkew)
			}
			attempts := len(tt.wantNows)
			if tt.wantStatus == 0 {
				if err != nil || resp.Metadata.Attempts != attempts {
					t.Fatalf("Do() = %v, %v; want success after %d attempts", resp, err, attempts)
				}
			} else {
				var re *ResponseError
				if !errors.As(err, &re) || re.StatusCode != tt.wantStatus || re.Attempts != attempts {
					t.Fatalf("Do() error = %v, want a %d *ResponseError after %d attempts", err, tt.wantStatus, attempts)
				}
			}

			// The learned offset is kept for the next call.
			before := len(auth.Calls())
			_, _ = c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, &Settings{Now: fixedClock(now), Retry: RetryPolicy{MaxAttempts: 1}})
			if got := auth.Nows()[before].Sub(now); got != tt.wantSkew {
				t.Errorf("next call signed at now%+v, want now%+v", got, tt.wantSkew)
			}
		})
	}
}

// TestClockSkewCorrected: a skew learned wrongly (a server's Date off by
// hours, within the plausible bound) is corrected by the next skew error,
// which measures the offset afresh; a later implausible Date changes
// nothing.
func TestClockSkewCorrected(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	const awsSkew = `{"__type":"InvalidSignatureException","message":"Signature expired"}`
	type answer struct {
		status int
		date   time.Duration
	}
	calls := []struct {
		answers  []answer
		wantNows []time.Duration
		wantSkew time.Duration
	}{
		// A wrong Date 20 hours ahead is learned: it is within the bound.
		{answers: []answer{{403, 20 * time.Hour}, {200, 20 * time.Hour}}, wantNows: []time.Duration{0, 20 * time.Hour}, wantSkew: 20 * time.Hour},
		// The service, with the true time, rejects the next signature: the
		// offset is measured again (0) and the call succeeds.
		{answers: []answer{{403, 0}, {200, 0}}, wantNows: []time.Duration{20 * time.Hour, 0}, wantSkew: 0},
		// Ten years ahead is not believed, whatever was learned before.
		{answers: []answer{{403, 10 * 365 * 24 * time.Hour}}, wantNows: []time.Duration{0}, wantSkew: 0},
	}
	var mu sync.Mutex
	var answers []answer
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a := answer{status: http.StatusTeapot} // an attempt the test did not expect
		if len(answers) > 0 {
			a, answers = answers[0], answers[1:]
		}
		mu.Unlock()
		w.Header().Set("Date", now.Add(a.date).Format(http.TimeFormat))
		w.WriteHeader(a.status)
		if a.status == 403 {
			io.WriteString(w, awsSkew)
		} else {
			io.WriteString(w, "{}")
		}
	})
	auth := &fakeAuth{}
	c := newClient(t, Config{Endpoint: srv.URL, Auth: auth, Settings: Settings{Now: fixedClock(now), Retry: RetryPolicy{MaxAttempts: 1}}})
	for i, call := range calls {
		mu.Lock()
		answers = call.answers
		mu.Unlock()
		before := len(auth.Calls())
		_, _ = c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
		var got []time.Duration
		for _, n := range auth.Nows()[before:] {
			got = append(got, n.Sub(now))
		}
		if diff := cmp.Diff(call.wantNows, got); diff != "" {
			t.Errorf("call %d: signing times minus the local clock (-want +got):\n%s", i+1, diff)
		}
		if got := c.ClockSkew(); got != call.wantSkew {
			t.Errorf("call %d: ClockSkew() = %v, want %v", i+1, got, call.wantSkew)
		}
	}
}

// TestClockSkewSlowAnswerNotTrusted: a Date that took more than 15 minutes
// to arrive says little about the clocks, as aws-sdk-go-v2 decides.
func TestClockSkewSlowAnswerNotTrusted(t *testing.T) {
	t.Parallel()
	for _, latency := range []time.Duration{15 * time.Minute, 15*time.Minute + time.Second} {
		synctest.Test(t, func(t *testing.T) {
			d := doerFunc(func(r *http.Request) (*http.Response, error) {
				time.Sleep(latency)
				return reply(r, 403, `{"__type":"InvalidSignatureException"}`,
					"Date", time.Now().Add(10*time.Minute).Format(http.TimeFormat)), nil
			})
			c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d, Retry: RetryPolicy{MaxAttempts: 1}, CallTimeout: -1}})
			_, _ = c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
			want := 10 * time.Minute
			if latency > 15*time.Minute {
				want = 0
			}
			if got := c.ClockSkew(); got != want {
				t.Errorf("answer after %v: ClockSkew() = %v, want %v", latency, got, want)
			}
		})
	}
}

func TestReauthorize(t *testing.T) {
	t.Parallel()
	const keystone401 = `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`
	tests := map[string]struct {
		auth        Authorizer
		maxAttempts int
		valid       string // the token the server accepts; "": none
		status      int    // the status for other tokens
		body        string
		wantHits    int64
		wantRejects []string // tokens passed to Reauthorize
		wantErr     int      // final status; 0: success
	}{
		"401 refreshes once and replays": {
			auth: &tokenAuth{tokens: []string{"old", "new"}}, valid: "new", status: 401, body: keystone401,
			wantHits: 2, wantRejects: []string{"old"},
		},
		"gateway 401 refreshes too": {
			auth: &tokenAuth{tokens: []string{"old", "new"}}, valid: "new", status: 401,
			body:     `{"error_code":"APIGW.0307","error_msg":"The token must be updated"}`,
			wantHits: 2, wantRejects: []string{"old"},
		},
		"a second 401 is returned": {
			auth: &tokenAuth{tokens: []string{"old", "new"}}, status: 401, body: keystone401,
			wantHits: 2, wantRejects: []string{"old"}, wantErr: 401,
		},
		"MaxAttempts 1 still replays": {
			auth: &tokenAuth{tokens: []string{"old", "new"}}, maxAttempts: 1, valid: "new", status: 401, body: keystone401,
			wantHits: 2, wantRejects: []string{"old"},
		},
		"not a Reauthorizer: not replayed": {
			auth: plainTokenAuth{token: "old"}, status: 401, body: keystone401,
			wantHits: 1, wantErr: 401,
		},
		"Reauthorize declines": {
			auth: &decliningAuth{}, status: 401, body: keystone401,
			wantHits: 1, wantErr: 401,
		},
		"403 does not refresh": {
			auth: &tokenAuth{tokens: []string{"old", "new"}}, valid: "new", status: 403,
			body:     `{"error_code":"DNS.0030","error_msg":"forbidden"}`,
			wantHits: 1, wantErr: 403,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				// The request ID tells which token the attempt carried; not the
				// token itself, which the transport would scrub as an echo.
				w.Header().Set("X-Request-Id", "hw-"+strings.ToUpper(r.Header.Get("X-Auth-Token")))
				if tt.valid != "" && r.Header.Get("X-Auth-Token") == tt.valid {
					io.WriteString(w, `{}`)
					return
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			})
			c := newClient(t, Config{Service: Service{ID: "DNS", Protocol: HuaweiJSON}, Endpoint: srv.URL, Auth: tt.auth,
				Settings: Settings{Retry: RetryPolicy{MaxAttempts: tt.maxAttempts}}})
			resp, err := c.Do(context.Background(), "Op", &Request{Method: "POST", Path: "/v2/zones/z/disassociaterouter", Body: []byte("{}")}, nil)
			if got := srv.hits.Load(); got != tt.wantHits {
				t.Errorf("server hits = %d, want %d", got, tt.wantHits)
			}
			if ta, ok := tt.auth.(*tokenAuth); ok {
				if diff := cmp.Diff(tt.wantRejects, ta.rejected); diff != "" {
					t.Errorf("tokens passed to Reauthorize (-want +got):\n%s", diff)
				}
			}
			if tt.wantErr == 0 {
				if err != nil {
					t.Fatalf("Do() error = %v, want success", err)
				}
				want := Metadata{RequestID: "hw-" + strings.ToUpper(tt.valid), StatusCode: 200, Attempts: int(tt.wantHits)}
				if diff := cmp.Diff(want, resp.Metadata); diff != "" {
					t.Errorf("Metadata (-want +got):\n%s", diff)
				}
				return
			}
			var re *ResponseError
			if !errors.As(err, &re) || re.StatusCode != tt.wantErr || re.Attempts != int(tt.wantHits) {
				t.Fatalf("Do() error = %v, want a %d *ResponseError after %d attempts", err, tt.wantErr, tt.wantHits)
			}
			if tt.wantErr == 401 && !errors.Is(err, ErrUnauthorized) {
				t.Errorf("errors.Is(%v, ErrUnauthorized) = false", err)
			}
		})
	}
}

// decliningAuth cannot refresh its token after all.
type decliningAuth struct{ plainTokenAuth }

func (*decliningAuth) Reauthorize(context.Context, *http.Request) bool { return false }
