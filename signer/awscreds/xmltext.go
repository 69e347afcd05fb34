package awscreds

import (
	"encoding/xml"
	"errors"
	"strings"
)

// errXMLTooLong is an XML element with more tokens than the caller's budget.
var errXMLTooLong = errors.New("too many XML tokens")

// xmlLeaves reads, token by token, the element whose start tag d has just
// returned, up to its end tag, and returns the text directly inside each
// descendant named in paths (local names below the element joined by "/",
// "" for the element's own text). Names match whatever their namespace, and
// a later element of a path replaces an earlier one, as encoding/xml's
// Unmarshal into a struct of string fields does; text inside a child of a
// named element is not its text, as there. Reading tokens rather than
// calling DecodeElement keeps encoding/xml's reflection-driven unmarshaler
// out of the binary (about 50 KB of every program with the default chain,
// measured 2026-12-03). budget is the number of tokens left to read; running
// out is an error, as is malformed XML.
func xmlLeaves(d *xml.Decoder, budget *int, paths ...string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	var stack []string
	path := ""
	wanted := func(p string) bool {
		for _, w := range paths {
			if w == p {
				return true
			}
		}
		return false
	}
	for {
		if *budget <= 0 {
			return nil, errXMLTooLong
		}
		*budget--
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			path = strings.Join(stack, "/")
			if wanted(path) {
				out[path] = ""
			}
		case xml.CharData:
			if wanted(path) {
				out[path] += string(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return out, nil
			}
			stack = stack[:len(stack)-1]
			path = strings.Join(stack, "/")
		}
	}
}
