package reliability

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/transport"
)

// The rate limiter under a crowd: 256 goroutines share one client whose
// Settings carry a transport.Limiter, against an emulator that enforces
// the same rate as the operation's API quota (fakecloud's LimitRate, a
// token bucket). On synctest's fake clock the schedule is exact.
const (
	limitRate  = 16 // requests per second: 62.5 ms apart, exact in binary
	limitBurst = 4
	crowd      = 256
)

// paceLog is a Doer that serves requests from a Cloud and records when
// each was sent and how many answers were the service's throttling.
type paceLog struct {
	cloud *fakecloud.Cloud
	o     *operation

	mu        sync.Mutex
	sent      []time.Time
	throttled int
}

func (d *paceLog) Do(r *http.Request) (*http.Response, error) {
	d.mu.Lock()
	d.sent = append(d.sent, time.Now())
	d.mu.Unlock()
	resp, err := fakecloud.LocalDoer{Cloud: d.cloud}.Do(r)
	if err != nil || resp.StatusCode != d.o.throttleStatus {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if resp.Header.Get("X-Amzn-ErrorType") == d.o.throttleCode || bytes.Contains(body, []byte(`"`+d.o.throttleCode+`"`)) {
		d.mu.Lock()
		d.throttled++
		d.mu.Unlock()
	}
	return resp, nil
}

// busiest returns the most requests sent within any window of length w.
func (d *paceLog) busiest(w time.Duration) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	sent := slices.Clone(d.sent)
	slices.SortFunc(sent, time.Time.Compare)
	most, j := 0, 0
	for i := range sent {
		for sent[i].Sub(sent[j]) >= w {
			j++
		}
		most = max(most, i-j+1)
	}
	return most
}

func (d *paceLog) throttles() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.throttled
}

// limiterRun is one crowd of 256 callers: which of them give up (their
// context is cancelled at giveUpAt, between two slots), and a second wave
// that arrives later.
type limiterRun struct {
	name     string
	giveUp   func(i int) bool // nil: nobody
	giveUpAt time.Duration
	wave     int // callers arriving at waveAt, after the crowd
	waveAt   time.Duration
	wantTook time.Duration // 0: not checked
}

func everyFourth(i int) bool { return i%4 == 0 }

// limiterRuns are the crowds TestLimiterCrowd runs.
func limiterRuns() []limiterRun {
	return []limiterRun{
		// 4 at once, then 252 more 62.5 ms apart.
		{name: "256 callers at the service's quota", wantTook: 15750 * time.Millisecond},
		{name: "64 more arrive while the crowd is paced", wave: 64, waveAt: 6 * time.Second, wantTook: 19750 * time.Millisecond},
		{name: "a quarter give up while paced", giveUp: everyFourth, giveUpAt: 5030 * time.Millisecond},
		// Regression: a caller that gave up handed its slot back by moving
		// the schedule back one interval, as if its slot were the last
		// taken; the callers arriving next got slots others still held,
		// and the busiest second held 29 or 30 requests (limit 20), as
		// many throttled by the quota.
		{name: "a quarter give up, then 64 more arrive", giveUp: everyFourth, giveUpAt: 5030 * time.Millisecond,
			wave: 64, waveAt: 6 * time.Second},
	}
}

// TestLimiterCrowd runs every operation with 256 concurrent callers on one
// client paced by one Limiter at the emulator's quota: run with -race,
// every call that is not given up succeeds with its own output, the
// emulator throttles none, and no second of requests holds more than the
// quota's rate plus its burst. Callers that give up while paced send
// nothing and end with a canceled error.
func TestLimiterCrowd(t *testing.T) {
	t.Parallel()
	for _, run := range limiterRuns() {
		for _, o := range operations() {
			t.Run(run.name+"/"+o.col, func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) { runLimiterCrowd(t, run, o) })
				figures.fault("6 rate limiter (256 callers, fakecloud quota, fake clock)", "limiter: "+run.name, o.col)
			})
		}
	}
}

func runLimiterCrowd(t *testing.T, run limiterRun, o *operation) {
	total := crowd + run.wave
	cloud := fakecloud.New()
	for i := 1; i <= total; i++ {
		o.seed(cloud, i)
	}
	cloud.LimitRate(o.op, limitRate, limitBurst)
	lim, err := transport.NewLimiter(limitRate, limitBurst)
	if err != nil {
		t.Fatal(err)
	}
	doer := &paceLog{cloud: cloud, o: o}
	c, err := o.client(localEndpoint(o.svc), transport.Settings{HTTPClient: doer, Limiter: lim, Retry: fastRetry()})
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	giveUp, cancel := context.WithCancel(context.Background())
	defer cancel()
	if run.giveUp != nil {
		time.AfterFunc(run.giveUpAt, cancel)
	}

	// Only callers of the first crowd give up.
	gives := func(i int) bool { return run.giveUp != nil && i <= crowd && run.giveUp(i) }
	start := time.Now()
	outcomes := make([]outcome, total+1)
	errs := make([]error, total+1)
	var wg sync.WaitGroup
	call := func(i int) {
		ctx := context.Background()
		if gives(i) {
			ctx = giveUp
		}
		in := o.input(i)
		out, meta, err := c.call(ctx, in)
		if err == nil {
			err = o.check(in, out)
		}
		outcomes[i], errs[i] = classify(t, meta, err), err
	}
	for i := 1; i <= crowd; i++ {
		wg.Go(func() { call(i) })
	}
	if run.wave > 0 {
		time.Sleep(run.waveAt)
		for i := crowd + 1; i <= total; i++ {
			wg.Go(func() { call(i) })
		}
	}
	wg.Wait()
	took := time.Since(start)

	ok, failed, gaveUp := 0, 0, 0
	for i := 1; i <= total; i++ {
		switch {
		case outcomes[i].Kind == "ok" && errs[i] == nil && o.done(cloud, i):
			ok++
		case outcomes[i].Kind == "canceled" && gives(i) && outcomes[i].Attempts == 0:
			gaveUp++
		default:
			failed++
			if failed <= 3 {
				t.Errorf("caller %d: outcome %+v (%v)", i, outcomes[i], errs[i])
			}
		}
	}
	throttled := doer.throttles()
	if n := cloud.Requests(o.op); n != ok+throttled {
		t.Errorf("the emulator saw %d requests for %d successes and %d throttled answers", n, ok, throttled)
	}
	if run.wantTook > 0 && took != run.wantTook {
		t.Errorf("the crowd took %v, want %v", took, run.wantTook)
	}
	if run.giveUp != nil && gaveUp == 0 {
		t.Errorf("no caller gave up while paced")
	}
	// The limiter's promise: no window of a second holds more than its
	// rate plus its burst, so the quota never throttles.
	busiest := doer.busiest(time.Second)
	if throttled != 0 || busiest > limitRate+limitBurst {
		t.Errorf("the emulator throttled %d requests; the busiest second held %d (limit %d)", throttled, busiest, limitRate+limitBurst)
	}
	t.Logf("%d ok, %d gave up, %d throttled, busiest second %d, took %v", ok, gaveUp, throttled, busiest, took)
	figures.calls("concurrent calls paced by one Limiter", total)
	figures.loss("concurrent calls failed or wrong", failed)
}
