package docs_test

import (
	"os"
	"testing"
)

// TestReadmeIsTheFrontDoor keeps the README a first screen (at most
// 12 KiB): the manual belongs in docs/.
func TestReadmeIsTheFrontDoor(t *testing.T) {
	fi, err := os.Stat("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 12<<10 {
		t.Errorf("README.md is %d bytes, over 12 KiB: move the detail to docs/", fi.Size())
	}
}
