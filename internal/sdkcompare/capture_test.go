package sdkcompare

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go"
	gocmp "github.com/google/go-cmp/cmp"
)

// captured is one request as it would go on the wire.
type captured struct {
	Method   string
	Host     string
	Path     string // escaped, as net/http writes it (URL.EscapedPath)
	RawQuery string
	Header   http.Header
	Body     []byte
	At       time.Time // when it was sent, by the (possibly fake) clock
}

// recorder is an in-memory HTTP client: it records each request and
// answers with a canned response. It serves as detach's transport.Doer,
// aws-sdk-go-v2's HTTPClient and, through roundTrip, as the RoundTripper of
// huaweicloud-sdk-go-v3.
type recorder struct {
	mu      sync.Mutex
	reqs    []captured
	respond func(n int) cannedResponse // n: attempt number from 1
}

// cannedResponse is what the recorder answers.
type cannedResponse struct {
	status int
	header map[string]string
	body   string
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		_ = req.Body.Close()
		body = b
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, captured{
		Method: req.Method, Host: host, Path: req.URL.EscapedPath(), RawQuery: req.URL.RawQuery,
		Header: req.Header.Clone(), Body: body, At: time.Now(),
	})
	n := len(r.reqs)
	r.mu.Unlock()
	c := r.respond(n)
	resp := &http.Response{
		StatusCode:    c.status,
		Status:        strconv.Itoa(c.status) + " " + http.StatusText(c.status),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{},
		Body:          io.NopCloser(strings.NewReader(c.body)),
		ContentLength: int64(len(c.body)),
		Request:       req,
	}
	for k, v := range c.header {
		resp.Header.Set(k, v)
	}
	return resp, nil
}

// RoundTrip lets the recorder stand in for an http.RoundTripper.
func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) { return r.Do(req) }

func (r *recorder) requests() []captured {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]captured(nil), r.reqs...)
}

// always answers every attempt with c.
func always(c cannedResponse) func(int) cannedResponse {
	return func(int) cannedResponse { return c }
}

// jsonDiff compares two bodies as JSON values, so that key order,
// whitespace, a trailing newline and optional escaping ("\u003c" for "<")
// do not count. Two empty bodies are equal.
func jsonDiff(want, got []byte) string {
	if len(bytes.TrimSpace(want)) == 0 && len(bytes.TrimSpace(got)) == 0 {
		return ""
	}
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		return fmt.Sprintf("SDK body is not JSON: %v: %q", err, want)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return fmt.Sprintf("detach body is not JSON: %v: %q", err, got)
	}
	return gocmp.Diff(w, g)
}

// errorFacts is what a caller learns from an operation's error through the
// interfaces aws-sdk-go-v2 users already rely on: smithy.APIError for the
// code and message, ServiceRequestID for the request ID. The same
// extraction is applied to both clients' errors.
type errorFacts struct {
	IsAPIError bool
	Code       string
	Message    string
	RequestID  string
	Attempts   int
}

func factsOf(err error, attempts int) errorFacts {
	f := errorFacts{Attempts: attempts}
	var api smithy.APIError
	if errors.As(err, &api) {
		f.IsAPIError = true
		f.Code = api.ErrorCode()
		f.Message = api.ErrorMessage()
	}
	var rid interface{ ServiceRequestID() string }
	if errors.As(err, &rid) {
		f.RequestID = rid.ServiceRequestID()
	}
	return f
}
