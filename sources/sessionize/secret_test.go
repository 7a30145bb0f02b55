package sessionize_test

import (
	"testing"

	"github.com/contriblog/contriblog/sources/sessionize"
)

// A session without recording or live URL falls back to the endpoint's
// URL, which is stored and exported: never with the URL's credentials.
func TestListingURLCarriesNoCredentials(t *testing.T) {
	doc := `{"sessions":[{"id":"1","title":"Talk","startsAt":"2026-04-10T10:00:00","speakers":["s1"],"roomId":1}],
"speakers":[{"id":"s1","fullName":"Test Person","sessions":[1]}],"rooms":[{"id":1,"name":"Main"}],"categories":[]}`
	obs, err := sessionize.Parse([]byte(doc), sessionize.Config{Name: "s", Speaker: "Test Person",
		URL: "https://me:hunter2@sessionize.example/api/v2/x/view/All?api_key=s3cret"})
	if err != nil || len(obs) != 1 {
		t.Fatalf("Parse = %d, %v", len(obs), err)
	}
	if obs[0].URL != "https://sessionize.example/api/v2/x/view/All" {
		t.Errorf("URL = %q", obs[0].URL)
	}
}
