package signer

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// renderEveryWay renders v as a program might: every fmt verb, JSON, and
// slog's JSON and text handlers.
func renderEveryWay(v any) []string {
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%X", "%T"} {
		outs = append(outs, fmt.Sprintf(verb, v))
	}
	if js, err := json.Marshal(v); err == nil {
		outs = append(outs, string(js))
	}
	var sb strings.Builder
	slog.New(slog.NewJSONHandler(&sb, nil)).Info("m", "v", v)
	slog.New(slog.NewTextHandler(&sb, nil)).Info("m", "v", v)
	return append(outs, sb.String())
}

// TestAWSCredentialsRedacted renders credentials every way a program might
// and checks that neither secret appears, directly, through a pointer, or
// nested in other values.
func TestAWSCredentialsRedacted(t *testing.T) {
	t.Parallel()
	c := AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, SessionToken: v4TestToken,
		Expires: v4T0, Source: "environment"}
	type wrapper struct {
		Creds    AWSCredentials
		Ptr      *AWSCredentials
		Provider AWSCredentialsProvider
		Any      any
	}
	values := map[string]any{
		"value":   c,
		"pointer": &c,
		"nested":  wrapper{Creds: c, Ptr: &c, Provider: StaticAWSCredentials(v4TestAK, v4TestSecret, v4TestToken), Any: c},
		"slice":   []AWSCredentials{c},
		"static":  StaticAWSCredentials(v4TestAK, v4TestSecret, v4TestToken),
		"chain":   AWSCredentialsChain(StaticAWSCredentials(v4TestAK, v4TestSecret, v4TestToken)),
		"sigv4":   &SigV4{Credentials: StaticAWSCredentials(v4TestAK, v4TestSecret, v4TestToken), Service: "s", Region: "r"},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, out := range renderEveryWay(v) {
				v4AssertNoSecret(t, out, nil)
			}
		})
	}
}

func TestAWSCredentialsRenderings(t *testing.T) {
	t.Parallel()
	c := AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, SessionToken: v4TestToken, Source: "environment"}
	noToken := AWSCredentials{AccessKeyID: v4TestAK, SecretAccessKey: v4TestSecret, Expires: v4T0, Source: "static"}
	tests := []struct{ name, got, want string }{
		{"String", c.String(), "{AccessKeyID:AKIDEXAMPLE SecretAccessKey:[redacted] SessionToken:[redacted] Source:environment}"},
		{"%v", fmt.Sprintf("%v", c), c.String()},
		{"%#v", fmt.Sprintf("%#v", c), `signer.AWSCredentials{AccessKeyID:"AKIDEXAMPLE", SecretAccessKey:"[redacted]", SessionToken:"[redacted]", Source:"environment"}`},
		{"%q", fmt.Sprintf("%q", c), fmt.Sprintf("%q", c.String())},
		{"no token, expires", noToken.String(), "{AccessKeyID:AKIDEXAMPLE SecretAccessKey:[redacted] SessionToken: Expires:2015-08-30T12:36:00Z Source:static}"},
		{"json", v4MustJSON(t, c), `{"AccessKeyID":"AKIDEXAMPLE","SecretAccessKey":"[redacted]","SessionToken":"[redacted]","Source":"environment"}`},
		{"json expires", v4MustJSON(t, noToken), `{"AccessKeyID":"AKIDEXAMPLE","SecretAccessKey":"[redacted]","Expires":"2015-08-30T12:36:00Z","Source":"static"}`},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, tc.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func v4MustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestAWSCredentialsExpired(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		expires time.Time
		now     time.Time
		want    bool
	}{
		{"never", time.Time{}, v4T0.AddDate(100, 0, 0), false},
		{"before", v4T0, v4T0.Add(-time.Nanosecond), false},
		{"at", v4T0, v4T0, true},
		{"after", v4T0, v4T0.Add(time.Second), true},
	}
	for _, tc := range tests {
		c := AWSCredentials{Expires: tc.expires}
		if got := c.Expired(tc.now); got != tc.want {
			t.Errorf("%s: Expired = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestStaticAWSCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		ak, sk, tok  string
		want         AWSCredentials
		wantErr      string
		wantNotFound bool
	}{
		{name: "ok", ak: "AK", sk: "SK", tok: "TOK", want: AWSCredentials{AccessKeyID: "AK", SecretAccessKey: "SK", SessionToken: "TOK", Source: "static"}},
		{name: "empty", wantErr: "static credentials: access key id and secret access key are empty", wantNotFound: true},
		{name: "no access key", sk: "SK", wantErr: "static credentials: access key id is empty"},
		{name: "no secret", ak: "AK", wantErr: "static credentials: secret access key is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := StaticAWSCredentials(tc.ak, tc.sk, tc.tok).RetrieveAWS(context.Background())
			if tc.wantErr == "" {
				require.NoError(t, err)
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("credentials (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if errors.Is(err, ErrNoCredentials) != tc.wantNotFound {
				t.Errorf("errors.Is(err, ErrNoCredentials) = %v, want %v", !tc.wantNotFound, tc.wantNotFound)
			}
		})
	}
}

func TestAWSCredentialsChain(t *testing.T) {
	t.Parallel()
	none := func(src string) AWSCredentialsProvider {
		return v4FakeProvider{err: &awsSourceError{source: src, reason: "none here", err: ErrNoCredentials}}
	}
	found := func(src string) AWSCredentialsProvider {
		return v4FakeProvider{creds: AWSCredentials{AccessKeyID: "AK-" + src, SecretAccessKey: "SK", Source: src}}
	}
	broken := v4FakeProvider{err: &awsSourceError{source: "file", reason: "line 3: expected \"[name]\" or \"key = value\""}}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name         string
		ctx          context.Context
		chain        AWSCredentialsProvider
		wantSource   string
		wantErr      string
		wantNotFound bool
		wantIs       error
	}{
		{name: "first wins", chain: AWSCredentialsChain(found("a"), found("b")), wantSource: "a"},
		{name: "skips none found", chain: AWSCredentialsChain(none("env"), nil, found("file")), wantSource: "file"},
		{
			name: "all none", chain: AWSCredentialsChain(none("env"), none("file")),
			wantErr: "no aws credentials found: env: none here; file: none here", wantNotFound: true,
		},
		{
			name: "misconfiguration stops the chain", chain: AWSCredentialsChain(none("env"), broken, found("later")),
			wantErr: `aws credentials: env: none here; file: line 3: expected "[name]" or "key = value"`,
		},
		{name: "empty", chain: AWSCredentialsChain(), wantErr: "aws credentials chain is empty: no credentials found", wantNotFound: true},
		{name: "only nil", chain: AWSCredentialsChain(nil), wantErr: "aws credentials chain is empty: no credentials found", wantNotFound: true},
		{
			name: "context canceled", ctx: canceled, chain: AWSCredentialsChain(found("a")),
			wantErr: "aws credentials: context canceled", wantIs: context.Canceled,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			got, err := tc.chain.RetrieveAWS(ctx)
			if tc.wantErr == "" {
				require.NoError(t, err)
				if diff := cmp.Diff(tc.wantSource, got.Source); diff != "" {
					t.Errorf("source (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("error = %v, want %q", err, tc.wantErr)
			}
			if errors.Is(err, ErrNoCredentials) != tc.wantNotFound {
				t.Errorf("errors.Is(err, ErrNoCredentials) = %v, want %v", !tc.wantNotFound, tc.wantNotFound)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error %v does not wrap %v", err, tc.wantIs)
			}
		})
	}
}

func TestAWSProviderStrings(t *testing.T) {
	t.Parallel()
	chain := AWSCredentialsChain(AWSCredentialsFromEnv(), AWSSharedCredentials("/f", "p"), v4FakeProvider{})
	want := "AWSCredentialsChain(AWSCredentialsFromEnv, AWSSharedCredentials(/f [p]), signer.v4FakeProvider)"
	if diff := cmp.Diff(want, fmt.Sprint(chain)); diff != "" {
		t.Errorf("chain (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("AWSSharedCredentials((default file) [(default profile)])", fmt.Sprint(AWSSharedCredentials("", ""))); diff != "" {
		t.Errorf("shared (-want +got):\n%s", diff)
	}
}

// v4AssertNoSecret fails if s contains the test secret, the session token or
// the request's signature.
func v4AssertNoSecret(t *testing.T, s string, req *http.Request) {
	t.Helper()
	secrets := []string{v4TestSecret, v4TestToken}
	if req != nil {
		if _, sig, ok := strings.Cut(req.Header.Get("Authorization"), "Signature="); ok && sig != "" {
			secrets = append(secrets, sig)
		}
	}
	for _, secret := range secrets {
		// Also in hex, as %x of a raw field would print it.
		hexed := hex.EncodeToString([]byte(secret))
		if strings.Contains(s, secret) || strings.Contains(strings.ToLower(s), hexed) {
			t.Errorf("%q contains a secret", s)
		}
	}
}
