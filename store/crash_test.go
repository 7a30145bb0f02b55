package store

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/contriblog/contriblog/harvester"
)

// crashEnv names the database the crash writer writes, when the test
// binary runs as one.
const crashEnv = "CONTRIBLOG_STORE_CRASH_WRITER"

// TestCrashWriter is not a test: run by TestKilledWriter in a child
// process, it writes forever until it is killed.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("helper process for TestKilledWriter")
	}
	db, err := Open(path, Options{Logger: quiet})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	ctx := context.Background()
	for i := 0; ; i++ {
		var items []BatchItem
		for s := range 5 {
			name := fmt.Sprintf("s%d", (i+s)%12)
			items = append(items, BatchItem{State: harvester.SourceState{Name: name}, Batch: batchOf(name, 10+i%40), Pass: pass(i)})
		}
		if _, err := db.SaveBatches(ctx, items); err != nil {
			fmt.Println("save:", err)
			os.Exit(2)
		}
		log := make([]harvester.Contribution, 200+i%50)
		for j := range log {
			log[j] = row(fmt.Sprintf("r%d-%d", i, j), "2025-06-01")
		}
		if err := db.ReplaceLog(ctx, log); err != nil {
			fmt.Println("log:", err)
			os.Exit(2)
		}
		if i == 20 {
			fmt.Println("ready")
		}
	}
}

// TestKilledWriter kills a process in the middle of writing and checks
// that the database it leaves is sound: every transaction happened
// entirely or not at all.
func TestKilledWriter(t *testing.T) {
	if runtime.GOOS == "windows" || os.Getenv(crashEnv) != "" {
		t.Skip("needs SIGKILL")
	}
	path := filepath.Join(t.TempDir(), "contriblog.db")
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$")
		cmd.Env = append(os.Environ(), crashEnv+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, _ := bufio.NewReader(out).ReadString('\n')
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if line != "ready\n" {
			t.Fatalf("round %d: writer said %q", round, line)
		}
		db, err := Open(path, openOpts(false))
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		if err := db.Check(); err != nil {
			t.Errorf("round %d: %v", round, err)
		}
		checkItems(t, db)
		db.Close()
	}
}

// checkItems compares each source's Items with its stored observations:
// they are written in one transaction, so they always agree.
func checkItems(t *testing.T, db *DB) {
	t.Helper()
	counts := map[string]int{}
	for _, o := range allObservations(t, db) {
		counts[o.Source]++
	}
	states, err := db.SourceStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if st.Items != counts[st.Name] {
			t.Errorf("%s: Items = %d, stored %d", st.Name, st.Items, counts[st.Name])
		}
	}
}
