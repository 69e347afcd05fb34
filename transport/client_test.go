package transport

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

func TestNewRejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	valid := func() Config {
		return Config{Service: awsService(), Endpoint: "https://example.com/base", Auth: &fakeAuth{}}
	}
	tests := map[string]struct {
		change  func(*Config)
		wantErr string
	}{
		"no service id":        {func(c *Config) { c.Service.ID = "" }, "Service.ID is required"},
		"zero protocol":        {func(c *Config) { c.Service.Protocol = nil }, "Service.Protocol is unknown"},
		"unknown protocol":     {func(c *Config) { c.Service.Protocol = &Protocol{} }, "Service.Protocol is unknown"},
		"nil auth":             {func(c *Config) { c.Auth = nil }, "Auth is required"},
		"empty endpoint":       {func(c *Config) { c.Endpoint = "" }, "endpoint is empty"},
		"ftp endpoint":         {func(c *Config) { c.Endpoint = "ftp://x" }, "must be an http or https URL"},
		"relative endpoint":    {func(c *Config) { c.Endpoint = "example.com/x" }, "must be an http or https URL"},
		"no host":              {func(c *Config) { c.Endpoint = "http://" }, "has no host"},
		"no host with path":    {func(c *Config) { c.Endpoint = "https:///path" }, "has no host"},
		"user info":            {func(c *Config) { c.Endpoint = "https://user:pass@example.com" }, "must not contain user info"},
		"query":                {func(c *Config) { c.Endpoint = "https://example.com/?a=b" }, "must not have a query or fragment"},
		"empty query":          {func(c *Config) { c.Endpoint = "https://example.com/?" }, "must not have a query or fragment"},
		"fragment":             {func(c *Config) { c.Endpoint = "https://example.com/#frag" }, "must not have a query or fragment"},
		"unparsable":           {func(c *Config) { c.Endpoint = "http://[::1" }, "not a valid URL"},
		"bad port":             {func(c *Config) { c.Endpoint = "http://example.com:port" }, "not a valid URL"},
		"control character":    {func(c *Config) { c.Endpoint = "http://example.com/\x00" }, "not a valid URL"},
		"missing scheme":       {func(c *Config) { c.Endpoint = "://example.com" }, "not a valid URL"},
		"user agent line feed": {func(c *Config) { c.UserAgentApp = "app\r\nX-Evil: 1" }, "must not contain control characters"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := valid()
			tt.change(&cfg)
			c, err := New(cfg)
			if err == nil {
				t.Fatalf("New() = %v, nil; want error containing %q", c, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New() error = %q, want it to contain %q", err, tt.wantErr)
			}
			if c != nil {
				t.Errorf("New() returned a client with an error")
			}
		})
	}

	t.Run("valid", func(t *testing.T) {
		t.Parallel()
		c, err := New(valid())
		mustNoErr(t, err)
		got := []string{c.Endpoint(), c.ServiceID(), c.ClockSkew().String()}
		if diff := cmp.Diff([]string{"https://example.com/base", "Test", "0s"}, got); diff != "" {
			t.Errorf("accessors (-want +got):\n%s", diff)
		}
		s := c.Settings()
		if s.HTTPClient == nil || s.Now == nil || s.MaxResponseBytes != DefaultMaxResponseBytes {
			t.Errorf("Settings() defaults not filled: %+v", s)
		}
		wantRetry := RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxBackoff: 20 * time.Second, MaxRetryAfter: 20 * time.Second}
		if diff := cmp.Diff(wantRetry, s.Retry); diff != "" {
			t.Errorf("default retry policy (-want +got):\n%s", diff)
		}
	})
}

// seen is what the server saw of one request.
type seen struct {
	Method        string
	RequestURI    string
	EscapedPath   string
	Query         string
	ContentType   string
	ContentLength string
	UserAgent     string
	Custom        string
	Body          string
}

func TestDoSendsRequest(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	hashOf := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return hex.EncodeToString(sum[:])
	}
	tests := map[string]struct {
		protocol   *Protocol
		basePath   string
		req        Request
		respHeader []string
		respStatus int
		want       seen
		wantHash   string
		wantMeta   Metadata
	}{
		"aws delete, escaped segment kept": {
			protocol: AWSRestJSON,
			basePath: "/base/",
			req: Request{
				Method: http.MethodDelete,
				Path:   "/profileassociation/Profileid/rp%2F1/resourceid/vpc-0af3",
			},
			respHeader: []string{"X-Amzn-RequestId", "req-aws-1"},
			respStatus: 200,
			want: seen{
				Method:      "DELETE",
				RequestURI:  "/base/profileassociation/Profileid/rp%2F1/resourceid/vpc-0af3",
				EscapedPath: "/base/profileassociation/Profileid/rp%2F1/resourceid/vpc-0af3",
			},
			wantHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			wantMeta: Metadata{RequestID: "req-aws-1", StatusCode: 200, Attempts: 1},
		},
		"aws post, older request id header": {
			protocol: AWSRestJSON,
			basePath: "",
			req: Request{
				Method:      http.MethodPost,
				Path:        "/domains/my%20domain/profiles/objects/delete",
				ContentType: "application/json",
				Header:      http.Header{"X-Custom": {"c1"}},
				Body:        []byte(`{"ProfileId":"p"}`),
			},
			respHeader: []string{"X-Amz-Request-Id", "req-aws-2"},
			respStatus: 202,
			want: seen{
				Method:        "POST",
				RequestURI:    "/domains/my%20domain/profiles/objects/delete",
				EscapedPath:   "/domains/my%20domain/profiles/objects/delete",
				ContentType:   "application/json",
				ContentLength: "17",
				Custom:        "c1",
				Body:          `{"ProfileId":"p"}`,
			},
			wantHash: hashOf(`{"ProfileId":"p"}`),
			wantMeta: Metadata{RequestID: "req-aws-2", StatusCode: 202, Attempts: 1},
		},
		"huawei post with query under a base path": {
			protocol: HuaweiJSON,
			basePath: "/dns",
			req: Request{
				Method:      http.MethodPost,
				Path:        "/v2/zones/ff80%2F01/disassociaterouter",
				RawQuery:    "a=1&b=%2F",
				ContentType: "application/json;charset=UTF-8",
				Body:        []byte(`{"router":{"router_id":"r-1"}}`),
			},
			respHeader: []string{"X-Request-Id", "hw-req-1", "X-Amzn-RequestId", "not-this"},
			respStatus: 200,
			want: seen{
				Method:        "POST",
				RequestURI:    "/dns/v2/zones/ff80%2F01/disassociaterouter?a=1&b=%2F",
				EscapedPath:   "/dns/v2/zones/ff80%2F01/disassociaterouter",
				Query:         "a=1&b=%2F",
				ContentType:   "application/json;charset=UTF-8",
				ContentLength: "30",
				Body:          `{"router":{"router_id":"r-1"}}`,
			},
			wantHash: hashOf(`{"router":{"router_id":"r-1"}}`),
			wantMeta: Metadata{RequestID: "hw-req-1", StatusCode: 200, Attempts: 1},
		},
		"post without body sends content-length 0": {
			protocol:   HuaweiJSON,
			basePath:   "/",
			req:        Request{Method: http.MethodPost, Path: "/v1/x"},
			respStatus: 204,
			want:       seen{Method: "POST", RequestURI: "/v1/x", EscapedPath: "/v1/x", ContentLength: "0"},
			wantHash:   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			wantMeta:   Metadata{StatusCode: 204, Attempts: 1},
		},
	}
	uaShape := regexp.MustCompile(`^detach/` + regexp.QuoteMeta(Version) + ` \(go[^;()]+; [a-z0-9]+/[a-z0-9]+\) myapp/1\.2$`)
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var got []seen
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				got = append(got, seen{
					Method:        r.Method,
					RequestURI:    r.RequestURI,
					EscapedPath:   r.URL.EscapedPath(),
					Query:         r.URL.RawQuery,
					ContentType:   r.Header.Get("Content-Type"),
					ContentLength: r.Header.Get("Content-Length"),
					UserAgent:     r.Header.Get("User-Agent"),
					Custom:        r.Header.Get("X-Custom"),
					Body:          string(body),
				})
				mu.Unlock()
				for i := 0; i+1 < len(tt.respHeader); i += 2 {
					w.Header().Set(tt.respHeader[i], tt.respHeader[i+1])
				}
				w.WriteHeader(tt.respStatus)
				if tt.respStatus != http.StatusNoContent {
					io.WriteString(w, `{"ok":true}`)
				}
			})
			auth := &fakeAuth{}
			c := newClient(t, Config{
				Service:      Service{ID: "Test", Protocol: tt.protocol},
				Endpoint:     srv.URL + tt.basePath,
				Auth:         auth,
				UserAgentApp: "myapp/1.2",
				Settings:     Settings{Now: fixedClock(now)},
			})
			reqHeaderBefore := tt.req.Header.Clone()

			resp, err := c.Do(context.Background(), "Op", &tt.req, nil)
			mustNoErr(t, err)

			mu.Lock()
			defer mu.Unlock()
			if len(got) != 1 {
				t.Fatalf("got %d of got, want 1", len(got))
			}
			if !uaShape.MatchString(got[0].UserAgent) {
				t.Errorf("User-Agent = %q, want the shape %s", got[0].UserAgent, uaShape)
			}
			got[0].UserAgent = ""
			if diff := cmp.Diff(tt.want, got[0]); diff != "" {
				t.Errorf("request on the wire (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantMeta, resp.Metadata); diff != "" {
				t.Errorf("Metadata (-want +got):\n%s", diff)
			}
			wantBody := `{"ok":true}`
			if tt.respStatus == http.StatusNoContent {
				wantBody = ""
			}
			if string(resp.Body) != wantBody || resp.StatusCode != tt.respStatus {
				t.Errorf("response = %d %q, want %d %q", resp.StatusCode, resp.Body, tt.respStatus, wantBody)
			}

			calls := auth.Calls()
			if len(calls) != 1 {
				t.Fatalf("got %d of calls, want 1", len(calls))
			}
			a := calls[0]
			// The Authorizer sees the final URL and headers, the body's hash and the clock.
			wantURI := tt.want.EscapedPath
			if tt.want.Query != "" {
				wantURI += "?" + tt.want.Query
			}
			if a.Method != tt.want.Method || a.URI != wantURI || a.Hash != tt.wantHash || !a.Now.Equal(now) {
				t.Errorf("Authorizer saw %s %s hash %s now %v; want %s %s hash %s now %v",
					a.Method, a.URI, a.Hash, a.Now, tt.want.Method, wantURI, tt.wantHash, now)
			}
			if a.Header.Get("User-Agent") == "" || a.Header.Get("Content-Type") != tt.want.ContentType {
				t.Errorf("Authorizer saw headers %v before User-Agent and Content-Type were final", a.Header)
			}
			if diff := cmp.Diff(reqHeaderBefore, tt.req.Header); diff != "" {
				t.Errorf("Do changed the Request's headers (-before +after):\n%s", diff)
			}
		})
	}
}

func TestDoRejectsBadRequestPath(t *testing.T) {
	t.Parallel()
	d := &script{steps: []func(*http.Request) (*http.Response, error){status(200, "")}}
	c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d}})
	for _, path := range []string{"", "relative", "/bad%zz", "/trailing%"} {
		_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: path}, nil)
		if err == nil {
			t.Errorf("Do(path %q) = nil error, want one", path)
		}
	}
	if n := d.hits.Load(); n != 0 {
		t.Errorf("bad paths sent %d requests, want 0", n)
	}
}

func TestDoNilContext(t *testing.T) {
	t.Parallel()
	d := &script{steps: []func(*http.Request) (*http.Response, error){status(200, "")}}
	c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: d}})
	var ctx context.Context // a nil context, as a careless caller passes it
	resp, err := c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil)
	var oe *smithy.OperationError
	if resp != nil || !errors.As(err, &oe) || oe.ServiceID != "Test" || oe.OperationName != "Op" {
		t.Errorf("Do(nil ctx) = %v, %v; want an OperationError for Test Op", resp, err)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Field != "ctx" || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("Do(nil ctx) = %v; want a *ValidationError naming ctx", err)
	}
	if n := d.hits.Load(); n != 0 {
		t.Errorf("Do(nil ctx) sent %d requests, want 0", n)
	}
}

func TestDoContextAlreadyDone(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
	c := newClient(t, Config{Endpoint: srv.URL})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Do(ctx, "Op", &Request{Method: "GET", Path: "/"}, nil)
	var ce *CanceledError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &ce) {
		t.Errorf("Do(done ctx) error = %v, want a *CanceledError matching context.Canceled", err)
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("Do(done ctx) reached the server %d times, want 0", n)
	}
	if ce != nil && ce.Attempts != 0 {
		t.Errorf("Do(done ctx) reports %d attempts, want 0: nothing was sent", ce.Attempts)
	}
}

func TestDoPerCallSettings(t *testing.T) {
	t.Parallel()
	unavailable := status(503, "")
	clientDoer := &script{steps: []func(*http.Request) (*http.Response, error){unavailable}}
	c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: clientDoer}})

	// A copy of the client's settings keeps its (uncomparable) Doer.
	s := c.Settings()
	s.Retry.MaxAttempts = 1
	_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, &s)
	var re *ResponseError
	if !errors.As(err, &re) || re.StatusCode != 503 || re.Attempts != 1 {
		t.Errorf("per-call MaxAttempts 1: error = %v, want a 503 after 1 attempt", err)
	}
	if n := clientDoer.hits.Load(); n != 1 {
		t.Errorf("client Doer hits = %d, want 1", n)
	}

	// A per-call Doer replaces the client's; the rest of the zero Settings is defaults.
	callDoer := &script{steps: []func(*http.Request) (*http.Response, error){status(200, "call")}}
	resp, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, &Settings{HTTPClient: callDoer})
	mustNoErr(t, err)
	if string(resp.Body) != "call" || callDoer.hits.Load() != 1 || clientDoer.hits.Load() != 1 {
		t.Errorf("per-call Doer: body %q, call hits %d, client hits %d; want \"call\", 1, 1",
			resp.Body, callDoer.hits.Load(), clientDoer.hits.Load())
	}

	// Zero per-call Settings fall back to the client's Doer and the default policy.
	_, err = c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, &Settings{random: zeroJitter})
	if !errors.As(err, &re) || re.Attempts != DefaultMaxAttempts {
		t.Errorf("zero per-call settings: error = %v, want a 503 after %d attempts", err, DefaultMaxAttempts)
	}

	// A typed nil *http.Client means none was given.
	var nilClient *http.Client
	if _, err := New(Config{Service: awsService(), Endpoint: "https://example.com", Auth: &fakeAuth{},
		Settings: Settings{HTTPClient: nilClient}}); err != nil {
		t.Errorf("New with a nil *http.Client: %v", err)
	}
	before := clientDoer.hits.Load()
	_, err = c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, &Settings{HTTPClient: nilClient, Retry: RetryPolicy{MaxAttempts: 1}})
	if !errors.As(err, &re) || clientDoer.hits.Load() != before+1 {
		t.Errorf("per-call nil *http.Client: error = %v, want the client's Doer to answer", err)
	}
}

func TestRedirectsNotFollowed(t *testing.T) {
	t.Parallel()
	for _, code := range []int{301, 302, 303, 307, 308} {
		for _, mode := range []string{"default client", "user client in config", "user client per call"} {
			t.Run(fmt.Sprintf("%d %s", code, mode), func(t *testing.T) {
				t.Parallel()
				other := newServer(t, func(w http.ResponseWriter, r *http.Request) {})
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, other.URL+"/stolen", code)
				})
				user := &http.Client{Transport: &http.Transport{}}
				cfg := Config{Endpoint: srv.URL, Auth: plainTokenAuth{token: "tok"}}
				var per *Settings
				switch mode {
				case "user client in config":
					cfg.Settings.HTTPClient = user
				case "user client per call":
					per = &Settings{HTTPClient: user}
				}
				c := newClient(t, cfg)
				_, err := c.Do(context.Background(), "Op", &Request{Method: "DELETE", Path: "/x"}, per)
				var re *ResponseError
				if !errors.As(err, &re) {
					t.Fatalf("Do() error = %v, want a *ResponseError", err)
				}
				got := []any{re.StatusCode, re.Message, re.Attempts, re.Kind, srv.hits.Load(), other.hits.Load()}
				want := []any{code, "redirect not followed", 1, KindUnknown, int64(1), int64(0)}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("status, message, attempts, kind, hits, other hits (-want +got):\n%s", diff)
				}
				if strings.Contains(err.Error(), other.URL) {
					t.Errorf("error %q echoes the Location", err)
				}
				if user.CheckRedirect != nil {
					t.Errorf("the user's *http.Client was changed: CheckRedirect is set")
				}
			})
		}
	}
}

func TestTLSUntrustedNotRetried(t *testing.T) {
	t.Parallel()
	srv := startServer(t, func(w http.ResponseWriter, r *http.Request) {}, true)
	c := newClient(t, Config{Endpoint: srv.URL})
	_, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, nil)
	var se *SendError
	var verr *tls.CertificateVerificationError
	if !errors.As(err, &se) || se.Attempts != 1 || !errors.As(err, &verr) {
		t.Errorf("Do() error = %v, want a *SendError after 1 attempt wrapping a certificate verification error", err)
	}
	if got := srv.conns.Load(); got != 1 {
		t.Errorf("TLS connections = %d, want 1 (not retried)", got)
	}
}

func TestConcurrentCalls(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Amzn-RequestId", r.URL.Path)
		if r.Header.Get("X-Fail-Once") != "" && r.Header.Get("X-Seen") == "" {
			// Odd callers get a 503 first; the retry carries X-Seen from the authorizer.
			w.WriteHeader(503)
			return
		}
		w.Write(body)
	})
	auth := &countingAuth{}
	c := newClient(t, Config{Endpoint: srv.URL, Auth: auth})
	const n = 256
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			req := &Request{Method: "POST", Path: fmt.Sprintf("/call/%d", i), Body: []byte(fmt.Sprintf(`{"i":%d}`, i))}
			if i%2 == 1 {
				req.Header = http.Header{"X-Fail-Once": {"1"}}
			}
			resp, err := c.Do(context.Background(), "Op", req, nil)
			switch {
			case err != nil:
				errs[i] = err
			case string(resp.Body) != string(req.Body) || resp.Metadata.RequestID != req.Path:
				errs[i] = fmt.Errorf("call %d got body %q request id %q", i, resp.Body, resp.Metadata.RequestID)
			case resp.Metadata.Attempts != 1+i%2:
				errs[i] = fmt.Errorf("call %d took %d attempts, want %d", i, resp.Metadata.Attempts, 1+i%2)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Error(err)
	}
	if got, want := srv.hits.Load(), int64(n+n/2); got != want {
		t.Errorf("server hits = %d, want %d", got, want)
	}
}

// countingAuth marks every attempt after the first for a path with X-Seen.
type countingAuth struct{ seen sync.Map }

func (a *countingAuth) Authorize(_ context.Context, r *http.Request, _ string, _ time.Time) error {
	if _, loaded := a.seen.LoadOrStore(r.URL.Path, true); loaded {
		r.Header.Set("X-Seen", "1")
	}
	return nil
}

func TestNewHTTPRequestBody(t *testing.T) {
	t.Parallel()
	c := newClient(t, Config{Endpoint: "https://example.com"})
	tests := map[string]struct {
		method      string
		body        []byte
		wantBody    string
		wantNoBody  bool // http.NoBody, so Content-Length: 0 is sent
		wantNilBody bool
	}{
		"post with body":   {method: "POST", body: []byte(`{"a":1}`), wantBody: `{"a":1}`},
		"delete with body": {method: "DELETE", body: []byte(`x`), wantBody: "x"},
		"post, no body":    {method: "POST", wantNoBody: true},
		"put, no body":     {method: "PUT", wantNoBody: true},
		"patch, no body":   {method: "PATCH", body: []byte{}, wantNoBody: true},
		"delete, no body":  {method: "DELETE", wantNilBody: true},
		"get, no body":     {method: "GET", wantNilBody: true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := &Request{Method: tt.method, Path: "/p", Body: tt.body}
			u, err := c.target(req)
			mustNoErr(t, err)
			hr := c.newHTTPRequest(context.Background(), req, u)
			switch {
			case tt.wantNilBody:
				if hr.Body != nil || hr.GetBody != nil || hr.ContentLength != 0 {
					t.Errorf("Body %v GetBody set %v ContentLength %d; want none", hr.Body, hr.GetBody != nil, hr.ContentLength)
				}
				return
			case tt.wantNoBody:
				if hr.Body != http.NoBody || hr.ContentLength != 0 {
					t.Errorf("Body = %v, ContentLength %d; want http.NoBody, 0", hr.Body, hr.ContentLength)
				}
			default:
				if hr.ContentLength != int64(len(tt.body)) {
					t.Errorf("ContentLength = %d, want %d", hr.ContentLength, len(tt.body))
				}
			}
			// net/http rewinds a body with GetBody (a retry on a dead
			// keep-alive connection): every copy must be the whole body.
			first, err := io.ReadAll(hr.Body)
			mustNoErr(t, err)
			for range 2 {
				rc, err := hr.GetBody()
				mustNoErr(t, err)
				again, err := io.ReadAll(rc)
				mustNoErr(t, err)
				if string(first) != tt.wantBody || string(again) != tt.wantBody {
					t.Errorf("Body %q, GetBody %q; want %q", first, again, tt.wantBody)
				}
			}
		})
	}
}

// A func-typed Doer is not comparable: per-call settings carrying one must
// not panic when the transport decides which HTTP client to use.
func TestDoPerCallFuncDoer(t *testing.T) {
	t.Parallel()
	ok := doerFunc(func(r *http.Request) (*http.Response, error) { return reply(r, 200, "{}"), nil })
	c := newClient(t, Config{Endpoint: "https://example.com", Settings: Settings{HTTPClient: ok}})
	for name, s := range map[string]Settings{
		"the client's own":    c.Settings(),
		"another func Doer":   {HTTPClient: doerFunc(func(r *http.Request) (*http.Response, error) { return reply(r, 200, "{}"), nil })},
		"a typed nil *Client": {HTTPClient: (*http.Client)(nil)},
	} {
		if _, err := c.Do(context.Background(), "Op", &Request{Method: "GET", Path: "/"}, &s); err != nil {
			t.Errorf("%s: Do = %v", name, err)
		}
	}
}
