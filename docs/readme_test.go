package docs_test

import (
	"os"
	"testing"
)

// TestReadmeIsTheFrontDoor keeps the README a first screen (at most
// 12 KB, 12,000 bytes): the manual belongs in docs/.
func TestReadmeIsTheFrontDoor(t *testing.T) {
	fi, err := os.Stat("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > 12000 {
		t.Errorf("README.md is %d bytes, over 12 KB: move the detail to docs/", fi.Size())
	}
}
