// Command huawei-raw makes one Huawei Cloud DNS DisassociateRouter call with
// net/http alone and an SDK-HMAC-SHA256 signature written out by hand: the
// smallest program that makes the call, the floor the others are measured
// against.
package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// stamp is changed by the footprint command to time a rebuild.
const stamp = "0"

const (
	path = "/v2/zones/ff8080825b8fc86c015b94bc6f8712c3/disassociaterouter"
	body = `{"router":{"router_id":"f0791650-db8c-4a20-8a44-a06c6e24b15b","router_region":"cn-north-4"}}`
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "huawei-raw "+stamp+":", err)
		os.Exit(1)
	}
}

func run() error {
	endpoint := os.Getenv("FOOTPRINT_ENDPOINT")
	if endpoint == "" {
		endpoint = "https://dns.cn-north-4.myhuaweicloud.com"
	}
	req, err := http.NewRequest(http.MethodPost, endpoint+path, bytes.NewReader([]byte(body)))
	if err != nil {
		return err
	}
	project := os.Getenv("HUAWEICLOUD_SDK_PROJECT_ID")
	date := time.Now().UTC().Format("20060102T150405Z")
	bodySum := sha256.Sum256([]byte(body))
	canonical := "POST\n" + path + "/\n\nhost:" + req.URL.Host + "\nx-project-id:" + project + "\nx-sdk-date:" + date +
		"\n\nhost;x-project-id;x-sdk-date\n" + hex.EncodeToString(bodySum[:])
	sum := sha256.Sum256([]byte(canonical))
	m := hmac.New(sha256.New, []byte(os.Getenv("HUAWEICLOUD_SDK_SK")))
	m.Write([]byte("SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(sum[:])))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Project-Id", project)
	req.Header.Set("X-Sdk-Date", date)
	req.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+os.Getenv("HUAWEICLOUD_SDK_AK")+
		", SignedHeaders=host;x-project-id;x-sdk-date, Signature="+hex.EncodeToString(m.Sum(nil)))

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("status %d: %s", resp.StatusCode, out)
	}
	var r struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return err
	}
	fmt.Println(r.Status)
	return nil
}
