package transport

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type association struct {
	ID     string `json:"Id"`
	Status string `json:"Status"`
	Nested struct {
		Count int `json:"Count"`
	} `json:"Nested"`
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	meta := Metadata{RequestID: "req-7", StatusCode: 200, Attempts: 1}
	tests := map[string]struct {
		body    string
		want    association
		wantErr string // empty: no error
	}{
		"valid": {body: `{"Id":"a-1","Status":"DELETING","Nested":{"Count":2},"Extra":true}`, want: association{ID: "a-1", Status: "DELETING", Nested: struct {
			Count int `json:"Count"`
		}{2}}},
		"empty body":        {body: ""},
		"whitespace body":   {body: " \r\n\t "},
		"wrong field type":  {body: `{"Id":123}`, wantErr: "field Id: unexpected JSON number"},
		"wrong nested type": {body: `{"Nested":{"Count":"two"}}`, wantErr: "field Nested.Count: unexpected JSON string"},
		"wrong shape":       {body: `[{"Id":"a"}]`, wantErr: "body: unexpected JSON array"},
		"string body":       {body: `"done"`, wantErr: "body: unexpected JSON string"},
		"syntax error":      {body: `{"Id":`, wantErr: "body is not valid JSON"},
		"html":              {body: `<html>ok</html>`, wantErr: "body is not valid JSON"},
		"trailing data":     {body: `{"Id":"a"} {"Id":"b"}`, wantErr: "body is not valid JSON"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got association
			err := DecodeJSON(&Response{StatusCode: 200, Body: []byte(tt.body), Metadata: meta}, &got)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("DecodeJSON() error = %v", err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("DecodeJSON() (-want +got):\n%s", diff)
				}
				return
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("DecodeJSON() error = %v, want a *DecodeError", err)
			}
			if de.RequestID != "req-7" || de.StatusCode != 200 || de.Err.Error() != tt.wantErr {
				t.Errorf("DecodeError = {status %d, request id %q, err %q}, want {200, req-7, %q}", de.StatusCode, de.RequestID, de.Err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "request id req-7") || de.Snippet != snippet([]byte(tt.body), nil) {
				t.Errorf("Error() = %q, Snippet = %q; want the request id and the body's start", err, de.Snippet)
			}
		})
	}

	t.Run("not a pointer", func(t *testing.T) {
		t.Parallel()
		err := DecodeJSON(&Response{StatusCode: 200, Body: []byte(`{}`), Metadata: meta}, association{})
		var de *DecodeError
		if !errors.As(err, &de) || de.RequestID != "req-7" {
			t.Errorf("DecodeJSON(non-pointer) error = %v, want a *DecodeError", err)
		}
	})
}
