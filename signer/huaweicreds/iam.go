package huaweicreds

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/detach-go/detach/internal/huaweiendpoint"
	"github.com/detach-go/detach/transport"
)

// iamServiceID names IAM in the errors of the calls made to it, so that a
// failure to get a token or an ID says it was IAM that failed.
const iamServiceID = "IAM"

// Operation names of the IAM calls, after the v3 SDK's Keystone operations.
const (
	iamOpCreateToken     = "CreateToken"
	iamOpListProjects    = "ListProjects"
	iamOpListAuthDomains = "ListAuthDomains"
)

// iamService is the transport description of IAM. IAM documents no codes
// that need their own kind; gateway codes and statuses classify the rest.
func iamService() transport.Service {
	return transport.Service{ID: iamServiceID, Protocol: transport.HuaweiJSON}
}

// iamResolveEndpoint returns the IAM base URL: endpoint when given, else the
// cloud's host for region. field names the config type in errors.
func iamResolveEndpoint(field, endpoint string, otc bool, region string) (string, error) {
	if region != "" && !huaweiendpoint.ValidRegion(region) {
		return "", errors.New("huaweicreds: " + field + ".Region " + quoteShort(region) +
			" is not a valid region (lower-case letters, digits and '-')")
	}
	if endpoint == "" {
		endpoint = huaweiendpoint.IAM(otc, region)
		if endpoint == "" {
			return "", errors.New("huaweicreds: " + field + ".Region is required for Open Telekom Cloud when Endpoint is empty")
		}
	}
	if _, err := transport.ParseEndpoint(endpoint); err != nil {
		return "", errors.New("huaweicreds: " + field + ".Endpoint: " + err.Error())
	}
	return endpoint, nil
}

// iamCheckText checks a value that goes into a JSON body or a query: valid
// UTF-8 (encoding/json would silently replace bad bytes, changing the value)
// and no control characters. The value is never echoed, since it may be a
// password.
func iamCheckText(field, v string) error {
	if !utf8.ValidString(v) {
		return errors.New("huaweicreds: " + field + " must be valid UTF-8")
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return errors.New("huaweicreds: " + field + " must not contain control characters")
		}
	}
	return nil
}

// quoteShort quotes a non-secret value for an error, cut to 64 bytes.
func quoteShort(s string) string {
	if len(s) > 64 {
		s = strings.ToValidUTF8(s[:64], "") + "..."
	}
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == '"' {
			c = '?'
		}
		b = append(b, c)
	}
	return string(append(b, '"'))
}

// iamNoAuth authorizes nothing: the password request carries its
// credentials in the body.
type iamNoAuth struct{}

func (iamNoAuth) Authorize(context.Context, *http.Request, string, time.Time) error { return nil }
