package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/fleettest"
	"github.com/sverka/sverka/internal/pgtest"
)

// now is the dashboard's clock in these tests.
var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// A report refuses control characters in a host id, not in a hostname.
const (
	evil   = "<script>alert(1)</script>\x1b[31mevil"
	evilID = "<script>alert(2)</script>evil"
)

// planted is a store of real reports: hosts holding, broken, not
// checkable, overdue, one whose certificate ends in 30 days, and one
// whose name and group are hostile.
type planted struct {
	db      string
	st      *fleet.Store
	reports map[string][]byte // the latest report of each host, as ingested
}

func plant(t *testing.T) *planted {
	t.Helper()
	return plantIn(t, filepath.Join(t.TempDir(), "fleet.db"))
}

// plantIn plants the fleet in the store db names: a SQLite file or a
// PostgreSQL URL.
func plantIn(t *testing.T, db string) *planted {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := fleet.Open(ctx, db, fleet.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	near := fleettest.Formular(t, dir, "2.0", "2026-12-31", "2027-06-30")
	day := 24 * time.Hour
	p := &planted{db: db, reports: map[string][]byte{}}
	for _, h := range []fleettest.Host{
		{ID: "db-1", Name: "db-1", Groups: []string{"dc-msk"}, At: now.Add(-5 * day)},
		{ID: "db-1", Name: "db-1", Groups: []string{"dc-msk"}, At: now.Add(-1 * day)},
		{ID: "db-2", Name: "db-2", Groups: []string{"dc-spb"}, At: now.Add(-2 * day), Formular: near},
		{ID: "web-1", Name: "web-1", Groups: []string{"dc-msk", "web"}, At: now.Add(-4 * day)},
		{ID: "web-1", Name: "web-1", Groups: []string{"dc-msk", "web"}, At: now.Add(-3 * day), Broken: true},
		{ID: "web-1", Name: "web-1", Groups: []string{"dc-msk", "web"}, At: now.Add(-1 * day), Broken: true},
		{ID: "app-1", Name: "app-1", Groups: []string{"dc-spb"}, At: now.Add(-1 * day), Cannot: true},
		{ID: "old-1", Name: "old-1", Groups: []string{"dc-msk"}, At: now.Add(-20 * day)},
		{ID: evilID, Name: evil, Groups: []string{`=HYPERLINK("http://x.example/")`}, At: now.Add(-1 * day)},
	} {
		data := fleettest.Report(t, h)
		if _, err := st.Ingest(ctx, h.ID+".json", data); err != nil {
			t.Fatalf("ingest %s: %v", h.ID, err)
		}
		p.reports[h.ID] = data
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// The dashboard opens the store as fleet serve does.
	if p.st, err = fleet.Open(ctx, db, fleet.Options{ReadOnly: true}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.st.Close() })
	return p
}

func (p *planted) server(t *testing.T, log io.Writer) *Server {
	t.Helper()
	s, err := New(p.st, Config{Period: 7 * 24 * time.Hour, WarnBefore: 90 * 24 * time.Hour, Lang: "ru",
		Now: func() time.Time { return now }, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type response struct {
	code   int
	header http.Header
	body   string
}

func get(t *testing.T, h http.Handler, target string, header ...string) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return response{w.Code, w.Result().Header, w.Body.String()}
}

// count reads the number of a card of the fleet page.
func count(t *testing.T, body, class string) string {
	t.Helper()
	m := regexp.MustCompile(`id="n-` + class + `">(\d+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the fleet page has no count %s", class)
	}
	return m[1]
}

func TestFleetPage(t *testing.T) {
	s := plant(t).server(t, nil)
	r := get(t, s, "/")
	if r.code != 200 {
		t.Fatalf("GET /: %d\n%s", r.code, r.body)
	}
	for class, want := range map[string]string{"holds": "3", "nothold": "1", "cannot": "1", "overdue": "1", "cert": "1"} {
		if got := count(t, r.body, class); got != want {
			t.Errorf("%s: %s hosts, want %s", class, got, want)
		}
	}
	for _, want := range []string{"Состояние парка", "Узлов в хранилище: 6", "db-2", "осталось 30 дн.", "действителен до", "31 декабря 2026"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the fleet page lacks %q", want)
		}
	}
	if n := strings.Count(r.body, "<g><title>"); n != 30 {
		t.Errorf("the trend has %d days, want 30", n)
	}
	// The last day of the trend counts the fleet as the cards do.
	if !strings.Contains(r.body, "1 декабря 2026: выполнено 3, не выполнено 1, проверка не проведена 1, просрочено 1") {
		t.Errorf("the trend's last day does not count the fleet as it is now")
	}
	if !strings.Contains(r.body, `href="/hosts?state=nothold"`) {
		t.Errorf("the NOT HOLD count does not link to those hosts")
	}
}

func TestHostsPage(t *testing.T) {
	s := plant(t).server(t, nil)
	for _, c := range []struct {
		query string
		want  []string
		not   []string
	}{
		{"", []string{"db-1", "db-2", "web-1", "app-1", "old-1"}, nil},
		{"?state=nothold", []string{"web-1", "между 27 ноября 2026 12:00 &#43;00:00 и 28 ноября 2026 12:00 &#43;00:00"}, []string{">db-1<", ">app-1<"}},
		{"?state=overdue", []string{"old-1", "ПРОСРОЧЕНО"}, []string{">db-1<", ">web-1<"}},
		{"?group=dc-spb", []string{"db-2", "app-1"}, []string{">db-1<", ">web-1<", ">old-1<"}},
		{"?group=dc-spb&state=cannot&lang=en", []string{"app-1", "CANNOT CHECK", `name="lang" value="en"`}, []string{">db-2<"}},
		{"?group=web&group=dc-spb", []string{"db-2", "app-1", "web-1"}, []string{">db-1<", ">old-1<"}},
		{"?product=" + url.QueryEscape("nothing such"), []string{"Нет подходящих узлов."}, []string{">db-1<"}},
	} {
		r := get(t, s, "/hosts"+c.query)
		if r.code != 200 {
			t.Errorf("%s: %d\n%s", c.query, r.code, r.body)
			continue
		}
		table := r.body
		if i := strings.Index(table, "<table"); i >= 0 {
			table = table[i:]
		}
		for _, w := range c.want {
			if !strings.Contains(r.body, w) {
				t.Errorf("/hosts%s lacks %q", c.query, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(table, n) {
				t.Errorf("/hosts%s lists %q", c.query, n)
			}
		}
	}
	for _, q := range []string{"?state=broken", "?formular=xyz", "?host=db-1", "?lang=de", "?state=holds&state=cannot"} {
		r := get(t, s, "/hosts"+q)
		if r.code != 400 || !strings.Contains(r.body, "Неверный запрос") {
			t.Errorf("/hosts%s: %d, want 400 with a message\n%s", q, r.code, r.body)
		}
	}
}

func TestHostPage(t *testing.T) {
	p := plant(t)
	s := p.server(t, nil)
	r := get(t, s, "/hosts/web-1")
	if r.code != 200 {
		t.Fatalf("%d\n%s", r.code, r.body)
	}
	if n := len(regexp.MustCompile(`href="/checks/\d+"`).FindAllString(r.body, -1)); n != 3 {
		t.Errorf("the timeline links %d protocols, want 3", n)
	}
	for _, want := range []string{"НЕ ВЫПОЛНЕНО", "ВЫПОЛНЕНО", "30 ноября 2026 12:00 &#43;00:00", "Нарушено с"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the host page lacks %q", want)
		}
	}
	// The newest check: its protocol and its JSON, as ingested.
	m := regexp.MustCompile(`href="/checks/(\d+)"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no protocol link")
	}
	proto := get(t, s, "/checks/"+m[1])
	if proto.code != 200 || !strings.Contains(proto.body, "Протокол контроля целостности") || !strings.Contains(proto.body, "bin/agent") {
		t.Errorf("the protocol: %d\n%.500s", proto.code, proto.body)
	}
	csp := proto.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "'sha256-") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("the protocol's policy %q", csp)
	}
	js := get(t, s, "/checks/"+m[1]+"/report.json")
	if js.code != 200 || js.body != string(p.reports["web-1"]) {
		t.Errorf("the JSON download is not the report as ingested (%d, %d bytes, want %d)", js.code, len(js.body), len(p.reports["web-1"]))
	}
	if cd := js.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if get(t, s, "/hosts/web-1?lang=en").body == r.body {
		t.Error("?lang=en changes nothing")
	}
}

func TestFindingsPage(t *testing.T) {
	s := plant(t).server(t, nil)
	r := get(t, s, "/findings?lang=en")
	if r.code != 200 {
		t.Fatalf("%d\n%s", r.code, r.body)
	}
	for _, want := range []string{"The fleet&#39;s most common findings", "bin/agent", "MODIFIED", `href="/hosts/web-1?lang=en"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the findings page lacks %q", want)
		}
	}
	if r := get(t, s, "/findings?group=dc-spb"); strings.Contains(r.body, "bin/agent") {
		t.Error("the findings of dc-spb list web-1's")
	}
}

func TestCSVExport(t *testing.T) {
	s := plant(t).server(t, nil)
	r := get(t, s, "/hosts.csv")
	if r.code != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("%d %s", r.code, r.header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 {
		t.Fatalf("%d rows, want a header and 6 hosts", len(rows))
	}
	states := map[string]string{}
	for _, row := range rows[1:] {
		states[row[0]] = row[3]
		if strings.HasPrefix(row[2], "=") {
			t.Errorf("a group reaches the CSV as a formula: %q", row[2])
		}
	}
	if states["web-1"] != fleet.NotHold || states["old-1"] != fleet.Overdue || states["app-1"] != fleet.CannotCheck {
		t.Errorf("states %v", states)
	}
	if r := get(t, s, "/hosts.csv?state=nothold"); strings.Count(r.body, "\n") != 2 {
		t.Errorf("the filtered CSV:\n%s", r.body)
	}
	f := get(t, s, "/findings.csv")
	if !strings.Contains(f.body, "bin/agent,MODIFIED") {
		t.Errorf("findings.csv:\n%s", f.body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := plant(t).server(t, nil)
	for _, path := range []string{"/", "/hosts", "/hosts/db-1", "/findings", "/hosts.csv", "/static/style.css", "/nope", "/hosts?state=x"} {
		r := get(t, s, path)
		for k, want := range map[string]string{
			"Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff",
			"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
		} {
			if !strings.Contains(r.header.Get(k), want) {
				t.Errorf("%s: %s is %q", path, k, r.header.Get(k))
			}
		}
		if strings.HasSuffix(path, ".csv") {
			continue // data, not a page
		}
		if strings.Contains(r.body, "<script") || externalRef.MatchString(r.body) {
			t.Errorf("%s: a script or a reference to another origin", path)
		}
	}
}

// externalRef is an attribute that makes a browser fetch or go elsewhere.
var externalRef = regexp.MustCompile(`(?i)\s(src|href|action|srcset|xlink:href)\s*=\s*"?\s*(https?:|//|data:|javascript:)`)

func TestNotFound(t *testing.T) {
	s := plant(t).server(t, nil)
	for _, path := range []string{"/nope", "/hosts/unknown", "/checks/999999", "/checks/abc", "/checks/-1/report.json", "/static/nope.css"} {
		if r := get(t, s, path); r.code != 404 {
			t.Errorf("%s: %d, want 404", path, r.code)
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/hosts", strings.NewReader("x=1")))
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /hosts: %d, want 405", w.Code)
	}
}

func TestLanguage(t *testing.T) {
	s := plant(t).server(t, nil)
	if r := get(t, s, "/", "Accept-Language", "en-GB,en;q=0.9"); !strings.Contains(r.body, "The fleet now") {
		t.Error("Accept-Language: en does not give English")
	}
	if r := get(t, s, "/?lang=ru", "Accept-Language", "en"); !strings.Contains(r.body, "Состояние парка") {
		t.Error("?lang=ru does not win over Accept-Language")
	}
	if r := get(t, s, "/"); !strings.Contains(r.body, `lang="ru"`) {
		t.Error("the default language (--lang ru) is not used")
	}
	if r := get(t, s, "/?lang=de"); r.code != 400 {
		t.Errorf("?lang=de: %d", r.code)
	}
}

func TestHostileNames(t *testing.T) {
	s := plant(t).server(t, nil)
	m := regexp.MustCompile(`href="(/hosts/[^"]*evil)"`).FindStringSubmatch(get(t, s, "/hosts").body)
	if m == nil {
		t.Fatal("the host list does not link the hostile host")
	}
	for _, path := range []string{"/", "/hosts", html.UnescapeString(m[1]), "/findings"} {
		r := get(t, s, path)
		if r.code != 200 {
			t.Errorf("%s: %d", path, r.code)
		}
		if strings.Contains(r.body, "<script>") || strings.Contains(r.body, "\x1b") {
			t.Errorf("%s: a host's name reaches the page raw", path)
		}
	}
	r := get(t, s, "/hosts")
	if !strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile host is not listed, escaped")
	}
}

func TestStoreErrorHidden(t *testing.T) {
	p := plant(t)
	var log bytes.Buffer
	s := p.server(t, &log)
	p.st.Close()
	r := get(t, s, "/hosts")
	if r.code != 500 || !strings.Contains(r.body, "Не удалось прочитать хранилище") {
		t.Fatalf("%d\n%s", r.code, r.body)
	}
	if log.Len() == 0 {
		t.Error("the cause is not logged")
	}
	if strings.Contains(r.body, p.db) || strings.Contains(r.body, strings.TrimSpace(log.String())) {
		t.Error("the page says more than that the store could not be read")
	}
}

// Serving pages changes nothing in the store.
func TestReadOnly(t *testing.T) {
	p := plant(t)
	before := fileSum(t, p.db)
	s := p.server(t, nil)
	for _, path := range []string{"/", "/hosts", "/hosts/web-1", "/findings", "/hosts.csv", "/findings.csv"} {
		get(t, s, path)
	}
	if fileSum(t, p.db) != before {
		t.Error("the store changed while its pages were served")
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestServeShutdown(t *testing.T) {
	p := plant(t)
	s := p.server(t, nil)
	ln, err := netListen(t)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, s) }()
	res, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("GET /: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve does not return when its context is cancelled")
	}
}

// A report changed in the store behind sverka's back is neither shown
// nor handed out.
func TestEvidenceTampered(t *testing.T) {
	p := plant(t)
	s := p.server(t, nil)
	m := regexp.MustCompile(`href="/checks/(\d+)"`).FindStringSubmatch(get(t, s, "/hosts/web-1").body)
	if m == nil {
		t.Fatal("no protocol link")
	}
	db, err := sql.Open("sqlite", p.db)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	forged := strings.Replace(string(p.reports["web-1"]), `"NOT HOLD"`, `"HOLDS"   `, 1)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(forged))
	zw.Close()
	if _, err := db.Exec("UPDATE evidence SET gzip = ? WHERE id = (SELECT evidence_id FROM checks WHERE id = ?)", gz.Bytes(), m[1]); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/checks/" + m[1], "/checks/" + m[1] + "/report.json"} {
		r := get(t, s, path)
		if r.code != 500 || strings.Contains(r.body, "HOLDS") {
			t.Errorf("%s: %d, want 500 without the forged report\n%.300s", path, r.code, r.body)
		}
	}
}

func TestDiffPage(t *testing.T) {
	s := plant(t).server(t, nil)
	host := get(t, s, "/hosts/web-1")
	ids := regexp.MustCompile(`href="/checks/(\d+)"`).FindAllStringSubmatch(host.body, -1)
	if len(ids) != 3 || !strings.Contains(host.body, `action="/hosts/web-1/diff"`) {
		t.Fatalf("the host page offers no comparison of its %d checks", len(ids))
	}
	newest, oldest := ids[0][1], ids[2][1]
	r := get(t, s, "/hosts/web-1/diff?a="+oldest+"&b="+newest)
	if r.code != 200 {
		t.Fatalf("%d\n%s", r.code, r.body)
	}
	for _, want := range []string{"Что изменилось на узле web-1", "ВЫПОЛНЕНО → НЕ ВЫПОЛНЕНО", "bin/agent", "check-" + oldest + ".json"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the diff lacks %q", want)
		}
	}
	// The same check twice: nothing changed.
	if r := get(t, s, "/hosts/web-1/diff?a="+newest+"&b="+newest); r.code != 200 || strings.Contains(r.body, "→") {
		t.Errorf("a check compared with itself: %d\n%s", r.code, r.body)
	}
	other := regexp.MustCompile(`href="/checks/(\d+)"`).FindStringSubmatch(get(t, s, "/hosts/db-2").body)[1]
	for q, code := range map[string]int{
		"?a=" + other + "&b=" + newest: 404, // a check of another host
		"?a=abc&b=" + newest:           400,
		"?b=" + newest:                 400,
		"?a=1&b=2&c=3":                 400,
		"?a=999999&b=" + newest:        404,
	} {
		if r := get(t, s, "/hosts/web-1/diff"+q); r.code != code {
			t.Errorf("diff%s: %d, want %d", q, r.code, code)
		}
	}
}

// pg is the package's throwaway PostgreSQL server, started by the first
// test that needs it.
var pg pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// The dashboard answers the same from a PostgreSQL store.
func TestPostgres(t *testing.T) {
	dsn, err := pg.Get(t).NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := plantIn(t, dsn).server(t, nil)
	r := get(t, s, "/")
	for class, want := range map[string]string{"holds": "3", "nothold": "1", "cannot": "1", "overdue": "1", "cert": "1"} {
		if got := count(t, r.body, class); got != want {
			t.Errorf("%s: %s hosts, want %s", class, got, want)
		}
	}
	if r := get(t, s, "/hosts?group=dc-spb"); !strings.Contains(r.body, ">db-2<") || strings.Contains(r.body, ">web-1<") {
		t.Errorf("the host list of dc-spb:\n%s", r.body)
	}
	m := regexp.MustCompile(`href="/checks/(\d+)"`).FindStringSubmatch(get(t, s, "/hosts/web-1").body)
	if m == nil {
		t.Fatal("no protocol link")
	}
	if r := get(t, s, "/checks/"+m[1]); r.code != 200 || !strings.Contains(r.body, "bin/agent") {
		t.Errorf("the protocol from PostgreSQL: %d", r.code)
	}
	if r := get(t, s, "/findings.csv"); !strings.Contains(r.body, "bin/agent,MODIFIED") {
		t.Errorf("findings.csv from PostgreSQL:\n%s", r.body)
	}
}
