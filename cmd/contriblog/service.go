package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/kardianos/service"
)

// serviceActions are the verbs of `contriblog service`.
var serviceActions = []string{"install", "uninstall", "start", "stop", "status"}

// serviceNameRe keeps --name usable as a systemd unit name, a launchd label
// and a Windows service name alike.
var serviceNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// serviceRequest is a parsed `contriblog service` command line.
type serviceRequest struct {
	action string
	name   string
	user   bool
}

// defaultServiceName is the name of the files in deploy/, so that
// status, start and stop also manage a unit or plist installed by hand.
func defaultServiceName(goos string) string {
	if goos == "darwin" {
		return "dev.contriblog"
	}
	return "contriblog"
}

// runService is `contriblog service install|uninstall|start|stop|status`:
// the OS service (systemd, launchd, the Windows service control manager)
// that keeps `contriblog run` going.
func (m *Main) runService(ctx context.Context, args []string) error {
	req, err := m.parseServiceArgs(args)
	if err != nil {
		return err
	}
	platform := service.Platform()
	if req.user && !userServiceSupported(platform) {
		return usagef("service --user: on %s contriblog manages system services only; leave out --user", platform)
	}
	sc := &service.Config{Name: req.name, Option: serviceOptions(runtime.GOOS, req.user, "")}
	if req.action == "install" {
		// Everything the service will need is checked now: a service that
		// dies at boot is worse than an error here.
		cfg, err := m.loadConfig()
		if err != nil {
			return err
		}
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("find this executable: %w", err)
		}
		if err := checkExecutable(exe); err != nil {
			return err
		}
		if sc, err = m.installConfig(req, exe, cfg, runtime.GOOS); err != nil {
			return err
		}
	}
	if err := rootRequired(runtime.GOOS, os.Geteuid(), req); err != nil {
		return err
	}
	s, err := service.New(idleProgram{}, sc)
	if err != nil {
		return fmt.Errorf("service %s on %s: %w", req.name, platform, err)
	}
	return m.controlService(s, req, sc)
}

func (m *Main) parseServiceArgs(args []string) (serviceRequest, error) {
	req := serviceRequest{}
	fs := m.newFlagSet("service", "install|uninstall|start|stop|status [--user] [--name NAME]")
	fs.BoolVar(&req.user, "user", false, "a per-user service (systemd --user, a LaunchAgent) instead of a system one")
	fs.StringVar(&req.name, "name", defaultServiceName(runtime.GOOS), "service `NAME`")
	pos, err := m.parse(fs, args)
	if err != nil {
		return req, err
	}
	want := strings.Join(serviceActions, ", ")
	switch {
	case len(pos) != 1:
		return req, usagef("service: expected one action (%s), got %d", want, len(pos))
	case !slices.Contains(serviceActions, pos[0]):
		return req, usagef("service: unknown action %q; expected one of %s", pos[0], want)
	case !serviceNameRe.MatchString(req.name):
		return req, usagef("service --name %q: use letters, digits, '.', '_' and '-'", req.name)
	}
	req.action = pos[0]
	return req, nil
}

// controlService carries out req on s, which the caller found or built
// (tests hand in a fake), turning the service manager's errors into
// sentences.
func (m *Main) controlService(s service.Service, req serviceRequest, sc *service.Config) error {
	st, stErr := s.Status()
	notInstalled := errors.Is(stErr, service.ErrNotInstalled)
	switch {
	case req.action == "status":
		switch {
		case notInstalled:
			fmt.Fprintln(m.Stdout, "not installed")
		case stErr != nil:
			return fmt.Errorf("status of service %s (%s): %w", req.name, s.Platform(), stErr)
		case st == service.StatusRunning:
			fmt.Fprintln(m.Stdout, "running")
		case st == service.StatusStopped:
			fmt.Fprintln(m.Stdout, "stopped")
		default:
			fmt.Fprintln(m.Stdout, "unknown")
		}
		return nil
	case req.action == "install" && stErr == nil:
		return fmt.Errorf("service %s is already installed; `contriblog service uninstall%s` it first", req.name, nameFlag(req))
	case req.action != "install" && notInstalled:
		return fmt.Errorf("service %s is not installed; `contriblog service install%s` first", req.name, nameFlag(req))
	}
	do := map[string]func() error{"install": s.Install, "uninstall": s.Uninstall, "start": s.Start, "stop": s.Stop}[req.action]
	if err := do(); err != nil {
		return serviceError(req, err)
	}
	if req.action != "install" {
		fmt.Fprintf(m.Stdout, "service %s: %s done\n", req.name, req.action)
		return nil
	}
	fmt.Fprintf(m.Stdout, "installed service %s (%s): %s %s\n", req.name, s.Platform(), sc.Executable, strings.Join(sc.Arguments, " "))
	if vars := configVars(sc.Arguments); len(vars) > 0 {
		fmt.Fprintf(m.Stdout, "the config reads %s from the environment, which the service does not inherit from this shell: %s\n",
			strings.Join(vars, ", "), envAdvice(s.Platform(), req))
	}
	if req.user && s.Platform() == "linux-systemd" {
		fmt.Fprintln(m.Stdout, "a user service stops when you log out unless you run `loginctl enable-linger`")
	}
	fmt.Fprintf(m.Stdout, "start it with `contriblog service start%s`\n", nameFlag(req))
	return nil
}

// installConfig is the service that runs `EXE -c CONFIG run` for cfg, with
// the platform's options for goos.
func (m *Main) installConfig(req serviceRequest, exe string, cfg *config.Config, goos string) (*service.Config, error) {
	cfgPath, err := filepath.Abs(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("make the config path %s absolute: %w", cfg.Path, err)
	}
	args := []string{"-c", cfgPath}
	pin, err := m.databaseFromEnvironment(cfgPath, cfg)
	if err != nil {
		return nil, err
	}
	if pin {
		// The default database comes from $XDG_DATA_HOME or the home
		// directory, which a service gets differently (or not at all):
		// pin the one this command resolved.
		args = append(args, "--db", cfg.Database)
	}
	return &service.Config{
		Name:             req.name,
		DisplayName:      "contriblog",
		Description:      "contriblog: keeps a community contribution log current",
		Executable:       exe,
		Arguments:        append(args, "run"),
		WorkingDirectory: cfg.Dir,
		Option:           serviceOptions(goos, req.user, m.Getenv("HOME")),
	}, nil
}

// databaseFromEnvironment says whether cfg's database is the environment's
// default rather than named by --db or database:, by loading the config
// again with a different $XDG_DATA_HOME and seeing whether it moves.
func (m *Main) databaseFromEnvironment(path string, cfg *config.Config) (bool, error) {
	if m.g.db != "" {
		return true, nil
	}
	probe := filepath.Join(filepath.Dir(cfg.Database), "contriblog-probe")
	other, err := config.Load(path, config.Options{Now: m.Now, Getenv: func(k string) string {
		if k == "XDG_DATA_HOME" {
			return probe
		}
		return m.Getenv(k)
	}})
	if err != nil {
		return false, usageError{fmt.Errorf("reload config %s: %w", path, err)}
	}
	return other.Database != cfg.Database, nil
}

// serviceOptions are kardianos/service's per-platform options.
//
// Linux: a systemd unit of our own (systemdUnit) with Restart=on-failure
// and the path-independent part of deploy/contriblog.service's hardening.
// macOS: a plist of our own (launchdPlist) because the KeepAlive option is
// a plain bool, and we want "restart after a crash, not after a clean
// stop". Windows: start at boot (delayed, so the network is up) and
// restart 30 s after a failure; a Windows service has no hardening knobs.
func serviceOptions(goos string, user bool, home string) service.KeyValue {
	opts := service.KeyValue{"UserService": user}
	switch goos {
	case "linux":
		opts["Restart"] = "on-failure"
		opts["SystemdScript"] = systemdUnit(user)
	case "darwin":
		opts["RunAtLoad"] = true
		opts["KeepAlive"] = true // what the default plist would say; ours says more
		opts["LaunchdConfig"] = launchdPlist
		if user && home != "" {
			opts["LogDirectory"] = filepath.Join(home, "Library", "Logs")
		}
	case "windows":
		opts["StartType"] = "automatic"
		opts["DelayedAutoStart"] = true
		opts["OnFailure"] = "restart"
		opts["OnFailureDelayDuration"] = "30s"
		opts["OnFailureResetPeriod"] = 3600
	}
	return opts
}

// userServiceSupported says whether platform (service.Platform) has
// per-user services that kardianos/service can install.
func userServiceSupported(platform string) bool {
	return platform == "linux-systemd" || platform == "darwin-launchd"
}

// rootRequired refuses, before the service manager does it less clearly,
// to change a system service on Unix without root. Windows answers access
// denied itself (serviceError).
func rootRequired(goos string, euid int, req serviceRequest) error {
	if req.user || req.action == "status" || goos == "windows" || euid == 0 {
		return nil
	}
	return fmt.Errorf("service %s needs root for a system service: run it with sudo, or pass --user for a per-user service", req.action)
}

// checkExecutable refuses a binary that `go run` built in a temporary
// directory: the service would point at a file that is soon gone.
func checkExecutable(exe string) error {
	if strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return usagef("service install: %s is a temporary build of `go run`; install the binary (go install, or copy it to a bin directory) and run its `service install`", exe)
	}
	return nil
}

// serviceError turns what the service manager said into a sentence.
func serviceError(req serviceRequest, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, fs.ErrPermission) || strings.Contains(msg, "Access denied") || strings.Contains(msg, "authentication required"):
		return fmt.Errorf("service %s %s: permission denied: run it as root (sudo) or, on Windows, from an elevated prompt: %w", req.action, req.name, err)
	case strings.Contains(msg, "already exists"):
		return fmt.Errorf("service %s is already installed; `contriblog service uninstall%s` it first: %w", req.name, nameFlag(req), err)
	case errors.Is(err, service.ErrNotInstalled) || strings.Contains(msg, "not installed"):
		return fmt.Errorf("service %s is not installed: %w", req.name, err)
	}
	return fmt.Errorf("service %s %s: %w", req.action, req.name, err)
}

// nameFlag repeats the flags of req that a suggested command needs.
func nameFlag(req serviceRequest) string {
	s := ""
	if req.name != defaultServiceName(runtime.GOOS) {
		s += " --name " + req.name
	}
	if req.user {
		s += " --user"
	}
	return s
}

var configVarRe = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// configVars are the ${VAR}s that the config named by args (-c FILE ...)
// reads, in order, once each.
func configVars(args []string) []string {
	i := slices.Index(args, "-c")
	if i < 0 || i+1 >= len(args) {
		return nil
	}
	b, err := os.ReadFile(args[i+1])
	if err != nil {
		return nil // it loaded a moment ago; nothing useful to add
	}
	var out []string
	for _, m := range configVarRe.FindAllStringSubmatch(string(b), -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// envAdvice says where a service of platform gets its environment. The
// install does not copy secrets there itself: the plist and the Windows
// registry are readable by more people than the config may be.
func envAdvice(platform string, req serviceRequest) string {
	switch {
	case platform == "linux-systemd" && req.user:
		return "put VAR=value lines in ~/.config/contriblog/env (mode 0600)"
	case platform == "linux-systemd":
		return "put VAR=value lines in /etc/contriblog/env (mode 0600)"
	case platform == "darwin-launchd":
		return "add them under EnvironmentVariables in the installed plist (and chmod 600 it)"
	case strings.HasPrefix(platform, "windows"):
		return `add them as a REG_MULTI_SZ value "Environment" (VAR=value lines) of HKLM\SYSTEM\CurrentControlSet\Services\` + req.name
	}
	return "give them to the service through its init script"
}

// idleProgram is the service.Interface of a process that only controls the
// service; the one that runs it is `contriblog run`.
type idleProgram struct{}

func (idleProgram) Start(service.Service) error { return nil }
func (idleProgram) Stop(service.Service) error  { return nil }

// systemdUnit is the unit kardianos/service renders for `service install`
// on systemd (its template syntax: {{Key}}, {{range}}, {{if}}). It follows
// deploy/contriblog.service except where that unit relies on knowing the
// paths: it cannot use DynamicUser, StateDirectory, ProtectSystem=strict,
// ProtectHome, PrivateUsers or an empty CapabilityBoundingSet, because the
// config, the database and the export may live anywhere, a home directory
// included, and belong to someone else. A user unit gets only the
// seccomp-based settings, which need no privilege; the namespace-based
// ones fail to start where unprivileged user namespaces are off.
func systemdUnit(user bool) string {
	target, hardening := "multi-user.target", systemHardening
	if user {
		target, hardening = "default.target", ""
	}
	return `[Unit]
Description={{Description}}
Documentation=https://github.com/contriblog/contriblog#running-as-a-service
Wants=network-online.target
After=network-online.target
ConditionFileIsExecutable={{Path | cmdEscape}}

[Service]
Type=exec
ExecStart={{Path | cmdEscape}}{{range Arguments}} {{. | cmd}}{{end}}
ExecReload=/bin/kill -HUP $MAINPID
# Secrets as KEY=value lines: /etc/contriblog/env, or ~/.config/contriblog/env for a user unit.
EnvironmentFile=-%E/contriblog/env
KillSignal=SIGTERM
TimeoutStopSec=15s
Restart={{Restart}}
RestartSec=30s
# A config error exits 2: restarting cannot fix it.
RestartPreventExitStatus=2
UMask=0027
NoNewPrivileges=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged
SystemCallErrorNumber=EPERM
` + hardening + `
[Install]
WantedBy=` + target + "\n"
}

// systemHardening is the namespace- and capability-based part of
// deploy/contriblog.service that holds wherever the files are. Root keeps
// CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH only, to reach a config and a
// database that belong to another user.
const systemHardening = `ProtectSystem=full
PrivateTmp=yes
PrivateDevices=yes
ProtectHostname=yes
ProtectClock=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectProc=invisible
ProcSubset=pid
RemoveIPC=yes
CapabilityBoundingSet=CAP_DAC_OVERRIDE CAP_DAC_READ_SEARCH
`

// launchdPlist is the plist kardianos/service renders on macOS, after
// deploy/dev.contriblog.plist: start at load, restart after a crash but
// not after a clean stop, at most once a minute.
const launchdPlist = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>{{Name | html}}</string>
	<key>ProgramArguments</key>
	<array>
		<string>{{Path | html}}</string>
{{range Arguments}}		<string>{{. | html}}</string>
{{end}}	</array>
	{{if WorkingDirectory}}<key>WorkingDirectory</key>
	<string>{{WorkingDirectory | html}}</string>
	{{end}}{{if UserName}}<key>UserName</key>
	<string>{{UserName | html}}</string>
	{{end}}<key>RunAtLoad</key>
	<{{RunAtLoad}}/>
	<key>KeepAlive</key>
	<dict>
		<key>SuccessfulExit</key>
		<false/>
	</dict>
	<key>ThrottleInterval</key>
	<integer>60</integer>
	<key>ExitTimeOut</key>
	<integer>15</integer>
	<key>ProcessType</key>
	<string>Background</string>
	<key>LowPriorityIO</key>
	<true/>
	<key>Umask</key>
	<integer>23</integer>
	<key>StandardOutPath</key>
	<string>{{StandardOutPath | html}}</string>
	<key>StandardErrorPath</key>
	<string>{{StandardErrorPath | html}}</string>
</dict>
</plist>
`
