package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sverka/sverka/internal/hivetest"
	"github.com/sverka/sverka/internal/testkit"
	"github.com/sverka/sverka/internal/wintest"
	"github.com/sverka/sverka/iso"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"sverka": func() {
			os.Exit(runMain(os.Args[1:], &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
		},
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams("testdata"))
}

// TestAttacks runs testdata/attack: each script is one way a hostile kit,
// host, report or user tries to get a wrong verdict, and shows that it
// cannot. The file names, read in order, are the list of what sverka
// withstands; docs/security.md says how each attack is met.
func TestAttacks(t *testing.T) {
	testscript.Run(t, scriptParams(filepath.Join("testdata", "attack")))
}

// promptLimit is how long a command that must not wait may take: far
// more than it needs, so that a loaded machine does not fail the test, and
// far less than a hang.
const promptLimit = 5 * time.Second

// scriptParams are the settings and commands every CLI script shares.
func scriptParams(dir string) testscript.Params {
	return testscript.Params{
		Dir: dir,
		Setup: func(env *testscript.Env) error {
			// Shared fixtures (ISO images) are read from the repository.
			testdata, err := filepath.Abs(filepath.Join("..", "..", "testdata"))
			if err != nil {
				return err
			}
			env.Setenv("TESTDATA", testdata)
			// Reports and messages in one language whatever the machine's.
			env.Setenv("LANG", "en_US.UTF-8")
			env.Setenv("NO_COLOR", "")
			// ENOENT is how this system words a missing file ("no such
			// file or directory"; Windows has its own words), for the
			// scripts that match the system's message.
			_, err = os.Open(filepath.Join(env.WorkDir, "no such file"))
			var pe *fs.PathError
			if !errors.As(err, &pe) {
				return fmt.Errorf("opening a missing file: %v", err)
			}
			env.Setenv("ENOENT", pe.Err.Error())
			return nil
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "root":
				return os.Geteuid() == 0, nil
			case "pagecache":
				return pageCacheDroppable(), nil
			case "machineid":
				// A well-formed /etc/machine-id: the host id a check takes
				// on Linux (elsewhere the id comes from the system).
				if runtime.GOOS != "linux" {
					return false, nil
				}
				data, err := os.ReadFile("/etc/machine-id")
				return err == nil && regexp.MustCompile(`^[0-9a-f]{32}\n?$`).Match(data), nil
			case "symlinks":
				// Symbolic links can be made: not on Windows without the
				// privilege or developer mode, nor under Wine (whose
				// CreateSymbolicLink succeeds and makes nothing).
				return testkit.CanSymlink(), nil
			case "wine":
				return wintest.Wine(), nil
			}
			return false, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// mkname NAME CONTENT: a file whose Go-quoted NAME and CONTENT
			// may hold newlines, backslashes or invalid UTF-8, which txtar
			// cannot.
			"mkname": func(ts *testscript.TestScript, neg bool, args []string) {
				name, err := strconv.Unquote(`"` + args[0] + `"`)
				ts.Check(err)
				content, err := strconv.Unquote(`"` + args[1] + `"`)
				ts.Check(err)
				ts.Check(os.WriteFile(ts.MkAbs(name), []byte(content+"\n"), 0o644))
			},
			"mkfifo": mkfifo,
			"evict":  evict,
			"cached": cached,
			// keepscached FILE PROG ARGS...: see keepsCached.
			"keepscached": keepsCached,
			// syslogd and syslogged: a loopback syslog collector.
			"syslogd":   syslogd,
			"syslogged": syslogged,
			// exits CODE PROG ARGS...: run PROG as exec does and require
			// exit code CODE within promptLimit (exec tells only success
			// from failure, and "could not check" is 2, not 1).
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exits CODE PROG ARGS...")
				}
				want, err := strconv.Atoi(args[0])
				ts.Check(err)
				start := time.Now()
				err = ts.Exec(args[1], args[2:]...)
				took := time.Since(start)
				got := 0
				var ee *exec.ExitError
				switch {
				case errors.As(err, &ee):
					got = ee.ExitCode()
				case err != nil:
					ts.Fatalf("%s: %v", args[1], err)
				}
				if got != want {
					ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
				}
				if took > promptLimit {
					ts.Fatalf("%s took %v, more than %v", args[1], took.Round(time.Millisecond), promptLimit)
				}
			},
			// await GLOB: wait until a file matching GLOB exists (a
			// command in the background has got that far).
			"await": func(ts *testscript.TestScript, neg bool, args []string) {
				deadline := time.Now().Add(promptLimit)
				for {
					m, err := filepath.Glob(ts.MkAbs(args[0]))
					ts.Check(err)
					if len(m) > 0 {
						return
					}
					if time.Now().After(deadline) {
						ts.Fatalf("no file matches %s after %v", args[0], promptLimit)
					}
					time.Sleep(10 * time.Millisecond)
				}
			},
			// freeport VAR: set VAR to 127.0.0.1:PORT, a port free now.
			"freeport": func(ts *testscript.TestScript, neg bool, args []string) {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				ts.Check(err)
				ts.Setenv(args[0], ln.Addr().String())
				ts.Check(ln.Close())
			},
			// awaitport ADDR: wait until something listens on ADDR (a
			// server in the background is up).
			"awaitport": func(ts *testscript.TestScript, neg bool, args []string) {
				deadline := time.Now().Add(promptLimit)
				for {
					c, err := net.DialTimeout("tcp", args[0], time.Second)
					if err == nil {
						c.Close()
						return
					}
					if time.Now().After(deadline) {
						ts.Fatalf("nothing listens on %s after %v: %v", args[0], promptLimit, err)
					}
					time.Sleep(20 * time.Millisecond)
				}
			},
			// sleep DURATION
			"sleep": func(ts *testscript.TestScript, neg bool, args []string) {
				d, err := time.ParseDuration(args[0])
				ts.Check(err)
				time.Sleep(d)
			},
			// flipbyte FILE OFFSET: invert one byte, as a damaged copy would.
			"flipbyte": func(ts *testscript.TestScript, neg bool, args []string) {
				p := ts.MkAbs(args[0])
				off, err := strconv.ParseInt(args[1], 10, 64)
				ts.Check(err)
				data, err := os.ReadFile(p)
				ts.Check(err)
				if off < 0 {
					off += int64(len(data))
				}
				data[off] ^= 0xff
				ts.Check(os.WriteFile(p, data, 0o644))
			},
			// truncate FILE SIZE
			"truncate": func(ts *testscript.TestScript, neg bool, args []string) {
				n, err := strconv.ParseInt(args[1], 10, 64)
				ts.Check(err)
				ts.Check(os.Truncate(ts.MkAbs(args[0]), n))
			},
			// utf16 SRC DST: SRC as regedit writes exports: UTF-16LE with a
			// byte order mark and CRLF line ends.
			"utf16": func(ts *testscript.TestScript, neg bool, args []string) {
				data, err := os.ReadFile(ts.MkAbs(args[0]))
				ts.Check(err)
				text := strings.ReplaceAll(string(data), "\n", "\r\n")
				out := []byte{0xff, 0xfe}
				for _, u := range utf16.Encode([]rune(text)) {
					out = append(out, byte(u), byte(u>>8))
				}
				ts.Check(os.WriteFile(ts.MkAbs(args[1]), out, 0o644))
			},
			// hive FILE SCRIPT: a registry hive file, written by hivex
			// (hivexsh -w) from the commands in the file SCRIPT.
			// hive -dirty FILE: the hive as an unclean shutdown leaves it.
			"hive": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) == 2 && args[0] == "-dirty" {
					ts.Check(hivetest.Dirty(ts.MkAbs(args[1])))
					return
				}
				if len(args) != 2 {
					ts.Fatalf("usage: hive FILE SCRIPT | hive -dirty FILE")
				}
				script, err := os.ReadFile(ts.MkAbs(args[1]))
				ts.Check(err)
				ts.Check(hivetest.Write(ts.MkAbs(args[0]), string(script)))
			},
			// isoflip IMAGE MEMBER: invert the first byte of a member of an
			// ISO image, found through its extent.
			"isoflip": func(ts *testscript.TestScript, neg bool, args []string) {
				p := ts.MkAbs(args[0])
				im, err := iso.Open(p)
				ts.Check(err)
				var off int64 = -1
				for _, m := range im.Members {
					if m.Name == args[1] && len(m.Extents) > 0 {
						off = m.Extents[0].Offset
					}
				}
				im.Close()
				if off < 0 {
					ts.Fatalf("no member %s with data in %s", args[1], args[0])
				}
				f, err := os.OpenFile(p, os.O_RDWR, 0)
				ts.Check(err)
				defer f.Close()
				b := make([]byte, 1)
				_, err = f.ReadAt(b, off)
				ts.Check(err)
				b[0] ^= 0xff
				_, err = f.WriteAt(b, off)
				ts.Check(err)
			},
			// eltorito IMAGE N FIELD VALUE: rewrite a field of the boot
			// catalog's entry N in place: rba (a sector; negative counts
			// from the image's end), count (512-byte sectors to load) or
			// segment (the load segment).
			"eltorito": eltorito,
			// writeat FILE OFFSET TEXT: write TEXT at a byte offset
			// (negative counts from the end), as a planted payload.
			"writeat": func(ts *testscript.TestScript, neg bool, args []string) {
				p := ts.MkAbs(args[0])
				off, err := strconv.ParseInt(args[1], 0, 64)
				ts.Check(err)
				st, err := os.Stat(p)
				ts.Check(err)
				if off < 0 {
					off += st.Size()
				}
				f, err := os.OpenFile(p, os.O_RDWR, 0)
				ts.Check(err)
				defer f.Close()
				_, err = f.WriteAt([]byte(args[2]), off)
				ts.Check(err)
			},
			// replace OLD NEW FILE: edit a file in place, as a forger would.
			"replace": func(ts *testscript.TestScript, neg bool, args []string) {
				p := ts.MkAbs(args[2])
				data, err := os.ReadFile(p)
				ts.Check(err)
				if !strings.Contains(string(data), args[0]) {
					ts.Fatalf("%s does not contain %q", args[2], args[0])
				}
				ts.Check(os.WriteFile(p, []byte(strings.Replace(string(data), args[0], args[1], 1)), 0o644))
			},
			// nodac PROGRAM ARGS...: run a program as a user who cannot
			// read what its permissions forbid. Root can (the
			// capabilities CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH):
			// run as root, the program runs without them.
			"nodac": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) == 0 {
					ts.Fatalf("usage: nodac PROGRAM ARGS...")
				}
				if os.Geteuid() == 0 {
					args = append([]string{"setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--"}, args...)
				}
				err := ts.Exec(args[0], args[1:]...)
				if err != nil {
					ts.Logf("[%v]", err)
					if !neg {
						ts.Fatalf("unexpected command failure")
					}
				} else if neg {
					ts.Fatalf("unexpected command success")
				}
			},
			// jsonset FILE PATH VALUE: set the member at PATH (names and
			// array indexes joined by dots) of the JSON document FILE to
			// the JSON VALUE, as a forger editing a saved report would.
			"jsonset": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 3 {
					ts.Fatalf("usage: jsonset FILE PATH VALUE")
				}
				p := ts.MkAbs(args[0])
				data, err := os.ReadFile(p)
				ts.Check(err)
				dec := json.NewDecoder(bytes.NewReader(data))
				dec.UseNumber()
				var doc any
				ts.Check(dec.Decode(&doc))
				dec = json.NewDecoder(strings.NewReader(args[2]))
				dec.UseNumber()
				var val any
				ts.Check(dec.Decode(&val))
				keys := strings.Split(args[1], ".")
				cur := doc
				for i, k := range keys {
					last := i == len(keys)-1
					switch c := cur.(type) {
					case map[string]any:
						if last {
							c[k] = val
						} else {
							cur = c[k]
						}
					case []any:
						n, err := strconv.Atoi(k)
						if err != nil || n < 0 || n >= len(c) {
							ts.Fatalf("%s: no element %s", args[1], k)
						}
						if last {
							c[n] = val
						} else {
							cur = c[n]
						}
					default:
						ts.Fatalf("%s: %s is not inside an object or array", args[1], k)
					}
				}
				out, err := json.MarshalIndent(doc, "", "  ")
				ts.Check(err)
				ts.Check(os.WriteFile(p, append(out, '\n'), 0o644))
			},
			// setq NAME QUOTED: set NAME to the Go-quoted QUOTED, which may
			// hold control characters and bytes that are not UTF-8.
			"setq": func(ts *testscript.TestScript, neg bool, args []string) {
				v, err := strconv.Unquote(`"` + args[1] + `"`)
				ts.Check(err)
				ts.Setenv(args[0], v)
			},
			// isopatch IMAGE TREE NAME OP [ARG]: edit one directory record of
			// an ISO image at byte level, as a forger would. TREE is iso9660
			// (NAME is the identifier as recorded, "SETUP.EXE;1"), joliet
			// (NAME as recorded, UCS-2) or rockridge (NAME is the Rock Ridge
			// NM name; only "name" applies). OP is "extent-of OTHER" (point
			// the record at OTHER's extent and length), "name NEW" (a name
			// of the same length), "setflag HEX" or "clearflag HEX".
			"isopatch": isopatch,
			// envfile VAR FILE: VAR set to FILE's content, its last
			// newline left out.
			"envfile": func(ts *testscript.TestScript, neg bool, args []string) {
				b, err := os.ReadFile(ts.MkAbs(args[1]))
				ts.Check(err)
				ts.Setenv(args[0], strings.TrimSuffix(string(b), "\n"))
			},
			// sha256env VAR FILE: VAR set to FILE's SHA-256, in hex.
			"sha256env": func(ts *testscript.TestScript, neg bool, args []string) {
				b, err := os.ReadFile(ts.MkAbs(args[1]))
				ts.Check(err)
				ts.Setenv(args[0], fmt.Sprintf("%x", sha256.Sum256(b)))
			},
			// mkfiles DIR N: N small files DIR/f1.txt ... DIR/fN.txt, each
			// holding its own name.
			"mkfiles": func(ts *testscript.TestScript, neg bool, args []string) {
				n, err := strconv.Atoi(args[1])
				ts.Check(err)
				dir := ts.MkAbs(args[0])
				ts.Check(os.MkdirAll(dir, 0o755))
				for i := 1; i <= n; i++ {
					name := fmt.Sprintf("f%d.txt", i)
					ts.Check(os.WriteFile(filepath.Join(dir, name), []byte(name+"\n"), 0o644))
				}
			},
			// fill FILE SIZE CHAR: a file of SIZE bytes CHAR.
			"fill": func(ts *testscript.TestScript, neg bool, args []string) {
				n, err := strconv.Atoi(args[1])
				ts.Check(err)
				ts.Check(os.MkdirAll(filepath.Dir(ts.MkAbs(args[0])), 0o755))
				ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.Repeat(args[2], n)), 0o644))
			},
			"chmod": func(ts *testscript.TestScript, neg bool, args []string) {
				m, err := strconv.ParseUint(args[0], 8, 32)
				ts.Check(err)
				ts.Check(os.Chmod(ts.MkAbs(args[1]), os.FileMode(m)))
			},
		},
	}
}

// eltorito rewrites a field of a boot catalog entry of an image, found
// through the iso package's reading of the catalog.
func eltorito(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 4 {
		ts.Fatalf("usage: eltorito IMAGE N FIELD VALUE")
	}
	p := ts.MkAbs(args[0])
	n, err := strconv.Atoi(args[1])
	ts.Check(err)
	v, err := strconv.ParseInt(args[3], 0, 64)
	ts.Check(err)
	im, err := iso.Open(p)
	ts.Check(err)
	size := im.Size
	var rec int64 = -1
	if et := im.ElTorito; et != nil {
		for _, e := range et.Entries {
			if e.N == n {
				rec = e.Record
			}
		}
	}
	im.Close()
	if rec < 0 {
		ts.Fatalf("%s has no boot entry %d", args[0], n)
	}
	var at int64
	var b []byte
	switch args[2] {
	case "rba":
		if v < 0 {
			v += size / 2048
		}
		at, b = rec+8, binary.LittleEndian.AppendUint32(nil, uint32(v))
	case "count":
		at, b = rec+6, binary.LittleEndian.AppendUint16(nil, uint16(v))
	case "segment":
		at, b = rec+2, binary.LittleEndian.AppendUint16(nil, uint16(v))
	default:
		ts.Fatalf("eltorito: unknown field %s (rba, count, segment)", args[2])
	}
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	ts.Check(err)
	defer f.Close()
	_, err = f.WriteAt(b, at)
	ts.Check(err)
}

func isopatch(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 4 {
		ts.Fatalf("usage: isopatch IMAGE TREE NAME OP [ARG]")
	}
	p := ts.MkAbs(args[0])
	b, err := os.ReadFile(p)
	ts.Check(err)
	id := func(name string) []byte {
		switch args[1] {
		case "iso9660":
			return []byte(name)
		case "joliet":
			var out []byte
			for _, u := range utf16.Encode([]rune(name)) {
				out = append(out, byte(u>>8), byte(u))
			}
			return out
		case "rockridge":
			return append([]byte{'N', 'M', byte(5 + len(name)), 1, 0}, name...)
		}
		ts.Fatalf("isopatch: unknown tree %s", args[1])
		return nil
	}
	// find returns where the record of name begins (for rockridge, where
	// its NM name begins): the one place its identifier is recorded.
	find := func(name string) int {
		pat := id(name)
		if args[1] != "rockridge" {
			pat = append([]byte{byte(len(pat))}, pat...)
		}
		at := -1
		for i := 0; ; {
			j := bytes.Index(b[i:], pat)
			if j < 0 {
				break
			}
			j += i
			i = j + 1
			if args[1] == "rockridge" {
				if at >= 0 {
					ts.Fatalf("isopatch: %s recorded more than once", name)
				}
				at = j + 5
				continue
			}
			if j < 32 || int(b[j-32]) < 33+len(pat)-1 || int(b[j-32]) > 255 {
				continue // not the identifier of a record
			}
			if at >= 0 {
				ts.Fatalf("isopatch: %s recorded more than once", name)
			}
			at = j - 32
		}
		if at < 0 {
			ts.Fatalf("isopatch: no %s record %s", args[1], name)
		}
		return at
	}
	rec := find(args[2])
	switch op := args[3]; {
	case op == "name" && len(args) == 5:
		old, repl := id(args[2]), id(args[4])
		if len(old) != len(repl) {
			ts.Fatalf("isopatch: %s and %s differ in length", args[2], args[4])
		}
		if args[1] == "rockridge" {
			copy(b[rec:], args[4])
		} else {
			copy(b[rec+33:], repl)
		}
	case args[1] == "rockridge":
		ts.Fatalf("isopatch: rockridge takes only name")
	case op == "extent-of" && len(args) == 5:
		other := find(args[4])
		copy(b[rec+2:rec+18], b[other+2:other+18])
	case (op == "setflag" || op == "clearflag") && len(args) == 5:
		f, err := strconv.ParseUint(args[4], 16, 8)
		ts.Check(err)
		if op == "setflag" {
			b[rec+25] |= byte(f)
		} else {
			b[rec+25] &^= byte(f)
		}
	default:
		ts.Fatalf("isopatch: unknown operation %q", strings.Join(args[3:], " "))
	}
	ts.Check(os.WriteFile(p, b, 0o644))
}
