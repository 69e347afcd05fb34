package fakecloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// recordedHeaders are the request headers a [CredentialRequest] keeps: the
// ones that carry identity or decide how the body is read. Others (User-Agent,
// Amz-Sdk-Invocation-Id, ...) differ between clients for no reason that
// matters to a credential source.
var recordedHeaders = []string{
	"Authorization",
	"X-Amz-Security-Token",
	"X-Amz-Date",
	"X-Amz-Sso_bearer_token",
	"X-Aws-Ec2-Metadata-Token",
	"X-Aws-Ec2-Metadata-Token-Ttl-Seconds",
	"Content-Type",
	"Accept",
}

// CredentialRequest is one request a credential host received, as the host
// read it, whatever the answer was (faulted, refused or served). Tests
// compare the requests two clients send for the same scenario.
//
// It holds the secrets the client sent (tokens, the signature): its
// String, Format and LogValue show only the host, operation, method and
// path. Compare records with go-cmp or read the fields.
type CredentialRequest struct {
	Host Host
	// Op is the operation the request was routed to, "" when it named none.
	Op     string
	Method string
	// Path is the escaped path; Query the decoded query string.
	Path  string
	Query url.Values
	// Form holds the fields of an application/x-www-form-urlencoded body
	// (STS); JSON the members of a JSON object body (SSO OIDC). Both are nil
	// for other bodies.
	Form url.Values
	JSON map[string]any
	// Header holds the identity headers the request carried (Authorization,
	// X-Amz-Security-Token, X-Amz-Date, X-Amz-Sso_bearer_token,
	// X-Aws-Ec2-Metadata-Token, X-Aws-Ec2-Metadata-Token-Ttl-Seconds,
	// Content-Type, Accept), in canonical form.
	Header http.Header
	// SignedBy, SigningRegion and SigningService are read from a SigV4
	// Authorization header's credential scope (not verified here), empty
	// for an unsigned request.
	SignedBy, SigningRegion, SigningService string
	// Time is the emulator clock when the request arrived.
	Time time.Time
}

func (r CredentialRequest) redactedString() string {
	return "fakecloud.CredentialRequest{" + string(r.Host) + " " + r.Op + " " + r.Method + " " + r.Path + "}"
}

// String shows the host, operation, method and path only.
func (r CredentialRequest) String() string { return r.redactedString() }

// GoString is String.
func (r CredentialRequest) GoString() string { return r.redactedString() }

// Format writes String for every verb, so that %v or %+v cannot print the
// tokens the request carried.
func (r CredentialRequest) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, r.redactedString())
}

// LogValue renders the request without its secrets.
func (r CredentialRequest) LogValue() slog.Value {
	return slog.GroupValue(slog.String("host", string(r.Host)), slog.String("op", r.Op),
		slog.String("method", r.Method), slog.String("path", r.Path))
}

// record appends k's request to the Cloud's credential requests. c.mu must
// be held.
func (c *Cloud) record(k *call) {
	rec := CredentialRequest{
		Host: k.host, Op: k.op, Method: k.r.Method, Path: k.r.URL.EscapedPath(),
		Query: k.r.URL.Query(), Header: http.Header{}, Time: k.now,
	}
	for _, name := range recordedHeaders {
		if v := k.r.Header.Values(name); len(v) > 0 {
			rec.Header[http.CanonicalHeaderKey(name)] = append([]string(nil), v...)
		}
	}
	rec.SignedBy, rec.SigningRegion, rec.SigningService = sigV4Scope(k.r.Header.Get("Authorization"))
	mt, _, _ := mime.ParseMediaType(k.r.Header.Get("Content-Type"))
	switch {
	case mt == "application/x-www-form-urlencoded":
		if f, err := url.ParseQuery(string(k.body)); err == nil {
			rec.Form = f
		}
	case len(bytes.TrimSpace(k.body)) > 0 && (mt == "application/json" || strings.HasSuffix(mt, "+json")):
		var m map[string]any
		if json.Unmarshal(k.body, &m) == nil {
			rec.JSON = m
		}
	}
	c.credRequests = append(c.credRequests, rec)
}

// sigV4Scope reads the access key ID, region and service from a SigV4
// Authorization header ("AWS4-HMAC-SHA256 Credential=AKID/date/region/
// service/aws4_request, ..."). It returns empty strings for anything else.
func sigV4Scope(auth string) (keyID, region, service string) {
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return "", "", ""
	}
	for part := range strings.SplitSeq(rest, ",") {
		scope, ok := strings.CutPrefix(strings.TrimSpace(part), "Credential=")
		if !ok {
			continue
		}
		f := strings.Split(scope, "/")
		if len(f) != 5 {
			return "", "", ""
		}
		return f[0], f[2], f[3]
	}
	return "", "", ""
}

// CredentialRequests returns a copy of the requests the credential hosts
// received since New, Reset or ClearCredentialRequests, in arrival order.
func (c *Cloud) CredentialRequests() []CredentialRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]CredentialRequest, len(c.credRequests))
	copy(out, c.credRequests)
	return out
}

// ClearCredentialRequests forgets the recorded credential requests and
// changes nothing else, so that a test can run a second client against
// the same state.
func (c *Cloud) ClearCredentialRequests() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.credRequests = nil
}
