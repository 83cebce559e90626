package report

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
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

	// The verdicts: the tokens in English, words in Russian.
	"v-HOLDS":        {"HOLDS", "ВЫПОЛНЕНО"},
	"v-NOT HOLD":     {"NOT HOLD", "НЕ ВЫПОЛНЕНО"},
	"v-CANNOT CHECK": {"CANNOT CHECK", "ПРОВЕРКА НЕ ПРОВЕДЕНА"},

	// Constraints of parameters, said in the language; English writes
	// them as the formular does.
	"c-eq":      {"= %s", "= %s"},
	"c-ne":      {"!= %s", "≠ %s"},
	"c-in":      {"in {%s}", "одно из {%s}"},
	"c-not-in":  {"not in {%s}", "ни одно из {%s}"},
	"c-range":   {"range %s..%s", "от %s до %s"},
	"c-matches": {"matches /%s/", "по образцу /%s/"},
	"c-present": {"present", "любое значение"},
	"c-absent":  {"absent", "только отсутствие параметра"},

	// The verdict with what it covers (scope.go).
	"holds-for":            {"the certified configuration holds for %s", "сертифицированная конфигурация сохраняется в части %s"},
	"holds-only":           {"the certified configuration holds for %s only", "сертифицированная конфигурация сохраняется только в части %s"},
	"not-checked":          {"%s not checked: %s", "%s не проверены: %s"},
	"not-checked-1":        {"%s not checked: %s", "%s не проверен: %s"},
	"checked-list":         {"checked: %s", "проверено: %s"},
	"checked-none":         {"nothing checked", "ничего не проверено"},
	"predates-scope":       {"the report predates scope (sverka-report/1) and does not say which tables the verdict covers", "протокол составлен по версии sverka-report/1, в которой нет охвата проверки, и не указывает, какие таблицы проверены"},
	"cannot":               {"the check could not be made", "проверку провести не удалось"},
	"cannot-because":       {"the check could not be made: %s", "проверку провести не удалось: %s"},
	"list-and":             {" and ", " и "},
	"kind-of-image":        {"image", "образа"},
	"kind-of-media":        {"media", "дистрибутива"},
	"kind-of-modules":      {"modules", "модулей"},
	"kind-of-parameters":   {"parameters", "параметров"},
	"kind-of-boot":         {"boot", "загрузки"},
	"uncovered":            {"Not covered by the verdict", "Вне охвата заключения"},
	"not-covered":          {"not covered: %s", "не охвачено: %s"},
	"required":             {"required (--require): %s", "обязательны к проверке (--require): %s"},
	"report-signature":     {"Report signature", "Подпись протокола"},
	"report-sha256":        {"Report SHA-256", "SHA-256 протокола"},
	"evidence":             {"JSON report %s, SHA-256 %s", "Протокол JSON %s, SHA-256 %s"},
	"evidence-key":         {"signed by key %s", "подписан ключом %s"},
	"evidence-unsigned":    {"its signature NOT checked", "подпись НЕ проверена"},
	"report-sig-unchecked": {"NOT checked: no public key given (-p), so what the report says is unproven", "НЕ проверена: открытый ключ (-p) не задан, сказанное в протоколе не подтверждено"},
	"report-sig-beside":    {"%s lies beside it: render with -p KEY.pub to check it", "рядом лежит %s: чтобы проверить её, укажите -p КЛЮЧ.pub"},
	"sig-claimed":          {"%s, as the report claims (not checked by this rendering)", "%s — по утверждению протокола (при отображении не проверялась)"},
	"reasons":              {"Reasons", "Причины"},
	"warnings":             {"Warnings", "Предупреждения"},

	"characteristics":              {"Evaluation characteristics", "Характеристики проверки"},
	"g-product":                    {"Product and certificate", "Продукт и сертификат"},
	"g-run":                        {"The check", "Проверка"},
	"g-sources":                    {"What was checked", "Объекты проверки"},
	"host":                         {"Host", "Компьютер"},
	"host-id":                      {"Host id", "Идентификатор компьютера"},
	"diff-title":                   {"Changes between two checks", "Изменения между двумя проверками"},
	"diff-side":                    {"%s — host %s, checked %s, %s", "%s — компьютер %s, проверено %s, %s"},
	"diff-note":                    {"Note", "Примечание"},
	"diff-a":                       {"A", "А"}, // the first report; Cyrillic in Russian
	"diff-b":                       {"B", "Б"},
	"diff-note-different-host":     {"the reports are of different hosts: A %s, B %s", "протоколы относятся к разным компьютерам: А %s, Б %s"},
	"diff-note-different-formular": {"the reports are of different formulars: A %s, B %s", "протоколы составлены по разным формулярам: А %s, Б %s"},
	"diff-note-b-older":            {"B started before A (A %s, B %s): the changes are read from A to B as given, not in time order", "проверка Б начата раньше проверки А (А %s, Б %s): изменения показаны от А к Б в заданном порядке, а не по времени"},
	"diff-verdict":                 {"Verdict", "Заключение"},
	"diff-checked":                 {"Checked now, not before", "Теперь проверяются"},
	"diff-unchecked":               {"No longer checked", "Больше не проверяются"},
	"diff-new":                     {"New findings (%d)", "Новые расхождения (%d)"},
	"diff-resolved":                {"Resolved findings (%d)", "Устранённые расхождения (%d)"},
	"diff-statuses":                {"Status changes (%d)", "Изменения статуса (%d)"},
	"diff-digests":                 {"Changed digests (%d)", "Изменённые контрольные суммы (%d)"},
	"diff-values":                  {"Changed parameter values (%d)", "Изменённые значения параметров (%d)"},
	"diff-now-ok":                  {"OK now", "теперь совпадает"},
	"diff-unlisted":                {"no longer listed", "больше не указан"},
	"diff-no-digest":               {"none", "нет"},
	"diff-count":                   {"%d changes", "Изменений: %d"},
	"diff-count-1":                 {"1 change", "Изменений: 1"},
	"diff-none":                    {"No changes.", "Изменений нет."},
	"groups":                       {"Groups", "Группы"},
	"os":                           {"Operating system", "Операционная система"},
	"user":                         {"User", "Пользователь"},
	"started":                      {"Started", "Начало"},
	"finished":                     {"Finished", "Окончание"},
	"duration":                     {"Duration", "Длительность"},
	"seconds":                      {"%s s", "%s с"},
	"check-date":                   {"Check date", "Дата проверки"},
	"checked":                      {"Checked", "Проверено"},
	"checked-on":                   {"%s on %s, check date %s", "%s на %s, дата проверки %s"},
	"tool":                         {"Tool", "Средство проверки"},
	"tool-sha256":                  {"Tool SHA-256", "SHA-256 средства проверки"},
	"command":                      {"Command line", "Командная строка"},
	"signature":                    {"Signature", "Подпись"},
	"signed-by":                    {"key %s, %s", "ключ %s, %s"},
	"sig-verified":                 {"verified", "проверена"},
	"sig-bad":                      {"NOT verified", "НЕ проверена"},
	"sig-none":                     {"none", "отсутствует"},
	"trusted-comment":              {"Trusted comment", "Доверенный комментарий"},
	"report-key":                   {"Report signed by key", "Протокол подписан ключом"},
	"media":                        {"Media", "Носитель"},
	"media-size":                   {"Media size", "Размер носителя"},
	"media-digest":                 {"Media %s", "%s носителя"},
	"implanted":                    {"Implanted MD5", "Встроенная сумма MD5"},
	"implanted-ok":                 {"present, matches", "есть, совпадает"},
	"implanted-bad":                {"present, does NOT match", "есть, НЕ совпадает"},
	"implanted-none":               {"absent", "отсутствует"},
	"implanted-not-read":           {"present, NOT checked: it covers far more than the file holds on its disk", "есть, НЕ проверена: охватывает намного больше, чем файл занимает на диске"},
	"installed":                    {"Installed product root", "Корень установленного продукта"},
	"running-host":                 {"this host", "этот компьютер"},
	"var":                          {"Variable %s", "Переменная %s"},
	"settings":                     {"Settings", "Источник настроек"},

	"directory":       {"directory", "каталог"},
	"image":           {"image", "образ"},
	"device":          {"device", "устройство"},
	"kind-image":      {"image", "образ"},
	"kind-boot":       {"boot", "загрузка"},
	"kind-media":      {"media", "дистрибутив"},
	"kind-modules":    {"modules", "модули"},
	"kind-parameters": {"parameters", "параметры"},
	"table-line":      {"line %d", "строка %d"},
	"table-root":      {"root %s", "корень %s"},
	"table-source":    {"source %s", "источник %s"},
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
	"list-note":    {"%s objects, more than %d: listed by directory and status; the JSON report lists each", "объектов: %s, больше %d: перечислены по каталогам и статусам; в протоколе JSON указан каждый"},
	"group-items":  {"%s items: %s", "объектов: %s; %s"},
	"group-note":   {"%[3]s: %[1]s %[2]s items, more than %[4]d, are listed by directory; the JSON report lists each", "%[3]s: объекты со статусом «%[2]s» (%[1]s, больше %[4]d) перечислены по каталогам; в протоколе JSON указан каждый"},
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

	// Reasons and warnings of the verdict, by verify's message code. The
	// English ones say what verify's Text says, word for word.
	"msg-table":                    {"[%s] table (line %d)", "таблица %s (строка %d)"},
	"msg-count":                    {"%[1]d %[2]s", "%[2]s: %[1]d"},
	"msg-table-failed":             {"%s: %s", "%s: %s"},
	"msg-table-not-checked":        {"%s not checked: %s", "%s не проверена: %s"},
	"why-no-media":                 {"no --media given", "не задан --media"},
	"why-media-is-directory":       {"the media is a directory, not the image", "носитель — каталог, а не образ"},
	"why-no-installed":             {"no --installed ROOT or --var given", "не задан ни --installed КОРЕНЬ, ни --var"},
	"why-no-settings":              {"no --settings FILE or --installed ROOT given for its source", "не задан ни --settings ФАЙЛ, ни --installed КОРЕНЬ для источника настроек"},
	"why-no-registry":              {"this host has no Windows registry: give --installed ROOT of an offline Windows system", "на этом компьютере нет реестра Windows: укажите --installed КОРЕНЬ смонтированной системы Windows"},
	"msg-certificate-expired":      {"certificate %s expired on %s (check date %s)", "срок действия сертификата %s истёк %s (дата проверки %s)"},
	"msg-certificate-expired-none": {"the certificate expired on %s (check date %s)", "срок действия сертификата истёк %s (дата проверки %s)"},
	"msg-support-ended":            {"support of certificate %s ended on %s (check date %s)", "срок поддержки по сертификату %s истёк %s (дата проверки %s)"},
	"msg-support-ended-none":       {"support of the certificate ended on %s (check date %s)", "срок поддержки по сертификату истёк %s (дата проверки %s)"},
	"msg-valid-until-unreadable":   {"valid-until cannot be read: %s", "не удаётся прочитать valid-until: %s"},
	"msg-support-until-unreadable": {"support-until cannot be read: %s", "не удаётся прочитать support-until: %s"},
	"msg-no-valid-until":           {"the formular states no valid-until date: the certificate's validity was not checked", "в формуляре не указана дата valid-until: срок действия сертификата не проверялся"},
	"msg-nothing-checked":          {"nothing was checked: give --media, --installed or --settings", "ничего не проверено: задайте --media, --installed или --settings"},
	"msg-implanted-md5-not-read":   {"the MD5 implanted in the image (isomd5sum) was not checked: it covers %s bytes, more than four times the %s bytes the file holds on its disk (a sparse file, mostly holes)", "встроенная в образ сумма MD5 (isomd5sum) не проверена: она охватывает %s байт, более чем вчетверо больше тех %s байт, что файл занимает на диске (разреженный файл, почти целиком из пустот)"},
	"msg-implanted-md5-mismatch":   {"the MD5 implanted in the image (isomd5sum) does not match: recorded %s, computed %s", "встроенная в образ сумма MD5 (isomd5sum) не совпадает: записана %s, вычислена %s"},
	"msg-source-unreadable":        {"%s: source %s: %s", "%s: источник %s: %s"},
	"msg-extra-files":              {"%s: %d unlisted files (the table is not closed)", "%s: файлов, не указанных в формуляре: %d (таблица не закрыта)"},
	"msg-extra-files-1":            {"%s: %d unlisted file (the table is not closed)", "%s: файлов, не указанных в формуляре: %d (таблица не закрыта)"},
	"msg-extra-links":              {"%s: %d unlisted symbolic links, not followed (formulars list content, not links)", "%s: символических ссылок, не указанных в формуляре: %d; по ним не переходили (формуляр перечисляет содержимое, а не ссылки)"},
	"msg-extra-links-1":            {"%s: %d unlisted symbolic link, not followed (formulars list content, not links)", "%s: символических ссылок, не указанных в формуляре: %d; по ним не переходили (формуляр перечисляет содержимое, а не ссылки)"},
	"msg-weak-algorithm":           {"%s relies on %s: legacy, detects accidents but not deliberate tampering", "%s использует %s: устаревший алгоритм выявляет случайные повреждения, но не преднамеренную подмену"},
	"msg-settings":                 {"settings %s line %s: %s", "настройки %s, строка %s: %s"},
	"msg-read-stopped":             {"media %s: read stopped at byte %s: %s", "носитель %s: чтение остановилось на байте %s: %s"},
	"msg-required-not-checked":     {"required %s not checked", "не проверена таблица, проверка которой обязательна (--require): %s"},
	"msg-cannot-check":             {"cannot check: %s", "проверку провести не удалось: %s"},
	"msg-udf-not-checked":          {"UDF tree not checked", "дерево UDF не проверено"},

	// Item details and hints, by verify's detail and hint codes.
	"det-not-read":             {"not read", "не прочитан"},
	"det-not-read-longer":      {"not read: more than twice the size listed, so not the file listed, whatever it holds", "не прочитан: вдвое с лишним больше указанного размера, а значит, не тот файл, что в формуляре, что бы в нём ни было"},
	"det-replaced-by-symlink":  {"replaced by a symbolic link to %s (not followed)", "заменён символической ссылкой на %s (по ней не переходили)"},
	"det-unlisted-symlink":     {"symbolic link to %s, not followed", "символическая ссылка на %s, по ней не переходили"},
	"det-unreadable-directory": {"directory unreadable: %s: %s", "каталог не читается: %s: %s"},
	"det-through-symlink":      {"reached only through a symbolic link, which is not followed", "доступен только через символическую ссылку, а по ссылкам не переходят"},
	"det-not-on-image":         {"not on the image", "в образе отсутствует"},
	"det-root-not-found":       {"root directory %s not found", "корневой каталог %s не найден"},
	"det-read-from-device":     {"read from the device", "прочитан с устройства"},
	"det-image-renamed":        {"the image's content is right but its file name is %s: names are part of the certified content", "содержимое образа верно, но его файл называется %s: имена входят в сертифицированное содержимое"},
	"det-image-name-only":      {"only the file name differs: this is the certified image byte for byte, under the name %s; the formular certifies it as %s, and the name is part of what is certified", "отличается только имя файла: это сертифицированный образ, байт в байт, под именем %s; в формуляре он значится как %s, а имя входит в сертифицированное содержимое"},
	"det-image-name-differs":   {"file name %s, expected %s", "имя файла %s, ожидалось %s"},
	"det-image-unmatched":      {"the image matches no row of the [image] table, by name or content", "образ не совпадает ни с одной строкой таблицы [image] ни по имени, ни по содержимому"},
	"det-registry-offline":     {"the live registry can only be read on the Windows host itself; export the key with regedit and pass --settings FILE.reg", "реестр работающей системы читается только на самом компьютере с Windows: выгрузите раздел через regedit и передайте --settings ФАЙЛ.reg"},
	"det-settings-line":        {"%s line %s", "%s, строка %s"},
	"det-constraint-error":     {"%s", "значение не удалось оценить: %s"},
	"det-boot-image-unlisted":  {"the entry loads %s bytes at byte offset %s, which no file of the image holds", "запись загружает %s байт со смещения %s, которые не принадлежат ни одному файлу образа"},
	"det-boot-entry-changed":   {"the boot catalog now has %s", "в каталоге загрузки теперь: %s"},
	"msg-boot-not-covered":     {"boot code not covered by the formular", "загрузочный код формуляром не охвачен"},
	"det-alternate-stream":     {"alternate data streams that no row lists: %s", "дополнительные потоки данных, не перечисленные в таблице: %s"},
	"det-ambiguous-name":       {"names on disk differing only in letter case match this row: %s", "строке соответствуют имена на диске, различающиеся только регистром букв: %s"},
	"det-duplicate-reading":    {"given more than once in %s (lines %s): a program may read the one at line %s", "задан в %s несколько раз (строки %s): программа может прочитать вариант из строки %s"},
	"det-duplicate-reading-n":  {"given more than once in %s (%s lines, the first of them %s): a program may read the one at line %s", "задан в %s несколько раз (строк: %s, первые из них %s): программа может прочитать вариант из строки %s"},
	"det-duplicate-record":     {"the %s tree holds %s more than once in one directory: directory records at byte offsets %s", "дерево %s содержит %s в одном каталоге больше одного раза: записи каталога по смещениям %s"},
	"det-tree-other-content":   {"the %s tree holds other content under %s: its directory record at byte offset %s, the %s tree's at byte offset %s", "дерево %s содержит под именем %s другое содержимое: его запись каталога по смещению %s, запись дерева %s — по смещению %s"},
	"det-tree-only":            {"only the %s tree shows %s (directory record at byte offset %s); the %s tree does not", "файл %[2]s виден только в дереве %[1]s (запись каталога по смещению %[3]s); в дереве %[4]s его нет"},
	"det-tree-missing":         {"the %s tree does not show this file (directory record at byte offset %s of the %s tree)", "в дереве %s этого файла нет (запись каталога по смещению %s в дереве %s)"},
	"tree-rockridge":           {"Rock Ridge", "Rock Ridge"},
	"tree-joliet":              {"Joliet", "Joliet"},
	"tree-iso9660":             {"ISO 9660", "ISO 9660"},
	"replaced-directory":       {"replaced by a directory", "заменён каталогом"},
	"replaced-fifo":            {"replaced by a FIFO", "заменён именованным каналом (FIFO)"},
	"replaced-socket":          {"replaced by a socket", "заменён сокетом"},
	"replaced-device":          {"replaced by a device", "заменён файлом устройства"},
	"replaced-special":         {"replaced by a special file", "заменён специальным файлом"},
	"replaced-symlink":         {"replaced by a symbolic link", "заменён символической ссылкой"},
	"type-directory":           {"directory", "каталог"},
	"type-fifo":                {"FIFO", "именованный канал (FIFO)"},
	"type-socket":              {"socket", "сокет"},
	"type-device":              {"device", "файл устройства"},
	"type-special":             {"special file", "специальный файл"},
	"type-symlink":             {"symbolic link", "символическая ссылка"},
	"hint-gost-with":           {"the %s digest matches byte-reversed: the table's column should be %s (import the list with --gost-reverse)", "сумма %s совпадает при обратном порядке байтов: столбец таблицы должен быть %s (импортируйте перечень с --gost-reverse)"},
	"hint-gost-without":        {"the %s digest matches byte-reversed: the table's column should be %s (import the list without --gost-reverse)", "сумма %s совпадает при обратном порядке байтов: столбец таблицы должен быть %s (импортируйте перечень без --gost-reverse)"},

	// Errors and warnings of the settings reader, the constraint checker
	// and the OS, by the error_code (message_code) argument of a message.
	// The English ones are what the reader's own sentence says, less any
	// words quoted from a decoder; English renderings show that sentence.
	"err-not-a-date":             {"\"%s\" is not a date YYYY-MM-DD", "«%s» — не дата вида ГГГГ-ММ-ДД"},
	"err-at-line":                {"line %s: %s", "строка %s: %s"},
	"err-duplicate-key":          {"key \"%s\" set again (first at line %s); the value of line %s wins", "ключ «%s» задан повторно (впервые в строке %s); действует значение из строки %s"},
	"err-duplicate-name":         {"name \"%s\" given again in an object (first at line %s); the value of line %s wins", "имя «%s» повторяется в объекте (впервые в строке %s); действует значение из строки %s"},
	"err-duplicate-value":        {"value \"%s\" set again (first at line %s); the value of line %s wins", "параметр %s задан повторно (впервые в строке %s); действует значение из строки %s"},
	"err-duplicate-attribute":    {"attribute \"%s\" given twice in <%s>; the last wins", "атрибут «%s» указан в <%s> дважды; действует последний"},
	"err-duplicate-element":      {"element \"%s\" given %s times (first at line %s); a key without an index is read in each", "элемент «%s» встречается несколько раз (всего %s, впервые в строке %s); ключ без номера читается в каждом из них"},
	"err-deletes-key":            {"deletes key %s: a change to the registry, not an export of it", "удаляет раздел %s: это изменение реестра, а не его выгрузка"},
	"err-deletes-value":          {"deletes value %s: a change to the registry, not an export of it", "удаляет параметр %s: это изменение реестра, а не его выгрузка"},
	"err-more-warnings":          {"%s more warnings up to line %s, not shown one by one", "ещё предупреждений: %s (до строки %s), по одному не показаны"},
	"err-utf16-odd-length":       {"UTF-16 text with an odd number of bytes", "текст в UTF-16 с нечётным числом байтов"},
	"err-too-large":              {"larger than %s MiB, not a settings file", "больше %s МиБ — это не файл настроек"},
	"err-unknown-format":         {"unknown format \"%s\" (known: %s)", "неизвестный формат «%s» (известны: %s)"},
	"err-registry-not-a-file":    {"the live registry is not a file format; read it with OpenRegistry", "реестр работающей системы — не формат файла, его читают напрямую"},
	"err-too-deep":               {"nested deeper than %s levels", "вложенность глубже %s уровней"},
	"err-ini-section-unclosed":   {`section header without closing "]"`, "в заголовке секции нет закрывающей «]»"},
	"err-ini-text-after-section": {"text after section header: %s", "текст после заголовка секции: %s"},
	"err-ini-empty-section":      {"empty section name", "пустое имя секции"},
	"err-ini-bad-line":           {"not a section, key=value, comment or blank line: %s", "строка не похожа ни на секцию, ни на ключ=значение, ни на комментарий: %s"},
	"err-ini-no-key":             {"key=value line without a key", "в строке ключ=значение нет ключа"},
	"err-kv-bad-line":            {"not a key=value, comment or blank line: %s", "строка не похожа ни на ключ=значение, ни на комментарий: %s"},
	"err-kv-bad-key":             {"bad key %s", "недопустимый ключ %s"},
	"err-kv-quote-open":          {"quote not closed", "кавычка не закрыта"},
	"err-reg-empty":              {"empty file, not a registry export", "файл пуст, это не выгрузка реестра"},
	"err-reg-bad-header":         {`not a registry export: want "Windows Registry Editor Version 5.00" or "REGEDIT4", got %s`, "это не выгрузка реестра: ожидался заголовок «Windows Registry Editor Version 5.00» или «REGEDIT4», а не %s"},
	"err-reg-key-unclosed":       {`key line without closing "]"`, "в строке раздела нет закрывающей «]»"},
	"err-reg-unknown-root":       {"unknown root key in %s", "неизвестный корневой раздел в %s"},
	"err-reg-bad-line":           {"not a key, value, comment or blank line: %s", "строка не похожа ни на раздел, ни на параметр, ни на комментарий: %s"},
	"err-reg-value-outside-key":  {"value outside of a key", "параметр вне раздела"},
	"err-reg-bad-value-name":     {"value name cannot be read", "не удаётся разобрать имя параметра"},
	"err-reg-no-equals":          {`value name without "="`, "после имени параметра нет «=»"},
	"err-reg-bad-data":           {"value data cannot be read", "не удаётся разобрать данные параметра"},
	"err-json-syntax":            {"not valid JSON", "синтаксическая ошибка JSON"},
	"err-json-unexpected-end":    {"unexpected end of JSON input", "JSON неожиданно обрывается"},
	"err-json-text-after":        {"text after the JSON document", "текст после документа JSON"},
	"err-xml-syntax":             {"not well-formed XML", "синтаксическая ошибка XML"},
	"err-xml-second-root":        {"second root element <%s>", "второй корневой элемент <%s>"},
	"err-xml-text-outside-root":  {"text outside the root element", "текст вне корневого элемента"},
	"err-xml-no-root":            {"no root element", "нет корневого элемента"},
	"err-needs-one-value":        {"%s needs one value", "для %s нужно ровно одно значение"},
	"err-unknown-operator":       {"unknown operator \"%s\"", "неизвестный оператор «%s»"},
	"err-bad-pattern":            {"bad regular expression /%s/", "неверное регулярное выражение /%s/"},
	"err-bad-range":              {"bad range %s..%s", "неверный диапазон %s..%s"},
	"err-not-an-integer":         {"value \"%s\": not an integer", "«%s» — не целое число"},
	"err-not-a-size":             {"value \"%s\": not a size (bytes, or a number with K, M, G or T)", "«%s» — не размер (байты или число с K, M, G или T)"},
	"err-size-too-large":         {"value \"%s\": size too large", "«%s» — слишком большой размер"},
	"err-not-a-duration":         {"value \"%s\": not a duration (such as 30s, 5m, 1h30m)", "«%s» — не длительность (например, 30s, 5m, 1h30m)"},
	"err-duration-without-unit":  {"value \"%s\": a duration needs a unit (ms, s, m, h, d)", "«%s» — у длительности нет единицы (ms, s, m, h, d)"},
	"err-duration-too-long":      {"value \"%s\": duration too long", "«%s» — слишком большая длительность"},
	"err-windows-device-name":    {"a device name Windows reserves (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9): not opened", "имя устройства, зарезервированное в Windows (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9): файл не открывался"},
	"err-windows-dot-space-name": {"a name ending in a dot or a space, which Windows drops: not opened", "имя оканчивается точкой или пробелом, которые Windows отбрасывает: файл не открывался"},
	"err-EPERM":                  {"operation not permitted", "операция не разрешена"},
	"err-ENOENT":                 {"no such file or directory", "нет такого файла или каталога"},
	"err-EIO":                    {"input/output error", "ошибка ввода-вывода"},
	"err-ENXIO":                  {"no such device or address", "нет такого устройства или адреса"},
	"err-EACCES":                 {"permission denied", "доступ запрещён"},
	"err-EBUSY":                  {"device or resource busy", "устройство или ресурс занято"},
	"err-ENODEV":                 {"no such device", "нет такого устройства"},
	"err-ENOTDIR":                {"not a directory", "не является каталогом"},
	"err-EISDIR":                 {"is a directory", "является каталогом"},
	"err-EINVAL":                 {"invalid argument", "недопустимый аргумент"},
	"err-EMFILE":                 {"too many open files", "слишком много открытых файлов"},
	"err-ENFILE":                 {"too many open files in system", "слишком много открытых файлов в системе"},
	"err-EROFS":                  {"read-only file system", "файловая система только для чтения"},
	"err-ENAMETOOLONG":           {"file name too long", "слишком длинное имя файла"},
	"err-ELOOP":                  {"too many levels of symbolic links", "слишком много уровней символических ссылок"},
	"err-ESTALE":                 {"stale file handle", "устаревший дескриптор файла"},
}

// errArgNames lists, per error code, the arguments its sentence names, in
// order; a code absent here names none.
var errArgNames = map[string][]string{
	"duplicate-key":          {"key", "first_line", "line"},
	"duplicate-name":         {"name", "first_line", "line"},
	"duplicate-value":        {"value", "first_line", "line"},
	"duplicate-attribute":    {"attribute", "element"},
	"duplicate-element":      {"element", "count", "first_line"},
	"deletes-key":            {"key"},
	"deletes-value":          {"value"},
	"more-warnings":          {"count", "last_line"},
	"too-large":              {"max_mib"},
	"unknown-format":         {"format", "known"},
	"too-deep":               {"max"},
	"ini-text-after-section": {"text"},
	"ini-bad-line":           {"text"},
	"kv-bad-line":            {"text"},
	"kv-bad-key":             {"key"},
	"reg-bad-header":         {"text"},
	"reg-unknown-root":       {"key"},
	"reg-bad-line":           {"text"},
	"xml-second-root":        {"element"},
	"needs-one-value":        {"op"},
	"unknown-operator":       {"op"},
	"bad-pattern":            {"pattern"},
	"bad-range":              {"lo", "hi"},
	"not-an-integer":         {"value"},
	"not-a-size":             {"value"},
	"size-too-large":         {"value"},
	"not-a-duration":         {"value"},
	"duration-without-unit":  {"value"},
	"duration-too-long":      {"value"},
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

// verdict returns a verdict's label: the token in English, words in
// Russian; an unknown verdict shows as itself.
func (l lang) verdict(v verify.Verdict) string {
	if has("v-" + string(v)) {
		return l.t("v-" + string(v))
	}
	return string(v)
}

// tableName names a table by kind and line: "[modules] table (line 30)",
// «таблица модулей (строка 30)». A kind this build does not know is shown
// as written.
func (l lang) tableName(k formular.Kind, line int) string {
	kind := safetext.Display(string(k))
	if l != en {
		kind = l.kindOf(k)
	}
	return l.f("msg-table", kind, line)
}

// decimal writes a number with prec digits after the language's decimal
// sign: 0.1 in English, 0,1 in Russian.
func (l lang) decimal(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if l == ru {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// allowed says a parameter's constraint in the language: as the formular
// writes it in English, in words in Russian. A constraint that does not
// parse (a report from another build) is shown as written.
func (l lang) allowed(s string) string {
	if l == en || s == "" {
		return safetext.Display(s)
	}
	p, err := formular.ParseConstraint(s)
	if err != nil {
		return safetext.Display(s)
	}
	vals := make([]string, len(p.Values))
	for i, v := range p.Values {
		vals[i] = safetext.Display(v)
		if v == "" {
			vals[i] = "«»"
		}
	}
	switch p.Op {
	case formular.OpEq, formular.OpNe:
		id := map[string]string{formular.OpEq: "c-eq", formular.OpNe: "c-ne"}[p.Op]
		if len(vals) == 1 {
			return l.f(id, vals[0])
		}
	case formular.OpIn:
		return l.f("c-in", strings.Join(vals, ", "))
	case formular.OpNotIn:
		return l.f("c-not-in", strings.Join(vals, ", "))
	case formular.OpRange:
		return l.f("c-range", safetext.Display(p.Lo), safetext.Display(p.Hi))
	case formular.OpMatches:
		return l.f("c-matches", safetext.Display(p.Pattern))
	case formular.OpPresent:
		return l.t("c-present")
	case formular.OpAbsent:
		return l.t("c-absent")
	}
	return safetext.Display(s)
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
func bytesText(n int64) string { return groupDigits(strconv.FormatInt(n, 10)) }

// groupDigits writes the decimal number s with thin groups, whatever its
// length: a report's argument may hold more digits than an int64.
func groupDigits(s string) string {
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
