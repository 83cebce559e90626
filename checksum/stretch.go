package checksum

import "context"

// Stretch is the stretch the callers that hash a whole table use: a table
// of no more files is one run of the engine, and a million files hold a
// job and its bookkeeping for an eighth of them at a time.
const Stretch = 1 << 17

// HashStretches hashes n files, stretch at a time: the jobs of a stretch
// (job(i) for its files) are made when it comes, and HashFiles runs on
// them alone. A run holds a job, its path and its bookkeeping per file,
// about 170 bytes, so a million files at once would hold 170 MB; a
// stretch of 100,000 holds a tenth. Largest first holds within a
// stretch, which leaves a worker alone at its end only with a file
// larger than the rest of the stretch. Results come in the files' order,
// or as they come with opt.AnyOrder, each with Index its file's i: the
// stretches run one after the other, so only a stretch's results wait
// for its slowest file. A line opt.Explain says is said once, not once
// a stretch; the counts of files read ahead and hashed in place are the
// whole check's, said after the last stretch; and the ways of reading
// timed in the first stretches hold for the rest.
func HashStretches(ctx context.Context, n, stretch int, job func(i int) Job, algs []*Algorithm, opt Options, emit func(Result) error) error {
	if stretch <= 0 {
		stretch = n
	}
	if opt.trials == nil {
		opt.trials = newTrials()
	}
	if explain := opt.Explain; explain != nil {
		said := map[string]bool{}
		opt.Explain = func(line string) {
			if !said[line] {
				said[line] = true
				explain(line)
			}
		}
	}
	// What the stretches read ahead and hashed in place is said once,
	// for them all, after the last.
	explain := opt.Explain
	opt.tally = &tally{}
	for lo := 0; lo < n; lo += stretch {
		jobs := make([]Job, min(stretch, n-lo))
		for i := range jobs {
			jobs[i] = job(lo + i)
		}
		err := HashFiles(ctx, jobs, algs, opt, func(r Result) error {
			r.Index += lo
			return emit(r)
		})
		if err != nil {
			return err
		}
	}
	opt.tally.explain(explain)
	return nil
}
