package awscreds

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/detach-go/detach/transport"
)

func FuzzDecodeSTSCredentials(f *testing.F) {
	f.Add([]byte(stsSuccess("AssumeRole")), "AssumeRole")
	f.Add([]byte(stsSuccess("AssumeRoleWithWebIdentity")), "AssumeRoleWithWebIdentity")
	f.Add([]byte(`<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>`), "AssumeRole")
	f.Add([]byte(`<AssumeRoleResponse><X><Y><Z/></Y></X><AssumeRoleResult/></AssumeRoleResponse>`), "AssumeRole")
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY e "x">]><AssumeRoleResponse>&e;</AssumeRoleResponse>`), "AssumeRole")
	f.Add([]byte(`<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>`), "AssumeRole")
	f.Fuzz(func(t *testing.T, body []byte, action string) {
		resp := &transport.Response{StatusCode: 200, Body: body, Metadata: transport.Metadata{RequestID: "r"}}
		creds, err := decodeSTSCredentials(resp, action, SourceAssumeRole)
		if err != nil {
			var de *transport.DecodeError
			if !errors.As(err, &de) || de.Snippet != "" || de.RequestID != "r" {
				t.Errorf("err = %#v, want a DecodeError with the request ID and no snippet", err)
			}
			if len(body) >= 24 && strings.Contains(err.Error(), string(body)) {
				t.Error("the error quotes the body")
			}
			return
		}
		if creds.AccessKeyID == "" || creds.SecretAccessKey == "" || creds.Expires.IsZero() || creds.Source != SourceAssumeRole {
			t.Errorf("accepted %+v", creds)
		}
	})
}

func FuzzDecodeSSOCredentials(f *testing.F) {
	f.Add([]byte(`{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":1748782800000}}`))
	f.Add([]byte(`{"roleCredentials":{"expiration":-9223372036854775808}}`))
	f.Add([]byte(`{"roleCredentials":null}`))
	f.Add([]byte(`{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","expiration":1e30}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		resp := &transport.Response{StatusCode: 200, Body: body}
		creds, err := decodeSSOCredentials(resp)
		if err != nil {
			var de *transport.DecodeError
			if !errors.As(err, &de) || de.Snippet != "" {
				t.Errorf("err = %#v", err)
			}
			return
		}
		if creds.AccessKeyID == "" || creds.SecretAccessKey == "" || creds.Expires.Location() != time.UTC {
			t.Errorf("accepted %+v", creds)
		}
	})
}
