package sigverify

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/testvectors"
	"github.com/detach-go/detach/signer"
)

var (
	v4TestCreds      = signer.AWSCredentials{AccessKeyID: testvectors.AWSAccessKeyID, SecretAccessKey: testvectors.AWSSecretKey}
	v4TestCredsToken = signer.AWSCredentials{AccessKeyID: testvectors.AWSAccessKeyID, SecretAccessKey: testvectors.AWSSecretKey, SessionToken: testvectors.AWSSessionToken}
)

func hwTestCreds() signer.HuaweiCredentials {
	return signer.HuaweiCredentials{AccessKey: testvectors.HuaweiAccessKey, SecretKey: testvectors.HuaweiSecretKey}
}

// secretFor returns a secretFor that knows the one key ak.
func secretFor(ak, secret string) func(string) (string, bool) {
	return func(k string) (string, bool) { return secret, k == ak }
}

var (
	v4SecretFor = secretFor(testvectors.AWSAccessKeyID, testvectors.AWSSecretKey)
	hwSecrets   = secretFor(testvectors.HuaweiAccessKey, testvectors.HuaweiSecretKey)
)

// sha256Hex is the payload hash of body.
func sha256Hex(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// newRequest builds a request from an already escaped URL, as the service
// packages do; headers are added in order, as name, value pairs.
func newRequest(t testing.TB, method, rawURL, body string, headers ...string) *http.Request {
	t.Helper()
	var rd io.Reader // nil for no body, so that ContentLength stays 0
	if body != "" {
		rd = strings.NewReader(body)
	}
	r, err := http.NewRequest(method, rawURL, rd)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

// assertNoSecret fails if s contains one of secrets, as is or in hex (as %x
// of a raw field would print it).
func assertNoSecret(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if secret == "" {
			continue
		}
		if strings.Contains(s, secret) || strings.Contains(strings.ToLower(s), hex.EncodeToString([]byte(secret))) {
			t.Errorf("%q contains a secret", s)
		}
	}
}
