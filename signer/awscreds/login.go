package awscreds

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/detach-go/detach/internal/awsendpoint"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// signinService is the AWS Sign-In service for the transport: restJson1
// errors ({"__type","error","message"}).
var signinService = transport.Service{ID: "Signin", Protocol: transport.AWSRestJSON}

// loginAgain ends the errors of a session that must be signed in again.
const loginAgain = "run `aws login` to sign in again"

// LoginTokenFile returns where `aws login` caches the session named by a
// profile's login_session, as aws-sdk-go-v2's
// logincreds.StandardCachedTokenFilepath names it (credentials v1.21.1):
// <dir>/<hex SHA-256 of the trimmed session>.json, dir being
// AWS_LOGIN_CACHE_DIRECTORY when set (pass it as dir) or else
// ~/.aws/login/cache.
func LoginTokenFile(session, dir string) (string, error) {
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil || home == "" {
			return "", errors.New("awscreds: cannot find the home directory for the login cache")
		}
		dir = filepath.Join(home, ".aws", "login", "cache")
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(session)))
	return filepath.Join(dir, hex.EncodeToString(sum[:])+".json"), nil
}

// SigninEndpoint returns the endpoint of the AWS Sign-In service's
// CreateOAuth2Token in region, as aws-sdk-go-v2's signin endpoint rules
// build it for that operation (service/signin v1.13.1, checked by running
// the resolver): https://{region}.signin.aws.amazon.com, and the other
// partitions' sign-in domains.
func SigninEndpoint(region string) (string, error) {
	if err := awsendpoint.CheckRegion(region); err != nil {
		return "", err
	}
	// The partition, found through its DNS suffix; GovCloud shares aws's.
	probe, err := awsendpoint.Resolve("x", region, false, false)
	if err != nil {
		return "", err
	}
	domain := "signin.aws.amazon.com"
	switch suffix := strings.TrimPrefix(probe, "https://x."+region+"."); {
	case strings.HasPrefix(region, "us-gov-") || region == "aws-us-gov-global":
		domain = "signin.amazonaws-us-gov.com"
	case suffix == "amazonaws.com.cn":
		domain = "signin.amazonaws.cn"
	case suffix == "c2s.ic.gov":
		domain = "signin.c2shome.ic.gov"
	case suffix == "sc2s.sgov.gov":
		domain = "signin.sc2shome.sgov.gov"
	case suffix == "csp.hci.ic.gov":
		domain = "signin.csphome.hci.ic.gov"
	case suffix == "cloud.adc-e.uk":
		domain = "signin.csphome.adc-e.uk"
	case suffix == "amazonaws.eu":
		domain = "signin.amazonaws-eusc.eu"
	}
	return "https://" + region + "." + domain, nil
}

// LoginConfig configures a LoginProvider.
type LoginConfig struct {
	// TokenFile is the session cache `aws login` wrote (required; see
	// LoginTokenFile). It is read at every call.
	TokenFile string
	// Region is used when the file has no signInRegion (the profile's or
	// the environment's region).
	Region string
	// Endpoint overrides the sign-in endpoint (AWS_ENDPOINT_URL_SIGNIN).
	Endpoint string
	// Settings are the transport's: HTTP client, retries, logger, clock.
	Settings transport.Settings
	// UnrestrictedFilePermissions is AWS_RESTRICT_FILE_PERMISSIONS =
	// unrestricted (signer.AWSLoginStep): a cache file that has to be
	// created anew gets 0666 less the umask instead of 0600. An existing
	// file keeps its permissions either way.
	UnrestrictedFilePermissions bool
}

// LoginProvider returns the credentials an `aws login` session holds
// (a profile's login_session), as aws-sdk-go-v2's logincreds does
// (credentials v1.21.1): the cached keys until their expiresAt, then a
// refresh through the AWS Sign-In service, POST /v1/token (CreateOAuth2Token,
// unsigned, with a DPoP proof signed by the session's ES256 key), written
// back to the file atomically with its other members kept and the
// permissions the SDK leaves (see LoginConfig.UnrestrictedFilePermissions).
// Wrap the provider in signer.NewAWSCredentialsCache. Safe for concurrent
// use; one refresh at a time, which a caller whose ctx ends stops waiting
// for (an *Error wrapping ctx.Err()). It renders without secrets under fmt,
// slog and encoding/json.
type LoginProvider struct {
	described
	tokenFile string
	region    string
	endpoint  string
	settings  transport.Settings
	now       func() time.Time
	newMode   fs.FileMode // of a cache file created anew
	mu        ctxMutex    // one refresh at a time; waiters leave with their ctx

	clients sync.Map // endpoint -> *transport.Client
}

// NewLoginProvider checks cfg and returns the provider. The file is not
// read until the first call.
func NewLoginProvider(cfg LoginConfig) (*LoginProvider, error) {
	const src = SourceLogin
	if cfg.TokenFile == "" {
		return nil, invalid(src, "TokenFile", "is required")
	}
	if cfg.Endpoint != "" {
		if _, err := transport.ParseEndpoint(cfg.Endpoint); err != nil {
			return nil, invalid(src, "Endpoint", "must be an absolute http or https URL ("+err.Error()+")")
		}
	}
	return &LoginProvider{
		described: described{"awscreds.LoginProvider{TokenFile:" + cfg.TokenFile + "}"},
		tokenFile: cfg.TokenFile,
		region:    cfg.Region,
		endpoint:  cfg.Endpoint,
		settings:  cfg.Settings,
		now:       clock(&cfg.Settings),
		newMode:   loginNewFileMode(cfg.UnrestrictedFilePermissions),
	}, nil
}

// loginToken is what the provider reads of the cache file.
type loginToken struct {
	AccessToken *struct {
		AccessKeyID     string `json:"accessKeyId"`
		SecretAccessKey string `json:"secretAccessKey"`
		SessionToken    string `json:"sessionToken"`
		AccountID       string `json:"accountId"`
		ExpiresAt       string `json:"expiresAt"`
	} `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	ClientID     string `json:"clientId"`
	DPoPKey      string `json:"dpopKey"`
	SignInRegion string `json:"signInRegion"`
}

// validate is logincreds' Validate: every member it needs is there.
func (t *loginToken) validate() (time.Time, error) {
	a := t.AccessToken
	if a == nil {
		return time.Time{}, errors.New("the login session cache has no accessToken")
	}
	for _, m := range [...]struct{ name, value string }{
		{"accessToken.accessKeyId", a.AccessKeyID}, {"accessToken.secretAccessKey", a.SecretAccessKey},
		{"accessToken.sessionToken", a.SessionToken}, {"accessToken.accountId", a.AccountID},
		{"accessToken.expiresAt", a.ExpiresAt}, {"clientId", t.ClientID}, {"refreshToken", t.RefreshToken},
		{"dpopKey", t.DPoPKey},
	} {
		if m.value == "" {
			return time.Time{}, errors.New("the login session cache has no " + m.name)
		}
	}
	exp, err := parseTime("accessToken.expiresAt", a.ExpiresAt)
	if err != nil {
		return time.Time{}, errors.New("the login session cache's " + err.Error())
	}
	return exp, nil
}

// RetrieveAWS returns the session's credentials (Source "LoginProvider"),
// refreshing them once they have expired. Errors are *Error: a missing or
// incomplete file, and a refresh the service refuses, say to run
// `aws login`. The refresh token is registered with the transport's
// redaction.
func (p *LoginProvider) RetrieveAWS(ctx context.Context) (signer.AWSCredentials, error) {
	const src = SourceLogin
	if err := checkContext(ctx, src); err != nil {
		return signer.AWSCredentials{}, err
	}
	if err := p.mu.lock(ctx); err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "wait for the refresh in flight", Err: err}
	}
	defer p.mu.unlock()
	f, err := readCacheFile(p.tokenFile)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "read the login session cache (" + loginAgain + ")", Err: err}
	}
	var tok loginToken
	b, _ := json.Marshal(f.fields) // re-encoding a decoded object cannot fail
	if err := json.Unmarshal(b, &tok); err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "read the login session cache (" + loginAgain + ")",
			Err: errors.New("a member has the wrong type: " + jsonProblem(err))}
	}
	exp, err := tok.validate()
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: loginAgain, Err: err}
	}
	now := p.now()
	if now.Before(exp) {
		a := tok.AccessToken
		return signer.AWSCredentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey,
			SessionToken: a.SessionToken, Expires: exp.UTC(), Source: src}, nil
	}
	return p.refresh(ctx, f, &tok, now)
}

// refresh calls CreateOAuth2Token and writes the new keys back.
func (p *LoginProvider) refresh(ctx context.Context, f *cacheFile, tok *loginToken, now time.Time) (signer.AWSCredentials, error) {
	const src = SourceLogin
	key, err := parseDPoPKey(tok.DPoPKey)
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "read the session's DPoP key (" + loginAgain + ")", Err: err}
	}
	region := tok.SignInRegion
	if region == "" {
		region = p.region
	}
	client, err := p.client(region)
	if err != nil {
		return signer.AWSCredentials{}, err
	}
	body, err := jsonBody(map[string]string{"clientId": tok.ClientID, "grantType": "refresh_token", "refreshToken": tok.RefreshToken})
	if err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "refresh the login session", Err: err}
	}
	req := &transport.Request{Method: http.MethodPost, Path: "/v1/token", ContentType: "application/json", Body: body,
		SensitiveBody: true, SensitiveResponse: true, Secrets: []string{tok.RefreshToken}}
	// The DPoP proof is made per attempt, by the authorizer, with the key
	// of this refresh.
	resp, err := client.Do(dpopContext(ctx, key), "CreateOAuth2Token", req, nil)
	if err != nil {
		reason := "refresh the login session"
		var re *transport.ResponseError
		if errors.As(err, &re) && (re.Code == "AccessDeniedException" || re.StatusCode == http.StatusUnauthorized) {
			reason += " (" + loginAgain + ")"
		}
		return signer.AWSCredentials{}, &Error{Source: src, Reason: reason, Err: err}
	}
	var out struct {
		AccessToken *struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SessionToken    string `json:"sessionToken"`
		} `json:"accessToken"`
		ExpiresIn    *int64 `json:"expiresIn"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := decodeJSON(resp, &out); err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "refresh the login session", Err: err}
	}
	a := out.AccessToken
	switch {
	case a == nil || a.AccessKeyID == "" || a.SecretAccessKey == "" || a.SessionToken == "":
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "refresh the login session", Err: decodeError(resp, "the response has no accessToken with keys and a session token")}
	case out.ExpiresIn == nil:
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "refresh the login session", Err: decodeError(resp, "the response has no expiresIn")}
	case out.RefreshToken == "":
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "refresh the login session", Err: decodeError(resp, "the response has no refreshToken")}
	}
	exp := now.Add(time.Duration(*out.ExpiresIn) * time.Second).UTC()
	// The accessToken object is rewritten member by member, so members this
	// package does not know survive in it too.
	inner := map[string]json.RawMessage{}
	_ = json.Unmarshal(f.fields["accessToken"], &inner) // validated above: an object
	for k, v := range map[string]string{"accessKeyId": a.AccessKeyID, "secretAccessKey": a.SecretAccessKey,
		"sessionToken": a.SessionToken, "expiresAt": exp.Format(time.RFC3339)} {
		inner[k], _ = json.Marshal(v)
	}
	f.set("accessToken", inner)
	f.set("refreshToken", out.RefreshToken)
	p.writeMode(f)
	if err := f.write(now); err != nil {
		return signer.AWSCredentials{}, &Error{Source: src, Reason: "write the refreshed login session back", Err: err}
	}
	return signer.AWSCredentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey,
		SessionToken: a.SessionToken, Expires: exp, Source: src}, nil
}

// loginNewFileMode is the mode aws-sdk-go-v2 creates a login cache file
// with: 0600 unless AWS_RESTRICT_FILE_PERMISSIONS=unrestricted, then 0666
// (credentials v1.21.1, logincreds/provider.go saveToken; config v1.33.19,
// resolve.go and resolve_credentials.go resolveLoginCredentials).
func loginNewFileMode(unrestricted bool) fs.FileMode {
	if unrestricted {
		return 0o666
	}
	return 0o600
}

// writeMode sets the permissions the refreshed file is written with, those
// aws-sdk-go-v2's logincreds leaves (credentials v1.21.1, saveToken and
// file.go createFile): it rewrites the file in place with
// os.OpenFile(O_CREATE|O_TRUNC, mode), so a file that exists when the
// refresh is written keeps its permissions of that moment, and one that is
// gone by then is created with loginNewFileMode less the umask. The file is
// still replaced atomically here (a reader never sees half of it), with
// those permissions.
func (p *LoginProvider) writeMode(f *cacheFile) {
	info, err := os.Stat(f.path)
	switch {
	case err == nil:
		f.mode, f.umasked = info.Mode().Perm(), false
	case errors.Is(err, fs.ErrNotExist):
		f.mode, f.umasked = p.newMode, true
	}
	// Another error (a directory gone unreadable, say) keeps the mode read
	// with the file; the write reports what is wrong.
}

// client returns the transport client of a region's sign-in endpoint (the
// endpoint override when set), made once.
func (p *LoginProvider) client(region string) (*transport.Client, error) {
	const src = SourceLogin
	endpoint := p.endpoint
	if endpoint == "" {
		var err error
		if endpoint, err = SigninEndpoint(region); err != nil {
			return nil, invalid(src, "Region", err.Error()+" (the login session cache has no signInRegion)")
		}
	}
	if c, ok := p.clients.Load(endpoint); ok {
		return c.(*transport.Client), nil
	}
	c, err := newClient(src, signinService, endpoint, dpopAuth{}, p.settings)
	if err != nil {
		return nil, err
	}
	actual, _ := p.clients.LoadOrStore(endpoint, c)
	return actual.(*transport.Client), nil
}
