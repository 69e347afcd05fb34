package awscreds

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"strconv"
	"time"
)

// maxCacheFile bounds a token cache file read. The CLI writes a few KB.
const maxCacheFile = 1 << 20

// cacheFile is a JSON object from a token cache (SSO, login), every member
// kept as raw JSON so that members this package does not know survive a
// rewrite unchanged.
type cacheFile struct {
	path   string
	mode   fs.FileMode
	fields map[string]json.RawMessage
	// umasked says mode is that of a file created anew, which the umask
	// narrows as it narrows os.OpenFile's; otherwise mode is kept exactly.
	umasked bool
}

// errCacheNotObject is a cache file that is not a JSON object. The content
// itself is never quoted: it holds tokens.
var errCacheNotObject = errors.New("the file is not a JSON object")

// readCacheFile reads path. Errors are *fs.PathError, naming the path and
// never the content.
func readCacheFile(path string) (*cacheFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, maxCacheFile+1))
	switch {
	case err != nil:
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	case len(b) > maxCacheFile:
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("the file is larger than 1 MiB")}
	}
	c := &cacheFile{path: path, mode: info.Mode().Perm()}
	if json.Unmarshal(b, &c.fields) != nil || c.fields == nil {
		return nil, &fs.PathError{Op: "parse", Path: path, Err: errCacheNotObject}
	}
	return c, nil
}

// str returns member key as a string: "" when absent or null, an error
// naming the member when it is something else.
func (c *cacheFile) str(key string) (string, error) {
	raw, ok := c.fields[key]
	if !ok || string(raw) == "null" {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", &fs.PathError{Op: "parse", Path: c.path, Err: errors.New("member " + key + " is not a string")}
	}
	return s, nil
}

// set replaces member key.
func (c *cacheFile) set(key string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return // strings, times and maps of them always marshal
	}
	c.fields[key] = b
}

// write replaces the file atomically, as aws-sdk-go-v2's ssocreds writes
// the SSO cache (credentials v1.21.1, storeCachedToken): a new file
// <path>.tmp-<UnixNano> with the old file's permissions, renamed over the
// old one, so a reader never sees half a file. O_EXCL refuses to follow a
// link someone put in the temporary name's place.
func (c *cacheFile) write(now time.Time) (err error) {
	b, err := json.Marshal(c.fields)
	if err != nil {
		return &fs.PathError{Op: "encode", Path: c.path, Err: errors.New("cannot encode the token")}
	}
	b = append(b, '\n')
	tmp := c.path + ".tmp-" + strconv.FormatInt(now.UnixNano(), 10)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, c.mode)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	_, werr := f.Write(b)
	cerr := f.Close()
	switch {
	case werr != nil:
		return werr
	case cerr != nil:
		return cerr
	}
	// The umask may have narrowed the mode OpenFile was given.
	if !c.umasked {
		if err := os.Chmod(tmp, c.mode); err != nil {
			return err
		}
	}
	return os.Rename(tmp, c.path)
}
