package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// env is the environment of every go command: the module cache through
// -mod=mod (the module proxy fills it where needed) and no workspace, so
// each temporary module stands alone.
type env struct {
	root     string            // the repository's root, replacing detachPath
	goSum    []byte            // this module's go.sum, a head start for go mod tidy
	versions map[string]string // module path -> version this module requires
	vars     []string
}

func newEnv(ctx context.Context) (*env, error) {
	e := &env{vars: goEnviron()}
	// Run from internal/sdkcompare: its go.mod gives the versions.
	gomod, err := e.output(ctx, "", "go", "env", "GOMOD")
	if err != nil {
		return nil, err
	}
	gomod = strings.TrimSpace(gomod)
	if filepath.Base(filepath.Dir(gomod)) != "sdkcompare" {
		return nil, fmt.Errorf("run from internal/sdkcompare (go run ./footprint); the current module is %q", gomod)
	}
	dir := filepath.Dir(gomod)
	if e.goSum, err = os.ReadFile(filepath.Join(dir, "go.sum")); err != nil {
		return nil, err
	}
	list, err := e.output(ctx, dir, "go", "list", "-m", "-f", "{{.Path}} {{.Version}} {{with .Replace}}{{.Dir}}{{end}}", "all")
	if err != nil {
		return nil, err
	}
	e.versions = map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 3 && f[0] == detachPath:
			e.root = f[2]
		case len(f) >= 2:
			e.versions[f[0]] = f[1]
		}
	}
	if e.root == "" {
		return nil, errors.New("go.mod does not replace " + detachPath + " with the repository")
	}
	return e, nil
}

// goEnviron is the process's environment with GOFLAGS extended by -mod=mod
// and GOWORK off.
func goEnviron() []string {
	var vars []string
	flags := "-mod=mod"
	for _, kv := range os.Environ() {
		switch {
		case strings.HasPrefix(kv, "GOFLAGS="):
			if f := strings.TrimPrefix(kv, "GOFLAGS="); f != "" {
				flags = f + " " + flags
			}
		case strings.HasPrefix(kv, "GOWORK="):
		default:
			vars = append(vars, kv)
		}
	}
	return append(vars, "GOFLAGS="+flags, "GOWORK=off")
}

// output runs a command in dir and returns its standard output; the error
// carries its standard error.
func (e *env) output(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = e.vars
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// result is what was measured of one program.
type result struct {
	prog    program
	size    int64
	modules int      // go list -m all, less the main module
	linked  []string // modules in the binary (go version -m), less the main module
	rebuild time.Duration
	cold    time.Duration // the first build with an empty build cache; 0: not measured
	ran     error         // nil: the program made its call and printed what it should
}

// with returns a copy of e whose commands also get the variables vars.
func (e *env) with(vars ...string) *env {
	c := *e
	c.vars = append(slices.Clip(e.vars), vars...)
	return &c
}

// measure sets up the program's module in dir, builds it, times runs
// rebuilds after changing main.go and returns the measurements. With cold,
// the program gets a build cache of its own, empty at first, and the first
// build is timed too: it compiles the standard library (the same for every
// program) and every dependency.
func (e *env) measure(ctx context.Context, p program, dir string, runs int, cold bool) (result, error) {
	r := result{prog: p}
	if cold {
		e = e.with("GOCACHE=" + filepath.Join(dir, "gocache"))
	}
	src, err := p.source()
	if err != nil {
		return r, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return r, err
	}
	if err := e.writeModule(p, dir, src); err != nil {
		return r, err
	}
	if _, err := e.output(ctx, dir, "go", "mod", "tidy"); err != nil {
		return r, err
	}
	all, err := e.output(ctx, dir, "go", "list", "-m", "all")
	if err != nil {
		return r, err
	}
	r.modules = len(strings.Split(strings.TrimSpace(all), "\n")) - 1

	bin := filepath.Join(dir, p.name)
	first, err := e.build(ctx, dir, bin) // the first build fills the build cache
	if err != nil {
		return r, err
	}
	if cold {
		r.cold = first
	}
	times := make([]time.Duration, 0, runs)
	for i := 1; i <= runs; i++ {
		if err := os.WriteFile(filepath.Join(dir, "main.go"), withStamp(src, fmt.Sprint(i)), 0o644); err != nil {
			return r, err
		}
		d, err := e.build(ctx, dir, bin)
		if err != nil {
			return r, err
		}
		times = append(times, d)
	}
	r.rebuild = median(times)

	fi, err := os.Stat(bin)
	if err != nil {
		return r, err
	}
	r.size = fi.Size()
	info, err := e.output(ctx, dir, "go", "version", "-m", bin)
	if err != nil {
		return r, err
	}
	r.linked = linkedModules(info)
	return r, nil
}

func (e *env) writeModule(p program, dir string, src []byte) error {
	var mod strings.Builder
	fmt.Fprintf(&mod, "module footprint.example/%s\n\ngo 1.25\n", p.name)
	if len(p.requires)+len(p.pinned) > 0 {
		mod.WriteString("\nrequire (\n")
		for _, path := range p.requires {
			v, ok := e.versions[path]
			if path == detachPath {
				v, ok = "v0.0.0-00010101000000-000000000000", true
			}
			if !ok {
				return fmt.Errorf("%s: this module does not require %s", p.name, path)
			}
			fmt.Fprintf(&mod, "\t%s %s\n", path, v)
		}
		for _, path := range slices.Sorted(maps.Keys(p.pinned)) {
			fmt.Fprintf(&mod, "\t%s %s\n", path, p.pinned[path])
		}
		mod.WriteString(")\n")
	}
	if slices.Contains(p.requires, detachPath) {
		fmt.Fprintf(&mod, "\nreplace %s => %s\n", detachPath, e.root)
	}
	files := map[string][]byte{"go.mod": []byte(mod.String()), "go.sum": e.goSum, "main.go": src}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// build runs the release build of the program and returns how long it took.
func (e *env) build(ctx context.Context, dir, bin string) (time.Duration, error) {
	start := time.Now()
	_, err := e.output(ctx, dir, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".")
	return time.Since(start), err
}

// linkedModules lists the dependency modules of a `go version -m` report:
// its "dep" lines (a replaced module's "=>" line is not another module).
func linkedModules(report string) []string {
	var mods []string
	for _, line := range strings.Split(report, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "dep" {
			mods = append(mods, f[1])
		}
	}
	return mods
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// run starts the built program against the stand-in service and checks that
// it made its call: exit status 0 and the expected answer printed.
func run(ctx context.Context, bin, endpoint string, want string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = programEnviron(endpoint)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if got := strings.TrimSpace(stdout.String()); got != want {
		return fmt.Errorf("printed %q, want %q", got, want)
	}
	return nil
}

// programEnviron is the environment a program runs in: the fake keys and the
// stand-in's endpoint, and none of the caller's cloud settings (no shared
// config files, no instance metadata).
func programEnviron(endpoint string) []string {
	var vars []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HUAWEICLOUD_") {
			vars = append(vars, kv)
		}
	}
	none := filepath.Join(os.TempDir(), "footprint-no-such-file")
	return append(vars,
		"FOOTPRINT_ENDPOINT="+endpoint,
		"AWS_ACCESS_KEY_ID="+fakeAWSKey,
		"AWS_SECRET_ACCESS_KEY="+fakeAWSSecret,
		"AWS_CONFIG_FILE="+none,
		"AWS_SHARED_CREDENTIALS_FILE="+none,
		"AWS_EC2_METADATA_DISABLED=true",
		"HUAWEICLOUD_SDK_AK="+fakeHuaweiAK,
		"HUAWEICLOUD_SDK_SK="+fakeHuaweiSK,
		"HUAWEICLOUD_SDK_PROJECT_ID="+fakeHuaweiProj,
	)
}
