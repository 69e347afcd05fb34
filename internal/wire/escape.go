package wire

// unreserved marks the bytes RFC 3986 leaves unescaped: A-Z a-z 0-9 - . _ ~.
var unreserved = [256]bool{
	'-': true, '.': true, '_': true, '~': true,
	'0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true,
	'A': true, 'B': true, 'C': true, 'D': true, 'E': true, 'F': true, 'G': true, 'H': true, 'I': true, 'J': true,
	'K': true, 'L': true, 'M': true, 'N': true, 'O': true, 'P': true, 'Q': true, 'R': true, 'S': true, 'T': true,
	'U': true, 'V': true, 'W': true, 'X': true, 'Y': true, 'Z': true,
	'a': true, 'b': true, 'c': true, 'd': true, 'e': true, 'f': true, 'g': true, 'h': true, 'i': true, 'j': true,
	'k': true, 'l': true, 'm': true, 'n': true, 'o': true, 'p': true, 'q': true, 'r': true, 's': true, 't': true,
	'u': true, 'v': true, 'w': true, 'x': true, 'y': true, 'z': true,
}

const upperHex = "0123456789ABCDEF"

// Segment escapes s as one path segment: every byte but the unreserved ones
// becomes %XX with upper-case hex, "/" included. This is the label escaping of
// botocore and smithy-go (httpbinding.EscapePath with encodeSep) and the
// segment escaping of Huawei's API gateway signer, so the wire path and the
// canonical path agree on both clouds.
func Segment(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved[s[i]] {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved[c] {
			b = append(b, c)
			continue
		}
		b = append(b, '%', upperHex[c>>4], upperHex[c&15])
	}
	return string(b)
}

// AppendSegment appends "/" and the escaped s to dst.
func AppendSegment(dst []byte, s string) []byte {
	dst = append(dst, '/')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved[c] {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
	}
	return dst
}
