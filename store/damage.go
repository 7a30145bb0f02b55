package store

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// ErrDamaged is wrapped by the error of Open and of every method of DB when
// the database file is damaged: meta pages that do not check out, pages
// bbolt cannot read (it panics on them; the store turns the panic into this
// error), or records that break contriblog's invariants (Check).
var ErrDamaged = errors.New("database is damaged")

// damagedError is the sentence a person reads about a damaged file, with
// what was found as its cause (reachable with errors.As, not shown: bbolt's
// assertions mean nothing to the person who has to restore a backup).
type damagedError struct {
	path  string
	cause error
}

func (e *damagedError) Error() string {
	return fmt.Sprintf("the database at %s is damaged: restore a backup (`contriblog backup`) or see docs/security.md", e.path)
}

func (e *damagedError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrDamaged}
	}
	return []error{ErrDamaged, e.cause}
}

// damaged returns the damaged sentence for the file at path.
func damaged(path string, cause error) error { return &damagedError{path: path, cause: cause} }

// callerPanic carries a panic of a function the caller gave a store method
// (ForEachObservation's fn) through the recovery that guards bbolt: it is
// the caller's bug, not a damaged file, and must stay a panic.
type callerPanic struct {
	value any
	stack []byte
}

func (p *callerPanic) String() string { return fmt.Sprintf("%v\n\n%s", p.value, p.stack) }

// call runs the caller's fn, marking its panic as the caller's.
func call[T any](fn func(T) error, v T) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(*callerPanic); !ok {
				r = &callerPanic{value: r, stack: debug.Stack()}
			}
			panic(r)
		}
	}()
	return fn(v)
}

// guard runs fn and turns a panic into an error wrapping ErrDamaged. bbolt
// trusts the pages it reads: on a damaged page it fails an assertion
// (panics), or follows a bogus offset out of the memory map, which the
// runtime would make a fatal fault; SetPanicOnFault makes that fault a
// panic too, in this goroutine only, so that it can be recovered here.
// bbolt's View and Update roll the transaction back (releasing its locks)
// on their way out of a panic, so the DB stays usable and closable.
func (db *DB) guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = db.recovered(r)
		}
	}()
	return fn()
}

// recovered is the error for the panic r, recovered while reading the
// database; a panic of the caller's own function goes on.
func (db *DB) recovered(r any) error {
	if cp, ok := r.(*callerPanic); ok {
		panic(cp)
	}
	// Debug only: the detail helps whoever debugs bbolt, and the person
	// reads the damaged sentence.
	db.logger.Debug("recovered from a panic reading the database", "path", db.path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	return damaged(db.path, fmt.Errorf("bbolt: %v", r))
}

// panicSlot hands a panic of a spawned goroutine back to the goroutine
// that waits for it: a panic left on a goroutine of its own would end the
// process, whatever guard the method has.
type panicSlot struct{ value any }

// protect runs fn, recording a panic in s instead of letting it end the
// process; it is for goroutines that read bbolt's memory map.
func (s *panicSlot) protect(fn func()) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			s.value = r
		}
	}()
	fn()
}

// repanic panics again, in the waiting goroutine, with what protect
// recorded, so that the method's guard sees it.
func (s *panicSlot) repanic() {
	if s.value != nil {
		panic(s.value)
	}
}
