package feed

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// translate translates data's RSS as gofeed does (hide false) or with the
// plain authors hidden and restored (hide true), and returns the
// translation and the RSS items after it.
func translate(t *testing.T, data []byte, hide bool) (*gofeed.Feed, *rss.Feed) {
	t.Helper()
	raw, err := (&rss.Parser{}).Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil
	}
	tr := &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	if !hide {
		f, _ := tr.Translate(raw)
		return f, raw
	}
	h := hideAuthors(raw)
	f, _ := tr.Translate(raw)
	h.restore(f)
	return f, raw
}

// Hiding plain authors changes nothing gofeed's translator gives, nor the
// RSS items: on every RSS document of testdata and of the shared corpus.
func TestHiddenAuthorsTranslateAsGofeed(t *testing.T) {
	files, _ := filepath.Glob("testdata/*")
	filepath.WalkDir(filepath.Join("..", "..", "..", "shared", "corpus", "feeds"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	compared, hidden := 0, 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil || gofeed.DetectFeedType(bytes.NewReader(data)) != gofeed.FeedTypeRSS {
			continue
		}
		want, wantRaw := translate(t, data, false)
		got, gotRaw := translate(t, data, true)
		if want == nil {
			continue
		}
		compared++
		for _, it := range wantRaw.Items {
			if text, ok := rssAuthorText(it); ok && !strings.ContainsAny(text, "@()") {
				hidden++
			}
		}
		if !reflect.DeepEqual(got, want) {
			for i := range want.Items {
				if !reflect.DeepEqual(got.Items[i], want.Items[i]) {
					t.Errorf("%s: item %d: got author %+v, want %+v", p, i, got.Items[i].Author, want.Items[i].Author)
					break
				}
			}
			t.Errorf("%s: translation differs", p)
		}
		if !reflect.DeepEqual(gotRaw, wantRaw) {
			t.Errorf("%s: the RSS items were not restored", p)
		}
	}
	t.Logf("%d RSS documents compared, %d items with plain authors", compared, hidden)
	if compared == 0 || hidden == 0 {
		t.Error("nothing compared")
	}
}

// Every author text, in every field the translator reads, gives the
// translator's author whether or not it is hidden.
func FuzzHiddenAuthor(f *testing.F) {
	for _, s := range []string{"Priya Raman", "", " ", "jane@example.com (Jane)", "Jane (jane@example.com)",
		"jane@example.com", "Jane (the editor)", "a\nb", "Ünïcödé"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, field uint8) {
		item := func() *rss.Item {
			it := &rss.Item{Title: "t", DublinCoreExt: &ext.DublinCoreExtension{Title: []string{"dc"}}, ITunesExt: &ext.ITunesItemExtension{Summary: "x"}}
			switch field % 4 {
			case 0:
				it.Author = s
			case 1:
				it.DublinCoreExt.Author = []string{s}
			case 2:
				it.DublinCoreExt.Creator = []string{s, "second"}
			case 3:
				it.ITunesExt.Author = s
			}
			return it
		}
		tr := &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
		want, _ := tr.Translate(&rss.Feed{Items: []*rss.Item{item()}})
		raw := &rss.Feed{Items: []*rss.Item{item()}}
		h := hideAuthors(raw)
		got, _ := tr.Translate(raw)
		h.restore(got)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("field %d, %q: got author %+v, want %+v", field%4, s, got.Items[0].Author, want.Items[0].Author)
		}
		if !reflect.DeepEqual(raw.Items[0], item()) {
			t.Fatalf("field %d, %q: item not restored", field%4, s)
		}
	})
}
