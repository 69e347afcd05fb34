package transport

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// errorFields is what an error body tells us, whatever its protocol.
type errorFields struct {
	code, message, requestID, encodedAuth string
}

// decodeAWSError reads a restJson1 error as aws-sdk-go-v2 does
// (aws/protocol/restjson/decoder_util.go): the X-Amzn-ErrorType header wins,
// then the body's code/Code, then __type; each is sanitized. A body that is
// not JSON leaves code and message empty.
func decodeAWSError(h http.Header, body []byte) errorFields {
	var f errorFields
	f.requestID = h.Get("X-Amzn-Requestid")
	if f.requestID == "" {
		f.requestID = h.Get("X-Amz-Request-Id")
	}
	var doc struct {
		Code    string `json:"code"`
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if len(bytes.TrimSpace(body)) > 0 {
		// encoding/json matches field names case-insensitively, so Code and
		// Message are read too; a failure leaves the fields empty.
		_ = json.Unmarshal(body, &doc)
	}
	f.message = doc.Message
	if v := h.Get("X-Amzn-Errortype"); v != "" {
		f.code = SanitizeAWSErrorCode(v)
	} else if doc.Code != "" {
		f.code = SanitizeAWSErrorCode(doc.Code)
	} else if doc.Type != "" {
		f.code = SanitizeAWSErrorCode(doc.Type)
	}
	return f
}

// SanitizeAWSErrorCode strips what AWS may wrap around an error code: a
// namespace before the first '#' and a URI after the first ':', as
// aws-sdk-go-v2's SanitizeErrorCode does (botocore differs: it splits at the
// last '#').
func SanitizeAWSErrorCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.IndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return strings.TrimSpace(code)
}

// decodeHuaweiError reads a Huawei Cloud or OTC error body in the order of
// huaweicloud-sdk-go-v3 (core/sdkerr processServiceResponseError):
// encoded_authorization_message; the first of details[] that has a code;
// error_code with error_msg; code with
// message; otherwise the first nested object that has them (such as
// Keystone's {"error":{"code":401,"message":...}}). The request ID comes from
// X-Request-Id, else the body's request_id.
func decodeHuaweiError(h http.Header, body []byte) errorFields {
	var f errorFields
	f.requestID = h.Get("X-Request-Id")
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return f
	}
	if f.requestID == "" {
		f.requestID = jsonString(doc["request_id"])
	}
	f.encodedAuth = jsonString(doc["encoded_authorization_message"])
	f.code, f.message = huaweiCodeMessage(doc, 0)
	return f
}

const maxErrorNesting = 4

func huaweiCodeMessage(doc map[string]any, depth int) (code, message string) {
	// details[] comes before the top-level fields in the SDK's order.
	if details, ok := doc["details"].([]any); ok && depth < maxErrorNesting {
		for _, d := range details {
			if inner, ok := d.(map[string]any); ok {
				if c, m := huaweiCodeMessage(inner, depth+1); c != "" {
					return c, m
				}
			}
		}
	}
	if c, m := jsonString(doc["error_code"]), jsonString(doc["error_msg"]); c != "" && m != "" {
		return c, m
	}
	if c, m := jsonString(doc["code"]), jsonString(doc["message"]); c != "" || m != "" {
		return c, m
	}
	if c := jsonString(doc["error_code"]); c != "" {
		return c, jsonString(doc["error_message"])
	}
	if depth >= maxErrorNesting {
		return "", ""
	}
	// Look into nested objects in a stable order, "error" first.
	if inner, ok := doc["error"].(map[string]any); ok {
		if c, m := huaweiCodeMessage(inner, depth+1); c != "" || m != "" {
			return c, m
		}
	}
	keys := make([]string, 0, len(doc))
	for k, v := range doc {
		if _, ok := v.(map[string]any); ok && k != "error" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		if c, m := huaweiCodeMessage(doc[k].(map[string]any), depth+1); c != "" || m != "" {
			return c, m
		}
	}
	return "", ""
}

// jsonString renders a JSON scalar as text; objects and arrays give "".
func jsonString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// snippet keeps the start of a body for an error, printable and short. The
// secrets the request sent (from appendSecrets) are replaced before the body
// is cut, so that no part of one that straddles the cut survives.
func snippet(body []byte, secrets []string) string {
	const max = 256
	var s string
	if len(secrets) == 0 {
		s = string(body[:min(len(body), max)])
	} else {
		s = scrub(string(body), secrets)
		s = s[:min(len(s), max)]
	}
	return clean(strings.ToValidUTF8(s, "\uFFFD"), max)
}
