import type { TFunction } from "../i18n";

export function relativeTime(iso: string | null | undefined, t: TFunction, now = Date.now()): string {
  if (!iso) return t("common.never");
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const minutes = Math.floor((now - then) / 60000);
  if (minutes < 1) return t("common.justNow");
  if (minutes < 60) return t("common.minutesAgo", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t("common.hoursAgo", { n: hours });
  return t("common.daysAgo", { n: Math.floor(hours / 24) });
}

/** A date and time as read in `zone`, followed by that zone ("Dec 4, 2026, 4:17 PM · Taipei (UTC+8)"), so a
 * marketer never wonders which clock it is. `zoneName` is the zone's label in the UI's language. */
export function formatDateTime(iso: string | null | undefined, lang: string, zone?: string, zoneName?: string): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let text: string;
  try {
    text = d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short", timeZone: zone });
  } catch {
    text = d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  }
  return zone ? `${text} · ${zoneName ?? zone}` : text;
}

export function formatNumber(n: number | null | undefined, lang: string): string {
  return (n ?? 0).toLocaleString(lang);
}
