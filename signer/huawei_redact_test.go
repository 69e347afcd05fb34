package signer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestHuaweiRedaction renders every Huawei/token type that holds a secret in
// every way a caller might, and checks that no secret appears.
func TestHuaweiRedaction(t *testing.T) {
	t.Parallel()
	const (
		sk       = "SECRET-SK-123"
		secToken = "SECURITY-TOKEN-456"
		authTok  = "AUTH-TOKEN-789"
		password = "PASSWORD-012"
	)
	secrets := []string{sk, secToken, authTok, password}
	creds := HuaweiCredentials{AccessKey: "AKVISIBLE", SecretKey: sk, SecurityToken: secToken, ProjectID: "p1", Source: "test"}
	cached := NewCachedTokenSource(func(context.Context) (Token, error) {
		return Token{Value: authTok, ExpiresAt: time.Now().Add(time.Hour)}, nil
	})
	_, err := cached.Token(t.Context())
	require.NoError(t, err)
	env := OpenStackEnvironment{Username: "alice", Password: password, AuthToken: authTok, AccessKey: "AKVISIBLE", SecretKey: sk}
	envToken, err := env.Token()
	require.NoError(t, err)

	values := map[string]struct {
		v       any
		visible string // a non-secret part that must still show in %v
	}{
		"HuaweiCredentials":         {creds, "AKVISIBLE"},
		"*HuaweiCredentials":        {&creds, "AKVISIBLE"},
		"static provider":           {StaticHuaweiCredentials(creds), "AKVISIBLE"},
		"HuaweiAKSK":                {HuaweiAKSK{Credentials: StaticHuaweiCredentials(creds)}, "HuaweiAKSK"},
		"*HuaweiAKSK":               {&HuaweiAKSK{Credentials: StaticHuaweiCredentials(creds)}, "HuaweiAKSK"},
		"Token":                     {Token{Value: authTok, ExpiresAt: hwTestTime}, "2025-01-02T03:04:05Z"},
		"StaticToken":               {StaticToken(authTok), "StaticToken"},
		"*CachedTokenSource":        {cached, "RefreshBefore"},
		"TokenAuth static":          {TokenAuth{Source: StaticToken(authTok), ProjectID: "p1"}, "p1"},
		"*TokenAuth cached":         {&TokenAuth{Source: cached, ProjectID: "p1"}, "p1"},
		"struct holding everything": {struct{ C, T, S, A any }{creds, Token{Value: authTok}, cached, &TokenAuth{Source: StaticToken(authTok)}}, "AKVISIBLE"},
		"slice":                     {[]any{creds, Token{Value: authTok}}, "AKVISIBLE"},
		"OpenStackEnvironment":      {env, "Username:alice"},
		"OS_AUTH_TOKEN source":      {envToken, "StaticToken"},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%d", "%q", "%x", "%X", "%10.3v"}
	for name, tc := range values {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var outs []string
			for _, verb := range verbs {
				outs = append(outs, verb+" => "+fmt.Sprintf(verb, tc.v))
			}
			if !strings.Contains(outs[0], tc.visible) {
				t.Errorf("%%v = %s, want it to show %q", outs[0], tc.visible)
			}
			if s, ok := tc.v.(fmt.Stringer); ok {
				outs = append(outs, "String => "+s.String())
			}
			if s, ok := tc.v.(fmt.GoStringer); ok {
				outs = append(outs, "GoString => "+s.GoString())
			}
			js, err := json.Marshal(tc.v)
			require.NoError(t, err)
			outs = append(outs, "json => "+string(js))
			for _, h := range []func(*bytes.Buffer) slog.Handler{
				func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
				func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			} {
				var buf bytes.Buffer
				slog.New(h(&buf)).Info("msg", "value", tc.v, slog.Group("g", "nested", tc.v))
				outs = append(outs, "slog => "+buf.String())
			}
			for _, out := range outs {
				for _, s := range secrets {
					if strings.Contains(out, s) {
						t.Errorf("secret %q leaked: %s", s, out)
					}
				}
			}
		})
	}
}
