package report

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sverka/sverka/verify"
)

// The languages of every human-readable rendering.
const (
	LangEn = "en"
	LangRu = "ru"
)

// LangFromEnv picks the language the way POSIX locales do: the first of
// LC_ALL, LC_MESSAGES and LANG that is set decides; a Russian locale gives
// "ru", anything else "en".
func LangFromEnv() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			return normLang(s)
		}
	}
	return LangEn
}

// normLang maps a --lang value or a locale name to LangRu or LangEn.
func normLang(s string) string {
	if strings.HasPrefix(strings.ToLower(s), "ru") {
		return LangRu
	}
	return LangEn
}

// lang selects one column of the catalogue.
type lang int

const (
	en lang = iota
	ru
)

func langOf(s string) lang {
	if normLang(s) == LangRu {
		return ru
	}
	return en
}

func (l lang) code() string {
	if l == ru {
		return LangRu
	}
	return LangEn
}

// catalogue holds every string a rendering shows, English then Russian.
// Formats take the same arguments in the same order in both languages.
var catalogue = map[string][2]string{
	"title":           {"Integrity check report", "Протокол контроля целостности"},
	"product":         {"Product", "Продукт"},
	"version":         {"Version", "Версия"},
	"formular":        {"Formular", "Формуляр"},
	"formular-id":     {"Formular id", "Обозначение формуляра"},
	"formular-sha256": {"Formular SHA-256", "SHA-256 формуляра"},
	"certificate":     {"Certificate", "Сертификат"},
	"issuer":          {"Issued by", "Выдан"},
	"class":           {"Protection class", "Класс защиты"},
	"valid-until":     {"Valid until", "Действителен до"},
	"support-until":   {"Support until", "Поддержка до"},
	"class-short":     {"class %s", "класс %s"},
	"valid-short":     {"valid until %s", "действителен до %s"},
	"support-short":   {"support until %s", "поддержка до %s"},
	"header-other":    {"Other formular fields", "Прочие поля формуляра"},

	"holds":    {"the certified configuration holds", "сертифицированная конфигурация сохраняется"},
	"notholds": {"the certified configuration does not hold", "сертифицированная конфигурация нарушена"},
	"verdict":  {"Verdict", "Заключение"},
	"reasons":  {"Reasons", "Причины"},
	"warnings": {"Warnings", "Предупреждения"},

	"characteristics": {"Evaluation characteristics", "Характеристики проверки"},
	"g-product":       {"Product and certificate", "Продукт и сертификат"},
	"g-run":           {"The check", "Проверка"},
	"g-sources":       {"What was checked", "Объекты проверки"},
	"host":            {"Host", "Компьютер"},
	"os":              {"Operating system", "Операционная система"},
	"user":            {"User", "Пользователь"},
	"started":         {"Started", "Начало"},
	"finished":        {"Finished", "Окончание"},
	"duration":        {"Duration", "Длительность"},
	"seconds":         {"%s s", "%s с"},
	"check-date":      {"Check date", "Дата проверки"},
	"checked":         {"Checked", "Проверено"},
	"checked-on":      {"%s on %s, check date %s", "%s на %s, дата проверки %s"},
	"tool":            {"Tool", "Средство проверки"},
	"tool-sha256":     {"Tool SHA-256", "SHA-256 средства проверки"},
	"command":         {"Command line", "Командная строка"},
	"signature":       {"Signature", "Подпись"},
	"signed-by":       {"key %s, %s", "ключ %s, %s"},
	"sig-verified":    {"verified", "проверена"},
	"sig-bad":         {"NOT verified", "НЕ проверена"},
	"sig-none":        {"none", "отсутствует"},
	"trusted-comment": {"Trusted comment", "Доверенный комментарий"},
	"report-key":      {"Report signed by key", "Протокол подписан ключом"},
	"media":           {"Media", "Носитель"},
	"media-size":      {"Media size", "Размер носителя"},
	"media-digest":    {"Media %s", "%s носителя"},
	"implanted":       {"Implanted MD5", "Встроенная сумма MD5"},
	"implanted-ok":    {"present, matches", "есть, совпадает"},
	"implanted-bad":   {"present, does NOT match", "есть, НЕ совпадает"},
	"implanted-none":  {"absent", "отсутствует"},
	"installed":       {"Installed product root", "Корень установленного продукта"},
	"running-host":    {"this host", "этот компьютер"},
	"var":             {"Variable %s", "Переменная %s"},
	"settings":        {"Settings", "Источник настроек"},

	"directory":       {"directory", "каталог"},
	"image":           {"image", "образ"},
	"device":          {"device", "устройство"},
	"kind-image":      {"image", "образ"},
	"kind-media":      {"media", "дистрибутив"},
	"kind-modules":    {"modules", "модули"},
	"kind-parameters": {"parameters", "параметры"},
	"table-line":      {"line %d", "строка %d"},
	"closed":          {"closed", "закрытая"},
	"weak":            {"weak algorithm: %s", "слабый алгоритм: %s"},

	"counts":       {"Counts per table", "Итоги по таблицам"},
	"table":        {"Table", "Таблица"},
	"total":        {"Total", "Всего"},
	"total-n":      {"total %d", "всего %d"},
	"findings":     {"Findings", "Выявленные расхождения"},
	"no-findings":  {"No findings.", "Расхождений не выявлено."},
	"items":        {"Items", "Перечень объектов контроля"},
	"no":           {"No.", "№"},
	"name":         {"Name", "Имя"},
	"key":          {"Parameter", "Параметр"},
	"size":         {"Size", "Размер"},
	"mode":         {"Mode", "Права"},
	"status":       {"Status", "Статус"},
	"allowed":      {"Allowed", "Допустимое значение"},
	"actual":       {"Actual", "Фактическое значение"},
	"note":         {"Note", "Примечание"},
	"details":      {"Details", "Подробности"},
	"dir-total":    {"In directory: %d, size %s", "В каталоге: %d, объём %s"},
	"grand-total":  {"Total: %d, size %s", "Итого: %d, объём %s"},
	"params-total": {"Total: %d", "Итого: %d"},
	"root-dir":     {"(top level)", "(корневой каталог)"},
	"exp":          {"exp.", "ожид."},
	"act":          {"act.", "факт."},
	"signoff":      {"Checked by", "Проверку провёл"},
	"signoff-name": {"name, position", "Ф. И. О., должность"},
	"signoff-sign": {"signature", "подпись"},
	"signoff-date": {"date", "дата"},
	"page":         {"Page %s of %s", "Стр. %s из %s"},
	"footer":       {"%s · %s", "%s · %s"},

	"d-differs":  {"differs: %s", "отличается: %s"},
	"d-size":     {"size %s → %s", "размер %s → %s"},
	"d-mode":     {"mode %s → %s", "права %s → %s"},
	"d-found-as": {"found as %s", "найден под именем %s"},
	"d-allowed":  {"allowed %s", "допустимо %s"},
	"d-actual":   {"actual %s", "фактически %s"},
	"d-unset":    {"not set", "не задан"},
	"d-note":     {"note: %s", "примечание: %s"},
	"d-hint":     {"hint: %s", "подсказка: %s"},
	"d-warning":  {"warning only", "только предупреждение"},
	"d-extra":    {"not in the formular", "нет в формуляре"},

	"st-OK":         {"OK", "совпадает"},
	"st-MODIFIED":   {"MODIFIED", "изменён"},
	"st-MISSING":    {"MISSING", "отсутствует"},
	"st-RENAMED":    {"RENAMED", "переименован"},
	"st-EXTRA":      {"EXTRA", "лишний"},
	"st-UNREADABLE": {"UNREADABLE", "не читается"},
	"st-VIOLATED":   {"VIOLATED", "нарушен"},
	"st-UNSET":      {"UNSET", "не задан"},

	"progress-items": {"%d/%d files", "файлов %d/%d"},
}

// t returns the message id in language l; an id missing from the catalogue
// shows as itself so that a slip is visible rather than blank.
func (l lang) t(id string) string {
	if m, ok := catalogue[id]; ok && m[l] != "" {
		return m[l]
	}
	return id
}

func (l lang) f(id string, args ...any) string {
	return fmt.Sprintf(l.t(id), args...)
}

// status returns a status's label: the status itself in English, a word in
// Russian.
func (l lang) status(s verify.Status) string {
	if _, ok := catalogue["st-"+string(s)]; ok {
		return l.t("st-" + string(s))
	}
	return string(s)
}

// kind returns a table kind's name.
func (l lang) kind(k string) string {
	if _, ok := catalogue["kind-"+k]; ok {
		return l.t("kind-" + k)
	}
	return k
}

var monthsEn = [...]string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// date formats a calendar date the way the language writes it:
// 23.11.2026 in Russian, 23 November 2026 in English.
func (l lang) date(t time.Time) string {
	if l == ru {
		return t.Format("02.01.2006")
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsEn[t.Month()-1], t.Year())
}

// dateText formats a YYYY-MM-DD string from the formular as a date, and
// leaves anything else as it is.
func (l lang) dateText(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return l.date(t)
}

// timestamp formats an instant with its zone offset.
func (l lang) timestamp(t time.Time) string {
	return l.date(t) + " " + t.Format("15:04:05 -07:00")
}

// bytesText writes a size in bytes with thin groups, as auditors read it:
// 1 234 567.
func bytesText(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(c)
	}
	return b.String()
}
