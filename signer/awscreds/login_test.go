package awscreds

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const (
	loginRefresh    = "login-REFRESH-token-0123456789"
	loginNewRefresh = "login-NEW-refresh-token-0123456789"
)

func newDPoPKey(t *testing.T) (*ecdsa.PrivateKey, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	return key, string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// pkcs8DPoPKey is a P-256 key in PKCS #8 form, which aws-sdk-go-v2's
// x509.ParseECPrivateKey refuses.
func pkcs8DPoPKey(t *testing.T) string {
	t.Helper()
	key, _ := newDPoPKey(t)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func loginMembers(pemKey string, expiresAt time.Time) map[string]any {
	return map[string]any{
		"accessToken": map[string]any{"accessKeyId": "AKOLD", "secretAccessKey": "old-SECRET", "sessionToken": "old-TOKEN",
			"accountId": "123456789012", "expiresAt": expiresAt.Format(time.RFC3339), "extra": "kept"},
		"tokenType": "aws_sigv4", "refreshToken": loginRefresh, "identityToken": "id", "clientId": "arn:aws:signin:::devtools/same-device",
		"dpopKey": pemKey, "unknownTop": 7.0,
	}
}

func loginFile(t *testing.T, members map[string]any) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "session.json")
	b, err := json.Marshal(members)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))
	return path
}

func signinOK(w http.ResponseWriter, _ *http.Request, _ string) {
	respond(w, 200, "application/json", `{"accessToken":{"accessKeyId":"`+stsAK+`","secretAccessKey":"`+stsSecret+
		`","sessionToken":"`+stsToken+`"},"expiresIn":900,"refreshToken":"`+loginNewRefresh+`","tokenType":"aws_sigv4","idToken":"id2"}`)
}

func TestLoginCachedKeys(t *testing.T) {
	t.Parallel()
	_, pemKey := newDPoPKey(t)
	srv := newFake(t, signinOK)
	p, err := NewLoginProvider(LoginConfig{TokenFile: loginFile(t, loginMembers(pemKey, t0.Add(time.Minute))), Region: "us-east-1",
		Endpoint: srv.URL, Settings: fast(func() time.Time { return t0 }, nil)})
	require.NoError(t, err)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	want := signer.AWSCredentials{AccessKeyID: "AKOLD", SecretAccessKey: "old-SECRET", SessionToken: "old-TOKEN",
		Expires: t0.Add(time.Minute), Source: SourceLogin}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(srv.requests()) != 0 {
		t.Error("refreshed keys that had not expired")
	}
}

func TestLoginRefresh(t *testing.T) {
	t.Parallel()
	key, pemKey := newDPoPKey(t)
	srv := newFake(t, signinOK)
	file := loginFile(t, loginMembers(pemKey, t0))
	require.NoError(t, os.Chmod(file, 0o640))
	p, err := NewLoginProvider(LoginConfig{TokenFile: file, Region: "us-east-1", Endpoint: srv.URL,
		Settings: fast(func() time.Time { return t0 }, nil)})
	require.NoError(t, err)
	got, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	want := signer.AWSCredentials{AccessKeyID: stsAK, SecretAccessKey: stsSecret, SessionToken: stsToken,
		Expires: t0.Add(15 * time.Minute), Source: SourceLogin}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}

	reqs := srv.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	var body map[string]string
	require.NoError(t, json.Unmarshal([]byte(r.Body), &body))
	if diff := cmp.Diff(map[string]string{"clientId": "arn:aws:signin:::devtools/same-device", "grantType": "refresh_token",
		"refreshToken": loginRefresh}, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if r.Method != "POST" || r.Path != "/v1/token" || r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Authorization") != "" {
		t.Errorf("request %s %s %q %q", r.Method, r.Path, r.Header.Get("Content-Type"), r.Header.Get("Authorization"))
	}
	checkDPoP(t, r.Header.Get("DPoP"), &key.PublicKey, srv.URL+"/v1/token")

	// Written back: new keys and refresh token, other members kept.
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	var written map[string]any
	require.NoError(t, json.Unmarshal(raw, &written))
	wantFile := loginMembers(pemKey, t0)
	wantFile["accessToken"] = map[string]any{"accessKeyId": stsAK, "secretAccessKey": stsSecret, "sessionToken": stsToken,
		"accountId": "123456789012", "expiresAt": "2025-06-01T12:15:00Z", "extra": "kept"}
	wantFile["refreshToken"] = loginNewRefresh
	if diff := cmp.Diff(wantFile, written); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
	if info, _ := os.Stat(file); info.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want 0640 kept", info.Mode().Perm())
	}
}

// checkDPoP verifies a proof as the service would.
func checkDPoP(t *testing.T, proof string, pub *ecdsa.PublicKey, htu string) {
	t.Helper()
	parts := strings.Split(proof, ".")
	require.Len(t, parts, 3, "a compact JWS")
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		require.NoError(t, err)
		return b
	}
	var header struct {
		Typ, Alg string
		JWK      struct{ Kty, X, Y, Crv string }
	}
	hb := dec(parts[0])
	require.NoError(t, json.Unmarshal(hb, &header))
	if !strings.Contains(string(hb), "\n  \"typ\"") {
		t.Errorf("header is not indented JSON: %s", hb)
	}
	if header.Typ != "dpop+jwt" || header.Alg != "ES256" || header.JWK.Kty != "EC" || header.JWK.Crv != "P-256" {
		t.Errorf("header = %+v", header)
	}
	x, y := new(big.Int).SetBytes(dec(header.JWK.X)), new(big.Int).SetBytes(dec(header.JWK.Y))
	if len(dec(header.JWK.X)) != 32 || x.Cmp(pub.X) != 0 || y.Cmp(pub.Y) != 0 {
		t.Error("the JWK is not the session's public key")
	}
	var payload struct {
		JTI, HTM, HTU string
		IAT           int64
	}
	require.NoError(t, json.Unmarshal(dec(parts[1]), &payload))
	if payload.HTM != "POST" || payload.HTU != htu || payload.IAT != t0.Unix() || len(payload.JTI) != 36 {
		t.Errorf("payload = %+v", payload)
	}
	sig := dec(parts[2])
	require.Len(t, sig, 64)
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		t.Error("the signature does not verify")
	}
}

func TestLoginErrors(t *testing.T) {
	t.Parallel()
	_, pemKey := newDPoPKey(t)
	tests := []struct {
		name     string
		members  func() map[string]any
		answer   func(http.ResponseWriter, *http.Request, string)
		wantText []string
		wantReqs int
	}{
		{name: "no refresh token", members: func() map[string]any {
			m := loginMembers(pemKey, t0)
			delete(m, "refreshToken")
			return m
		}, wantText: []string{"has no refreshToken", "aws login"}},
		{name: "no account", members: func() map[string]any {
			m := loginMembers(pemKey, t0)
			delete(m["accessToken"].(map[string]any), "accountId")
			return m
		}, wantText: []string{"has no accessToken.accountId"}},
		{name: "bad key", members: func() map[string]any {
			m := loginMembers(pemKey, t0)
			m["dpopKey"] = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"
			return m
		}, wantText: []string{"dpopKey is not a SEC 1 EC private key"}},
		{name: "PKCS #8 key, which the SDK refuses too", members: func() map[string]any {
			m := loginMembers(pkcs8DPoPKey(t), t0)
			return m
		}, wantText: []string{"dpopKey is not a SEC 1 EC private key"}},
		{name: "wrong types", members: func() map[string]any {
			m := loginMembers(pemKey, t0)
			m["clientId"] = 5
			return m
		}, wantText: []string{"a member has the wrong type"}},
		{name: "session expired", members: func() map[string]any { return loginMembers(pemKey, t0) },
			answer: func(w http.ResponseWriter, _ *http.Request, body string) {
				// The test clock's date, or the transport would take the
				// refusal for clock skew and try once more.
				w.Header().Set("Date", t0.Format(http.TimeFormat))
				respond(w, 400, "application/json", `{"__type":"AccessDeniedException","error":"TOKEN_EXPIRED","message":`+jsonQuote("expired: "+body)+`}`)
			}, wantText: []string{"refresh the login session (run `aws login` to sign in again)", "AccessDeniedException"}, wantReqs: 1},
		{name: "answer without keys", members: func() map[string]any { return loginMembers(pemKey, t0) },
			answer: func(w http.ResponseWriter, _ *http.Request, _ string) {
				respond(w, 200, "application/json", `{"expiresIn":900,"refreshToken":"r"}`)
			}, wantText: []string{"no accessToken"}, wantReqs: 1},
		{name: "answer without a refresh token", members: func() map[string]any { return loginMembers(pemKey, t0) },
			answer: func(w http.ResponseWriter, _ *http.Request, _ string) {
				respond(w, 200, "application/json", `{"accessToken":{"accessKeyId":"A","secretAccessKey":"`+stsSecret+`","sessionToken":"T"},"expiresIn":900}`)
			}, wantText: []string{"no refreshToken"}, wantReqs: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			answer := tc.answer
			if answer == nil {
				answer = signinOK
			}
			srv := newFake(t, answer)
			p, err := NewLoginProvider(LoginConfig{TokenFile: loginFile(t, tc.members()), Region: "us-east-1", Endpoint: srv.URL,
				Settings: fast(func() time.Time { return t0 }, nil)})
			require.NoError(t, err)
			_, err = p.RetrieveAWS(t.Context())
			if err == nil || !strings.HasPrefix(err.Error(), "LoginProvider: ") {
				t.Fatalf("err = %v", err)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if n := len(srv.requests()); n != tc.wantReqs {
				t.Errorf("%d requests, want %d", n, tc.wantReqs)
			}
			var re *transport.ResponseError
			texts := errTexts(err)
			if errors.As(err, &re) {
				texts = append(texts, re.Message, re.Snippet)
			}
			noLeak(t, texts, loginRefresh, "old-SECRET", stsSecret, "PRIVATE KEY")
		})
	}
	t.Run("missing file", func(t *testing.T) {
		t.Parallel()
		p, err := NewLoginProvider(LoginConfig{TokenFile: filepath.Join(t.TempDir(), "none.json")})
		require.NoError(t, err)
		if _, err := p.RetrieveAWS(t.Context()); err == nil || !strings.Contains(err.Error(), "aws login") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("no region", func(t *testing.T) {
		t.Parallel()
		p, err := NewLoginProvider(LoginConfig{TokenFile: loginFile(t, loginMembers(pemKey, t0)), Settings: fast(func() time.Time { return t0 }, nil)})
		require.NoError(t, err)
		var ve *transport.ValidationError
		if _, err := p.RetrieveAWS(t.Context()); !errors.As(err, &ve) || ve.Field != "Region" {
			t.Errorf("err = %v", err)
		}
	})
	if _, err := NewLoginProvider(LoginConfig{}); !errors.Is(err, transport.ErrInvalidInput) {
		t.Errorf("no file: %v", err)
	}
}

// The file's signInRegion wins over the configured region.
func TestLoginRegion(t *testing.T) {
	t.Parallel()
	_, pemKey := newDPoPKey(t)
	m := loginMembers(pemKey, t0)
	m["signInRegion"] = "eu-west-1"
	p, err := NewLoginProvider(LoginConfig{TokenFile: loginFile(t, m), Region: "us-east-1"})
	require.NoError(t, err)
	c, err := p.client("eu-west-1")
	require.NoError(t, err)
	if c.Endpoint() != "https://eu-west-1.signin.aws.amazon.com" {
		t.Errorf("endpoint = %s", c.Endpoint())
	}
}

func TestSigninEndpoint(t *testing.T) {
	t.Parallel()
	// Checked against service/signin v1.13.1's resolver for CreateOAuth2Token.
	for region, want := range map[string]string{
		"us-east-1":       "https://us-east-1.signin.aws.amazon.com",
		"cn-north-1":      "https://cn-north-1.signin.amazonaws.cn",
		"us-gov-west-1":   "https://us-gov-west-1.signin.amazonaws-us-gov.com",
		"us-iso-east-1":   "https://us-iso-east-1.signin.c2shome.ic.gov",
		"us-isob-east-1":  "https://us-isob-east-1.signin.sc2shome.sgov.gov",
		"eu-isoe-west-1":  "https://eu-isoe-west-1.signin.csphome.adc-e.uk",
		"us-isof-south-1": "https://us-isof-south-1.signin.csphome.hci.ic.gov",
		"eusc-de-east-1":  "https://eusc-de-east-1.signin.amazonaws-eusc.eu",
		"xx-foo-1":        "https://xx-foo-1.signin.aws.amazon.com",
	} {
		if got, err := SigninEndpoint(region); err != nil || got != want {
			t.Errorf("SigninEndpoint(%q) = %q, %v; want %q", region, got, err, want)
		}
	}
	if _, err := SigninEndpoint(""); err == nil {
		t.Error("empty region: no error")
	}
}

// Not parallel: it sets HOME.
func TestLoginTokenFile(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	sum := sha256.Sum256([]byte("arn:aws:signin:::session/abc"))
	name := strings.ToLower(strings.TrimSpace(base16(sum[:]))) + ".json"
	got, err := LoginTokenFile("  arn:aws:signin:::session/abc \n", "")
	require.NoError(t, err)
	if want := filepath.Join(home, ".aws", "login", "cache", name); got != want {
		t.Errorf("LoginTokenFile = %q, want %q", got, want)
	}
	if got, _ := LoginTokenFile("arn:aws:signin:::session/abc", "/custom"); got != filepath.Join("/custom", name) {
		t.Errorf("with a directory: %q", got)
	}
}

func base16(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func FuzzReadCacheFile(f *testing.F) {
	f.Add([]byte(`{"accessToken":"a","expiresAt":"2025-06-01T12:00:00Z","x":{"y":[1,2]}}`))
	f.Add([]byte(`{"accessToken":5}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`null`))
	f.Add([]byte("{\"a\":\"\\ud800\"}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "c.json")
		require.NoError(t, os.WriteFile(path, b, 0o600))
		c, err := readCacheFile(path)
		if err != nil {
			if len(b) >= 16 && strings.Contains(err.Error(), string(b)) {
				t.Errorf("the error quotes the file")
			}
			return
		}
		for _, k := range []string{"accessToken", "expiresAt", "refreshToken"} {
			if _, err := c.str(k); err != nil && !strings.Contains(err.Error(), "member "+k) {
				t.Errorf("str(%s): %v", k, err)
			}
		}
		// A rewrite keeps every member.
		c.set("accessToken", "new")
		require.NoError(t, c.write(t0))
		again, err := readCacheFile(path)
		require.NoError(t, err)
		if len(again.fields) != len(c.fields) {
			t.Errorf("rewrite kept %d members of %d", len(again.fields), len(c.fields))
		}
	})
}
