package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The languages of the dashboard.
const (
	langEn = "en"
	langRu = "ru"
)

// catalogue holds every string the pages show, English then Russian.
// Formats take the same arguments in the same order in both languages.
var catalogue = map[string][2]string{
	"app":            {"sverka: fleet", "sverka: парк"},
	"nav-fleet":      {"Fleet now", "Парк сейчас"},
	"nav-hosts":      {"Hosts", "Узлы"},
	"nav-findings":   {"Common findings", "Частые нарушения"},
	"lang-other":     {"Русский", "English"},
	"fleet-title":    {"The fleet now", "Состояние парка"},
	"fleet-sub":      {"Hosts by their latest check; overdue when it is older than %s.", "Узлы по последней проверке; просрочен, если она старше %s."},
	"hosts-total":    {"Hosts in the store: %d", "Узлов в хранилище: %d"},
	"s-HOLDS":        {"HOLDS", "ВЫПОЛНЕНО"},
	"s-NOT HOLD":     {"NOT HOLD", "НЕ ВЫПОЛНЕНО"},
	"s-CANNOT CHECK": {"CANNOT CHECK", "ПРОВЕРКА НЕ ПРОВЕДЕНА"},
	"s-OVERDUE":      {"OVERDUE", "ПРОСРОЧЕНО"},
	// The statuses of findings, as the protocol says them.
	"st-MODIFIED":    {"MODIFIED", "изменён"},
	"st-MISSING":     {"MISSING", "отсутствует"},
	"st-RENAMED":     {"RENAMED", "переименован"},
	"st-EXTRA":       {"EXTRA", "лишний"},
	"st-UNREADABLE":  {"UNREADABLE", "не читается"},
	"st-VIOLATED":    {"VIOLATED", "нарушен"},
	"st-UNSET":       {"UNSET", "не задан"},
	"cert-title":     {"Certificates ending within %s", "Сертификаты, истекающие в пределах %s"},
	"cert-none":      {"No host's certificate or support ends within %s.", "Ни у одного узла сертификат и поддержка не истекают в пределах %s."},
	"cert-what":      {"What ends", "Что истекает"},
	"cert-date":      {"Date", "Дата"},
	"cert-left-col":  {"Left", "Осталось"},
	"cert-valid":     {"valid until", "действителен до"},
	"cert-support":   {"support until", "поддержка до"},
	"cert-ended":     {"ended %d days ago", "истёк %d дн. назад"},
	"cert-left":      {"%d days left", "осталось %d дн."},
	"cert-today":     {"ends today", "истекает сегодня"},
	"trend-title":    {"The last 30 days", "Последние 30 дней"},
	"trend-note":     {"Each day counts every host once, by its latest check by the end of that day.", "За каждый день каждый узел учтён один раз, по последней проверке к концу дня."},
	"trend-day":      {"%s: holds %d, not hold %d, cannot check %d, overdue %d", "%s: выполнено %d, не выполнено %d, проверка не проведена %d, просрочено %d"},
	"hosts-title":    {"Hosts", "Узлы"},
	"f-state":        {"State", "Состояние"},
	"f-group":        {"Group", "Группа"},
	"f-product":      {"Product", "Продукт"},
	"f-formular":     {"Formular", "Формуляр"},
	"f-any":          {"any", "любой"},
	"f-apply":        {"Show", "Показать"},
	"f-reset":        {"Reset", "Сбросить"},
	"csv":            {"Download CSV", "Скачать CSV"},
	"col-host":       {"Host", "Узел"},
	"col-hostname":   {"Hostname", "Имя компьютера"},
	"col-groups":     {"Groups", "Группы"},
	"col-state":      {"State", "Состояние"},
	"col-last":       {"Latest check", "Последняя проверка"},
	"col-product":    {"Product", "Продукт"},
	"col-broken":     {"Broken since", "Нарушено с"},
	"col-findings":   {"Findings", "Нарушения"},
	"col-time":       {"Time", "Время"},
	"col-verdict":    {"Verdict", "Заключение"},
	"col-report":     {"Report", "Протокол"},
	"col-hosts":      {"Hosts", "Узлов"},
	"col-table":      {"Table", "Таблица"},
	"col-name":       {"Object", "Объект"},
	"col-status":     {"Status", "Статус"},
	"col-actual":     {"Found", "Обнаружено"},
	"col-examples":   {"For example", "Например"},
	"broken-between": {"between %s and %s", "между %s и %s"},
	"broken-by":      {"by %s (never held)", "к %s (не выполнялось ни разу)"},
	"no-hosts":       {"No host matches.", "Нет подходящих узлов."},
	"host-title":     {"Host %s", "Узел %s"},
	"timeline":       {"Timeline", "История проверок"},
	"html":           {"protocol", "протокол"},
	"json":           {"JSON", "JSON"},
	"diff-title":     {"Compare two checks", "Сравнить две проверки"},
	"diff-older":     {"Earlier", "Ранняя"},
	"diff-newer":     {"Later", "Поздняя"},
	"diff-show":      {"Compare", "Сравнить"},
	"diff-of":        {"What changed on %s", "Что изменилось на узле %s"},
	"diff-back":      {"Back to the host", "К узлу"},
	"findings-title": {"The fleet's most common findings", "Самые частые нарушения в парке"},
	"findings-note":  {"Over each host's latest check.", "По последней проверке каждого узла."},
	"findings-none":  {"No host's latest check has findings.", "Ни в одной последней проверке нарушений нет."},
	"err-title":      {"Error", "Ошибка"},
	"err-notfound":   {"Not found: %s", "Не найдено: %s"},
	"err-store":      {"The store of checks could not be read; the server's log says why.", "Не удалось прочитать хранилище проверок; причина записана в журнал сервера."},
	"err-bad":        {"Bad request: %s", "Неверный запрос: %s"},
	"footer":         {"Read-only: nothing on these pages changes the store.", "Только чтение: эти страницы ничего не меняют в хранилище."},
	"none":           {"—", "—"},
	"period-d":       {"%d days", "%d дн."},
	"period-h":       {"%d hours", "%d ч"},
}

// t returns the string key in lang.
func t(lang, key string) string {
	s, ok := catalogue[key]
	if !ok {
		return key
	}
	if lang == langRu {
		return s[1]
	}
	return s[0]
}

func tf(lang, key string, args ...any) string { return fmt.Sprintf(t(lang, key), args...) }

// duration says a period in days, or hours when it is not whole days.
func duration(lang string, d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return tf(lang, "period-d", int(d/(24*time.Hour)))
	}
	return tf(lang, "period-h", int(d/time.Hour))
}

var ruMonths = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
	"августа", "сентября", "октября", "ноября", "декабря"}

// date says a day: "5 March 2026", «5 марта 2026».
func date(lang string, tm time.Time) string {
	if tm.IsZero() {
		return t(lang, "none")
	}
	if lang == langRu {
		return strconv.Itoa(tm.Day()) + " " + ruMonths[tm.Month()-1] + " " + strconv.Itoa(tm.Year())
	}
	return tm.Format("2 January 2006")
}

// stamp says a moment to the minute, with its offset.
func stamp(lang string, tm time.Time) string {
	if tm.IsZero() {
		return t(lang, "none")
	}
	return date(lang, tm) + " " + tm.Format("15:04 -07:00")
}

// Negotiate picks the page's language: the ?lang= value when given (an
// error when it is neither ru nor en), else the first of ru and en that
// Accept-Language prefers, else def.
func Negotiate(query, acceptLanguage, def string) (string, error) {
	switch query {
	case langRu, langEn:
		return query, nil
	case "":
	default:
		return "", fmt.Errorf("lang must be ru or en, not %q", query)
	}
	if l := AcceptLanguage(acceptLanguage); l != "" {
		return l, nil
	}
	return def, nil
}

// AcceptLanguage returns "ru" or "en", whichever the header prefers
// (by q-value, then order), or "" when it names neither. A malformed part
// is skipped: the header is a preference, not a demand.
func AcceptLanguage(h string) string {
	best, bestQ := "", 0.0
	for part := range strings.SplitSeq(h, ",") {
		tag, params, _ := strings.Cut(part, ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		primary, _, _ := strings.Cut(tag, "-")
		if primary != langRu && primary != langEn {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || f < 0 || f > 1 {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}
