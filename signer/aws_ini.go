package signer

import (
	"bytes"
	"strconv"
	"strings"
)

// awsINIProfile is the keys of one section of a shared credentials file,
// names lower-cased.
type awsINIProfile map[string]string

// awsParseINI parses the INI dialect of ~/.aws/credentials: "[name]"
// sections, "key = value" (or "key: value", as botocore's configparser also
// accepts) lines, whole-line comments starting with '#' or ';', and inline
// comments introduced by whitespace and then '#' or ';' (credential values
// never contain whitespace). Indented lines after a key with an empty value
// are that key's sub-properties (botocore's nested "s3 =" blocks) and are
// skipped. Repeated sections merge; a repeated key keeps its last value.
//
// It returns only the section named profile, and whether it was present.
// A malformed line is reported by number only: the line may hold a secret.
func awsParseINI(data []byte, profile string) (awsINIProfile, bool, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var (
		section   string
		inSection bool
		found     bool
		nested    bool // inside the sub-properties of an empty-valued key
		out       awsINIProfile
	)
	for n := 1; len(data) > 0; n++ {
		var raw []byte
		raw, data, _ = bytes.Cut(data, []byte{'\n'})
		indented := len(raw) > 0 && (raw[0] == ' ' || raw[0] == '\t')
		line := strings.TrimSpace(string(raw))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if nested && indented {
			continue
		}
		nested = false
		if line[0] == '[' {
			end := strings.IndexByte(line, ']')
			if end < 0 || strings.TrimSpace(awsStripComment(line[end+1:])) != "" {
				return nil, false, awsINILineError(n, `section header must be "[name]"`)
			}
			section = strings.TrimSpace(line[1:end])
			if section == "" {
				return nil, false, awsINILineError(n, "section name is empty")
			}
			inSection = true
			if section == profile {
				found = true
				if out == nil {
					out = awsINIProfile{}
				}
			}
			continue
		}
		sep := strings.IndexAny(line, "=:")
		if sep < 0 {
			return nil, false, awsINILineError(n, `expected "[name]" or "key = value"`)
		}
		key := strings.ToLower(strings.TrimSpace(line[:sep]))
		if key == "" {
			return nil, false, awsINILineError(n, "key is empty")
		}
		if !inSection {
			return nil, false, awsINILineError(n, "key outside any [section]")
		}
		value := strings.TrimSpace(awsStripComment(line[sep+1:]))
		if value == "" {
			nested = true
		}
		if section == profile {
			out[key] = value
		}
	}
	return out, found, nil
}

// awsStripComment cuts an inline comment: '#' or ';' preceded by whitespace.
func awsStripComment(s string) string {
	for i := 1; i < len(s); i++ {
		if (s[i] == '#' || s[i] == ';') && (s[i-1] == ' ' || s[i-1] == '\t') {
			return s[:i]
		}
	}
	return s
}

// awsINIError is a malformed line; it carries the line number, not the text.
type awsINIError struct {
	line   int
	reason string
}

func (e *awsINIError) Error() string {
	return "line " + strconv.Itoa(e.line) + ": " + e.reason
}

func awsINILineError(line int, reason string) error {
	return &awsINIError{line: line, reason: reason}
}
