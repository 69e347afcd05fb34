package transport

// withSecrets adds a request's registered secrets (Request.Secrets) to
// those found in its headers. Empty values are dropped: replacing "" would
// redact the space between every two characters.
func withSecrets(found, registered []string) []string {
	for _, s := range registered {
		if s != "" {
			found = append(found, s)
		}
	}
	return found
}
