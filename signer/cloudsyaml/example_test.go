package cloudsyaml_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/detach-go/detach/signer/cloudsyaml"
)

// Load a cloud from clouds.yaml, with its password in secure.yaml and its
// auth URL from the built-in "otc" profile. A real program passes
// Options{} (or just the cloud's name) and lets Load search the working
// directory, ~/.config/openstack and /etc/openstack.
func ExampleLoad() {
	dir, err := os.MkdirTemp("", "cloudsyaml-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	files := map[string]string{
		"clouds.yaml": `
clouds:
  prod:
    profile: otc
    auth:
      username: cleanup
      user_domain_name: OTC-EU-DE-00000000001
      project_name: eu-de_cleanup
`,
		"secure.yaml": `
clouds:
  prod:
    auth:
      password: correct-horse
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			fmt.Println(err)
			return
		}
	}

	c, err := cloudsyaml.Load(cloudsyaml.Options{
		Cloud:   "prod",
		Getenv:  func(string) string { return "" }, // no OS_* variables here
		WorkDir: dir, HomeDir: dir, SystemDir: dir,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Method(), c.AuthURL, c.Region)
	fmt.Println(c.Username, c.DomainName, c.ProjectName)
	fmt.Println("password from", filepath.Base(c.Files.Secure), "set:", c.Password != "")
	// Output:
	// password https://iam.eu-de.otc.t-systems.com/v3 eu-de
	// cleanup OTC-EU-DE-00000000001 eu-de_cleanup
	// password from secure.yaml set: true
}
