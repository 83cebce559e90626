package report

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/verify"
)

// Names that must survive every rendering.
const (
	cyrillicName = "doc/Руководство администратора.pdf"
	invalidName  = "doc/README\n\xffbad.txt" // a newline and a byte that is not UTF-8
)

var msk = time.FixedZone("MSK", 3*60*60)

func hexOf(seed string, n int) string {
	var b strings.Builder
	for i := 0; b.Len() < 2*n; i++ {
		fmt.Fprintf(&b, "%08x", uint32(len(seed)*2654435761)+uint32(i)*40503+uint32(seed[i%len(seed)])*97)
	}
	return b.String()[:2*n]
}

func dg(alg, seed string) verify.Digest {
	n := 32
	if strings.HasSuffix(alg, "512") {
		n = 64
	}
	if alg == "md5" {
		n = 16
	}
	return verify.Digest{Alg: alg, Hex: hexOf(alg+seed, n)}
}

func digests(seed string, algs ...string) []verify.Digest {
	var ds []verify.Digest
	for _, a := range algs {
		ds = append(ds, dg(a, seed))
	}
	return ds
}

func size(n int64) *int64 { return &n }

// count fills a table's counts from its items, as verify does.
func count(t verify.Table) verify.Table {
	t.Counts = map[verify.Status]int{}
	for _, it := range t.Items {
		t.Counts[it.Status]++
	}
	return t
}

// fixedReport is a check with a table of each kind and an item of every
// status, at a fixed time on host-1.
func fixedReport() *Report {
	start := time.Date(2026, 11, 23, 10, 15, 0, 0, msk)
	media := []string{"sha256", "gost12-256"}
	okFile := func(name string, sz int64, line int) verify.Item {
		return verify.Item{Name: name, Line: line, Status: verify.OK, Size: sz, ActualSize: size(sz),
			Expected: digests(name, media...), Actual: digests(name, media...)}
	}
	modified := okFile("packages/kesl_12.1.0-1297_amd64.deb", 48213504, 18)
	modified.Status, modified.Failure = verify.Modified, true
	modified.ActualSize = size(48213760)
	modified.Actual = digests("tampered", media...)
	modified.Differs = []string{"size", "sha256", "gost12-256"}

	reversed := verify.Item{Name: "tools/gost-list.txt", Line: 21, Status: verify.Modified, Failure: true,
		Size: 1840, ActualSize: size(1840),
		Expected: digests("rev", media...),
		Actual:   []verify.Digest{dg("sha256", "rev"), dg("gost12-256", "other")},
		Differs:  []string{"gost12-256"},
		Hint:     "the gost12-256 digest matches byte-reversed: the table's column should be gost12-256/reversed (import the list with --gost-reverse)",
		HintCode: verify.HintGOSTReversed,
		HintArgs: map[string]string{"column": "gost12-256", "should_be": "gost12-256/reversed"},
	}
	renamed := verify.Item{Name: "packages/kesl-gui_12.1.0-1297_amd64.deb", Line: 19, Status: verify.Renamed, Failure: true,
		Size: 20971520, Expected: digests("gui", media...), Actual: digests("gui", media...),
		Other: "packages/kesl-gui_12.1.0-1297_amd64 (1).deb"}

	r := &Report{
		Schema: Schema,
		Tool:   Tool{Name: "sverka", Version: "1.2.0", SHA256: hexOf("sverka-binary", 32)},
		Run: Run{
			Start: start, End: start.Add(12*time.Second + 480*time.Millisecond),
			CheckDate: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
			HostID:    "3d1219c7c4c5404aaa1f6d2a48adfda4", Groups: []string{"бухгалтерия", "kesl-12"},
			Host: "host-1", OS: "linux", OSVersion: "Debian GNU/Linux 12 (bookworm), Linux 6.1.0-18-amd64",
			Arch: "amd64", User: "auditor",
			Args: []string{"sverka", "verify", "-f", "formular.txt", "-p", "demo.pub", "--media", "kit.iso",
				"--installed", "/mnt/host", "--settings", "/mnt/host/etc/kesl.ini", "--at", "2026-11-23"},
		},
		Formular: FormularInfo{
			Path:   "formular.txt",
			SHA256: hexOf("formular", 32),
			Header: []Field{
				{"product", "Kaspersky Endpoint Security для Linux"},
				{"version", "12.1.0.1297"},
				{"formular-id", "643.46856491.00111-01 30 01"},
				{"certificate", "4068"},
				{"certificate-issuer", "ФСТЭК России"},
				{"protection-class", "4Б"},
				{"valid-until", "2027-05-31"},
				{"support-until", "2026-10-31"},
				{"sticker", "H 0012345"},
			},
			Signature: &Signature{KeyID: "E7620F1842B4E81F",
				TrustedComment: "formular 643.46856491.00111-01 30 01 Kaspersky Endpoint Security для Linux 12.1.0.1297",
				Verified:       true},
		},
		Sources: Sources{
			Media: &Media{Path: "kit.iso", Kind: MediaImage, Size: 734003200,
				Digests:      digests("kit.iso-wrong", media...),
				ImplantedMD5: &ImplantedMD5{Present: true, OK: false, Expected: hexOf("md5a", 16), Computed: hexOf("md5b", 16)}},
			Installed: &Installed{Root: "/mnt/host", Vars: []Var{{"INSTALLDIR", "/mnt/host/opt/kaspersky/kesl"}}},
			Settings:  []string{"/mnt/host/etc/opt/kaspersky/kesl.ini"},
		},
		Result: verify.Result{
			Verdict: verify.NotHolds,
			Scope:   verify.Scope{Checked: []formular.Kind{formular.KindImage, formular.KindMedia, formular.KindModules, formular.KindParameters}},
			Reasons: []verify.Message{
				{Code: verify.CodeImplantedMD5Mismatch, Args: map[string]string{"recorded": hexOf("md5a", 16), "computed": hexOf("md5b", 16)},
					Text: "the MD5 implanted in the image (isomd5sum) does not match: recorded " + hexOf("md5a", 16) + ", computed " + hexOf("md5b", 16)},
				{Code: verify.CodeTableFailed, Table: "image", Line: 10, Counts: map[verify.Status]int{verify.Modified: 1},
					Text: "[image] table (line 10): 1 MODIFIED"},
				{Code: verify.CodeTableFailed, Table: "media", Line: 13,
					Counts: map[verify.Status]int{verify.Modified: 2, verify.Missing: 1, verify.Renamed: 1, verify.Unreadable: 1},
					Text:   "[media] table (line 13): 2 MODIFIED, 1 MISSING, 1 RENAMED, 1 UNREADABLE"},
				{Code: verify.CodeTableFailed, Table: "modules", Line: 30, Counts: map[verify.Status]int{verify.Modified: 1, verify.Extra: 1},
					Text: "[modules] table (line 30): 1 MODIFIED, 1 EXTRA"},
				{Code: verify.CodeTableFailed, Table: "parameters", Line: 40, Counts: map[verify.Status]int{verify.Violated: 1, verify.Unset: 1},
					Text: "[parameters] table (line 40): 1 VIOLATED, 1 UNSET"},
			},
			Warnings: []verify.Message{
				{Code: verify.CodeSettings, Args: map[string]string{"file": "/mnt/host/etc/opt/kaspersky/kesl.ini", "line": "9",
					"message":      `key "Update.Threads" set again (first at line 7); the value of line 9 wins`,
					"message_code": "duplicate-key", "message_key": "Update.Threads", "message_first_line": "7"},
					Text: `settings /mnt/host/etc/opt/kaspersky/kesl.ini line 9: key "Update.Threads" set again (first at line 7); the value of line 9 wins`},
				{Code: verify.CodeSupportEnded, Args: map[string]string{"certificate": "4068", "until": "2026-10-31", "check_date": "2026-11-23"},
					Text: "support of certificate 4068 ended on 2026-10-31 (check date 2026-11-23)"},
				{Code: verify.CodeExtraFiles, Table: "media", Line: 13, Counts: map[verify.Status]int{verify.Extra: 1},
					Text: "[media] table (line 13): 1 unlisted file (the table is not closed)"},
				{Code: verify.CodeWeakAlgorithm, Table: "modules", Line: 30, Args: map[string]string{"algorithms": "md5"},
					Text: "[modules] table (line 30) relies on md5: legacy, detects accidents but not deliberate tampering"},
			},
		},
	}
	image := verify.Item{Name: "kes_12.1_cert.iso", Line: 11, Status: verify.Modified, Failure: true,
		Size: 734003200, ActualSize: size(734003200),
		Expected: digests("kit.iso", media...), Actual: digests("kit.iso-wrong", media...),
		Differs: []string{"sha256", "gost12-256"}}
	r.Result.Tables = []verify.Table{
		count(verify.Table{Kind: "image", Line: 10, Columns: media, Items: []verify.Item{image}}),
		count(verify.Table{Kind: "media", Line: 13, Columns: media, Items: []verify.Item{
			okFile("autorun.inf", 58, 14),
			okFile(cyrillicName, 5242880, 15),
			{Name: invalidName, Line: 16, Status: verify.Missing, Failure: true, Size: 1024,
				Expected: digests("readme", media...)},
			okFile("doc/release_notes.txt", 10240, 17),
			modified,
			renamed,
			{Name: "packages/locked.deb", Line: 20, Status: verify.Unreadable, Failure: true, Size: 4096,
				Expected: digests("locked", media...), Detail: "permission denied", DetailCode: verify.DetailError,
				DetailArgs: map[string]string{"error_code": "EACCES"}},
			reversed,
			{Name: "packages/postinst-extra.sh", Status: verify.Extra, ActualSize: size(733),
				Actual: digests("extra", media...)},
		}}),
		count(verify.Table{Kind: "modules", Line: 30, Root: "${INSTALLDIR}", Columns: []string{"md5", "sha256"},
			Closed: true, Weak: []string{"md5"}, Items: []verify.Item{
				{Name: "bin/kesl", Line: 31, Status: verify.OK, Size: 9437184, ActualSize: size(9437184),
					Expected: digests("kesl", "md5", "sha256"), Actual: digests("kesl", "md5", "sha256"),
					Mode: "0755", ActualMode: "0755"},
				{Name: "lib/libkesl.so", Line: 32, Status: verify.Modified, Failure: true, Size: 2097152, ActualSize: size(2097152),
					Expected: digests("libkesl", "md5", "sha256"), Actual: digests("libkesl", "md5", "sha256"),
					Mode: "0644", ActualMode: "0666", Differs: []string{"mode"}},
				{Name: "lib/libinject.so", Status: verify.Extra, Failure: true, ActualSize: size(16384),
					Actual: digests("inject", "md5", "sha256"), ActualMode: "0755"},
			}}),
		count(verify.Table{Kind: "parameters", Line: 40, Source: "${INSTALLDIR}/etc/kesl.ini", Format: "ini", Items: []verify.Item{
			{Name: "Scan.ScanArchives", Line: 41, Status: verify.OK, Allowed: "= no", Value: "no", HasValue: true},
			{Name: "Update.Threads", Line: 42, Status: verify.Violated, Failure: true, Allowed: "range 1..16",
				Value: "32", HasValue: true, Note: "operations manual, 4.2",
				Detail: "kesl.ini line 9", DetailCode: verify.DetailSettingsLine, DetailArgs: map[string]string{"file": "kesl.ini", "line": "9"}},
			{Name: "Update.Source", Line: 43, Status: verify.Unset, Failure: true, Allowed: "in {KLServers, SCServer}",
				Note: "руководство по эксплуатации, п. 5.1"},
			{Name: "Network.Proxy", Line: 44, Status: verify.OK, Allowed: "absent"},
		}}),
	}
	return r
}

// bigReport is a check of a media table of n files in 200 directories,
// each with two digests, a few of them failing.
func bigReport(n int) *Report {
	r := fixedReport()
	algs := []string{"sha256", "gost12-256"}
	t := verify.Table{Kind: "media", Line: 13, Columns: algs, Items: make([]verify.Item, n)}
	for i := range t.Items {
		name := fmt.Sprintf("dir-%03d/Файл-%06d.dat", i%200, i)
		it := verify.Item{Name: name, Line: 14 + i, Status: verify.OK, Size: int64(i) * 4099, ActualSize: size(int64(i) * 4099)}
		for _, a := range algs {
			d := verify.Digest{Alg: a, Hex: hexOf(fmt.Sprint(a, i), 32)}
			it.Expected = append(it.Expected, d)
			it.Actual = append(it.Actual, d)
		}
		if i%997 == 5 {
			it.Status, it.Failure = verify.Modified, true
			it.Actual = []verify.Digest{{Alg: "sha256", Hex: hexOf(fmt.Sprint("x", i), 32)}, it.Expected[1]}
			it.Differs = []string{"sha256"}
		}
		t.Items[i] = it
	}
	// Sorted by name, as a formular lists them.
	slices.SortFunc(t.Items, func(a, b verify.Item) int { return strings.Compare(a.Name, b.Name) })
	r.Result.Tables = []verify.Table{count(t)}
	failing := count(t).Counts
	delete(failing, verify.OK)
	r.Result.Reasons = []verify.Message{{Code: verify.CodeTableFailed, Table: "media", Line: 13,
		Counts: failing, Text: "[media] table (line 13): MODIFIED files"}}
	r.Result.Warnings = r.Result.Warnings[:2] // the settings and support warnings; no table of theirs is left
	r.Result.Scope = verify.Scope{Checked: []formular.Kind{formular.KindMedia}}
	r.Sources.Media.ImplantedMD5 = nil
	return r
}

// partialReport is a check of the media alone, of a formular with media,
// modules and parameters tables: it holds for the media only. A file
// outside the formular's reach is not covered.
func partialReport() *Report {
	r := fixedReport()
	r.Run.Args = []string{"sverka", "verify", "-f", "formular.txt", "-p", "demo.pub", "--media", "kit", "--host-id", "арм-07"}
	r.Run.HostID, r.Run.Groups = "арм-07", nil
	r.Formular.Header[7].Value = "2027-05-31" // support-until: no warning
	r.Sources = Sources{Media: &Media{Path: "kit", Kind: MediaDirectory, Size: 5242938}}
	media := r.Result.Tables[1]
	media.Items = []verify.Item{media.Items[0], media.Items[1]}
	r.Result = verify.Result{
		Verdict:  verify.Holds,
		Reasons:  []verify.Message{},
		Warnings: []verify.Message{},
		Tables:   []verify.Table{count(media)},
		Scope: verify.Scope{
			Checked: []formular.Kind{formular.KindMedia},
			NotChecked: []verify.Message{
				{Code: verify.CodeTableNotChecked, Table: "modules", Line: 30, Args: map[string]string{"why": verify.WhyNoInstalled},
					Text: "[modules] table (line 30) not checked: no --installed ROOT or --var given"},
				{Code: verify.CodeTableNotChecked, Table: "parameters", Line: 40, Args: map[string]string{"why": verify.WhyNoSettings},
					Text: "[parameters] table (line 40) not checked: no --settings FILE or --installed ROOT given for its source"},
			},
			Uncovered: []verify.Message{
				{Code: verify.CodeBootNotCovered, Text: "boot code not covered by the formular"},
			},
		},
	}
	return r
}

// cannotReport is a check that could not be made: the formular's
// signature did not verify.
func cannotReport() *Report {
	r := fixedReport()
	r.Run.Args = []string{"sverka", "verify", "-f", "formular.txt", "-p", "demo.pub", "--media", "kit.iso", "--format", "json"}
	r.Run.End = r.Run.Start
	r.Formular = FormularInfo{Path: "formular.txt"}
	r.Sources = Sources{}
	r.Result = *verify.CannotCheckResult(errors.New("signature formular.txt.minisig: invalid signature"))
	return r
}
