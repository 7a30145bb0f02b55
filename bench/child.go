package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// childFlag makes the bench a runner of one command: `bench -child BIN
// ARGS...` runs the command and prints what it measured on stdout. A
// process started by the bench itself would report, as its peak RSS, at
// least the bench's own RSS when it was forked (Linux keeps the high-water
// mark across exec); the runner is small, so the figure is the command's.
const childFlag = "-child"

// usage is what one command cost.
type usage struct {
	wall time.Duration
	// rss is the peak resident set (KiB) from the kernel; anon and file
	// split it by sampling /proc every few milliseconds (Linux only, zero
	// elsewhere): the anonymous memory and the mapped file pages (the
	// database's memory map) at the sample of highest total.
	rss, anon, file int64
}

func runChild(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "bench -child: no command")
		return 2
	}
	cmd := exec.Command(args[0], args[1:]...)
	// Its output is not measured: stdout carries the runner's figures.
	cmd.Stderr = os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "bench -child:", err)
		return 1
	}
	done := make(chan struct{})
	peak := make(chan [2]int64, 1)
	go func() { peak <- sample(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	split := <-peak
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss)
	}
	fmt.Printf("%d %d %d %d\n", wall.Nanoseconds(), rss, split[0], split[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench -child:", err)
		return 1
	}
	return 0
}

// sample polls the process's RssAnon and RssFile until done and returns
// them at the highest total seen.
func sample(pid int, done <-chan struct{}) [2]int64 {
	var best [2]int64
	path := fmt.Sprintf("/proc/%d/status", pid)
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if b, err := os.ReadFile(path); err == nil {
			anon, file := statusKB(b, "RssAnon:"), statusKB(b, "RssFile:")
			if anon+file > best[0]+best[1] {
				best = [2]int64{anon, file}
			}
		}
		select {
		case <-done:
			return best
		case <-t.C:
		}
	}
}

func statusKB(status []byte, key string) int64 {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// runMeasured runs a command under a runner and returns what it cost.
func runMeasured(env []string, name string, args ...string) (usage, error) {
	self, err := os.Executable()
	if err != nil {
		return usage{}, err
	}
	cmd := exec.Command(self, append([]string{childFlag, name}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	var u usage
	var wall int64
	if _, serr := fmt.Sscan(string(out), &wall, &u.rss, &u.anon, &u.file); serr != nil && err == nil {
		err = fmt.Errorf("runner said %q: %w", out, serr)
	}
	u.wall = time.Duration(wall)
	if err != nil {
		return u, fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return u, nil
}
