package export_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/export"
)

var wantHeader = []string{"ID", "Person", "Activity Type", "Published Date", "End Date", "Title", "Description",
	"Activity URL", "Role", "Primary Technology Area", "Additional Technology Areas", "Target Audience",
	"Quantity", "Reach", "Other URLs", "Sources"}

// readCSV parses out back with encoding/csv and checks what holds for
// every CSV export: the exact header, 16 cells a row, clean UTF-8 on one
// line, defused formulas, the caps.
func readCSV(t testing.TB, out string) [][]string {
	t.Helper()
	if strings.HasPrefix(out, "\ufeff") {
		t.Error("CSV starts with a byte-order mark")
	}
	if !utf8.ValidString(out) {
		t.Error("CSV is not valid UTF-8")
	}
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = -1 // checked below, with a better message
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v\n%s", err, out)
	}
	if len(recs) == 0 || strings.Join(recs[0], "|") != strings.Join(wantHeader, "|") {
		t.Fatalf("header = %q\nwant %q", recs[0], wantHeader)
	}
	for i, rec := range recs[1:] {
		if len(rec) != len(wantHeader) {
			t.Errorf("row %d has %d cells, want %d", i+1, len(rec), len(wantHeader))
			continue
		}
		for j, c := range rec {
			checkCell(t, i+1, wantHeader[j], c)
		}
	}
	return recs
}

func checkCell(t testing.TB, row int, col, c string) {
	t.Helper()
	if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
		t.Errorf("row %d %s: formula cell %q", row, col, c)
	}
	for _, r := range c {
		if unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != '\u200d') { // ZWJ joins emoji
			t.Errorf("row %d %s: control or format character %U in %q", row, col, r, c)
		}
	}
	limit := map[string]int{"Title": export.MaxTitle, "Description": export.MaxDescription}[col]
	if n := utf8.RuneCountInString(strings.TrimPrefix(c, "'")); limit > 0 && n > limit {
		t.Errorf("row %d %s: %d characters, cap %d", row, col, n, limit)
	}
}

func TestCSVGolden(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts export.Options
		rows int
	}{
		{"log.csv", export.Options{}, 7},
		{"log-all.csv", export.Options{All: true}, 8},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := encodeFormat(t, "csv", tt.opts, fixture())
			golden(t, tt.name, out)
			recs := readCSV(t, out)
			if len(recs)-1 != tt.rows {
				t.Errorf("%d rows, want %d", len(recs)-1, tt.rows)
			}
			if !strings.HasSuffix(out, "\r\n") || strings.Count(out, "\n") != strings.Count(out, "\r\n") {
				t.Error("line ends are not CRLF (RFC 4180)")
			}
		})
	}
}

// TestCSVCells checks the cells that carry the contract's rules.
func TestCSVCells(t *testing.T) {
	recs := readCSV(t, encodeFormat(t, "csv", export.Options{All: true}, fixture()))
	byID := map[string][]string{}
	for _, r := range recs[1:] {
		byID[r[0]] = r
	}
	col := func(name string) int {
		for i, h := range wantHeader {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q", name)
		return -1
	}
	for _, tt := range []struct{ id, col, want string }{
		{"aaaaaaaaaa", "Title", "Conditional Access day one"},
		{"aaaaaaaaaa", "Description", "Five & more policies Q&A after."},
		{"aaaaaaaaaa", "Additional Technology Areas", "Security;Azure"},
		{"aaaaaaaaaa", "Target Audience", "IT Pro;Developer"},
		{"aaaaaaaaaa", "Other URLs", "https://dev.to/priya/ca;https://medium.com/@priya/ca"},
		{"aaaaaaaaaa", "Sources", "blog;devto;medium"},
		{"aaaaaaaaaa", "Quantity", "1"},
		{"aaaaaaaaaa", "Reach", "1200"},
		{"bbbbbbbbbb", "Title", `'=HYPERLINK("http://evil.example","click")`},
		{"bbbbbbbbbb", "Description", "'+1 for this -x @SUM(A1:A9)"},
		{"bbbbbbbbbb", "Primary Technology Area", "'-x"},
		{"bbbbbbbbbb", "Reach", ""},
		{"dddddddddd", "Person", "Priya Raman"},
		{"dddddddddd", "Title", "'@SUM talk: caf bytes"},
		{"dddddddddd", "Description", "'-starts with a minus"},
		{"dddddddddd", "Additional Technology Areas", "'=1+1"},
		{"dddddddddd", "End Date", "2026-04-16"},
		{"eeeeeeeeee", "Title", "日本語のタイトル：ゼロトラスト入門"},
		{"eeeeeeeeee", "Quantity", "3"},
		{"ffffffffff", "Title", "Fix `nil` *panic* in [router] | table_name bold ~~x~~ [31mred[0m next evil"},
		{"ffffffffff", "Description", "# Not a heading 1. not a list &amp; more"},
		{"gggggggggg", "Title", "'+1 Keynote"},
		{"gggggggggg", "Activity URL", "https://conf.example/talks;id=7"},
		{"gggggggggg", "Additional Technology Areas", "Dev, Ops"},
		{"gggggggggg", "Other URLs", "https://conf.example/video?t=1%3B2"},
	} {
		if got := byID[tt.id][col(tt.col)]; got != tt.want {
			t.Errorf("%s %s = %q, want %q", tt.id, tt.col, got, tt.want)
		}
	}
	long := byID["cccccccccc"]
	if title := long[col("Title")]; !strings.HasSuffix(title, "…") || strings.HasSuffix(title, " …") {
		t.Errorf("long title not cut at a word and marked: %q", title)
	}
	if n := utf8.RuneCountInString(long[col("Description")]); n < 900 {
		t.Errorf("long description cut to %d characters; want close to %d", n, export.MaxDescription)
	}
}

func TestCSVEmpty(t *testing.T) {
	out := encodeFormat(t, "csv", export.Options{}, nil)
	if recs := readCSV(t, out); len(recs) != 1 {
		t.Errorf("empty log: %d records, want the header only", len(recs))
	}
}

// failWriter fails every write after the first n bytes.
type failWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

// TestWriterErrors: every encoder reports the writer's error from Close
// (or sooner), and refuses rows after Close.
func TestWriterErrors(t *testing.T) {
	rows := fixture()
	encoders := map[string]func(w *failWriter) export.Encoder{
		"csv":   func(w *failWriter) export.Encoder { return export.NewCSVEncoder(w, export.Options{All: true}) },
		"json":  func(w *failWriter) export.Encoder { return export.NewJSONEncoder(w, export.Options{All: true}) },
		"md":    func(w *failWriter) export.Encoder { return export.NewMarkdownEncoder(w, export.Options{All: true}) },
		"table": func(w *failWriter) export.Encoder { return export.NewTableEncoder(w, export.TableOptions{All: true}) },
	}
	for name, mk := range encoders {
		t.Run(name, func(t *testing.T) {
			enc := mk(&failWriter{n: 100})
			var err error
			for i := 0; i < 200 && err == nil; i++ {
				err = enc.Encode(&rows[i%len(rows)])
			}
			if cerr := enc.Close(); !errors.Is(cerr, errDiskFull) || (err != nil && !errors.Is(err, errDiskFull)) {
				t.Errorf("Encode = %v, Close = %v; want %v", err, cerr, errDiskFull)
			}
			ok := mk(&failWriter{n: 1 << 20})
			if err := ok.Close(); err != nil {
				t.Fatal(err)
			}
			if err := ok.Encode(&rows[1]); !errors.Is(err, export.ErrClosed) {
				t.Errorf("Encode after Close = %v, want ErrClosed", err)
			}
			if err := ok.Close(); err != nil {
				t.Errorf("second Close = %v", err)
			}
			if err := mk(&failWriter{n: 1 << 20}).Encode(nil); err == nil {
				t.Error("Encode(nil) gave no error")
			}
		})
	}
}

func TestNew(t *testing.T) {
	for _, f := range []string{"csv", "json", "md", "markdown", "CSV", " Markdown "} {
		if _, err := export.New(f, &bytes.Buffer{}, export.Options{}); err != nil {
			t.Errorf("New(%q): %v", f, err)
		}
	}
	_, err := export.New("xlsx", &bytes.Buffer{}, export.Options{})
	if err == nil || !strings.Contains(err.Error(), `"xlsx"`) || !strings.Contains(err.Error(), "csv, json, md") {
		t.Errorf("New(xlsx) error = %v; want one naming the format and listing csv, json, md", err)
	}
	if got := strings.Join(export.Formats(), ","); got != "csv,json,md" {
		t.Errorf("Formats() = %s", got)
	}
	if strings.Join(export.Header, "|") != strings.Join(wantHeader, "|") {
		t.Errorf("Header = %q", export.Header)
	}
}

// TestCSVDoesNotKeepRows: rows may be reused by the caller between calls
// (a store's iterator does), so the encoder must not hold on to them.
func TestCSVReusedRow(t *testing.T) {
	var buf bytes.Buffer
	enc := export.NewCSVEncoder(&buf, export.Options{})
	var c harvester.Contribution
	for _, title := range []string{"first", "second"} {
		c = harvester.Contribution{ID: title, Title: title, Date: "2026-01-01"}
		if err := enc.Encode(&c); err != nil {
			t.Fatal(err)
		}
	}
	enc.Close()
	if recs := readCSV(t, buf.String()); recs[1][5] != "first" || recs[2][5] != "second" {
		t.Errorf("rows = %q", recs[1:])
	}
}

// TestCSVExcel: Options.Excel puts a UTF-8 byte-order mark before the
// same bytes; without it the CSV starts with its header. Lines end CRLF
// either way.
func TestCSVExcel(t *testing.T) {
	rows := []harvester.Contribution{{ID: "a", Title: "Don’t panic ★", Person: "Zoë"}}
	plain := encodeFormat(t, "csv", export.Options{}, rows)
	excel := encodeFormat(t, "csv", export.Options{Excel: true}, rows)
	if !strings.HasPrefix(excel, "\xef\xbb\xbf") || excel[3:] != plain {
		t.Errorf("excel CSV = %q, want the BOM then %q", excel, plain)
	}
	if !strings.HasPrefix(plain, "ID,") {
		t.Errorf("default CSV starts %q, want the header without a BOM", plain[:10])
	}
	if n, crlf := strings.Count(plain, "\n"), strings.Count(plain, "\r\n"); n != 2 || crlf != n {
		t.Errorf("%d line ends, %d of them CRLF; want 2, all CRLF", n, crlf)
	}
	for _, format := range []string{"json", "md"} {
		if out := encodeFormat(t, format, export.Options{Excel: true}, rows); strings.HasPrefix(out, export.BOM) {
			t.Errorf("%s got a BOM", format)
		}
	}
}
