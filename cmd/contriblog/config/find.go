package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// ErrNotFound is wrapped by Find's error when no config file exists in
// any of the places it looks.
var ErrNotFound = errors.New("no config file found")

// LocalName is the config file Find looks for in the working directory.
const LocalName = "contriblog.yaml"

// Find chooses the config file (docs/configuration.md#where-the-config-is-looked-up): flagValue when given, else
// $CONTRIBLOG_CONFIG, else ./contriblog.yaml if it exists, else
// contriblog/config.yaml in the per-user config directory
// ($XDG_CONFIG_HOME, or os.UserConfigDir's choice) if it exists. A file
// named by the flag or the variable is returned as named, whether or not
// it exists (Load says so). When nothing is found, the error wraps
// ErrNotFound and says every place it looked.
func Find(flagValue string, getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if flagValue != "" {
		return flagValue, nil
	}
	if v := getenv("CONTRIBLOG_CONFIG"); v != "" {
		return v, nil
	}
	if isFile(LocalName) {
		return LocalName, nil
	}
	looked := "./" + LocalName
	if dir := userConfigDir(getenv); dir != "" {
		p := filepath.Join(dir, "contriblog", "config.yaml")
		if isFile(p) {
			return p, nil
		}
		looked += " and " + p
	}
	return "", fmt.Errorf("%w: looked at --config (not given), $CONTRIBLOG_CONFIG (not set), %s; pass --config FILE or start from config.example.yaml", ErrNotFound, looked)
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// userConfigDir is os.UserConfigDir computed with getenv, except that an
// absolute $XDG_CONFIG_HOME is honoured on every platform.
func userConfigDir(getenv func(string) string) string {
	if d := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return d
	}
	switch runtime.GOOS {
	case "windows":
		return getenv("AppData")
	case "darwin", "ios":
		if h := homeDir(getenv); h != "" {
			return filepath.Join(h, "Library", "Application Support")
		}
	case "plan9":
		if h := homeDir(getenv); h != "" {
			return filepath.Join(h, "lib")
		}
	default:
		if h := homeDir(getenv); h != "" {
			return filepath.Join(h, ".config")
		}
	}
	return ""
}

// defaultDatabase is $XDG_DATA_HOME/contriblog/contriblog.db, else the
// platform's per-user data directory: ~/.local/share on Unix,
// ~/Library/Application Support on macOS, %LocalAppData% on Windows.
func defaultDatabase(getenv func(string) string) (string, error) {
	var dir string
	if d := getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
		dir = d
	} else {
		switch runtime.GOOS {
		case "windows":
			dir = getenv("LocalAppData")
		case "darwin", "ios":
			if h := homeDir(getenv); h != "" {
				dir = filepath.Join(h, "Library", "Application Support")
			}
		default:
			if h := homeDir(getenv); h != "" {
				dir = filepath.Join(h, ".local", "share")
			}
		}
	}
	if !filepath.IsAbs(dir) {
		return "", errors.New("neither $XDG_DATA_HOME nor a home directory is set")
	}
	return filepath.Join(dir, "contriblog", "contriblog.db"), nil
}

// homeDir is the user's home directory from getenv, falling back to
// os.UserHomeDir; "" when there is none.
func homeDir(getenv func(string) string) string {
	key := "HOME"
	switch runtime.GOOS {
	case "windows":
		key = "USERPROFILE"
	case "plan9":
		key = "home"
	}
	if h := getenv(key); h != "" {
		return h
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return h
}
