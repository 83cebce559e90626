package main

import (
	"bufio"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// syslogd is the testscript command 'syslogd udp|tcp VAR FILE': a syslog
// collector on the loopback, its address (udp://127.0.0.1:PORT) put in
// $VAR, each message it receives appended to FILE as a line (TCP framed
// by octet counting, RFC 6587). It stops when the script ends.
func syslogd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 || (args[0] != "udp" && args[0] != "tcp") {
		ts.Fatalf("usage: syslogd udp|tcp VAR FILE")
	}
	out, err := os.Create(ts.MkAbs(args[2]))
	ts.Check(err)
	var mu sync.Mutex
	record := func(b []byte) {
		mu.Lock()
		defer mu.Unlock()
		out.Write(append(b, '\n'))
	}
	switch args[0] {
	case "udp":
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		ts.Check(err)
		ts.Defer(func() { pc.Close(); out.Close() })
		go func() {
			buf := make([]byte, 64<<10)
			for {
				n, _, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				record(buf[:n])
			}
		}()
		ts.Setenv(args[1], "udp://"+pc.LocalAddr().String())
	case "tcp":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		ts.Check(err)
		ts.Defer(func() { ln.Close(); out.Close() })
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					br := bufio.NewReader(c)
					for {
						n, err := br.ReadString(' ')
						if err != nil {
							return
						}
						size, err := strconv.Atoi(strings.TrimSuffix(n, " "))
						if err != nil || size <= 0 || size > 1<<20 {
							record([]byte("BAD FRAME " + n))
							return
						}
						b := make([]byte, size)
						if _, err := io.ReadFull(br, b); err != nil {
							record([]byte("SHORT FRAME"))
							return
						}
						record(b)
					}
				}()
			}
		}()
		ts.Setenv(args[1], "tcp://"+ln.Addr().String())
	}
}

// syslogged is the testscript command 'syslogged N FILE': wait until the
// collector wrote N messages to FILE, and no more.
func syslogged(ts *testscript.TestScript, neg bool, args []string) {
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	deadline := time.Now().Add(promptLimit)
	for {
		b, _ := os.ReadFile(ts.MkAbs(args[1]))
		got := strings.Count(string(b), "\n")
		if got == want {
			time.Sleep(50 * time.Millisecond) // one more would come now
			b, _ = os.ReadFile(ts.MkAbs(args[1]))
			if got = strings.Count(string(b), "\n"); got == want {
				return
			}
		}
		if got > want || time.Now().After(deadline) {
			ts.Fatalf("%s: %d messages, want %d", args[1], got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
