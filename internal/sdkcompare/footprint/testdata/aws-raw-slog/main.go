// Command aws-raw-slog is aws-raw plus one log/slog debug record, as a
// program that already logs with log/slog has: it shows what log/slog itself
// costs, which detach avoids linking (its Settings.Logger is an interface
// that *slog.Logger satisfies) unless the program gives it a logger.
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

const (
	region    = "us-east-1"
	service   = "route53profiles"
	path      = "/profileassociation/Profileid/rp-4987774726example/resourceid/vpc-0af3b96b3example"
	emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "aws-raw-slog "+stamp+":", err)
		os.Exit(1)
	}
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func run() error {
	endpoint := os.Getenv("FOOTPRINT_ENDPOINT")
	if endpoint == "" {
		endpoint = "https://route53profiles." + region + ".amazonaws.com"
	}
	req, err := http.NewRequest(http.MethodDelete, endpoint+path, nil)
	if err != nil {
		return err
	}
	date := time.Now().UTC().Format("20060102T150405Z")
	scope := date[:8] + "/" + region + "/" + service + "/aws4_request"
	canonical := "DELETE\n" + path + "\n\nhost:" + req.URL.Host + "\nx-amz-date:" + date +
		"\n\nhost;x-amz-date\n" + emptyHash
	sum := sha256.Sum256([]byte(canonical))
	key := hmacSHA256([]byte("AWS4"+os.Getenv("AWS_SECRET_ACCESS_KEY")), date[:8])
	for _, part := range []string{region, service, "aws4_request"} {
		key = hmacSHA256(key, part)
	}
	sig := hmacSHA256(key, "AWS4-HMAC-SHA256\n"+date+"\n"+scope+"\n"+hex.EncodeToString(sum[:]))
	req.Header.Set("X-Amz-Date", date)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+os.Getenv("AWS_ACCESS_KEY_ID")+"/"+scope+
		", SignedHeaders=host;x-amz-date, Signature="+hex.EncodeToString(sig))

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, body)
	}
	var out struct{ ProfileAssociation struct{ Status string } }
	if err := json.Unmarshal(body, &out); err != nil {
		return err
	}
	slog.DebugContext(context.Background(), "call done", slog.String("status", out.ProfileAssociation.Status))
	fmt.Println(out.ProfileAssociation.Status)
	return nil
}
