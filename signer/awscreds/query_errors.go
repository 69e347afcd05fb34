package awscreds

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
)

// maxXMLErrorTokens bounds the scan of an error body for its <Error>
// element. The transport caps error bodies at 64 KiB; the bound keeps the
// work small even for a body of tiny tokens.
const maxXMLErrorTokens = 4096

// decodeQueryError reads an AWS query-protocol (XML) error response for the
// transport (Service.DecodeError), as aws-sdk-go-v2 does (smithy-go
// transport/http/protocol/internal/xml GetProtocolErrorInfo, v1.28.8): the
// Code and Message of the first <Error> element, wherever it is (STS wraps
// it in <ErrorResponse>). Some services spell the message <message>; both
// are read. The request ID comes from X-Amzn-RequestId, else the body's
// <RequestId>. A body that is not XML leaves the fields empty, so the
// transport keeps a snippet instead. It lives here rather than in the
// transport so that only programs that call STS link encoding/xml.
func decodeQueryError(h http.Header, body []byte) (code, message, requestID string) {
	requestID = h.Get("X-Amzn-Requestid")
	d := xml.NewDecoder(bytes.NewReader(body))
	var haveError, haveID bool
	for budget := maxXMLErrorTokens; budget > 0 && !(haveError && haveID); {
		budget--
		tok, err := d.Token()
		if err != nil {
			break
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch start.Name.Local {
		case "Error":
			if haveError {
				continue
			}
			e, err := xmlLeaves(d, &budget, "Code", "Message", "message")
			if err != nil {
				return code, message, requestID
			}
			haveError = true
			code, message = strings.TrimSpace(e["Code"]), e["Message"]
			if message == "" {
				message = e["message"]
			}
		case "RequestId":
			id, err := xmlLeaves(d, &budget, "")
			if err != nil {
				return code, message, requestID
			}
			haveID = true
			if requestID == "" {
				requestID = strings.TrimSpace(id[""])
			}
		}
	}
	return code, message, requestID
}
