package awscreds

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// chainWorld is a fake cloud with its credential servers, a home directory
// and an environment pointing at them, on a test clock.
type chainWorld struct {
	cloud *fakecloud.Cloud
	hosts *fakecloud.CredentialServers
	home  string
	env   map[string]string
	clock *testClock
}

func newChainWorld(t *testing.T) *chainWorld {
	t.Helper()
	clk := &testClock{t: t0}
	c := fakecloud.New(fakecloud.WithClock(clk.Now))
	hosts := c.StartCredentialServers()
	t.Cleanup(hosts.Close)
	w := &chainWorld{cloud: c, hosts: hosts, home: t.TempDir(), env: map[string]string{"AWS_REGION": "us-east-1"}, clock: clk}
	for k, v := range hosts.Env() {
		w.env[k] = v
	}
	return w
}

// expand replaces {dir} by the home directory and {container} by the
// container endpoint's URI.
func (w *chainWorld) expand(s string) string {
	return strings.NewReplacer("{dir}", w.home, "{container}", w.hosts.ContainerURI()).Replace(s)
}

func (w *chainWorld) write(t *testing.T, name, content string) {
	t.Helper()
	path := filepath.Join(w.home, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.WriteFile(path, []byte(w.expand(content)), 0o700))
}

// configure adds env (expanded) to the environment and writes config as
// ~/.aws/config.
func (w *chainWorld) configure(t *testing.T, env map[string]string, config string) {
	t.Helper()
	for k, v := range env {
		w.env[k] = w.expand(v)
	}
	w.write(t, ".aws/config", config)
}

func (w *chainWorld) options() DefaultChainOptions {
	return DefaultChainOptions{
		Config: signer.AWSConfigSource{
			LookupEnv: func(k string) (string, bool) { v, ok := w.env[k]; return v, ok },
			HomeDir:   func() (string, error) { return w.home, nil },
		},
		Settings: fast(w.clock.Now, nil),
		Cache:    []signer.AWSCacheOption{signer.WithAWSCacheClock(w.clock.Now)},
		Login:    LoginSource,
	}
}

// ops lists the operations the credential hosts saw, in order.
func (w *chainWorld) ops() []string {
	var out []string
	for _, r := range w.cloud.CredentialRequests() {
		out = append(out, r.Op)
	}
	return out
}

// issuedLast is the last credentials a host issued.
func (w *chainWorld) issuedLast(t *testing.T) fakecloud.IssuedCredentials {
	t.Helper()
	all := w.cloud.IssuedCredentials()
	require.NotEmpty(t, all)
	return all[len(all)-1]
}

// ssoCacheFile writes the SSO token cache of key with the token expiring
// at exp, with the registration when refreshable.
func (w *chainWorld) ssoCacheFile(t *testing.T, key string, exp time.Time, refreshable bool) string {
	t.Helper()
	sum := sha1.Sum([]byte(key))
	name := filepath.Join(".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	body := `{"accessToken":"` + fakecloud.SSOAccessToken + `","expiresAt":"` + exp.UTC().Format(time.RFC3339) + `"`
	if refreshable {
		body += `,"clientId":"` + fakecloud.SSOClientID + `","clientSecret":"` + fakecloud.SSOClientSecret +
			`","refreshToken":"` + fakecloud.SSORefreshToken + `","registrationExpiresAt":"2099-01-01T00:00:00Z"`
	}
	w.write(t, name, body+"}")
	return filepath.Join(w.home, name)
}

const chainSSOSession = "[default]\nsso_session = corp\nsso_account_id = " + fakecloud.SSOAccountID +
	"\nsso_role_name = " + fakecloud.SSORoleName + "\n[sso-session corp]\nsso_region = " + fakecloud.SSORegion +
	"\nsso_start_url = " + fakecloud.SSOStartURL + "\n"

func TestDefaultChain(t *testing.T) {
	const secret = "chain/secret/EXAMPLEKEY"
	role := func(name, rest string) string {
		return "[profile " + name + "]\nrole_arn = " + fakecloud.AWSRoleARN + "\n" + rest
	}
	tests := []struct {
		name   string
		env    map[string]string
		config string
		files  map[string]string
		setup  func(t *testing.T, w *chainWorld)
		// want: the Source, the key (empty: the last issued) and the ops.
		source, key string
		ops         []string
	}{
		{name: "environment keys", env: map[string]string{"AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": secret},
			source: "EnvConfigCredentials", key: "AKIDENV"},
		{name: "profile keys", config: "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = " + secret + "\n",
			source: "SharedConfigCredentials", key: "AKIDPROFILE"},
		{name: "environment web identity",
			env:    map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "{dir}/token", "AWS_ROLE_ARN": fakecloud.AWSRoleARN, "AWS_ROLE_SESSION_NAME": "pod"},
			files:  map[string]string{"token": fakecloud.AWSWebIdentityToken},
			source: SourceWebIdentity, ops: []string{fakecloud.OpAssumeRoleWithWebIdentity}},
		{name: "profile web identity then a role",
			config: role("default", "source_profile = w\n") + "[profile w]\nrole_arn = " + fakecloud.AWSRoleARN + "\nweb_identity_token_file = {dir}/token\n",
			files:  map[string]string{"token": fakecloud.AWSWebIdentityToken},
			source: SourceAssumeRole, ops: []string{fakecloud.OpAssumeRoleWithWebIdentity, fakecloud.OpAssumeRole}},
		{name: "assumed role from keys",
			config: role("default", "source_profile = base\n") + "[profile base]\naws_access_key_id = " + fakecloud.AWSAccessKeyID +
				"\naws_secret_access_key = " + fakecloud.AWSSecretKey + "\n",
			source: SourceAssumeRole, ops: []string{fakecloud.OpAssumeRole}},
		{name: "two roles with an external id",
			config: role("default", "source_profile = mid\n") + "[profile mid]\nrole_arn = " + fakecloud.AWSExternalIDRoleARN +
				"\nexternal_id = " + fakecloud.AWSRoleExternalID + "\nsource_profile = base\n[profile base]\naws_access_key_id = " +
				fakecloud.AWSAccessKeyID + "\naws_secret_access_key = " + fakecloud.AWSSecretKey + "\n",
			source: SourceAssumeRole, ops: []string{fakecloud.OpAssumeRole, fakecloud.OpAssumeRole}},
		{name: "self-referencing role with keys",
			config: "[default]\nrole_arn = " + fakecloud.AWSRoleARN + "\nsource_profile = default\naws_access_key_id = " +
				fakecloud.AWSAccessKeyID + "\naws_secret_access_key = " + fakecloud.AWSSecretKey + "\n",
			source: SourceAssumeRole, ops: []string{fakecloud.OpAssumeRole}},
		{name: "credential_source Ec2InstanceMetadata",
			config: "[default]\nrole_arn = " + fakecloud.AWSRoleARN + "\ncredential_source = Ec2InstanceMetadata\n",
			source: SourceAssumeRole, ops: []string{fakecloud.OpIMDSGetToken, fakecloud.OpIMDSListRoles, fakecloud.OpIMDSGetCredentials, fakecloud.OpAssumeRole}},
		{name: "sso_session", config: chainSSOSession,
			setup:  func(t *testing.T, w *chainWorld) { w.ssoCacheFile(t, "corp", t0.Add(time.Hour), false) },
			source: SourceSSO, ops: []string{fakecloud.OpGetRoleCredentials}},
		{name: "sso_session with an expired, refreshable token", config: chainSSOSession,
			setup:  func(t *testing.T, w *chainWorld) { w.ssoCacheFile(t, "corp", t0.Add(-time.Hour), true) },
			source: SourceSSO, ops: []string{fakecloud.OpSSOOIDCCreateToken, fakecloud.OpGetRoleCredentials}},
		{name: "legacy SSO", config: "[default]\nsso_start_url = " + fakecloud.SSOStartURL + "\nsso_region = " + fakecloud.SSORegion +
			"\nsso_account_id = " + fakecloud.SSOAccountID + "\nsso_role_name = " + fakecloud.SSORoleName + "\n",
			setup:  func(t *testing.T, w *chainWorld) { w.ssoCacheFile(t, fakecloud.SSOStartURL, t0.Add(time.Hour), false) },
			source: SourceSSO, ops: []string{fakecloud.OpGetRoleCredentials}},
		{name: "login session", config: "[default]\nlogin_session = arn:aws:iam::1:user/me\n",
			setup: func(t *testing.T, w *chainWorld) {
				cfg, err := signer.LoadAWSConfig(w.options().Config)
				require.NoError(t, err)
				plan, err := cfg.CredentialPlan()
				require.NoError(t, err)
				require.NoError(t, os.MkdirAll(filepath.Dir(plan.Base.Login.CacheFile), 0o700))
				require.NoError(t, os.WriteFile(plan.Base.Login.CacheFile, []byte(`{"accessToken":{"accessKeyId":"AKIDLOGIN",`+
					`"secretAccessKey":"s","sessionToken":"t","accountId":"1","expiresAt":"2099-01-01T00:00:00Z"},`+
					`"refreshToken":"r","clientId":"c","dpopKey":"k"}`), 0o600))
			},
			source: SourceLogin, key: "AKIDLOGIN"},
		{name: "credential_process", config: "[default]\ncredential_process = {dir}/creds.sh\n",
			files:  map[string]string{"creds.sh": "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"s\"}'\n"},
			source: SourceProcess, key: "AKIDPROC"},
		{name: "container full URI", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}",
			"AWS_CONTAINER_AUTHORIZATION_TOKEN": fakecloud.ContainerAuthToken},
			source: SourceContainer, ops: []string{fakecloud.OpContainerGetCredentials}},
		{name: "container token file", env: map[string]string{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}",
			"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{dir}/ctoken"},
			files:  map[string]string{"ctoken": fakecloud.ContainerAuthToken},
			source: SourceContainer, ops: []string{fakecloud.OpContainerGetCredentials}},
		{name: "instance metadata", source: SourceIMDS,
			ops: []string{fakecloud.OpIMDSGetToken, fakecloud.OpIMDSListRoles, fakecloud.OpIMDSGetCredentials}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newChainWorld(t)
			w.configure(t, tt.env, tt.config)
			for name, content := range tt.files {
				w.write(t, name, content)
			}
			if tt.setup != nil {
				tt.setup(t, w)
			}
			p, err := NewDefaultChain(w.options())
			require.NoError(t, err)
			creds, err := p.RetrieveAWS(t.Context())
			require.NoError(t, err)
			key := tt.key
			if key == "" {
				key = w.issuedLast(t).AccessKeyID
			}
			if diff := cmp.Diff([]string{tt.source, key}, []string{creds.Source, creds.AccessKeyID}); diff != "" {
				t.Errorf("source, key (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.ops, w.ops()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			// A second call is served by the cache.
			again, err := p.RetrieveAWS(t.Context())
			require.NoError(t, err)
			if again.AccessKeyID != creds.AccessKeyID || len(w.ops()) != len(tt.ops) {
				t.Errorf("the second call was not cached: %v, %d requests", again.AccessKeyID, len(w.ops()))
			}
		})
	}
}

func TestDefaultChainRequests(t *testing.T) {
	w := newChainWorld(t)
	w.write(t, ".aws/config", "[default]\nrole_arn = "+fakecloud.AWSExternalIDRoleARN+"\nexternal_id = "+fakecloud.AWSRoleExternalID+
		"\nrole_session_name = chain-test\nduration_seconds = 1800\nsource_profile = base\n[profile base]\naws_access_key_id = "+
		fakecloud.AWSAccessKeyID+"\naws_secret_access_key = "+fakecloud.AWSSecretKey+"\n")
	p, err := NewDefaultChain(w.options())
	require.NoError(t, err)
	_, err = p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	reqs := w.cloud.CredentialRequests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	got := map[string]string{"method": r.Method, "path": r.Path, "signed by": r.SignedBy, "region": r.SigningRegion}
	for k := range r.Form {
		got[k] = r.Form.Get(k)
	}
	want := map[string]string{"method": "POST", "path": "/", "signed by": fakecloud.AWSAccessKeyID, "region": "us-east-1",
		"Action": "AssumeRole", "Version": "2011-06-15", "RoleArn": fakecloud.AWSExternalIDRoleARN,
		"ExternalId": fakecloud.AWSRoleExternalID, "RoleSessionName": "chain-test", "DurationSeconds": "1800"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AssumeRole request (-want +got):\n%s", diff)
	}
}

func TestDefaultChainFailures(t *testing.T) {
	keys := "aws_access_key_id = " + fakecloud.AWSAccessKeyID + "\naws_secret_access_key = " + fakecloud.AWSSecretKey + "\n"
	tests := []struct {
		name   string
		env    map[string]string
		config string
		setup  func(w *chainWorld)
		opts   func(o *DefaultChainOptions)
		// invalid: the NewDefaultChain error is transport.ErrInvalidInput.
		invalid bool
		// newErr: NewDefaultChain fails with it; else retrieveErr is in
		// RetrieveAWS's error, which wraps target when set.
		newErr, retrieveErr string
		target              any
		noCreds             bool
	}{
		{name: "cycle without credentials", config: "[default]\nrole_arn = A\nsource_profile = b\n[profile b]\nrole_arn = B\nsource_profile = default\n",
			newErr: "source_profile"},
		{name: "mfa_serial", config: "[default]\nrole_arn = " + fakecloud.AWSRoleARN + "\nmfa_serial = arn:aws:iam::1:mfa/me\nsource_profile = b\n[profile b]\n" + keys,
			newErr: "mfa_serial"},
		{name: "login_session without DefaultChainOptions.Login", config: "[default]\nlogin_session = arn:aws:iam::1:user/me\n",
			opts: func(o *DefaultChainOptions) { o.Login = nil }, invalid: true,
			newErr: "DefaultChainOptions.Login must be set (to awscreds.LoginSource) to use profile default, which signs in with `aws login`"},
		{name: "web identity without a role", env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "{dir}/none"},
			newErr: "AWS_ROLE_ARN"},
		{name: "missing web identity token file",
			env:         map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "{dir}/none", "AWS_ROLE_ARN": fakecloud.AWSRoleARN},
			retrieveErr: "web identity token", target: new(*fs.PathError)},
		{name: "unreadable web identity token file",
			env:         map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "{dir}", "AWS_ROLE_ARN": fakecloud.AWSRoleARN},
			retrieveErr: "web identity token"},
		{name: "expired web identity token",
			env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "{dir}/token", "AWS_ROLE_ARN": fakecloud.AWSRoleARN},
			setup: func(w *chainWorld) {
				_ = os.WriteFile(filepath.Join(w.home, "token"), []byte(fakecloud.AWSExpiredWebIdentityToken), 0o600)
			},
			retrieveErr: "ExpiredTokenException", target: new(*transport.ResponseError)},
		{name: "STS refuses the role", config: "[default]\nrole_arn = arn:aws:iam::1:role/unknown\nsource_profile = b\n[profile b]\n" + keys,
			retrieveErr: "AccessDenied", target: new(*transport.ResponseError)},
		{name: "STS down", config: "[default]\nrole_arn = " + fakecloud.AWSRoleARN + "\nsource_profile = b\n[profile b]\n" + keys,
			setup: func(w *chainWorld) {
				w.cloud.Inject(fakecloud.OpAssumeRole, fakecloud.Fault{Kind: fakecloud.ServerError, Count: 10})
			},
			retrieveErr: "AssumeRoleProvider", target: new(*transport.ResponseError)},
		{name: "IMDS disabled: nothing found", env: map[string]string{"AWS_EC2_METADATA_DISABLED": "true"},
			retrieveErr: "no AWS credentials found", target: new(*NoCredentialsError), noCreds: true},
		{name: "IMDS without a role: nothing found", setup: func(w *chainWorld) { w.cloud.SetIMDS(fakecloud.IMDSConfig{}) },
			retrieveErr: "no AWS credentials found", target: new(*NoCredentialsError), noCreds: true},
		{name: "IMDS down under credential_source", config: "[default]\nrole_arn = " + fakecloud.AWSRoleARN + "\ncredential_source = Ec2InstanceMetadata\n",
			setup: func(w *chainWorld) {
				w.cloud.Inject(fakecloud.OpIMDSGetCredentials, fakecloud.Fault{Kind: fakecloud.ServerError, Count: 10})
			},
			retrieveErr: "EC2RoleProvider"},
		{name: "expired SSO token, not refreshable", config: chainSSOSession,
			setup: func(w *chainWorld) {
				sum := sha1.Sum([]byte("corp"))
				dir := filepath.Join(w.home, ".aws", "sso", "cache")
				_ = os.MkdirAll(dir, 0o700)
				_ = os.WriteFile(filepath.Join(dir, hex.EncodeToString(sum[:])+".json"),
					[]byte(`{"accessToken":"`+fakecloud.SSOAccessToken+`","expiresAt":"2000-01-01T00:00:00Z"}`), 0o600)
			},
			retrieveErr: "SSOProvider"},
		{name: "missing SSO token cache", config: chainSSOSession, retrieveErr: "SSOProvider", target: new(*fs.PathError)},
		{name: "credential_source Environment without keys", config: "[default]\nrole_arn = " + fakecloud.AWSRoleARN + "\ncredential_source = Environment\n",
			retrieveErr: "EnvConfigCredentials", noCreds: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newChainWorld(t)
			w.configure(t, tt.env, tt.config)
			if tt.setup != nil {
				tt.setup(w)
			}
			opts := w.options()
			if tt.opts != nil {
				tt.opts(&opts)
			}
			p, err := NewDefaultChain(opts)
			if tt.newErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.newErr) {
					t.Fatalf("NewDefaultChain error = %v, want one mentioning %q", err, tt.newErr)
				}
				if tt.invalid && !errors.Is(err, transport.ErrInvalidInput) {
					t.Errorf("NewDefaultChain error %v is not ErrInvalidInput", err)
				}
				if len(w.ops()) != 0 {
					t.Errorf("a configuration error sent %v", w.ops())
				}
				return
			}
			require.NoError(t, err)
			_, err = p.RetrieveAWS(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.retrieveErr) {
				t.Fatalf("RetrieveAWS error = %v, want one mentioning %q", err, tt.retrieveErr)
			}
			if tt.target != nil && !errors.As(err, tt.target) {
				t.Errorf("error %v is not a %T", err, tt.target)
			}
			if got := errors.Is(err, signer.ErrNoCredentials); got != tt.noCreds {
				t.Errorf("errors.Is(ErrNoCredentials) = %v, want %v", got, tt.noCreds)
			}
			noLeak(t, errTexts(err), fakecloud.AWSSecretKey, fakecloud.AWSWebIdentityToken, fakecloud.AWSExpiredWebIdentityToken,
				fakecloud.SSOAccessToken)
		})
	}
}

func TestDefaultChainNotFoundListsSources(t *testing.T) {
	w := newChainWorld(t)
	w.env["AWS_EC2_METADATA_DISABLED"] = "true"
	w.write(t, ".aws/config", "[profile other]\nregion = eu-west-1\n")
	p, err := NewDefaultChain(w.options())
	require.NoError(t, err)
	_, err = p.RetrieveAWS(t.Context())
	var nf *NoCredentialsError
	require.ErrorAs(t, err, &nf)
	var got []string
	for _, s := range nf.Tried {
		got = append(got, s.Source)
	}
	want := []string{"environment keys", "web identity", "shared config profile default", "container endpoint", "EC2 instance metadata"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sources tried (-want +got):\n%s", diff)
	}
	for _, s := range nf.Tried {
		if s.Reason == "" {
			t.Errorf("%s has no reason", s.Source)
		}
	}
	if !strings.Contains(nf.Tried[2].Reason, filepath.Join(w.home, ".aws", "config")) {
		t.Errorf("the profile's reason %q does not name the file", nf.Tried[2].Reason)
	}
	if len(w.ops()) != 0 {
		t.Errorf("disabled IMDS was called: %v", w.ops())
	}
}

// TestDefaultChainOneRefresh: 256 callers arriving while the credentials
// expire make exactly one STS request.
func TestDefaultChainOneRefresh(t *testing.T) {
	w := newChainWorld(t)
	w.env["AWS_WEB_IDENTITY_TOKEN_FILE"] = filepath.Join(w.home, "token")
	w.env["AWS_ROLE_ARN"] = fakecloud.AWSRoleARN
	w.write(t, "token", fakecloud.AWSWebIdentityToken)
	p, err := NewDefaultChain(w.options())
	require.NoError(t, err)
	first, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	w.clock.Add(2 * fakecloud.DefaultAssumeRoleDuration) // past the expiry
	w.cloud.ClearCredentialRequests()

	var wg sync.WaitGroup
	keys := make([]string, 256)
	errs := make([]error, 256)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := p.RetrieveAWS(context.Background())
			keys[i], errs[i] = c.AccessKeyID, err
		}()
	}
	wg.Wait()
	for i := range keys {
		if errs[i] != nil || keys[i] == first.AccessKeyID || keys[i] != keys[0] {
			t.Fatalf("caller %d: key %q, error %v (first key %q, others %q)", i, keys[i], errs[i], first.AccessKeyID, keys[0])
		}
	}
	if got := w.ops(); len(got) != 1 || got[0] != fakecloud.OpAssumeRoleWithWebIdentity {
		t.Errorf("requests during the refresh: %v, want one AssumeRoleWithWebIdentity", got)
	}
}

func TestDefaultChainRendersWithoutSecrets(t *testing.T) {
	const secret = "chain/render/SECRETKEY"
	for _, env := range []map[string]string{
		{"AWS_ACCESS_KEY_ID": "AKIDRENDER", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": secret + "token"},
		{"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{container}", "AWS_CONTAINER_AUTHORIZATION_TOKEN": fakecloud.ContainerAuthToken},
	} {
		w := newChainWorld(t)
		w.configure(t, env, "")
		p, err := NewDefaultChain(w.options())
		require.NoError(t, err)
		creds, err := p.RetrieveAWS(t.Context())
		require.NoError(t, err)
		noLeak(t, append(renderings(t, p), renderings(t, creds)...), secret, fakecloud.ContainerAuthToken, creds.SecretAccessKey, creds.SessionToken)
	}
}

// TestDefaultChainCABundle: AWS_CA_BUNDLE gives the chain's STS client a
// root pool with that bundle; a bundle that is not PEM is refused before
// any request.
func TestDefaultChainCABundle(t *testing.T) {
	w := newChainWorld(t)
	tlsSTS := httptest.NewTLSServer(w.cloud.HostHandler(fakecloud.STSHost))
	t.Cleanup(tlsSTS.Close)
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSTS.Certificate().Raw})
	w.write(t, "ca.pem", string(cert))
	w.write(t, "bad.pem", "not a certificate")
	w.write(t, "token", fakecloud.AWSWebIdentityToken)
	w.configure(t, map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "{dir}/token", "AWS_ROLE_ARN": fakecloud.AWSRoleARN,
		"AWS_ENDPOINT_URL_STS": tlsSTS.URL, "AWS_CA_BUNDLE": "{dir}/bad.pem"}, "")
	if _, err := NewDefaultChain(w.options()); err == nil || !strings.Contains(err.Error(), "holds no PEM certificate") {
		t.Fatalf("NewDefaultChain with a bad bundle: %v", err)
	}
	w.env["AWS_CA_BUNDLE"] = filepath.Join(w.home, "ca.pem")
	p, err := NewDefaultChain(w.options())
	require.NoError(t, err)
	creds, err := p.RetrieveAWS(t.Context())
	require.NoError(t, err)
	if creds.Source != SourceWebIdentity {
		t.Errorf("source %q, want %q", creds.Source, SourceWebIdentity)
	}
	// Without the bundle the test server's certificate is not trusted.
	delete(w.env, "AWS_CA_BUNDLE")
	p, err = NewDefaultChain(w.options())
	require.NoError(t, err)
	if _, err := p.RetrieveAWS(t.Context()); err == nil {
		t.Error("the test server was trusted without the bundle")
	}
}
