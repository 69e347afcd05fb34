package huaweicreds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

const (
	// SourceAgency is the Source of the temporary keys of an agency.
	SourceAgency = "agency"

	iamOpCreateTemporaryAccessKeyByAgency = "CreateTemporaryAccessKeyByAgency"
)

// AgencyKeysConfig describes an agency assumed with access keys: the
// caller's keys, the delegating domain (by ID or name), its agency, and the
// delegated project (by ID or name) the keys are meant for.
// gophertelekomcloud v0.9.8 reads these from an AKSKAuthOptions
// (AgencyName, AgencyDomainName, DelegatedProject); cloudsyaml.NewSources
// fills them from clouds.yaml or the OS_* variables.
type AgencyKeysConfig struct {
	// Endpoint is IAM's base URL; empty: IAM for Region's cloud.
	Endpoint string
	Region   string
	// OTC selects Open Telekom Cloud's IAM hosts and signs with
	// [signer.SignOTC] (as gophertelekomcloud does) instead of
	// [signer.SignHuawei].
	OTC bool

	// Caller gives the keys of the user who assumes the agency (permanent
	// or temporary). Required.
	Caller signer.HuaweiCredentialsProvider
	// CallerDomainName is the caller's domain, looked up in IAM when the
	// caller's keys carry no DomainID: IAM wants the caller's domain ID in
	// X-Domain-Id. Needed only then.
	CallerDomainName string

	DomainID, DomainName string // the delegating domain: one is required
	AgencyName           string // required
	// ProjectID or ProjectName is the delegated project: its ID becomes the
	// keys' ProjectID. With neither, the delegating domain's ID becomes
	// their DomainID.
	ProjectID, ProjectName string

	Settings     transport.Settings
	Now          func() time.Time // nil: time.Now; judges expiry
	CacheOptions []signer.HuaweiCacheOption
}

// AgencyKeysProvider gets temporary keys that act as an agency in another
// domain, from the caller's access keys, as gophertelekomcloud v0.9.8 does
// for AK/SK options with an agency (openstack/client.go
// authWithAgencyByAKSK). Each fetch, every request signed with AK/SK in
// the flavour of Config.OTC:
//
//  1. only when the caller's keys have no DomainID:
//     GET {IAM}/v3/auth/domains?name={CallerDomainName} with the caller's
//     keys (their ProjectID kept, as the SDK keeps it), remembered for
//     those keys;
//  2. POST {IAM}/v3.0/OS-CREDENTIAL/securitytokens with the caller's keys
//     and X-Domain-Id (no X-Project-Id), body
//     {"auth":{"identity":{"methods":["assume_role"],"assume_role":
//     {"agency_name":AgencyName,"domain_id"|"domain_name":...}}}}: the
//     temporary keys, for IAM's default 15 minutes;
//  3. unless ProjectID (or, with no project, DomainID) is given, and once
//     only: GET {IAM}/v3/projects?name={ProjectName} (or
//     /v3/auth/domains?name={DomainName}) with the new keys, for the ID
//     the keys carry.
//
// The keys are cached in a signer.HuaweiCredentialsCache and refreshed
// before they expire, once for all callers. The answer's secret key and
// security token are kept out of logs; the caller's security token rides
// in X-Security-Token, which the transport scrubs. Errors are the
// transport's inside a *smithy.OperationError (service "IAM"), or say
// which lookup found nothing. Safe for concurrent use.
type AgencyKeysProvider struct {
	cache *signer.HuaweiCredentialsCache
	tc    *transport.Client
	cfg   AgencyKeysConfig

	mu             sync.Mutex
	callerAK       string // the keys callerDomainID was looked up for
	callerDomainID string
	scopeID        string // the delegated project's or domain's ID
}

// NewAgencyKeysProvider checks cfg and returns the provider; it makes no
// request until keys are needed. A missing or malformed field is a
// *transport.ValidationError.
func NewAgencyKeysProvider(cfg AgencyKeysConfig) (*AgencyKeysProvider, error) {
	switch {
	case cfg.Caller == nil:
		return nil, &transport.ValidationError{Field: "AgencyKeysConfig.Caller", Rule: "is required"}
	case cfg.DomainID == "" && cfg.DomainName == "":
		return nil, &transport.ValidationError{Field: "AgencyKeysConfig.DomainName", Rule: "or DomainID is required"}
	case cfg.AgencyName == "":
		return nil, &transport.ValidationError{Field: "AgencyKeysConfig.AgencyName", Rule: "is required"}
	}
	for _, f := range []struct{ name, v string }{
		{"CallerDomainName", cfg.CallerDomainName}, {"DomainID", cfg.DomainID}, {"DomainName", cfg.DomainName},
		{"AgencyName", cfg.AgencyName}, {"ProjectID", cfg.ProjectID}, {"ProjectName", cfg.ProjectName},
	} {
		if err := iamCheckText("AgencyKeysConfig."+f.name, f.v); err != nil {
			return nil, &transport.ValidationError{Field: "AgencyKeysConfig." + f.name, Rule: "must be printable UTF-8"}
		}
	}
	endpoint, err := iamResolveEndpoint("AgencyKeysConfig", cfg.Endpoint, cfg.OTC, cfg.Region)
	if err != nil {
		return nil, err
	}
	tc, err := transport.New(transport.Config{Service: iamService(), Endpoint: endpoint,
		Auth: iamLookupAuth{otc: cfg.OTC}, Settings: cfg.Settings})
	if err != nil {
		return nil, fmt.Errorf("huaweicreds: AgencyKeysConfig: %w", err)
	}
	p := &AgencyKeysProvider{tc: tc, cfg: cfg}
	p.cfg.Settings = transport.Settings{}
	switch {
	case cfg.ProjectID != "":
		p.scopeID = cfg.ProjectID
	case cfg.ProjectName == "" && cfg.DomainID != "":
		p.scopeID = cfg.DomainID
	}
	opts := cfg.CacheOptions
	if cfg.Now != nil {
		opts = append([]signer.HuaweiCacheOption{signer.WithHuaweiCacheClock(cfg.Now)}, opts...)
	}
	p.cache = signer.NewHuaweiCredentialsCache(providerFunc(p.fetch), opts...)
	return p, nil
}

// RetrieveHuawei returns the cached agency keys, fetching them when none
// are cached or they are due for refresh. A nil ctx is a validation error.
func (p *AgencyKeysProvider) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if p == nil || p.cache == nil {
		return signer.HuaweiCredentials{}, errors.New("huaweicreds: AgencyKeysProvider is not initialised; use NewAgencyKeysProvider")
	}
	return p.cache.RetrieveHuawei(ctx)
}

// Invalidate drops the cached keys, so that the next call fetches new ones.
func (p *AgencyKeysProvider) Invalidate() {
	if p != nil && p.cache != nil {
		p.cache.Invalidate()
	}
}

// String names the agency; nothing in it is secret.
func (p *AgencyKeysProvider) String() string {
	if p == nil {
		return "huaweicreds.AgencyKeysProvider(<nil>)"
	}
	return "huaweicreds.AgencyKeysProvider(" + p.cfg.DomainName + p.cfg.DomainID + "/" + p.cfg.AgencyName + ")"
}

// fetch runs the steps of the type's doc comment. The cache calls it once
// at a time.
func (p *AgencyKeysProvider) fetch(ctx context.Context) (signer.HuaweiCredentials, error) {
	caller, err := p.cfg.Caller.RetrieveHuawei(ctx)
	if err != nil {
		return signer.HuaweiCredentials{}, fmt.Errorf("huaweicreds: the caller's keys for the agency: %w", err)
	}
	if caller.DomainID == "" {
		if caller.DomainID, err = p.callerDomain(ctx, caller); err != nil {
			return signer.HuaweiCredentials{}, err
		}
	}
	var in struct {
		Auth struct {
			Identity struct {
				Methods    []string `json:"methods"`
				AssumeRole struct {
					AgencyName string `json:"agency_name"`
					DomainID   string `json:"domain_id,omitempty"`
					DomainName string `json:"domain_name,omitempty"`
				} `json:"assume_role"`
			} `json:"identity"`
		} `json:"auth"`
	}
	in.Auth.Identity.Methods = []string{"assume_role"}
	ar := &in.Auth.Identity.AssumeRole
	ar.AgencyName = p.cfg.AgencyName
	// The SDK sends the ID when it has one, else the name.
	if ar.DomainID = p.cfg.DomainID; ar.DomainID == "" {
		ar.DomainName = p.cfg.DomainName
	}
	body, _ := json.Marshal(in) // strings only: always encodes
	signing := caller
	signing.ProjectID = "" // the SDK sends X-Project-Id only without a domain ID
	resp, err := p.tc.Do(context.WithValue(ctx, iamKeysKey{}, signing), iamOpCreateTemporaryAccessKeyByAgency, &transport.Request{
		Method: http.MethodPost, Path: fedKeysPath, ContentType: "application/json", Body: body,
		Header: iamAcceptJSON(), SensitiveResponse: true,
	}, nil)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	keys, err := decodeTemporaryKeys(resp, "credential", SourceAgency)
	if err != nil {
		return signer.HuaweiCredentials{}, p.tc.OpError(iamOpCreateTemporaryAccessKeyByAgency, err)
	}
	id, err := p.scope(ctx, keys)
	if err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if p.cfg.ProjectID != "" || p.cfg.ProjectName != "" {
		keys.ProjectID = id
	} else {
		keys.DomainID = id
	}
	return keys, nil
}

// iamAcceptJSON is the Accept header gophertelekomcloud sends with every
// request (provider_client.go Request), which its signature covers: sent
// here too, an OTC signature covers the same headers.
func iamAcceptJSON() http.Header { return http.Header{"Accept": {"application/json"}} }

// callerDomain returns the caller's domain ID, looked up by
// CallerDomainName once for each access key.
func (p *AgencyKeysProvider) callerDomain(ctx context.Context, caller signer.HuaweiCredentials) (string, error) {
	p.mu.Lock()
	ak, id := p.callerAK, p.callerDomainID
	p.mu.Unlock()
	if id != "" && ak == caller.AccessKey {
		return id, nil
	}
	if p.cfg.CallerDomainName == "" {
		return "", &transport.ValidationError{Field: "AgencyKeysConfig.CallerDomainName",
			Rule: "is required when the caller's keys have no DomainID"}
	}
	id, err := p.lookupID(ctx, caller, "/v3/auth/domains", p.cfg.CallerDomainName, "the caller's domain")
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	p.callerAK, p.callerDomainID = caller.AccessKey, id
	p.mu.Unlock()
	return id, nil
}

// scope returns the delegated project's ID, or the delegating domain's,
// looking it up with the agency's keys the first time.
func (p *AgencyKeysProvider) scope(ctx context.Context, keys signer.HuaweiCredentials) (string, error) {
	p.mu.Lock()
	id := p.scopeID
	p.mu.Unlock()
	if id != "" {
		return id, nil
	}
	var err error
	if p.cfg.ProjectName != "" {
		id, err = p.lookupID(ctx, keys, "/v3/projects", p.cfg.ProjectName, "the delegated project")
	} else {
		id, err = p.lookupID(ctx, keys, "/v3/auth/domains", p.cfg.DomainName, "the agency's domain")
	}
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	p.scopeID = id
	p.mu.Unlock()
	return id, nil
}

// lookupID asks IAM for the ID of the project or domain called name (path
// /v3/projects or /v3/auth/domains), signing with keys less their domain
// ID, as the SDK's getProjectID and getDomainID do. The SDK takes the
// first project of that name, and insists on exactly one domain.
func (p *AgencyKeysProvider) lookupID(ctx context.Context, keys signer.HuaweiCredentials, path, name, what string) (string, error) {
	op := iamOpListProjects
	if path != "/v3/projects" {
		op = iamOpListAuthDomains
	}
	wrap := func(err error) error {
		return fmt.Errorf("huaweicreds: look up the ID of %s %s in IAM: %w", what, quoteShort(name), err)
	}
	keys.DomainID = ""
	resp, err := p.tc.Do(context.WithValue(ctx, iamKeysKey{}, keys), op, &transport.Request{
		Method: http.MethodGet, Path: path, RawQuery: "name=" + url.QueryEscape(name), Header: iamAcceptJSON(),
	}, nil)
	if err != nil {
		return "", wrap(err)
	}
	var doc iamIDList
	if err := transport.DecodeJSON(resp, &doc); err != nil {
		return "", wrap(p.tc.OpError(op, err))
	}
	list := doc.Projects
	if op == iamOpListAuthDomains {
		list = doc.Domains
		if len(list) > 1 {
			return "", wrap(fmt.Errorf("IAM lists %d domains (request id %s)", len(list), quoteShort(resp.Metadata.RequestID)))
		}
	}
	if len(list) == 0 {
		return "", wrap(fmt.Errorf("IAM lists none (request id %s)", quoteShort(resp.Metadata.RequestID)))
	}
	if id := list[0].ID; id != "" && iamCheckText("ID", id) == nil {
		return id, nil
	}
	return "", wrap(p.tc.OpError(op, iamBadID(resp)))
}
