package store

import (
	"errors"
	"fmt"
	"log/slog"
)

// verifyBackup opens tmp, Restore's copy of backup, with the store and runs
// Check. A copy of an older schema is migrated (the copy, never the backup
// itself), as the next Open of the restored database would. Its errors
// name the backup, never the copy, and wrap ErrNotDatabase, ErrNewerSchema
// or ErrDamaged.
func verifyBackup(tmp, backup string, logger *slog.Logger) error {
	if !looksLikeBolt(tmp) {
		// An empty or foreign file: a writable Open would make an empty
		// database of it.
		return &backupError{backup: backup, kind: ErrNotDatabase}
	}
	// The copy is Restore's own: its lock is free.
	opts := Options{ReadOnly: true, Timeout: -1, Logger: logger}
	db, err := Open(tmp, opts)
	if errors.Is(err, ErrOlderSchema) {
		opts.ReadOnly = false
		db, err = Open(tmp, opts)
	}
	var de *damagedError
	switch {
	case errors.Is(err, ErrNotDatabase) || errors.Is(err, errUninitialised):
		return &backupError{backup: backup, kind: ErrNotDatabase}
	case errors.Is(err, ErrNewerSchema):
		return &backupError{backup: backup, kind: ErrNewerSchema}
	case errors.As(err, &de):
		return &backupError{backup: backup, kind: ErrDamaged, cause: de.cause}
	case err != nil:
		return fmt.Errorf("restore %s: check a copy of it: %w", backup, err)
	}
	problems := db.problems()
	if err := db.Close(); err != nil {
		return fmt.Errorf("restore %s: check a copy of it: %w", backup, err)
	}
	if problems != nil {
		return &backupError{backup: backup, kind: ErrDamaged, cause: problems}
	}
	return nil
}

// backupError is why Restore refused a backup, in words about the backup:
// the damaged sentence would send the person to restore a backup.
type backupError struct {
	backup string
	kind   error // ErrNotDatabase, ErrNewerSchema or ErrDamaged
	cause  error // what is wrong, for ErrDamaged
}

func (e *backupError) Error() string {
	const unchanged = "nothing was restored and the database is as it was"
	switch {
	case e.kind == ErrNewerSchema:
		return fmt.Sprintf("%s was written by a newer contriblog: upgrade contriblog to restore it; %s", e.backup, unchanged)
	case e.kind == ErrDamaged && e.cause != nil:
		return fmt.Sprintf("the backup %s is damaged: choose another backup; %s; what is wrong:\n%v", e.backup, unchanged, e.cause)
	case e.kind == ErrDamaged:
		return fmt.Sprintf("the backup %s is damaged: choose another backup; %s", e.backup, unchanged)
	}
	return fmt.Sprintf("%s is not a contriblog database (restore takes a file `contriblog backup` wrote); %s", e.backup, unchanged)
}

func (e *backupError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}
