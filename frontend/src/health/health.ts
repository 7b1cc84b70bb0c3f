/** GET /healthz, and what of it a marketer needs to know: whether customers are moving through journeys. */
import type { MessageKey } from "../i18n/en";

export type HealthProblemCode = "services_down" | "no_worker" | "no_ticker";

export interface HealthReport {
  ok: boolean;
  customers_moving: boolean;
  database: { ok: boolean; error?: string };
  redis: { ok: boolean; error?: string };
  ticker: { alive: boolean; last_pass: string | null };
  workers: { alive: number; dead: number };
  /** Why customers are not moving, with the command an operator runs (older servers leave it out). */
  problems?: { code: HealthProblemCode; command: string }[];
}

/** One reason customers are not moving: the marketer's words (`key`) and the operator's command. */
export interface HealthProblem {
  code: HealthProblemCode;
  key: MessageKey;
  command: string;
}

const KEYS: Record<HealthProblemCode, MessageKey> = {
  services_down: "health.servicesDown",
  no_worker: "health.noWorker",
  no_ticker: "health.noTicker",
};
const COMMANDS: Record<HealthProblemCode, string> = {
  services_down: "wayfinder doctor",
  no_worker: "wayfinder worker",
  no_ticker: "wayfinder ticker",
};

/** The reasons customers are not moving (empty when they are, or when nothing is known). */
export function healthProblems(report: HealthReport | null): HealthProblem[] {
  if (!report || report.customers_moving) return [];
  let found = report.problems?.filter((p) => p.code in KEYS);
  if (!found) {
    const codes: HealthProblemCode[] = [];
    if (!report.database?.ok || !report.redis?.ok) codes.push("services_down");
    else {
      if (!report.workers || report.workers.alive === 0) codes.push("no_worker");
      if (!report.ticker?.alive) codes.push("no_ticker");
    }
    found = codes.map((code) => ({ code, command: COMMANDS[code] }));
  }
  return found.map((p) => ({ code: p.code, key: KEYS[p.code], command: p.command }));
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
