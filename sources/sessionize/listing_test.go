package sessionize_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/sessionize"
)

const (
	endpointToken = "a9b8c7d6e5f4031201f2e3d4c5b6a798"
	endpoint      = "https://sessionize.com/api/v2/jl4ktls0/view/All?key=" + endpointToken
)

// TestListingURLNeverASessionsLink: a session is linked to its recording,
// else its live stream, never to the endpoint that lists it (which may
// carry a secret), and a session with neither has no URL
// (docs/sources.md#sessionize).
func TestListingURLNeverASessionsLink(t *testing.T) {
	tests := []struct {
		name, recording, live, wantURL string
		wantOther                      []string
	}{
		{"recording and live", "https://youtube.example/watch?v=1", "https://live.example/1", "https://youtube.example/watch?v=1", []string{"https://live.example/1"}},
		{"live only", "", "https://live.example/1", "https://live.example/1", nil},
		{"neither: empty", "", "", "", nil},
		{"the endpoint as recording: empty", endpoint, "", "", nil},
		{"the endpoint without its key as live: empty", "", "https://sessionize.com/api/v2/jl4ktls0/view/All", "", nil},
		{"the endpoint as live beside a recording", "https://youtube.example/watch?v=1", endpoint, "https://youtube.example/watch?v=1", nil},
		{"credentials dropped", "https://u:p@rec.example/1?token=abc", "", "https://rec.example/1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, _ := json.Marshal(tt.recording)
			live, _ := json.Marshal(tt.live)
			doc := `{"sessions":[{"id":"1","title":"Talk","startsAt":"2026-04-10T10:00:00","speakers":["s1"],"roomId":1,
"recordingUrl":` + string(rec) + `,"liveUrl":` + string(live) + `}],
"speakers":[{"id":"s1","fullName":"Test Person","sessions":[1]}],"rooms":[{"id":1,"name":"Main"}],"categories":[]}`
			obs, err := sessionize.Parse([]byte(doc), sessionize.Config{Name: "s", Speaker: "Test Person", URL: endpoint})
			if err != nil || len(obs) != 1 {
				t.Fatalf("Parse = %d, %v", len(obs), err)
			}
			o := obs[0]
			if o.URL != tt.wantURL || o.URLIsListing || strings.Join(o.OtherURLs, " ") != strings.Join(tt.wantOther, " ") {
				t.Errorf("URL %q (listing %v), other %q; want %q, %q", o.URL, o.URLIsListing, o.OtherURLs, tt.wantURL, tt.wantOther)
			}
			noEndpointIn(t, o)
		})
	}
}

// TestCorpusNeverListsTheEndpoint reads the shared corpus's Sessionize
// samples from an endpoint with a secret key: no session is linked to it
// and nothing stored holds the key.
func TestCorpusNeverListsTheEndpoint(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "sessionize")
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus not present:", err)
	}
	sessions := 0
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(d.Name(), ".json") {
			return nil
		}
		b, _ := os.ReadFile(path)
		obs, _ := sessionize.Parse(b, sessionize.Config{Name: "corpus", URL: endpoint, Speaker: firstSpeaker(b), Timezone: time.UTC})
		for _, o := range obs {
			sessions++
			if o.URLIsListing || harvester.CanonicalURL(o.URL) == harvester.CanonicalURL(endpoint) {
				t.Errorf("%s: %s is linked to the endpoint: %q", filepath.Base(path), o.NativeID, o.URL)
			}
			noEndpointIn(t, o)
		}
		return nil
	})
	if sessions == 0 {
		t.Error("no session in the corpus")
	}
}

func noEndpointIn(t *testing.T, o harvester.Observation) {
	t.Helper()
	b, _ := json.Marshal(o)
	for _, s := range []string{endpointToken, "/view/All"} {
		if strings.Contains(string(b), s) {
			t.Errorf("observation %s holds %q: %s", o.NativeID, s, b)
		}
	}
}
