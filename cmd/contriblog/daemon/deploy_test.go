package daemon

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The service files in deploy/ are documentation users copy: these checks
// keep them well-formed and keep the promises the README makes.

func TestSystemdUnitIsHardened(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "deploy", "contriblog.service"))
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string][]string{}
	section := ""
	for n, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("line %d is not KEY=value: %q", n+1, line)
			}
			keys[section+"."+k] = append(keys[section+"."+k], v)
		}
	}
	for key, want := range map[string]string{
		"Service.DynamicUser": "yes", "Service.StateDirectory": "contriblog", "Service.ConfigurationDirectory": "contriblog",
		"Service.ProtectSystem": "strict", "Service.ProtectHome": "yes", "Service.NoNewPrivileges": "yes",
		"Service.PrivateTmp": "yes", "Service.Restart": "on-failure", "Service.KillSignal": "SIGTERM",
		"Service.RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX", "Service.EnvironmentFile": "-/etc/contriblog/env",
		"Service.ExecReload": "/bin/kill -HUP $MAINPID",
		"Install.WantedBy":   "multi-user.target",
	} {
		if got := keys[key]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %v; want %q", key, got, want)
		}
	}
	exec := strings.Join(keys["Service.ExecStart"], " ")
	for _, want := range []string{" run ", "--config /etc/contriblog/", "--db /var/lib/contriblog/", "--log-format json"} {
		if !strings.Contains(exec+" ", want) {
			t.Errorf("ExecStart %q lacks %q", exec, want)
		}
	}
}

func TestLaunchdPlistIsWellFormed(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "..", "deploy", "dev.contriblog.plist"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var plist struct {
		Dict struct {
			Inner []byte `xml:",innerxml"`
		} `xml:"dict"`
	}
	if err := xml.NewDecoder(f).Decode(&plist); err != nil {
		t.Fatalf("not well-formed XML: %v", err)
	}
	inner := string(plist.Dict.Inner)
	for _, want := range []string{"<string>dev.contriblog</string>", "<string>run</string>", "<key>KeepAlive</key>", "<key>ExitTimeOut</key>"} {
		if !strings.Contains(inner, want) {
			t.Errorf("plist lacks %s", want)
		}
	}
}
