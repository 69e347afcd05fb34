package identitycenter

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzDeleteProfileRequest checks, for any three IDs, that validation either
// rejects them or the request's path has exactly the three ID segments at
// their places, each decoding back to the given ID.
func FuzzDeleteProfileRequest(f *testing.F) {
	f.Add(testInstanceID, testAppInstanceID, testProfileID)
	f.Add("ins-a+b:c@d~e.f_g-ü1", "app-ins-x/y%2F", "profil€ 1")
	f.Add("ins-%2Fx=y&z0000000", "app-ins-*star*", "..")
	f.Add("ins-................", "app-ins-?#[]", "%")
	f.Add("ins-0000000000000000", "app-ins-", "a\x00b")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, instance, app, profile string) {
		in := &DeleteProfileInput{InstanceID: instance, ApplicationInstanceID: app, ProfileID: profile}
		if err := in.validate(); err != nil {
			return
		}
		req := in.request()
		if req.Method != "DELETE" || req.Body != nil || req.RawQuery != "" {
			t.Fatalf("request %+v", req)
		}
		segs := strings.Split(req.Path, "/")
		if len(segs) != 8 || segs[0] != "" || segs[1] != "v1" || segs[2] != "instances" ||
			segs[4] != "application-instances" || segs[6] != "profiles" {
			t.Fatalf("path %q does not have the documented shape", req.Path)
		}
		for i, want := range map[int]string{3: instance, 5: app, 7: profile} {
			got, err := url.PathUnescape(segs[i])
			if err != nil || got != want {
				t.Fatalf("segment %d %q decodes to %q (%v), want %q", i, segs[i], got, err, want)
			}
		}
	})
}
