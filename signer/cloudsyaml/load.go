package cloudsyaml

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/detach-go/detach/signer"
)

const (
	regionPlaceholder = "{region_name}"
	// envCloudName is the name gophertelekomcloud gives the cloud of the
	// OS_* variables alone, unless OS_CLOUD_NAME names it otherwise.
	envCloudName = "envvars"
	// otcProfile is the built-in vendor profile, used when no
	// clouds-public.yaml is found.
	otcProfile = "otc"
)

// otcVendor is gophertelekomcloud's built-in OTCVendorConfig profile "otc".
func otcVendor() map[string]rawCloud {
	return map[string]rawCloud{otcProfile: {
		Auth:         rawAuth{AuthURL: "https://iam." + regionPlaceholder + ".otc.t-systems.com/v3"},
		EndpointType: "public",
	}}
}

// Options says which cloud Load resolves and where it looks. The zero
// value is the process's view: OS_CLOUD, the process environment, the
// working directory, the home directory and /etc/openstack.
type Options struct {
	// Cloud names the clouds.yaml entry; empty: OS_CLOUD. With neither, the
	// OS_* variables alone are used, as gophertelekomcloud does even when
	// clouds.yaml holds a single cloud.
	Cloud string
	// Getenv reads a variable; nil: os.Getenv. An empty value is unset.
	Getenv func(string) string
	// WorkDir, HomeDir and SystemDir replace the working directory (also
	// for relative paths in OS_CLIENT_CONFIG_FILE and its kin), the home
	// directory (whose .config/openstack is searched) and /etc/openstack;
	// empty: the process's own. For tests and tools.
	WorkDir, HomeDir, SystemDir string
}

// path resolves a file named by a variable against WorkDir.
func (o Options) path(p string) string {
	if p != "" && o.WorkDir != "" && !filepath.IsAbs(p) {
		return filepath.Join(o.WorkDir, p)
	}
	return p
}

func (o Options) dirs() []string {
	var dirs []string
	if wd := o.WorkDir; wd != "" {
		dirs = append(dirs, wd)
	} else if wd, err := os.Getwd(); err == nil {
		dirs = append(dirs, wd)
	}
	if home := o.HomeDir; home != "" {
		dirs = append(dirs, filepath.Join(home, ".config", "openstack"))
	} else if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".config", "openstack"))
	}
	if sys := o.SystemDir; sys != "" {
		dirs = append(dirs, sys)
	} else {
		dirs = append(dirs, "/etc/openstack")
	}
	return dirs
}

// Load finds, reads and merges the configuration of one cloud and returns
// it validated (see Cloud.Validate). It reads files only; it makes no
// request. It follows gophertelekomcloud v0.9.8's Env.Cloud
// (openstack/loader.go):
//
//  1. The cloud: Options.Cloud, else OS_CLOUD. With neither, only the OS_*
//     variables are read, and no file. A name equal to OS_CLOUD_NAME
//     (default "envvars") also means the variables alone.
//  2. clouds.yaml: the file named by OS_CLIENT_CONFIG_FILE, else the first
//     of clouds.yaml, clouds.yml, clouds.json in the working directory,
//     then ~/.config/openstack, then /etc/openstack. A variable naming a
//     missing file falls through to the search, as in gophertelekomcloud.
//     secure.yaml (OS_CLIENT_SECURE_FILE) and clouds-public.yaml
//     (OS_CLIENT_VENDOR_FILE, key public-clouds) are found the same way,
//     each independently.
//  3. The entry's values win; secure.yaml's entry of the same name fills
//     what it leaves empty (a cloud only in secure.yaml is ignored); then
//     the vendor profile named by its profile key, else its cloud key (the
//     built-in "otc" profile when no clouds-public.yaml exists: auth URL
//     https://iam.{region_name}.otc.t-systems.com/v3, interface public);
//     then the OS_* variables. So a value in clouds.yaml beats the same
//     setting in the environment, field by field.
//  4. An empty region is the project name (else the delegated project) up
//     to its first "_"; "{region_name}" in the auth URL is replaced by it.
//  5. The domain is resolved to one pair (see Cloud); an AuthType of
//     "token" or "aksk" clears the user, password and domain, as
//     gophertelekomcloud's AuthOptionsFromInfo does.
//
// Errors: without a named cloud and without any OS_* credential variable,
// an error wrapping signer.ErrNoCredentials (a credential chain moves on).
// A named cloud that no clouds.yaml defines wraps ErrCloudNotFound. A file
// that is found but unreadable, over MaxFileSize, or not YAML of the right
// shape is a *FileError naming it (gophertelekomcloud panics on such a
// clouds.yaml and ignores such a secure.yaml). Otherwise the errors of
// Validate. No error quotes a file's content or a secret.
func Load(opts Options) (Cloud, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	env := envReader(getenv)
	fromEnv := envCloud(env)

	name := opts.Cloud
	if name == "" {
		name = env.first("CLOUD")
	}
	if name == "" {
		if !envHasCredentials(fromEnv) {
			return Cloud{}, fmt.Errorf("cloudsyaml: no cloud named (OS_CLOUD) and no OS_* credential variable set: %w", signer.ErrNoCredentials)
		}
		return resolve("", Files{}, fromEnv)
	}

	merged, files, err := loadNamed(opts, env, name)
	if err != nil {
		return Cloud{}, err
	}
	merged.fill(fromEnv)
	return resolve(name, files, merged)
}

// loadNamed returns the named cloud from the files, merged with secure.yaml
// and its vendor profile, or the empty cloud when name is the environment's
// cloud.
func loadNamed(opts Options, env envReader, name string) (rawCloud, Files, error) {
	dirs := opts.dirs()
	var files Files
	var clouds map[string]rawCloud
	searched := candidates(opts.path(env.first("CLIENT_CONFIG_FILE")), dirs, "clouds")
	if files.Clouds = firstExisting(searched); files.Clouds != "" {
		var err error
		if clouds, err = loadClouds(files.Clouds); err != nil {
			return rawCloud{}, files, err
		}
	}
	envName := env.first("CLOUD_NAME")
	if envName == "" {
		envName = envCloudName
	}
	if _, dup := clouds[envName]; dup {
		return rawCloud{}, files, fmt.Errorf("cloudsyaml: %s defines a cloud named %q, the name of the OS_* variables' cloud (OS_CLOUD_NAME, default %q); rename one",
			files.Clouds, envName, envCloudName)
	}
	if name == envName {
		return rawCloud{}, Files{}, nil
	}
	cloud, ok := clouds[name]
	if !ok {
		where := "no clouds.yaml was found (searched " + strings.Join(searched, ", ") + ")"
		if files.Clouds != "" {
			where = files.Clouds + " does not define it"
		}
		return rawCloud{}, files, fmt.Errorf("cloudsyaml: cloud %q: %s: %w", name, where, ErrCloudNotFound)
	}

	if files.Secure = firstExisting(candidates(opts.path(env.first("CLIENT_SECURE_FILE")), dirs, "secure")); files.Secure != "" {
		secure, err := loadClouds(files.Secure)
		if err != nil {
			return rawCloud{}, files, err
		}
		if s, ok := secure[name]; ok {
			cloud.fill(s)
		}
	}

	vendor := otcVendor()
	if files.Vendor = firstExisting(candidates(opts.path(env.first("CLIENT_VENDOR_FILE")), dirs, "clouds-public")); files.Vendor != "" {
		var err error
		if vendor, err = loadVendor(files.Vendor); err != nil {
			return rawCloud{}, files, err
		}
	}
	profile := cloud.Profile
	if profile == "" {
		profile = cloud.Cloud
	}
	if v, ok := vendor[profile]; ok && profile != "" {
		cloud.fill(v)
	}
	return cloud, files, nil
}

// resolve completes the merged settings (region, auth URL, domain, auth
// type) and validates them.
func resolve(name string, files Files, m rawCloud) (Cloud, error) {
	a := m.Auth
	if m.RegionName == "" {
		m.RegionName = regionFromProject(a.ProjectName, a.DelegatedProject)
	}
	authURL := a.AuthURL
	if strings.Contains(authURL, regionPlaceholder) && m.RegionName != "" {
		authURL = strings.ReplaceAll(authURL, regionPlaceholder, m.RegionName)
	}
	// The domain, as gophertelekomcloud's AuthOptionsFromInfo picks it: the
	// project's domain over domain_*, the user's over both. It writes
	// user_domain_id and project_domain_id into the project ID instead (a
	// slip: the token would be scoped to a project whose ID is a domain's);
	// here they are domain IDs, as in every other OpenStack client.
	domainName, domainID := a.DomainName, a.DomainID
	if a.ProjectID != "" || a.ProjectName != "" {
		domainName = firstOf(a.ProjectDomainName, domainName)
		domainID = firstOf(a.ProjectDomainID, domainID)
	}
	if a.Username != "" || a.UserID != "" {
		domainName = firstOf(a.UserDomainName, domainName)
		domainID = firstOf(a.UserDomainID, domainID)
	}
	c := Cloud{
		Name:             name,
		Files:            files,
		AuthType:         m.AuthType,
		AuthURL:          authURL,
		Username:         a.Username,
		UserID:           a.UserID,
		Password:         a.Password,
		DomainName:       domainName,
		DomainID:         domainID,
		ProjectName:      a.ProjectName,
		ProjectID:        a.ProjectID,
		Token:            a.Token,
		AccessKey:        a.AccessKey,
		SecretKey:        a.SecretKey,
		SecurityToken:    a.SecurityToken,
		AgencyName:       a.AgencyName,
		AgencyDomainName: a.AgencyDomainName,
		DelegatedProject: a.DelegatedProject,
		Region:           m.RegionName,
		Interface:        firstOf(m.EndpointType, m.Interface),
		Insecure:         m.Verify != nil && !*m.Verify,
		CACert:           m.CACert,
		ClientCert:       m.ClientCert,
		ClientKey:        m.ClientKey,
	}
	if t := explicitType(c.AuthType); t == "token" || t == "aksk" {
		c.Username, c.UserID, c.Password, c.DomainName, c.DomainID = "", "", "", "", ""
	}
	if err := c.Validate(); err != nil {
		return Cloud{}, err
	}
	return c, nil
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
