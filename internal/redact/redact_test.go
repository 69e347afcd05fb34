package redact

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMask(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"": "", "x": Redacted, "secret value": Redacted} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

// rendered holds a secret; Format must be all fmt ever shows of it.
type rendered struct{ secret string }

func (r rendered) Format(f fmt.State, verb rune) { Format(f, verb, "rendered{"+Mask(r.secret)+"}") }

func TestFormatEveryVerb(t *testing.T) {
	t.Parallel()
	v := rendered{secret: "s3cr3t"}
	got := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q", "%10.3v"} {
		got[verb] = fmt.Sprintf(verb, v)
	}
	const plain = "rendered{[redacted]}"
	want := map[string]string{"%v": plain, "%+v": plain, "%#v": plain, "%s": plain, "%d": plain, "%x": plain,
		"%q": `"rendered{[redacted]}"`, "%10.3v": plain}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("renderings (-want +got):\n%s", diff)
	}
}
