package fleet

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Pruned says what Prune deleted.
type Pruned struct {
	Checks, Evidence, Formulars int64
}

// Prune deletes the checks made before now-keep, except those the answers
// stand on: each host's transitions (a check whose verdict differs from
// the host's previous one, and its first), its last check, and of every
// broken interval the last HOLDS before it and its first and last NOT
// HOLD. Evidence and formulars no check refers to any more go with them.
// All of it is one transaction.
func (s *Store) Prune(ctx context.Context, keep time.Duration, now time.Time) (Pruned, error) {
	if keep <= 0 {
		return Pruned{}, fmt.Errorf("prune: keep must be positive, not %s", keep)
	}
	pts, err := s.points(ctx, Filter{}, false)
	if err != nil {
		return Pruned{}, err
	}
	drop := prunable(pts, now.Add(-keep).UnixNano())
	var p Pruned
	tx, err := s.begin(ctx)
	if err != nil {
		return Pruned{}, fmt.Errorf("store %s: %w", s.name, err)
	}
	defer tx.Rollback()
	for start := 0; start < len(drop); start += idBatch {
		batch := drop[start:min(start+idBatch, len(drop))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		res, err := tx.ExecContext(ctx, s.d.q("DELETE FROM checks WHERE id IN (?"+strings.Repeat(", ?", len(batch)-1)+")"), args...)
		if err != nil {
			return Pruned{}, fmt.Errorf("store %s: prune: %w", s.name, err)
		}
		n, _ := res.RowsAffected()
		p.Checks += n
	}
	for _, d := range []struct {
		n *int64
		q string
	}{
		{&p.Evidence, "DELETE FROM evidence WHERE NOT EXISTS (SELECT 1 FROM checks c WHERE c.evidence_id = evidence.id)"},
		{&p.Formulars, "DELETE FROM formulars WHERE NOT EXISTS (SELECT 1 FROM checks c WHERE c.formular_id = formulars.id)"},
	} {
		res, err := tx.ExecContext(ctx, d.q)
		if err != nil {
			return Pruned{}, fmt.Errorf("store %s: prune: %w", s.name, err)
		}
		*d.n, _ = res.RowsAffected()
	}
	if err := commit(ctx, tx); err != nil {
		return Pruned{}, fmt.Errorf("store %s: prune: %w", s.name, err)
	}
	return p, nil
}

// prunable is the ids of the checks in pts (sorted by host, time, id)
// made before cutoff that Prune may delete.
func prunable(pts []point, cutoff int64) []int64 {
	kept := map[int64]bool{}
	for i, p := range pts {
		if i == 0 || pts[i-1].host != p.host || pts[i-1].verdict != p.verdict {
			kept[p.id] = true // a transition, or the host's first check
		}
		if i == len(pts)-1 || pts[i+1].host != p.host {
			kept[p.id] = true // the host's last check
		}
	}
	for _, sp := range spans(pts) {
		kept[sp.lastHolds] = true
		kept[sp.first] = true
		kept[sp.lastNotHold] = true
	}
	var drop []int64
	for _, p := range pts {
		if p.at < cutoff && !kept[p.id] {
			drop = append(drop, p.id)
		}
	}
	return drop
}
