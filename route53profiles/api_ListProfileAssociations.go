package route53profiles

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"strconv"

	"github.com/detach-go/detach/internal/wire"
	"github.com/detach-go/detach/transport"
)

const opListProfileAssociations = "ListProfileAssociations"

// ListProfileAssociationsInput filters and pages the list. Every field is
// optional; the zero value lists all of the account's associations.
type ListProfileAssociationsInput struct {
	// ProfileID lists only the associations of this Profile. Empty: any
	// Profile; otherwise 1 to 64 characters, without control characters
	// (it travels in the query).
	ProfileID string `json:"ProfileId"`
	// ResourceID lists only the association of this VPC. Empty: any VPC;
	// otherwise 1 to 64 characters, without control characters.
	ResourceID string `json:"ResourceId"`
	// MaxResults bounds the page: 1 to 100. Zero leaves it to the service,
	// which then returns up to 100.
	MaxResults int32 `json:"MaxResults"`
	// NextToken is the previous page's NextToken; empty for the first page.
	// It is opaque: any bytes are sent, escaped in the query. The model
	// gives it no length; it is bounded at 8192 bytes (the request-line
	// limit of common HTTP servers) so that a runaway value is refused
	// before any request.
	NextToken string `json:"NextToken"`
}

// maxNextTokenBytes bounds ListProfileAssociationsInput.NextToken, for which
// the model gives no length. The token travels in the URL, and 8 KiB is the
// request-line limit of common HTTP servers (Apache's LimitRequestLine,
// nginx's large_client_header_buffers): a token the service issued for use
// in a URL stays well below it, while a runaway value is refused before any
// request.
const maxNextTokenBytes = 8192

// validate enforces the model's rules: the IDs 1 to 64 characters when
// given (and without control characters, which no ID contains and which
// have no place in a query), MaxResults 1 to 100 when given. NextToken is
// opaque: only its length is bounded, by maxNextTokenBytes.
func (in *ListProfileAssociationsInput) validate() error {
	if in.ProfileID != "" {
		if err := wire.Text("ProfileID", in.ProfileID, 1, 64); err != nil {
			return err
		}
	}
	if in.ResourceID != "" {
		if err := wire.Text("ResourceID", in.ResourceID, 1, 64); err != nil {
			return err
		}
	}
	if len(in.NextToken) > maxNextTokenBytes {
		return &transport.ValidationError{Field: "NextToken", Rule: "must be at most " + strconv.Itoa(maxNextTokenBytes) + " bytes"}
	}
	if in.MaxResults < 0 || in.MaxResults > 100 {
		return &transport.ValidationError{Field: "MaxResults", Rule: "must be 1 to 100 (0 leaves it out)"}
	}
	return nil
}

// request builds GET /profileassociations with the given parameters in the
// query: maxResults, nextToken, profileId and resourceId, in that (sorted)
// order, each value escaped as the SigV4 canonical query escapes it (every
// byte but A-Z a-z 0-9 - . _ ~ as %XX, a space as %20). The wire query is
// then its own canonical form, which is what aws-sdk-go-v2 sends (its
// signer rewrites the query so). Empty fields are left out.
func (in *ListProfileAssociationsInput) request() *transport.Request {
	return &transport.Request{Method: http.MethodGet, Path: "/profileassociations", RawQuery: in.query()}
}

func (in *ListProfileAssociationsInput) query() string {
	n := len(in.NextToken) + len(in.ProfileID) + len(in.ResourceID)
	if n == 0 && in.MaxResults == 0 {
		return ""
	}
	b := make([]byte, 0, 3*n+64)
	add := func(key, value string) {
		if len(b) > 0 {
			b = append(b, '&')
		}
		b = append(b, key...)
		b = append(b, '=')
		b = appendQueryEscaped(b, value)
	}
	if in.MaxResults != 0 {
		b = append(b, "maxResults="...)
		b = strconv.AppendInt(b, int64(in.MaxResults), 10)
	}
	if in.NextToken != "" {
		add("nextToken", in.NextToken)
	}
	if in.ProfileID != "" {
		add("profileId", in.ProfileID)
	}
	if in.ResourceID != "" {
		add("resourceId", in.ResourceID)
	}
	return string(b)
}

// appendQueryEscaped appends s escaped as SigV4's canonical query escapes
// it: A-Z a-z 0-9 - . _ ~ as they are, every other byte as %XX (upper-case
// hex), a space as %20 (not "+", which a service could read either way).
func appendQueryEscaped(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b = append(b, c)
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}

// ListProfileAssociationsOutput is one page of the list.
type ListProfileAssociationsOutput struct {
	// ProfileAssociations are this page's associations.
	ProfileAssociations []ProfileAssociation
	// NextToken, when not empty, asks for the next page: pass it in the
	// next input's NextToken.
	NextToken string
	// Metadata is the request ID, HTTP status and attempt count.
	Metadata transport.Metadata
}

// ListProfileAssociations lists Profile associations, one page per call:
// all of them, or those of one Profile (ProfileID), or the one of a VPC
// (ResourceID). An association being removed is listed with status
// DELETING until the removal completes, then no longer listed.
// ListProfileAssociationsAll pages through the whole list.
//
// HTTP: GET /profileassociations?maxResults=&nextToken=&profileId=&resourceId=,
// no body; only the parameters given are sent.
//
// Retries: a read, safe to retry. Throttling (whatever its status),
// 500/502/503/504 and connection failures are retried up to
// Retry.MaxAttempts.
//
// Errors: a *transport.ResponseError with one of the Code constants (all
// sent with HTTP 400): CodeInvalidNextToken, CodeInvalidParameter and
// CodeValidation (transport.ErrInvalidInput), CodeThrottling
// (transport.ErrThrottled, retried), CodeAccessDenied
// (transport.ErrAccessDenied). Bad input is a *transport.ValidationError
// before any request. Every error is a *smithy.OperationError naming the
// service and operation. A nil input lists everything, as aws-sdk-go-v2
// takes a nil input for an empty one.
func (c *Client) ListProfileAssociations(ctx context.Context, in *ListProfileAssociationsInput, opts ...Option) (*ListProfileAssociationsOutput, error) {
	if in == nil {
		in = &ListProfileAssociationsInput{}
	}
	if err := in.validate(); err != nil {
		return nil, c.tc.OpError(opListProfileAssociations, err)
	}
	_, set := c.callOptions(opts)
	resp, err := c.tc.Do(ctx, opListProfileAssociations, in.request(), set)
	if err != nil {
		return nil, err
	}
	var body struct {
		NextToken           *string                  `json:"NextToken"`
		ProfileAssociations []profileAssociationJSON `json:"ProfileAssociations"`
	}
	if err := transport.DecodeJSON(resp, &body); err != nil {
		return nil, c.tc.OpError(opListProfileAssociations, err)
	}
	out := &ListProfileAssociationsOutput{Metadata: resp.Metadata}
	if body.NextToken != nil {
		out.NextToken = *body.NextToken
	}
	if len(body.ProfileAssociations) > 0 {
		out.ProfileAssociations = make([]ProfileAssociation, len(body.ProfileAssociations))
		for i := range body.ProfileAssociations {
			a, bad := body.ProfileAssociations[i].convert()
			if bad != "" {
				return nil, c.tc.OpError(opListProfileAssociations,
					badTimestamp(resp, "ProfileAssociations["+strconv.Itoa(i)+"]."+bad))
			}
			out.ProfileAssociations[i] = a
		}
	}
	return out, nil
}

// ListProfileAssociationsAll pages through ListProfileAssociations and
// yields every association, calling the service for the next page only
// when the consumer wants more: it starts at in.NextToken (usually empty)
// and stops when a page has no NextToken or the consumer stops. in is
// copied when ListProfileAssociationsAll is called; nil lists everything.
//
// A failed call is yielded once, with a zero ProfileAssociation, and ends
// the sequence. A page whose NextToken repeats the one just sent would page
// forever; it ends the sequence with a *transport.DecodeError. At most
// Options.MaxPages pages are fetched (default transport.DefaultMaxPages): a
// list still unfinished then ends with a *transport.PageLimitError. Each
// page is an ordinary call, paced by Options.Limiter and retried as
// Options.Retry says.
func (c *Client) ListProfileAssociationsAll(ctx context.Context, in *ListProfileAssociationsInput, opts ...Option) iter.Seq2[ProfileAssociation, error] {
	var first ListProfileAssociationsInput
	if in != nil {
		first = *in
	}
	o, _ := c.callOptions(opts)
	maxPages := o.MaxPages
	if maxPages <= 0 {
		maxPages = transport.DefaultMaxPages
	}
	return func(yield func(ProfileAssociation, error) bool) {
		page := first
		for pages := 1; ; pages++ {
			out, err := c.ListProfileAssociations(ctx, &page, opts...)
			if err != nil {
				yield(ProfileAssociation{}, err)
				return
			}
			for _, a := range out.ProfileAssociations {
				if !yield(a, nil) {
					return
				}
			}
			if out.NextToken == "" {
				return
			}
			if out.NextToken == page.NextToken {
				yield(ProfileAssociation{}, c.tc.OpError(opListProfileAssociations, &transport.DecodeError{
					StatusCode: out.Metadata.StatusCode,
					RequestID:  out.Metadata.RequestID,
					Err:        errors.New("the page's NextToken repeats the request's: paging would never end"),
				}))
				return
			}
			if pages >= maxPages {
				yield(ProfileAssociation{}, c.tc.OpError(opListProfileAssociations, &transport.PageLimitError{Limit: maxPages}))
				return
			}
			page.NextToken = out.NextToken
		}
	}
}
