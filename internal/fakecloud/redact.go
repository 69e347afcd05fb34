package fakecloud

import (
	"encoding/json"
	"fmt"
	"log/slog"
)

// The Cloud holds the IAM tokens it issued, which are credentials. Its
// renderings show only its configuration, never its state.

func (c *Cloud) redactedString() string {
	return "fakecloud.Cloud{AWSRegion:" + c.awsRegion + " TokenTTL:" + c.tokenTTL.String() + "}"
}

// String describes the Cloud's configuration; it shows no state.
func (c *Cloud) String() string { return c.redactedString() }

// GoString is String: issued tokens are never rendered.
func (c *Cloud) GoString() string { return c.redactedString() }

// Format writes String for every verb, so that %v, %+v or %d of a Cloud
// cannot print the issued tokens through reflection.
func (c *Cloud) Format(f fmt.State, verb rune) { formatRedacted(f, verb, c.redactedString()) }

// formatRedacted writes s, quoted for %q, whatever the verb: the Format of
// every value that holds secrets, so that no verb reaches its fields.
func formatRedacted(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	f.Write([]byte(s))
}

// LogValue renders the Cloud's configuration for log/slog.
func (c *Cloud) LogValue() slog.Value {
	return slog.GroupValue(slog.String("aws_region", c.awsRegion), slog.Duration("token_ttl", c.tokenTTL))
}

// MarshalJSON encodes the Cloud's configuration only.
func (c *Cloud) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ AWSRegion, TokenTTL string }{c.awsRegion, c.tokenTTL.String()})
}
