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

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
}

export function formatNumber(n: number | null | undefined, lang: string): string {
  return (n ?? 0).toLocaleString(lang);
}
