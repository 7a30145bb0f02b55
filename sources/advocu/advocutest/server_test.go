package advocutest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/contriblog/contriblog/sources/advocu/advocutest"
	"github.com/contriblog/contriblog/sources/fetch/fetchtest"
)

// call sends one raw request to the fake (see fetchtest.Call).
func call(t *testing.T, f *advocutest.Server, method, path, body, token string) (int, http.Header, string) {
	t.Helper()
	return fetchtest.Call(t, method, f.URL+path, body, token)
}

// TestChecks: the fake refuses a missing or wrong token, an unknown kind
// or method, a body that is not an object, and values Advocu refuses.
func TestChecks(t *testing.T) {
	f := advocutest.NewServer(t)
	const path = "activity-drafts/workshop"
	tests := []struct {
		name, method, path, body, token string
		status                          int
		field                           string
	}{
		{"no token", "POST", path, `{"title":"Workshop"}`, "-", 401, ""},
		{"wrong token", "POST", path, `{"title":"Workshop"}`, "x", 401, ""},
		{"unknown kind", "POST", "activity-drafts/blog", `{"title":"Workshop"}`, f.Token, 404, ""},
		{"GET", "GET", path, "", f.Token, 405, ""},
		{"array", "POST", path, `[{"title":"Workshop"}]`, f.Token, 400, ""},
		{"no title", "POST", path, `{"description":"d"}`, f.Token, 400, "title"},
		{"title not a string", "POST", path, `{"title":42}`, f.Token, 400, "title"},
		{"private", "POST", path, `{"title":"Workshop","private":"no"}`, f.Token, 400, "private"},
		{"attendees not hybrid", "POST", path, `{"title":"Workshop","eventFormat":"In-Person","inPersonAttendees":3}`, f.Token, 400, "inPersonAttendees"},
		{"negative attendees", "POST", path, `{"title":"Workshop","eventFormat":"Hybrid","inPersonAttendees":-1}`, f.Token, 400, "inPersonAttendees"},
		{"fractional metric", "POST", path, `{"title":"Workshop","metrics":{"attendees":1.5}}`, f.Token, 400, "metrics.attendees"},
		{"no such day", "POST", path, `{"title":"Workshop","eventFormat":"Virtual","metrics":{"attendees":12},"activityDate":"2026-02-29"}`, f.Token, 400, "activityDate"},
		{"accepted", "POST", path, `{"title":"Workshop","eventFormat":"Virtual","metrics":{"attendees":12},"activityDate":"2028-02-29"}`, f.Token, 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, body := call(t, f, tt.method, tt.path, tt.body, tt.token)
			if status != tt.status {
				t.Fatalf("status = %d (%s), want %d", status, body, tt.status)
			}
			var got struct {
				ID     string
				Errors []struct{ Field string }
			}
			json.Unmarshal([]byte(body), &got)
			if tt.field != "" && (len(got.Errors) == 0 || got.Errors[0].Field != tt.field) {
				t.Errorf("body %s does not name %s", body, tt.field)
			}
			if status == 201 && got.ID == "" {
				t.Errorf("created without an id: %s", body)
			}
		})
	}
	if d := f.Drafts(); len(d) != 1 || d[0].Kind != "workshop" || d[0].Field("eventFormat") != "Virtual" {
		t.Errorf("drafts = %+v", d)
	}
}

// TestEveryPostIsADraft: the same body posted twice is two drafts; a
// dropped POST is stored; faults come in order; other programs and
// unknown fields can be allowed.
func TestEveryPostIsADraft(t *testing.T) {
	f := advocutest.NewServer(t, advocutest.Options{Program: "dockercaptains", AllowUnknown: true})
	if !strings.HasSuffix(f.URL, "/personal-api/v1/dockercaptains/") {
		t.Fatalf("URL = %s", f.URL)
	}
	const body = `{"title":"Story","whyIsSignificant":"because","somethingNew":1}`
	f.Throttle(1, "9")
	f.Fail(1, 502)
	if status, h, _ := call(t, f, "POST", "activity-drafts/stories", body, f.Token); status != 429 || h.Get("Retry-After") != "9" {
		t.Errorf("first = %d, Retry-After %q", status, h.Get("Retry-After"))
	}
	if status, _, _ := call(t, f, "POST", "activity-drafts/stories", body, f.Token); status != 502 {
		t.Errorf("second = %d", status)
	}
	f.DropAfterStore(1)
	for i, want := range []int{201, 0, 201} {
		if status, _, b := call(t, f, "POST", "activity-drafts/stories", body, f.Token); status != want {
			t.Errorf("post %d = %d %s, want %d", i+1, status, b, want)
		}
	}
	d := f.Drafts()
	if len(d) != 3 || d[0].ID == d[1].ID || f.Writes() != 3 || f.Requests() != 5 {
		t.Errorf("drafts %+v after %d posts, %d requests", d, f.Writes(), f.Requests())
	}
}
