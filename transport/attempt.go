package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// ErrResponseTooLarge is the cause of a DecodeError for a success body over
// the client's MaxResponseBytes.
var ErrResponseTooLarge = errors.New("response body exceeds the size limit")

// attemptResult is one attempt's outcome.
type attemptResult struct {
	resp      *Response
	err       error
	retryable bool
	httpReq   *http.Request
	httpResp  *http.Response // headers only; the body is already closed
	body      []byte
	duration  time.Duration
	paced     time.Duration // waited for the limiter before sending
	notSent   bool          // the context ended while waiting for the limiter
}

func (c *Client) attempt(ctx context.Context, op string, req *Request, u *url.URL, hash string, set *Settings) (a attemptResult) {
	if l := set.Limiter; l != nil {
		var err error
		if a.paced, err = l.Wait(ctx); err != nil {
			a.notSent = true
			a.err = err
			return a
		}
	}
	hr := c.newHTTPRequest(ctx, req, u)
	a.httpReq = hr
	now := set.Now().Add(time.Duration(c.skew.Load()))
	// Credentials may take a token fetch: the call's context bounds it, the
	// attempt timeout only bounds the exchange with the service.
	if err := c.auth.Authorize(ctx, hr, hash, now); err != nil {
		a.err = &AuthError{Err: err}
		return a
	}
	if set.AttemptTimeout > 0 {
		actx, cancel := context.WithTimeout(ctx, set.AttemptTimeout)
		defer cancel()
		hr = hr.WithContext(actx)
	}

	start := time.Now()
	resp, err := set.HTTPClient.Do(hr)
	// What a server or proxy may echo back, to scrub from whatever the
	// response tells.
	var buf [8]string
	secrets := appendSecrets(buf[:0], hr.Header, req.Secrets)
	if err != nil {
		a.duration = time.Since(start)
		a.err = &SendError{Err: scrubError(err, secrets)}
		a.retryable = retryableSendError(ctx, err)
		return a
	}
	a.httpResp = resp
	status := resp.StatusCode
	ok := status >= 200 && status < 300
	limit := int64(maxErrorBodyBytes)
	if ok {
		limit = set.MaxResponseBytes
	}
	body, tooLarge, err := readLimited(resp.Body, resp.ContentLength, limit, !ok)
	closeBody(resp.Body)
	a.duration = time.Since(start)
	a.body = body
	if err != nil {
		// Reset mid-body, or the attempt timed out while reading.
		a.err = &SendError{Err: scrubError(err, secrets)}
		a.retryable = retryableSendError(ctx, err)
		return a
	}

	if ok {
		if tooLarge {
			a.err = &DecodeError{StatusCode: status, RequestID: scrub(c.requestID(resp.Header), secrets), Err: ErrResponseTooLarge}
			return a
		}
		if set.Limiter != nil {
			set.Limiter.observe(false)
		}
		if !req.SensitiveResponse {
			// A credential answer is left whole: it may rightly hold what
			// was sent (an SSO refresh token that was not rotated).
			body = scrubBody(body, secrets)
			a.body = body
		}
		a.resp = &Response{StatusCode: status, Header: resp.Header, Body: body,
			Metadata: Metadata{RequestID: scrub(c.requestID(resp.Header), secrets), StatusCode: status},
			sent:     hr.Header, secrets: req.Secrets}
		return a
	}
	re := c.responseError(resp, body, set.Now(), secrets)
	a.err = re
	a.retryable = re.Kind.Retryable()
	if set.Limiter != nil {
		set.Limiter.observe(re.Kind == KindThrottled)
	}
	return a
}

func (c *Client) newHTTPRequest(ctx context.Context, req *Request, u *url.URL) *http.Request {
	h := make(http.Header, 6+len(req.Header))
	for k, v := range req.Header {
		h[k] = append([]string(nil), v...)
	}
	h["User-Agent"] = c.userAgent
	if req.ContentType != "" {
		h["Content-Type"] = []string{req.ContentType}
	}
	hr := &http.Request{
		Method:     req.Method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     h,
		Host:       u.Host,
	}
	if body := req.Body; len(body) > 0 {
		hr.ContentLength = int64(len(body))
		// io.NopCloser around a *bytes.Reader, not a type of our own:
		// net/http recognises it as a body in memory and writes the headers
		// and the body together; any other reader costs a separate write
		// (about 10 µs per call over loopback).
		hr.Body = io.NopCloser(bytes.NewReader(body))
		hr.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	} else if req.Method == http.MethodPost || req.Method == http.MethodPut || req.Method == http.MethodPatch {
		hr.Body = http.NoBody
		hr.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
	}
	return hr.WithContext(ctx)
}

// retryableSendError decides whether a failure to get a response is worth
// another attempt. Classified by type, never by message.
func retryableSendError(parent context.Context, err error) bool {
	if parent.Err() != nil {
		return false // the caller gave up; an attempt timeout is retried
	}
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		ierr x509.CertificateInvalidError
		rerr tls.RecordHeaderError
		derr *net.DNSError
	)
	switch {
	case errors.As(err, &verr), errors.As(err, &uerr), errors.As(err, &herr), errors.As(err, &ierr):
		return false // retrying cannot make an untrusted certificate trusted
	case errors.As(err, &rerr):
		return false // not TLS at all: plain http spoken to an https endpoint or the reverse
	case errors.As(err, &derr) && derr.IsNotFound:
		return false // the host does not exist, as aws-sdk-go-v2 decides
	}
	return true
}

// readLimited reads at most limit bytes. tooLarge reports a body over the
// limit: with keepPrefix (error bodies, decoded as far as they go) its first
// limit bytes are returned, otherwise it is left unread.
func readLimited(r io.Reader, contentLength, limit int64, keepPrefix bool) (body []byte, tooLarge bool, err error) {
	if contentLength > limit && !keepPrefix {
		return nil, true, nil
	}
	if contentLength == 0 {
		return nil, false, nil
	}
	if contentLength > 0 && contentLength <= limit {
		body = make([]byte, contentLength)
		if _, err := io.ReadFull(r, body); err != nil {
			return nil, false, err
		}
		return body, false, nil
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, false, err
	}
	if n > limit {
		if keepPrefix {
			return buf.Bytes()[:limit], true, nil
		}
		return nil, true, nil
	}
	return buf.Bytes(), false, nil
}

// closeBody releases a response body. A body read to its end lets net/http
// reuse the connection: its reader reports EOF together with the last byte
// of a Content-Length body, and ReadFrom reads a chunked one to EOF. An
// unread oversized body is closed at once, which costs the connection but
// not the memory.
func closeBody(body io.ReadCloser) { body.Close() }

// responseError turns a non-2xx response into a ResponseError. secrets
// (from appendSecrets) are what the request sent: every string the error
// keeps is scrubbed of them, in case a server or proxy echoed one back.
func (c *Client) responseError(resp *http.Response, body []byte, now time.Time, secrets []string) *ResponseError {
	var f errorFields
	switch {
	case c.service.DecodeError != nil:
		f.code, f.message, f.requestID = c.service.DecodeError(resp.Header, body)
	case c.service.Protocol.decode != nil:
		f = c.service.Protocol.decode(resp.Header, body)
	}
	re := &ResponseError{
		StatusCode:                  resp.StatusCode,
		Code:                        scrub(f.code, secrets),
		Message:                     scrub(f.message, secrets),
		RequestID:                   scrub(f.requestID, secrets),
		EncodedAuthorizationMessage: scrub(f.encodedAuth, secrets),
		header:                      redactHeaderOf(resp.Header, secrets),
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		// Never followed; the Location is not echoed into the error.
		re.Message = "redirect not followed"
		return re
	}
	// Classified by the code as sent: one that held a secret is no code
	// the service documents anyway.
	re.Kind = c.service.Classify(resp.StatusCode, f.code)
	if re.Code == "" {
		// Scrubbed before it is cut, so that no part of a secret that
		// straddles the cut survives.
		re.Snippet = snippet(body, secrets)
	}
	if v := resp.Header.Get("Retry-After"); v != "" {
		// An HTTP-date is the server's clock: measure it against the
		// server's Date when there is one, so our clock's skew is left out.
		if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
			now = d
		}
		re.RetryAfter = ParseRetryAfter(v, now)
	}
	return re
}

// requestID reads the request ID where the service's protocol puts it.
func (c *Client) requestID(h http.Header) string { return c.service.Protocol.requestID(h) }
