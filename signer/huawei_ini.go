package signer

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// The Huawei profile file is read the way huaweicloud-sdk-go-v3 (v0.1.207,
// core/auth/provider/profile_provider.go) reads it: with gopkg.in/ini.v1
// (v1.67.0) and its default options, so that a program that drops the SDK
// sees the same values:
//
//   - A UTF-8 byte-order mark is skipped. Lines are split on "\n" and
//     left-trimmed; blank lines and lines starting with '#' or ';' are
//     skipped.
//   - A line starting with '[' is a section header: its name is everything
//     up to the LAST ']' on the line, not trimmed ("[ basic ]" is not the
//     basic section). No ']' or an empty name is an error, as in ini.v1.
//     Section and key names are case-sensitive; a repeated section merges
//     and a repeated key keeps its last value; keys before any section
//     belong to the DEFAULT section.
//   - Any other line is a key: the name is the text before the first '='
//     or ':', trimmed. A line without either, or with an empty name, is an
//     error (ini.v1 fails the whole file, and so the SDK's provider).
//   - A value is trimmed, cut at the first '#' or ';' (ini.v1's default
//     inline comments, which is why such characters cannot appear in an
//     unquoted value), and loses one pair of surrounding '"' or '\'' quotes
//     when the quote does not appear inside. A value that starts with '`'
//     or '"""' runs to the last matching quote on the line, verbatim.
//
// Deliberate differences, for forms the SDK's files never need: a quoted
// value left open on its line, a value continued with a trailing '\', and a
// quoted key name are errors here instead of ini.v1's multi-line or quoted
// forms. Each error names the line number, never the line's text, which may
// hold a secret.

// hwINI is the sections of a file by name, each a map of keys to values.
type hwINI map[string]map[string]string

// hwINIDefault is ini.v1's name for the keys before any section.
const hwINIDefault = "DEFAULT"

// hwParseINI parses a profile file.
func hwParseINI(data []byte) (hwINI, error) {
	text := strings.TrimPrefix(string(data), "\uFEFF")
	file := hwINI{}
	section := hwINIDefault
	for n, raw := range strings.Split(text, "\n") {
		line := strings.TrimLeftFunc(raw, unicode.IsSpace)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			end := strings.LastIndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("line %d: unclosed section header", n+1)
			}
			if section = line[1:end]; section == "" {
				return nil, fmt.Errorf("line %d: empty section name", n+1)
			}
			continue
		}
		key, value, err := hwINIKeyValue(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		if file[section] == nil {
			file[section] = map[string]string{}
		}
		file[section][key] = value
	}
	return file, nil
}

// hwINIKeyValue splits a key line into its name and value.
func hwINIKeyValue(line string) (key, value string, err error) {
	if line[0] == '"' || line[0] == '`' {
		return "", "", errors.New("quoted key names are not supported")
	}
	i := strings.IndexAny(line, "=:")
	if i < 0 {
		return "", "", errors.New("a key without '=' or ':'")
	}
	if key = strings.TrimSpace(line[:i]); key == "" {
		return "", "", errors.New("an empty key name")
	}
	value, err = hwINIValue(line[i+1:])
	return key, value, err
}

// hwINIValue reads a value as ini.v1's parser.readValue does by default.
func hwINIValue(s string) (string, error) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	// ini.v1 takes '"""' only when more follows it.
	for _, q := range []string{`"""`, "`"} {
		if strings.HasPrefix(s, q) && (q == "`" || len(s) > len(q)) {
			end := strings.LastIndex(s[len(q):], q)
			if end < 0 {
				return "", errors.New("a quoted value that is not closed on its line")
			}
			return s[len(q) : len(q)+end], nil
		}
	}
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, `\`) {
		return "", errors.New(`a value continued with '\'`)
	}
	if i := strings.IndexAny(s, "#;"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	for _, q := range []byte{'\'', '"'} {
		if len(s) >= 2 && s[0] == q && s[len(s)-1] == q && strings.IndexByte(s[1:], q) == len(s)-2 {
			return s[1 : len(s)-1], nil
		}
	}
	return s, nil
}
