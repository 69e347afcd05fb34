package fakecloud

import "net/http"

// More IAM operations, counted by [Cloud.Requests] and targeted by
// [Cloud.Inject] and [Cloud.LimitRate] like the others. Huawei and OTC
// share them.
const (
	OpValidateToken = "ValidateToken" // IAM GET /v3/auth/tokens
	OpListCatalog   = "ListCatalog"   // IAM GET /v3/auth/catalog
)

// tokenScope is what a token is scoped to.
type tokenScope int

const (
	scopeProject tokenScope = iota // the zero value: tokens from before scopes were kept
	scopeDomain
	scopeNone // an unscoped federated token, good only for temporary keys
)

// tokenUser is who a token speaks for, as its body's user names them.
type tokenUser struct {
	id, name             string
	domainID, domainName string
	// idp is the identity provider of a federated user.
	idp string
	// assumedBy is the user who assumed the agency of an agency token.
	assumedBy *tokenUser
}

// iamUser is acct's IAM user.
func (a account) iamUser() tokenUser {
	return tokenUser{id: a.userID, name: a.userName, domainID: a.domainID, domainName: a.domainName}
}

// account returns the domain t acts in.
func (t token) account() account {
	if t.acct.domainID == "" {
		return accountOf(t.provider)
	}
	return t.acct
}

// token resolves the scope within acct into a token with acct, scope and
// project set; false when it names nothing of acct's. A project named
// without its domain is looked up in acct; a domain given with a project
// must be acct.
func (sc scopeRequest) token(acct account) (token, bool) {
	t := token{acct: acct}
	switch {
	case sc.Project != nil:
		d := sc.Project.Domain
		if d.ID != "" && d.ID != acct.domainID || d.ID == "" && d.Name != "" && d.Name != acct.domainName {
			return token{}, false
		}
		var ok bool
		if sc.Project.ID != "" {
			t.project, ok = acct.projectByID(sc.Project.ID)
		} else {
			t.project, ok = acct.projectByName(sc.Project.Name)
		}
		t.scope = scopeProject
		return t, ok
	case sc.Domain != nil:
		t.scope = scopeDomain
		d, ok := accountByDomain(acct.provider, *sc.Domain)
		return t, ok && d.domainID == acct.domainID
	}
	t.scope = scopeNone
	return t, true
}

// agencyToken serves POST /v3/auth/tokens with the assume_role method: the
// caller (X-Auth-Token, or an AK/SK signature with X-Domain-Id as
// gophertelekomcloud sends it) becomes the agency a names in the
// delegating domain, scoped to scope there (credentials.md §3.4; Huawei IAM
// "Obtaining an Agency Token"). The token's user is
// "<domain name>/<agency name>" of the delegating domain, assumed_by names
// the caller's IAM user, and methods is ["assume_role"].
//
// Errors, in Keystone's shape: the gateway's 401 APIGW.0301 for a caller
// that is not authenticated; 400 for an assume_role without agency or
// domain, or without a scope; 403 "You are not authorized to perform the
// requested action." for an unknown domain or agency, or a caller the
// agency does not trust; 401 for a scope outside the delegating domain.
// The statuses of the refusals are the emulator's choice.
func (c *Cloud) agencyToken(k *call, a assumeRoleRequest, scope scopeRequest) {
	caller, ok := c.huaweiAuth(k, true)
	if !ok {
		return
	}
	target, _, refusal := assume(k.provider, caller.acct, a)
	switch {
	case refusal == agencyBadRequest || refusal == agencyInvalidField:
		k.keystoneError(http.StatusBadRequest, "auth.identity.assume_role needs an agency name and the delegating domain's ID or name.")
		return
	case refusal != agencyOK:
		k.keystoneError(http.StatusForbidden, "You are not authorized to perform the requested action.")
		return
	case scope.Project == nil && scope.Domain == nil:
		k.keystoneError(http.StatusBadRequest, "auth.scope must name a project or a domain of the delegating domain.")
		return
	}
	t, ok := scope.token(target)
	if !ok {
		k.keystoneError(http.StatusUnauthorized, msgKeystoneUnauthorized)
		return
	}
	by := caller.acct.iamUser()
	t.provider, t.issued, t.expiresAt = k.provider, k.now, k.now.Add(c.tokenTTL)
	t.methods = []string{"assume_role"}
	t.user = tokenUser{
		id: "agency" + target.domainID[:16], name: target.domainName + "/" + a.agency(),
		domainID: target.domainID, domainName: target.domainName, assumedBy: &by,
	}
	c.issueToken(k, t, tokenTimeLayout)
}

// tokenBody is the documented {"token":{...}} body (huawei.md §5) of t,
// times written with layout. A project- or domain-scoped token carries
// roles and the catalog, with its endpoints placed in the token's region.
// Federated users carry OS-FEDERATION, and agency tokens assumed_by.
func tokenBody(t token, layout string, catalog []catalogEntry) any {
	acct := t.account()
	type named struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	methods := t.methods
	if methods == nil {
		methods = []string{"password"}
	}
	body := map[string]any{
		"methods":    methods,
		"expires_at": t.expiresAt.UTC().Format(layout),
		"issued_at":  t.issued.UTC().Format(layout),
		"user":       t.user.json(),
	}
	domain := named{acct.domainID, acct.domainName}
	switch t.scope {
	case scopeProject:
		body["project"] = map[string]any{"id": t.project.id, "name": t.project.name, "domain": domain}
	case scopeDomain:
		body["domain"] = domain
	}
	if t.scope != scopeNone {
		body["roles"] = []named{{"0", "te_admin"}}
		body["catalog"] = inRegion(catalog, t.region())
	}
	if t.user.assumedBy != nil {
		body["assumed_by"] = map[string]any{"user": t.user.assumedBy.json()}
	}
	return map[string]any{"token": body}
}

// region is the region of t's catalog: its project's, or for a token that
// has none, its domain's first project's.
func (t token) region() string {
	if t.scope == scopeProject {
		return t.project.name
	}
	return t.account().defaultProject().name
}

// inRegion places catalog's endpoints in region and returns it.
func inRegion(catalog []catalogEntry, region string) []catalogEntry {
	for i := range catalog {
		for j := range catalog[i].Endpoints {
			catalog[i].Endpoints[j].Region = region
			catalog[i].Endpoints[j].RegionID = region
		}
	}
	return catalog
}

// json renders u as a token body's user.
func (u tokenUser) json() map[string]any {
	m := map[string]any{
		"id": u.id, "name": u.name,
		"domain": map[string]string{"id": u.domainID, "name": u.domainName},
	}
	if u.idp != "" {
		m["OS-FEDERATION"] = map[string]any{
			"identity_provider": map[string]string{"id": u.idp},
			"protocol":          map[string]string{"id": "oidc"},
			"groups":            []any{},
		}
	}
	return m
}

// validateToken serves IAM GET /v3/auth/tokens (Keystone's "validate and
// show information for token"): the caller's X-Auth-Token, which may be the
// token itself as gophertelekomcloud sends it when configured with only a
// token (openstack/client.go v3auth), and the token in X-Subject-Token.
// Success is 200 with X-Subject-Token and the token's body. A caller the
// gateway refuses gets 401 APIGW.0301; an X-Subject-Token that names no
// valid token gets Keystone's 404 "Could not find token." (the token is
// not echoed, unlike Keystone).
func (c *Cloud) validateToken(k *call) {
	if _, ok := c.huaweiAuth(k, true); !ok {
		return
	}
	subject := k.r.Header.Get("X-Subject-Token")
	c.mu.Lock()
	t, ok := c.st.tokens[subject]
	c.mu.Unlock()
	if !ok || t.provider != k.provider || !k.now.Before(t.expiresAt) {
		k.keystoneError(http.StatusNotFound, "Could not find token.")
		return
	}
	k.w.Header().Set("X-Subject-Token", subject)
	k.writeJSON(http.StatusOK, tokenBody(t, tokenTimeLayout, k.catalog()))
}

// listCatalog serves IAM GET /v3/auth/catalog, which gophertelekomcloud
// calls after an AK/SK login (openstack/client.go v3AKSKAuth, catalog.List)
// to find the services: {"catalog":[...],"links":{...}} with the endpoints
// of this server, as in a token's body, in the region of the caller's
// token, or of its account's first project for an AK/SK caller.
func (c *Cloud) listCatalog(k *call) {
	caller, ok := c.huaweiAuth(k, true)
	if !ok {
		return
	}
	t := token{provider: k.provider, acct: caller.acct, project: caller.tokenProject, scope: scopeDomain}
	if caller.tokenProject.id != "" {
		t.scope = scopeProject
	}
	k.writeJSON(http.StatusOK, map[string]any{
		"catalog": inRegion(k.catalog(), t.region()),
		"links":   map[string]any{"self": k.selfLink(), "next": nil, "previous": nil},
	})
}
