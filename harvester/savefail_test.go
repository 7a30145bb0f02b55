package harvester_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/contriblog/contriblog/harvester"
	"github.com/contriblog/contriblog/harvester/memstore"
)

// failStore is a memstore that fails the methods whose error is set.
type failStore struct {
	*memstore.Store
	save, record, logState, storeLog error
}

var _ harvester.Store = (*failStore)(nil)

func (f *failStore) SaveBatches(ctx context.Context, items []harvester.BatchItem) ([]harvester.SaveResult, error) {
	if f.save != nil {
		return nil, f.save
	}
	return f.Store.SaveBatches(ctx, items)
}

func (f *failStore) SaveFailure(ctx context.Context, st harvester.SourceState, pass time.Time, err error) error {
	if f.record != nil {
		return f.record
	}
	return f.Store.SaveFailure(ctx, st, pass, err)
}

func (f *failStore) LogState(ctx context.Context) (harvester.LogState, error) {
	if f.logState != nil {
		return harvester.LogState{}, f.logState
	}
	return f.Store.LogState(ctx)
}

func (f *failStore) StoreLog(ctx context.Context, log []harvester.Contribution, stamp string) (bool, error) {
	if f.storeLog != nil {
		return false, f.storeLog
	}
	return f.Store.StoreLog(ctx, log, stamp)
}

// A pass that cannot save or cannot rebuild reports what is true: the log
// was not rebuilt and why, and how many rows the stored log (an earlier
// pass's) still holds. A batch the store refused is its source's failure,
// recorded in its state like any other; when even that cannot be
// recorded, the source's result says both errors.
func TestRunFailedSaveOrRebuild(t *testing.T) {
	diskFull, readOnly := errors.New("disk full"), errors.New("read-only database")
	tests := []struct {
		name         string
		store        failStore
		wantRows     int      // what the pass says the stored log holds
		wantLogErr   []string // in pass.LogErr
		wantResult   []string // in the source's result error
		wantFailures int      // recorded in the source's state
	}{
		{"save refused", failStore{save: diskFull}, 2,
			[]string{"disk full"}, []string{"save: disk full"}, 1},
		{"save and record refused", failStore{save: diskFull, record: readOnly}, 2,
			[]string{"disk full", "read-only"}, []string{"save: disk full", "recording the failure also failed: read-only database"}, 0},
		{"log unreadable", failStore{save: diskFull, logState: readOnly}, -1,
			[]string{"disk full", "stored log cannot be read: read-only"}, []string{"save: disk full"}, 1},
		{"rebuild refused", failStore{storeLog: diskFull}, 2,
			[]string{"store log: disk full"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			mem := memstore.New()
			src := &fakeSource{name: "blog", obs: []harvester.Observation{post("", "a", "First", 3), post("", "b", "Second", 2)}}
			if pass, err := newHarvester(mem, src).Run(ctx); err != nil || pass.Rows != 2 {
				t.Fatalf("first pass: rows %d, err %v", pass.Rows, err)
			}
			src.obs = append(src.obs, post("", "c", "Third", 1))
			st := tt.store
			st.Store = mem
			pass, err := newHarvester(&st, src).Run(ctx)
			if err == nil {
				t.Fatal("the pass did not fail")
			}
			if pass.Rows != tt.wantRows || pass.LogChanged {
				t.Errorf("pass says the log holds %d rows (changed %v), want %d unchanged", pass.Rows, pass.LogChanged, tt.wantRows)
			}
			if pass.LogErr == nil {
				t.Fatal("pass.LogErr is nil: it does not say the log was not rebuilt")
			}
			for _, w := range tt.wantLogErr {
				if !strings.Contains(pass.LogErr.Error(), w) {
					t.Errorf("LogErr %q lacks %q", pass.LogErr, w)
				}
			}
			r := pass.Results[0]
			for _, w := range tt.wantResult {
				if r.Err == nil || !strings.Contains(r.Err.Error(), w) {
					t.Errorf("blog's result error %v lacks %q", r.Err, w)
				}
			}
			if tt.wantResult == nil && r.Err != nil {
				t.Errorf("blog's result error %v, want none (it was saved)", r.Err)
			}
			state, _ := mem.SourceState(ctx, "blog")
			if state.Failures != tt.wantFailures {
				t.Errorf("blog's state records %d failures, want %d: %+v", state.Failures, tt.wantFailures, state)
			}
			if tt.wantFailures > 0 && (!strings.Contains(state.LastError, "disk full") || state.FailingSince.IsZero()) {
				t.Errorf("blog's state does not record the failed save: %+v", state)
			}
		})
	}
}
