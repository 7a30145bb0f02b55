package export_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

func encodeTable(t testing.TB, opts export.TableOptions, rows []harvester.Contribution) string {
	t.Helper()
	var buf bytes.Buffer
	return encode(t, export.NewTableEncoder(&buf, opts), &buf, rows)
}

func TestTableGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts export.TableOptions
	}{
		{"log.table", export.TableOptions{}},
		{"log-all.table", export.TableOptions{All: true}},
		{"log-narrow.table", export.TableOptions{All: true, Width: 24}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := encodeTable(t, tt.opts, fixture())
			golden(t, tt.name, out)
			checkTable(t, out)
		})
	}
}

// checkTable checks what holds for every table: nothing reaches the
// terminal but printable text and newlines, no line ends in a space.
func checkTable(t testing.TB, out string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if strings.HasSuffix(line, " ") {
			t.Errorf("trailing space: %q", line)
		}
		for _, r := range line {
			if unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200d') { // ZWJ joins emoji
				t.Errorf("control or format character %U in %q", r, line)
			}
		}
	}
}

func TestTableRows(t *testing.T) {
	all := encodeTable(t, export.TableOptions{All: true}, fixture())
	def := encodeTable(t, export.TableOptions{}, fixture())
	lines := strings.Split(strings.TrimSuffix(all, "\n"), "\n")
	if want := 1 + len(fixture()) + 1; len(lines) != want { // header, rows, legend
		t.Fatalf("%d lines, want %d:\n%s", len(lines), want, all)
	}
	for _, tt := range []struct {
		name string
		out  string
		want []string
		not  []string
	}{
		{"all", all, []string{
			"(excluded) @SUM talk: caf bytes", // excluded, marked; invalid bytes dropped
			"日本語のタイトル：ゼロトラスト入門*", "3*",        // curated title and reach
			"2026-05-05*", "Talk ", "Video ", "OSS ", "Mentoring ", "Conference keynote ",
			"[31mred[0m next evil", "1,200", "blog,devto,medium",
			"\n* set with `contriblog edit`\n",
		}, []string{"\x1b", "\u202e", "Webinar/"}},
		{"default", def, []string{"\n* set with `contriblog edit`\n"}, []string{"(excluded)", "dddddddddd"}},
	} {
		for _, s := range tt.want {
			if !strings.Contains(tt.out, s) {
				t.Errorf("%s: table lacks %q:\n%s", tt.name, s, tt.out)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(tt.out, s) {
				t.Errorf("%s: table has %q:\n%s", tt.name, s, tt.out)
			}
		}
	}
}

func TestTableLegendOnlyWhenCurated(t *testing.T) {
	rows := []harvester.Contribution{{ID: "x", Date: "2026-01-01", ActivityType: "Blog", Title: "t", Sources: []string{"blog"}}}
	out := encodeTable(t, export.TableOptions{}, rows)
	if strings.Contains(out, "*") {
		t.Errorf("legend or mark without curation:\n%s", out)
	}
	rows[0].Curated = []string{"role"} // not a column: no mark, no legend
	if out := encodeTable(t, export.TableOptions{}, rows); strings.Contains(out, "*") {
		t.Errorf("legend for a field not shown:\n%s", out)
	}
}

func TestTableEmpty(t *testing.T) {
	if out := encodeTable(t, export.TableOptions{}, nil); out != "No contributions.\n" {
		t.Errorf("empty table = %q", out)
	}
	rows := []harvester.Contribution{{ID: "x", Excluded: true}}
	if out := encodeTable(t, export.TableOptions{}, rows); out != "No contributions.\n" {
		t.Errorf("only excluded rows = %q", out)
	}
}

// TestTablePersonColumn: the table shows a PERSON column only when its
// rows have more than one person.
func TestTablePersonColumn(t *testing.T) {
	two := []harvester.Contribution{
		{ID: "a", Person: "Priya Raman", Date: "2026-03-02", Title: "One"},
		{ID: "b", Person: "Ada Lovelace", Date: "2026-03-05", Title: "Two"},
	}
	out := encodeTable(t, export.TableOptions{}, two)
	checkTable(t, out)
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "ID  DATE        PERSON        TYPE") || !strings.Contains(lines[2], "Ada Lovelace") {
		t.Errorf("two persons:\n%s", out)
	}
	one := encodeTable(t, export.TableOptions{}, two[:1])
	if strings.Contains(one, "PERSON") || strings.Contains(one, "Priya") {
		t.Errorf("one person:\n%s", one)
	}
}
