package signer

import "strings"

// AWSConfigError is a setting in the environment or the AWS shared config
// and credentials files that LoadAWSConfig or AWSConfig.CredentialPlan
// refuses, as aws-sdk-go-v2's config.LoadDefaultConfig refuses it: a value
// that must be true or false or a number, a profile named by AWS_PROFILE
// that does not exist, a role setting without role_arn, two credential
// types in one profile, a source_profile that is missing or has no
// credentials (Chain lists the profiles when they loop), an SSO profile that
// is incomplete, an unreadable file.
//
// The message names the file, profile, key (or environment variable) and
// rule. It quotes no value read from the files or the environment other
// than the names of profiles and sections, so that a secret put in the
// wrong place is not echoed.
type AWSConfigError struct {
	File    string   // the file concerned, if any
	Profile string   // the profile concerned, if any
	Key     string   // the key or environment variable concerned, if any
	Rule    string   // what is wrong
	Chain   []string // a source_profile loop: the profiles followed, the repeated one last
	Err     error    // the cause, such as an I/O error, if any
}

func (e *AWSConfigError) Error() string {
	s := "aws config"
	if e.File != "" {
		s += " file " + e.File
	}
	if e.Profile != "" {
		s += " profile " + e.Profile
	}
	if e.Key != "" {
		s += ": " + e.Key
	}
	s += ": " + e.Rule
	if len(e.Chain) > 0 {
		s += " (" + strings.Join(e.Chain, " -> ") + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *AWSConfigError) Unwrap() error { return e.Err }

func awsProfileError(profile, key, rule string) error {
	return &AWSConfigError{Profile: profile, Key: key, Rule: rule}
}

func awsEnvError(name, rule string) error {
	return &AWSConfigError{Key: name, Rule: rule}
}
