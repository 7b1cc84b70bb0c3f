/**
 * The time zones a marketer chooses from: a curated list of common zones first (named by city in the UI's
 * language, with the UTC offset), then every other canonical zone the backend serves (zone.tab: no aliases such
 * as W-SU, Zulu, localtime, Etc/GMT+5 or EST5EDT). Searchable by city, country and IANA id, in either language.
 */
import type { Lang } from "../i18n";

/** A common zone: its IANA id, ISO country code and city name in each UI language. */
interface Common {
  id: string;
  cc: string;
  en: string;
  zh: string;
}

// Asia/Taipei first (the product's home market), then East & South-East Asia, South Asia, the Middle East,
// Oceania, the Americas, Europe, and UTC.
export const COMMON_ZONES: readonly Common[] = [
  { id: "Asia/Taipei", cc: "TW", en: "Taipei", zh: "台北" },
  { id: "Asia/Hong_Kong", cc: "HK", en: "Hong Kong", zh: "香港" },
  { id: "Asia/Shanghai", cc: "CN", en: "Shanghai", zh: "上海" },
  { id: "Asia/Singapore", cc: "SG", en: "Singapore", zh: "新加坡" },
  { id: "Asia/Tokyo", cc: "JP", en: "Tokyo", zh: "東京" },
  { id: "Asia/Seoul", cc: "KR", en: "Seoul", zh: "首爾" },
  { id: "Asia/Macau", cc: "MO", en: "Macao", zh: "澳門" },
  { id: "Asia/Kuala_Lumpur", cc: "MY", en: "Kuala Lumpur", zh: "吉隆坡" },
  { id: "Asia/Manila", cc: "PH", en: "Manila", zh: "馬尼拉" },
  { id: "Asia/Bangkok", cc: "TH", en: "Bangkok", zh: "曼谷" },
  { id: "Asia/Ho_Chi_Minh", cc: "VN", en: "Ho Chi Minh City", zh: "胡志明市" },
  { id: "Asia/Jakarta", cc: "ID", en: "Jakarta", zh: "雅加達" },
  { id: "Asia/Kolkata", cc: "IN", en: "Kolkata (India)", zh: "加爾各答（印度）" },
  { id: "Asia/Dubai", cc: "AE", en: "Dubai", zh: "杜拜" },
  { id: "Australia/Sydney", cc: "AU", en: "Sydney", zh: "雪梨" },
  { id: "Australia/Perth", cc: "AU", en: "Perth", zh: "伯斯" },
  { id: "Pacific/Auckland", cc: "NZ", en: "Auckland", zh: "奧克蘭" },
  { id: "America/Los_Angeles", cc: "US", en: "Los Angeles", zh: "洛杉磯" },
  { id: "America/Vancouver", cc: "CA", en: "Vancouver", zh: "溫哥華" },
  { id: "America/Denver", cc: "US", en: "Denver", zh: "丹佛" },
  { id: "America/Chicago", cc: "US", en: "Chicago", zh: "芝加哥" },
  { id: "America/New_York", cc: "US", en: "New York", zh: "紐約" },
  { id: "America/Toronto", cc: "CA", en: "Toronto", zh: "多倫多" },
  { id: "America/Mexico_City", cc: "MX", en: "Mexico City", zh: "墨西哥城" },
  { id: "America/Sao_Paulo", cc: "BR", en: "São Paulo", zh: "聖保羅" },
  { id: "Europe/London", cc: "GB", en: "London", zh: "倫敦" },
  { id: "Europe/Paris", cc: "FR", en: "Paris", zh: "巴黎" },
  { id: "Europe/Berlin", cc: "DE", en: "Berlin", zh: "柏林" },
  { id: "Europe/Amsterdam", cc: "NL", en: "Amsterdam", zh: "阿姆斯特丹" },
  { id: "Europe/Madrid", cc: "ES", en: "Madrid", zh: "馬德里" },
  { id: "Europe/Rome", cc: "IT", en: "Rome", zh: "羅馬" },
  { id: "Europe/Istanbul", cc: "TR", en: "Istanbul", zh: "伊斯坦堡" },
  { id: "Europe/Moscow", cc: "RU", en: "Moscow", zh: "莫斯科" },
  { id: "UTC", cc: "", en: "Coordinated Universal Time", zh: "世界標準時間" },
];

const COMMON_IDS = new Set(COMMON_ZONES.map((z) => z.id));

/** Region prefixes of canonical geographic zones (plus "UTC"); everything else is an alias or a legacy name. */
const CANONICAL = /^(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z][A-Za-z0-9_+-]*)?$/;
// Backward-compatible links that look canonical (tzdata's `backward` file): never offered, still displayed.
const ALIASES = new Set([
  "America/Buenos_Aires", "America/Catamarca", "America/Cordoba", "America/Fort_Wayne", "America/Indianapolis",
  "America/Jujuy", "America/Knox_IN", "America/Louisville", "America/Mendoza", "America/Porto_Acre", "America/Rosario",
  "America/Ensenada", "America/Atka", "America/Shiprock", "America/Virgin", "America/Santa_Isabel", "America/Godthab",
  "Asia/Calcutta", "Asia/Saigon", "Asia/Katmandu", "Asia/Rangoon", "Asia/Dacca", "Asia/Thimbu", "Asia/Ujung_Pandang",
  "Asia/Ulan_Bator", "Asia/Chungking", "Asia/Chongqing", "Asia/Harbin", "Asia/Kashgar", "Asia/Macao", "Asia/Tel_Aviv",
  "Asia/Ashkhabad", "Asia/Istanbul", "Atlantic/Faeroe", "Atlantic/Jan_Mayen", "Australia/ACT", "Australia/Canberra",
  "Australia/LHI", "Australia/NSW", "Australia/North", "Australia/Queensland", "Australia/South", "Australia/Tasmania",
  "Australia/Victoria", "Australia/West", "Australia/Yancowinna", "Europe/Belfast", "Europe/Kiev", "Europe/Nicosia",
  "Europe/Tiraspol", "Pacific/Enderbury", "Pacific/Johnston", "Pacific/Ponape", "Pacific/Samoa", "Pacific/Truk",
  "Pacific/Yap", "Antarctica/South_Pole", "America/Coral_Harbour",
]);

/** Whether `id` is a canonical zone a marketer may be offered (not W-SU, Zulu, localtime, Etc/GMT+5, EST5EDT…). */
export function isOfferable(id: string): boolean {
  return id === "UTC" || (CANONICAL.test(id) && !ALIASES.has(id));
}

/** "UTC+8", "UTC+5:30", "UTC−3", "UTC+0" for a zone at `at` (offsets change with daylight saving). */
export function utcOffset(id: string, at: Date = new Date()): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone: id, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value;
    const m = part?.match(/GMT([+-])(\d{2}):(\d{2})/);
    if (!m || (m[2] === "00" && m[3] === "00")) return "UTC+0"; // Chromium says "GMT", Node "GMT+00:00"
    const hours = String(Number(m[2]));
    return `UTC${m[1] === "-" ? "−" : "+"}${hours}${m[3] === "00" ? "" : `:${m[3]}`}`;
  } catch {
    return "";
  }
}

/** Offset in minutes east of UTC (for sorting). */
function offsetMinutes(label: string): number {
  const m = label.match(/UTC([+−])(\d+)(?::(\d+))?/);
  if (!m) return 0;
  const v = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "−" ? -v : v;
}

const regionNames = new Map<string, Intl.DisplayNames | null>();
function countryName(cc: string, lang: Lang): string {
  if (!cc) return "";
  if (!regionNames.has(lang)) {
    try {
      regionNames.set(lang, new Intl.DisplayNames([lang], { type: "region" }));
    } catch {
      regionNames.set(lang, null);
    }
  }
  try {
    return regionNames.get(lang)?.of(cc) ?? cc;
  } catch {
    return cc;
  }
}

/** The city part of an IANA id, as words: "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export function cityOf(id: string): string {
  return (id.split("/").pop() ?? id).replace(/_/g, " ");
}

export interface Zone {
  id: string;
  /** What the marketer reads: "台北", "Taipei", "Buenos Aires". */
  city: string;
  /** The country in the UI's language ("台灣"); empty for UTC and unknown zones. */
  country: string;
  offset: string;
  common: boolean;
  /** Lower-case text searched: city and country in both languages, and the IANA id. */
  haystack: string;
}

/** "台北 (UTC+8)" — how a zone is named wherever one is shown. */
export function zoneLabel(zone: Pick<Zone, "city" | "offset">): string {
  return zone.offset ? `${zone.city} (${zone.offset})` : zone.city;
}

function fold(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** One zone, named for `lang`; any valid IANA id (even an alias an older journey holds) gets a name. */
export function describeZone(id: string, lang: Lang, countries: Record<string, string> = {}, at: Date = new Date()): Zone {
  const common = COMMON_ZONES.find((z) => z.id === id);
  const cc = common?.cc ?? countries[id] ?? "";
  const city = common ? (lang === "zh-TW" ? common.zh : common.en) : cityOf(id);
  const haystack = fold(
    [id, id.replace(/_/g, " "), cityOf(id), common?.en, common?.zh, countryName(cc, "en"), countryName(cc, "zh-TW"), cc].filter(Boolean).join(" | "),
  );
  const offset = id === "UTC" ? "UTC" : utcOffset(id, at);
  return { id, city, country: countryName(cc, lang), offset, common: !!common, haystack };
}

export interface ZoneList {
  common: Zone[];
  others: Zone[];
}

/** The picker's list: the common zones in their fixed order, then every other offerable zone by offset and
 * city. `served` is the backend's canonical list (`journey_settings.timezones`); `countries` its country codes. */
export function buildZoneList(served: readonly string[], lang: Lang, countries: Record<string, string> = {}, at: Date = new Date()): ZoneList {
  const common = COMMON_ZONES.map((z) => describeZone(z.id, lang, countries, at));
  const others = [...new Set(served)]
    .filter((id) => isOfferable(id) && !COMMON_IDS.has(id))
    .map((id) => describeZone(id, lang, countries, at))
    .filter((z) => z.offset !== "")
    .sort((a, b) => offsetMinutes(a.offset) - offsetMinutes(b.offset) || a.city.localeCompare(b.city, lang));
  return { common, others };
}

/** Zones matching every word of `query` (city, country, IANA id; either language); all of them when empty. */
export function searchZones(list: ZoneList, query: string): ZoneList {
  const words = fold(query).split(/[\s/,_]+/).filter(Boolean);
  if (!words.length) return list;
  const match = (z: Zone) => words.every((w) => z.haystack.includes(w));
  return { common: list.common.filter(match), others: list.others.filter(match) };
}
