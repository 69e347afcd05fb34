package fakecloud

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// serviceRecordedHeaders are the request headers a [ServiceRequest] keeps:
// the ones that carry identity, scope or signing time, or decide how the
// body is read. Others (User-Agent, X-Sdk-Request-Id, ...) differ between
// clients for no reason that matters to a credential source.
var serviceRecordedHeaders = []string{
	"Authorization",
	"Content-Type",
	"X-Auth-Token",
	"X-Subject-Token",
	"X-Security-Token",
	"X-Project-Id",
	"X-Domain-Id",
	"X-Sdk-Date",
	"X-Idp-Id",
	"X-Metadata-Token",
	"X-Metadata-Token-Ttl-Seconds",
	"X-Amz-Date",
	"X-Amz-Security-Token",
}

// maxServiceRequests bounds the record: past it the oldest requests are
// dropped.
const maxServiceRequests = 10000

// ServiceRequest is one request a service of the Cloud received, as the
// service read it, whatever the answer was (faulted, refused or served).
// Tests compare the requests two clients send for the same scenario.
//
// It holds the secrets the client sent (tokens, passwords, ID tokens,
// signatures): its String, Format and LogValue show only the service,
// operation, method and path. Compare records with go-cmp or read the
// fields.
type ServiceRequest struct {
	Service Service
	// Op is the operation the request was routed to, "" when it named
	// none of the service's.
	Op     string
	Method string
	// Path is the escaped path after the service prefix (the whole path
	// for a service served at the root of its server, [Cloud.StartAt]);
	// Query the decoded query string.
	Path  string
	Query url.Values
	// Header holds the identity headers the request carried
	// (Authorization, Content-Type, X-Auth-Token, X-Subject-Token,
	// X-Security-Token, X-Project-Id, X-Domain-Id, X-Sdk-Date, X-Idp-Id,
	// X-Metadata-Token, X-Metadata-Token-Ttl-Seconds, X-Amz-Date,
	// X-Amz-Security-Token), in canonical form.
	Header http.Header
	// JSON holds the members of a JSON object body, nil for other bodies.
	JSON map[string]any
	// AccessKey is the access key an AK/SK signature names (Huawei's
	// "Access=" form, the OTC and SigV4 "Credential=" forms; not verified
	// here), empty for a request without one.
	AccessKey string
	// Time is the emulator clock when the request arrived.
	Time time.Time
}

func (r ServiceRequest) redactedString() string {
	return "fakecloud.ServiceRequest{" + string(r.Service) + " " + r.Op + " " + r.Method + " " + r.Path + "}"
}

// String shows the service, operation, method and path only.
func (r ServiceRequest) String() string { return r.redactedString() }

// GoString is String.
func (r ServiceRequest) GoString() string { return r.redactedString() }

// Format writes String for every verb, so that %v or %+v cannot print the
// secrets the request carried.
func (r ServiceRequest) Format(f fmt.State, verb rune) { writeRedacted(f, verb, r.redactedString()) }

// LogValue renders the request without its secrets.
func (r ServiceRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("service", string(r.Service)), slog.String("op", r.Op),
		slog.String("method", r.Method), slog.String("path", r.Path))
}

// recordServiceRequest appends k's request, its body read, to the record.
func (c *Cloud) recordServiceRequest(k *call) {
	path := k.r.URL.EscapedPath()
	rec := ServiceRequest{
		Service: k.svc, Op: k.op, Method: k.r.Method,
		Path: strings.TrimPrefix(path, string(k.svc)), Query: k.r.URL.Query(),
		Header: http.Header{}, AccessKey: signingAccessKey(k.r.Header.Get("Authorization")), Time: k.now,
	}
	if !strings.HasPrefix(path, string(k.svc)) {
		rec.Path = path
	}
	for _, name := range serviceRecordedHeaders {
		if v := k.r.Header.Values(name); len(v) > 0 {
			rec.Header[name] = append([]string(nil), v...)
		}
	}
	var m map[string]any
	if json.Unmarshal(k.body, &m) == nil {
		rec.JSON = m
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.svcRequests) >= maxServiceRequests {
		c.svcRequests = append(c.svcRequests[:0], c.svcRequests[1:]...)
	}
	c.svcRequests = append(c.svcRequests, rec)
}

// signingAccessKey reads the access key from an AK/SK Authorization header:
// "SDK-HMAC-SHA256 Access=AK, ..." (huaweicloud-sdk-go-v3),
// "SDK-HMAC-SHA256 Credential=AK/..." (gophertelekomcloud) or
// "AWS4-HMAC-SHA256 Credential=AK/...". It returns "" for anything else.
func signingAccessKey(auth string) string {
	_, params, ok := strings.Cut(auth, " ")
	if !ok {
		return ""
	}
	for part := range strings.SplitSeq(params, ",") {
		part = strings.TrimSpace(part)
		if v, ok := strings.CutPrefix(part, "Access="); ok {
			return v
		}
		if v, ok := strings.CutPrefix(part, "Credential="); ok {
			ak, _, _ := strings.Cut(v, "/")
			return ak
		}
	}
	return ""
}

// ServiceRequests returns a copy of the requests the Cloud's services
// received (through [Cloud.ServeHTTP], a [Server] or a [LocalDoer]; a path
// under no service's prefix is not recorded) since
// New, Reset or ClearServiceRequests, in arrival order; at most the last
// 10000.
func (c *Cloud) ServiceRequests() []ServiceRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]ServiceRequest, len(c.svcRequests))
	copy(out, c.svcRequests)
	return out
}

// ClearServiceRequests forgets the recorded requests and changes nothing
// else, so that a test can run a second client against the same state.
func (c *Cloud) ClearServiceRequests() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.svcRequests = nil
}
