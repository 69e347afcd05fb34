package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/detach-go/detach/customerprofiles"
	"github.com/detach-go/detach/identitycenter"
	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/privatedns"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// row is one line of the report.
type row struct {
	operation string
	auth      string
	result    string
	status    int
	requestID string
	attempts  int
	// problem says how the call differed from the documentation; empty
	// when it did not.
	problem string
}

// succeeded fills a row from a successful call's metadata.
func succeeded(op, auth, result string, md transport.Metadata) row {
	return row{operation: op, auth: auth, result: result, status: md.StatusCode, requestID: md.RequestID, attempts: md.Attempts}
}

// failed is the row of a call that returned an error it should not have.
func failed(op, auth string, err error) row {
	r := row{operation: op, auth: auth, result: "error", problem: err.Error()}
	var re *transport.ResponseError
	if errors.As(err, &re) {
		r.result = "error " + re.ErrorCode()
		r.status, r.requestID, r.attempts = re.StatusCode, re.RequestID, re.Attempts
	}
	return r
}

// want records a difference when ok is false.
func (r *row) want(ok bool, format string, args ...any) {
	if !ok && r.problem == "" {
		r.problem = fmt.Sprintf(format, args...)
	}
}

// tour holds one client per service, configured as a program would
// configure it, except that every Endpoint points at the emulator.
type tour struct {
	cloud  *fakecloud.Cloud
	r53    *route53profiles.Client
	cp     *customerprofiles.Client
	ic     *identitycenter.Client
	hwDNS  *privatedns.Client
	otcIAM *huaweicreds.PasswordTokenSource
	otcEnd string
	webID  *webIdentity
	oidc   *federated
}

func newTour(srv *fakecloud.Server) (*tour, error) {
	t := &tour{cloud: srv.Cloud(), otcEnd: srv.Endpoint(fakecloud.OTCDNS)}
	var err error

	// AWS: SigV4 with static keys. A real program would leave Credentials
	// nil (the default chain: environment, then ~/.aws/credentials) and
	// Endpoint empty (https://route53profiles.us-east-1.amazonaws.com).
	awsKeys := signer.StaticAWSCredentials(fakecloud.AWSAccessKeyID, fakecloud.AWSSecretKey, "")
	t.r53, err = route53profiles.New(route53profiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.Endpoint(fakecloud.Route53Profiles),
		Credentials: awsKeys,
	})
	if err != nil {
		return nil, err
	}
	t.cp, err = customerprofiles.New(customerprofiles.Options{
		Region:      "us-east-1",
		Endpoint:    srv.Endpoint(fakecloud.CustomerProfiles),
		Credentials: awsKeys,
	})
	if err != nil {
		return nil, err
	}

	// Huawei Identity Center: AK/SK. No DomainID is given, so the client
	// asks IAM for it once (GET /v3/auth/domains) and caches it.
	t.ic, err = identitycenter.New(identitycenter.Options{
		Endpoint:    srv.Endpoint(fakecloud.IdentityCenter),
		IAMEndpoint: srv.Endpoint(fakecloud.HuaweiIAM),
		Credentials: signer.StaticHuaweiCredentials(signer.HuaweiCredentials{
			AccessKey: fakecloud.HuaweiAK,
			SecretKey: fakecloud.HuaweiSK,
		}),
	})
	if err != nil {
		return nil, err
	}

	// Huawei DNS: a project-scoped IAM token obtained with a password,
	// cached and refreshed by the token source.
	hwToken, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint:   srv.Endpoint(fakecloud.HuaweiIAM),
		Region:     fakecloud.HuaweiRegion, // the project is named after the region
		UserName:   fakecloud.HuaweiUserName,
		Password:   fakecloud.HuaweiPassword,
		DomainName: fakecloud.HuaweiDomainName,
	})
	if err != nil {
		return nil, err
	}
	t.hwDNS, err = privatedns.New(privatedns.Options{
		Cloud:       privatedns.HuaweiCloud,
		Region:      fakecloud.HuaweiRegion,
		Endpoint:    srv.Endpoint(fakecloud.HuaweiDNS),
		TokenSource: hwToken,
	})
	if err != nil {
		return nil, err
	}

	// OTC: the tour logs in to the OTC IAM once to get a token, standing
	// in for a token you already hold (OS_AUTH_TOKEN).
	t.otcIAM, err = huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{
		Endpoint:   srv.Endpoint(fakecloud.OTCIAM),
		OTC:        true,
		Region:     fakecloud.OTCRegion,
		UserName:   fakecloud.OTCUserName,
		Password:   fakecloud.OTCPassword,
		DomainName: fakecloud.OTCDomainName,
	})
	if err != nil {
		return nil, err
	}
	if t.webID, err = newWebIdentity(srv); err != nil {
		return nil, err
	}
	if t.oidc, err = newFederated(srv); err != nil {
		t.webID.close()
		return nil, err
	}
	return t, nil
}

// close stops the STS server and removes the token files of the
// federated calls.
func (t *tour) close() {
	t.webID.close()
	t.oidc.close()
}

// calls makes every call of the tour, in order.
func (t *tour) calls(ctx context.Context) []row {
	return []row{
		t.disassociateProfile(ctx),
		t.deleteProfileObject(ctx),
		t.deleteProfile(ctx),
		t.disassociateRouterHuawei(ctx),
		t.disassociateRouterOTC(ctx),
		t.throttledThenRetried(ctx),
		t.lastVPC(ctx),
		t.alreadyDeleted(ctx),
		t.webID.list(ctx),
		t.oidc.show(ctx),
	}
}

func (t *tour) disassociateProfile(ctx context.Context) row {
	const op, auth = "route53profiles DisassociateProfile", "SigV4"
	out, err := t.r53.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{
		ProfileID:  fakecloud.R53ProfileID,
		ResourceID: fakecloud.R53VPCID,
	})
	if err != nil {
		return failed(op, auth, err)
	}
	a := out.ProfileAssociation
	if a == nil {
		r := succeeded(op, auth, "no association in the answer", out.Metadata)
		r.want(false, "the answer carries no ProfileAssociation")
		return r
	}
	r := succeeded(op, auth, "association "+string(a.Status), out.Metadata)
	r.want(a.Status == route53profiles.ProfileStatusDeleting, "status %s, want %s", a.Status, route53profiles.ProfileStatusDeleting)
	r.want(a.ID == fakecloud.R53AssociationID, "association ID %q, want %q", a.ID, fakecloud.R53AssociationID)
	r.want(out.Metadata.StatusCode == 200 && out.Metadata.Attempts == 1, "HTTP %d after %d attempts, want 200 after 1", out.Metadata.StatusCode, out.Metadata.Attempts)
	return r
}

func (t *tour) deleteProfileObject(ctx context.Context) row {
	const op, auth = "customerprofiles DeleteProfileObject", "SigV4"
	out, err := t.cp.DeleteProfileObject(ctx, &customerprofiles.DeleteProfileObjectInput{
		DomainName:             fakecloud.CPDomainName,
		ObjectTypeName:         fakecloud.CPObjectTypeName,
		ProfileID:              fakecloud.CPProfileID,
		ProfileObjectUniqueKey: fakecloud.CPObjectKey,
	})
	if err != nil {
		return failed(op, auth, err)
	}
	r := succeeded(op, auth, "object deleted", out.Metadata)
	r.want(out.Message != "", "the answer carries no Message")
	r.want(out.Metadata.StatusCode == 200 && out.Metadata.Attempts == 1, "HTTP %d after %d attempts, want 200 after 1", out.Metadata.StatusCode, out.Metadata.Attempts)
	return r
}

func (t *tour) deleteProfile(ctx context.Context) row {
	const op, auth = "identitycenter DeleteProfile", "AK/SK"
	out, err := t.ic.DeleteProfile(ctx, &identitycenter.DeleteProfileInput{
		InstanceID:            fakecloud.ICInstanceID,
		ApplicationInstanceID: fakecloud.ICApplicationInstanceID,
		ProfileID:             fakecloud.ICProfileID,
	})
	if err != nil {
		return failed(op, auth, err)
	}
	r := succeeded(op, auth, "profile deleted", out.Metadata)
	r.want(out.Metadata.StatusCode == 200 && out.Metadata.Attempts == 1, "HTTP %d after %d attempts, want 200 after 1", out.Metadata.StatusCode, out.Metadata.Attempts)
	return r
}

func (t *tour) disassociateRouterHuawei(ctx context.Context) row {
	const op, auth = "privatedns DisassociateRouter (Huawei)", "IAM password token"
	out, err := t.hwDNS.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{
		ZoneID:   fakecloud.HuaweiZoneID,
		RouterID: fakecloud.HuaweiVPCID,
	})
	if err != nil {
		return failed(op, auth, err)
	}
	return routerRow(op, auth, out)
}

func (t *tour) disassociateRouterOTC(ctx context.Context) row {
	const op, auth = "privatedns DisassociateRouter (OTC)", "static token"
	tok, err := t.otcIAM.Token(ctx)
	if err != nil {
		return failed(op, auth, err)
	}
	c, err := privatedns.New(privatedns.Options{
		Cloud:       privatedns.OpenTelekomCloud,
		Region:      fakecloud.OTCRegion,
		Endpoint:    t.otcEnd,
		TokenSource: signer.StaticToken(tok.Value),
	})
	if err != nil {
		return failed(op, auth, err)
	}
	out, err := c.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{
		ZoneID:   fakecloud.OTCZoneID,
		RouterID: fakecloud.OTCVPCID,
	})
	if err != nil {
		return failed(op, auth, err)
	}
	return routerRow(op, auth, out)
}

func routerRow(op, auth string, out *privatedns.DisassociateRouterOutput) row {
	r := succeeded(op, auth, "router "+string(out.Status), out.Metadata)
	r.want(out.Status == privatedns.RouterStatusPendingDelete, "status %s, want %s", out.Status, privatedns.RouterStatusPendingDelete)
	r.want(out.Metadata.StatusCode == 202 && out.Metadata.Attempts == 1, "HTTP %d after %d attempts, want 202 after 1", out.Metadata.StatusCode, out.Metadata.Attempts)
	return r
}

// throttledThenRetried has the emulator throttle the next call, as Route 53
// Profiles does under load (HTTP 400 ThrottlingException). The transport
// retries it; a per-call option shortens the backoff so the tour stays fast.
func (t *tour) throttledThenRetried(ctx context.Context) row {
	const op, auth = "route53profiles DisassociateProfile", "SigV4"
	t.cloud.Inject(fakecloud.OpDisassociateProfile, fakecloud.Fault{Kind: fakecloud.Throttle})

	quickRetry := func(o *route53profiles.Options) { o.Retry.BaseDelay = 20 * time.Millisecond }
	out, err := t.r53.DisassociateProfile(ctx, &route53profiles.DisassociateProfileInput{
		ProfileID:  fakecloud.R53ProfileID,
		ResourceID: fakecloud.R53VPCID2,
	}, quickRetry)
	if err != nil {
		return failed(op, auth, err)
	}
	r := succeeded(op, auth, "throttled, retried: DELETING", out.Metadata)
	r.want(out.Metadata.Attempts == 2, "%d attempts, want 2 (one throttled, one retry)", out.Metadata.Attempts)
	r.want(out.ProfileAssociation != nil && out.ProfileAssociation.Status == route53profiles.ProfileStatusDeleting,
		"the association is not DELETING")
	return r
}

// lastVPC asks DNS to remove the only VPC of a zone, which the API refuses
// with DNS.0706; the program tells that apart from other failures with
// errors.Is and reads the details with errors.As.
func (t *tour) lastVPC(ctx context.Context) row {
	const op, auth = "privatedns DisassociateRouter (Huawei)", "IAM password token"
	_, err := t.hwDNS.DisassociateRouter(ctx, &privatedns.DisassociateRouterInput{
		ZoneID:   fakecloud.HuaweiSingleZoneID,
		RouterID: fakecloud.HuaweiSingleVPCID,
	})
	var re *transport.ResponseError
	switch {
	case err == nil:
		return row{operation: op, auth: auth, result: "succeeded", problem: "the zone's last VPC was disassociated; want " + privatedns.CodeLastVPC}
	case !errors.As(err, &re):
		return failed(op, auth, err)
	}
	r := row{operation: op, auth: auth, status: re.StatusCode, requestID: re.RequestID, attempts: re.Attempts,
		result: re.Code + " (ErrConflict): last VPC kept"}
	r.want(errors.Is(err, transport.ErrConflict), "errors.Is(err, transport.ErrConflict) is false for %v", err)
	r.want(re.Code == privatedns.CodeLastVPC, "code %q, want %q", re.Code, privatedns.CodeLastVPC)
	r.want(re.StatusCode == 403 && re.Attempts == 1, "HTTP %d after %d attempts, want 403 after 1 (not retried)", re.StatusCode, re.Attempts)
	return r
}

// alreadyDeleted deletes the first call's object again: Customer Profiles
// answers 404 ResourceNotFoundException, which a cleanup job treats as done.
func (t *tour) alreadyDeleted(ctx context.Context) row {
	const op, auth = "customerprofiles DeleteProfileObject", "SigV4"
	_, err := t.cp.DeleteProfileObject(ctx, &customerprofiles.DeleteProfileObjectInput{
		DomainName:             fakecloud.CPDomainName,
		ObjectTypeName:         fakecloud.CPObjectTypeName,
		ProfileID:              fakecloud.CPProfileID,
		ProfileObjectUniqueKey: fakecloud.CPObjectKey,
	})
	var re *transport.ResponseError
	switch {
	case err == nil:
		return row{operation: op, auth: auth, result: "succeeded", problem: "a deleted object was deleted again; want " + customerprofiles.CodeResourceNotFound}
	case !errors.Is(err, transport.ErrNotFound) || !errors.As(err, &re):
		return failed(op, auth, err)
	}
	r := row{operation: op, auth: auth, status: re.StatusCode, requestID: re.RequestID, attempts: re.Attempts,
		result: re.Code + " (ErrNotFound): already gone"}
	r.want(re.Code == customerprofiles.CodeResourceNotFound, "code %q, want %q", re.Code, customerprofiles.CodeResourceNotFound)
	r.want(re.StatusCode == 404 && re.Attempts == 1, "HTTP %d after %d attempts, want 404 after 1", re.StatusCode, re.Attempts)
	return r
}
