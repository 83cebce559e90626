package formular

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Operators of a parameter constraint.
const (
	OpEq      = "="
	OpNe      = "!="
	OpIn      = "in"
	OpNotIn   = "not in"
	OpRange   = "range"
	OpMatches = "matches"
	OpPresent = "present"
	OpAbsent  = "absent"
)

// Param is one row of a parameters table: a key of the settings source and
// the constraint its value must meet.
type Param struct {
	Line int
	// Key addresses the value in its source: INI "Section.Key", a JSON
	// pointer "/a/b", an XML path "/a/b/@attr", "HKLM\Path\Value".
	Key string
	Op  string
	// Values holds the operand of = and != (one value) and the set of
	// in and not in.
	Values []string
	// Lo and Hi are the bounds of range, as written.
	Lo, Hi string
	// Pattern is the regular expression of matches (Go RE2 syntax),
	// matched against the whole value.
	Pattern string
	// Note is the manual's section or the reason, shown with the finding.
	Note string
}

// Constraint returns the constraint as the formular writes it, without the
// key and the note: "= no", "in {A, B}", "range 1..16", "matches /x+/".
func (p Param) Constraint() string {
	switch p.Op {
	case OpEq, OpNe:
		v := ""
		if len(p.Values) > 0 {
			v = p.Values[0]
		}
		return p.Op + " " + quoteValue(v)
	case OpIn, OpNotIn:
		q := make([]string, len(p.Values))
		for i, v := range p.Values {
			q[i] = quoteValue(v)
		}
		return p.Op + " {" + strings.Join(q, ", ") + "}"
	case OpRange:
		return OpRange + " " + p.Lo + ".." + p.Hi
	case OpMatches:
		return OpMatches + " /" + p.Pattern + "/"
	}
	return p.Op
}

// ParseConstraint reads a constraint as Constraint writes it ("= no",
// "in {A, B}", "range 1..16"): a report keeps it so, and a rendering says
// it in its own language. A note is refused: a constraint has none.
func ParseConstraint(s string) (Param, error) {
	p, err := parseParam("k " + s)
	if err != nil {
		return Param{}, fmt.Errorf("constraint %q: %w", s, err)
	}
	if p.Note != "" {
		return Param{}, fmt.Errorf("constraint %q: a note is not part of a constraint", s)
	}
	p.Key = ""
	return p, nil
}

// Check evaluates the constraint against the value observed in the source
// (present false when the key is not there). ok is true when the value
// meets the constraint; allowed describes what is allowed, for the report.
// err is set when a range cannot interpret the actual value (a value that
// is no number, size or duration): the caller reports it as violated. Every
// operator but absent requires the key to be present.
func (p Param) Check(actual string, present bool) (ok bool, allowed string, err error) {
	allowed = p.Constraint()
	switch p.Op {
	case OpPresent:
		return present, allowed, nil
	case OpAbsent:
		return !present, allowed, nil
	}
	if !present {
		return false, allowed, nil
	}
	switch p.Op {
	case OpEq, OpNe:
		if len(p.Values) != 1 {
			return false, allowed, checkErr(CheckNeedsOneValue, fmt.Sprintf("%s needs one value", p.Op), "op", p.Op)
		}
		return (actual == p.Values[0]) == (p.Op == OpEq), allowed, nil
	case OpIn:
		return slices.Contains(p.Values, actual), allowed, nil
	case OpNotIn:
		return !slices.Contains(p.Values, actual), allowed, nil
	case OpMatches:
		re, err := compilePattern(p.Pattern)
		if err != nil {
			return false, allowed, checkErr(CheckBadPattern, err.Error(), "pattern", p.Pattern)
		}
		return re.MatchString(actual), allowed, nil
	case OpRange:
		kind, lo, hi, err := parseRange(p.Lo, p.Hi)
		if err != nil {
			return false, allowed, checkErr(CheckBadRange, err.Error(), "lo", p.Lo, "hi", p.Hi)
		}
		v, err := kind.actual(strings.TrimSpace(actual))
		if err != nil {
			code := CheckNotInteger
			var ce *CheckError
			if errors.As(err, &ce) {
				code = ce.Code
			}
			return false, allowed, checkErr(code, fmt.Sprintf("value %q: %v", actual, err), "value", actual)
		}
		return lo <= v && v <= hi, allowed, nil
	}
	return false, allowed, checkErr(CheckUnknownOperator, fmt.Sprintf("unknown operator %q", p.Op), "op", p.Op)
}

// CheckError is why Check could not judge a value: Code (one of the Check
// constants) and Args let a report say it in its reader's language; Error
// is the English sentence.
type CheckError struct {
	Code string
	Args map[string]string
	Msg  string
}

func (e *CheckError) Error() string { return e.Msg }

// Codes of a CheckError, and the Args each one carries.
const (
	CheckNeedsOneValue   = "needs-one-value"  // op
	CheckUnknownOperator = "unknown-operator" // op
	CheckBadPattern      = "bad-pattern"      // pattern
	CheckBadRange        = "bad-range"        // lo, hi
	// The observed value is not of the range's kind (value).
	CheckNotInteger      = "not-an-integer"
	CheckNotSize         = "not-a-size"
	CheckSizeTooLarge    = "size-too-large"
	CheckNotDuration     = "not-a-duration"
	CheckDurationNoUnit  = "duration-without-unit"
	CheckDurationTooLong = "duration-too-long"
)

// CheckCodes returns every code a CheckError may carry.
func CheckCodes() []string {
	return []string{CheckNeedsOneValue, CheckUnknownOperator, CheckBadPattern, CheckBadRange,
		CheckNotInteger, CheckNotSize, CheckSizeTooLarge, CheckNotDuration, CheckDurationNoUnit, CheckDurationTooLong}
}

func checkErr(code, msg string, kv ...string) *CheckError {
	e := &CheckError{Code: code, Msg: msg, Args: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Args[kv[i]] = kv[i+1]
	}
	return e
}

func compilePattern(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(`^(?:` + p + `)$`)
	if err != nil {
		return nil, fmt.Errorf("bad regular expression /%s/: %v", p, err)
	}
	return re, nil
}

// rangeKind is what the bounds of a range measure.
type rangeKind int

const (
	kindInt rangeKind = iota
	kindSize
	kindDuration
)

var sizeUnits = map[byte]int64{'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40}

var durationUnits = []struct {
	suffix string
	unit   time.Duration
}{
	// ms before m and s: the longest suffix wins.
	{"ms", time.Millisecond}, {"s", time.Second}, {"m", time.Minute}, {"h", time.Hour}, {"d", 24 * time.Hour},
}

// parseBound reads one bound as written in a formular: an integer, a size
// with an upper-case binary unit (64M) or a duration with one unit (30s).
func parseBound(s string) (rangeKind, int64, error) {
	if s == "" {
		return 0, 0, errors.New("empty bound")
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && (s[0] == '-' || isDecimal(s)) {
		return kindInt, n, nil
	}
	if u, ok := sizeUnits[s[len(s)-1]]; ok && isDecimal(s[:len(s)-1]) {
		n, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
		if err != nil || n > math.MaxInt64/u {
			return 0, 0, fmt.Errorf("size %q is too large", s)
		}
		return kindSize, n * u, nil
	}
	for _, du := range durationUnits {
		if num, ok := strings.CutSuffix(s, du.suffix); ok && isDecimal(num) {
			n, err := strconv.ParseInt(num, 10, 64)
			if err != nil || n > math.MaxInt64/int64(du.unit) {
				return 0, 0, fmt.Errorf("duration %q is too long", s)
			}
			return kindDuration, n * int64(du.unit), nil
		}
	}
	return 0, 0, fmt.Errorf("bound %q is not an integer, a size (64M) or a duration (30s)", s)
}

func parseRange(lo, hi string) (rangeKind, int64, int64, error) {
	kl, l, err := parseBound(lo)
	if err != nil {
		return 0, 0, 0, err
	}
	kh, h, err := parseBound(hi)
	if err != nil {
		return 0, 0, 0, err
	}
	kind := kl
	switch {
	case kl == kh:
	case kl == kindInt && kh == kindSize && l >= 0:
		kind = kindSize // a bare number beside a size counts bytes
	case kl == kindSize && kh == kindInt && h >= 0:
	default:
		return 0, 0, 0, fmt.Errorf("range %s..%s mixes kinds of bounds", lo, hi)
	}
	if kind != kindInt && (l < 0 || h < 0) {
		return 0, 0, 0, fmt.Errorf("range %s..%s: negative size or duration", lo, hi)
	}
	if l > h {
		return 0, 0, 0, fmt.Errorf("range %s..%s: the low bound is above the high one", lo, hi)
	}
	return kind, l, h, nil
}

// actual interprets an observed value in the range's kind. Observed values
// are read more liberally than bounds: sizes may say 64m, 64MB or 64MiB
// (always binary units), durations any Go duration ("1h30m") or days.
func (k rangeKind) actual(s string) (int64, error) {
	switch k {
	case kindInt:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, checkErr(CheckNotInteger, "not an integer")
		}
		return n, nil
	case kindSize:
		return parseActualSize(s)
	}
	return parseActualDuration(s)
}

func parseActualSize(s string) (int64, error) {
	num := strings.TrimRight(s, "BbIi")
	suffix := s[len(num):]
	switch strings.ToLower(suffix) {
	case "", "b", "ib":
	default:
		return 0, checkErr(CheckNotSize, "not a size")
	}
	u := int64(1)
	if num != "" {
		if m, ok := sizeUnits[strings.ToUpper(num[len(num)-1:])[0]]; ok {
			u, num = m, num[:len(num)-1]
		} else if suffix != "" && strings.ToLower(suffix) != "b" {
			return 0, checkErr(CheckNotSize, "not a size")
		}
	}
	num = strings.TrimSpace(num)
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || !isDecimal(num) {
		return 0, checkErr(CheckNotSize, "not a size (bytes, or a number with K, M, G or T)")
	}
	if n > math.MaxInt64/u {
		return 0, checkErr(CheckSizeTooLarge, "size too large")
	}
	return n * u, nil
}

func parseActualDuration(s string) (int64, error) {
	if num, ok := strings.CutSuffix(s, "d"); ok && isDecimal(num) {
		n, err := strconv.ParseInt(num, 10, 64)
		if err != nil || n > math.MaxInt64/int64(24*time.Hour) {
			return 0, checkErr(CheckDurationTooLong, "duration too long")
		}
		return n * int64(24*time.Hour), nil
	}
	if isDecimal(s) && s != "0" {
		return 0, checkErr(CheckDurationNoUnit, "a duration needs a unit (ms, s, m, h, d)")
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, checkErr(CheckNotDuration, "not a duration (such as 30s, 5m, 1h30m)")
	}
	return int64(d), nil
}

// hives are the registry root keys a reg or registry key starts with.
var hives = []string{
	"HKLM", "HKCU", "HKCR", "HKU", "HKCC",
	"HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT", "HKEY_USERS", "HKEY_CURRENT_CONFIG",
}

// param parses a row of a parameters table: KEY OP [OPERAND] [# note].
func (p *parser) param(line string) error {
	t := p.cur
	prm, err := parseParam(line)
	if err != nil {
		return p.wrap(err)
	}
	if err := checkParamKey(prm.Key, t.Format); err != nil {
		return p.wrap(err)
	}
	prm.Line = p.n
	key := prm.Key
	if t.Format == "reg" || t.Format == "registry" || (t.Format == "ini" && t.Windows()) {
		key = strings.ToUpper(key) // the registry and Windows INI files ignore case
	}
	if first, dup := p.seen[key]; dup {
		return p.errf("parameter %q listed twice (first on line %d)", prm.Key, first)
	}
	p.seen[key] = p.n
	t.Params = append(t.Params, prm)
	return nil
}

func checkParamKey(key, format string) error {
	switch format {
	case "json", "xml":
		if !strings.HasPrefix(key, "/") {
			return fmt.Errorf("%s key %q must start with / (a path from the document's root)", format, key)
		}
	case "reg", "registry":
		hive, _, ok := strings.Cut(key, `\`)
		if !ok || !slices.ContainsFunc(hives, func(h string) bool { return strings.EqualFold(h, hive) }) {
			return fmt.Errorf(`registry key %q must start with a hive such as HKLM\`, key)
		}
	}
	return nil
}

func parseParam(line string) (Param, error) {
	var prm Param
	s := line
	key, s, err := readToken(s)
	if err != nil {
		return prm, fmt.Errorf("parameter key: %w", err)
	}
	if err := checkText("parameter key", key); err != nil {
		return prm, err
	}
	if key == "" {
		return prm, errors.New("empty parameter key")
	}
	prm.Key = key
	s = strings.TrimLeft(s, " ")
	word, after := cutWord(s)
	switch word {
	case OpEq, OpNe:
		prm.Op = word
		v, rest, err := readToken(strings.TrimLeft(after, " "))
		if err != nil {
			return prm, fmt.Errorf("%s %s: %w", key, word, err)
		}
		prm.Values, s = []string{v}, rest
	case "in", "not":
		prm.Op = OpIn
		if word == "not" {
			w, a := cutWord(strings.TrimLeft(after, " "))
			if w != "in" {
				return prm, fmt.Errorf("%s: expected \"not in {...}\"", key)
			}
			prm.Op, after = OpNotIn, a
		}
		vals, rest, err := readSet(strings.TrimLeft(after, " "))
		if err != nil {
			return prm, fmt.Errorf("%s %s: %w", key, prm.Op, err)
		}
		prm.Values, s = vals, rest
	case OpRange:
		prm.Op = OpRange
		r, rest := cutWord(strings.TrimLeft(after, " "))
		lo, hi, ok := strings.Cut(r, "..")
		if !ok {
			return prm, fmt.Errorf("%s range: expected LO..HI, got %q", key, r)
		}
		if _, _, _, err := parseRange(lo, hi); err != nil {
			return prm, fmt.Errorf("%s: %w", key, err)
		}
		prm.Lo, prm.Hi, s = lo, hi, rest
	case OpMatches:
		prm.Op = OpMatches
		pat, rest, err := readPattern(strings.TrimLeft(after, " "))
		if err != nil {
			return prm, fmt.Errorf("%s matches: %w", key, err)
		}
		if _, err := compilePattern(pat); err != nil {
			return prm, fmt.Errorf("%s: %w", key, err)
		}
		prm.Pattern, s = pat, rest
	case OpPresent, OpAbsent:
		prm.Op, s = word, after
	case "":
		return prm, fmt.Errorf("parameter %s has no constraint (=, !=, in, not in, range, matches, present, absent)", key)
	default:
		return prm, fmt.Errorf("parameter %s: unknown constraint %q (known: =, !=, in, not in, range, matches, present, absent; quote a key with spaces)", key, word)
	}
	note, err := readNote(s)
	if err != nil {
		return prm, fmt.Errorf("%s: %w", key, err)
	}
	prm.Note = note
	return prm, nil
}

// readToken reads a bare or quoted key or value.
func readToken(s string) (tok, rest string, err error) {
	if strings.HasPrefix(s, `"`) {
		return readQuoted(s)
	}
	end := strings.IndexAny(s, valueSpecials)
	if end < 0 {
		end = len(s)
	}
	tok, rest = s[:end], s[end:]
	switch {
	case tok == "":
		return "", "", errors.New(`expected a value (write an empty value as "")`)
	case tok[0] == '#' || tok[0] == '[':
		return "", "", fmt.Errorf("quote %q: an unquoted value cannot start with %q", tok, tok[0])
	case rest != "" && rest[0] == '"':
		return "", "", fmt.Errorf("a quote inside the unquoted value %q", tok+rest)
	}
	return tok, rest, nil
}

// readSet reads {A, B, ...}.
func readSet(s string) ([]string, string, error) {
	if !strings.HasPrefix(s, "{") {
		return nil, "", errors.New("expected a set {A, B}")
	}
	s = s[1:]
	var vals []string
	for {
		s = strings.TrimLeft(s, " ")
		if strings.HasPrefix(s, "}") && len(vals) == 0 {
			return nil, "", errors.New("empty set")
		}
		v, rest, err := readToken(s)
		if err != nil {
			return nil, "", err
		}
		if slices.Contains(vals, v) {
			return nil, "", fmt.Errorf("%q twice in the set", v)
		}
		vals = append(vals, v)
		s = strings.TrimLeft(rest, " ")
		switch {
		case strings.HasPrefix(s, ","):
			s = s[1:]
		case strings.HasPrefix(s, "}"):
			return vals, s[1:], nil
		default:
			return nil, "", errors.New("expected , or } in the set (quote values with spaces, commas or braces)")
		}
	}
}

// readPattern reads /regex/: the pattern ends at the first slash that no
// backslash escapes (\/ is a literal slash in RE2 too).
func readPattern(s string) (string, string, error) {
	if !strings.HasPrefix(s, "/") {
		return "", "", errors.New("expected /regex/")
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '/':
			return s[1:i], s[i+1:], nil
		}
	}
	return "", "", errors.New("unterminated /regex/")
}

// readNote reads what follows a constraint: nothing, or "# note" after at
// least one space.
func readNote(s string) (string, error) {
	if strings.TrimLeft(s, " ") == "" {
		return "", nil
	}
	t := strings.TrimLeft(s, " ")
	if len(t) == len(s) || t[0] != '#' {
		return "", fmt.Errorf("unexpected %q after the constraint (a note starts with \" # \"; quote values with spaces)", t)
	}
	return strings.Trim(t[1:], " "), nil
}

// patternEscaped reports whether every slash of a pattern is escaped and
// it does not end in a lone backslash, so that it can be written between
// slashes and read back.
func patternEscaped(p string) bool {
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '\\':
			if i+1 == len(p) {
				return false
			}
			i++
		case '/':
			return false
		}
	}
	return true
}

// cutWord splits s at its first space; rest keeps the space.
func cutWord(s string) (word, rest string) {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i:]
	}
	return s, ""
}
