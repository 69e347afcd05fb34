package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// Secrets the fakecloud does not know, used for failing logins.
const (
	wrongPassword = "wrong-password-7f3a9c2e5b1d"
	wrongSecret   = "wrong-secret-key-5c1e8a2f9d7b"
	staticToken   = "static-token-value-9e8d7c6b5a4f"
)

// wiretap records every credential that crosses the wire: the signatures,
// tokens and security tokens the client sends and the tokens IAM returns.
// With echo set it also plays a hostile server or proxy that copies each
// request into its answer (see echoBack).
type wiretap struct {
	next   transport.Doer
	echo   bool
	echoes atomic.Int64 // answers rewritten to echo their request

	mu      sync.Mutex
	secrets map[string]string // value → what it is
}

// echoedHeaders are the credential headers echoBack copies.
var echoedHeaders = []string{"X-Auth-Token", "X-Security-Token", "X-Amz-Security-Token", "Authorization"}

func (w *wiretap) Do(req *http.Request) (*http.Response, error) {
	for _, name := range echoedHeaders[:3] {
		w.add(req.Header.Get(name), name)
	}
	if a := req.Header.Get("Authorization"); a != "" {
		if _, sig, ok := strings.Cut(a, "Signature="); ok {
			w.add(sig, "signature")
		}
	}
	var sent []byte
	if w.echo && req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			sent, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	resp, err := w.next.Do(req)
	if resp != nil {
		w.add(resp.Header.Get("X-Subject-Token"), "issued token")
		if w.echo {
			w.echoBack(req, sent, resp)
		}
	}
	return resp, err
}

// echoBack rewrites resp as a server or proxy that copies its request into
// its answer would: every request-ID header holds the credential headers and
// the body the request sent, and so does the body: in its message fields and
// under an extra key when it is a JSON object, appended to it when it is an
// error that is not.
func (w *wiretap) echoBack(req *http.Request, sent []byte, resp *http.Response) {
	var parts []string
	for _, name := range echoedHeaders {
		if v := req.Header.Get(name); v != "" {
			parts = append(parts, v)
		}
	}
	if len(sent) > 0 {
		parts = append(parts, string(sent))
	}
	echo := strings.Join(parts, " ")
	for _, h := range []string{"X-Amzn-RequestId", "X-Amz-Request-Id", "X-Request-Id"} {
		resp.Header.Set(h, echo)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	var doc map[string]any
	switch {
	case json.Unmarshal(body, &doc) == nil && doc != nil:
		for _, k := range []string{"message", "Message", "error_msg", "error_message"} {
			if m, ok := doc[k].(string); ok {
				doc[k] = m + " (request: " + echo + ")"
			}
		}
		if inner, ok := doc["error"].(map[string]any); ok {
			if m, ok := inner["message"].(string); ok {
				inner["message"] = m + " (request: " + echo + ")"
			}
		}
		doc["echo"] = echo
		body, _ = json.Marshal(doc)
	case resp.StatusCode >= 300:
		body = append(body, " (request: "+echo+")"...)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	w.echoes.Add(1)
}

// Format keeps the recorded secrets out of the renderings the test scans:
// the wiretap sits in the options as their HTTPClient.
func (w *wiretap) Format(f fmt.State, _ rune) { io.WriteString(f, "wiretap") }

func (w *wiretap) add(v, what string) {
	if len(v) < 8 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.secrets[v] = what
}

// logRecorder renders every record with slog's text and JSON handlers into
// one buffer, so that LogValuers and attributes are rendered as users see
// them.
type logRecorder struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	records int
	text    slog.Handler
	json    slog.Handler
}

func newLogRecorder() *logRecorder {
	r := &logRecorder{}
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	r.text = slog.NewTextHandler(lockedWriter{r}, opts)
	r.json = slog.NewJSONHandler(lockedWriter{r}, opts)
	return r
}

type lockedWriter struct{ r *logRecorder }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.r.mu.Lock()
	defer w.r.mu.Unlock()
	return w.r.buf.Write(p)
}

type recordingHandler struct {
	r          *logRecorder
	text, json slog.Handler
}

func (h recordingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h recordingHandler) Handle(ctx context.Context, rec slog.Record) error {
	h.r.mu.Lock()
	h.r.records++
	h.r.mu.Unlock()
	if err := h.text.Handle(ctx, rec.Clone()); err != nil {
		return err
	}
	return h.json.Handle(ctx, rec)
}
func (h recordingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return recordingHandler{h.r, h.text.WithAttrs(as), h.json.WithAttrs(as)}
}
func (h recordingHandler) WithGroup(name string) slog.Handler {
	return recordingHandler{h.r, h.text.WithGroup(name), h.json.WithGroup(name)}
}

func (r *logRecorder) logger() *slog.Logger { return slog.New(recordingHandler{r, r.text, r.json}) }

func (r *logRecorder) snapshot() (string, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.buf.String(), r.records
}

// secretEnv is one emulated cloud with recording logger and wire.
type secretEnv struct {
	cloud *fakecloud.Cloud
	srv   *fakecloud.Server
	tap   *wiretap
	logs  *logRecorder
	s     transport.Settings // debug logging with bodies, through the wiretap
}

func newSecretEnv(t *testing.T) *secretEnv {
	e := &secretEnv{cloud: fakecloud.New(), logs: newLogRecorder()}
	e.srv = e.cloud.Start()
	t.Cleanup(e.srv.Close)
	e.tap = &wiretap{next: newHTTPClient(t), secrets: map[string]string{}}
	for _, s := range knownSecrets() {
		e.tap.add(s, "configured secret")
	}
	e.s = transport.Settings{HTTPClient: e.tap, Retry: fastRetry(), AttemptTimeout: 5 * time.Second,
		Logger: e.logs.logger(), LogBodies: true}
	return e
}

// knownSecrets are the secrets the suite configures.
func knownSecrets() []string {
	return []string{fakecloud.AWSSecretKey, fakecloud.AWSTempSecretKey, fakecloud.AWSSessionToken,
		fakecloud.AWSDeniedSecretKey, fakecloud.HuaweiSK, fakecloud.HuaweiTempSK, fakecloud.HuaweiSecurityToken,
		fakecloud.HuaweiNoPermSK, fakecloud.OTCSK, fakecloud.HuaweiPassword, fakecloud.OTCPassword,
		wrongPassword, wrongSecret, staticToken}
}

// secretCase is one operation in one auth mode, succeeding or failing.
type secretCase struct {
	name   string
	op     *operation
	in     any // nil: the operation's input 0
	fail   bool
	echo   bool // answers echo their request (see wiretap.echoBack)
	setup  func(e *secretEnv)
	client func(e *secretEnv) (*opClient, []any, error) // the client and the credential values to render
}

func secretCases() []secretCase {
	awsCase := func(o *operation, name string, fail bool, creds signer.AWSCredentialsProvider, setup func(*secretEnv)) secretCase {
		return secretCase{name: o.label() + " " + name, op: o, fail: fail, setup: setup,
			client: func(e *secretEnv) (*opClient, []any, error) {
				c, err := o.awsClient(e.srv.Endpoint(o.svc), creds, e.s, "reliability")
				return c, []any{creds}, err
			}}
	}
	fault := func(op string) func(*secretEnv) {
		return func(e *secretEnv) { e.cloud.Inject(op, fakecloud.Fault{Kind: fakecloud.ServerError, Count: 3}) }
	}
	var cases []secretCase
	for _, o := range operations() {
		if o.awsClient == nil {
			continue
		}
		long := signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, "")
		temp := signer.StaticAWSCredentials(fakecloud.AWSTempAccessKeyID, fakecloud.AWSTempSecretKey, fakecloud.AWSSessionToken)
		cases = append(cases,
			awsCase(o, "long-term keys", false, long, nil),
			awsCase(o, "temporary keys", false, temp, nil),
			awsCase(o, "temporary keys, 503 storm", true, temp, fault(o.op)),
			awsCase(o, "denied keys", true, signer.StaticAWSCredentials(fakecloud.AWSDeniedAccessKeyID, fakecloud.AWSDeniedSecretKey, ""), nil),
			awsCase(o, "wrong secret key", true, signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, wrongSecret, ""), nil),
			awsCase(o, "session token missing", true, signer.StaticAWSCredentials(fakecloud.AWSTempAccessKeyID, fakecloud.AWSTempSecretKey, ""), nil),
		)
	}

	ic := opIdentityCenter()
	hw := func(ak, sk, st string) signer.HuaweiCredentialsProvider {
		return signer.StaticHuaweiCredentials(signer.HuaweiCredentials{AccessKey: ak, SecretKey: sk, SecurityToken: st})
	}
	icCase := func(name string, fail bool, creds signer.HuaweiCredentialsProvider, domainID string, setup func(*secretEnv)) secretCase {
		return secretCase{name: "identitycenter " + name, op: ic, fail: fail, setup: setup,
			client: func(e *secretEnv) (*opClient, []any, error) {
				c, err := newIdentityCenter(e.srv.Endpoint(fakecloud.IdentityCenter), creds, domainID,
					e.srv.Endpoint(fakecloud.HuaweiIAM), e.s, "reliability")
				return c, []any{creds}, err
			}}
	}
	cases = append(cases,
		icCase("permanent keys", false, hw(fakecloud.HuaweiAK, fakecloud.HuaweiSK, ""), fakecloud.HuaweiDomainID, nil),
		icCase("temporary keys", false, hw(fakecloud.HuaweiTempAK, fakecloud.HuaweiTempSK, fakecloud.HuaweiSecurityToken), fakecloud.HuaweiDomainID, nil),
		icCase("domain ID from IAM", false, hw(fakecloud.HuaweiAK, fakecloud.HuaweiSK, ""), "", nil),
		icCase("domain lookup fails", true, hw(fakecloud.HuaweiTempAK, fakecloud.HuaweiTempSK, fakecloud.HuaweiSecurityToken), "", fault(fakecloud.OpListAuthDomains)),
		icCase("no permission", true, hw(fakecloud.HuaweiNoPermAK, fakecloud.HuaweiNoPermSK, ""), fakecloud.HuaweiDomainID, nil),
		icCase("wrong secret key", true, hw(fakecloud.HuaweiAK, wrongSecret, ""), fakecloud.HuaweiDomainID, nil),
		icCase("temporary keys, 503 storm", true, hw(fakecloud.HuaweiTempAK, fakecloud.HuaweiTempSK, fakecloud.HuaweiSecurityToken), fakecloud.HuaweiDomainID, fault(fakecloud.OpDeleteProfile)),
	)

	dnsCase := func(dns *operation, name string, fail bool, otc bool, mod func(e *secretEnv, o *privatedns.Options) []any, setup func(*secretEnv)) secretCase {
		var in any
		if otc {
			in = otcInput(dns)
		}
		return secretCase{name: dns.label() + " " + name, op: dns, in: in, fail: fail, setup: setup,
			client: func(e *secretEnv) (*opClient, []any, error) {
				o := privatedns.Options{Cloud: privatedns.HuaweiCloud, Region: fakecloud.HuaweiRegion,
					Endpoint: e.srv.Endpoint(fakecloud.HuaweiDNS), IAMEndpoint: e.srv.Endpoint(fakecloud.HuaweiIAM),
					UserAgentApp: "reliability", Settings: e.s}
				if otc {
					o.Cloud, o.Region = privatedns.OpenTelekomCloud, fakecloud.OTCRegion
					o.Endpoint, o.IAMEndpoint = e.srv.Endpoint(fakecloud.OTCDNS), e.srv.Endpoint(fakecloud.OTCIAM)
				}
				shown := mod(e, &o)
				c, err := dns.dnsClient(o)
				return c, shown, err
			}}
	}
	password := func(otc bool, pw string) func(*secretEnv, *privatedns.Options) []any {
		return func(e *secretEnv, o *privatedns.Options) []any {
			cfg := huaweicreds.PasswordConfig{Endpoint: o.IAMEndpoint, Region: o.Region, OTC: otc,
				UserName: fakecloud.HuaweiUserName, Password: pw, DomainName: fakecloud.HuaweiDomainName, Settings: e.s}
			if otc {
				cfg.UserName, cfg.DomainName = fakecloud.OTCUserName, fakecloud.OTCDomainName
			}
			src, err := huaweicreds.NewPasswordTokenSource(cfg)
			if err != nil {
				panic(err)
			}
			o.TokenSource = src
			return []any{cfg, src}
		}
	}
	keys := func(ak, sk, st, project string) func(*secretEnv, *privatedns.Options) []any {
		return func(_ *secretEnv, o *privatedns.Options) []any {
			c := hw(ak, sk, st)
			o.Credentials, o.ProjectID = c, project
			if project == "" {
				privatedns.WithProjectIDFromIAM()(o)
			}
			return []any{c}
		}
	}
	static := func(tok string) func(*secretEnv, *privatedns.Options) []any {
		return func(_ *secretEnv, o *privatedns.Options) []any {
			s := signer.StaticToken(tok)
			o.TokenSource, o.ProjectID = s, fakecloud.HuaweiProjectID
			return []any{s}
		}
	}
	for _, dns := range operations() {
		if dns.dnsClient == nil {
			continue
		}
		cases = append(cases,
			dnsCase(dns, "IAM password token", false, false, password(false, fakecloud.HuaweiPassword), nil),
			dnsCase(dns, "IAM password token, OTC", false, true, password(true, fakecloud.OTCPassword), nil),
			dnsCase(dns, "wrong password", true, false, password(false, wrongPassword), nil),
			dnsCase(dns, "IAM password token, 503 storm", true, false, password(false, fakecloud.HuaweiPassword), fault(dns.op)),
			dnsCase(dns, "IAM fails", true, false, password(false, fakecloud.HuaweiPassword), fault(fakecloud.OpCreateToken)),
			dnsCase(dns, "unknown static token", true, false, static(staticToken), nil),
			dnsCase(dns, "permanent keys with project ID", false, false, keys(fakecloud.HuaweiAK, fakecloud.HuaweiSK, "", fakecloud.HuaweiProjectID), nil),
			dnsCase(dns, "temporary keys, project ID from IAM", false, false, keys(fakecloud.HuaweiTempAK, fakecloud.HuaweiTempSK, fakecloud.HuaweiSecurityToken, ""), nil),
			dnsCase(dns, "OTC keys", false, true, keys(fakecloud.OTCAK, fakecloud.OTCSK, "", fakecloud.OTCProjectID), nil),
			dnsCase(dns, "no permission", true, false, keys(fakecloud.HuaweiNoPermAK, fakecloud.HuaweiNoPermSK, "", fakecloud.HuaweiProjectID), nil),
			dnsCase(dns, "wrong secret key", true, false, keys(fakecloud.HuaweiAK, wrongSecret, "", fakecloud.HuaweiProjectID), nil),
			dnsCase(dns, "project lookup fails", true, false, keys(fakecloud.HuaweiTempAK, fakecloud.HuaweiTempSK, fakecloud.HuaweiSecurityToken, ""), fault(fakecloud.OpListProjects)),
		)
	}
	// Every run again through a server that echoes each request's
	// credentials and body (the IAM password included) into the request ID
	// and the body of its answer.
	for _, tc := range cases {
		tc.name += ", answers echo the request"
		tc.echo = true
		cases = append(cases, tc)
	}
	return cases
}

// otcInput is o's input for the seeded resources of Open Telekom Cloud.
func otcInput(o *operation) any {
	switch o.op {
	case fakecloud.OpShowPrivateZone:
		return &privatedns.ShowPrivateZoneInput{ZoneID: fakecloud.OTCZoneID}
	case fakecloud.OpAssociateRouter:
		return &privatedns.AssociateRouterInput{ZoneID: fakecloud.OTCZoneID, RouterID: assocVPCID}
	}
	return &privatedns.DisassociateRouterInput{ZoneID: fakecloud.OTCZoneID, RouterID: fakecloud.OTCVPCID}
}

// renderings are the fmt verbs and encoders a caller might print a value with.
func renderings(v any) []string {
	out := make([]string, 0, 12)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X"} {
		out = append(out, fmt.Sprintf(verb, v))
	}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, string(b))
	}
	var b bytes.Buffer
	slog.New(slog.NewTextHandler(&b, nil)).Info("value", "v", v)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("value", "v", v)
	return append(out, b.String())
}

// TestNoSecretLeaks runs every operation in every auth mode, succeeding and
// failing, with debug logging and body logging on, and scans every log
// record, every rendering of every error (and of the errors it wraps), and
// every rendering of the options, clients, credentials and token sources for
// every secret configured or seen on the wire, with and without a server that
// echoes every request into its answers.
func TestNoSecretLeaks(t *testing.T) {
	t.Parallel()
	for _, tc := range secretCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newSecretEnv(t)
			e.tap.echo = tc.echo
			if tc.setup != nil {
				tc.setup(e)
			}
			c, shown, err := tc.client(e)
			if err != nil {
				t.Fatalf("new client: %v", err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			in := tc.in
			if in == nil {
				in = tc.op.input(0)
			}
			_, meta, err := c.call(ctx, in)
			if (err != nil) != tc.fail {
				t.Fatalf("error = %v, want failure %v", err, tc.fail)
			}
			if tc.echo && e.tap.echoes.Load() == 0 {
				t.Fatalf("no answer echoed its request")
			}
			got := classify(t, meta, err)

			var texts []string
			for e := error(err); e != nil; e = unwrapOne(e) {
				texts = append(texts, renderings(e)...)
			}
			var re *transport.ResponseError
			if errors.As(err, &re) {
				texts = append(texts, renderings(re.Header())...)
			}
			for _, v := range append(shown, c.shown...) {
				texts = append(texts, renderings(v)...)
			}
			logs, records := e.logs.snapshot()
			if records == 0 {
				t.Errorf("no log records: debug logging is not reaching the recorder")
			}
			texts = append(texts, logs)

			e.tap.mu.Lock()
			secrets := make(map[string]string, len(e.tap.secrets))
			for k, v := range e.tap.secrets {
				secrets[k] = v
			}
			e.tap.mu.Unlock()
			leaks := 0
			for s, what := range secrets {
				for _, text := range texts {
					if strings.Contains(text, s) {
						leaks++
						t.Errorf("%s %q appears in %.300q", what, s, text)
						break
					}
				}
			}
			t.Logf("outcome %s; scanned %d log records and %d renderings for %d secrets", got.Kind, records, len(texts), len(secrets))
			figures.loss("secrets found in logs, errors or renderings", leaks)
			figures.calls("auth-mode runs scanned for secrets", 1)
			kind := map[bool]string{false: "runs that succeed", true: "runs that fail"}[tc.fail]
			if tc.echo {
				kind += ", answers echoed"
			}
			figures.fault("4 secret scans (every auth mode)", kind, tc.op.col)
		})
	}
}

// unwrapOne follows the first error an error wraps.
func unwrapOne(err error) error {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return u.Unwrap()
	case interface{ Unwrap() []error }:
		if es := u.Unwrap(); len(es) > 0 {
			return es[len(es)-1]
		}
	}
	return nil
}
