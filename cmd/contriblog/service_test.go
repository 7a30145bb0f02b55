package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/kardianos/service"
)

// Nothing here talks to a real service manager: the command is driven
// in-process only where it stops before one (usage and config errors),
// and the rest is tested on its parts, with a fake service.Service.

// writeServiceConfig writes a small valid config into dir and returns its
// path. It reads ${GITHUB_TOKEN} when token is set.
func writeServiceConfig(t *testing.T, dir, extra string) string {
	t.Helper()
	body := "person: Priya Raman\n" + extra + "sources:\n  - name: manual\n    type: file\n    path: ./manual.yaml\n"
	path := filepath.Join(dir, "contriblog.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestServiceUsageAndConfigErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("person: P\nsources:\n  - name: blog\n    type: feed\n    url: https://example.com/feed\n    colour: blue\n"), 0o600)
	needsVar := writeServiceConfig(t, t.TempDir(), "listen: 0.0.0.0:8787\nlisten_token: ${CONTRIBLOG_LISTEN_TOKEN}\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no action", []string{"service"}, "expected one action"},
		{"two actions", []string{"service", "start", "stop"}, "expected one action"},
		{"unknown action", []string{"service", "restart"}, `unknown action "restart"`},
		{"unknown flag", []string{"service", "status", "--system"}, "system"},
		{"bad name", []string{"service", "status", "--name", "my service"}, "--name"},
		{"config does not load", []string{"-c", bad, "service", "install"}, "bad.yaml:6"},
		{"config missing", []string{"service", "install", "-c", filepath.Join(dir, "none.yaml")}, "none.yaml"},
		{"variable not set", []string{"-c", needsVar, "service", "install"}, "CONTRIBLOG_LISTEN_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := run(t, map[string]string{"XDG_DATA_HOME": dir}, tt.args...)
			if code != exitUsage || !strings.Contains(out+stderr, tt.want) {
				t.Errorf("exit %d, want %d; output %q does not contain %q", code, exitUsage, out+stderr, tt.want)
			}
		})
	}
}

func TestParseServiceArgs(t *testing.T) {
	tests := []struct {
		args []string
		want serviceRequest
	}{
		{[]string{"install"}, serviceRequest{action: "install", name: defaultServiceName(runtime.GOOS)}},
		{[]string{"status", "--user"}, serviceRequest{action: "status", name: defaultServiceName(runtime.GOOS), user: true}},
		{[]string{"--name", "contriblog-work", "stop"}, serviceRequest{action: "stop", name: "contriblog-work"}},
		{[]string{"uninstall", "--name=dev.example.cl", "--user"}, serviceRequest{action: "uninstall", name: "dev.example.cl", user: true}},
	}
	for _, tt := range tests {
		got, err := newTestMain(nil).parseServiceArgs(tt.args)
		if err != nil || got != tt.want {
			t.Errorf("parseServiceArgs(%q) = %+v, %v; want %+v", tt.args, got, err, tt.want)
		}
	}
}

func TestServiceInstallConfig(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // the config is named relative to it, and must come out absolute
	writeServiceConfig(t, dir, "database: ./data/contriblog.db\n")
	exe := filepath.Join(dir, "bin", "contriblog")
	tests := []struct {
		goos string
		user bool
		opts map[string]any // options that must be set, and to what
		unit string         // a line the rendered-by-kardianos template must carry
	}{
		{"linux", false, map[string]any{"UserService": false, "Restart": "on-failure"}, "WantedBy=multi-user.target"},
		{"linux", true, map[string]any{"UserService": true, "Restart": "on-failure"}, "WantedBy=default.target"},
		{"darwin", false, map[string]any{"UserService": false, "RunAtLoad": true, "KeepAlive": true}, "<key>SuccessfulExit</key>"},
		{"darwin", true, map[string]any{"UserService": true, "LogDirectory": filepath.Join(dir, "Library", "Logs")}, "<key>ThrottleInterval</key>"},
		{"windows", false, map[string]any{"StartType": "automatic", "OnFailure": "restart", "DelayedAutoStart": true}, ""},
	}
	for _, tt := range tests {
		tm := newTestMain(map[string]string{"HOME": dir})
		req, err := tm.parseServiceArgs([]string{"install", "-c", "contriblog.yaml"})
		if err != nil {
			t.Fatal(err)
		}
		req.user = tt.user
		cfg, err := tm.loadConfig()
		if err != nil {
			t.Fatal(err)
		}
		sc, err := tm.installConfig(req, exe, cfg, tt.goos)
		if err != nil {
			t.Fatalf("%s user=%v: %v", tt.goos, tt.user, err)
		}
		wantArgs := []string{"-c", filepath.Join(dir, "contriblog.yaml"), "run"}
		if sc.Executable != exe || !slices.Equal(sc.Arguments, wantArgs) || sc.Name != req.name || sc.WorkingDirectory != dir {
			t.Errorf("%s user=%v: runs %s %q in %s as %s; want %s %q in %s", tt.goos, tt.user,
				sc.Executable, sc.Arguments, sc.WorkingDirectory, sc.Name, exe, wantArgs, dir)
		}
		for k, v := range tt.opts {
			if sc.Option[k] != v {
				t.Errorf("%s user=%v: option %s = %v; want %v", tt.goos, tt.user, k, sc.Option[k], v)
			}
		}
		script, _ := sc.Option["SystemdScript"].(string)
		if plist, _ := sc.Option["LaunchdConfig"].(string); plist != "" {
			script = plist
		}
		if !strings.Contains(script, tt.unit) {
			t.Errorf("%s user=%v: the service file lacks %q", tt.goos, tt.user, tt.unit)
		}
	}
}

// TestServiceSystemdHardening keeps the system unit's promises: restart on
// failure but not after a config error, and the sandbox of
// deploy/contriblog.service that holds wherever the files are. A user unit
// gets no namespace-based setting (they need privilege or user namespaces).
func TestServiceSystemdHardening(t *testing.T) {
	system, user := systemdUnit(false), systemdUnit(true)
	for _, line := range []string{"Restart={{Restart}}", "RestartPreventExitStatus=2", "NoNewPrivileges=yes",
		"ProtectSystem=full", "PrivateTmp=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
		"SystemCallFilter=@system-service", "EnvironmentFile=-%E/contriblog/env", "KillSignal=SIGTERM"} {
		if !strings.Contains(system, "\n"+line+"\n") {
			t.Errorf("system unit lacks %s", line)
		}
	}
	for _, line := range []string{"ProtectSystem", "PrivateTmp", "PrivateDevices", "CapabilityBoundingSet", "multi-user.target"} {
		if strings.Contains(user, line) {
			t.Errorf("user unit has %s", line)
		}
	}
}

// A database that only the environment names ($XDG_DATA_HOME) is pinned
// with --db: the service's environment is not this shell's.
func TestServiceInstallPinsDefaultDatabase(t *testing.T) {
	dir := t.TempDir()
	path := writeServiceConfig(t, dir, "")
	tm := newTestMain(map[string]string{"XDG_DATA_HOME": filepath.Join(dir, "data")})
	req, err := tm.parseServiceArgs([]string{"install", "-c", path})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := tm.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := tm.installConfig(req, "/usr/local/bin/contriblog", cfg, "linux")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"-c", path, "--db", filepath.Join(dir, "data", "contriblog", "contriblog.db"), "run"}
	if !slices.Equal(sc.Arguments, want) {
		t.Errorf("arguments %q; want %q", sc.Arguments, want)
	}
}

func TestServiceChecks(t *testing.T) {
	install := serviceRequest{action: "install", name: "contriblog"}
	tests := []struct {
		name string
		err  error
		want string // "" for none
	}{
		{"root installs", rootRequired("linux", 0, install), ""},
		{"user installs system", rootRequired("linux", 1000, install), "needs root"},
		{"user installs user", rootRequired("darwin", 501, serviceRequest{action: "install", user: true}), ""},
		{"user asks status", rootRequired("linux", 1000, serviceRequest{action: "status"}), ""},
		{"windows", rootRequired("windows", -1, install), ""},
		{"go run binary", checkExecutable(filepath.Join(os.TempDir(), "go-build123", "b001", "exe", "contriblog")), "go run"},
		{"installed binary", checkExecutable("/usr/local/bin/contriblog"), ""},
	}
	for _, tt := range tests {
		if (tt.want == "") != (tt.err == nil) || (tt.err != nil && !strings.Contains(tt.err.Error(), tt.want)) {
			t.Errorf("%s: %v; want %q", tt.name, tt.err, tt.want)
		}
	}
	for platform, want := range map[string]bool{"linux-systemd": true, "darwin-launchd": true, "windows-service": false, "unix-systemv": false} {
		if got := userServiceSupported(platform); got != want {
			t.Errorf("userServiceSupported(%s) = %v", platform, got)
		}
	}
}

// fakeService is a service.Service that records what it was asked.
type fakeService struct {
	service.Service // nil: a call to anything not below panics
	status          service.Status
	statusErr       error
	actionErr       error
	did             []string
}

func (f *fakeService) Status() (service.Status, error) { return f.status, f.statusErr }
func (f *fakeService) Platform() string                { return "linux-systemd" }
func (f *fakeService) Install() error                  { return f.do("install") }
func (f *fakeService) Uninstall() error                { return f.do("uninstall") }
func (f *fakeService) Start() error                    { return f.do("start") }
func (f *fakeService) Stop() error                     { return f.do("stop") }
func (f *fakeService) do(action string) error {
	f.did = append(f.did, action)
	return f.actionErr
}

func TestControlService(t *testing.T) {
	dir := t.TempDir()
	cfgPath := writeServiceConfig(t, dir, "listen: 0.0.0.0:8787\nlisten_token: ${CONTRIBLOG_LISTEN_TOKEN}\n")
	sc := &service.Config{Executable: "/usr/local/bin/contriblog", Arguments: []string{"-c", cfgPath, "run"}}
	tests := []struct {
		name             string
		action           string
		user             bool
		status           service.Status
		statusErr, doErr error
		did              string // the action carried out, if any
		code             int
		want             string // in the output
	}{
		{"running", "status", false, service.StatusRunning, nil, nil, "", 0, "running"},
		{"stopped", "status", false, service.StatusStopped, nil, nil, "", 0, "stopped"},
		{"not installed", "status", false, service.StatusUnknown, service.ErrNotInstalled, nil, "", 0, "not installed"},
		{"status fails", "status", false, service.StatusUnknown, errors.New("service in failed state"), nil, "", 1, "failed state"},
		{"install", "install", false, service.StatusUnknown, service.ErrNotInstalled, nil, "install", 0, "reads CONTRIBLOG_LISTEN_TOKEN from the environment"},
		{"install user", "install", true, service.StatusUnknown, service.ErrNotInstalled, nil, "install", 0, "enable-linger"},
		{"install twice", "install", false, service.StatusStopped, nil, nil, "", 1, "already installed"},
		{"install over a file", "install", false, service.StatusUnknown, service.ErrNotInstalled,
			errors.New("Init already exists: /etc/systemd/system/contriblog.service"), "install", 1, "already installed"},
		{"not root", "install", false, service.StatusUnknown, service.ErrNotInstalled, fs.ErrPermission, "install", 1, "permission denied"},
		{"start", "start", false, service.StatusStopped, nil, nil, "start", 0, "start done"},
		{"stop a failed one", "stop", false, service.StatusUnknown, errors.New("service in failed state"), nil, "stop", 0, "stop done"},
		{"start not installed", "start", false, service.StatusUnknown, service.ErrNotInstalled, nil, "", 1, "not installed"},
		{"uninstall not installed", "uninstall", true, service.StatusUnknown, service.ErrNotInstalled, nil, "", 1, "install --user` first"},
		{"uninstall", "uninstall", false, service.StatusRunning, nil, nil, "uninstall", 0, "uninstall done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tm := newTestMain(nil)
			f := &fakeService{status: tt.status, statusErr: tt.statusErr, actionErr: tt.doErr}
			req := serviceRequest{action: tt.action, name: defaultServiceName(runtime.GOOS), user: tt.user}
			code := tm.exitCode(tm.controlService(f, req, sc))
			out := tm.stdout.String() + tm.stderr.String()
			if code != tt.code || !strings.Contains(out, tt.want) || strings.Join(f.did, ",") != tt.did {
				t.Errorf("exit %d, did %q; want %d, %q; output %q does not contain %q", code, f.did, tt.code, tt.did, out, tt.want)
			}
		})
	}
}
