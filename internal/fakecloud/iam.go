package fakecloud

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// msgKeystoneUnauthorized is Keystone's text for every failed login.
const msgKeystoneUnauthorized = "The request you have made requires authentication."

// tokenRequest is the body of POST /v3/auth/tokens (huawei.md §5,
// credentials.md §3.4): a password login, or an agency's assume_role
// (agency.go), with a project or domain scope. The project may be named (by
// its region name, with or without its domain) or given by ID.
type tokenRequest struct {
	Auth struct {
		Identity struct {
			Methods  []string `json:"methods"`
			Password *struct {
				User struct {
					ID       string   `json:"id"`
					Name     string   `json:"name"`
					Password string   `json:"password"`
					Domain   idOrName `json:"domain"`
				} `json:"user"`
			} `json:"password"`
			AssumeRole *assumeRoleRequest `json:"assume_role"`
		} `json:"identity"`
		Scope scopeRequest `json:"scope"`
	} `json:"auth"`
}

// scopeRequest is the scope of a token request: a project or a domain.
type scopeRequest struct {
	Project *struct {
		idOrName
		Domain idOrName `json:"domain"`
	} `json:"project"`
	Domain *idOrName `json:"domain"`
}

type idOrName struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// createToken serves IAM POST /v3/auth/tokens. A password login needs a
// scope: a project of the user's domain (by ID, or by name with or without
// the domain) or that domain itself. An assume_role request comes from a
// caller authenticated by X-Auth-Token or an AK/SK signature, and needs a
// scope in the delegating domain (agencyToken). Success is 201 with the
// token in X-Subject-Token and {"token":{...}} in the body, expiring after
// the Cloud's token TTL. A wrong user, domain, password or scope is 401 in
// Keystone's shape; a body that is neither kind of request, or has no
// scope, is 400.
func (c *Cloud) createToken(k *call) {
	var in tokenRequest
	if err := json.Unmarshal(k.body, &in); err != nil {
		k.keystoneError(http.StatusBadRequest, "The request body is not valid JSON.")
		return
	}
	id := in.Auth.Identity
	switch {
	case slices.Contains(id.Methods, "assume_role") && id.AssumeRole != nil:
		c.agencyToken(k, *id.AssumeRole, in.Auth.Scope)
		return
	case !slices.Contains(id.Methods, "password") || id.Password == nil:
		k.keystoneError(http.StatusBadRequest, "auth.identity must use the password or assume_role method; no other method is emulated.")
		return
	case in.Auth.Scope.Project == nil && in.Auth.Scope.Domain == nil:
		k.keystoneError(http.StatusBadRequest, "auth.scope must name a project or a domain; unscoped password tokens are not emulated.")
		return
	}
	acct := c.accounts[k.provider]
	u := id.Password.User
	userOK := (u.ID == acct.userID || u.ID == "" && u.Name == acct.userName &&
		(u.Domain.ID == acct.domainID || u.Domain.ID == "" && u.Domain.Name == acct.domainName)) &&
		u.Password == acct.password
	t, scopeOK := in.Auth.Scope.token(acct)
	if !userOK || !scopeOK {
		k.keystoneError(http.StatusUnauthorized, msgKeystoneUnauthorized)
		return
	}
	t.provider, t.issued, t.expiresAt = k.provider, k.now, k.now.Add(c.tokenTTL)
	t.user = acct.iamUser()
	c.issueToken(k, t, tokenTimeLayout)
}

// issueToken registers t under a new value and answers 201 with it in
// X-Subject-Token and its body, times written with layout, as POST
// /v3/auth/tokens and POST /v3.0/OS-AUTH/id-token/tokens do.
func (c *Cloud) issueToken(k *call, t token, layout string) {
	value := "MIIfakecloud" + newHex32() + newHex32()
	c.mu.Lock()
	c.st.tokens[value] = t
	c.issued++
	c.mu.Unlock()
	k.w.Header().Set("X-Subject-Token", value)
	k.writeJSON(http.StatusCreated, tokenBody(t, layout, k.catalog()))
}

// catalog lists the endpoints of the calling cloud's services on this
// server, as Keystone does: gophertelekomcloud finds DNS this way.
func (k *call) catalog() []catalogEntry {
	scheme := "http"
	if k.r.TLS != nil {
		scheme = "https"
	}
	base := scheme + "://" + k.r.Host
	dns, iam := HuaweiDNS, HuaweiIAM
	if k.provider == OTC {
		dns, iam = OTCDNS, OTCIAM
	}
	entry := func(typ string, svc Service, suffix string) catalogEntry {
		return catalogEntry{Type: typ, Name: typ, ID: typ, Endpoints: []catalogEndpoint{
			{ID: typ + "-public", Interface: "public", URL: base + string(svc) + suffix},
		}}
	}
	return []catalogEntry{entry("dns", dns, "/"), entry("identity", iam, "/v3")}
}

type catalogEntry struct {
	Type      string            `json:"type"`
	Name      string            `json:"name"`
	ID        string            `json:"id"`
	Endpoints []catalogEndpoint `json:"endpoints"`
}

type catalogEndpoint struct {
	ID        string `json:"id"`
	Interface string `json:"interface"`
	Region    string `json:"region"`
	RegionID  string `json:"region_id"`
	URL       string `json:"url"`
}

// listProjects serves IAM GET /v3/projects, optionally filtered by
// ?name=<region>, which SDKs use to find the project ID of a region
// (huawei.md §1.2). It is authenticated by AK/SK or token and lists the
// caller's own projects.
func (c *Cloud) listProjects(k *call) {
	caller, ok := c.huaweiAuth(k, true)
	if !ok {
		return
	}
	name := k.r.URL.Query().Get("name")
	type projectJSON struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		DomainID    string `json:"domain_id"`
		ParentID    string `json:"parent_id"`
		Description string `json:"description"`
		Enabled     bool   `json:"enabled"`
		IsDomain    bool   `json:"is_domain"`
	}
	projects := []projectJSON{}
	for _, p := range caller.acct.projects {
		if name == "" || p.name == name {
			projects = append(projects, projectJSON{p.id, p.name, caller.acct.domainID, caller.acct.domainID, "", true, false})
		}
	}
	k.writeJSON(http.StatusOK, map[string]any{
		"projects": projects,
		"links":    map[string]any{"self": k.selfLink(), "next": nil, "previous": nil},
	})
}

// listAuthDomains serves IAM GET /v3/auth/domains, which SDKs use to find the
// domain ID for X-Domain-Id (huawei.md §1.2). It is authenticated by AK/SK or
// token and lists the caller's own domain, or nothing when ?name= names
// another (gophertelekomcloud v0.9.8 looks a domain up by name this way,
// openstack/client.go getDomainID).
func (c *Cloud) listAuthDomains(k *call) {
	caller, ok := c.huaweiAuth(k, true)
	if !ok {
		return
	}
	type domainJSON struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Enabled     bool   `json:"enabled"`
	}
	domains := []domainJSON{}
	if name := k.r.URL.Query().Get("name"); name == "" || name == caller.acct.domainName {
		domains = append(domains, domainJSON{caller.acct.domainID, caller.acct.domainName, "", true})
	}
	k.writeJSON(http.StatusOK, map[string]any{
		"domains": domains,
		"links":   map[string]any{"self": k.selfLink()},
	})
}

func (k *call) selfLink() string {
	return "http://" + k.r.Host + strings.TrimSuffix(k.r.URL.EscapedPath(), "/")
}
