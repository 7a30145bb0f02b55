package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"

	"github.com/contriblog/contriblog/cmd/contriblog/config"
	"github.com/contriblog/contriblog/cmd/contriblog/daemon"
	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/store"
)

// runDaemon is `contriblog run`: the daemon package does the scheduling,
// backoff, auto-export and HTTP API; this wires the config, the store and
// the sources into it.
func (m *Main) runDaemon(ctx context.Context, args []string) error {
	if handled, err := m.runAsService(ctx, args); handled {
		return err
	}
	fs := m.newFlagSet("run", "[--log-format text|json]")
	var logFormat string
	fs.StringVar(&logFormat, "log-format", "text", "log `FORMAT`: text or json (for journald, Loki and the like)")
	if err := m.noArgs(fs, args); err != nil {
		return err
	}
	switch logFormat {
	case "json":
		m.logger = m.newLogger(true)
	case "text":
	default:
		return usagef("--log-format %q: expected text or json", logFormat)
	}
	cfg, err := m.loadConfig()
	if err != nil {
		return err
	}
	h, err := m.newHarvester(cfg, nil, nil) // sources checked before the lock is taken
	if err != nil {
		return err
	}
	db, err := m.openStore(cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	h.Store = db
	opts := h.Log
	d := &daemon.Daemon{
		Config: daemon.Config{
			Schedule:     cfg.Schedule,
			Sources:      schedules(cfg),
			Location:     cfg.Timezone,
			ExportPath:   cfg.Export.Path,
			ExportFormat: cfg.Export.Format,
			Listen:       cfg.Listen,
			ListenToken:  cfg.ListenToken,
			BackupDir:    cfg.Backup.Dir,
			BackupKeep:   cfg.Backup.Keep,
		},
		Harvester: h,
		Store:     db,
		Backup:    db.Backup,
		Edit: func(ctx context.Context, id string, form url.Values) (harvester.Contribution, error) {
			req, err := editRequestFromForm(form)
			if err != nil {
				return harvester.Contribution{}, daemon.Invalid(err)
			}
			row, err := m.curate(ctx, db, cfg, id, req)
			if errors.Is(err, harvester.ErrInvalidEdit) {
				err = daemon.Invalid(err)
			}
			return row, err
		},
		Rebuild: func(ctx context.Context) error {
			_, _, err := harvester.RebuildLog(ctx, db, opts)
			return err
		},
		Logger: m.logger,
		Now:    m.Now,
	}
	if err := d.Run(ctx); err != nil {
		return usageError{err}
	}
	m.logger.Info("daemon stopped; closing the database")
	return nil
}

// schedules is what the daemon needs to know of each configured source.
func schedules(cfg *config.Config) []daemon.SourceSchedule {
	out := make([]daemon.SourceSchedule, 0, len(cfg.Sources))
	for _, s := range cfg.Sources {
		out = append(out, daemon.SourceSchedule{Name: s.Name, Type: s.Type, Schedule: s.Schedule, Enabled: s.Enabled})
	}
	return out
}

// editRequestFromForm reads POST /edit/{id}'s form fields (daemon.EditFields),
// each spelled as the `contriblog edit` flag of the same name.
func editRequestFromForm(form url.Values) (harvester.EditRequest, error) {
	var req harvester.EditRequest
	flag := func(k string) (bool, error) {
		v := strings.TrimSpace(form.Get(k))
		if v == "" {
			return true, nil // a bare field is set
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("%s=%q: expected true or false", k, v)
		}
		return b, nil
	}
	for k := range form {
		v := form.Get(k)
		switch k {
		case "exclude", "include":
			b, err := flag(k)
			if err != nil {
				return req, err
			}
			if b {
				ex := k == "exclude"
				if req.Exclude != nil && *req.Exclude != ex {
					return req, errors.New("exclude and include contradict each other")
				}
				req.Exclude = &ex
			}
		case "split":
			b, err := flag(k)
			if err != nil {
				return req, err
			}
			req.Split = b
		case "type":
			req.ActivityType = &v
		case "title":
			req.Title = &v
		case "date":
			req.Date = &v
		case "role":
			req.Role = &v
		case "area":
			req.Area = &v
		case "reach", "quantity":
			// Only parsed here: harvester.Curate checks the ranges.
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if err != nil {
				return req, fmt.Errorf("%s %q: expected a whole number", k, v)
			}
			if k == "reach" {
				req.Reach = &n
			} else {
				q := int(n)
				req.Quantity = &q
			}
		case "merge":
			req.Merge = append(req.Merge, strings.TrimSpace(v))
		default:
			return req, fmt.Errorf("unknown field %q", k)
		}
	}
	return req, nil
}

// curate stores one edit request on contribution id (the edits
// harvester.Curate computes) and returns the row as it was. The caller
// rebuilds the log.
func (m *Main) curate(ctx context.Context, st harvester.Store, cfg *config.Config, id string, req harvester.EditRequest) (harvester.Contribution, error) {
	var log []harvester.Contribution
	if err := st.ForEachContribution(ctx, func(c *harvester.Contribution) error {
		log = append(log, *c)
		return nil
	}); err != nil {
		return harvester.Contribution{}, fmt.Errorf("read the log: %w", err)
	}
	edits, err := st.Edits(ctx)
	if err != nil {
		return harvester.Contribution{}, fmt.Errorf("read edits: %w", err)
	}
	out, err := harvester.Curate(log, edits, id, req, logOptions(cfg), m.Now())
	if err != nil {
		return harvester.Contribution{}, err
	}
	for _, e := range out {
		if err := st.SaveEdit(ctx, e); err != nil {
			return harvester.Contribution{}, fmt.Errorf("save edit of %s: %w", e.ID, err)
		}
	}
	row, _ := harvester.FindContribution(log, id)
	return row, nil
}

// remote says whether a command that found the database locked should ask
// the daemon instead: the config names its listen address.
func remote(cfg *config.Config, err error) bool {
	return errors.Is(err, store.ErrLocked) && cfg.Listen != ""
}

// remoteError explains a failed call to the daemon after the lock sent the
// command there: the lock's sentence, then what the daemon answered.
func remoteError(lockErr, err error) error {
	var re *daemon.RemoteError
	if errors.As(err, &re) {
		return err
	}
	return fmt.Errorf("%w; asking it through its listen address failed too: %v", lockErr, err)
}

func (m *Main) logLevel() slog.Level {
	switch {
	case m.g.verbose:
		return slog.LevelDebug
	case m.g.quiet:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}
