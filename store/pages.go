package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"os"
)

// checkPages looks, before bbolt maps the file, at the pages every
// transaction reads first: the two meta pages, the free list, the root
// bucket's page and the root page of each top-level bucket. bbolt trusts
// them (a bad free list page panics inside bolt.Open, where its file lock
// would leak). That is a few small reads whatever the file's size, where
// bbolt's tx.Check reads every page, in time that grows with the file
// (docs/security.md#a-damaged-database): Check and Backup run that one. Deeper pages are checked when they are read: a
// damaged one makes bbolt panic, which guard turns into ErrDamaged.
//
// One damaged meta page is not an error: bbolt keeps two so that a commit
// torn by a crash falls back to the previous one. It is logged.
func checkPages(path string, logger *slog.Logger) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // bolt.Open says why, in its own words
	}
	defer f.Close()
	unlock, ok := shareLock(f)
	if !ok {
		return nil // a writer holds it: pages may be halfway through a commit
	}
	defer unlock()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 || !info.Mode().IsRegular() {
		return nil // a new file, or one bolt.Open says more about
	}
	r := pageReader{f: f, size: info.Size()}
	m, err := r.meta(logger, path)
	if err != nil {
		return err
	}
	if int64(m.pgid)*int64(m.pageSize) > r.size {
		return fmt.Errorf("the file is %d bytes, its meta page says %d pages of %d", r.size, m.pgid, m.pageSize)
	}
	if m.freelist != noFreelist {
		if _, err := r.page(m.freelist, pageFreelist); err != nil {
			return fmt.Errorf("free list: %w", err)
		}
	}
	root, err := r.page(m.root, pageBranch|pageLeaf)
	if err != nil {
		return fmt.Errorf("root bucket: %w", err)
	}
	return r.bucketRoots(root)
}

// The layout of a bbolt file (go.etcd.io/bbolt/internal/common), in the
// machine's byte order.
const (
	pageHeaderSize = 16 // id uint64, flags uint16, count uint16, overflow uint32
	elementSize    = 16 // leaf: flags, pos, ksize, vsize uint32; branch: pos, ksize uint32, pgid uint64

	pageBranch   = 0x01
	pageLeaf     = 0x02
	pageMeta     = 0x04
	pageFreelist = 0x10

	leafBucket = 0x01 // a leaf element that is a bucket

	boltMagic   = 0xED0CDAED
	boltVersion = 2
	metaSumEnd  = pageHeaderSize + 56 // the checksum covers the meta up to itself
	noFreelist  = ^uint64(0)
)

// boltMeta is what checkPages needs of a meta page.
type boltMeta struct {
	pageSize             uint32
	root, freelist, pgid uint64
	txid                 uint64
}

type pageReader struct {
	f        io.ReaderAt
	size     int64
	pageSize int64
	pgid     uint64 // the high-water mark: pages at or past it are not in use
}

// meta reads both meta pages and returns the valid one of the higher
// transaction id, as bbolt chooses.
func (r *pageReader) meta(logger *slog.Logger, path string) (boltMeta, error) {
	m0, err0 := r.metaAt(0)
	pageSize := int64(m0.pageSize)
	if err0 != nil {
		// The page size is in the damaged page: find the second meta
		// page at each size bbolt may have chosen.
		for size := int64(1 << 10); size <= 1<<16; size <<= 1 {
			if m, err := r.metaAt(size); err == nil && int64(m.pageSize) == size {
				pageSize = size
				break
			}
		}
	}
	if pageSize == 0 {
		return boltMeta{}, fmt.Errorf("meta page 0: %w, and no meta page 1 found", err0)
	}
	m1, err1 := r.metaAt(pageSize)
	var m boltMeta
	switch {
	case err0 != nil && err1 != nil:
		return boltMeta{}, fmt.Errorf("both meta pages: %w", errors.Join(err0, err1))
	case err0 != nil || err1 != nil:
		m = m0
		if err0 != nil {
			m = m1
		}
		logger.Warn("one of the database's two meta pages is damaged: using the other, which may lack the last write",
			"path", path, "err", errors.Join(err0, err1))
	case m1.txid > m0.txid:
		m = m1
	default:
		m = m0
	}
	r.pageSize, r.pgid = int64(m.pageSize), m.pgid
	return m, nil
}

// metaAt decodes and validates the meta page at offset off.
func (r *pageReader) metaAt(off int64) (boltMeta, error) {
	var b [pageHeaderSize + 64]byte
	if _, err := r.f.ReadAt(b[:], off); err != nil {
		return boltMeta{}, fmt.Errorf("read meta page at %d: %w", off, err)
	}
	u32 := func(i int) uint32 { return binary.NativeEndian.Uint32(b[i:]) }
	u64 := func(i int) uint64 { return binary.NativeEndian.Uint64(b[i:]) }
	h := fnv.New64a()
	h.Write(b[pageHeaderSize:metaSumEnd])
	const m = pageHeaderSize
	switch {
	case binary.NativeEndian.Uint16(b[8:])&pageMeta == 0 || u32(m) != boltMagic:
		return boltMeta{}, fmt.Errorf("meta page at %d: no bbolt magic", off)
	case u32(m+4) != boltVersion:
		return boltMeta{}, fmt.Errorf("meta page at %d: version %d", off, u32(m+4))
	case u64(metaSumEnd) != h.Sum64():
		return boltMeta{}, fmt.Errorf("meta page at %d: checksum mismatch", off)
	}
	meta := boltMeta{pageSize: u32(m + 8), root: u64(m + 16), freelist: u64(m + 32), pgid: u64(m + 40), txid: u64(m + 48)}
	if ps := meta.pageSize; ps < 512 || ps > 1<<20 || ps&(ps-1) != 0 {
		return boltMeta{}, fmt.Errorf("meta page at %d: page size %d", off, ps)
	}
	return meta, nil
}

// page reads page id (with its overflow) and checks that it says it is
// page id, of one of the kinds in want, within the pages in use.
func (r *pageReader) page(id uint64, want uint16) ([]byte, error) {
	if id < 2 || id >= r.pgid {
		return nil, fmt.Errorf("page %d is outside the %d pages in use", id, r.pgid)
	}
	head := make([]byte, pageHeaderSize)
	if _, err := r.f.ReadAt(head, int64(id)*r.pageSize); err != nil {
		return nil, fmt.Errorf("read page %d: %w", id, err)
	}
	gotID, flags := binary.NativeEndian.Uint64(head), binary.NativeEndian.Uint16(head[8:])
	overflow := uint64(binary.NativeEndian.Uint32(head[12:]))
	switch {
	case gotID != id:
		return nil, fmt.Errorf("page %d says it is page %d", id, gotID)
	case flags&want == 0 || flags&(flags-1) != 0:
		return nil, fmt.Errorf("page %d has type %#x, want %#x", id, flags, want)
	case id+overflow >= r.pgid:
		return nil, fmt.Errorf("page %d overflows past the %d pages in use", id, r.pgid)
	}
	if flags == pageFreelist {
		return head, nil // its ids are checked by bbolt's Check
	}
	p := make([]byte, int64(overflow+1)*r.pageSize)
	if _, err := r.f.ReadAt(p, int64(id)*r.pageSize); err != nil {
		return nil, fmt.Errorf("read page %d: %w", id, err)
	}
	return p, nil
}

// bucketRoots checks the root page of every top-level bucket (buckets held
// inline in the root page have none), going through one level of branch
// pages when the root bucket has outgrown a leaf.
func (r *pageReader) bucketRoots(root []byte) error {
	count := int(binary.NativeEndian.Uint16(root[10:]))
	if pageHeaderSize+count*elementSize > len(root) {
		return fmt.Errorf("root page holds %d elements in %d bytes", count, len(root))
	}
	if binary.NativeEndian.Uint16(root[8:]) == pageBranch {
		for i := range count {
			e := root[pageHeaderSize+i*elementSize:]
			child, err := r.page(binary.NativeEndian.Uint64(e[8:]), pageBranch|pageLeaf)
			if err != nil {
				return fmt.Errorf("root bucket: %w", err)
			}
			if binary.NativeEndian.Uint16(child[8:]) == pageLeaf {
				if err := r.bucketRoots(child); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for i := range count {
		off := pageHeaderSize + i*elementSize
		e := root[off:]
		flags, pos := binary.NativeEndian.Uint32(e), int(binary.NativeEndian.Uint32(e[4:]))
		ksize, vsize := int(binary.NativeEndian.Uint32(e[8:])), int(binary.NativeEndian.Uint32(e[12:]))
		start := off + pos
		if pos < 0 || ksize < 0 || vsize < 0 || start+ksize+vsize > len(root) || start+ksize+vsize < start {
			return fmt.Errorf("root page: element %d lies outside the page", i)
		}
		if flags&leafBucket == 0 {
			continue
		}
		key, value := root[start:start+ksize], root[start+ksize:start+ksize+vsize]
		if len(value) < 16 {
			return fmt.Errorf("bucket %q: a bucket header of %d bytes", key, len(value))
		}
		if id := binary.NativeEndian.Uint64(value); id != 0 { // 0: inline
			if _, err := r.page(id, pageBranch|pageLeaf); err != nil {
				return fmt.Errorf("bucket %q: %w", key, err)
			}
		}
	}
	return nil
}
