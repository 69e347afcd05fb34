package signer

import (
	"strconv"
	"strings"
)

// The AWS shared config and credentials files are read the way
// aws-sdk-go-v2's config/internal/ini (config v1.33.19) reads them, quirks
// included, because a program that swaps the SDK for detach must see the
// same profiles:
//
//   - The file is split on "\n" only; a trailing "\r" is removed wherever the
//     SDK trims space, and kept in continuation lines, where it does not.
//   - Blank lines and lines whose first non-blank character is '#' or ';'
//     are skipped.
//   - A section header is the text before the first '#' (then ';'), trimmed,
//     enclosed in "[...]"; its inside, trimmed, splits at the first run of
//     blanks into a type and a name ("[ profile  dev ]" is "profile dev").
//   - A property is a line that does not start with a blank: its value is cut
//     at " #", " ;", "\t#" or "\t;", it splits at the first '=' (or at ':'
//     when that comes first), the key is lower-cased, and the value is
//     trimmed and loses one pair of surrounding quotes.
//   - An indented line with '=' or ':' is a sub-property (inline comments
//     kept): it nests under the previous key when that key's value is empty
//     (the "services" form), and is otherwise promoted to a normal property.
//     An indented line without either is a continuation: "\n" and the line,
//     left-trimmed, are appended to the previous non-empty value.
//   - Properties before any section are ignored; a repeated section merges
//     and a repeated key keeps its last value.
//   - Anything else is ignored. The SDK ignores it silently; the line numbers
//     are recorded here so that AWSSharedCredentials can keep refusing a
//     malformed credentials file.
//
// Two deliberate differences: a value that is a single quote character is
// kept as it is (the SDK panics on it), and no byte-order mark is stripped
// (the SDK does not strip one either, so a leading BOM hides the first
// section header from both).

// awsINIValue is one property: a string, or (services form) sub-properties.
type awsINIValue struct {
	str string
	sub map[string]string // nil unless the key had indented sub-properties
}

// awsINISection is one section of a parsed file.
type awsINISection struct {
	name   string
	values map[string]awsINIValue
	file   map[string]string // key -> the file it was read from
	// partial is set when the section has exactly one of aws_access_key_id
	// and aws_secret_access_key; using such a profile is an error.
	partial bool
}

func newAWSINISection(name string) *awsINISection {
	return &awsINISection{name: name, values: map[string]awsINIValue{}, file: map[string]string{}}
}

// has reports whether the key is present, even with an empty value.
func (s *awsINISection) has(key string) bool {
	_, ok := s.values[key]
	return ok
}

// str is the key's string value ("" when absent or a sub-property block).
func (s *awsINISection) str(key string) string { return s.values[key].str }

// awsINIFile is the sections of one or more files by name ("profile dev",
// "default", "sso-session corp", "services local").
type awsINIFile map[string]*awsINISection

// awsParseINI parses data read from file. It returns the sections and the
// numbers (from 1) of lines that were neither blank, comment, header,
// property, sub-property nor continuation, which the SDK ignores.
func awsParseINI(data []byte, file string) (awsINIFile, []int) {
	p := awsINIParser{file: file, sections: awsINIFile{}}
	for n, line := range strings.Split(string(data), "\n") {
		if !p.line(line) {
			p.ignored = append(p.ignored, n+1)
		}
	}
	return p.sections, p.ignored
}

type awsINIParser struct {
	file     string
	sections awsINIFile
	section  string // current section; "" before the first header
	key      string // last property set in the current section
	ignored  []int
}

// line handles one line and reports whether it was recognised.
func (p *awsINIParser) line(line string) bool {
	if strings.TrimSpace(line) == "" || awsINIIsComment(line) {
		return true
	}
	if typ, name, ok := awsINIHeader(line); ok {
		p.header(typ, name)
		return true
	}
	indented := line[0] == ' ' || line[0] == '\t'
	if !indented {
		k, v, ok := awsINISplit(strings.TrimRight(awsINICutComment(line), " \t"))
		if !ok {
			return false
		}
		p.property(strings.ToLower(k), awsINIUnquote(v))
		return true
	}
	trimmed := strings.TrimLeft(line, " \t")
	if k, v, ok := awsINISplit(trimmed); ok {
		p.subProperty(strings.ToLower(k), awsINIUnquote(v))
		return true
	}
	p.continuation(trimmed)
	return true
}

func (p *awsINIParser) header(typ, name string) {
	if typ != "" {
		name = typ + " " + name
	}
	p.section, p.key = name, ""
	if p.sections[name] == nil {
		p.sections[name] = newAWSINISection(name)
	}
}

func (p *awsINIParser) property(key, value string) {
	if p.section == "" {
		return // the SDK ignores properties before the first section
	}
	s := p.sections[p.section]
	p.key = key
	s.values[key] = awsINIValue{str: value}
	s.file[key] = p.file
}

func (p *awsINIParser) subProperty(key, value string) {
	if p.section == "" {
		return
	}
	s := p.sections[p.section]
	parent := s.values[p.key]
	if p.key == "" || parent.str != "" {
		// An orphan: at the start of a section or after a non-empty value.
		// The SDK promotes it to a normal property, cutting the comment it
		// kept for sub-properties.
		p.property(key, strings.TrimSpace(awsINICutComment(value)))
		return
	}
	if parent.sub == nil {
		parent = awsINIValue{sub: map[string]string{}}
		s.values[p.key] = parent
	}
	parent.sub[key] = value
}

func (p *awsINIParser) continuation(text string) {
	if p.key == "" {
		return
	}
	s := p.sections[p.section]
	if v := s.values[p.key]; v.str != "" && v.sub == nil {
		s.values[p.key] = awsINIValue{str: v.str + "\n" + text}
	}
}

func awsINIIsComment(line string) bool {
	t := strings.TrimLeft(line, " \t")
	return strings.HasPrefix(t, "#") || strings.HasPrefix(t, ";")
}

// awsINIHeader recognises "[type name]" after cutting a '#' or ';' comment.
func awsINIHeader(line string) (typ, name string, ok bool) {
	t, _, _ := strings.Cut(line, "#")
	t, _, _ = strings.Cut(t, ";")
	t = strings.TrimSpace(t)
	if len(t) < 2 || t[0] != '[' || t[len(t)-1] != ']' {
		return "", "", false
	}
	t = strings.TrimSpace(t[1 : len(t)-1])
	// Split at the first run of blanks. The SDK's splitter returns an empty
	// type and name when a blank run ends the text; after TrimSpace that
	// cannot happen, but the result is kept the same.
	i := strings.IndexAny(t, " \t")
	if i < 0 {
		return "", t, true
	}
	rest := strings.TrimLeft(t[i:], " \t")
	if rest == "" {
		return "", "", true
	}
	return t[:i], rest, true
}

// awsINICutComment cuts an inline comment: '#' or ';' after a blank.
func awsINICutComment(s string) string {
	for _, sep := range []string{" #", " ;", "\t#", "\t;"} {
		s, _, _ = strings.Cut(s, sep)
	}
	return s
}

// awsINISplit splits "key = value" at the first '=', or at ':' when it
// comes first (the SDK's legacy separator), and trims both sides.
func awsINISplit(s string) (key, value string, ok bool) {
	eq, colon := strings.IndexByte(s, '='), strings.IndexByte(s, ':')
	sep := eq
	if eq < 0 || colon >= 0 && colon < eq {
		sep = colon
	}
	if sep < 0 {
		return "", "", false
	}
	return strings.TrimSpace(s[:sep]), strings.TrimSpace(s[sep+1:]), true
}

// awsINIUnquote removes one pair of surrounding single or double quotes.
func awsINIUnquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
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
