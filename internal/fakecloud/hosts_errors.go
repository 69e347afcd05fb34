package fakecloud

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// stsNamespace is the XML namespace of every STS answer.
const stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// stsError answers in the query protocol's error shape, which STS sends
// with Content-Type text/xml:
//
//	<ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>..</Code>
//	<Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>
//
// aws-sdk-go-v2 reads Code and Message of the first Error element
// (smithy-go v1.28.9, internal/xml/error.go). Type is Receiver for a 5xx.
func (k *call) stsError(status int, code, msg string) {
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
	}
	var v struct {
		XMLName xml.Name `xml:"ErrorResponse"`
		Xmlns   string   `xml:"xmlns,attr"`
		Error   struct {
			Type    string
			Code    string
			Message string
		}
		RequestID string `xml:"RequestId"`
	}
	v.Xmlns, v.RequestID = stsNamespace, k.requestID
	v.Error.Type, v.Error.Code, v.Error.Message = typ, code, msg
	k.writeXML(status, v)
}

// writeXML writes v as the XML body with the given status.
func (k *call) writeXML(status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		// Only the emulator's own types are marshalled; this cannot happen.
		status, b = http.StatusInternalServerError, []byte("<ErrorResponse/>")
	}
	h := k.w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	k.w.WriteHeader(status)
	k.w.Write(b) // a write error means the client is gone: nothing to do
}

// oidcError answers in the SSO OIDC shape (service/ssooidc v1.44.5
// response snapshots): {"__type","error","error_description"}, the type
// also in X-Amzn-ErrorType; error is the OAuth 2.0 code.
func (k *call) oidcError(status int, typ, oauthCode, desc string) {
	k.w.Header().Set("X-Amzn-ErrorType", typ)
	k.writeJSON(status, struct {
		Type        string `json:"__type"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}{typ, oauthCode, desc})
}

// imdsError answers as the EC2 metadata service does: a small XHTML page
// naming the status, Content-Type text/html.
func (k *call) imdsError(status int) {
	title := strconv.Itoa(status) + " - " + http.StatusText(status)
	b := []byte(`<?xml version="1.0" encoding="iso-8859-1"?>` + "\n" +
		`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">` + "\n" +
		`<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">` + "\n" +
		" <head>\n  <title>" + title + "</title>\n </head>\n <body>\n  <h1>" + title + "</h1>\n </body>\n</html>\n")
	h := k.w.Header()
	h.Set("Content-Type", "text/html")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	k.w.WriteHeader(status)
	k.w.Write(b)
}

// containerError answers as the container credential endpoints do when
// they answer JSON: {"code","message"}, which aws-sdk-go-v2's endpointcreds
// (credentials v1.21.1) reads when Content-Type is application/json.
func (k *call) containerError(status int, code, msg string) {
	k.writeJSON(status, struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}{code, msg})
}

// hostThrottled answers with the credential host's throttling error. STS
// sends 400 Throttling (its query-protocol code); the portal's model has
// 429 TooManyRequestsException; SSO OIDC's model has only
// SlowDownException (400) for a client calling too often; EC2 documents 429
// for a throttled metadata query; the container endpoint answers 429, which
// aws-sdk-go-v2 retries as throttling.
func (k *call) hostThrottled() {
	switch k.host {
	case STSHost:
		k.stsError(http.StatusBadRequest, "Throttling", "Rate exceeded")
	case SSOHost:
		k.awsError(http.StatusTooManyRequests, "TooManyRequestsException", "Rate exceeded")
	case SSOOIDCHost:
		k.oidcError(http.StatusBadRequest, "SlowDownException", "slow_down", "Rate exceeded")
	case IMDSHost:
		k.imdsError(http.StatusTooManyRequests)
	default:
		k.containerError(http.StatusTooManyRequests, "TooManyRequests", "Rate exceeded")
	}
}

// hostServerError answers status with the credential host's server error:
// the AWS common InternalFailure (500) or ServiceUnavailable (other
// statuses) for STS and the portal, SSO OIDC's InternalServerException,
// the status page for IMDS and {"code","message"} for the container
// endpoint.
func (k *call) hostServerError(status int) {
	switch k.host {
	case STSHost, SSOHost:
		code, msg := "ServiceUnavailable", "The request has failed due to a temporary failure of the server."
		if status == http.StatusInternalServerError {
			code, msg = "InternalFailure", "The request processing has failed because of an unknown error, exception or failure."
		}
		if k.host == STSHost {
			k.stsError(status, code, msg)
			return
		}
		k.awsError(status, code, msg)
	case SSOOIDCHost:
		k.oidcError(status, "InternalServerException", "server_error", "An internal error occurred.")
	case IMDSHost:
		k.imdsError(status)
	default:
		k.containerError(status, "InternalServerError", "The credentials could not be retrieved; try again.")
	}
}

// hostBadRequest answers a request whose body could not be read.
func (k *call) hostBadRequest(msg string) {
	switch k.host {
	case STSHost:
		k.stsError(http.StatusBadRequest, "ValidationError", msg)
	case SSOHost:
		k.awsError(http.StatusBadRequest, "InvalidRequestException", msg)
	case SSOOIDCHost:
		k.oidcError(http.StatusBadRequest, "InvalidRequestException", "invalid_request", msg)
	case IMDSHost:
		k.imdsError(http.StatusBadRequest)
	default:
		k.containerError(http.StatusBadRequest, "BadRequest", msg)
	}
}
