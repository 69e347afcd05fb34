package fakecloud

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Service names one emulated API. Its value is the path prefix the Cloud
// serves it under; a client's Endpoint is the server URL plus this prefix,
// and the prefix is part of the path the client signs.
type Service string

// The emulated services.
const (
	Route53Profiles  Service = "/aws/route53profiles"
	CustomerProfiles Service = "/aws/profile"
	IdentityCenter   Service = "/huaweicloud/identitycenter"
	HuaweiDNS        Service = "/huaweicloud/dns"
	HuaweiIAM        Service = "/huaweicloud/iam"
	OTCDNS           Service = "/otc/dns"
	OTCIAM           Service = "/otc/iam"
	// HuaweiMetadata is the ECS metadata service and HuaweiPodIdentity the
	// CCE pod identity endpoint (huawei_metadata.go, huawei_podidentity.go).
	HuaweiMetadata    Service = "/huaweicloud/metadata"
	HuaweiPodIdentity Service = "/huaweicloud/podidentity"
)

// Provider names one of the two Huawei-style clouds, whose state (zones,
// tokens) and accounts are kept apart.
type Provider string

// The Huawei-style clouds.
const (
	Huawei Provider = "huaweicloud"
	OTC    Provider = "otc"
)

// Operation names, as used by [Cloud.Inject] and [Cloud.Requests]. Huawei and
// OTC share the names of their DNS and IAM operations, so a fault or a count
// for "DisassociateRouter" covers both clouds.
const (
	OpDisassociateProfile = "DisassociateProfile" // Route 53 Profiles
	OpDeleteProfileObject = "DeleteProfileObject" // Customer Profiles
	OpDeleteProfile       = "DeleteProfile"       // Identity Center
	OpDisassociateRouter  = "DisassociateRouter"  // Huawei and OTC DNS
	OpCreateToken         = "CreateToken"         // IAM POST /v3/auth/tokens
	OpListProjects        = "ListProjects"        // IAM GET /v3/projects
	OpListAuthDomains     = "ListAuthDomains"     // IAM GET /v3/auth/domains
)

// DefaultTokenTTL is how long an IAM token lives unless [WithTokenTTL] says
// otherwise: 24 hours, as Huawei and OTC document.
const DefaultTokenTTL = 24 * time.Hour

// Cloud emulates all services as one [http.Handler]. Create it with [New];
// the zero value is not usable. It is safe for concurrent use.
type Cloud struct {
	now       func() time.Time
	tokenTTL  time.Duration
	awsRegion string

	// Immutable after New.
	awsKeys  map[string]awsKey
	hwKeys   map[string]hwKey
	accounts map[Provider]account
	routes   []serviceDef

	mu       sync.Mutex
	st       *state
	faults   map[string][]Fault
	requests map[string]int
	issued   int
	limits   map[string]*rateBucket // LimitRate (limit_rate.go)

	credRequests []CredentialRequest // requests to the credential hosts (hosts_record.go)

	r53pDeleteReads *int // WithProfileDeletionReads; nil: the default

	dnsTransitionReads *int // WithRouterTransitionReads (dns_zone.go); nil: the default

	svcRequests []ServiceRequest // ServiceRequests (record.go)
}

// Option changes how [New] builds a Cloud.
type Option func(*Cloud)

// WithClock sets the emulator clock, used for token issue and expiry times,
// for the signature time check and for the Date header of every response.
// Fault delays ([Slow]) use real timers instead. A nil clock means time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *Cloud) {
		if now != nil {
			c.now = now
		}
	}
}

// WithTokenTTL sets the lifetime of the IAM tokens the Cloud issues. A value
// of zero or less keeps [DefaultTokenTTL].
func WithTokenTTL(d time.Duration) Option {
	return func(c *Cloud) {
		if d > 0 {
			c.tokenTTL = d
		}
	}
}

// WithAWSRegion sets the region the AWS services run in (default us-east-1):
// a SigV4 credential scope naming another region is refused.
func WithAWSRegion(region string) Option {
	return func(c *Cloud) {
		if region != "" {
			c.awsRegion = region
		}
	}
}

// New returns a Cloud seeded with the data set described by the exported
// seed constants (R53ProfileID, CPDomainName, ICInstanceID, HuaweiZoneID, ...).
func New(opts ...Option) *Cloud {
	c := &Cloud{
		now:       time.Now,
		tokenTTL:  DefaultTokenTTL,
		awsRegion: "us-east-1",
		awsKeys:   awsKeys(),
		hwKeys:    hwKeys(),
		accounts:  map[Provider]account{Huawei: accountOf(Huawei), OTC: accountOf(OTC)},
		routes:    services(),
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	c.Reset()
	return c
}

// Reset puts the Cloud back as New left it: the seed data (the credential
// hosts' roles, tokens and settings included), no issued tokens or
// credentials, no pending faults, no recorded requests and zeroed counters.
func (c *Cloud) Reset() {
	st := seed(c.now())
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st = st
	c.svcRequests = nil
	c.faults = map[string][]Fault{}
	c.requests = map[string]int{}
	c.issued = 0
	c.credRequests = nil
}

// Requests reports how many requests for operation op the Cloud has seen
// since New or Reset, whether or not they were authenticated or faulted.
func (c *Cloud) Requests(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requests[op]
}

// TokensIssued reports how many IAM tokens the Cloud has issued (both clouds)
// since New or Reset.
func (c *Cloud) TokensIssued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.issued
}

// family groups services by how they answer: request-ID header and error
// shapes.
type family int

const (
	familyAWS family = iota
	familyHuawei
	familyHost // the metadata endpoints (IMDS, container): no request-ID header
)

// endpoint is one routable operation of a service.
type endpoint struct {
	method string
	// pattern is the escaped path after the service prefix, split on "/";
	// "*" matches any single segment, even an empty one, so that the handler
	// can answer a malformed ID with the service's own validation error.
	pattern []string
	op      string
	serve   func(*Cloud, *call)
}

// serviceDef describes one service prefix.
type serviceDef struct {
	svc       Service
	family    family
	provider  Provider // Huawei-style services only
	endpoints []endpoint
}

func services() []serviceDef {
	iam := func(p Provider, svc Service) serviceDef {
		return serviceDef{svc: svc, family: familyHuawei, provider: p, endpoints: []endpoint{
			{http.MethodPost, []string{"v3", "auth", "tokens"}, OpCreateToken, (*Cloud).createToken},
			{http.MethodGet, []string{"v3", "projects"}, OpListProjects, (*Cloud).listProjects},
			{http.MethodGet, []string{"v3", "auth", "domains"}, OpListAuthDomains, (*Cloud).listAuthDomains},
			{http.MethodGet, []string{"v3", "auth", "tokens"}, OpValidateToken, (*Cloud).validateToken},
			{http.MethodGet, []string{"v3", "auth", "catalog"}, OpListCatalog, (*Cloud).listCatalog},
			{http.MethodPost, []string{"v3.0", "OS-AUTH", "id-token", "tokens"}, OpCreateTokenWithIDToken, (*Cloud).createTokenWithIDToken},
			{http.MethodPost, []string{"v3.0", "OS-CREDENTIAL", "securitytokens"}, OpCreateTemporaryAccessKey, (*Cloud).createTemporaryAccessKey},
		}}
	}
	dns := func(p Provider, svc Service) serviceDef {
		return serviceDef{svc: svc, family: familyHuawei, provider: p, endpoints: []endpoint{
			{http.MethodPost, []string{"v2", "zones", "*", "disassociaterouter"}, OpDisassociateRouter, (*Cloud).disassociateRouter},
			{http.MethodPost, []string{"v2", "zones", "*", "associaterouter"}, OpAssociateRouter, (*Cloud).associateRouter},
			{http.MethodGet, []string{"v2", "zones", "*"}, OpShowPrivateZone, (*Cloud).showPrivateZone},
		}}
	}
	return append([]serviceDef{
		{svc: Route53Profiles, family: familyAWS, endpoints: []endpoint{
			{http.MethodDelete, []string{"profileassociation", "Profileid", "*", "resourceid", "*"}, OpDisassociateProfile, (*Cloud).disassociateProfile},
			{http.MethodGet, []string{"profileassociation", "*"}, OpGetProfileAssociation, (*Cloud).getProfileAssociation},
			{http.MethodGet, []string{"profileassociations"}, OpListProfileAssociations, (*Cloud).listProfileAssociations},
		}},
		{svc: CustomerProfiles, family: familyAWS, endpoints: []endpoint{
			{http.MethodPost, []string{"domains", "*", "profiles", "objects", "delete"}, OpDeleteProfileObject, (*Cloud).deleteProfileObject},
		}},
		{svc: IdentityCenter, family: familyHuawei, provider: Huawei, endpoints: []endpoint{
			{http.MethodDelete, []string{"v1", "instances", "*", "application-instances", "*", "profiles", "*"}, OpDeleteProfile, (*Cloud).deleteProfile},
		}},
		dns(Huawei, HuaweiDNS), iam(Huawei, HuaweiIAM),
		dns(OTC, OTCDNS), iam(OTC, OTCIAM),
	}, huaweiCredentialServices()...)
}

// route finds the service and operation for an escaped path and method. It
// returns the service (nil when no prefix matches), the endpoint (nil when
// the service has no such operation) and the wildcard segments, still
// escaped.
func route(routes []serviceDef, escapedPath, method string) (*serviceDef, *endpoint, []string) {
	for i := range routes {
		s := &routes[i]
		rest, ok := strings.CutPrefix(escapedPath, string(s.svc))
		if !ok || (rest != "" && rest[0] != '/') {
			continue
		}
		e, args := s.operation(rest, method)
		return s, e, args
	}
	return nil, nil, nil
}

// operation finds s's endpoint for rest, the escaped path after the
// service prefix, and method; nil when there is none.
func (s *serviceDef) operation(rest, method string) (*endpoint, []string) {
	segs := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	for i := range s.endpoints {
		e := &s.endpoints[i]
		if e.method != method {
			continue
		}
		if args, ok := match(e.pattern, segs); ok {
			return e, args
		}
	}
	return nil, nil
}

func match(pattern, segs []string) ([]string, bool) {
	if len(pattern) != len(segs) {
		return nil, false
	}
	var args []string
	for i, p := range pattern {
		switch {
		case p == "*":
			args = append(args, segs[i])
		case p != segs[i]:
			return nil, false
		}
	}
	return args, true
}

// ServeHTTP serves one request: it routes on the escaped path, counts the
// request, records it (see [Cloud.ServiceRequests]), applies any injected
// fault, then authenticates and runs the operation. Every response carries a Date header from the emulator clock
// and a request-ID header (X-Amzn-RequestId for AWS, X-Request-Id for Huawei
// and OTC).
func (c *Cloud) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, e, args := route(c.routes, r.URL.EscapedPath(), r.Method)
	c.serve(w, r, s, e, args)
}

// serve runs the request routed to service s (nil: none) and endpoint e
// (nil: none of s's).
func (c *Cloud) serve(w http.ResponseWriter, r *http.Request, s *serviceDef, e *endpoint, args []string) {
	k := &call{w: w, r: r, now: c.now()}
	if s == nil {
		k.family = familyHuawei
		k.start()
		k.writeJSON(http.StatusNotFound, map[string]string{"message": "no emulated service under this path"})
		return
	}
	k.family, k.svc, k.provider = s.family, s.svc, s.provider
	k.start()
	if e == nil {
		if k.readBody() {
			c.recordServiceRequest(k)
			c.unknownOperation(k)
		}
		return
	}
	k.op, k.args = e.op, args
	c.mu.Lock()
	c.requests[e.op]++
	f, faulted := c.takeFault(e.op)
	limited := !faulted && c.overRate(e.op, k.now)
	c.mu.Unlock()

	if !k.readBody() {
		return
	}
	c.recordServiceRequest(k)
	if faulted && !c.applyFault(k, f) {
		return
	}
	if limited {
		k.throttled()
		return
	}
	e.serve(c, k)
}

// unknownOperation answers a path under a service prefix that names no
// emulated operation, or the wrong method for one. The AWS answer
// (404 UnknownOperationException) is what AWS JSON services send for an
// unknown operation; the Huawei one is the documented API Gateway code for
// an unknown API.
func (c *Cloud) unknownOperation(k *call) {
	if k.family == familyAWS {
		k.awsError(http.StatusNotFound, "UnknownOperationException", "no operation is bound to "+k.r.Method+" on this path")
		return
	}
	k.apigwError(http.StatusNotFound, "APIGW.0101", "The API does not exist or has not been published in the environment")
}
