package privatedns

import (
	"errors"

	"github.com/detach-go/detach/internal/huaweiendpoint"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
)

// WithProjectIDFromIAM is an Option for New: with Credentials whose keys
// carry no project ID (ECS metadata, CCE pod identity and federation keys
// never do; the environment and the profile file only with
// HUAWEICLOUD_SDK_PROJECT_ID or project_id) and no Options.ProjectID, the
// client asks IAM once for the ID of the project named Region
// (GET /v3/projects?name={Region} at Options.IAMEndpoint, signed with the
// same keys, as huaweicloud-sdk-go-v3 v0.1.207 does for a client built
// without one) and caches it for the access key; see
// huaweicreds.ProjectIDFromIAM for the rules. Keys that carry the ID, or an
// Options.ProjectID, send no request. The lookup uses the Settings given to
// New, and needs Region. Given to an operation, it is ignored.
//
// The lookup is an option, not the default, so that a program with its
// project ID at hand does not link the IAM client: about 29 KB of binary.
// Wrapping Credentials in huaweicreds.ProjectIDFromIAM yourself does the
// same.
func WithProjectIDFromIAM() Option {
	return func(o *Options) { o.lookupProject = projectIDFromIAM }
}

// projectIDFromIAM wraps o.Credentials in huaweicreds.ProjectIDFromIAM for
// the project named o.Region.
func projectIDFromIAM(o *Options) (signer.HuaweiCredentialsProvider, error) {
	if o.Region == "" {
		return nil, errors.New("the project ID lookup (WithProjectIDFromIAM) needs Region")
	}
	otc := o.Cloud == OpenTelekomCloud
	iam := o.IAMEndpoint
	if iam == "" {
		iam = huaweiendpoint.IAM(otc, o.Region)
	}
	return huaweicreds.ProjectIDFromIAM(o.Credentials, huaweicreds.LookupConfig{
		Endpoint: iam, Region: o.Region, OTC: otc, Settings: o.Settings,
	})
}
