package main

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/contriblog/contriblog/sources/advocu/advocutest"
	"github.com/contriblog/contriblog/sources/stars"
	"github.com/contriblog/contriblog/sources/stars/starstest"
)

// submitConfig is a person with four rows every program takes and one
// (a book) Advocu and Stars map differently, sending to the fakes.
func submitConfig(t *testing.T, starsURL, advocuURL string) (cfg string, env map[string]string) {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "manual.yaml"), `
- {id: post, title: "Bicep modules at scale", date: 2026-09-01, activity_type: Blog, url: "https://priya.dev/bicep", primary_area: "Azure Infrastructure as Code", description: "How we use Bicep."}
- {id: talk, title: "Passkeys for admins", date: 2026-10-01, activity_type: "Speaker/Presenter at Third-party Event", url: "https://example.org/talk", primary_area: "Identity & Access", counts: {attendees: 80}}
- {id: video, title: "Entra ID in 15 minutes", date: 2026-08-01, activity_type: "Webinar/Online Training/Video/Livestream", url: "https://youtube.example/v", primary_area: "Identity & Access"}
- {id: oss, title: "priyar/passkey-kit", date: 2026-07-01, activity_type: "Open Source/Project/Sample code/Tools", url: "https://github.com/priyar/passkey-kit", primary_area: "Identity & Access"}
- {id: forum, title: "Answers on Stack Overflow", date: 2026-06-01, activity_type: "Online Support", url: "https://stackoverflow.com/users/1"}
`)
	cfg = filepath.Join(dir, "contriblog.yaml")
	write(t, cfg, "person: Priya Raman\ndatabase: ./contriblog.db\nsince: 2025-01-01\ntimezone: UTC\nprograms:\n"+
		"  stars:\n    token: ${STARS_TOKEN}\n    base_url: "+starsURL+"\n"+
		"  gde:\n    token: ${ADVOCU_TOKEN}\n    base_url: "+advocuURL+"\n"+
		"sources:\n  - name: manual\n    type: file\n    path: ./manual.yaml\n")
	env = map[string]string{"STARS_TOKEN": starstest.DefaultToken, "ADVOCU_TOKEN": advocutest.DefaultToken}
	if code, _, stderr := run(t, env, "-c", cfg, "harvest"); code != 0 {
		t.Fatalf("harvest: %s", stderr)
	}
	return cfg, env
}

// noToken fails the test when an output holds a token.
func noToken(t *testing.T, what string, outs ...string) {
	t.Helper()
	for _, o := range outs {
		for _, tok := range []string{starstest.DefaultToken, advocutest.DefaultToken} {
			if strings.Contains(o, tok) {
				t.Errorf("%s shows a token:\n%s", what, o)
			}
		}
	}
}

func TestSubmitStars(t *testing.T) {
	fake := starstest.NewServer(t)
	cfg, env := submitConfig(t, fake.URL, "http://127.0.0.1:1/")

	code, out, stderr := run(t, env, "-c", cfg, "submit", "stars", "--dry-run")
	noToken(t, "dry run", out, stderr)
	if code != 0 || strings.Count(out, "PUT "+fake.URL+"/") != 5 || !strings.Contains(out, `"type":"BLOGPOST"`) ||
		!strings.Contains(out, "Dry run: 5 rows would be sent to GitHub Stars") || fake.Requests() != 0 {
		t.Fatalf("dry run: exit %d, %d requests\n%s\n%s", code, fake.Requests(), out, stderr)
	}

	// Throttled, then a server error, then one refused field: the rest
	// goes through, the refused row is named with its field.
	fake.Throttle(2, "1")
	fake.Fail(1, 500)
	talk := rowID(t, cfg, "Passkeys for admins")
	fake.Refuse(talk, "description", "must not be empty")
	code, out, stderr = run(t, env, "-c", cfg, "submit", "stars")
	noToken(t, "submit", out, stderr)
	if code != 1 || !strings.Contains(out, talk+": refused by stars field description: must not be empty") ||
		!strings.Contains(out, "4 rows sent to GitHub Stars (contributions API), 1 row refused") {
		t.Fatalf("submit: exit %d\n%s\n%s", code, out, stderr)
	}
	if n := len(fake.Contributions()); n != 4 {
		t.Errorf("the fake holds %d contributions, want 4", n)
	}
	// Run again: only the refused row is tried; nothing is duplicated.
	code, out, _ = run(t, env, "-c", cfg, "submit", "stars")
	if code != 1 || !strings.Contains(out, "0 rows sent to GitHub Stars (contributions API), 1 row refused.") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	for _, e := range fake.Entries() {
		if e.Writes != 1 {
			t.Errorf("%s written %d times", e.ClientID, e.Writes)
		}
	}
	if n := len(fake.Contributions()); n != 4 {
		t.Errorf("the fake holds %d contributions after two runs, want 4", n)
	}
	list := mustRun(t, "-c", cfg, "submitted", "list", "--program", "stars")
	if strings.Count(list, " pushed ") != 4 || !strings.Contains(list, "ctb_") || strings.Contains(list, talk) {
		t.Errorf("records:\n%s", list)
	}
}

// A run killed half way leaves records that match what the server holds:
// the next run sends each row once.
func TestSubmitStarsInterrupted(t *testing.T) {
	fake := starstest.NewServer(t)
	cfg, env := submitConfig(t, fake.URL, "http://127.0.0.1:1/")
	fake.DropAfterStore(1) // the second write is stored, its answer lost
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for fake.Writes() < 2 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	tm := newTestMain(env)
	tm.Run(ctx, []string{"-c", cfg, "submit", "stars"})
	cancel()
	wg.Wait()
	mustRunEnv(t, env, "-c", cfg, "submit", "stars")
	for _, e := range fake.Entries() {
		if e.ClientID == "" {
			t.Errorf("an entry without a client id: %+v", e)
		}
	}
	if n := len(fake.Contributions()); n != 5 {
		t.Errorf("the fake holds %d contributions, want each row once (5)", n)
	}
	if list := mustRun(t, "-c", cfg, "submitted", "list", "--program", "stars"); strings.Count(list, " pushed ") != 5 {
		t.Errorf("records after the interrupted run and the next:\n%s", list)
	}
}

func TestSubmitGDE(t *testing.T) {
	fake := advocutest.NewServer(t)
	cfg, env := submitConfig(t, "http://127.0.0.1:1/api", fake.URL)

	code, out, _ := run(t, env, "-c", cfg, "submit", "gde", "--dry-run")
	forum := rowID(t, cfg, "Answers on Stack Overflow")
	if code != 0 || !strings.Contains(out, forum+": not sent:") || strings.Count(out, "POST ") != 4 || fake.Requests() != 0 {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	// The third draft is stored but its answer is lost: it is recorded
	// as possibly sent and never posted again by itself.
	fake.Throttle(1, "")
	fake.DropAfterStore(2)
	code, out, stderr := run(t, env, "-c", cfg, "submit", "gde")
	noToken(t, "submit gde", out, stderr)
	if code != 1 || !strings.Contains(out, "Stopped:") || !strings.Contains(out, "recorded as possibly sent") {
		t.Fatalf("submit with a lost answer: exit %d\n%s\n%s", code, out, stderr)
	}
	held := len(fake.Drafts())
	code, out, _ = run(t, env, "-c", cfg, "submit", "gde")
	if code != 1 || !strings.Contains(out, "may have been sent by a run that stopped") {
		t.Fatalf("next run: exit %d\n%s", code, out)
	}
	if n := len(fake.Drafts()); n != held+1 {
		t.Errorf("drafts %d after the next run, want %d: the possibly sent row must not be posted again", n, held+1)
	}
	// The person finds it in Advocu and says so; nothing is left to send.
	var pending string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "may have been sent") {
			pending = strings.SplitN(line, ":", 2)[0]
		}
	}
	mustRun(t, "-c", cfg, "submitted", "mark", pending, "--program", "gde")
	code, out, _ = run(t, env, "-c", cfg, "submit", "gde")
	if code != 0 || !strings.Contains(out, "0 rows sent") || len(fake.Drafts()) != 4 {
		t.Errorf("after marking: exit %d, %d drafts\n%s", code, len(fake.Drafts()), out)
	}
	for _, d := range fake.Drafts() {
		if d.Kind == "" || d.ID == "" {
			t.Errorf("draft %+v", d)
		}
	}
}

func TestSubmitBadUse(t *testing.T) {
	fake := starstest.NewServer(t)
	cfg, env := submitConfig(t, fake.URL, "http://127.0.0.1:1/")
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{env, []string{"submit", "mvp"}, "mvp has no API contriblog can send to"},
		{env, []string{"submit"}, "submit takes the program"},
		{env, []string{"submit", "strs"}, `unknown program "strs" (did you mean "stars"?)`},
		{map[string]string{}, []string{"submit", "stars"}, "environment variable STARS_TOKEN is not set (programs.stars.token"},
		{env, []string{"submit", "stars", "--all"}, "excluded rows are never sent"},
	} {
		code, _, stderr := run(t, tt.env, append([]string{"-c", cfg}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	// A refused token: stop, say so, without showing it.
	code, out, stderr := run(t, map[string]string{"STARS_TOKEN": "wrong-token-1234567"}, "-c", cfg, "submit", "stars")
	if code != 1 || !strings.Contains(out, "refused the token") || strings.Contains(out+stderr, "wrong-token-1234567") {
		t.Errorf("a wrong token: exit %d\n%s\n%s", code, out, stderr)
	}
}

// Contributions entered on the Stars site are imported, so that submit
// does not send them again.
func TestSubmittedImportStars(t *testing.T) {
	fake := starstest.NewServer(t)
	cfg, env := submitConfig(t, fake.URL, "http://127.0.0.1:1/")
	fake.Add(stars.Contribution{Type: "BLOGPOST", Title: "Bicep modules at scale", URL: "https://priya.dev/bicep", Date: "2026-09-01T00:00:00Z"})
	fake.Add(stars.Contribution{Type: "SPEAKING", Title: "A talk only Stars knows", URL: "https://example.org/other", Date: "2026-03-01T00:00:00Z"})
	out := mustRunEnv(t, env, "-c", cfg, "submitted", "import", "stars")
	if !strings.Contains(out, "In the portal and in the log: 1") || !strings.Contains(out, "In the portal, not in the log") {
		t.Fatalf("import stars:\n%s", out)
	}
	out = mustRunEnv(t, env, "-c", cfg, "submit", "stars")
	if !strings.Contains(out, "4 rows sent") || len(fake.Contributions()) != 6 {
		t.Errorf("submit after the import: %d held\n%s", len(fake.Contributions()), out)
	}
}

// mustRunEnv is mustRun with an environment.
func mustRunEnv(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	code, out, stderr := run(t, env, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, stderr)
	}
	return out
}
