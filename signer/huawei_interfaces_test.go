package signer_test

import (
	"github.com/detach-go/detach/signer"
	"github.com/detach-go/detach/transport"
)

// The Huawei and token authorizers plug into the transport.
var (
	_ transport.Authorizer   = (*signer.HuaweiAKSK)(nil)
	_ transport.Authorizer   = (*signer.TokenAuth)(nil)
	_ transport.Reauthorizer = (*signer.TokenAuth)(nil)
	_ signer.TokenSource     = (*signer.CachedTokenSource)(nil)
)
