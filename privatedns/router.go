package privatedns

import (
	"net/http"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

// validateRouter checks the input of AssociateRouter and DisassociateRouter:
// what the API requires (ZoneID and RouterID present) and what keeps the
// request well-formed: valid UTF-8 (the JSON body cannot carry anything
// else unchanged), no control characters, and a ZoneID that is one path
// segment other than "." or "..". No format is documented for the IDs, so
// none is checked.
func validateRouter(zoneID, routerID, routerRegion string) error {
	if err := wire.PathID("ZoneID", zoneID, 1, 0); err != nil {
		return err
	}
	if err := wire.Text("RouterID", routerID, 1, 0); err != nil {
		return err
	}
	if routerRegion != "" {
		return wire.Text("RouterRegion", routerRegion, 1, 0)
	}
	return nil
}

// routerRequest builds POST /v2/zones/{zone_id}{action} with the body
// {"router":{"router_id":...,"router_region":...}} (router_region left out
// when empty), compact, written by hand: the body of both associaterouter
// and disassociaterouter.
func routerRequest(zoneID, action, routerID, routerRegion string) *transport.Request {
	const head = "/v2/zones"
	p := make([]byte, 0, len(head)+len(action)+1+len(zoneID))
	p = append(p, head...)
	p = wire.AppendSegment(p, zoneID)
	p = append(p, action...)

	const (
		open   = `{"router":{"router_id":`
		region = `,"router_region":`
		end    = `}}`
	)
	b := make([]byte, 0, len(open)+len(region)+len(end)+4+len(routerID)+len(routerRegion))
	b = append(b, open...)
	b = appendJSONString(b, routerID)
	if routerRegion != "" {
		b = append(b, region...)
		b = appendJSONString(b, routerRegion)
	}
	b = append(b, end...)
	return &transport.Request{Method: http.MethodPost, Path: string(p), ContentType: "application/json", Body: b}
}

// appendJSONString appends s as a JSON string. Validated input has no
// control characters and is valid UTF-8, so only '"' and '\' need escaping
// in practice; control characters are escaped anyway so the output is JSON
// whatever s is.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// routerJSON is a router as the API writes it: the answer of
// associaterouter and disassociaterouter, and an element of a zone's
// routers.
type routerJSON struct {
	RouterID     string       `json:"router_id"`
	RouterRegion string       `json:"router_region"`
	Status       RouterStatus `json:"status"`
}
