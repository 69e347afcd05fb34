package huaweicreds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// AgencyConfig describes an agency to assume: the delegating domain (by ID
// or name), its agency, and the delegated project the token is scoped to
// (by ID or name). gophertelekomcloud reads them from OS_DELEGATED_DOMAIN_NAME
// (or the domain ID), OS_AGENCY_NAME and OS_DELEGATED_PROJECT_*, or from
// clouds.yaml; reading them is the caller's job.
type AgencyConfig struct {
	// Endpoint is IAM's base URL; empty: IAM for Region's cloud.
	Endpoint string
	Region   string
	OTC      bool
	// Caller is the token of the user assuming the agency (for example a
	// PasswordTokenSource). Required.
	Caller signer.TokenSource

	DomainID, DomainName string // the delegating domain: one is required
	AgencyName           string // required
	// ProjectID or ProjectName is the delegated project; with neither, the
	// token is scoped to the delegating domain.
	ProjectID, ProjectName string

	Settings transport.Settings
}

// AgencyTokenSource gets IAM tokens that act as an agency in another
// domain (IAM's assume_role), scoped to the delegated project, and caches
// them like any token (signer.CachedTokenSource: reused until shortly
// before expiry, one request for all waiting callers, Invalidate after a
// 401). Each fetch is POST {IAM}/v3/auth/tokens?nocatalog=true with the
// caller's token in X-Auth-Token and
//
//	{"auth":{"identity":{"methods":["assume_role"],"assume_role":{"domain_name"|"domain_id":...,"xrole_name":AgencyName}},
//	         "scope":{"project":{"name":ProjectName,"domain":{"name"|"id":...}}}}}
//
// ({"project":{"id":ProjectID}} by ID; {"domain":{...}} without a
// project): the request gophertelekomcloud sends (credentials.md §3.4,
// openstack/client.go), so an agency set up for it works here. The
// answer is read as the password token's (X-Subject-Token and
// token.expires_at). Errors are the transport's inside a
// *smithy.OperationError (service "IAM", operation "CreateToken"); the
// caller's token is never in one. Safe for concurrent use.
type AgencyTokenSource struct {
	cache *signer.CachedTokenSource
	tc    *transport.Client
	cfg   AgencyConfig
}

// NewAgencyTokenSource checks cfg and returns the source; it makes no
// request until a token is needed. opts tune the cache.
func NewAgencyTokenSource(cfg AgencyConfig, opts ...signer.CachedTokenOption) (*AgencyTokenSource, error) {
	switch {
	case cfg.Caller == nil:
		return nil, &transport.ValidationError{Field: "AgencyConfig.Caller", Rule: "is required"}
	case cfg.DomainID == "" && cfg.DomainName == "":
		return nil, &transport.ValidationError{Field: "AgencyConfig.DomainName", Rule: "or DomainID is required"}
	case cfg.AgencyName == "":
		return nil, &transport.ValidationError{Field: "AgencyConfig.AgencyName", Rule: "is required"}
	}
	for f, v := range map[string]string{"DomainID": cfg.DomainID, "DomainName": cfg.DomainName, "AgencyName": cfg.AgencyName,
		"ProjectID": cfg.ProjectID, "ProjectName": cfg.ProjectName} {
		if err := iamCheckText("AgencyConfig."+f, v); err != nil {
			return nil, err
		}
	}
	endpoint, err := iamResolveEndpoint("AgencyConfig", cfg.Endpoint, cfg.OTC, cfg.Region)
	if err != nil {
		return nil, err
	}
	tc, err := transport.New(transport.Config{Service: iamService(), Endpoint: endpoint, Auth: iamNoAuth{}, Settings: cfg.Settings})
	if err != nil {
		return nil, fmt.Errorf("huaweicreds: AgencyConfig: %w", err)
	}
	s := &AgencyTokenSource{tc: tc, cfg: cfg}
	s.cfg.Settings = transport.Settings{}
	s.cache = signer.NewCachedTokenSource(s.fetch, opts...)
	return s, nil
}

// Token returns a valid agency token, fetching one when none is cached or
// the cached one is about to expire.
func (s *AgencyTokenSource) Token(ctx context.Context) (signer.Token, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return signer.Token{}, err
	}
	if s == nil || s.cache == nil {
		return signer.Token{}, errors.New("huaweicreds: AgencyTokenSource is not initialised; use NewAgencyTokenSource")
	}
	return s.cache.Token(ctx)
}

// Invalidate drops the cached token if it is rejected.
func (s *AgencyTokenSource) Invalidate(rejected signer.Token) {
	if s != nil && s.cache != nil {
		s.cache.Invalidate(rejected)
	}
}

// String names the agency; nothing in it is secret.
func (s *AgencyTokenSource) String() string {
	if s == nil {
		return "huaweicreds.AgencyTokenSource(<nil>)"
	}
	return "huaweicreds.AgencyTokenSource(" + s.cfg.DomainName + s.cfg.DomainID + "/" + s.cfg.AgencyName + ")"
}

// agencyNameOrID is {"id":...} or {"name":...}.
type agencyNameOrID struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// agencyProject is a project scope, by ID or by name in a domain.
type agencyProject struct {
	ID     string          `json:"id,omitempty"`
	Name   string          `json:"name,omitempty"`
	Domain *agencyNameOrID `json:"domain,omitempty"`
}

// agencyScope is the token's scope: a project, or the domain.
type agencyScope struct {
	Project *agencyProject  `json:"project,omitempty"`
	Domain  *agencyNameOrID `json:"domain,omitempty"`
}

func (s *AgencyTokenSource) fetch(ctx context.Context) (signer.Token, error) {
	caller, err := s.cfg.Caller.Token(ctx)
	if err != nil {
		return signer.Token{}, fmt.Errorf("huaweicreds: the caller's token for the agency: %w", err)
	}
	var in struct {
		Auth struct {
			Identity struct {
				Methods    []string `json:"methods"`
				AssumeRole struct {
					DomainID   string `json:"domain_id,omitempty"`
					DomainName string `json:"domain_name,omitempty"`
					AgencyName string `json:"xrole_name"`
				} `json:"assume_role"`
			} `json:"identity"`
			Scope agencyScope `json:"scope"`
		} `json:"auth"`
	}
	in.Auth.Identity.Methods = []string{"assume_role"}
	ar := &in.Auth.Identity.AssumeRole
	ar.DomainID, ar.DomainName, ar.AgencyName = s.cfg.DomainID, s.cfg.DomainName, s.cfg.AgencyName
	if s.cfg.DomainID != "" {
		ar.DomainName = ""
	}
	domain := &agencyNameOrID{ID: s.cfg.DomainID, Name: ar.DomainName}
	switch {
	case s.cfg.ProjectID != "":
		in.Auth.Scope.Project = &agencyProject{ID: s.cfg.ProjectID}
	case s.cfg.ProjectName != "":
		in.Auth.Scope.Project = &agencyProject{Name: s.cfg.ProjectName, Domain: domain}
	default:
		in.Auth.Scope.Domain = domain
	}
	body, _ := json.Marshal(in) // strings only: always encodes
	resp, err := s.tc.Do(ctx, iamOpCreateToken, &transport.Request{
		Method: http.MethodPost, Path: "/v3/auth/tokens", RawQuery: "nocatalog=true",
		ContentType: "application/json;charset=utf8", Body: body,
		Header: http.Header{"X-Auth-Token": {caller.Value}}, Secrets: []string{caller.Value},
		SensitiveResponse: true,
	}, nil)
	if err != nil {
		return signer.Token{}, err
	}
	tok, derr := iamDecodeToken(resp)
	if derr != nil {
		return signer.Token{}, s.tc.OpError(iamOpCreateToken, derr)
	}
	return tok, nil
}
