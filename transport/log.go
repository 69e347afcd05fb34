package transport

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

const maxLoggedBody = 4 << 10

// log writes the one Debug record of an attempt. Nothing is built unless the
// logger wants Debug records, so a silent client pays nothing.
func (c *Client) log(ctx context.Context, set *Settings, op string, req *Request, u *url.URL, attempt int, a *attemptResult, wait time.Duration) {
	l := set.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 16)
	attrs = append(attrs,
		slog.String("service", c.service.ID),
		slog.String("operation", op),
		slog.String("method", req.Method),
		slog.String("host", u.Host),
		slog.String("path", u.EscapedPath()),
		slog.Int("attempt", attempt),
	)
	status := 0
	if a.httpResp != nil {
		status = a.httpResp.StatusCode
	}
	attrs = append(attrs, slog.Int("status", status))
	if a.httpResp != nil {
		attrs = append(attrs, slog.String("request_id", c.requestID(a.httpResp.Header)))
	}
	attrs = append(attrs, slog.Duration("duration", a.duration))
	if wait > 0 {
		attrs = append(attrs, slog.Duration("wait", wait))
	}
	if set.Limiter != nil {
		attrs = append(attrs, slog.Duration("paced", a.paced), slog.Float64("rate", set.Limiter.Rate()))
	}
	if a.err != nil {
		attrs = append(attrs, slog.String("error", a.err.Error()))
		attrs = append(attrs, slog.Bool("retryable", a.retryable))
	}
	var secrets []string
	if a.httpReq != nil {
		secrets = sentSecrets(a.httpReq.Header)
		attrs = append(attrs, slog.Attr{Key: "request_headers", Value: headerLogValue(a.httpReq.Header, secrets)})
	}
	if a.httpResp != nil {
		attrs = append(attrs, slog.Attr{Key: "response_headers", Value: headerLogValue(a.httpResp.Header, secrets)})
	}
	if set.LogBodies {
		if req.SensitiveBody {
			attrs = append(attrs, slog.String("request_body", Redacted))
		} else if len(req.Body) > 0 {
			attrs = append(attrs, slog.String("request_body", loggedBody(req.Body)))
		}
		if len(a.body) > 0 {
			attrs = append(attrs, slog.String("response_body", scrub(loggedBody(a.body), secrets)))
		}
	}
	l.LogAttrs(ctx, slog.LevelDebug, "detach attempt", attrs...)
}

func loggedBody(b []byte) string {
	if len(b) <= maxLoggedBody {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(b[:maxLoggedBody]), "\uFFFD") + "...(truncated)"
}
