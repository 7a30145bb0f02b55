//go:build !windows

package main

import "context"

// runAsService is where `contriblog run` would answer a service manager
// that needs an answer. systemd and launchd need none: they start the
// process and send SIGTERM, which main() already handles.
func (m *Main) runAsService(ctx context.Context, args []string) (handled bool, err error) {
	return false, nil
}
