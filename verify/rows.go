package verify

import (
	"iter"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// Len is the number of items of the table.
func (t *Table) Len() int {
	if t.rows == nil {
		return len(t.Items)
	}
	return len(t.rows.Entries) + len(t.Items) - len(t.at)
}

// At returns item i, 0 <= i < Len, in the report's order.
func (t *Table) At(i int) Item {
	if t.rows == nil {
		return t.Items[i]
	}
	n := len(t.rows.Entries)
	if i >= n {
		return t.Items[len(t.at)+i-n]
	}
	if k := sort.SearchInts(t.at, i); k < len(t.at) && t.at[k] == i {
		return t.Items[k]
	}
	return okItem(t.rows, i, true)
}

// All yields every item of the table with its index, in the report's
// order. An OK row's item is made as it is yielded.
func (t *Table) All() iter.Seq2[int, Item] { return t.each(true) }

// AllButDigests yields the items as All does, except that an OK row's
// item comes without its digests (Expected and Actual nil): a pass over
// a large table that needs the items' names, statuses, sizes and modes
// then makes no digest's text, most of the cost of an OK row's item.
func (t *Table) AllButDigests() iter.Seq2[int, Item] { return t.each(false) }

// each is All, or AllButDigests without digests.
func (t *Table) each(digests bool) iter.Seq2[int, Item] {
	return func(yield func(int, Item) bool) {
		if t.rows == nil {
			for i := range t.Items {
				if !yield(i, t.Items[i]) {
					return
				}
			}
			return
		}
		k := 0
		for i := range t.rows.Entries {
			it := Item{}
			if k < len(t.at) && t.at[k] == i {
				it = t.Items[k]
				k++
			} else {
				it = okItem(t.rows, i, digests)
			}
			if !yield(i, it) {
				return
			}
		}
		n := len(t.rows.Entries)
		for j := len(t.at); j < len(t.Items); j++ {
			if !yield(n+j-len(t.at), t.Items[j]) {
				return
			}
		}
	}
}

// OKRows is how many items of the table are rows kept as found as listed
// (see Table.rows), with no item in Items: OK each, with the digests,
// size and mode their rows list, the same on both sides.
func (t *Table) OKRows() int {
	if t.rows == nil {
		return 0
	}
	return len(t.rows.Entries) - len(t.at)
}

// Findings yields the items that are not OK, in the report's order,
// without making an item of an OK row.
func (t *Table) Findings() iter.Seq[Item] {
	return func(yield func(Item) bool) {
		for i := range t.Items {
			if t.Items[i].Status != OK && !yield(t.Items[i]) {
				return
			}
		}
	}
}

// rowItem returns the item of row i of a table that keeps its rows,
// giving an OK row an item of its own first, so that it can be changed.
func (t *Table) rowItem(i int) *Item {
	k := sort.SearchInts(t.at, i)
	if k == len(t.at) || t.at[k] != i {
		t.Items = slices.Insert(t.Items, k, okItem(t.rows, i, true))
		t.at = slices.Insert(t.at, k, i)
	}
	return &t.Items[k]
}

// okItem is the item of row i of t found exactly as listed: what the
// judging of a row makes for it (judgeRow, compare).
//
// Without digests, Expected and Actual are left nil (AllButDigests).
func okItem(t *formular.Table, i int, digests bool) Item {
	e := &t.Entries[i]
	var exp []Digest
	if digests {
		exp = rowDigests(t.Columns, e.Sums)
	}
	size := e.Size
	it := Item{Name: e.Path, Line: int(e.Line), Status: OK, Size: e.Size, ActualSize: &size, Expected: exp, Actual: exp}
	if t.HasMode {
		it.Mode = modeText(e.Mode)
		it.ActualMode = it.Mode
	}
	return it
}

// modeText is a mode as a row's item spells it: octal, at least four
// digits.
func modeText(m uint32) string {
	var b [12]byte
	return string(appendMode(b[:0], m))
}

func appendMode(dst []byte, m uint32) []byte {
	for d := uint32(0o1000); d > 1 && m < d; d >>= 3 {
		dst = append(dst, '0')
	}
	return strconv.AppendUint(dst, uint64(m), 8)
}

// Expand gives every item of t a place of its own in Items, for code
// that changes items in place or compares tables item by item.
func (t *Table) Expand() {
	if t.rows == nil {
		return
	}
	n := t.Len()
	if cap(t.Items) < n {
		items := make([]Item, 0, n)
		for _, it := range t.All() {
			items = append(items, it)
		}
		t.Items, t.rows, t.at = items, nil, nil
		return
	}
	// In place, where the room was kept (a million unlisted members of
	// an image would otherwise be held twice): the items of no row move
	// to the end, then, from the last row back, each row takes its item,
	// which is never after its place, or one made for it.
	rows, kept := len(t.rows.Entries), len(t.at)
	items := t.Items[:n]
	copy(items[rows:], t.Items[kept:])
	k := kept - 1
	for i := rows - 1; i >= 0; i-- {
		if k >= 0 && t.at[k] == i {
			items[i] = items[k]
			k--
		} else {
			items[i] = okItem(t.rows, i, true)
		}
	}
	t.Items, t.rows, t.at = items, nil, nil
}

// RowsBuilder makes a table's items, given one at a time in the report's
// order, into a table that keeps its rows: an item that is exactly what
// a check makes of a row found as listed (okItem) is kept as that row,
// the others as items. A reader of a report of a million OK files thus
// holds rows, not items.
type RowsBuilder struct {
	rows  formular.Table
	items []Item
	at    []int
	// rowsEnded is set by the first item of no row (Line 0): every item
	// after it is kept as it is.
	rowsEnded bool
	// mode is 0 until the first row kept, then 1 without a mode column,
	// 2 with one: a table's rows all have one or none.
	mode int8
	// bytes is the block the rows' digests are cut from: a million rows
	// would be an allocation each.
	bytes []byte
}

// bytesBlock is the size of a block of digests.
const bytesBlock = 64 << 10

// NewRowsBuilder returns a builder for a table with the given digest
// columns, or nil when a column is not one sverka knows: its items are
// then kept as they are.
func NewRowsBuilder(columns []string) *RowsBuilder {
	b := &RowsBuilder{}
	for _, name := range columns {
		c, err := checksum.ParseColumn(name)
		if err != nil {
			return nil
		}
		b.rows.Columns = append(b.rows.Columns, c)
	}
	return b
}

// Add adds the table's next item.
func (b *RowsBuilder) Add(it Item) {
	if b.rowsEnded || it.Line <= 0 {
		b.rowsEnded = true
		b.items = append(b.items, it)
		return
	}
	if e, ok := b.row(&it); ok {
		b.rows.Entries = append(b.rows.Entries, e)
		return
	}
	// A row with an item of its own: its entry is never read.
	b.at = append(b.at, len(b.rows.Entries))
	b.rows.Entries = append(b.rows.Entries, formular.Entry{Line: int32(min(it.Line, math.MaxInt32)), Path: it.Name})
	b.items = append(b.items, it)
}

// row is the entry okItem makes it back from, if it is such an item.
func (b *RowsBuilder) row(it *Item) (formular.Entry, bool) {
	e := formular.Entry{Line: int32(it.Line), Path: it.Name, Size: it.Size}
	if it.Line > math.MaxInt32 || it.Status != OK || it.Failure || it.Size < 0 || it.ActualSize == nil || *it.ActualSize != it.Size ||
		it.Differs != nil || it.Other != "" || it.Allowed != "" || it.Value != "" || it.HasValue || it.Note != "" ||
		it.Detail != "" || it.DetailCode != "" || it.DetailArgs != nil || it.Hint != "" || it.HintCode != "" || it.HintArgs != nil ||
		it.ActualMode != it.Mode || len(it.Expected) != len(b.rows.Columns) || len(it.Actual) != len(it.Expected) ||
		it.Expected == nil {
		return e, false
	}
	mode := int8(1)
	if it.Mode != "" {
		// modeText's spelling only.
		var buf [12]byte
		m, err := strconv.ParseUint(it.Mode, 8, 32)
		if err != nil || string(appendMode(buf[:0], uint32(m))) != it.Mode {
			return e, false
		}
		e.Mode, mode = uint32(m), 2
	}
	if b.mode != 0 && b.mode != mode {
		return e, false
	}
	for k, c := range b.rows.Columns {
		x, a := it.Expected[k], it.Actual[k]
		// Lower-case hex is what Encode gives back; any other spelling
		// is kept as it was written.
		if x != a || x.Alg != c.String() || len(x.Hex) != c.Alg.HexLen() || !checksum.IsLowerHex(x.Hex) {
			return e, false
		}
	}
	if size := formular.SumsWidth(b.rows.Columns); len(b.bytes)+size > cap(b.bytes) {
		b.bytes = make([]byte, 0, max(bytesBlock, size))
	}
	at := len(b.bytes)
	for k, c := range b.rows.Columns {
		var err error
		if b.bytes, err = c.AppendDecode(b.bytes, it.Expected[k].Hex); err != nil {
			b.bytes = b.bytes[:at]
			return e, false
		}
	}
	e.Sums = b.bytes[at:len(b.bytes):len(b.bytes)]
	b.mode = mode
	b.rows.HasMode = mode == 2
	return e, true
}

// Table gives t the items added (Items never nil).
func (b *RowsBuilder) Table(t *Table) {
	if b.items == nil {
		b.items = []Item{}
	}
	if len(b.rows.Entries) == len(b.at) {
		t.Items, t.rows, t.at = b.items, nil, nil // no row kept: items as they are
		return
	}
	rows := b.rows
	t.Items, t.rows, t.at = b.items, &rows, b.at
}

// Grow makes room for n more rows.
func (b *RowsBuilder) Grow(n int) {
	b.rows.Entries = slices.Grow(b.rows.Entries, n)
}

// Items are the items added that are not kept as rows.
func (b *RowsBuilder) Items() []Item { return b.items }

// Trim drops the room Grow made that no row took.
func (b *RowsBuilder) Trim() {
	if e := b.rows.Entries; len(e) < cap(e)/2+1 {
		b.rows.Entries = append([]formular.Entry(nil), e...)
	}
}

// Cap is how many items the builder holds room for: a row each, and the
// items that are not rows.
func (b *RowsBuilder) Cap() int { return cap(b.rows.Entries) + cap(b.items) - len(b.at) }
