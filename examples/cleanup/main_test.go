package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCleanupAgainstTheEmulator(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := run([]string{"-rps", "40"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{
		"29 items in ",
		"24 removed, 2 waited, 2 already gone, 1 kept: last VPC",
		"every item ended as expected",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "NO, expected") {
		t.Errorf("an item did not end as expected:\n%s", out.String())
	}
}

func TestCleanupUsage(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args []string
		code int
		want string
	}{
		"help":                 {[]string{"-h"}, 0, "usage: cleanup"},
		"unknown flag":         {[]string{"-nope"}, 2, "flag provided but not defined"},
		"bad pair":             {[]string{"-profile-vpc", "rp-1"}, 2, "want ID:VPC_ID"},
		"no workers":           {[]string{"-workers", "0"}, 2, "must be positive"},
		"live without items":   {[]string{"-live"}, 2, "needs at least one -profile-vpc or -zone-vpc"},
		"live with bad cloud":  {[]string{"-live", "-zone-vpc", "z:v", "-dns-cloud", "aws"}, 2, "-dns-cloud must be huawei or otc"},
		"live bad region form": {[]string{"-live", "-profile-vpc", "rp-1:vpc-1", "-region", "US East"}, 2, "Region"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out, errOut bytes.Buffer
			if code := run(tt.args, &out, &errOut); code != tt.code || !strings.Contains(errOut.String(), tt.want) {
				t.Errorf("run(%q) = %d, stderr %q; want %d and %q", tt.args, code, errOut.String(), tt.code, tt.want)
			}
		})
	}
}
