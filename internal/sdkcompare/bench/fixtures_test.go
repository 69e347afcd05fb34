package bench

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// Fake keys and IDs. Nothing here reaches a real cloud.
const (
	awsRegion    = "us-east-1"
	awsAccessKey = "AKIDEXAMPLEBENCH0001"
	awsSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

	hwRegion    = "cn-north-4"
	hwAccessKey = "HPUAEXAMPLEBENCH0001"
	hwSecretKey = "SKEXAMPLEbench0000000000000000000000000"
	hwProjectID = "0123456789abcdef0123456789abcdef"
	hwDomainID  = "fedcba9876543210fedcba9876543210"
	hwToken     = "MIIEXAMPLEtoken+/bench=="

	r53pProfileID  = "rp-4987774726example"
	r53pResourceID = "vpc-0af3b96b3example"

	cpDomain    = "ExampleDomain"
	cpType      = "CTR"
	cpProfileID = "db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60"
	cpKey       = "MTIzNDU2Nzg5MA=="

	icInstanceID = "ins-2c1e0123456789ab"
	icAppID      = "app-ins-0123456789abcdef"
	icProfileID  = "a3e2b2c1-0d9e-4f7a-8b6c-5d4e3f2a1b0c"

	dnsZoneID   = "ff8080825b8fc86c015b94bc6f8712c3"
	dnsRouterID = "f0791650-db8c-4a20-8a44-a06c6e24b15b"
)

// op is one operation as the service sees it: the request a correct client
// sends (method, escaped path, body) and the service's success answer.
type op struct {
	name     string // the op= key of the benchmark names
	endpoint string // the real service's base URL, used in memory
	method   string
	path     string
	reqBody  string // the JSON body a correct client sends; "" for none
	status   int
	statusLn string      // "202 Accepted"
	header   http.Header // the answer's headers; shared, never written
	body     []byte      // the answer's body
}

// answerDate is the Date of the canned answers: now, since aws-sdk-go-v2
// corrects its signing clock by the Date the service sends.
func answerDate() string { return time.Now().UTC().Format(http.TimeFormat) }

func awsAnswerHeader(body string) http.Header {
	return http.Header{
		"Content-Type":     {"application/json"},
		"Content-Length":   {strconv.Itoa(len(body))},
		"Date":             {answerDate()},
		"X-Amzn-Requestid": {"7f6c3a52-0d4e-4c8e-9a1b-2f3e4d5c6b7a"},
	}
}

func huaweiAnswerHeader(body string) http.Header {
	h := http.Header{
		"Content-Length": {strconv.Itoa(len(body))},
		"Date":           {answerDate()},
		"X-Request-Id":   {"4d3c2b1a0f9e8d7c6b5a4d3c2b1a0f9e"},
	}
	if body != "" {
		h["Content-Type"] = []string{"application/json"}
	}
	return h
}

const (
	r53pAnswer = `{"ProfileAssociation":{"CreationTime":1.735787045123E9,"Id":"rpassoc-489ce212fexample",` +
		`"ModificationTime":1.735787046456E9,"Name":"test-association","OwnerId":"123456789012",` +
		`"ProfileId":"rp-4987774726example","ResourceId":"vpc-0af3b96b3example","Status":"DELETING",` +
		`"StatusMessage":"Deleting the Profile to VPC association"}}`
	cpAnswer  = `{"Message":"Profile object deleted."}`
	dnsAnswer = `{"router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"cn-north-4","status":"PENDING_DELETE"}`
	dnsBody   = `{"router":{"router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"cn-north-4"}}`
	cpBody    = `{"ObjectTypeName":"CTR","ProfileId":"db3c2f1b4a5e4c8d9f0a1b2c3d4e5f60","ProfileObjectUniqueKey":"MTIzNDU2Nzg5MA=="}`
)

// The operation names, in the order the benchmarks run them.
const (
	opR53P     = "route53profiles"
	opCP       = "customerprofiles"
	opIC       = "identitycenter"
	opDNSToken = "privatedns-token"
	opDNSAKSK  = "privatedns-aksk"
)

var opNames = []string{opR53P, opCP, opIC, opDNSToken, opDNSAKSK}

// newOp returns the fixture of the operation name. Each call builds fresh
// values, so no benchmark shares state with another.
func newOp(tb testing.TB, name string) *op {
	tb.Helper()
	o := opFixture(name)
	if o == nil {
		tb.Fatalf("unknown operation %q", name)
	}
	o.statusLn = strconv.Itoa(o.status) + " " + http.StatusText(o.status)
	return o
}

func opFixture(name string) *op {
	switch name {
	case opR53P:
		return &op{name: name, endpoint: "https://route53profiles.us-east-1.amazonaws.com",
			method: http.MethodDelete, path: "/profileassociation/Profileid/" + r53pProfileID + "/resourceid/" + r53pResourceID,
			status: http.StatusOK, header: awsAnswerHeader(r53pAnswer), body: []byte(r53pAnswer)}
	case opCP:
		return &op{name: name, endpoint: "https://profile.us-east-1.amazonaws.com",
			method: http.MethodPost, path: "/domains/" + cpDomain + "/profiles/objects/delete", reqBody: cpBody,
			status: http.StatusOK, header: awsAnswerHeader(cpAnswer), body: []byte(cpAnswer)}
	case opIC:
		return &op{name: name, endpoint: "https://identitycenter.myhuaweicloud.com",
			method: http.MethodDelete,
			path:   "/v1/instances/" + icInstanceID + "/application-instances/" + icAppID + "/profiles/" + icProfileID,
			status: http.StatusOK, header: huaweiAnswerHeader(""), body: nil}
	case opDNSToken, opDNSAKSK:
		return &op{name: name, endpoint: "https://dns.cn-north-4.myhuaweicloud.com",
			method: http.MethodPost, path: "/v2/zones/" + dnsZoneID + "/disassociaterouter", reqBody: dnsBody,
			status: http.StatusAccepted, header: huaweiAnswerHeader(dnsAnswer), body: []byte(dnsAnswer)}
	}
	return nil
}

// matches reports whether r is the operation's request line. The benchmark
// transports check it on every call, so a client that sent something else
// fails its benchmark instead of being timed.
func (o *op) matches(r *http.Request) bool {
	return r.Method == o.method && r.URL.EscapedPath() == o.path
}

const mismatchAnswer = `{"message":"not the request this benchmark expects"}`

// memoryTransport answers every request with the operation's canned
// response, without a network. It reads and closes the request body, as a
// real transport does, and allocates one object per call, so nearly all
// that a benchmark over it measures is the client's own work.
type memoryTransport struct{ op *op }

type cannedBody struct{ bytes.Reader }

func (*cannedBody) Close() error { return nil }

// cannedResponse holds a response and its body in one allocation.
type cannedResponse struct {
	resp http.Response
	body cannedBody
}

func (t memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, err := io.Copy(io.Discard, r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	c := new(cannedResponse)
	status, line, header, body := t.op.status, t.op.statusLn, t.op.header, t.op.body
	if !t.op.matches(r) {
		status, line = http.StatusBadRequest, "400 Bad Request"
		header, body = http.Header{"Content-Type": {"application/json"}}, []byte(mismatchAnswer)
	}
	c.body.Reset(body)
	c.resp = http.Response{
		Status:        line,
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          &c.body,
		ContentLength: int64(len(body)),
		Request:       r,
	}
	return &c.resp, nil
}

// newServer starts a loopback server that answers like the service: the
// operation's status, headers and body for its request, 400 for any other.
func newServer(o *op) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if !o.matches(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, mismatchAnswer)
			return
		}
		h := w.Header()
		for k, v := range o.header {
			if k != "Date" {
				h[k] = v
			}
		}
		w.WriteHeader(o.status)
		_, _ = w.Write(o.body)
	}))
}

// loopbackTransport is the transport every client gets over loopback:
// net/http's defaults, with enough idle connections per host for
// b.RunParallel (net/http keeps 2; detach's default client keeps 64).
func loopbackTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// target is where a client sends: the base URL, the *http.Client that raw
// net/http, detach and aws-sdk-go-v2 are given, and the RoundTripper that
// huaweicloud-sdk-go-v3 wraps in its own http.Client.
type target struct {
	endpoint string
	client   *http.Client
	rt       http.RoundTripper
}

// Network settings.
const (
	netMemory   = "memory"
	netLoopback = "loopback"
)

// newTarget sets up the operation's service in the given network setting;
// the cleanup stops the server and closes idle connections.
func newTarget(tb testing.TB, o *op, network string) target {
	tb.Helper()
	if network == netMemory {
		rt := memoryTransport{op: o}
		return target{endpoint: o.endpoint, client: &http.Client{Transport: rt}, rt: rt}
	}
	srv := newServer(o)
	tr := loopbackTransport()
	tb.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return target{endpoint: srv.URL, client: &http.Client{Transport: tr}, rt: tr}
}
