package harvester

// The severities of a Problem: an error is something the program's form
// refuses or requires (`contriblog check` exits 1), a warning something
// it asks that the row lacks, or a choice worth a second look.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Problem is one thing a program's form would refuse in a row of the
// log, or that the row lacks: a line of `contriblog check`
// (docs/programs.md#check). The JSON names are check's --format json.
type Problem struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	Problem  string `json:"problem"`
	Fix      string `json:"fix"`
	// Field is the row's field at fault, as the JSON export names it
	// (title, date, primary_area, …; counts.attendees for a count).
	Field string `json:"field"`
}

// CheckRequest is one `contriblog check`: the program (its name, as
// --program and program: give it), the rows (Filter) and the day dates
// are judged from (YYYY-MM-DD: the program's window and "in the future"
// are counted from the command's clock, not the daemon's).
type CheckRequest struct {
	Program string
	Filter  Filter
	Today   string
}

// ExportRequest is one `contriblog export`: the format (csv, json or md),
// the rows (Filter) and the program whose export it is ("" for the
// general log, docs/log.md).
type ExportRequest struct {
	Format  string
	Filter  Filter
	Program string
}

// LeftOut is a row a program's export left out, and why: a value the
// program does not take, which is never guessed (docs/programs.md).
type LeftOut struct {
	ID  string `json:"id"`
	Why string `json:"why"`
}
