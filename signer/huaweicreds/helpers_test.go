package huaweicreds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// Fixtures of the IAM tests. The secrets are distinctive so that a leak is
// easy to find in any rendering.
const (
	iamTestPassword = "pa$$w0rd-SECRET-ÿ\"\\"
	iamTestToken    = "MIIToken-SECRET-VALUE"
	iamTestSK       = "SK-SECRET-IAM"
)

var iamTestTime = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// iamTestSettings retries quickly: tests never wait for real backoff.
func iamTestSettings() transport.Settings {
	return transport.Settings{Retry: transport.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Microsecond, MaxBackoff: time.Microsecond}}
}

// iamClock is a settable clock, safe for concurrent use.
type iamClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *iamClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *iamClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// iamNoDate stops net/http from adding a Date header, so that a 401 never
// looks like a clock skew to the transport.
func iamNoDate(w http.ResponseWriter) { w.Header()["Date"] = nil }

// iamWriteJSON answers with status and a JSON body.
func iamWriteJSON(w http.ResponseWriter, status int, body string) {
	iamNoDate(w)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "req-iam-1")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// iamAssertNoSecret renders v every way a program might (fmt verbs, slog,
// encoding/json) and fails if any secret shows.
func iamAssertNoSecret(t *testing.T, v any, secrets ...string) {
	t.Helper()
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q", "%T"} {
		outs = append(outs, fmt.Sprintf(verb, v))
	}
	if b, err := json.Marshal(v); err == nil {
		outs = append(outs, string(b))
	} else {
		outs = append(outs, err.Error())
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("render", "v", v)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("render", "v", v)
	outs = append(outs, buf.String())
	for _, out := range outs {
		for _, s := range secrets {
			if s != "" && strings.Contains(out, s) {
				t.Errorf("rendering leaks a secret %q: %s", s, out)
			}
		}
	}
}

// retrieveConcurrently calls p from n goroutines at once and returns the
// access key each got; a failed call fails the test and leaves "".
func retrieveConcurrently(t *testing.T, p signer.HuaweiCredentialsProvider, n int) []string {
	t.Helper()
	var wg sync.WaitGroup
	keys := make([]string, n)
	for i := range keys {
		wg.Go(func() {
			c, err := p.RetrieveHuawei(t.Context())
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = c.AccessKey
		})
	}
	wg.Wait()
	return keys
}

// wantOneKey fails unless every caller got the same, non-empty key.
func wantOneKey(t *testing.T, keys []string) {
	t.Helper()
	for i := range keys {
		if keys[i] == "" || keys[i] != keys[0] {
			t.Fatalf("caller %d got %q, caller 0 %q", i, keys[i], keys[0])
		}
	}
}
