package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"aead.dev/minisign"
	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/sign"
)

const fleetIngestSynopsis = `sverka fleet ingest [-p PUBKEY.pub | -P PUBKEY] [--db DB] REPORT.json|DIR...

Store JSON reports of 'sverka verify --format json': each file named, and
every *.json under each directory named, in name order. Each report is
read strictly and its verdict recomputed; one that is not a report or
disagrees with itself is refused, and the others are stored still. With
a public key, each report's REPORT.json.minisig must be there and verify.
The same report twice is stored once. One line per report says new,
already stored, or refused and why; exit 2 if any was refused.`

const fleetIngestExamples = `  sverka fleet ingest --db fleet.db reports/
  sverka fleet ingest -p auditor.pub --db fleet.db host-17.json
  sverka fleet ingest --db postgres://sverka@db.example/fleet reports/   # password from ~/.pgpass`

type fleetIngestOpts struct {
	storeFlags
	pubKey  string
	pubFile string
}

func (o *fleetIngestOpts) flags(fs *pflag.FlagSet) {
	o.storeFlags.add(fs)
	fs.StringVarP(&o.pubFile, "public-key-file", "p", "", "public key file of the reports' signer: each REPORT.json.minisig must verify")
	fs.StringVarP(&o.pubKey, "public-key", "P", "", "public key of the reports' signer, base64")
}

// runFleetIngest stores reports, each in a transaction of its own.
func runFleetIngest(ctx context.Context, c *cli, o *fleetIngestOpts, args []string) error {
	if len(args) == 0 {
		return errors.New("fleet ingest needs REPORT.json files or directories")
	}
	var pub *minisign.PublicKey
	if o.pubFile != "" || o.pubKey != "" {
		k, err := sign.PublicKey(o.pubKey, o.pubFile)
		if err != nil {
			return err
		}
		pub = &k
	}
	files, err := reportFiles(args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no *.json report in %s", strings.Join(args, ", "))
	}
	s, err := o.open(ctx, fleet.Options{Create: true})
	if err != nil {
		return err
	}
	defer s.Close()
	// Reading and checking a report take most of an ingest: they run on
	// every core, and the reports are stored one by one in name order.
	refused, stored := 0, 0
	err = s.IngestEach(ctx, len(files), runtime.GOMAXPROCS(0),
		func(i int) (string, []byte, error) { return readReportFile(files[i], pub) },
		func(i int, in fleet.Ingested, err error) error {
			path := files[i]
			var re *fleet.RefusedError
			switch {
			case errors.As(err, &re):
				refused++
				fmt.Fprintf(c.stdout, "%s: refused: %s\n", display(path), display(re.Err.Error()))
				return nil
			case err != nil:
				return err
			}
			stored++
			state := "new"
			if !in.New {
				state = "already stored"
			}
			fmt.Fprintf(c.stdout, "%s: %s: host %s, %s (check %d)\n", display(path), state, in.HostID, in.Verdict, in.CheckID)
			return nil
		})
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w after %d of %d reports", context.Cause(ctx), stored+refused, len(files))
		}
		return err
	}
	if refused > 0 {
		return fmt.Errorf("%d of %d %s refused", refused, len(files), plural(len(files), "report", "reports"))
	}
	return nil
}

// readReportFile reads one report and checks its signature when pub is
// given. What is wrong with the file itself or its signature refuses it
// as much as what is wrong with its content.
func readReportFile(path string, pub *minisign.PublicKey) (string, []byte, error) {
	m, err := sign.ReadMessage(path, report.MaxSize, "a report")
	if err != nil {
		return "", nil, &fleet.RefusedError{Name: path, Err: errors.New(fileErr(path, err))}
	}
	if pub != nil {
		if _, err := sign.VerifyDetached(*pub, "report", path, m); err != nil {
			return "", nil, &fleet.RefusedError{Name: path, Err: err}
		}
	}
	return path, m.Data, nil
}

// reportFiles is the files args name: files as they are, and every
// *.json under a directory, sorted.
func reportFiles(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, errors.New(fileErr(a, err))
		}
		if !info.IsDir() {
			files = append(files, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".json") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", a, err)
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	return files, nil
}
