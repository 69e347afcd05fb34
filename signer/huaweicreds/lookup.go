package huaweicreds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// LookupConfig says where ProjectIDFromIAM and DomainIDFromIAM ask IAM.
type LookupConfig struct {
	// Endpoint is the IAM base URL. Empty: derived from OTC and Region as
	// for PasswordConfig (Huawei Cloud without a Region: the global
	// https://iam.myhuaweicloud.com, which the v3 SDK also falls back to).
	Endpoint string
	// Region selects the IAM host; ProjectIDFromIAM also looks up the
	// project of this name unless ProjectName is set, so it requires one
	// of them.
	Region string
	// ProjectName is the project ProjectIDFromIAM looks up; empty: Region
	// (each region's default project is named after it). clouds.yaml's
	// project_name sets it, as gophertelekomcloud v0.9.8 looks that name
	// up for AK/SK options (openstack/client.go v3AKSKAuth).
	ProjectName string
	// OTC selects Open Telekom Cloud's IAM hosts and signs the lookups with
	// [signer.SignOTC] instead of [signer.SignHuawei].
	OTC bool
	// Timeout bounds one lookup, which runs on behalf of every caller
	// waiting for it and so ignores their cancellation; 0: one minute.
	Timeout time.Duration
	// Settings are used for the IAM requests (HTTPClient, Retry,
	// AttemptTimeout, Logger, Now, MaxResponseBytes).
	transport.Settings
}

// iamIDKind says which ID a resolver fills.
type iamIDKind bool

const (
	iamProjectID iamIDKind = false
	iamDomainID  iamIDKind = true
)

func (k iamIDKind) field() string {
	if k == iamDomainID {
		return "DomainID"
	}
	return "ProjectID"
}

// ResolvedCredentials is a [signer.HuaweiCredentialsProvider] that fills in the
// ProjectID or DomainID its base provider leaves empty, asking IAM once and
// caching the answer, as huaweicloud-sdk-go-v3 does when a client is built
// without one (core/auth/basic_credentials.go and global_credentials.go).
// Create it with ProjectIDFromIAM or DomainIDFromIAM. It is safe for
// concurrent use.
//
// Credentials that already carry the ID pass through untouched, with no
// request. Otherwise one lookup runs however many callers need the ID at
// once; its answer is cached for the access key it was made with (the v3
// SDK caches by AK too), so rotated keys of another account are looked up
// again. A failed lookup is returned to every waiter and not cached. Giving
// the ID yourself saves the request and the IAM permission it needs.
type ResolvedCredentials struct {
	base signer.HuaweiCredentialsProvider
	kind iamIDKind
	// lookup is lookupProject or lookupDomain, chosen by the constructor,
	// so that a program that uses one lookup does not link the other.
	lookup   func(r *ResolvedCredentials, ctx context.Context) (string, error)
	region   string
	project  string // the project name ProjectIDFromIAM looks up
	endpoint string
	otc      bool
	timeout  time.Duration
	tc       *transport.Client

	mu   sync.Mutex
	ak   string // the access key the cached id belongs to
	id   string
	call *iamIDCall
}

// iamIDCall is one lookup that several callers wait for.
type iamIDCall struct {
	done chan struct{}
	ak   string
	id   string
	err  error
}

// ProjectIDFromIAM wraps base so that credentials without a ProjectID get
// the ID of the project named cfg.ProjectName (else cfg.Region), from
// GET {IAM}/v3/projects?name={name} signed with the credentials' keys (as
// the v3 SDK's KeystoneListProjects). IAM must know exactly one such project;
// none or several is an error that asks for the ID to be set. Errors of the
// request wrap *smithy.OperationError for service "IAM", operation
// "ListProjects".
func ProjectIDFromIAM(base signer.HuaweiCredentialsProvider, cfg LookupConfig) (*ResolvedCredentials, error) {
	if cfg.Region == "" && cfg.ProjectName == "" {
		return nil, errors.New("huaweicreds: LookupConfig.Region or ProjectName is required to look up a project ID")
	}
	if err := iamCheckText("LookupConfig.ProjectName", cfg.ProjectName); err != nil {
		return nil, err
	}
	return newIAMResolved(base, cfg, iamProjectID, (*ResolvedCredentials).lookupProject)
}

// DomainIDFromIAM wraps base so that credentials without a DomainID get the
// account's domain ID, from GET {IAM}/v3/auth/domains signed with the
// credentials' keys (as the v3 SDK's KeystoneListAuthDomains). An empty list
// is an error; unlike the v3 SDK, there is no fallback to STS caller
// identity. Errors of the request wrap *smithy.OperationError for service
// "IAM", operation "ListAuthDomains".
func DomainIDFromIAM(base signer.HuaweiCredentialsProvider, cfg LookupConfig) (*ResolvedCredentials, error) {
	return newIAMResolved(base, cfg, iamDomainID, (*ResolvedCredentials).lookupDomain)
}

func newIAMResolved(base signer.HuaweiCredentialsProvider, cfg LookupConfig, kind iamIDKind,
	lookup func(*ResolvedCredentials, context.Context) (string, error)) (*ResolvedCredentials, error) {
	if base == nil {
		return nil, errors.New("huaweicreds: the base credentials provider is nil")
	}
	endpoint, err := iamResolveEndpoint("LookupConfig", cfg.Endpoint, cfg.OTC, cfg.Region)
	if err != nil {
		return nil, err
	}
	tc, err := transport.New(transport.Config{
		Service:  iamService(),
		Endpoint: endpoint,
		Auth:     iamLookupAuth{otc: cfg.OTC},
		Settings: cfg.Settings,
	})
	if err != nil {
		return nil, fmt.Errorf("huaweicreds: LookupConfig: %w", err)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	project := cfg.ProjectName
	if project == "" {
		project = cfg.Region
	}
	return &ResolvedCredentials{base: base, kind: kind, lookup: lookup, region: cfg.Region, project: project, endpoint: endpoint,
		otc: cfg.OTC, timeout: timeout, tc: tc}, nil
}

// RetrieveHuawei returns the base provider's credentials with the ID filled
// in, looking it up when it is neither present nor cached.
func (r *ResolvedCredentials) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	if r == nil || r.base == nil {
		return signer.HuaweiCredentials{}, errors.New("huaweicreds: ResolvedCredentials is not initialised; use ProjectIDFromIAM or DomainIDFromIAM")
	}
	if err := transport.CheckContext(ctx); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	c, err := r.base.RetrieveHuawei(ctx)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	dst := &c.ProjectID
	if r.kind == iamDomainID {
		dst = &c.DomainID
	}
	if *dst != "" {
		return c, nil
	}
	id, err := r.resolve(ctx, c)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	*dst = id
	return c, nil
}

// resolve returns the cached ID for c's access key, or waits for a lookup
// (starting one if none is running).
func (r *ResolvedCredentials) resolve(ctx context.Context, c signer.HuaweiCredentials) (string, error) {
	for {
		r.mu.Lock()
		if r.id != "" && r.ak == c.AccessKey {
			id := r.id
			r.mu.Unlock()
			return id, nil
		}
		call := r.call
		if call == nil {
			if err := ctx.Err(); err != nil {
				r.mu.Unlock()
				return "", err
			}
			call = &iamIDCall{done: make(chan struct{}), ak: c.AccessKey}
			r.call = call
			// The lookup signs with the keys alone, as the v3 SDK does: the ID
			// being looked up is unknown, the other one is not needed.
			keys := c
			keys.ProjectID, keys.DomainID = "", ""
			go r.run(context.WithoutCancel(ctx), call, keys)
		}
		r.mu.Unlock()

		select {
		case <-call.done:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		if call.ak == c.AccessKey {
			return call.id, call.err
		}
		// That lookup was for other keys (rotated meanwhile); look again.
	}
}

// run performs one lookup and hands its result to every waiter.
func (r *ResolvedCredentials) run(ctx context.Context, call *iamIDCall, keys signer.HuaweiCredentials) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	id, err := r.lookupRecovered(context.WithValue(ctx, iamKeysKey{}, keys))

	r.mu.Lock()
	if err == nil {
		r.ak, r.id = call.ak, id
	}
	r.call = nil
	call.id, call.err = id, err
	close(call.done)
	r.mu.Unlock()
}

// lookupRecovered turns a panic (of a caller's HTTPClient, say) into an
// error: the lookup runs on its own goroutine, where a panic would end the
// program.
func (r *ResolvedCredentials) lookupRecovered(ctx context.Context) (id string, err error) {
	defer func() {
		if p := recover(); p != nil {
			id, err = "", errors.New("huaweicreds: IAM lookup panicked")
		}
	}()
	return r.lookup(r, ctx)
}

// iamIDList is the shape of both lookups' answers: {"projects":[...]} and
// {"domains":[...]}.
type iamIDList struct {
	Projects []iamIDName `json:"projects"`
	Domains  []iamIDName `json:"domains"`
}

type iamIDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func (r *ResolvedCredentials) lookupProject(ctx context.Context) (string, error) {
	wrap := func(err error) error {
		return fmt.Errorf("huaweicreds: look up the ID of project %s in IAM: %w", quoteShort(r.project), err)
	}
	req := &transport.Request{Method: http.MethodGet, Path: "/v3/projects", RawQuery: "name=" + url.QueryEscape(r.project)}
	if r.otc {
		req.Header = iamAcceptJSON()
	}
	resp, err := r.tc.Do(ctx, iamOpListProjects, req, nil)
	if err != nil {
		return "", wrap(err)
	}
	var doc iamIDList
	if err := transport.DecodeJSON(resp, &doc); err != nil {
		return "", wrap(r.tc.OpError(iamOpListProjects, err))
	}
	switch len(doc.Projects) {
	case 0:
		return "", fmt.Errorf("huaweicreds: IAM has no project named %s (request id %s); set the project ID",
			quoteShort(r.project), quoteShort(resp.Metadata.RequestID))
	case 1:
		if id := doc.Projects[0].ID; id != "" && iamCheckText("project ID", id) == nil {
			return id, nil
		}
		return "", wrap(r.tc.OpError(iamOpListProjects, iamBadID(resp)))
	}
	ids := make([]string, len(doc.Projects))
	for i, p := range doc.Projects {
		ids[i] = quoteShort(resp.Scrub(p.ID))
	}
	return "", fmt.Errorf("huaweicreds: IAM has %d projects named %s (%s); set the project ID",
		len(ids), quoteShort(r.project), strings.Join(ids, ", "))
}

func (r *ResolvedCredentials) lookupDomain(ctx context.Context) (string, error) {
	wrap := func(err error) error { return fmt.Errorf("huaweicreds: look up the domain ID in IAM: %w", err) }
	req := &transport.Request{Method: http.MethodGet, Path: "/v3/auth/domains"}
	resp, err := r.tc.Do(ctx, iamOpListAuthDomains, req, nil)
	if err != nil {
		return "", wrap(err)
	}
	var doc iamIDList
	if err := transport.DecodeJSON(resp, &doc); err != nil {
		return "", wrap(r.tc.OpError(iamOpListAuthDomains, err))
	}
	if len(doc.Domains) == 0 {
		return "", fmt.Errorf("huaweicreds: IAM lists no domain for these keys (request id %s); set the domain ID",
			quoteShort(resp.Metadata.RequestID))
	}
	if id := doc.Domains[0].ID; id != "" && iamCheckText("domain ID", id) == nil {
		return id, nil
	}
	return "", wrap(r.tc.OpError(iamOpListAuthDomains, iamBadID(resp)))
}

func iamBadID(resp *transport.Response) error {
	return &transport.DecodeError{StatusCode: resp.StatusCode, RequestID: resp.Metadata.RequestID,
		Err: errors.New("the id is empty or not printable")}
}

// iamKeysKey carries the keys a lookup signs with to iamLookupAuth.
type iamKeysKey struct{}

// iamLookupAuth signs an IAM lookup with the keys in its context.
type iamLookupAuth struct{ otc bool }

func (a iamLookupAuth) Authorize(ctx context.Context, req *http.Request, payloadSHA256 string, now time.Time) error {
	keys, ok := ctx.Value(iamKeysKey{}).(signer.HuaweiCredentials)
	if !ok {
		return errors.New("huaweicreds: IAM lookup without keys")
	}
	if a.otc {
		return signer.SignOTC(req, payloadSHA256, keys, now)
	}
	return signer.SignHuawei(req, payloadSHA256, keys, now)
}

func (r *ResolvedCredentials) snapshot() (base signer.HuaweiCredentialsProvider, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.base, r.id
}

// String describes the resolver: the base provider by type only (a caller's
// own provider may not redact what it holds) and the cached ID, which is
// not secret.
func (r *ResolvedCredentials) String() string {
	if r == nil {
		return "huaweicreds.ResolvedCredentials(nil)"
	}
	base, id := r.snapshot()
	return fmt.Sprintf("huaweicreds.ResolvedCredentials{Base:%T Fills:%s Endpoint:%s Region:%s OTC:%t Cached:%s}",
		base, r.kind.field(), r.endpoint, r.region, r.otc, id)
}

// GoString describes the resolver as String does.
func (r *ResolvedCredentials) GoString() string { return r.String() }

// Format writes String for every verb.
func (r *ResolvedCredentials) Format(f fmt.State, verb rune) {
	signer.FormatRedacted(f, verb, r.String())
}

// LogValue renders the resolver for log/slog as String does.
func (r *ResolvedCredentials) LogValue() slog.Value { return slog.StringValue(r.String()) }

// MarshalJSON encodes String, for diagnostics.
func (r *ResolvedCredentials) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }
