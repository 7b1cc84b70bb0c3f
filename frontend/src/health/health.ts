/** GET /healthz, and what of it a marketer needs to know: whether customers are moving through journeys. */
import type { MessageKey } from "../i18n/en";

export interface HealthReport {
  ok: boolean;
  customers_moving: boolean;
  database: { ok: boolean; error?: string };
  redis: { ok: boolean; error?: string };
  ticker: { alive: boolean; last_pass: string | null };
  workers: { alive: number; dead: number };
}

/** The reasons customers are not moving, as message keys (empty when they are, or when nothing is known). */
export function healthProblems(report: HealthReport | null): MessageKey[] {
  if (!report || report.customers_moving) return [];
  if (!report.database?.ok || !report.redis?.ok) return ["health.servicesDown"];
  const problems: MessageKey[] = [];
  if (!report.workers || report.workers.alive === 0) problems.push("health.noWorker");
  if (!report.ticker?.alive) problems.push("health.noTicker");
  return problems;
}

/** The report, whether the server answered 200 or 503 (both carry it); null when it could not be read. */
export async function fetchHealth(): Promise<HealthReport | null> {
  try {
    const response = await fetch("/healthz", { headers: { Accept: "application/json" } });
    return (await response.json()) as HealthReport;
  } catch {
    return null;
  }
}
