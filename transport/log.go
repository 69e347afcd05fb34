package transport

import (
	"context"
	"log/slog"
	"net/url"
	"reflect"
	"strings"
	"time"
)

const maxLoggedBody = 4 << 10

// Logger receives detach's Debug records. *slog.Logger satisfies it, and so
// does any logger with the same DebugContext method: args are alternating
// keys and values, as slog takes them, and the two header groups are
// slog.Values (groups), which print as text through their String method.
//
// It is an interface rather than *slog.Logger because calling a
// *slog.Logger links slog's handlers and encoders into every program, about
// 80 KB, even one that never sets a logger; through an interface they come
// only with the logger a program gives. A logger that also has slog's
// Enabled method is asked first, so a filtered-out Debug level costs
// nothing. A nil pointer, func, map, slice or channel counts as no logger;
// a struct value whose methods panic (one embedding a nil *slog.Logger, say)
// is the caller's to avoid.
type Logger interface {
	DebugContext(ctx context.Context, msg string, args ...any)
}

// levelEnabler is the method of *slog.Logger (and slog.Handler) that says
// whether a record at a level would be kept.
type levelEnabler interface {
	Enabled(ctx context.Context, level slog.Level) bool
}

// debugLogger returns the logger to write to, or nil when there is none or it
// drops Debug records. A typed nil, such as a nil *slog.Logger put in
// Settings, counts as none: its methods would panic.
func debugLogger(ctx context.Context, l Logger) Logger {
	if l == nil {
		return nil
	}
	switch v := reflect.ValueOf(l); v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Slice, reflect.Chan:
		if v.IsNil() {
			return nil
		}
	}
	if e, ok := l.(levelEnabler); ok && !e.Enabled(ctx, slog.LevelDebug) {
		return nil
	}
	return l
}

// log writes the one Debug record of an attempt. Nothing is built unless the
// logger wants Debug records, so a silent client pays nothing.
func (c *Client) log(ctx context.Context, set *Settings, op string, req *Request, u *url.URL, attempt int, a *attemptResult, wait time.Duration) {
	l := debugLogger(ctx, set.Logger)
	if l == nil {
		return
	}
	args := make([]any, 0, 40)
	args = append(args,
		"service", c.service.ID,
		"operation", op,
		"method", req.Method,
		"host", u.Host,
		"path", u.EscapedPath(),
		"attempt", attempt,
	)
	status := 0
	if a.httpResp != nil {
		status = a.httpResp.StatusCode
	}
	args = append(args, "status", status)
	// Every secret the attempt sent, scrubbed from every field taken from
	// the response and from the logged request headers and body.
	var secrets []string
	if a.httpReq != nil {
		secrets = appendSecrets(nil, a.httpReq.Header, req.Secrets)
	}
	if a.httpResp != nil {
		args = append(args, "request_id", scrub(c.requestID(a.httpResp.Header), secrets))
	}
	args = append(args, "duration", a.duration)
	if wait > 0 {
		args = append(args, "wait", wait)
	}
	if set.Limiter != nil {
		args = append(args, "paced", a.paced, "rate", set.Limiter.Rate())
	}
	if a.err != nil {
		args = append(args, "error", a.err.Error(), "retryable", a.retryable)
	}
	if a.httpReq != nil {
		args = append(args, "request_headers", loggedHeaders(a.httpReq.Header, secrets))
	}
	if a.httpResp != nil {
		args = append(args, "response_headers", loggedHeaders(a.httpResp.Header, secrets))
	}
	if set.LogBodies {
		if req.SensitiveBody {
			args = append(args, "request_body", Redacted)
		} else if len(req.Body) > 0 {
			args = append(args, "request_body", loggedBody(req.Body, secrets))
		}
		if req.SensitiveResponse && len(a.body) > 0 && a.err == nil {
			args = append(args, "response_body", Redacted)
		} else if len(a.body) > 0 {
			args = append(args, "response_body", loggedBody(a.body, secrets))
		}
	}
	l.DebugContext(ctx, "detach attempt", args...)
}

// loggedBody renders a body for a log record: the secrets are replaced
// before it is cut to maxLoggedBody, so that no part of one that straddles
// the cut survives.
func loggedBody(b []byte, secrets []string) string {
	s := scrub(string(b), secrets)
	if len(s) <= maxLoggedBody {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ToValidUTF8(s[:maxLoggedBody], "\uFFFD") + "...(truncated)"
}
