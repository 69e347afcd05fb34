// Package cloudsyaml reads the settings of an Open Telekom Cloud (or other
// OpenStack-style) cloud from clouds.yaml, secure.yaml, clouds-public.yaml
// and the OS_* environment variables, the way gophertelekomcloud v0.9.8
// (openstack/loader.go, auth_env.go) finds and merges them, and returns one
// validated Cloud: auth URL, user and password, domain, project, token,
// access keys, agency and region. It makes no request: token sources take a
// Cloud and talk to IAM.
//
//	c, err := cloudsyaml.Load(cloudsyaml.Options{Cloud: "otc-prod"}) // or OS_CLOUD
//	if err != nil {
//		return err // *FileError, *FieldError, ErrCloudNotFound, or signer.ErrNoCredentials
//	}
//	switch c.Method() {
//	case cloudsyaml.MethodPassword, cloudsyaml.MethodToken, cloudsyaml.MethodAKSK:
//	}
//
// This is the only package of detach that imports a YAML parser
// (go.yaml.in/yaml/v3); a program that does not import it does not link
// one, and a test holds that true.
//
// # Precedence
//
// For each setting, the first non-empty of: the clouds.yaml entry,
// secure.yaml's entry of the same name, the vendor profile, the OS_*
// variables. Environment variables therefore do NOT override clouds.yaml:
// gophertelekomcloud merges them underneath. Without OS_CLOUD (or
// Options.Cloud) only the variables are used, even when clouds.yaml holds
// one cloud. openstacksdk differs on one point: there secure.yaml wins over
// clouds.yaml.
//
// # Keys
//
// Cloud level: auth_type, region_name, endpoint_type, interface, verify,
// cacert, cert, key, profile, cloud. Under auth: auth_url, username,
// user_id, password, user_domain_name, user_domain_id, project_domain_name,
// project_domain_id, domain_name, domain_id, project_name, project_id,
// token, ak, sk, security_token, and for agencies target_agency_name,
// target_domain_id (the agency's domain NAME, despite the key) and
// target_project_name. Other keys are ignored. The variables, with OS_
// before each and the first set of a list winning: AUTH_URL; USERNAME;
// USERID, USER_ID; PASSWORD; DOMAIN_ID, USER_DOMAIN_ID, PROJECT_DOMAIN_ID;
// DOMAIN_NAME, USER_DOMAIN_NAME, PROJECT_DOMAIN_NAME; PROJECT_ID,
// TENANT_ID; PROJECT_NAME, TENANT_NAME; TOKEN, TOKEN_ID (not
// OS_AUTH_TOKEN); ACCESS_KEY, ACCESS_KEY_ID, AK; SECRET_KEY,
// ACCESS_KEY_SECRET, SK; SECURITY_TOKEN, AKSK_SECURITY_TOKEN, ST;
// AGENCY_NAME, TARGET_AGENCY_NAME; AGENCY_DOMAIN_NAME, TARGET_DOMAIN_NAME;
// DELEGATED_PROJECT; REGION_NAME, REGION_ID; AUTH_TYPE; ENDPOINT_TYPE;
// INTERFACE; INSECURE; CA_CERT, CA_CERT_FILE; CLIENT_CERT,
// CLIENT_CERT_FILE; CLIENT_KEY, CLIENT_KEY_FILE; and CLOUD, CLOUD_NAME,
// CLIENT_CONFIG_FILE, CLIENT_SECURE_FILE, CLIENT_VENDOR_FILE.
//
// # Where detach differs from gophertelekomcloud, on purpose
//
//   - A named cloud that no clouds.yaml defines is an error
//     (ErrCloudNotFound); gophertelekomcloud silently uses the variables.
//   - A clouds.yaml or secure.yaml that cannot be read or parsed is a
//     *FileError; gophertelekomcloud panics on the first and ignores the
//     second. A YAML key given twice is an error too (yaml.v3's rule).
//   - user_domain_id and project_domain_id are domain IDs; gophertelekomcloud
//     writes them into the project ID.
//   - The agency fields and security_token are kept from clouds.yaml;
//     gophertelekomcloud's Env.Cloud reads them but AuthOptionsFromInfo
//     drops them (its AuthOptionsFromEnv keeps the agency fields).
//   - AWS_ACCESS_KEY_ID, AWS_ACCESS_SECRET_KEY and AWS_SECURITY_TOKEN are
//     not read, and OS_DELEGATED_PROJECT does not fall back to
//     OS_TARGET_DOMAIN_NAME (see the reasons at envCloud).
//   - Validate refuses settings gophertelekomcloud would send and IAM
//     would refuse, before any request: an agency name without its domain,
//     an unknown auth_type, a half key pair, control characters.
//   - OS_INSECURE counts also when no clouds.yaml exists at all;
//     gophertelekomcloud then ignores it (its cloud of the variables alone,
//     read with the prefix envvars_, says verify: true first).
//   - NewSources asks IAM for no service catalog, does not validate a
//     given token first, and for an AK/SK cloud without an agency looks no
//     domain ID up until a client needs it (internal/sdkcompare compares
//     the IAM requests of both, README Part 5b).
//
// Kept as gophertelekomcloud has them, though surprising: "verify: false" in
// a file does not turn TLS verification off (only OS_INSECURE does), a
// region derived from OS_PROJECT_NAME fills an entry's empty region_name
// before the entry's own project name is consulted, and a variable naming a
// missing file falls through to the search. A TOTP passcode (OS_PASSCODE)
// is not supported: gophertelekomcloud's merge drops it too.
package cloudsyaml
