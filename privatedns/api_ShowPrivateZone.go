package privatedns

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opShowPrivateZone = "ShowPrivateZone"

// ShowPrivateZoneInput names the private zone to describe.
type ShowPrivateZoneInput struct {
	// ZoneID is the private zone's ID, one segment of the URL path.
	// Required, at most 255 characters (no length is documented, so the
	// bound is far above any zone ID), no control characters.
	ZoneID string `json:"zone_id"`
}

// validate enforces a ZoneID that is present, valid UTF-8, free of control
// characters and one path segment other than "." or "..". No format or
// length is documented, so none is checked but the bound of
// wire.MaxUndocumented characters.
func (in *ShowPrivateZoneInput) validate() error {
	return validateZoneID(in.ZoneID)
}

// request builds GET /v2/zones/{zone_id}, with no body.
func (in *ShowPrivateZoneInput) request() *transport.Request {
	const head = "/v2/zones"
	p := make([]byte, 0, len(head)+1+len(in.ZoneID))
	p = append(p, head...)
	p = wire.AppendSegment(p, in.ZoneID)
	return &transport.Request{Method: http.MethodGet, Path: string(p)}
}

// ShowPrivateZoneOutput is a private zone with the VPCs associated with it.
// Fields the service leaves out are zero; fields it adds are ignored.
type ShowPrivateZoneOutput struct {
	// ID is the zone's ID.
	ID string `json:"id"`
	// Name is the zone's domain name, e.g. "example.com.".
	Name        string `json:"name"`
	Description string `json:"description"`
	// Email is the administrator's address, used in the zone's SOA record.
	Email string `json:"email"`
	// ZoneType is "private" for the zones this API serves.
	ZoneType string `json:"zone_type"`
	// TTL is the SOA record's cache time in seconds.
	TTL int `json:"ttl"`
	// Serial is the SOA record's serial number.
	Serial int64 `json:"serial"`
	// Status is the zone's state; a status not among the ZoneStatus
	// constants is kept as sent.
	Status ZoneStatus `json:"status"`
	// RecordNum is the number of record sets in the zone.
	RecordNum int `json:"record_num"`
	// PoolID is the pool hosting the zone, assigned by the system.
	PoolID string `json:"pool_id"`
	// ProjectID is the project owning the zone.
	ProjectID string `json:"project_id"`
	// CreatedAt and UpdatedAt are when the zone was created and last
	// changed, in UTC. The API writes them as yyyy-MM-ddTHH:mm:ss.SSS with
	// no zone (huaweicloud-sdk-go-v3 ShowPrivateZoneResponse; DNS gives its
	// times in UTC); an RFC 3339 time with a zone is accepted too. Zero when
	// absent.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Routers are the VPCs associated with the zone, in every state: a VPC
	// being disassociated stays here as RouterStatusPendingDelete until DNS
	// has removed it.
	Routers []Router `json:"routers"`
	// Metadata is the request ID, HTTP status and attempt count.
	Metadata transport.Metadata `json:"-"`
}

// Router returns the zone's association with the VPC routerID, and whether
// there is one. A VPC ID names one VPC, whatever its region, so the region
// is not compared.
func (o *ShowPrivateZoneOutput) Router(routerID string) (Router, bool) {
	return findRouter(o.Routers, routerID, "")
}

// findRouter finds routerID among routers; a non-empty region must match
// too.
func findRouter(routers []Router, routerID, region string) (Router, bool) {
	for _, r := range routers {
		if r.RouterID == routerID && (region == "" || r.RouterRegion == region) {
			return r, true
		}
	}
	return Router{}, false
}

// zoneJSON is the answer's body: the documented fields of
// huaweicloud-sdk-go-v3's ShowPrivateZoneResponse that the output keeps.
type zoneJSON struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Email       string       `json:"email"`
	ZoneType    string       `json:"zone_type"`
	TTL         int          `json:"ttl"`
	Serial      int64        `json:"serial"`
	Status      ZoneStatus   `json:"status"`
	RecordNum   int          `json:"record_num"`
	PoolID      string       `json:"pool_id"`
	ProjectID   string       `json:"project_id"`
	CreatedAt   string       `json:"created_at"`
	UpdatedAt   string       `json:"updated_at"`
	Routers     []routerJSON `json:"routers"`
}

// zoneTimeLayout is the documented time format; time.Parse accepts the
// fractional seconds after the seconds field without the layout naming
// them, so ".SSS" (or any other precision, or none) parses.
const zoneTimeLayout = "2006-01-02T15:04:05"

// parseZoneTime reads a zone time: the documented zoneless form as UTC, or
// RFC 3339 with a zone. Empty is the zero time.
func parseZoneTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.ParseInLocation(zoneTimeLayout, s, time.UTC); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, errors.New("field " + field + ": not a time in the documented format yyyy-MM-ddTHH:mm:ss.SSS")
}

// output converts the wire shape. A zone without its id (an empty body, or
// "{}" from something that is not DNS) is an error rather than a zone with
// no routers, which a waiter would take for "disassociated".
func (z *zoneJSON) output(resp *transport.Response) (*ShowPrivateZoneOutput, error) {
	if z.ID == "" {
		return nil, &transport.DecodeError{StatusCode: resp.StatusCode, RequestID: resp.Metadata.RequestID,
			Err: errors.New("body has no zone id")}
	}
	out := &ShowPrivateZoneOutput{
		ID: z.ID, Name: z.Name, Description: z.Description, Email: z.Email, ZoneType: z.ZoneType,
		TTL: z.TTL, Serial: z.Serial, Status: z.Status, RecordNum: z.RecordNum, PoolID: z.PoolID,
		ProjectID: z.ProjectID, Metadata: resp.Metadata,
	}
	var err error
	if out.CreatedAt, err = parseZoneTime("created_at", z.CreatedAt); err != nil {
		return nil, &transport.DecodeError{StatusCode: resp.StatusCode, RequestID: resp.Metadata.RequestID, Err: err}
	}
	if out.UpdatedAt, err = parseZoneTime("updated_at", z.UpdatedAt); err != nil {
		return nil, &transport.DecodeError{StatusCode: resp.StatusCode, RequestID: resp.Metadata.RequestID, Err: err}
	}
	if len(z.Routers) > 0 {
		out.Routers = make([]Router, len(z.Routers))
		for i, r := range z.Routers {
			out.Routers[i] = Router(r)
		}
	}
	return out, nil
}

// ShowPrivateZone describes a private zone, including the VPCs associated
// with it and the state of each association: the call the waiters poll.
//
// HTTP: GET /v2/zones/{zone_id}, no body; ZoneID is one path segment
// escaped as the API gateway's signer escapes it ("/" becomes %2F). Success
// is 200 with the zone as JSON.
//
// Retries: the call only reads, so it is safe to retry: throttling
// (APIGW.0308, CodeFlowControl), transient codes, 500/502/503/504 and
// connection failures are retried up to Retry.MaxAttempts.
//
// Errors: a *transport.ResponseError with the code, message and
// X-Request-Id: CodeZoneNotFound (transport.ErrNotFound) for a zone that
// does not exist in the project, CodeInvalidZoneID, the authentication and
// permission codes, and the gateway's codes. A body that is not the
// documented zone (no id, or a time in another format) is a
// *transport.DecodeError. Bad input is a *transport.ValidationError before
// any request. Every error is a *smithy.OperationError naming the service
// and operation.
func (c *Client) ShowPrivateZone(ctx context.Context, in *ShowPrivateZoneInput, opts ...Option) (*ShowPrivateZoneOutput, error) {
	if in == nil {
		return nil, c.tc.OpError(opShowPrivateZone, wire.Nil("input"))
	}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opShowPrivateZone, err)
	}
	resp, err := c.tc.Do(ctx, opShowPrivateZone, in.request(), c.settings(opts))
	if err != nil {
		return nil, err
	}
	var z zoneJSON
	if err := transport.DecodeJSON(resp, &z); err != nil {
		return nil, c.tc.OpError(opShowPrivateZone, err)
	}
	out, err := z.output(resp)
	if err != nil {
		return nil, c.tc.OpError(opShowPrivateZone, err)
	}
	return out, nil
}
