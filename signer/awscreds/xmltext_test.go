package awscreds

import (
	"bytes"
	"encoding/xml"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// leavesByUnmarshal is what encoding/xml's DecodeElement finds at the
// paths xmlLeaves is asked for in FuzzXMLLeaves: the reference xmlLeaves
// replaces.
type leavesByUnmarshal struct {
	Own         string `xml:",chardata"`
	Code        string `xml:"Code"`
	Credentials struct {
		AccessKeyID string `xml:"AccessKeyId"`
	} `xml:"Credentials"`
}

// FuzzXMLLeaves checks xmlLeaves against DecodeElement on any document:
// both fail or both read the same text at every path. A found path is
// compared; a path that is absent reads as "" in both.
func FuzzXMLLeaves(f *testing.F) {
	for _, s := range []string{
		`<E><Code>A</Code><Message>m</Message></E>`,
		`<E>own<Code>A<x>no</x>B</Code>text<Code>second</Code></E>`,
		`<R><Credentials><AccessKeyId>AK<![CDATA[ID]]></AccessKeyId></Credentials></R>`,
		`<R xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><a:Credentials xmlns:a="x"><AccessKeyId>K</AccessKeyId></a:Credentials></R>`,
		`<R><Credentials><Credentials><AccessKeyId>deep</AccessKeyId></Credentials></Credentials></R>`,
		`<E><Code>unclosed</E>`,
		`<E><!-- c --><Code>a<!-- c -->b</Code></E>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		start := func(d *xml.Decoder) (xml.StartElement, bool) {
			for {
				tok, err := d.Token()
				if err != nil {
					return xml.StartElement{}, false
				}
				if s, ok := tok.(xml.StartElement); ok {
					return s, true
				}
			}
		}
		d1, d2 := xml.NewDecoder(bytes.NewReader(doc)), xml.NewDecoder(bytes.NewReader(doc))
		_, ok1 := start(d1)
		s2, ok2 := start(d2)
		if !ok1 || !ok2 {
			return
		}
		budget := len(doc) + 1 // no document has more tokens than bytes
		got, err := xmlLeaves(d1, &budget, "", "Code", "Credentials/AccessKeyId")
		var want leavesByUnmarshal
		werr := d2.DecodeElement(&want, &s2)
		if (err == nil) != (werr == nil) {
			t.Fatalf("xmlLeaves err = %v, DecodeElement err = %v", err, werr)
		}
		if err != nil {
			return
		}
		if diff := cmp.Diff([]string{want.Own, want.Code, want.Credentials.AccessKeyID},
			[]string{got[""], got["Code"], got["Credentials/AccessKeyId"]}); diff != "" {
			t.Errorf("(-DecodeElement +xmlLeaves):\n%s", diff)
		}
	})
}
