package reliability

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/detach-go/detach/internal/fakecloud"
	"github.com/detach-go/detach/route53profiles"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/signer/huaweicreds"
	"github.com/detach-go/detach/transport"
)

// TestNilContextEverywhere: every public entry point that takes a context
// and is not an operation or waiter (those are in TestBadInput and
// TestWaiterBadInput) refuses a nil one with a typed error naming "ctx"
// that answers errors.Is(err, transport.ErrInvalidInput), sends nothing
// and does not panic: the transport's Do, Poll and Limiter.Wait, the list
// iterator, every credential provider, token source, IAM lookup and
// Authorizer.
func TestNilContextEverywhere(t *testing.T) {
	t.Parallel()
	var nilCtx context.Context // a nil context, as a careless caller passes it
	doer := &countingDoer{next: fakecloud.LocalDoer{Cloud: fakecloud.New()}}
	settings := transport.Settings{HTTPClient: doer, Retry: fastRetry()}
	hwCreds := signer.HuaweiCredentials{AccessKey: fakecloud.HuaweiAK, SecretKey: fakecloud.HuaweiSK}
	iam := localEndpoint(fakecloud.HuaweiIAM)
	req := func() *http.Request { r, _ := http.NewRequest(http.MethodGet, "https://example.com/x", nil); return r }
	const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	now := time.Now()

	// iamLookup resolves an ID with a lookup built by newLookup.
	iamLookup := func(newLookup func(signer.HuaweiCredentialsProvider, huaweicreds.LookupConfig) (*huaweicreds.ResolvedCredentials, error)) func(context.Context) error {
		return func(ctx context.Context) error {
			r, err := newLookup(signer.StaticHuaweiCredentials(hwCreds),
				huaweicreds.LookupConfig{Endpoint: iam, Region: fakecloud.HuaweiRegion, Settings: settings})
			if err != nil {
				return err
			}
			_, err = r.RetrieveHuawei(ctx)
			return err
		}
	}
	tests := map[string]func(ctx context.Context) error{
		"transport Client.Do": func(ctx context.Context) error {
			c, err := transport.New(transport.Config{Service: transport.Service{ID: "T", Protocol: transport.AWSRestJSON},
				Endpoint: "https://example.com", Auth: &signer.TokenAuth{Source: signer.StaticToken("t")}, Settings: settings})
			if err != nil {
				return err
			}
			_, err = c.Do(ctx, "Op", &transport.Request{Method: http.MethodGet, Path: "/"}, nil)
			return err
		},
		"transport Poll": func(ctx context.Context) error {
			_, err := transport.Poll(ctx, "w", transport.WaitOptions{}, func(context.Context) (transport.PollResult, error) {
				return transport.PollResult{Done: true}, nil
			})
			return err
		},
		"transport Limiter.Wait": func(ctx context.Context) error {
			l, err := transport.NewLimiter(1, 1)
			if err != nil {
				return err
			}
			_, err = l.Wait(ctx)
			return err
		},
		"route53profiles ListProfileAssociationsAll": func(ctx context.Context) error {
			c, err := r53Client(localEndpoint, settings)
			if err != nil {
				return err
			}
			for _, err := range c.ListProfileAssociationsAll(ctx, &route53profiles.ListProfileAssociationsInput{}) {
				return err
			}
			return errors.New("the iterator yielded nothing")
		},
		"signer StaticAWSCredentials": func(ctx context.Context) error { _, err := awsKeys().RetrieveAWS(ctx); return err },
		"signer AWSCredentialsFromEnv": func(ctx context.Context) error {
			_, err := signer.AWSCredentialsFromEnv().RetrieveAWS(ctx)
			return err
		},
		"signer AWSSharedCredentials": func(ctx context.Context) error {
			_, err := signer.AWSSharedCredentials(t.TempDir()+"/none", "default").RetrieveAWS(ctx)
			return err
		},
		"signer AWSCredentialsChain": func(ctx context.Context) error {
			_, err := signer.AWSCredentialsChain(awsKeys()).RetrieveAWS(ctx)
			return err
		},
		"signer DefaultAWSCredentials": func(ctx context.Context) error {
			_, err := signer.DefaultAWSCredentials().RetrieveAWS(ctx)
			return err
		},
		"signer StaticHuaweiCredentials": func(ctx context.Context) error { _, err := hwKeys(nil).RetrieveHuawei(ctx); return err },
		"signer HuaweiCredentialsFromEnv": func(ctx context.Context) error {
			_, err := signer.HuaweiCredentialsFromEnv().RetrieveHuawei(ctx)
			return err
		},
		"signer StaticToken": func(ctx context.Context) error { _, err := signer.StaticToken("t").Token(ctx); return err },
		"signer CachedTokenSource": func(ctx context.Context) error {
			s := signer.NewCachedTokenSource(func(context.Context) (signer.Token, error) { return signer.Token{Value: "t"}, nil })
			_, err := s.Token(ctx)
			return err
		},
		"signer SigV4.Authorize": func(ctx context.Context) error {
			a := &signer.SigV4{Credentials: awsKeys(), Service: "route53profiles", Region: "us-east-1"}
			return a.Authorize(ctx, req(), emptyHash, now)
		},
		"signer HuaweiAKSK.Authorize": func(ctx context.Context) error {
			a := &signer.HuaweiAKSK{Credentials: signer.StaticHuaweiCredentials(hwCreds)}
			return a.Authorize(ctx, req(), emptyHash, now)
		},
		"signer TokenAuth.Authorize": func(ctx context.Context) error {
			return (&signer.TokenAuth{Source: signer.StaticToken("t")}).Authorize(ctx, req(), emptyHash, now)
		},
		"signer IAMPasswordTokenSource": func(ctx context.Context) error {
			s, err := huaweicreds.NewPasswordTokenSource(huaweicreds.PasswordConfig{Endpoint: iam, Region: fakecloud.HuaweiRegion,
				DomainName: fakecloud.HuaweiDomainName, UserName: fakecloud.HuaweiUserName, Password: fakecloud.HuaweiPassword, Settings: settings})
			if err != nil {
				return err
			}
			_, err = s.Token(ctx)
			return err
		},
		"huaweicreds ProjectIDFromIAM": iamLookup(huaweicreds.ProjectIDFromIAM),
		"huaweicreds DomainIDFromIAM":  iamLookup(huaweicreds.DomainIDFromIAM),
	}
	for name, call := range tests {
		panicked, err := catchPanic(func() error { return call(nilCtx) })
		var tve *transport.ValidationError
		var sve *signer.ValidationError
		switch {
		case panicked != nil:
			t.Errorf("%s: panic: %v", name, panicked)
		case !errors.Is(err, transport.ErrInvalidInput):
			t.Errorf("%s: error %v, want one answering errors.Is(err, transport.ErrInvalidInput)", name, err)
		case !(errors.As(err, &tve) && tve.Field == "ctx") && !(errors.As(err, &sve) && sve.Field == "ctx"):
			t.Errorf("%s: error %v, want a validation error naming ctx", name, err)
		}
		if n := doer.n.Swap(0); n != 0 {
			t.Errorf("%s: %d requests left the process", name, n)
		}
		checkErrorText(t, err)
		// With a context, each works (or fails for another reason): the
		// refusal is about the nil context only.
		if err := call(context.Background()); errors.Is(err, transport.ErrInvalidInput) {
			t.Errorf("%s with a context: %v", name, err)
		}
		doer.n.Store(0)
	}
}
