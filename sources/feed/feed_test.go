package feed_test

import (
	"context"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/sources/feed"
	"github.com/contriblog/contriblog/sources/fetch"
)

func parseFile(t *testing.T, name string, cfg feed.Config) (string, []harvester.Observation, error) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Name == "" {
		cfg.Name = "src"
	}
	if cfg.URL == "" {
		cfg.URL = "https://example.com/feed"
	}
	return feed.Parse(b, cfg)
}

func TestParse(t *testing.T) {
	tests := []struct {
		file      string
		cfg       feed.Config
		feedTitle string
		n         int
		check     func(t *testing.T, obs []harvester.Observation)
	}{
		{"blog.xml", feed.Config{}, "Priya Raman", 5, func(t *testing.T, obs []harvester.Observation) {
			o := obs[0]
			if o.NativeID != "https://priyaraman.dev/?p=412" || o.URL != "https://priyaraman.dev/2026/conditional-access-day-one/" {
				t.Errorf("id/url = %q %q", o.NativeID, o.URL)
			}
			if o.Description != "Five Conditional Access policies that every Entra tenant needs before the first user signs in." {
				t.Errorf("description = %q", o.Description)
			}
			if len(o.Authors) != 1 || o.Authors[0] != "Priya Raman" || len(o.Categories) != 2 {
				t.Errorf("authors %q categories %q", o.Authors, o.Categories)
			}
			if !o.Date.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) {
				t.Errorf("date = %v", o.Date)
			}
		}},
		{"blog.xml", feed.Config{Since: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}, "Priya Raman", 0, nil},
		{"podcast.xml", feed.Config{Match: []string{"priya raman"}}, "Cloud Cafe", 1, func(t *testing.T, obs []harvester.Observation) {
			if obs[0].Meta["duration"] != "52:14" || len(obs[0].OtherURLs) != 1 || !strings.HasSuffix(obs[0].OtherURLs[0], "88.mp3") {
				t.Errorf("podcast obs = %+v", obs[0])
			}
		}},
		{"youtube.xml", feed.Config{}, "Priya Raman", 2, func(t *testing.T, obs []harvester.Observation) {
			if obs[0].Metrics["views"] != 4821 || obs[0].URL != "https://www.youtube.com/watch?v=dQw4w9WgXc1" || obs[0].NativeID != "yt:video:dQw4w9WgXc1" {
				t.Errorf("youtube obs = %+v", obs[0])
			}
			if obs[1].Description == "" {
				t.Error("media:description not used")
			}
		}},
		{"atom.xml", feed.Config{}, "Hashnode mirror", 2, func(t *testing.T, obs []harvester.Observation) {
			if obs[0].CanonicalURL != "https://priyaraman.dev/2026/bicep-landing-zones/" || obs[0].URL != "https://priya.hashnode.dev/bicep-landing-zones" {
				t.Errorf("atom canonical %q url %q", obs[0].CanonicalURL, obs[0].URL)
			}
			if obs[0].Description != "Modules & reviews" {
				t.Errorf("summary = %q", obs[0].Description)
			}
			if !obs[1].Date.IsZero() || obs[1].DateFallback != "first_seen" {
				t.Errorf("undated: %v %q", obs[1].Date, obs[1].DateFallback)
			}
		}},
		{"jsonfeed.json", feed.Config{}, "Priya's notes", 2, func(t *testing.T, obs []harvester.Observation) {
			if obs[0].CanonicalURL != "https://priyaraman.dev/2026/original/" || obs[0].Authors[0] != "Priya Raman" {
				t.Errorf("json item = %+v", obs[0])
			}
			if obs[1].URL != "https://notes.example.com/n2" || obs[1].Title != "An untitled micro post" || obs[1].DateFallback != "updated" {
				t.Errorf("json item 2 = %+v", obs[1])
			}
		}},
		{"medium.xml", feed.Config{}, "Stories by Priya Raman on Medium", 1, nil},
		{"devto.xml", feed.Config{}, "DEV Community: Priya Raman", 2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			title, obs, err := parseFile(t, tt.file, tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if title != tt.feedTitle || len(obs) != tt.n {
				t.Fatalf("title %q, %d items; want %q, %d", title, len(obs), tt.feedTitle, tt.n)
			}
			if tt.check != nil {
				tt.check(t, obs)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{"", "empty body"},
		{"   \n", "empty body"},
		{`{"hello": "world"}`, "not a JSON Feed"},
		{"<rss><channel><item><title>x</title>", "malformed"},
		{"plain text", "not an RSS"},
	}
	for _, tt := range tests {
		_, _, err := feed.Parse([]byte(tt.body), feed.Config{Name: "x"})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) err = %v, want %q", tt.body, err, tt.want)
		}
	}
	_, _, err := parseFile(t, "page.html", feed.Config{})
	if err == nil || !strings.Contains(err.Error(), "HTML page, not a feed") || !strings.Contains(err.Error(), "https://priyaraman.dev/feed/") {
		t.Errorf("html err = %v", err)
	}
	_, obs, err := parseFile(t, "entitybomb.xml", feed.Config{})
	if err == nil && len(obs) > 0 && len(obs[0].Title) > 1000 {
		t.Errorf("entity bomb expanded to %d bytes", len(obs[0].Title))
	}
}

func TestHarvestConditional(t *testing.T) {
	body, _ := os.ReadFile("testdata/blog.xml")
	var conditional int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"b1"`)
		if r.Header.Get("If-None-Match") == `"b1"` {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write(body)
	}))
	defer srv.Close()
	src := feed.New(feed.Config{Name: "blog", URL: srv.URL + "/feed/", Activity: harvester.TypeBlog, Client: fetch.New(fetch.Options{})})
	b, err := src.Harvest(context.Background(), harvester.SourceState{})
	if err != nil || len(b.Observations) != 5 || b.ETag != `"b1"` {
		t.Fatalf("first harvest: %v, %+v", err, b)
	}
	b, err = src.Harvest(context.Background(), harvester.SourceState{ETag: b.ETag})
	if err != nil || !b.NotModified || conditional != 1 {
		t.Fatalf("second harvest: %v, %+v; want 304", err, b)
	}
}

// TestCorpus runs every real-world feed written by others through Parse:
// each gives observations or a clear error, never a panic, and every
// string is valid UTF-8.
func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "feeds")
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus not present:", err)
	}
	var parsed, failed, items int
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), "LICENSE") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		_, obs, err := feed.Parse(b, feed.Config{Name: "corpus", URL: "https://example.com/feed"})
		if err != nil {
			failed++
			if err.Error() == "" {
				t.Errorf("%s: empty error", path)
			}
			return nil
		}
		parsed++
		items += len(obs)
		for _, o := range obs {
			for _, s := range append([]string{o.Title, o.Description, o.URL, o.NativeID, o.FeedTitle}, append(o.Authors, o.Categories...)...) {
				if !utf8.ValidString(s) {
					t.Errorf("%s: invalid UTF-8 %q", path, s)
				}
			}
			if o.NativeID == "" {
				t.Errorf("%s: item without id", path)
			}
		}
		return nil
	})
	t.Logf("corpus: %d files parsed (%d items), %d rejected with an error", parsed, items, failed)
	if parsed == 0 {
		t.Error("no corpus file parsed")
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, obs, err := feed.Parse(b, feed.Config{Name: "f", URL: "https://example.com/"})
		if err != nil {
			return
		}
		for _, o := range obs {
			if !utf8.ValidString(o.Title) || !utf8.ValidString(o.Description) {
				t.Fatal("invalid UTF-8")
			}
		}
	})
}

func BenchmarkParse50(b *testing.B) {
	body, _ := os.ReadFile("testdata/blog.xml")
	s := string(body)
	i := strings.Index(s, "<item>")
	j := strings.LastIndex(s, "</item>") + len("</item>")
	var items strings.Builder
	for k := 0; k < 10; k++ {
		items.WriteString(strings.ReplaceAll(s[i:j], "?p=", "?p="+strings.Repeat("1", k+1)))
	}
	doc := []byte(s[:i] + items.String() + s[j:])
	b.SetBytes(int64(len(doc)))
	for n := 0; n < b.N; n++ {
		if _, _, err := feed.Parse(doc, feed.Config{Name: "b", URL: "https://example.com/"}); err != nil {
			b.Fatal(err)
		}
	}
}

// Feeds read one after the other reuse one body buffer: what the first
// harvest returned must not change when the next body is read over it.
func TestHarvestsShareNoMemory(t *testing.T) {
	docs := []string{"blog.xml", "devto.xml", "podcast.xml", "atom.xml", "jsonfeed.json", "bench50.xml"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("testdata", strings.TrimPrefix(r.URL.Path, "/")))
	}))
	defer srv.Close()
	client := fetch.New(fetch.Options{})
	type snapshot struct {
		batch *harvester.Batch
		copy  []harvester.Observation
	}
	var got []snapshot
	for round := 0; round < 3; round++ {
		for _, d := range docs {
			src := feed.New(feed.Config{Name: d, URL: srv.URL + "/" + d, Client: client})
			b, err := src.Harvest(context.Background(), harvester.SourceState{})
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			cp := make([]harvester.Observation, len(b.Observations))
			for i, o := range b.Observations {
				cp[i] = o
				cp[i].Title, cp[i].Description, cp[i].URL = strings.Clone(o.Title), strings.Clone(o.Description), strings.Clone(o.URL)
			}
			got = append(got, snapshot{b, cp})
		}
	}
	for _, s := range got {
		for i, o := range s.batch.Observations {
			if c := s.copy[i]; o.Title != c.Title || o.Description != c.Description || o.URL != c.URL {
				t.Fatalf("%s changed after later harvests: %q, was %q", o.Source, o.Title, c.Title)
			}
		}
	}
}

// TestHarvestCountsDropped: a full read says why it left items out, so
// that `harvest` can report "kept 1 of 5 (4 not matching match)".
func TestHarvestCountsDropped(t *testing.T) {
	body, _ := os.ReadFile("testdata/blog.xml") // 5 items, all of 2 March 2026
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(body) }))
	defer srv.Close()
	april := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		match   []string
		since   time.Time
		kept    int
		dropped map[string]int
	}{
		{"no filter", nil, time.Time{}, 5, map[string]int{}},
		{"since", nil, april, 0, map[string]int{harvester.DroppedSince: 5}},
		{"match", []string{"passkeys"}, time.Time{}, 1, map[string]int{harvester.DroppedMatch: 4}},
		{"match, then since", []string{"passkeys"}, april, 0, map[string]int{harvester.DroppedMatch: 4, harvester.DroppedSince: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := feed.New(feed.Config{Name: "blog", URL: srv.URL + "/feed/", Match: tt.match, Since: tt.since, Client: fetch.New(fetch.Options{})})
			b, err := src.Harvest(context.Background(), harvester.SourceState{})
			if err != nil {
				t.Fatal(err)
			}
			if len(b.Observations) != tt.kept || !maps.Equal(b.Dropped, tt.dropped) {
				t.Errorf("kept %d, dropped %v; want %d, %v", len(b.Observations), b.Dropped, tt.kept, tt.dropped)
			}
		})
	}
}
