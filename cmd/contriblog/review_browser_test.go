package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/contriblog/contriblog/harvester/report/browsertest"
)

// reviewEntries are the hand-kept entries of the review page's test: two
// rows of one piece of work to merge, a draft to exclude, and two
// hostile titles.
const reviewEntries = `- title: Bicep modules deep dive
  date: 2026-03-02
  activity_type: Blog
  url: https://priya.example/bicep
- title: Bicep modules, the recording
  date: 2026-03-03
  activity_type: Podcast
  url: https://video.example/bicep
- title: <script>alert(1)</script> Zero Trust
  date: 2026-04-10
  activity_type: Blog
  url: https://priya.example/zero-trust
- title: '"><img src=x onerror=alert(1)> Passkeys'
  date: 2026-05-01
  activity_type: Blog
  url: https://priya.example/passkeys
- title: A draft nobody should see
  date: 2026-06-01
  activity_type: Blog
  url: https://priya.example/draft
`

// exportRow is what the test reads of a row of /export.json?all=1.
type exportRow struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Excluded  bool     `json:"excluded"`
	OtherURLs []string `json:"other_urls"`
	Sources   []string `json:"sources"`
}

// daemonGet reads path from the daemon at addr.
func daemonGet(t *testing.T, addr, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

// daemonRows are the daemon's rows, excluded ones included, by title.
func daemonRows(t *testing.T, addr string) map[string]exportRow {
	t.Helper()
	var rows []exportRow
	if err := json.Unmarshal([]byte(daemonGet(t, addr, "/export.json?all=1")), &rows); err != nil {
		t.Fatal(err)
	}
	out := map[string]exportRow{}
	for _, r := range rows {
		out[r.Title] = r
	}
	return out
}

// rowByID is the daemon's row id (zero when there is none).
func rowByID(t *testing.T, addr, id string) exportRow {
	t.Helper()
	for _, r := range daemonRows(t, addr) {
		if r.ID == id {
			return r
		}
	}
	return exportRow{}
}

// TestReviewPageInBrowser (issue 18, items 2 and 3): `contriblog run`'s
// page in headless Chromium. By keyboard, a row is excluded and another's
// title edited; by clicks, two rows are merged and one marked submitted.
// The page redraws without a reload, the daemon's log has every change,
// and a harvest keeps them. Hostile titles are text, the page loads
// nothing from elsewhere and logs no console error (a CSP violation
// included). A page of another site can neither read the log nor change
// it, by fetch() or by a form; a rebound DNS name gets 403.
func TestReviewPageInBrowser(t *testing.T) {
	ctx, watch := browsertest.Start(t, chromedp.Flag("host-resolver-rules", "MAP evil.test 127.0.0.1"))
	addr := freeAddr(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "manual.yaml"), []byte(reviewEntries), 0o600)
	cfg := filepath.Join(dir, "contriblog.yaml")
	os.WriteFile(cfg, []byte("person: Priya Raman\ndatabase: ./c.db\ntimezone: UTC\nsince: 2026-01-01\nprogram: mvp\n"+
		"schedule: \"@every 1h\"\nlisten: "+addr+"\nsources:\n  - {name: manual, type: file, path: ./manual.yaml}\n"), 0o600)
	runInProcess(t, cfg, addr)
	waitFor(t, "the daemon's first pass", func() bool { r := daemonRows(t, addr); return len(r) == 5 })
	rows := daemonRows(t, addr)
	bicep, recording := rows["Bicep modules deep dive"].ID, rows["Bicep modules, the recording"].ID
	draft, passkeys := rows["A draft nobody should see"].ID, rows[`"> Passkeys`].ID

	step, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	origin := "http://" + addr
	page := origin + "/?since=2026-01-01&until=2026-12-31"
	if err := chromedp.Do(step, chromedp.Navigate(page)); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	type loaded struct {
		JS       bool   `json:"js"`
		Rows     int    `json:"rows"`
		Images   int    `json:"images"`
		Scripts  int    `json:"scripts"`
		Hostile  string `json:"hostile"`
		Hostile2 string `json:"hostile2"`
		Buttons  int    `json:"buttons"`
	}
	got, err := chromedp.Run(step, chromedp.Evaluate[loaded](`(() => {
		window.contriblogNoReload = true;
		const title = id => document.querySelector('#row-' + id + ' td.title a, #row-' + id + ' td.title').textContent;
		return {js: document.documentElement.classList.contains('js'),
			rows: document.querySelectorAll('#contributions tbody tr').length,
			images: document.images.length, scripts: document.scripts.length,
			hostile: [...document.querySelectorAll('#contributions td.title')].map(td => td.textContent).find(s => s.includes('Zero Trust')),
			hostile2: [...document.querySelectorAll('#contributions td.title')].map(td => td.textContent).find(s => s.includes('Passkeys')),
			buttons: [...document.querySelectorAll('#contributions button')].filter(b => b.offsetWidth > 0).length};
	})()`))
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	if !got.JS || got.Rows != 5 || got.Buttons < 15 {
		t.Errorf("the review script did not run, or the table is wrong: %+v", got)
	}
	// The file source keeps titles as plain text (its markup dropped);
	// what is left is shown as text.
	if got.Images != 0 || got.Scripts != 1 || !strings.Contains(got.Hostile, "Zero Trust") || !strings.HasPrefix(got.Hostile2, `"> Passkeys`) {
		t.Errorf("hostile titles are not text: %+v", got)
	}

	// wait polls the page for a condition (a JavaScript expression).
	wait := func(what, cond string) {
		t.Helper()
		t.Logf("%s waiting for %s", time.Now().Format("15:04:05.000"), what)
		if _, err := chromedp.Run(step, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			_, problems := watch.Take()
			t.Fatalf("waiting for %s: %v (console: %v)", what, err, problems)
		}
	}
	row := func(id string) string { return `document.querySelector('#row-` + id + `')` }

	// Exclude the draft by keyboard: its button focused, Enter.
	if err := chromedp.Do(step, chromedp.Focus(chromedp.CSS(`#row-`+draft+` button[data-action="exclude"]`)), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	wait("the draft redrawn as excluded, its Include button focused",
		row(draft)+`?.classList.contains('excluded') && document.activeElement === `+row(draft)+`.querySelector('button[data-action="include"]')`)
	if !daemonRows(t, addr)["A draft nobody should see"].Excluded {
		t.Error("the daemon's log does not have the draft excluded")
	}

	// Edit a title by keyboard: Tab from Exclude to Edit…, Enter opens
	// the form on the title, Ctrl+A, type, Enter saves. The new title is
	// hostile, and shown as text.
	const revised = `Bicep modules, revised "><img src=x onerror=alert(1)>`
	err = chromedp.Do(step, chromedp.Focus(chromedp.CSS(`#row-`+bicep+` button[data-action="exclude"]`)),
		chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Enter))
	if err != nil {
		t.Fatal(err)
	}
	wait("the edit form, focus on the title", `document.getElementById('edit-dialog').open && document.activeElement.id === 'f-title'`)
	err = chromedp.Do(step, chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent(revised), chromedp.KeyEvent(kb.Enter))
	if err != nil {
		t.Fatal(err)
	}
	wait("the row's new title, focus back on Edit…", row(bicep)+`?.querySelector('td.title').textContent.startsWith(`+strconv.Quote(revised)+`) && document.images.length === 0 && `+
		`!document.getElementById('edit-dialog').open && document.activeElement === `+row(bicep)+`.querySelector('button[data-action="edit"]')`)
	// The export's titles are plain text (markup dropped); the stored
	// title is what was typed.
	if r := rowByID(t, addr, bicep); !strings.HasPrefix(r.Title, "Bicep modules, revised") {
		t.Errorf("the daemon's log does not have the new title: %+v", r)
	}

	// Merge the recording into it, by clicks.
	err = chromedp.Do(step, chromedp.Click(chromedp.CSS(`#row-`+bicep+` button[data-action="merge"]`)),
		chromedp.SetValue(chromedp.CSS(`#f-merge`), recording), chromedp.Click(chromedp.CSS(`#merge-form button[type="submit"]`)))
	if err != nil {
		t.Fatal(err)
	}
	wait("the recording's row gone into the other", `!`+row(recording)+` && `+row(bicep)+` && document.querySelectorAll('#contributions tbody tr').length === 4`)
	merged := rowByID(t, addr, bicep)
	if _, gone := daemonRows(t, addr)["Bicep modules, the recording"]; gone || !strings.Contains(strings.Join(merged.OtherURLs, " "), "video.example/bicep") {
		t.Errorf("the daemon's log after the merge: %+v", daemonRows(t, addr))
	}

	// Mark one submitted, by a click.
	if err := chromedp.Do(step, chromedp.Click(chromedp.CSS(`#row-`+passkeys+` button[data-action="mark"]`))); err != nil {
		t.Fatal(err)
	}
	wait("the row marked", row(passkeys)+`?.querySelector('button[data-action="unmark"]') && `+row(passkeys)+`.textContent.includes('submitted')`)
	if subs := daemonGet(t, addr, "/submissions"); !strings.Contains(subs, `"id": "`+passkeys+`"`) || !strings.Contains(subs, `"program": "mvp"`) {
		t.Errorf("the daemon's submission records: %s", subs)
	}

	// Split the merged row again, by keyboard.
	if err := chromedp.Do(step, chromedp.Focus(chromedp.CSS(`#row-`+bicep+` button[data-action="split"]`)), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	wait("the row split in two", `document.querySelectorAll('#contributions tbody tr').length === 5 && `+row(bicep)+` && !`+row(bicep)+`.querySelector('button[data-action="split"]')`)
	if n := len(daemonRows(t, addr)); n != 5 {
		t.Errorf("the daemon's log has %d rows after the split; want 5", n)
	}

	still, err := chromedp.Run(step, chromedp.Evaluate[bool](`window.contriblogNoReload === true`))
	if err != nil || !still {
		t.Errorf("the page was reloaded (%v)", err)
	}
	requests, problems := watch.Take()
	for _, r := range requests {
		if !strings.Contains(r, " "+origin+"/") {
			t.Errorf("the page requested %s, outside the daemon", r)
		}
	}
	for _, p := range problems {
		t.Errorf("console: %s", p)
	}
	// The watch does see a violation of the page's policy: an injected
	// inline script is refused and reported.
	if err := chromedp.Do(step, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.createElement('script');
		s.textContent = 'window.injected = 1'; document.body.append(s); })()`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	injected, _ := chromedp.Run(step, chromedp.Evaluate[bool](`window.injected === 1`))
	if _, problems = watch.Take(); injected || !strings.Contains(strings.Join(problems, " "), "Content Security Policy") {
		t.Errorf("an injected script ran (%v), or its refusal was not seen: %v", injected, problems)
	}

	// A harvest keeps every change.
	if code, out, stderr := run(t, nil, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest beside the daemon: %d %s %s", code, out, stderr)
	}
	after := daemonRows(t, addr)
	if len(after) != 5 || !after["A draft nobody should see"].Excluded || rowByID(t, addr, bicep).ID == "" {
		t.Errorf("after a harvest: %+v", after)
	}
	before := daemonGet(t, addr, "/export.json?all=1")
	subsBefore := daemonGet(t, addr, "/submissions")

	hostileOrigin(t, step, addr, draft, passkeys)
	// The attempts did reach the daemon, which refused them.
	requests, _ = watch.Take()
	if all := strings.Join(requests, "\n"); !strings.Contains(all, "POST "+origin+"/edit/"+draft) ||
		!strings.Contains(all, "POST "+origin+"/submissions/delete") {
		t.Errorf("the hostile page's requests did not reach the daemon:\n%s", all)
	}
	if now := daemonGet(t, addr, "/export.json?all=1"); now != before {
		t.Errorf("another site's page changed the log:\n%s\nwas\n%s", now, before)
	}
	if now := daemonGet(t, addr, "/submissions"); now != subsBefore {
		t.Errorf("another site's page changed the submission records:\n%s", now)
	}

	// DNS rebinding: a name that resolves to this machine is not the daemon's.
	_, port, _ := net.SplitHostPort(addr)
	resp, err := chromedp.Run(step, chromedp.NavigateResponse("http://evil.test:"+port+"/export.json?all=1"))
	if err != nil || resp.Status != http.StatusForbidden {
		t.Errorf("a rebound name: %v %v; want 403", resp, err)
	}
}

// hostileOrigin opens a page of another site (http://evil.test:PORT/)
// that tries to read the daemon's log and to change it with fetch() and
// with forms, and reports to its own server what it could do.
func hostileOrigin(t *testing.T, ctx context.Context, addr, excluded, marked string) {
	t.Helper()
	daemonURL := "http://" + addr
	var mu sync.Mutex
	var report string
	done := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><title>A page of another site</title>
<iframe name="sink1" title="sink"></iframe><iframe name="sink2" title="sink"></iframe>
<form id="plain" method="POST" target="sink1" enctype="text/plain" action="`+daemonURL+`/edit/`+excluded+`"><input name="include" value="1"></form>
<form id="urlenc" method="POST" target="sink2" action="`+daemonURL+`/submissions/delete"><input name="program" value="mvp"><input name="id" value="`+marked+`"></form>
<script>
(async () => {
  const out = {};
  const d = '`+daemonURL+`';
  try { const r = await fetch(d + '/export.json?all=1'); out.read = 'read ' + (await r.text()).length; } catch (e) { out.read = 'blocked'; }
  try { const r = await fetch(d + '/'); out.page = 'read ' + (await r.text()).length; } catch (e) { out.page = 'blocked'; }
  try { await fetch(d + '/edit/`+excluded+`', {method: 'POST', mode: 'no-cors', body: new URLSearchParams({include: '1'})}); out.nocors = 'sent'; } catch (e) { out.nocors = 'blocked'; }
  try { await fetch(d + '/edit/`+excluded+`', {method: 'POST', headers: {'X-CSRF-Token': 'guess'}, body: new URLSearchParams({include: '1'})}); out.preflight = 'sent'; } catch (e) { out.preflight = 'blocked'; }
  try { await fetch(d + '/harvest', {method: 'POST', mode: 'no-cors', body: 'wait=1', headers: {'Content-Type': 'text/plain'}}); out.plain = 'sent'; } catch (e) { out.plain = 'blocked'; }
  document.getElementById('plain').submit();
  await new Promise(r => setTimeout(r, 300));
  document.getElementById('urlenc').submit();
  await new Promise(r => setTimeout(r, 500));
  await fetch('/report', {method: 'POST', body: JSON.stringify(out)});
})();
</script>`)
	})
	mux.HandleFunc("POST /report", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		report = string(b)
		mu.Unlock()
		close(done)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if err := chromedp.Do(ctx, chromedp.Navigate("http://evil.test:"+port+"/")); err != nil {
		t.Fatalf("open the hostile page: %v", err)
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the hostile page never reported")
	}
	mu.Lock()
	defer mu.Unlock()
	var out map[string]string
	if err := json.Unmarshal([]byte(report), &out); err != nil {
		t.Fatalf("the hostile page's report %q: %v", report, err)
	}
	if out["read"] != "blocked" || out["page"] != "blocked" || out["preflight"] != "blocked" {
		t.Errorf("another site's page could read the daemon or send it a token: %v", out)
	}
}
