package huaweicreds

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// ChainConfig tunes the sources of a Chain. The zero value is the
// huaweicloud-sdk-go-v3 behaviour.
type ChainConfig struct {
	// MetadataEndpoint overrides ECSMetadataEndpoint (tests, proxies).
	MetadataEndpoint string
	// IAMEndpoint is used for federation when the profile names none.
	// Empty: HUAWEICLOUD_SDK_IAM_ENDPOINT, with "https://" put before it
	// unless it starts so, else the global IAM endpoint, as
	// huaweicloud-sdk-go-v3 (v0.1.207, core/auth/internal/iam_helper.go
	// GetIamEndpoint).
	IAMEndpoint string
	// Settings are the transport's, for every network source.
	Settings transport.Settings
	// Now is the clock of the caches; nil: time.Now.
	Now          func() time.Time
	CacheOptions []signer.HuaweiCacheOption
	// ResolveTimeout bounds the first resolution of the chain, which runs
	// on behalf of every caller waiting for it and so ignores their
	// cancellation: its context ends then, and its waiters stop waiting
	// then even if a source ignores that context (see Chain); 0: one
	// minute, the bound of one credential refresh.
	ResolveTimeout time.Duration
}

// defaultResolveTimeout is ResolveTimeout's default: as long as the
// credential caches give one fetch, which is what resolving mostly is.
const defaultResolveTimeout = time.Minute

// Chain finds Huawei Cloud credentials where huaweicloud-sdk-go-v3
// (v0.1.207, core/auth/provider/provider_chain.go) finds them, in its
// order, and keeps the first source that works:
//
//  1. the environment: HUAWEICLOUD_SDK_IDP_ID with
//     HUAWEICLOUD_SDK_ID_TOKEN_FILE (federation, see FederationProvider),
//     else HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (with
//     HUAWEICLOUD_SDK_SECURITY_TOKEN);
//  2. the profile file's section (signer.LoadHuaweiProfile), federated or
//     with keys;
//  3. the ECS metadata service (MetadataProvider);
//  4. CCE pod identity (PodIdentityProvider, from
//     HC_CONTAINER_CREDENTIALS_FULL_URI and
//     HC_CONTAINER_AUTHORIZATION_TOKEN_FILE).
//
// As in the SDK, BasicChain's keys carry the project ID
// (HUAWEICLOUD_SDK_PROJECT_ID or the profile's project_id) and
// GlobalChain's the domain ID (HUAWEICLOUD_SDK_DOMAIN_ID or domain_id);
// where the source has none, wrap the chain in ProjectIDFromIAM or
// DomainIDFromIAM (privatedns.WithProjectIDFromIAM does it for a DNS
// client; identitycenter does it unless given the domain ID). A source that
// does not apply, or whose service fails (metadata, pod identity), moves on
// to the next, as in the SDK; but a federation that is configured (in the
// environment or the profile) is chosen, as the SDK's providers choose it
// before any request, so its failure (an unreadable ID token file, IAM
// refusing) is the chain's error rather than a fall-through to another
// identity. When no source works, the error lists each source and why, and
// wraps signer.ErrNoCredentials.
//
// The first call resolves the chain once for all concurrent callers, on
// its own goroutine, detached from the callers' cancellation and bounded
// by ChainConfig.ResolveTimeout: a caller whose context ends stops
// waiting and returns ctx.Err() at once, and its cancellation does not
// fail the others. Later calls go to the chosen source (its cache). A
// failed resolution (a panicking source included) is returned to every
// waiter and tried again by the next call. Safe for concurrent use.
//
// The bound holds for the waiters even when a source ignores its context
// (a caller's HTTPClient that never returns, say): ResolveTimeout after
// the resolution started, every waiter returns an error wrapping
// context.DeadlineExceeded and the resolution is abandoned, its eventual
// result ignored. So that abandoned resolutions cannot pile up, at most
// one is in flight: until it returns, a call that would start a new
// resolution fails at once with an error wrapping ErrResolutionStuck
// (sending nothing); the first call after it returns resolves afresh.
type Chain struct {
	section string // signer.HuaweiProfileBasic or Global
	cfg     ChainConfig

	mu        sync.Mutex // held briefly, never across a request
	chosen    signer.HuaweiCredentialsProvider
	call      *chainCall // the resolution in flight, if any
	abandoned *chainCall // a resolution past its deadline that has not returned; nil when call is set
}

// ErrResolutionStuck is wrapped by the error of a Chain call made while a
// resolution abandoned at ChainConfig.ResolveTimeout has still not
// returned (a source ignores its context): the chain starts no other
// until it does, so that such resolutions cannot pile up.
var ErrResolutionStuck = errors.New("huaweicreds: an abandoned chain resolution has not returned")

// chainCall is one resolution that several callers wait for.
type chainCall struct {
	done    chan struct{}   // closed when creds and err are set
	ctx     context.Context // the resolution's; ends at its deadline
	timeout time.Duration
	creds   signer.HuaweiCredentials
	err     error
}

// BasicChain is the chain for project-level services (DNS, ...), the SDK's
// BasicCredentialProviderChain.
func BasicChain(cfg ChainConfig) *Chain { return &Chain{section: signer.HuaweiProfileBasic, cfg: cfg} }

// GlobalChain is the chain for global services (IAM Identity Center, ...),
// the SDK's GlobalCredentialProviderChain.
func GlobalChain(cfg ChainConfig) *Chain {
	return &Chain{section: signer.HuaweiProfileGlobal, cfg: cfg}
}

// RetrieveHuawei returns the chosen source's credentials, choosing it on
// the first call. A nil ctx is a validation error; a ctx that ends while
// the chain is being resolved returns ctx.Err() (the resolution goes on
// for the other callers).
func (c *Chain) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	if err := transport.CheckContext(ctx); err != nil {
		return signer.HuaweiCredentials{}, err
	}
	if c == nil {
		return signer.HuaweiCredentials{}, errors.New("huaweicreds: nil Chain; use BasicChain or GlobalChain")
	}
	c.mu.Lock()
	if chosen := c.chosen; chosen != nil {
		c.mu.Unlock()
		return chosen.RetrieveHuawei(ctx)
	}
	call := c.call
	if call != nil && call.ctx.Err() != nil {
		// Past its deadline and not returned (run clears c.call first):
		// nobody was left waiting to abandon it.
		c.abandonLocked(call)
		call = nil
	}
	if call == nil {
		if err := ctx.Err(); err != nil {
			c.mu.Unlock()
			return signer.HuaweiCredentials{}, err
		}
		if c.abandoned != nil {
			c.mu.Unlock()
			return signer.HuaweiCredentials{}, fmt.Errorf("huaweicreds: not resolving the %s chain: the previous resolution "+
				"passed ChainConfig.ResolveTimeout and its source ignores cancellation: %w", c.section, ErrResolutionStuck)
		}
		timeout := c.cfg.ResolveTimeout
		if timeout <= 0 {
			timeout = defaultResolveTimeout
		}
		// Detached from the first caller, whose cancellation must not fail
		// everyone who joined; its values (a logger, say) are kept.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		call = &chainCall{done: make(chan struct{}), ctx: rctx, timeout: timeout}
		c.call = call
		go c.run(call, cancel)
	}
	c.mu.Unlock()
	return c.wait(ctx, call)
}

// wait returns call's result, or an error when ctx or the resolution's
// deadline ends first; at the deadline the resolution is abandoned, so
// that a source which ignores its context cannot hold the waiters.
func (c *Chain) wait(ctx context.Context, call *chainCall) (signer.HuaweiCredentials, error) {
	select {
	case <-call.done:
		return call.creds, call.err
	case <-ctx.Done():
		return signer.HuaweiCredentials{}, ctx.Err()
	case <-call.ctx.Done():
	}
	c.mu.Lock()
	if c.call == call {
		c.abandonLocked(call)
	}
	c.mu.Unlock()
	select {
	case <-call.done: // it returned in time after all
		return call.creds, call.err
	default:
	}
	return signer.HuaweiCredentials{}, fmt.Errorf("huaweicreds: resolving the %s chain took longer than %s: %w",
		c.section, call.timeout, context.DeadlineExceeded)
}

// abandonLocked gives up on call, the resolution in flight, past its
// deadline: the next call starts afresh once it returns. c.mu is held.
func (c *Chain) abandonLocked(call *chainCall) {
	select {
	case <-call.done: // returned meanwhile: nothing is left in flight
	default:
		c.abandoned = call
	}
	c.call = nil
}

// run resolves the chain once and hands the result to every waiter; a
// failure is not kept, so the next call tries again. The result of an
// abandoned resolution is ignored.
func (c *Chain) run(call *chainCall, cancel context.CancelFunc) {
	defer cancel()
	p, creds, err := c.resolveRecovered(call.ctx)
	if err != nil && call.ctx.Err() != nil {
		err = fmt.Errorf("huaweicreds: resolving the %s chain took longer than %s: %w", c.section, call.timeout, err)
	}

	c.mu.Lock()
	switch call {
	case c.call:
		if err == nil {
			c.chosen = p
		}
		c.call = nil
	case c.abandoned:
		c.abandoned = nil
	}
	call.creds, call.err = creds, err
	close(call.done)
	c.mu.Unlock()
}

// resolveRecovered turns a panic (of a caller's HTTPClient, say) into an
// error: the resolution runs on its own goroutine, where a panic would end
// the program.
func (c *Chain) resolveRecovered(ctx context.Context) (p signer.HuaweiCredentialsProvider, creds signer.HuaweiCredentials, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, creds, err = nil, signer.HuaweiCredentials{}, errors.New("huaweicreds: resolving the "+c.section+" chain panicked")
		}
	}()
	return c.resolve(ctx)
}

// String names the chain and the source it chose, if any. It does not
// wait for a resolution in flight.
func (c *Chain) String() string {
	if c == nil {
		return "huaweicreds.Chain(<nil>)"
	}
	// Never waits for a resolution: the lock is only held briefly, and the
	// chosen source is rendered outside it.
	c.mu.Lock()
	chosen := c.chosen
	c.mu.Unlock()
	s := "huaweicreds.Chain(" + c.section
	if chosen != nil {
		s += ", using " + fmt.Sprint(chosen)
	}
	return s + ")"
}

// chainStep builds one source; an error means it does not apply.
type chainStep struct {
	name  string
	build func() (signer.HuaweiCredentialsProvider, error)
}

// resolve tries each source in order, on run's goroutine.
func (c *Chain) resolve(ctx context.Context) (signer.HuaweiCredentialsProvider, signer.HuaweiCredentials, error) {
	steps := []chainStep{
		{"environment", c.fromEnv},
		{"profile file", c.fromProfile},
		{"ECS metadata", func() (signer.HuaweiCredentialsProvider, error) {
			return NewMetadataProvider(MetadataConfig{Endpoint: c.cfg.MetadataEndpoint, Settings: c.cfg.Settings,
				Now: c.cfg.Now, CacheOptions: c.cfg.CacheOptions})
		}},
		{"CCE pod identity", func() (signer.HuaweiCredentialsProvider, error) {
			cfg, err := PodIdentityConfigFromEnv()
			if err != nil {
				return nil, err
			}
			cfg.Settings, cfg.Now, cfg.CacheOptions = c.cfg.Settings, c.cfg.Now, c.cfg.CacheOptions
			return NewPodIdentityProvider(cfg)
		}},
	}
	var why []string
	for _, s := range steps {
		p, err := s.build()
		if err == nil {
			var creds signer.HuaweiCredentials
			if creds, err = p.RetrieveHuawei(ctx); err == nil {
				c.scope(&creds)
				return scoped{p, c}, creds, nil
			}
			if _, fed := p.(*FederationProvider); fed {
				return nil, signer.HuaweiCredentials{}, fmt.Errorf("huaweicreds: %s credentials from the %s's federation: %w",
					c.section, s.name, err)
			}
		}
		if ctx.Err() != nil {
			return nil, signer.HuaweiCredentials{}, ctx.Err()
		}
		why = append(why, s.name+": "+err.Error())
	}
	return nil, signer.HuaweiCredentials{}, fmt.Errorf("huaweicreds: no %s credentials found (%s): %w",
		c.section, strings.Join(why, "; "), signer.ErrNoCredentials)
}

// scope keeps the ID the SDK's credential type keeps: the project for
// basic, the domain for global.
func (c *Chain) scope(creds *signer.HuaweiCredentials) {
	if c.section == signer.HuaweiProfileBasic {
		creds.DomainID = ""
	} else {
		creds.ProjectID = ""
	}
}

// scoped applies the chain's scope to every retrieval of the chosen source.
type scoped struct {
	p signer.HuaweiCredentialsProvider
	c *Chain
}

func (s scoped) RetrieveHuawei(ctx context.Context) (signer.HuaweiCredentials, error) {
	creds, err := s.p.RetrieveHuawei(ctx)
	if err == nil {
		s.c.scope(&creds)
	}
	return creds, err
}

func (s scoped) String() string { return fmt.Sprint(s.p) }

// fromEnv is the SDK's env provider: federation first, then the keys.
func (c *Chain) fromEnv() (signer.HuaweiCredentialsProvider, error) {
	if os.Getenv(EnvIdPID) != "" && os.Getenv(EnvIDTokenFile) != "" {
		cfg, err := FederationConfigFromEnv()
		if err != nil {
			return nil, err
		}
		cfg.Endpoint = c.cfg.IAMEndpoint
		return c.federation(cfg)
	}
	return signer.HuaweiCredentialsFromEnv(), nil
}

// fromProfile reads the profile section, federated or with keys.
func (c *Chain) fromProfile() (signer.HuaweiCredentialsProvider, error) {
	prof, err := signer.LoadHuaweiProfile(c.section)
	if err != nil {
		return nil, err
	}
	if !prof.Federated() {
		return signer.StaticHuaweiCredentials(prof.Credentials), nil
	}
	cfg := FederationConfigFromProfile(prof)
	if cfg.Endpoint == "" {
		cfg.Endpoint = c.cfg.IAMEndpoint
	}
	return c.federation(cfg)
}

// EnvIAMEndpoint names the IAM endpoint of federation in the environment
// (huaweicloud-sdk-go-v3's HUAWEICLOUD_SDK_IAM_ENDPOINT).
const EnvIAMEndpoint = "HUAWEICLOUD_SDK_IAM_ENDPOINT"

// federation builds the provider; an endpoint neither the profile nor
// ChainConfig names comes from EnvIAMEndpoint, which the SDK always reaches
// by HTTPS.
func (c *Chain) federation(cfg FederationConfig) (signer.HuaweiCredentialsProvider, error) {
	if cfg.Endpoint == "" {
		if e := os.Getenv(EnvIAMEndpoint); e != "" && !strings.HasPrefix(e, "https://") {
			cfg.Endpoint = "https://" + e
		} else {
			cfg.Endpoint = e
		}
	}
	cfg.Settings, cfg.Now, cfg.CacheOptions = c.cfg.Settings, c.cfg.Now, c.cfg.CacheOptions
	return NewFederationProvider(cfg)
}
