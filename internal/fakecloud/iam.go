package fakecloud

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// msgKeystoneUnauthorized is Keystone's text for every failed login.
const msgKeystoneUnauthorized = "The request you have made requires authentication."

// passwordAuth is the body of POST /v3/auth/tokens with the password method
// (huawei.md §5). The project may be named (by its region name) or given by
// ID.
type passwordAuth struct {
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
		} `json:"identity"`
		Scope struct {
			Project *struct {
				idOrName
				Domain idOrName `json:"domain"`
			} `json:"project"`
			Domain *idOrName `json:"domain"`
		} `json:"scope"`
	} `json:"auth"`
}

type idOrName struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// createToken serves IAM POST /v3/auth/tokens with a password identity and a
// project scope. Success is 201 with the token in X-Subject-Token and
// {"token":{...}} in the body, expiring after the Cloud's token TTL. A wrong
// user, domain, password or project is 401 in Keystone's shape; a body that
// is not a password login with a project scope is 400. Domain-scoped tokens
// are not emulated: DNS needs a project-scoped one.
func (c *Cloud) createToken(k *call) {
	var in passwordAuth
	if err := json.Unmarshal(k.body, &in); err != nil {
		k.keystoneError(http.StatusBadRequest, "The request body is not valid JSON.")
		return
	}
	id := in.Auth.Identity
	pw := id.Password
	switch {
	case !slices.Contains(id.Methods, "password") || pw == nil:
		k.keystoneError(http.StatusBadRequest, "auth.identity must use the password method; no other method is emulated.")
		return
	case in.Auth.Scope.Project == nil:
		k.keystoneError(http.StatusBadRequest, "auth.scope.project is required; only project-scoped tokens are emulated.")
		return
	}
	acct := c.accounts[k.provider]
	u := pw.User
	userOK := (u.ID == acct.userID || u.ID == "" && u.Name == acct.userName &&
		(u.Domain.ID == acct.domainID || u.Domain.ID == "" && u.Domain.Name == acct.domainName)) &&
		u.Password == acct.password
	scope := in.Auth.Scope.Project
	proj, projOK := acct.projectByID(scope.ID)
	if scope.ID == "" {
		proj, projOK = acct.projectByName(scope.Name)
	}
	if !userOK || !projOK {
		k.keystoneError(http.StatusUnauthorized, msgKeystoneUnauthorized)
		return
	}

	value := "MIIfakecloud" + newHex32() + newHex32()
	t := token{provider: k.provider, project: proj, issued: k.now, expiresAt: k.now.Add(c.tokenTTL)}
	c.mu.Lock()
	c.st.tokens[value] = t
	c.issued++
	c.mu.Unlock()

	k.w.Header().Set("X-Subject-Token", value)
	k.writeJSON(http.StatusCreated, tokenBody(acct, t, k.catalog()))
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

// tokenBody is the documented {"token":{...}} body (huawei.md §5), with the
// catalog's endpoints placed in the token's region.
func tokenBody(acct account, t token, catalog []catalogEntry) any {
	for i := range catalog {
		for j := range catalog[i].Endpoints {
			catalog[i].Endpoints[j].Region = t.project.name
			catalog[i].Endpoints[j].RegionID = t.project.name
		}
	}
	type named struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	type scoped struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Domain named  `json:"domain"`
	}
	domain := named{acct.domainID, acct.domainName}
	return map[string]any{"token": map[string]any{
		"methods":    []string{"password"},
		"expires_at": t.expiresAt.UTC().Format(tokenTimeLayout),
		"issued_at":  t.issued.UTC().Format(tokenTimeLayout),
		"user":       scoped{acct.userID, acct.userName, domain},
		"project":    scoped{t.project.id, t.project.name, domain},
		"roles":      []named{{"0", "te_admin"}},
		"catalog":    catalog,
	}}
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
// token and lists the caller's own domain.
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
	k.writeJSON(http.StatusOK, map[string]any{
		"domains": []domainJSON{{caller.acct.domainID, caller.acct.domainName, "", true}},
		"links":   map[string]any{"self": k.selfLink()},
	})
}

func (k *call) selfLink() string {
	return "http://" + k.r.Host + strings.TrimSuffix(k.r.URL.EscapedPath(), "/")
}
