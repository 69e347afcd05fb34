package fakecloud

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPodIdentity(t *testing.T) {
	t.Parallel()
	c, srv, clk := start(t)
	post := func(auth string) response {
		hdr := map[string]string{"Content-Type": "application/json; charset=utf-8"}
		if auth != "" {
			hdr["Authorization"] = auth
		}
		return send(t, srv, HuaweiPodIdentity, http.MethodPost, PodIdentityPath, "{}", hdr)
	}
	resp := post(PodIdentityToken)
	if resp.status != http.StatusOK {
		t.Fatalf("status %d, body %s", resp.status, resp.body)
	}
	body := resp.jsonBody(t)
	creds := body["credentials"].(map[string]any)
	issued := c.IssuedHuaweiCredentials()
	if len(issued) != 1 {
		t.Fatalf("IssuedHuaweiCredentials = %v", issued)
	}
	want := map[string]any{
		"assumedAgency": map[string]any{"urn": "iam::" + HuaweiDomainID + ":agency:fakecloud-pod-agency", "id": "fakecloud-pod-agency-id"},
		"audience":      "sts.myhuaweicloud.com",
		"credentials": map[string]any{"accessKeyId": issued[0].AccessKey, "secretAccessKey": issued[0].SecretKey,
			"securityToken": issued[0].SecurityToken, "expiration": "2025-01-02T04:04:05.678000Z"},
		"podIdentityAssociationId": "fakecloud-association",
		"subject":                  map[string]any{"namespace": "default", "serviceAccount": "fakecloud"},
	}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	cred := tempCredential{Access: creds["accessKeyId"].(string), Secret: creds["secretAccessKey"].(string),
		SecurityToken: creds["securityToken"].(string)}
	if r := showZoneAs(t, srv, Huawei, cred.signer(HuaweiProjectID, ""), clk.Now(), HuaweiZoneID); r.status != http.StatusOK {
		t.Errorf("DNS with the keys: status %d, body %s", r.status, r.body)
	}

	for _, tt := range []struct {
		auth   string
		status int
		msg    string
	}{
		{"", 401, "the Authorization header is missing"},
		{"Bearer " + PodIdentityToken, 403, "the service account token is not valid"},
	} {
		r := post(tt.auth)
		if diff := cmp.Diff(map[string]any{"message": tt.msg}, r.jsonBody(t)); diff != "" || r.status != tt.status {
			t.Errorf("Authorization %q: status %d, body (-want +got):\n%s", tt.auth, r.status, diff)
		}
	}

	// Another token and lifetime; GET is not an operation.
	c.SetPodIdentity(PodIdentityConfig{Token: "rotated", CredentialLifetime: 15 * time.Minute})
	if r := post(PodIdentityToken); r.status != http.StatusForbidden {
		t.Errorf("old token after SetPodIdentity: status %d", r.status)
	}
	r := post("rotated")
	if got := r.jsonBody(t)["credentials"].(map[string]any)["expiration"]; got != "2025-01-02T03:19:05.678000Z" {
		t.Errorf("expiration = %v", got)
	}
	if r := send(t, srv, HuaweiPodIdentity, http.MethodGet, PodIdentityPath, "", map[string]string{"Authorization": "rotated"}); r.status != http.StatusNotFound {
		t.Errorf("GET: status %d, want 404", r.status)
	}
	c.Inject(OpPodIdentityGetCredentials, Fault{Kind: ServerError, Status: http.StatusBadGateway})
	if r := post("rotated"); r.status != http.StatusBadGateway || r.jsonBody(t)["message"] != "Bad Gateway" {
		t.Errorf("fault: status %d, body %s", r.status, r.body)
	}
}
