package fakecloud

import "net/http"

// Host names one of the emulated AWS credential services. Unlike a
// [Service], each is served from the root of its own base URL: the SDKs
// send these requests to fixed paths (STS "POST /", IMDS
// "/latest/api/token", which replaces any path of the configured
// endpoint), so they cannot share one server under path prefixes. Serve one
// with [Cloud.HostHandler], [Cloud.StartHost] or [Cloud.StartCredentialServers],
// or without a socket through a [LocalDoer] whose Host is set.
type Host string

// The emulated credential services.
const (
	// STSHost is AWS STS (query protocol, POST / with a form body):
	// AssumeRole and AssumeRoleWithWebIdentity. aws-sdk-go-v2 reaches it
	// through AWS_ENDPOINT_URL_STS.
	STSHost Host = "sts"
	// SSOHost is the IAM Identity Center portal:
	// GET /federation/credentials (GetRoleCredentials). AWS_ENDPOINT_URL_SSO.
	SSOHost Host = "sso"
	// SSOOIDCHost is SSO OIDC: POST /token (CreateToken).
	// AWS_ENDPOINT_URL_SSO_OIDC.
	SSOOIDCHost Host = "ssooidc"
	// IMDSHost is the EC2 instance metadata service, IMDSv2 with optional
	// v1. AWS_EC2_METADATA_SERVICE_ENDPOINT.
	IMDSHost Host = "imds"
	// ContainerHost is the ECS / EKS Pod Identity container credentials
	// endpoint. AWS_CONTAINER_CREDENTIALS_FULL_URI (a loopback http URL is
	// allowed): the server URL plus [ContainerConfig].Path.
	ContainerHost Host = "container"
)

// Hosts lists every credential host, in a fixed order.
func Hosts() []Host { return []Host{STSHost, SSOHost, SSOOIDCHost, IMDSHost, ContainerHost} }

// Operation names of the credential hosts, as used by [Cloud.Inject],
// [Cloud.LimitRate], [Cloud.Requests] and [CredentialRequest].Op. The STS
// and portal names are the API's; the others carry a prefix because
// "CreateToken" already names the Huawei IAM login and the metadata
// services have no operation names of their own.
const (
	OpAssumeRole                = "AssumeRole"                // STS
	OpAssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity" // STS
	OpGetRoleCredentials        = "GetRoleCredentials"        // SSO portal
	OpSSOOIDCCreateToken        = "SSOOIDC.CreateToken"       // SSO OIDC POST /token
	OpIMDSGetToken              = "IMDS.GetToken"             // PUT /latest/api/token
	OpIMDSListRoles             = "IMDS.ListRoles"            // GET /latest/meta-data/iam/security-credentials/
	OpIMDSGetCredentials        = "IMDS.GetCredentials"       // GET /latest/meta-data/iam/security-credentials/{role}
	OpContainerGetCredentials   = "Container.GetCredentials"  // GET on ContainerConfig.Path
)

// HostHandler returns the http.Handler of credential host h. An unknown
// host gets a handler that answers 404 to everything.
func (c *Cloud) HostHandler(h Host) http.Handler { return hostHandler{c, h} }

type hostHandler struct {
	c    *Cloud
	host Host
}

// ServeHTTP serves one request to a credential host: it reads the body,
// finds the operation (for STS from the form's Action), records the
// request, counts it, applies any injected fault or rate limit, then runs
// the operation. Every response carries a Date header from the emulator
// clock; STS, the portal and OIDC also send X-Amzn-RequestId, as AWS does.
func (h hostHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := h.c
	k := &call{w: w, r: r, now: c.now(), host: h.host, family: familyHost}
	if h.host == STSHost || h.host == SSOHost || h.host == SSOOIDCHost {
		k.family = familyAWS
	}
	k.start()
	c.mu.Lock()
	absent := h.host == IMDSHost && c.st.imds.Absent
	c.mu.Unlock()
	// An absent service reads nothing: readBody would answer a bad body.
	bodyOK := absent || k.readBody()
	serve, op := c.hostRoute(k)
	k.op = op

	c.mu.Lock()
	c.record(k)
	var (
		f       Fault
		faulted bool
		limited bool
	)
	if op != "" {
		c.requests[op]++
		f, faulted = c.takeFault(op)
		limited = !faulted && c.overRate(op, k.now)
	}
	c.mu.Unlock()

	switch {
	case absent:
		// Off EC2 nothing answers; a dropped connection fails as fast as a
		// refused one and the request is still on record.
		resetConnection(w)
		return
	case !bodyOK:
		return // readBody answered
	case faulted && !c.applyFault(k, f):
		return
	case limited:
		k.throttled()
		return
	}
	serve(c, k)
}

// hostRoute finds the operation of k's request on its host. It returns the
// handler to run and the operation name, "" when the request names no
// emulated operation (the handler then answers it as the service answers
// an unknown path or action).
func (c *Cloud) hostRoute(k *call) (func(*Cloud, *call), string) {
	path, method := k.r.URL.EscapedPath(), k.r.Method
	switch k.host {
	case STSHost:
		return stsRoute(k)
	case SSOHost:
		if method == http.MethodGet && path == "/federation/credentials" {
			return (*Cloud).getRoleCredentials, OpGetRoleCredentials
		}
		return (*Cloud).unknownHostPath, ""
	case SSOOIDCHost:
		if method == http.MethodPost && path == "/token" {
			return (*Cloud).ssoCreateToken, OpSSOOIDCCreateToken
		}
		return (*Cloud).unknownHostPath, ""
	case IMDSHost:
		return imdsRoute(method, path)
	case ContainerHost:
		c.mu.Lock()
		want := c.st.container.Path
		c.mu.Unlock()
		if method == http.MethodGet && path == want {
			return (*Cloud).containerCredentials, OpContainerGetCredentials
		}
		return (*Cloud).unknownHostPath, ""
	}
	return (*Cloud).unknownHostPath, ""
}

// unknownHostPath answers a request that names no emulated operation, in
// the shape of its host. The codes are the emulator's choice where the
// services document none: 404 UnknownOperationException for the AWS JSON
// services (what they send for an unbound path), 404 for the metadata
// endpoints.
func (c *Cloud) unknownHostPath(k *call) {
	switch k.host {
	case SSOHost, SSOOIDCHost:
		k.awsError(http.StatusNotFound, "UnknownOperationException", "no operation is bound to "+k.r.Method+" on this path")
	case IMDSHost:
		k.imdsError(http.StatusNotFound)
	case ContainerHost:
		k.containerError(http.StatusNotFound, "NotFound", "no credentials are served on this path")
	default:
		k.writeJSON(http.StatusNotFound, map[string]string{"message": "no emulated credential host of this name"})
	}
}
