package customerprofiles

import (
	"errors"

	"github.com/detach-go/detach/transport"
)

// notFoundMetadata reports whether err is the service's answer that the
// domain, profile or object does not exist (ResourceNotFoundException, sent
// with 404), and if so the Metadata of that answer. Only that code counts: a
// 404 from a proxy or an unknown path also classifies as not found, but says
// nothing about the object. A call whose context ended is never "gone".
func notFoundMetadata(err error) (transport.Metadata, bool) {
	var re *transport.ResponseError
	var ce *transport.CanceledError
	if !errors.As(err, &re) || re.Code != CodeResourceNotFound || errors.As(err, &ce) {
		return transport.Metadata{}, false
	}
	return transport.Metadata{RequestID: re.RequestID, StatusCode: re.StatusCode, Attempts: re.Attempts}, true
}
