package privatedns

import (
	"net/http"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

// validateRouter checks the input of AssociateRouter and DisassociateRouter:
// what the API requires (ZoneID and RouterID present) and what keeps the
// request well-formed. ZoneID is one path segment: valid UTF-8, no control
// characters, not "." or "..". RouterID and RouterRegion go only into the
// JSON body, which escapes every character: they must be valid UTF-8 (JSON
// cannot carry other bytes unchanged), and control characters are allowed.
// No format or length is documented for any of them, so none is checked
// but a bound of wire.MaxUndocumented characters, far above any ID or
// region name the service issues, which refuses a runaway value before any
// request.
func validateRouter(zoneID, routerID, routerRegion string) error {
	if err := validateZoneID(zoneID); err != nil {
		return err
	}
	if err := validateRouterID("RouterID", routerID); err != nil {
		return err
	}
	if routerRegion != "" {
		return validateRouterID("RouterRegion", routerRegion)
	}
	return nil
}

// validateZoneID checks a zone ID, which is one segment of the URL path.
func validateZoneID(zoneID string) error {
	return wire.PathID("ZoneID", zoneID, 1, wire.MaxUndocumented)
}

// validateRouterID checks a router ID or region, named field, which goes
// only into the JSON body (or is only compared, in the waiters).
func validateRouterID(field, v string) error {
	return wire.BodyText(field, v, 1, wire.MaxUndocumented)
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

// appendJSONString appends s as a JSON string: '"' and '\' with a
// backslash, the C0 control characters (which RouterID and RouterRegion may
// hold) as \u00XX. validateRouter has made sure s is valid UTF-8, so every
// other byte goes as it is.
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
