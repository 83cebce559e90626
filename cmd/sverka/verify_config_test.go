package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sverka/sverka/config"
)

func TestValidHostID(t *testing.T) {
	for id, want := range map[string]bool{
		"web-01": true, "db.example.org": true, "HOST_7": true,
		"": false, ".hidden": false, "-rf": false, "../x": false, `a\b`: false, "a b": false,
		"узел-7": true, "a:b": false, string(make([]byte, 201)): false,
	} {
		if got := validHostID(id); got != want {
			t.Errorf("validHostID(%q) = %v", id, got)
		}
	}
}

func TestRoundAge(t *testing.T) {
	for d, want := range map[time.Duration]string{
		20 * time.Second: "less than a minute", 90 * time.Second: "2m", 3 * time.Hour: "3h",
		27*time.Hour + 5*time.Minute: "27h5m",
	} {
		if got := roundAge(d); got != want {
			t.Errorf("roundAge(%v) = %q, want %q", d, got, want)
		}
	}
}

// newest reads the times in this host's report names only, and not
// those in the future.
func TestNewest(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{
		"web-01-20261201T070000Z.json", "web-01-20261202T070000Z.json",
		"web-01-20301202T070000Z.json", // the future
		"web-012-20261203T070000Z.json", "web-01-20261203T070000Z.json.tmp", "web-01-junk.json", "web-01-20261204T070000Z.html",
	} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "web-01-20261205T070000Z.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := &periodic{file: &config.File{Path: "verify.conf"}, reports: dir, hostID: "web-01"}
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	got, name, err := p.newest(now)
	if err != nil || name != "web-01-20261202T070000Z.json" || !got.Equal(time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("newest = %v, %q, %v", got, name, err)
	}
	p.hostID = "other"
	if got, _, err := p.newest(now); err != nil || !got.IsZero() {
		t.Errorf("another host's newest = %v, %v", got, err)
	}
}
