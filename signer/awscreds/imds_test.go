package awscreds

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// fakeIMDS plays instance metadata: tokens "tok-1", "tok-2", ..., a role,
// and whatever the test changes.
type fakeIMDS struct {
	*fake
	mu         sync.Mutex
	issued     int
	putStatus  int    // answer token requests with this status when not 0
	requireV2  bool   // GETs without a valid token get 401
	revoked    string // a token that gets 401
	role       string // "" lists none
	rolesCode  int    // answer the role list with this status when not 0
	credsBody  string
	ttlHeader  string // the TTL header value; "" means "300"
	echoTokens bool   // error bodies quote the token
}

func newFakeIMDS(t *testing.T) *fakeIMDS {
	m := &fakeIMDS{role: "cleanup-role", requireV2: true,
		credsBody: `{"Code":"Success","LastUpdated":"2025-06-01T11:00:00Z","Type":"AWS-HMAC","AccessKeyId":"` + stsAK +
			`","SecretAccessKey":"` + stsSecret + `","Token":"` + stsToken + `","Expiration":"2025-06-01T18:00:00Z"}`}
	m.fake = newFake(t, m.serve)
	return m
}

func (m *fakeIMDS) set(f func(m *fakeIMDS)) {
	m.mu.Lock()
	f(m)
	m.mu.Unlock()
}

func (m *fakeIMDS) serve(w http.ResponseWriter, r *http.Request, _ string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r.Method == http.MethodPut && r.URL.Path == imdsTokenPath {
		if m.putStatus != 0 {
			respond(w, m.putStatus, "text/plain", "no token for you")
			return
		}
		m.issued++
		ttl := m.ttlHeader
		if ttl == "" {
			ttl = r.Header.Get(imdsTTLHeader)
		}
		w.Header().Set(imdsTTLHeader, ttl)
		respond(w, 200, "text/plain", "tok-"+strconv.Itoa(m.issued))
		return
	}
	tok := r.Header.Get(imdsTokenHdr)
	if (m.requireV2 && !strings.HasPrefix(tok, "tok-")) || (tok != "" && tok == m.revoked) {
		body := "Unauthorized"
		if m.echoTokens {
			body += " token " + tok
		}
		respond(w, 401, "text/html", body)
		return
	}
	switch r.URL.EscapedPath() {
	case imdsRolesPath:
		if m.rolesCode != 0 {
			respond(w, m.rolesCode, "text/html", "Not Found")
			return
		}
		respond(w, 200, "text/plain", m.role)
	case imdsRolesPath + "cleanup-role":
		respond(w, 200, "text/plain", m.credsBody)
	default:
		respond(w, 404, "text/html", "Not Found")
	}
}

// summary lists the requests as "METHOD path token".
func (m *fakeIMDS) summary() []string {
	var out []string
	for _, r := range m.requests() {
		s := r.Method + " " + r.Path
		if tok := r.Header.Get(imdsTokenHdr); tok != "" {
			s += " " + tok
		}
		if ttl := r.Header.Get(imdsTTLHeader); ttl != "" {
			s += " ttl=" + ttl
		}
		out = append(out, s)
	}
	return out
}

func newIMDS(t *testing.T, m *fakeIMDS, cfg IMDSConfig, now func() time.Time, logs *bytes.Buffer) *IMDSProvider {
	t.Helper()
	cfg.Endpoint = m.URL + "/ignored/path"
	cfg.Settings = fast(now, logs)
	p, err := NewIMDSProvider(cfg)
	require.NoError(t, err)
	return p
}

const (
	putToken = "PUT /latest/api/token ttl=300"
	getRoles = "GET /latest/meta-data/iam/security-credentials/"
	getCreds = "GET /latest/meta-data/iam/security-credentials/cleanup-role"
)

func TestIMDSv2(t *testing.T) {
	t.Parallel()
	m := newFakeIMDS(t)
	clock := &testClock{t: t0}
	p := newIMDS(t, m, IMDSConfig{}, clock.Now, nil)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	// Expiration 18:00 is capped at now + 1 hour, as ec2rolecreds caps it.
	want := signer.AWSCredentials{AccessKeyID: stsAK, SecretAccessKey: stsSecret, SessionToken: stsToken,
		Expires: t0.Add(time.Hour), Source: SourceIMDS}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	// The token is reused until 30 s before its 300 s end.
	clock.Add(269 * time.Second)
	_, err = p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	clock.Add(time.Second)
	_, err = p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if diff := cmp.Diff([]string{putToken, getRoles + " tok-1", getCreds + " tok-1",
		getRoles + " tok-1", getCreds + " tok-1",
		putToken, getRoles + " tok-2", getCreds + " tok-2"}, m.summary()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestIMDSExpirationNotCappedWhenSooner(t *testing.T) {
	t.Parallel()
	m := newFakeIMDS(t)
	m.set(func(m *fakeIMDS) { m.credsBody = strings.Replace(m.credsBody, "18:00:00Z", "12:20:00Z", 1) })
	p := newIMDS(t, m, IMDSConfig{}, func() time.Time { return t0 }, nil)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if !got.Expires.Equal(t0.Add(20 * time.Minute)) {
		t.Errorf("Expires = %v", got.Expires)
	}
}

func TestIMDSFallback(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		putStatus  int
		noFallback bool
		wantErr    string
		// requests of two retrievals
		want []string
	}{
		{name: "403: IMDSv1 from then on", putStatus: 403,
			want: []string{"PUT /latest/api/token ttl=300", getRoles, getCreds, getRoles, getCreds}},
		{name: "404: IMDSv1", putStatus: 404, want: []string{putToken, getRoles, getCreds, getRoles, getCreds}},
		{name: "405: IMDSv1", putStatus: 405, want: []string{putToken, getRoles, getCreds, getRoles, getCreds}},
		{name: "500: this request without a token, the next tries again", putStatus: 500,
			want: []string{putToken, putToken, putToken, getRoles, putToken, putToken, putToken, getCreds,
				putToken, putToken, putToken, getRoles, putToken, putToken, putToken, getCreds}},
		{name: "400: an error", putStatus: 400, wantErr: "get an IMDSv2 token", want: []string{putToken, putToken}},
		{name: "403 without fallback: an error", putStatus: 403, noFallback: true,
			wantErr: "IMDSv1 fallback is disabled", want: []string{putToken, putToken}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newFakeIMDS(t)
			m.set(func(m *fakeIMDS) { m.putStatus, m.requireV2 = tc.putStatus, false })
			p := newIMDS(t, m, IMDSConfig{DisableV1Fallback: tc.noFallback}, nil, nil)
			for range 2 {
				_, err := p.RetrieveAWS(t.Context())
				if tc.wantErr == "" {
					require.NoError(t, err)
				} else if err == nil || !strings.Contains(err.Error(), tc.wantErr) || errors.Is(err, signer.ErrNoCredentials) {
					t.Errorf("err = %v, want %q", err, tc.wantErr)
				}
			}
			if diff := cmp.Diff(tc.want, m.summary()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

// A 401 drops the token and tries once more with a new one, also after a
// fallback to IMDSv1 that the instance does not allow.
func TestIMDS401(t *testing.T) {
	t.Parallel()
	m := newFakeIMDS(t)
	p := newIMDS(t, m, IMDSConfig{}, nil, nil)
	_, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	m.set(func(m *fakeIMDS) { m.revoked = "tok-1" })
	_, err = p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if diff := cmp.Diff([]string{putToken, getRoles + " tok-1", getCreds + " tok-1",
		getRoles + " tok-1", putToken, getRoles + " tok-2", getCreds + " tok-2"}, m.summary()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}

	// Token refused once (IMDSv1), then the instance requires IMDSv2.
	m2 := newFakeIMDS(t)
	m2.set(func(m *fakeIMDS) { m.putStatus = 403 })
	p2 := newIMDS(t, m2, IMDSConfig{}, nil, nil)
	_, err = p2.RetrieveAWS(t.Context()) // the role list gets 401, the token is asked again, still 403
	if err == nil {
		t.Fatal("no error while every path is refused")
	}
	m2.set(func(m *fakeIMDS) { m.putStatus = 0 })
	_, err = p2.RetrieveAWS(t.Context())
	require.NoError(t, err)
}

func TestIMDSNoCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		cfg      IMDSConfig
		change   func(*fakeIMDS)
		wantText string
		wantReqs int
	}{
		{name: "disabled", cfg: IMDSConfig{Disabled: true}, wantText: "disabled (AWS_EC2_METADATA_DISABLED)"},
		{name: "no role attached (404)", change: func(m *fakeIMDS) { m.rolesCode = 404 }, wantText: "list the instance's IAM roles", wantReqs: 2},
		{name: "empty role list", change: func(m *fakeIMDS) { m.role = "" }, wantText: "no IAM role is attached", wantReqs: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newFakeIMDS(t)
			if tc.change != nil {
				m.set(tc.change)
			}
			p := newIMDS(t, m, tc.cfg, nil, nil)
			_, err := p.RetrieveAWS(t.Context())
			if !errors.Is(err, signer.ErrNoCredentials) || !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("err = %v, want ErrNoCredentials and %q", err, tc.wantText)
			}
			if n := len(m.requests()); n != tc.wantReqs {
				t.Errorf("%d requests, want %d", n, tc.wantReqs)
			}
		})
	}
}

// Off EC2 nothing answers: the provider gives up within a few seconds and
// says there are no credentials here.
func TestIMDSUnreachable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	p, err := NewIMDSProvider(IMDSConfig{Endpoint: "http://" + addr, Settings: fast(nil, nil)})
	require.NoError(t, err)
	start := time.Now()
	_, err = p.RetrieveAWS(t.Context())
	var se *transport.SendError
	if !errors.Is(err, signer.ErrNoCredentials) || !errors.As(err, &se) || !strings.Contains(err.Error(), "is this an EC2 instance?") {
		t.Errorf("err = %v, want ErrNoCredentials wrapping a SendError", err)
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("took %v", d)
	}
}

// A server that accepts connections and never answers: the operation
// timeout ends it.
func TestIMDSHangs(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	p, err := NewIMDSProvider(IMDSConfig{Endpoint: "http://" + l.Addr().String(), OperationTimeout: 300 * time.Millisecond,
		Settings: transport.Settings{Retry: transport.RetryPolicy{MaxAttempts: 1}}})
	require.NoError(t, err)
	start := time.Now()
	_, err = p.RetrieveAWS(t.Context())
	if !errors.Is(err, signer.ErrNoCredentials) {
		t.Errorf("err = %v, want ErrNoCredentials", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v, want about the 500 ms header wait or the 300 ms operation timeout per request", d)
	}
}

// TestIMDSFailUnreachable: what fail counts as "not on EC2" (no
// credentials, so a chain moves on) while the caller still waits: a send
// error, a cancelled attempt, and an operation timeout that ran out while
// waiting for another caller's token request; not an answer of the service.
func TestIMDSFailUnreachable(t *testing.T) {
	t.Parallel()
	p := &IMDSProvider{}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		none bool
	}{
		{"send error", context.Background(), &transport.SendError{Err: errors.New("connection refused")}, true},
		{"cancelled attempt", context.Background(), &transport.CanceledError{Err: context.DeadlineExceeded}, true},
		{"operation timeout waiting for the lock", context.Background(), context.DeadlineExceeded, true},
		{"the caller's own context ended", done, context.Canceled, false},
		{"an answer", context.Background(), &transport.ResponseError{StatusCode: 500}, false},
	}
	for _, tt := range tests {
		err := p.fail(tt.ctx, "get a token", tt.err, false)
		if got := errors.Is(err, signer.ErrNoCredentials); got != tt.none {
			t.Errorf("%s: errors.Is(ErrNoCredentials) = %v, want %v (%v)", tt.name, got, tt.none, err)
		}
	}
}

func TestIMDSCredentialErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, body, want string }{
		{"code not success", `{"Code":"AssumeRoleUnauthorizedAccess","Message":"cannot assume role for tok-1"}`,
			`instance metadata answered code "AssumeRoleUnauthorizedAccess": cannot assume role for [redacted]`},
		{"not JSON", `<html>` + stsSecret, "not valid JSON"},
		{"no secret", `{"Code":"Success","AccessKeyId":"A","Expiration":"2025-06-01T13:00:00Z"}`, "no access key id or secret access key"},
		{"no expiration", `{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"` + stsSecret + `"}`, "field Expiration is missing"},
		{"bad expiration", `{"Code":"success","AccessKeyId":"A","SecretAccessKey":"S","Expiration":"` + stsSecret + `"}`, "not an RFC 3339 time"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := newFakeIMDS(t)
			m.set(func(m *fakeIMDS) { m.credsBody = tc.body })
			var logs bytes.Buffer
			p := newIMDS(t, m, IMDSConfig{}, nil, &logs)
			_, err := p.RetrieveAWS(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.Is(err, signer.ErrNoCredentials) {
				t.Fatalf("err = %v, want %q and not ErrNoCredentials", err, tc.want)
			}
			noLeak(t, append(errTexts(err), logs.String()), stsSecret, "tok-1")
		})
	}
}

// The session token is a secret: an error body that quotes it, and the
// debug log with bodies, do not show it.
func TestIMDSTokenNotLeaked(t *testing.T) {
	t.Parallel()
	m := newFakeIMDS(t)
	m.set(func(m *fakeIMDS) { m.revoked, m.echoTokens = "tok-1", true })
	var logs bytes.Buffer
	p := newIMDS(t, m, IMDSConfig{}, nil, &logs)
	// tok-1 and tok-2 are short; make them distinctive first.
	m.set(func(m *fakeIMDS) { m.issued = 1_000_000 })
	m.set(func(m *fakeIMDS) { m.revoked = "tok-1000001" })
	_, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err) // the 401 made it fetch tok-1000002
	if !strings.Contains(logs.String(), "401") {
		t.Fatalf("no 401 logged: %s", logs.String())
	}
	noLeak(t, []string{logs.String()}, "tok-1000001", "tok-1000002", stsSecret)
}

func TestIMDSConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cfg      IMDSConfig
		wantDesc string
		wantErr  bool
	}{
		{IMDSConfig{}, "awscreds.IMDSProvider{Endpoint:http://169.254.169.254}", false},
		{IMDSConfig{EndpointMode: "ipv6"}, "awscreds.IMDSProvider{Endpoint:http://[fd00:ec2::254]}", false},
		{IMDSConfig{EndpointMode: "IPv4"}, "awscreds.IMDSProvider{Endpoint:http://169.254.169.254}", false},
		{IMDSConfig{EndpointMode: "IPv6", Endpoint: "http://[::1]:1338/base"}, "awscreds.IMDSProvider{Endpoint:http://[::1]:1338}", false},
		{IMDSConfig{Disabled: true}, "awscreds.IMDSProvider{Endpoint:http://169.254.169.254 Disabled}", false},
		{IMDSConfig{EndpointMode: "IPv5"}, "", true},
		{IMDSConfig{Endpoint: "169.254.169.254"}, "", true},
	}
	for _, tc := range tests {
		p, err := NewIMDSProvider(tc.cfg)
		if (err != nil) != tc.wantErr {
			t.Errorf("%+v: err = %v", tc.cfg, err)
			continue
		}
		if err == nil && p.String() != tc.wantDesc {
			t.Errorf("String = %q, want %q", p.String(), tc.wantDesc)
		}
		if err != nil && !errors.Is(err, transport.ErrInvalidInput) {
			t.Errorf("err = %v, not invalid input", err)
		}
	}
}

func FuzzDecodeIMDSCredentials(f *testing.F) {
	f.Add([]byte(`{"Code":"Success","AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2025-06-01T18:00:00Z"}`), "tok")
	f.Add([]byte(`{"Code":"Failure","Message":"x tok y"}`), "tok")
	f.Add([]byte(`{"Code":"\u2028\u0085","Message":"\u001b[2J"}`), "")
	f.Add([]byte(`{"Expiration":null}`), "")
	f.Fuzz(func(t *testing.T, b []byte, token string) {
		resp := &transport.Response{StatusCode: 200, Body: b}
		creds, err := decodeIMDSCredentials(resp, token, t0)
		if err != nil {
			msg := err.Error()
			if len(token) >= 8 && strings.Contains(msg, token) {
				t.Errorf("the token shows in %q", msg)
			}
			if len(msg) > 512 || strings.ContainsAny(msg, "\r\n\x1b") {
				t.Errorf("error is not one bounded line: %q", msg)
			}
			return
		}
		if creds.AccessKeyID == "" || creds.SecretAccessKey == "" || creds.Expires.After(t0.Add(time.Hour)) {
			t.Errorf("accepted %+v", creds)
		}
	})
}
