// Package wire holds what the service packages share to build requests:
// path-segment escaping and the input rules every ID must keep.
package wire
