package report

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
)

// The page and its style sheet are embedded: the binary writes the whole
// report with nothing to fetch, and html/template escapes every harvested
// text for the context it lands in (docs/security.md).
var (
	//go:embed assets/report.css
	styleSheet string
	//go:embed assets/report.html
	pageSource   string
	pageTemplate = template.Must(template.New("report").Parse(pageSource))
)

// contentSecurityPolicy makes the browser hold the page to what it is:
// no script, no request for anything (fonts, images, frames, styles from
// elsewhere), the one embedded style sheet allowed by its hash. Should a
// harvested text ever slip past escaping, it could fetch nothing.
var contentSecurityPolicy = "default-src 'none'; style-src '" + styleHash(styleSheet) + "'; img-src data:; base-uri 'none'; form-action 'none'"

func styleHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}
