package signer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// HuaweiAKSK authorizes requests to Huawei Cloud or Open Telekom Cloud with
// an access key pair; it implements transport.Authorizer. Each attempt
// retrieves credentials from Credentials and signs with SignHuawei, or with
// SignOTC when OTC is true (the flavour gophertelekomcloud uses).
type HuaweiAKSK struct {
	Credentials HuaweiCredentialsProvider
	OTC         bool
}

// Authorize signs req at time now; payloadSHA256 is the lowercase hex SHA-256
// of the body. Credentials whose Expires is not after now are an error, so a
// stale temporary key fails here rather than at the gateway.
func (a *HuaweiAKSK) Authorize(ctx context.Context, req *http.Request, payloadSHA256 string, now time.Time) error {
	if a == nil || a.Credentials == nil {
		return errors.New("signer: HuaweiAKSK has no credentials provider")
	}
	if err := checkContext(ctx); err != nil {
		return err
	}
	creds, err := a.Credentials.RetrieveHuawei(ctx)
	if err != nil {
		return fmt.Errorf("retrieve huawei credentials: %w", err)
	}
	if !creds.Expires.IsZero() && !now.Before(creds.Expires) {
		return fmt.Errorf("signer: huawei credentials from %q expired at %s", creds.Source, creds.Expires.UTC().Format(time.RFC3339))
	}
	if a.OTC {
		return SignOTC(req, payloadSHA256, creds, now)
	}
	return SignHuawei(req, payloadSHA256, creds, now)
}

// String describes the authorizer. The provider is shown by type only, since
// a caller's own provider may not redact what it holds.
func (a HuaweiAKSK) String() string {
	return fmt.Sprintf("signer.HuaweiAKSK{Credentials:%T OTC:%t}", a.Credentials, a.OTC)
}

// Format writes String for every verb, so that no verb prints the fields
// through reflection.
func (a HuaweiAKSK) Format(f fmt.State, verb rune) { formatSafe(f, verb, a.String()) }
