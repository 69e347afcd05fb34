// Package awsclient builds what the AWS service packages share: the endpoint
// from the region, the credentials chain, the SigV4 signer and the
// transport, and the client's non-secret description.
package awsclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/detach-go/detach/internal/awsendpoint"
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// Service names an AWS API for Build.
type Service struct {
	Pkg            string // the Go package, prefixing errors: "route53profiles"
	SigningName    string // the SigV4 service in the credential scope
	EndpointPrefix string // the first label of the host names
	Transport      transport.Service
}

// noCredentials is the error for Options with no Credentials. Credentials
// are the caller's choice, as in aws-sdk-go-v2, where a service client
// built without config.LoadDefaultConfig has none: a default here would
// either link the shared-file readers into every program (41 KB of binary,
// measured on 2026-12-03) or quietly skip the roles, SSO and instance
// credentials a program may be relying on.
const noCredentials = "Credentials is required (signer.AWSCredentialsFromEnv, " +
	"signer.DefaultAWSCredentials, or awscreds.NewDefaultChain for roles, SSO, containers and instances)"

// Params are the fields every AWS package's Options has. Build fills what is
// empty: with Shared, from its settings for the service (see applyConfig):
// Region, Endpoint, UseFIPS, UseDualStack, Settings.Retry.MaxAttempts and
// Settings.HTTPClient (for a CA bundle); without it, Region from
// AWS_REGION, then AWS_DEFAULT_REGION. Credentials is required (see
// noCredentials).
//
// Reading the shared config is the caller's choice (signer.LoadAWSConfig),
// as aws-sdk-go-v2 reads it only in config.LoadDefaultConfig: a program
// that never asks for it does not link the reader of the config files,
// their merging and the environment's AWS_* settings (about 60 KB).
type Params struct {
	Shared                *signer.AWSConfig
	Region, Endpoint      string
	UseFIPS, UseDualStack bool
	Credentials           signer.AWSCredentialsProvider
	UserAgentApp          string
	Settings              transport.Settings
}

// Build checks p, resolves the endpoint and returns the transport client
// and a description of it. Errors name the field at fault.
func Build(svc Service, p *Params) (*transport.Client, Description, error) {
	if p.Shared != nil {
		if err := applyConfig(svc, p); err != nil {
			return nil, Description{}, err
		}
	} else if p.Region == "" {
		p.Region = awsendpoint.RegionFromEnv()
	}
	if p.Endpoint != "" {
		if _, err := transport.ParseEndpoint(p.Endpoint); err != nil {
			return nil, Description{}, errors.New(svc.Pkg + ": Endpoint is not valid: " + err.Error())
		}
	}
	endpoint, err := awsendpoint.Endpoint(svc.EndpointPrefix, p.Region, p.Endpoint, p.UseFIPS, p.UseDualStack)
	if err != nil {
		return nil, Description{}, errors.New(svc.Pkg + ": " + err.Error())
	}
	if p.Credentials == nil {
		return nil, Description{}, errors.New(svc.Pkg + ": " + noCredentials)
	}
	tc, err := transport.New(transport.Config{
		Service:      svc.Transport,
		Endpoint:     endpoint,
		Auth:         &signer.SigV4{Credentials: p.Credentials, Service: svc.SigningName, Region: p.Region},
		UserAgentApp: p.UserAgentApp,
		Settings:     p.Settings,
	})
	if err != nil {
		return nil, Description{}, fmt.Errorf("%s: %w", svc.Pkg, err)
	}
	return tc, Description{pkg: svc.Pkg, serviceID: svc.Transport.ID, endpoint: endpoint, region: p.Region}, nil
}

// Apply returns base changed by opts, skipping nil ones: what New and every
// per-call option list do.
func Apply[O any, F ~func(*O)](base O, opts []F) O {
	for _, opt := range opts {
		if opt != nil {
			opt(&base)
		}
	}
	return base
}

// Description renders a client by its non-secret facts (endpoint and
// region) under every fmt verb, in slog and in JSON. Clients embed it,
// because %v of a struct prints unexported fields, credentials included.
type Description struct {
	pkg, serviceID, endpoint, region string
}

// Endpoint returns the base URL the client sends to.
func (d Description) Endpoint() string { return d.endpoint }

// String describes the client: its endpoint and region.
func (d Description) String() string {
	return d.pkg + ".Client{Endpoint:" + d.endpoint + " Region:" + d.region + "}"
}

// GoString is String: %#v must not print the options, which hold
// credentials.
func (d Description) GoString() string { return d.String() }

// Format prints String for every verb, so that none reaches the fields.
func (d Description) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		io.WriteString(f, strconv.Quote(d.String()))
		return
	}
	io.WriteString(f, d.String())
}

// MarshalJSON encodes String.
func (d Description) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// LogValue gives slog the same facts as String.
func (d Description) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("service", d.serviceID),
		slog.String("endpoint", d.endpoint),
		slog.String("region", d.region),
	)
}
