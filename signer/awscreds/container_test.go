package awscreds

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const containerToken = "container-AUTH-token-0123456789"

func containerOK(w http.ResponseWriter, _ *http.Request, _ string) {
	respond(w, 200, "application/json", `{"AccessKeyId":"`+stsAK+`","SecretAccessKey":"`+stsSecret+`","Token":"`+stsToken+
		`","AccountId":"123456789012","Expiration":"2025-06-01T13:00:00Z"}`)
}

var wantContainerCreds = signer.AWSCredentials{AccessKeyID: stsAK, SecretAccessKey: stsSecret, SessionToken: stsToken,
	Expires: time.Date(2025, 6, 1, 13, 0, 0, 0, time.UTC), Source: SourceContainer}

func TestContainerFullURI(t *testing.T) {
	t.Parallel()
	srv := newFake(t, containerOK)
	file := filepath.Join(t.TempDir(), "token")
	writeToken(t, file, containerToken)
	p, err := NewContainerProvider(ContainerConfig{FullURI: srv.URL + "/v1/credentials?x=1", AuthorizationToken: "ignored-when-a-file-is-set",
		AuthorizationTokenFile: file, Settings: fast(nil, nil)})
	require.NoError(t, err)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if diff := cmp.Diff(wantContainerCreds, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	// EKS Pod Identity rotates the token file: it is read at every call.
	writeToken(t, file, "rotated-token")
	_, err = p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 2)
	for i, want := range []string{containerToken, "rotated-token"} {
		r := reqs[i]
		got := map[string]string{"method": r.Method, "path": r.Path, "query": r.Query,
			"accept": r.Header.Get("Accept"), "authorization": r.Header.Get("Authorization")}
		if diff := cmp.Diff(map[string]string{"method": "GET", "path": "/v1/credentials", "query": "x=1",
			"accept": "application/json", "authorization": want}, got); diff != "" {
			t.Errorf("request %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestContainerNoTokenNoExpiry(t *testing.T) {
	t.Parallel()
	srv := newFake(t, func(w http.ResponseWriter, _ *http.Request, _ string) {
		respond(w, 200, "application/json", `{"AccessKeyId":"AK","SecretAccessKey":"SK"}`)
	})
	p, err := NewContainerProvider(ContainerConfig{FullURI: srv.URL, Settings: fast(nil, nil)})
	require.NoError(t, err)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if !got.Expires.IsZero() || srv.requests()[0].Header.Get("Authorization") != "" || srv.requests()[0].Path != "/" {
		t.Errorf("got %v, request %+v: want no expiry, no Authorization, path /", got, srv.requests()[0])
	}
}

// doerFunc answers in memory, for the addresses a test cannot listen on.
type doerFunc func(*http.Request) (*http.Response, error)

func (f doerFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

func TestContainerRelativeURI(t *testing.T) {
	t.Parallel()
	var gotURL string
	doer := doerFunc(func(r *http.Request) (*http.Response, error) {
		gotURL = r.URL.String()
		body := `{"AccessKeyId":"AK","SecretAccessKey":"SK"}`
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
	})
	p, err := NewContainerProvider(ContainerConfig{RelativeURI: "/v2/credentials/3f0b-uuid", FullURI: "http://10.0.0.1/ignored",
		Settings: transport.Settings{HTTPClient: doer}})
	require.NoError(t, err)
	_, err = p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if gotURL != "http://169.254.170.2/v2/credentials/3f0b-uuid" {
		t.Errorf("URL = %q", gotURL)
	}
	if p.String() != "awscreds.ContainerProvider{URL:http://169.254.170.2/v2/credentials/3f0b-uuid}" {
		t.Errorf("String = %q", p.String())
	}
}

func TestContainerHostRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		uri     string
		allowed bool
	}{
		{"http://127.0.0.1:8080/creds", true},
		{"http://127.5.6.7/creds", true},
		{"http://[::1]/creds", true},
		{"http://169.254.170.2/creds", true},
		{"http://169.254.170.23/v1/credentials", true},
		{"http://[fd00:ec2::23]/v1/credentials", true},
		{"http://[::ffff:127.0.0.1]/creds", true},
		{"https://creds.example.com/x", true},
		{"https://10.0.0.1/x", true},
		{"http://10.0.0.1/creds", false},
		{"http://169.254.169.254/latest", false},
		{"http://192.168.1.1/creds", false},
		{"http://[fd00:ec2::254]/creds", false},
		{"ftp://127.0.0.1/creds", false},
		{"http:///creds", false},
		{"http://user:pw@127.0.0.1/creds", false},
		{"127.0.0.1/creds", false},
	}
	for _, tc := range tests {
		_, err := NewContainerProvider(ContainerConfig{FullURI: tc.uri})
		if (err == nil) != tc.allowed {
			t.Errorf("%s: err = %v, want allowed=%t", tc.uri, err, tc.allowed)
		}
		if err != nil && !errors.Is(err, transport.ErrInvalidInput) {
			t.Errorf("%s: err = %v, not invalid input", tc.uri, err)
		}
	}
	if _, err := NewContainerProvider(ContainerConfig{RelativeURI: "v2/x"}); !errors.Is(err, transport.ErrInvalidInput) {
		t.Errorf("relative URI without /: %v", err)
	}
	if _, err := NewContainerProvider(ContainerConfig{}); !errors.Is(err, signer.ErrNoCredentials) {
		t.Errorf("neither URI: %v, want ErrNoCredentials", err)
	}
}

// A host name is resolved at every call, and every address must be allowed.
func TestContainerHostNameResolved(t *testing.T) {
	t.Parallel()
	srv := newFake(t, containerOK)
	port := srv.URL[strings.LastIndexByte(srv.URL, ':'):]
	answers := map[string][]string{"localhost": {"127.0.0.1", "::1"}, "mixed": {"127.0.0.1", "10.1.2.3"}, "garbage": {"not-an-ip"}}
	for host, wantOK := range map[string]bool{"localhost": true, "mixed": false, "garbage": false, "unknown": false} {
		p, err := NewContainerProvider(ContainerConfig{FullURI: "http://" + host + port + "/creds", Settings: fast(nil, nil)})
		require.NoError(t, err)
		p.lookupHost = func(_ context.Context, h string) ([]string, error) {
			if a, ok := answers[h]; ok {
				return a, nil
			}
			return nil, errors.New("no such host")
		}
		// Dial the test server whatever the host name.
		p.client, err = newClient(SourceContainer, containerService, "http://127.0.0.1"+port, anonymous{}, fast(nil, nil))
		require.NoError(t, err)
		_, err = p.RetrieveAWS(t.Context())
		if (err == nil) != wantOK {
			t.Errorf("%s: err = %v, want ok=%t", host, err, wantOK)
		}
	}
	if n := len(srv.requests()); n != 1 {
		t.Errorf("%d requests, want 1 (only localhost passes)", n)
	}
}

func TestContainerErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	newline := filepath.Join(dir, "newline")
	writeToken(t, newline, containerToken+"\n")
	tests := []struct {
		name      string
		cfg       ContainerConfig
		answer    func(http.ResponseWriter, *http.Request, string)
		wantText  string
		wantAs    any
		wantTries int
	}{
		{name: "token file missing", cfg: ContainerConfig{AuthorizationTokenFile: filepath.Join(dir, "none")},
			wantText: "read the authorization token file", wantAs: new(*fs.PathError)},
		{name: "token file ends with a newline", cfg: ContainerConfig{AuthorizationTokenFile: newline},
			wantText: "must not contain CR or LF", wantAs: new(*transport.ValidationError)},
		{name: "JSON error", answer: func(w http.ResponseWriter, r *http.Request, _ string) {
			respond(w, 400, "application/json", `{"code":"InvalidToken","message":"token `+r.Header.Get("Authorization")+` rejected"}`)
		}, wantText: "InvalidToken: token [redacted] rejected", wantAs: new(*transport.ResponseError), wantTries: 1},
		{name: "throttled, retried", answer: func(w http.ResponseWriter, _ *http.Request, _ string) {
			respond(w, 429, "text/plain", "slow down")
		}, wantText: "http status 429", wantAs: new(*transport.ResponseError), wantTries: 3},
		{name: "text error echoing the token", answer: func(w http.ResponseWriter, r *http.Request, _ string) {
			w.Header().Set("X-Amzn-RequestId", r.Header.Get("Authorization"))
			respond(w, 500, "text/plain", "internal error for "+r.Header.Get("Authorization"))
		}, wantText: "http status 500", wantAs: new(*transport.ResponseError), wantTries: 3},
		{name: "not credentials", answer: func(w http.ResponseWriter, _ *http.Request, _ string) {
			respond(w, 200, "application/json", `{"SecretAccessKey":"`+stsSecret+`"}`)
		}, wantText: "no access key id", wantAs: new(*transport.DecodeError), wantTries: 1},
		{name: "bad expiration", answer: func(w http.ResponseWriter, _ *http.Request, _ string) {
			respond(w, 200, "application/json", `{"AccessKeyId":"A","SecretAccessKey":"`+stsSecret+`","Expiration":"tomorrow"}`)
		}, wantText: "field Expiration is not an RFC 3339 time", wantAs: new(*transport.DecodeError), wantTries: 1},
		{name: "too large", answer: func(w http.ResponseWriter, _ *http.Request, _ string) {
			respond(w, 200, "application/json", `{"AccessKeyId":"`+strings.Repeat("A", 2<<20)+`"}`)
		}, wantText: "response body exceeds the size limit", wantAs: new(*transport.DecodeError), wantTries: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			answer := tc.answer
			if answer == nil {
				answer = containerOK
			}
			srv := newFake(t, answer)
			var logs bytes.Buffer
			cfg := tc.cfg
			cfg.FullURI, cfg.Settings = srv.URL+"/creds", fast(nil, &logs)
			if cfg.AuthorizationTokenFile == "" {
				cfg.AuthorizationToken = containerToken
			}
			p, err := NewContainerProvider(cfg)
			require.NoError(t, err)
			_, err = p.RetrieveAWS(t.Context())
			if err == nil || !strings.Contains(err.Error(), tc.wantText) || !strings.HasPrefix(err.Error(), "CredentialsEndpointProvider: ") {
				t.Fatalf("err = %v, want %q", err, tc.wantText)
			}
			if !errors.As(err, tc.wantAs) {
				t.Errorf("errors.As(%T) = false", tc.wantAs)
			}
			if n := len(srv.requests()); n != tc.wantTries {
				t.Errorf("%d requests, want %d", n, tc.wantTries)
			}
			texts := append(errTexts(err), logs.String())
			var re *transport.ResponseError
			if errors.As(err, &re) {
				texts = append(texts, re.RequestID, re.Message, re.Snippet)
			}
			noLeak(t, texts, containerToken, stsSecret)
		})
	}
	if _, err := NewContainerProvider(ContainerConfig{FullURI: "http://127.0.0.1/x", AuthorizationToken: "a\r\nX-Injected: 1"}); !errors.Is(err, transport.ErrInvalidInput) {
		t.Errorf("CR/LF in the token: %v", err)
	}
}

func FuzzDecodeContainerCredentials(f *testing.F) {
	f.Add([]byte(`{"AccessKeyId":"A","SecretAccessKey":"S","Token":"T","Expiration":"2025-06-01T13:00:00Z"}`))
	f.Add([]byte(`{"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"2025-06-01T13:00:00.5+02:00"}`))
	f.Add([]byte(`{"code":"x","message":"y"}`))
	f.Add([]byte(`{"AccessKeyId":1}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		resp := &transport.Response{StatusCode: 200, Body: b}
		creds, err := decodeContainerCredentials(resp)
		if err != nil {
			var de *transport.DecodeError
			if !errors.As(err, &de) || de.Snippet != "" {
				t.Errorf("err = %#v, want a DecodeError without a snippet", err)
			}
			if len(b) >= 16 && strings.Contains(err.Error(), string(b)) {
				t.Errorf("the error quotes the body")
			}
			return
		}
		if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
			t.Errorf("accepted %+v", creds)
		}
	})
}
